package ws

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// testHub is a hub on a real server whose snapshot says only its sequence
// number, the newest the test has published.
type testHub struct {
	*Hub
	t       *testing.T
	ts      *httptest.Server
	last    atomic.Uint64
	dropped chan struct{}
	changed chan int
}

func (s *testHub) ClientsChanged(n int) {
	select {
	case s.changed <- n:
	default: // nobody is waiting for it
	}
}

func (s *testHub) Dropped() { s.dropped <- struct{}{} }

func newTestHub(t *testing.T, o Options) *testHub {
	t.Helper()
	th := &testHub{t: t, dropped: make(chan struct{}, 16), changed: make(chan int, 64)}
	if n := len(o.Backlog); n > 0 {
		th.last.Store(o.Backlog[n-1].Seq)
	}
	o.Snapshot = func() (uint64, []byte, error) {
		seq := th.last.Load()
		b, err := EncodeSnapshot(seq, map[string]any{"name": "test hall"})
		return seq, b, err
	}
	o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	o.Stats = th
	th.Hub = NewHub(o)
	th.ts = httptest.NewServer(th.Hub)
	t.Cleanup(func() {
		th.Hub.Close()
		th.ts.Close()
	})
	return th
}

func frame(seq uint64, pad int) Frame {
	return Frame{Seq: seq, Data: fmt.Appendf(nil, `{"type":"test","seq":%d,"pad":"%s"}`, seq, strings.Repeat("x", pad))}
}

func frames(from, to uint64) []Frame {
	var fs []Frame
	for s := from; s <= to; s++ {
		fs = append(fs, frame(s, 0))
	}
	return fs
}

// publish hands events to the hub as the engine would.
func (th *testHub) publish(fs ...Frame) {
	th.last.Store(fs[len(fs)-1].Seq)
	th.Publish(fs)
}

func (th *testHub) dial(query string) *websocket.Conn {
	th.t.Helper()
	u := "ws" + strings.TrimPrefix(th.ts.URL, "http") + "/?" + query
	conn, _, err := websocket.DefaultDialer.Dial(u, nil)
	if err != nil {
		th.t.Fatalf("dial %s: %v", query, err)
	}
	th.t.Cleanup(func() { conn.Close() })
	return conn
}

type msg struct {
	Type string `json:"type"`
	Seq  uint64 `json:"seq"`
}

func read(t *testing.T, c *websocket.Conn) msg {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	var m msg
	if err := c.ReadJSON(&m); err != nil {
		t.Fatalf("read: %v", err)
	}
	return m
}

func TestResumeOrSnapshot(t *testing.T) {
	// After a restart the hub holds events 100..110 of the journal.
	th := newTestHub(t, Options{Backlog: frames(100, 110)})
	tests := []struct {
		since     string
		snapshot  bool
		firstSeq  uint64 // of the first message
		eventsTil uint64 // events then follow up to here
	}{
		{"", true, 110, 110},
		{"99", false, 100, 110},   // everything after 99 is held
		{"105", false, 106, 110},  // a short gap
		{"98", true, 110, 110},    // event 99 is gone: too old to resume
		{"5", true, 110, 110},     // far too old
		{"0", true, 110, 110},     // a screen that saw nothing
		{"110", false, 111, 111},  // up to date: the next event comes first
		{"111", true, 110, 110},   // ahead of the hall
		{"99999", true, 110, 110}, // another hall's number
	}
	var conns []*websocket.Conn
	for _, tc := range tests {
		q := ""
		if tc.since != "" {
			q = "since=" + tc.since
		}
		c := th.dial(q)
		conns = append(conns, c)
		if tc.since == "110" {
			continue // checked once event 111 exists
		}
		m := read(t, c)
		if (m.Type == "snapshot") != tc.snapshot || m.Seq != tc.firstSeq {
			t.Errorf("since=%q: first %s %d, want snapshot=%v seq %d", tc.since, m.Type, m.Seq, tc.snapshot, tc.firstSeq)
			continue
		}
		for want := m.Seq + 1; want <= tc.eventsTil; want++ {
			if m := read(t, c); m.Type != "test" || m.Seq != want {
				t.Fatalf("since=%q: got %s %d, want event %d", tc.since, m.Type, m.Seq, want)
			}
		}
	}
	th.publish(frame(111, 0))
	for i, c := range conns {
		if m := read(t, c); m.Type != "test" || m.Seq != 111 {
			t.Errorf("since=%q: after publishing, %s %d, want event 111", tests[i].since, m.Type, m.Seq)
		}
	}
	if _, resp, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(th.ts.URL, "http")+"/?since=-1", nil); err == nil || resp.StatusCode != 400 {
		t.Errorf("since=-1 accepted: %v", err)
	}
}

