package server_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// wsMsg is a message of the hall's WebSocket: a snapshot or an event.
type wsMsg struct {
	Type    string          `json:"type"`
	Seq     uint64          `json:"seq"`
	Hall    json.RawMessage `json:"hall"`
	Data    json.RawMessage `json:"data"`
	Waiting map[string]int  `json:"waiting"`
	Window  *window         `json:"window"`
	Text    string          `json:"text"`
	TextEN  string          `json:"text_en"`
	Speech  string          `json:"speech"`
	raw     []byte
}

type wsClient struct {
	t    *testing.T
	conn *websocket.Conn
}

func (h *demoHall) wsURL(query string) string {
	u := "ws" + strings.TrimPrefix(h.ts.URL, "http") + "/ws"
	if query != "" {
		u += "?" + query
	}
	return u
}

// dial opens the hall's WebSocket and fails the test if it cannot.
func (h *demoHall) dial(query string) *wsClient {
	h.t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(h.wsURL(query), nil)
	if err != nil {
		status := 0
		if resp != nil {
			status = resp.StatusCode
		}
		h.t.Fatalf("dial /ws?%s: %v (status %d)", query, err, status)
	}
	h.t.Cleanup(func() { conn.Close() })
	return &wsClient{t: h.t, conn: conn}
}

// next reads one message, waiting at most a few seconds for it.
func (c *wsClient) next() wsMsg {
	c.t.Helper()
	c.conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, data, err := c.conn.ReadMessage()
	if err != nil {
		c.t.Fatalf("read: %v", err)
	}
	var m wsMsg
	if err := json.Unmarshal(data, &m); err != nil {
		c.t.Fatalf("message is not JSON: %v: %s", err, data)
	}
	m.raw = data
	return m
}

// events reads n events and checks that their numbers follow from after
// without a gap.
func (c *wsClient) events(after uint64, n int) []wsMsg {
	c.t.Helper()
	out := make([]wsMsg, 0, n)
	for i := range n {
		m := c.next()
		if m.Type == "snapshot" || m.Seq != after+uint64(i)+1 {
			c.t.Fatalf("message %d: %s seq %d, want event seq %d", i, m.Type, m.Seq, after+uint64(i)+1)
		}
		out = append(out, m)
	}
	return out
}

func types(ms []wsMsg) string {
	var ts []string
	for _, m := range ms {
		ts = append(ts, m.Type)
	}
	return strings.Join(ts, ",")
}

func jsonEqual(t *testing.T, a, b []byte) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal(a, &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &y); err != nil {
		t.Fatal(err)
	}
	return reflect.DeepEqual(x, y)
}

func TestWSSnapshotThenEvents(t *testing.T) {
	h := startHall(t, "")
	tok := h.login("1001")
	h.act(tok, "1", "open", nil)
	hallBody := h.must(200, "GET", "/api/v1/hall", "", nil).body

	c := h.dial("")
	snap := c.next()
	n := h.view().Seq
	if snap.Type != "snapshot" || snap.Seq != n {
		t.Fatalf("first message %s seq %d, want snapshot seq %d", snap.Type, snap.Seq, n)
	}
	if !jsonEqual(t, snap.Hall, hallBody) {
		t.Fatalf("snapshot hall differs from GET /api/v1/hall:\n%s\n%s", snap.Hall, hallBody)
	}
	if !strings.HasPrefix(string(snap.raw), `{"type":"snapshot","seq":`) {
		t.Errorf("snapshot starts %.40s", snap.raw)
	}

	var a1 ticket
	h.must(201, "POST", "/api/v1/tickets", "", map[string]any{"service": "A", "phone": "13912345678"}).into(t, &a1)
	a2 := h.issue("A")
	h.act(tok, "1", "call", nil)
	h.act(tok, "1", "recall", nil)
	h.act(tok, "1", "skip", nil)
	h.act(tok, "1", "call", nil)
	h.act(tok, "1", "transfer", map[string]string{"service": "B"})
	h.must(200, "POST", "/api/v1/tickets/"+a2.ID+"/cancel?k="+a2.Key, "", nil)
	h.act(tok, "1", "pause", map[string]string{"reason": "系统故障"})
	h.act(tok, "1", "resume", nil)
	h.act(tok, "1", "close", nil)

	// A1's phone holds its two reminders (outbox.held): the one for its
	// turn near is withdrawn at once, as it is first in line; the call's is
	// queued and sent. Those five outbox events interleave with the queue's.
	all := c.events(n, 16)
	for _, e := range all {
		if strings.Contains(string(e.raw), "王丽娟") || strings.Contains(string(e.raw), "13912345678") ||
			strings.Contains(string(e.raw), "id_hash") || strings.HasPrefix(e.Type, "outbox.") && strings.Contains(string(e.raw), a1.ID) {
			t.Errorf("event %d shows private data: %s", e.Seq, e.raw)
		}
	}
	var evs []wsMsg
	outboxEvents := 0
	for _, e := range all {
		if strings.HasPrefix(e.Type, "outbox.") {
			outboxEvents++
			continue
		}
		evs = append(evs, e)
	}
	want := "ticket.issued,ticket.issued,ticket.called,ticket.recalled,ticket.skipped,ticket.called," +
		"ticket.transferred,ticket.cancelled,window.paused,window.resumed,window.closed"
	if got := types(evs); got != want || outboxEvents != 5 {
		t.Fatalf("events %s (and %d of the outbox)\nwant   %s (and 5)", got, outboxEvents, want)
	}
	// An issued ticket's id opens its page: screens never see it.
	var issued struct {
		Ticket struct{ ID, Number, Service string }
	}
	json.Unmarshal(evs[0].Data, &issued)
	if issued.Ticket.ID != "" || issued.Ticket.Number != "A001" || issued.Ticket.Service != "A" || evs[0].Waiting["A"] != 1 {
		t.Errorf("ticket.issued: %s", evs[0].raw)
	}

	call := evs[2]
	var called struct {
		Ticket struct {
			ID      string `json:"id"`
			Number  string `json:"number"`
			Service string `json:"service"`
		} `json:"ticket"`
		Window string `json:"window"`
		Staff  string `json:"staff"`
	}
	if err := json.Unmarshal(call.Data, &called); err != nil {
		t.Fatal(err)
	}
	if called.Ticket.ID != a1.ID || called.Ticket.Number != "A001" || called.Ticket.Service != "A" || called.Window != "1" {
		t.Errorf("ticket.called data: %s", call.Data)
	}
	if call.Text != "请 A001 号到 1 号窗口办理" || call.TextEN != "Number A001, please go to window 1" ||
		!strings.Contains(call.Speech, "A 0 0 1") || call.Waiting["A"] != 1 {
		t.Errorf("ticket.called words: %s", call.raw)
	}
	if call.Window == nil || call.Window.ID != "1" || call.Window.State != "serving" || call.Window.Current.Number != "A001" ||
		call.Window.Clerk.Name != "王*娟" {
		t.Errorf("ticket.called window: %+v", call.Window)
	}
	if evs[3].Text == "" || evs[6].Waiting["B"] != 1 {
		t.Errorf("recall %s / transfer %s", evs[3].raw, evs[6].raw)
	}
	if p := evs[8]; p.Window == nil || p.Window.State != "paused" || p.Window.PauseReason != "系统故障" {
		t.Errorf("window.paused: %s", p.raw)
	}
	if c := evs[10]; c.Window == nil || c.Window.State != "closed" || c.Window.Clerk != nil {
		t.Errorf("window.closed: %s", c.raw)
	}
	// The latest snapshot agrees with the events.
	if v := h.view(); v.Seq != n+16 {
		t.Errorf("hall seq %d, want %d", v.Seq, n+16)
	}
}