// TestSlowClientIsCutOff: a client that never reads, facing a burst, is cut
// off while the clients that keep up get every event in order.
func TestSlowClientIsCutOff(t *testing.T) {
	th := newTestHub(t, Options{SendQueue: 16})
	slow := th.dial("")
	const fast = 3
	got := make([]chan uint64, fast)
	for i := range fast {
		c := th.dial("")
		if m := read(t, c); m.Type != "snapshot" {
			t.Fatalf("first message %+v", m)
		}
		got[i] = make(chan uint64, 8192)
		go func() {
			defer close(got[i])
			for {
				var m msg
				if err := c.ReadJSON(&m); err != nil {
					return
				}
				got[i] <- m.Seq
			}
		}()
	}
	waitClients(t, th, fast+1)

	// Publish big events one by one, each as soon as every fast client has
	// the last; the slow client's socket buffers fill, then its queue, and
	// the hub must let it go. 64 KiB × 4000 is far beyond any socket buffer.
	const pad, limit = 64 << 10, 4000
	var seq uint64
	cut := false
	for seq = 1; seq <= limit && !cut; seq++ {
		th.publish(frame(seq, pad))
		for i := range fast {
			expect(t, got[i], seq)
		}
		select {
		case <-th.dropped:
			cut = true
		default:
		}
	}
	if !cut {
		t.Fatalf("a client that never reads was not cut off after %d events", limit)
	}
	if n := th.Clients(); n != fast {
		t.Errorf("%d clients, want %d", n, fast)
	}
	// The others go on.
	for s := seq; s < seq+10; s++ {
		th.publish(frame(s, 10))
		for i := range fast {
			expect(t, got[i], s)
		}
	}
	// The slow client, reading at last, finds its connection closed with
	// the reason.
	slow.SetReadDeadline(time.Now().Add(20 * time.Second))
	var err error
	for err == nil {
		_, _, err = slow.ReadMessage()
	}
	if !websocket.IsCloseError(err, websocket.ClosePolicyViolation) {
		t.Errorf("slow client ended with %v, want close 1008", err)
	}
}

func expect(t *testing.T, ch chan uint64, want uint64) {
	t.Helper()
	select {
	case s, ok := <-ch:
		if !ok {
			t.Fatalf("a fast client was disconnected before event %d", want)
		}
		if s != want {
			t.Fatalf("a fast client got event %d, want %d", s, want)
		}
	case <-time.After(20 * time.Second):
		t.Fatalf("a fast client did not get event %d", want)
	}
}

func waitClients(t *testing.T, th *testHub, n int) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for th.Clients() != n {
		select {
		case <-th.changed:
		case <-deadline:
			t.Fatalf("%d clients, want %d", th.Clients(), n)
		}
	}
}

// Every client gets the event exactly as published.
func TestEveryClientGetsTheFrame(t *testing.T) {
	th := newTestHub(t, Options{})
	a, b := th.dial(""), th.dial("")
	read(t, a)
	read(t, b)
	th.publish(frame(1, 3))
	for _, c := range []*websocket.Conn{a, b} {
		c.SetReadDeadline(time.Now().Add(10 * time.Second))
		_, data, err := c.ReadMessage()
		if err != nil || !bytes.Equal(data, frame(1, 3).Data) {
			t.Errorf("got %s, %v", data, err)
		}
	}
}

func TestEncodeSnapshot(t *testing.T) {
	b, err := EncodeSnapshot(7, map[string]int{"x": 1})
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != `{"type":"snapshot","seq":7,"hall":{"x":1}}` {
		t.Errorf("snapshot %s", b)
	}
}

// TestPrivateEventsAreNotSent: a frame without data (a private event) is
// sent to nobody, yet a client may resume after its seq, and a backlog that
// begins with one still refuses a client whose missed events are older.
func TestPrivateEventsAreNotSent(t *testing.T) {
	backlog := append([]Frame{{Seq: 100}}, frames(101, 102)...)
	th := newTestHub(t, Options{Backlog: append(backlog, Frame{Seq: 103})})
	live := th.dial("")
	if m := read(t, live); m.Type != "snapshot" || m.Seq != 103 {
		t.Fatalf("first %s %d, want the snapshot at 103", m.Type, m.Seq)
	}
	for _, tc := range []struct {
		since    string
		snapshot bool
		first    uint64
	}{
		{"99", false, 101},  // 100 was private: nothing it needed is gone
		{"98", true, 103},   // 99 may have been public and is not held
		{"103", false, 105}, // after a private event, the next public one
	} {
		c := th.dial("since=" + tc.since)
		if tc.since == "103" {
			th.publish(Frame{Seq: 104}, frame(105, 0))
		}
		if m := read(t, c); (m.Type == "snapshot") != tc.snapshot || m.Seq != tc.first {
			t.Errorf("since=%s: first %s %d, want snapshot=%v seq %d", tc.since, m.Type, m.Seq, tc.snapshot, tc.first)
		}
	}
	if m := read(t, live); m.Type != "test" || m.Seq != 105 {
		t.Errorf("the live client got %s %d, want event 105 and nothing for 104", m.Type, m.Seq)
	}
}