func TestWSResume(t *testing.T) {
	h := startHall(t, "")
	tok := h.login("1002")
	live := h.dial("")
	n := live.next().Seq

	// A screen that saw n goes away while six things happen: the finished
	// service opens the evaluator's question, an event of its own.
	gone := h.dial("")
	if s := gone.next(); s.Seq != n {
		t.Fatalf("second snapshot seq %d, want %d", s.Seq, n)
	}
	gone.conn.Close()
	h.act(tok, "3", "open", nil)
	h.issue("B")
	h.issue("B")
	h.act(tok, "3", "call", nil)
	h.act(tok, "3", "finish", nil)
	missed := live.events(n, 6)
	want := "window.opened,ticket.issued,ticket.issued,ticket.called,ticket.finished,rating.prompted"
	if got := types(missed); got != want {
		t.Fatalf("events %s\nwant   %s", got, want)
	}

	back := h.dial(fmt.Sprintf("since=%d", n))
	got := back.events(n, 6)
	for i := range got {
		if string(got[i].raw) != string(missed[i].raw) {
			t.Errorf("resumed event %d differs:\n%s\n%s", got[i].Seq, got[i].raw, missed[i].raw)
		}
	}
	// Up to date, nothing more was queued: the next message is the next event.
	upToDate := h.dial(fmt.Sprintf("since=%d", n+6))
	h.act(tok, "3", "call", nil)
	for _, c := range []*wsClient{live, back, upToDate} {
		if m := c.next(); m.Type != "ticket.called" || m.Seq != n+7 {
			t.Errorf("next message %s seq %d, want ticket.called %d", m.Type, m.Seq, n+7)
		}
	}

	// A number the hall never reached (another hall, a wiped journal) gets a
	// fresh snapshot, as does a malformed one refused outright.
	// (The call also closed the evaluator's question about the service
	// before: rating.expired is n+8.)
	ahead := h.dial(fmt.Sprintf("since=%d", n+1000))
	if m := ahead.next(); m.Type != "snapshot" || m.Seq != n+8 {
		t.Errorf("since ahead: %s seq %d, want snapshot %d", m.Type, m.Seq, n+8)
	}
	_, resp, err := websocket.DefaultDialer.Dial(h.wsURL("since=yesterday"), nil)
	if err == nil || resp == nil || resp.StatusCode != http.StatusBadRequest {
		t.Errorf("since=yesterday: %v, %v", err, resp)
	}
}

func TestWSOrigin(t *testing.T) {
	h := startHall(t, "")
	host := strings.TrimPrefix(h.ts.URL, "http://")
	tests := []struct {
		origin string
		ok     bool
	}{
		{"", true},
		{"http://" + host, true},
		{"https://" + strings.ToUpper(host), true},
		{"http://evil.example", false},
		{"http://" + host + ".evil.example", false},
		{"http://127.0.0.1:1", false},
		{"null", false},
	}
	for _, tc := range tests {
		t.Run(tc.origin, func(t *testing.T) {
			hdr := http.Header{}
			if tc.origin != "" {
				hdr.Set("Origin", tc.origin)
			}
			conn, resp, err := websocket.DefaultDialer.Dial(h.wsURL(""), hdr)
			if tc.ok {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				defer conn.Close()
				conn.SetReadDeadline(time.Now().Add(10 * time.Second))
				var m wsMsg
				if err := conn.ReadJSON(&m); err != nil || m.Type != "snapshot" {
					t.Fatalf("first message %+v, %v", m, err)
				}
				return
			}
			if err == nil {
				conn.Close()
				t.Fatal("accepted")
			}
			if !errors.Is(err, websocket.ErrBadHandshake) || resp.StatusCode != http.StatusForbidden {
				t.Fatalf("err %v status %v, want 403", err, resp)
			}
		})
	}
}

// TestWSResumeAfterRestart: the hub is seeded with the journal's tail, so a
// screen resumes across a restart of the server without a snapshot.
func TestWSResumeAfterRestart(t *testing.T) {
	h := startHall(t, "")
	tok := h.login("1007")
	c := h.dial("")
	n := c.next().Seq
	h.act(tok, "7", "open", nil)
	q := h.issue("Q")
	h.act(tok, "7", "call", nil)
	before := c.events(n, 3)

	h = h.restart()
	back := h.dial(fmt.Sprintf("since=%d", n))
	after := back.events(n, 3)
	for i := range after {
		if after[i].Type != before[i].Type || !jsonEqual(t, after[i].Data, before[i].Data) {
			t.Errorf("event %d after restart: %s, before: %s", after[i].Seq, after[i].raw, before[i].raw)
		}
	}
	var called struct{ Ticket struct{ ID string } }
	json.Unmarshal(after[2].Data, &called)
	if after[2].Type != "ticket.called" || called.Ticket.ID != q.ID || after[2].Text != "请 Q001 号到 7 号窗口办理" {
		t.Errorf("resumed call: %s", after[2].raw)
	}
	// And the stream goes on from there.
	h.act(tok, "7", "finish", nil)
	if m := back.next(); m.Type != "ticket.finished" || m.Seq != n+4 {
		t.Errorf("after restart: %s seq %d, want ticket.finished %d", m.Type, m.Seq, n+4)
	}
}
