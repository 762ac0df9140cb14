package server_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"hallfloor/config"
)

func TestHealthz(t *testing.T) {
	h := startHall(t, "")
	r := h.must(200, "GET", "/healthz", "", nil)
	if got := r.json(t)["status"]; got != "ok" {
		t.Fatalf("healthz status = %v, want ok", got)
	}
}

func TestMetrics(t *testing.T) {
	h := startHall(t, "")
	tok := h.login("1001")
	h.act(tok, "1", "open", nil)
	h.issue("A")
	h.issue("A")
	h.issue("B")
	h.act(tok, "1", "call", nil)
	h.must(400, "POST", "/api/v1/tickets", "", map[string]string{"service": "X"})
	body := string(h.must(200, "GET", "/metrics", "", nil).body)
	for _, want := range []string{
		`hallfloor_tickets_issued_total{service="A"} 2`,
		`hallfloor_tickets_issued_total{service="B"} 1`,
		`hallfloor_calls_total{window="1"} 1`,
		`hallfloor_waiting{service="A"} 1`,
		`hallfloor_waiting{service="B"} 1`,
		`hallfloor_event_seq 6`,
		`hallfloor_http_errors_total{code="invalid"} 1`,
		`hallfloor_journal_commit_seconds_count`,
		`hallfloor_websocket_clients 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestHallSnapshotShape(t *testing.T) {
	h := startHall(t, "")
	tok := h.login("1001")
	h.act(tok, "1", "open", nil)
	tk := h.issue("A")
	h.act(tok, "1", "call", nil)

	r := h.must(200, "GET", "/api/v1/hall", "", nil)
	if !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Errorf("Content-Type = %q", r.header.Get("Content-Type"))
	}
	m := r.json(t)
	for _, k := range []string{"seq", "hall", "services", "windows", "recent"} {
		if _, ok := m[k]; !ok {
			t.Errorf("hall view lacks %q", k)
		}
	}
	info := m["hall"].(map[string]any)
	if info["id"] != "demo" || info["name"] != "演示政务服务中心" || info["day"] == "" {
		t.Errorf("hall info = %v", info)
	}
	// The hall's first event starts its day; then open, issue and call.
	if m["seq"].(float64) != 4 {
		t.Errorf("seq = %v, want 4", m["seq"])
	}

	var v hallView
	r.into(t, &v)
	var codes []string
	for _, s := range v.Services {
		codes = append(codes, s.Code)
	}
	if strings.Join(codes, ",") != "A,B,C,Q,Z,S,F" {
		t.Errorf("services = %v", codes)
	}
	if len(v.Windows) != 8 {
		t.Fatalf("%d windows, want 8", len(v.Windows))
	}
	w1 := v.Windows[0]
	if w1.ID != "1" || w1.State != "serving" || w1.Current == nil || w1.Current.Number != tk.Number {
		t.Errorf("window 1 = %+v", w1)
	}
	if w1.Clerk == nil || w1.Clerk.Staff != "1001" || w1.Clerk.Name != "王*娟" {
		t.Errorf("window 1 clerk = %+v, want 1001 王*娟", w1.Clerk)
	}
	if v.Windows[1].Clerk != nil || v.Windows[1].State != "closed" {
		t.Errorf("window 2 = %+v, want closed without clerk", v.Windows[1])
	}
	recent := m["recent"].([]any)
	if len(recent) != 1 || recent[0].(map[string]any)["text"] != "请 A001 号到 1 号窗口办理" {
		t.Errorf("recent = %v", recent)
	}
	// A public view never carries a full name.
	for _, name := range []string{"王丽娟", "丽娟"} {
		if strings.Contains(string(r.body), name) {
			t.Errorf("hall view shows %q", name)
		}
	}
	// The window's own view masks the same way.
	wr := h.must(200, "GET", "/api/v1/windows/1", "", nil)
	if strings.Contains(string(wr.body), "王丽娟") || !strings.Contains(string(wr.body), "王*娟") {
		t.Errorf("window view: %s", wr.body)
	}
}

func TestTicketIssueAndGet(t *testing.T) {
	h := startHall(t, "")
	id := idNumber("11010519491231002")
	r := h.must(201, "POST", "/api/v1/tickets", "", map[string]any{"service": "a", "id_number": id, "phone": "13800138000"})
	var tk ticket
	r.into(t, &tk)
	if tk.ID == "" || tk.Number != "A001" || tk.Service != "A" || tk.Status != "waiting" {
		t.Fatalf("issued %+v", tk)
	}
	if strings.Contains(string(r.body), id) || strings.Contains(string(r.body), "13800138000") {
		t.Errorf("the answer repeats the holder's data: %s", r.body)
	}
	var got ticket
	h.must(200, "GET", "/api/v1/tickets/"+tk.ID, "", nil).into(t, &got)
	if got.ID != tk.ID || got.Number != "A001" || got.Status != "waiting" {
		t.Errorf("GET ticket = %+v", got)
	}
	// One waiting ticket per person and service, but another service is fine.
	e := h.must(409, "POST", "/api/v1/tickets", "", map[string]any{"service": "A", "id_number": id}).apiError(t)
	if e.Error.Code != "conflict" || e.Error.Reason != "holder_waits" || e.Error.Args["number"] != "A001" ||
		e.Error.Field != "id_number" || !strings.Contains(e.Error.Message, "A001") {
		t.Errorf("second ticket for the same ID: %+v", e)
	}
	// A priority number is a clerk's (or a guide's) word: signed in.
	var b ticket
	h.must(201, "POST", "/api/v1/tickets", h.login("1001"), map[string]any{"service": "B", "id_number": strings.ToLower(id), "priority": true}).into(t, &b)
	if b.Number != "B001" {
		t.Errorf("B ticket %+v", b)
	}
	second := h.issue("A")
	if second.Number != "A002" || second.Ahead != 1 {
		t.Errorf("second A ticket %+v, want A002 with 1 ahead", second)
	}
	e = h.must(404, "GET", "/api/v1/tickets/nosuch", "", nil).apiError(t)
	if e.Error.Code != "not_found" {
		t.Errorf("unknown ticket: %+v", e)
	}
}

func TestLogin(t *testing.T) {
	h := startHall(t, "")
	r := h.must(200, "POST", "/api/v1/login", "", map[string]string{"staff": "1001", "password": "demo"})
	m := r.json(t)
	if m["token"] == "" || m["staff"] != "1001" || m["role"] != "clerk" || m["name"] != "王丽娟" {
		t.Errorf("login answer %v", m)
	}
	wrong := h.must(401, "POST", "/api/v1/login", "", map[string]string{"staff": "1001", "password": "nope"}).apiError(t)
	unknown := h.must(401, "POST", "/api/v1/login", "", map[string]string{"staff": "9999", "password": "demo"}).apiError(t)
	if wrong.Error.Code != "unauthorized" || !reflect.DeepEqual(wrong, unknown) {
		t.Errorf("wrong password %+v and unknown staff %+v must answer alike", wrong, unknown)
	}
	e := h.must(400, "POST", "/api/v1/login", "", map[string]string{"password": "demo"}).apiError(t)
	if e.Error.Field != "staff" {
		t.Errorf("login without staff: %+v", e)
	}
	// The token works, a forged one does not.
	tok := m["token"].(string)
	h.must(200, "POST", "/api/v1/windows/1/open", tok, nil)
	h.must(401, "POST", "/api/v1/windows/1/close", tok+"x", nil)
	man := h.login("admin")
	// A manager may act at any window.
	h.must(200, "POST", "/api/v1/windows/1/close", man, nil)
}

func TestWindowActions(t *testing.T) {
	h := startHall(t, "")
	tok := h.login("1001")
	a1, a2, a3 := h.issue("A"), h.issue("A"), h.issue("A")

	r := h.act(tok, "1", "open", nil)
	if r.Ticket != nil || r.Window.State != "idle" || r.Window.Clerk.Name != "王*娟" {
		t.Fatalf("open: %+v", r)
	}
	r = h.act(tok, "1", "call", nil)
	if r.Ticket == nil || r.Ticket.ID != a1.ID || r.Ticket.Status != "called" || r.Ticket.Window != "1" ||
		r.Ticket.Text != "请 A001 号到 1 号窗口办理" || r.Window.State != "serving" || r.Window.Current.Number != "A001" {
		t.Fatalf("call: %+v", r)
	}
	r = h.act(tok, "1", "recall", nil)
	if r.Ticket.ID != a1.ID || r.Ticket.Recalls != 1 {
		t.Fatalf("recall: %+v", r.Ticket)
	}
	r = h.act(tok, "1", "skip", nil)
	if r.Ticket.ID != a1.ID || r.Ticket.Status != "no_show" || r.Window.State != "idle" {
		t.Fatalf("skip: %+v", r)
	}
	// The no-show comes back behind those waiting now.
	var rq ticket
	h.must(200, "POST", "/api/v1/tickets/"+a1.ID+"/requeue", tok, nil).into(t, &rq)
	if rq.Status != "waiting" || rq.Ahead != 2 {
		t.Fatalf("requeue: %+v", rq)
	}
	if r = h.act(tok, "1", "call", nil); r.Ticket.ID != a2.ID {
		t.Fatalf("call after requeue: %+v, want %s", r.Ticket, a2.Number)
	}
	// Transfer A002 to service B: it waits there, keeping its number.
	r = h.act(tok, "1", "transfer", map[string]string{"service": "b"})
	if r.Ticket.ID != a2.ID || r.Ticket.Status != "waiting" || r.Ticket.Service != "B" || r.Window.State != "idle" {
		t.Fatalf("transfer to service: %+v", r)
	}
	if r = h.act(tok, "1", "call", nil); r.Ticket.ID != a3.ID {
		t.Fatalf("call: %+v, want %s", r.Ticket, a3.Number)
	}
	// Transfer A003 to window 2 in particular, which is open.
	h.act(h.login("1002"), "2", "open", nil)
	r = h.act(tok, "1", "transfer", map[string]string{"window": "2"})
	if r.Ticket.ID != a3.ID || r.Ticket.Status != "waiting" {
		t.Fatalf("transfer to window: %+v", r)
	}
	var w2 struct {
		window
		Queue []ticket `json:"queue"`
	}
	h.must(200, "GET", "/api/v1/windows/2", tok, nil).into(t, &w2)
	if len(w2.Queue) != 2 || w2.Queue[0].ID != a3.ID {
		t.Fatalf("window 2 line = %+v, want A003 first", w2.Queue)
	}
	r = h.act(tok, "1", "call", nil)
	if r.Ticket.ID != a1.ID {
		t.Fatalf("call: %+v, want the requeued A001", r.Ticket)
	}
	r = h.act(tok, "1", "finish", nil)
	if r.Ticket.ID != a1.ID || r.Ticket.Status != "done" || r.Window.State != "idle" {
		t.Fatalf("finish: %+v", r)
	}
	r = h.act(tok, "1", "pause", map[string]string{"reason": "午休"})
	if r.Window.State != "paused" || r.Window.PauseReason != "午休" {
		t.Fatalf("pause: %+v", r.Window)
	}
	h.must(409, "POST", "/api/v1/windows/1/call", tok, nil)
	if r = h.act(tok, "1", "resume", nil); r.Window.State != "idle" {
		t.Fatalf("resume: %+v", r.Window)
	}
	// Nobody waits for window 1 now: a call answers no ticket.
	if r = h.act(tok, "1", "call", nil); r.Ticket != nil || r.Window.State != "idle" {
		t.Fatalf("call on an empty line: %+v", r)
	}
	if r = h.act(tok, "1", "close", nil); r.Window.State != "closed" || r.Window.Clerk != nil {
		t.Fatalf("close: %+v", r.Window)
	}
	// Cancel: only a waiting ticket, only once.
	var c ticket
	h.must(403, "POST", "/api/v1/tickets/"+a2.ID+"/cancel", "", nil)
	h.must(200, "POST", "/api/v1/tickets/"+a2.ID+"/cancel?k="+a2.Key, "", nil).into(t, &c)
	if c.Status != "cancelled" {
		t.Fatalf("cancel: %+v", c)
	}
	h.must(409, "POST", "/api/v1/tickets/"+a2.ID+"/cancel?k="+a2.Key, "", nil)
	// A003 still waits for window 2, whose clerk has not called.
	v := h.view()
	if v.Services[0].Waiting != 1 || v.Services[1].Waiting != 0 || v.Services[0].Served != 1 {
		t.Errorf("services after the day: %+v", v.Services)
	}
}

// TestBadInputChangesNothing sends each kind of bad request and checks its
// status, code and field, and that the hall is byte for byte as before.
func TestBadInputChangesNothing(t *testing.T) {
	h := startHall(t, "")
	t1, t2 := h.login("1001"), h.login("1002")
	h.act(t1, "1", "open", nil)
	h.act(t2, "3", "open", nil)
	served := h.issue("A")
	h.act(t1, "1", "call", nil) // window 1 serves A001; nobody waits, so the view holds no clock
	done := h.issue("B")
	h.act(t2, "3", "call", nil)
	h.act(t2, "3", "finish", nil)

	long := strings.Repeat("长", 101)
	tests := []struct {
		name         string
		method, path string
		token        string
		body         any
		headers      []string
		status       int
		code, field  string
	}{
		{"unknown service", "POST", "/api/v1/tickets", "", `{"service":"X"}`, nil, 400, "invalid", "service"},
		{"no service", "POST", "/api/v1/tickets", "", `{}`, nil, 400, "invalid", "service"},
		{"empty body", "POST", "/api/v1/tickets", "", nil, nil, 400, "invalid", "service"},
		{"ID check character", "POST", "/api/v1/tickets", "", `{"service":"A","id_number":"110105194912310020"}`, nil, 400, "invalid", "id_number"},
		{"ID too short", "POST", "/api/v1/tickets", "", `{"service":"A","id_number":"11010519491231"}`, nil, 400, "invalid", "id_number"},
		{"ID birth date", "POST", "/api/v1/tickets", "", `{"service":"A","id_number":"` + idNumber("11010519491331002") + `"}`, nil, 400, "invalid", "id_number"},
		{"ID letters", "POST", "/api/v1/tickets", "", `{"service":"A","id_number":"1101051949123100AX"}`, nil, 400, "invalid", "id_number"},
		{"phone too short", "POST", "/api/v1/tickets", "", `{"service":"A","phone":"1380013800"}`, nil, 400, "invalid", "phone"},
		{"phone landline", "POST", "/api/v1/tickets", "", `{"service":"A","phone":"02112345678"}`, nil, 400, "invalid", "phone"},
		{"unknown field", "POST", "/api/v1/tickets", "", `{"service":"A","name":"张三"}`, nil, 400, "invalid", "name"},
		{"service of wrong type", "POST", "/api/v1/tickets", "", `{"service":1}`, nil, 400, "invalid", "service"},
		{"priority of wrong type", "POST", "/api/v1/tickets", "", `{"service":"A","priority":"yes"}`, nil, 400, "invalid", "priority"},
		{"not JSON", "POST", "/api/v1/tickets", "", `service=A`, nil, 400, "invalid", ""},
		{"array body", "POST", "/api/v1/tickets", "", `["A"]`, nil, 400, "invalid", ""},
		{"trailing data", "POST", "/api/v1/tickets", "", `{"service":"A"} {"service":"B"}`, nil, 400, "invalid", ""},
		{"truncated JSON", "POST", "/api/v1/tickets", "", `{"service":"A"`, nil, 400, "invalid", ""},
		{"long idempotency key", "POST", "/api/v1/tickets", "", `{"service":"A"}`, []string{"Idempotency-Key", strings.Repeat("k", 201)}, 400, "invalid", "Idempotency-Key"},
		{"login bad password", "POST", "/api/v1/login", "", `{"staff":"1001","password":"x"}`, nil, 401, "unauthorized", ""},
		{"login unknown field", "POST", "/api/v1/login", "", `{"staff":"1001","password":"demo","window":"1"}`, nil, 400, "invalid", "window"},
		{"no token", "POST", "/api/v1/windows/1/call", "", nil, nil, 401, "unauthorized", ""},
		{"forged token", "POST", "/api/v1/windows/1/call", t1[:len(t1)-2] + "xx", nil, nil, 401, "unauthorized", ""},
		{"token without signature", "POST", "/api/v1/windows/1/call", "MTAwMXxjbGVya3w5OTk5OTk5OTk5", nil, nil, 401, "unauthorized", ""},
		{"other clerk's window", "POST", "/api/v1/windows/1/call", t2, nil, nil, 403, "forbidden", ""},
		{"other clerk closes", "POST", "/api/v1/windows/1/close", t2, nil, nil, 403, "forbidden", ""},
		{"call at closed window", "POST", "/api/v1/windows/5/call", t2, nil, nil, 409, "conflict", ""},
		{"call at unknown window", "POST", "/api/v1/windows/99/call", t1, nil, nil, 404, "not_found", ""},
		{"open a taken window", "POST", "/api/v1/windows/1/open", t2, nil, nil, 409, "conflict", ""},
		{"open a second window", "POST", "/api/v1/windows/2/open", t1, nil, nil, 409, "conflict", ""},
		{"open unknown window", "POST", "/api/v1/windows/99/open", t1, nil, nil, 404, "not_found", ""},
		{"close while serving", "POST", "/api/v1/windows/1/close", t1, nil, nil, 409, "conflict", ""},
		{"pause without reason", "POST", "/api/v1/windows/1/pause", t1, nil, nil, 400, "invalid", "reason"},
		{"pause with blank reason", "POST", "/api/v1/windows/1/pause", t1, `{"reason":"  "}`, nil, 400, "invalid", "reason"},
		{"pause with long reason", "POST", "/api/v1/windows/1/pause", t1, `{"reason":"` + long + `"}`, nil, 400, "invalid", "reason"},
		{"pause reason of wrong type", "POST", "/api/v1/windows/1/pause", t1, `{"reason":5}`, nil, 400, "invalid", "reason"},
		{"pause while serving", "POST", "/api/v1/windows/1/pause", t1, `{"reason":"午休"}`, nil, 409, "conflict", ""},
		{"resume when not paused", "POST", "/api/v1/windows/1/resume", t1, nil, nil, 409, "conflict", ""},
		{"finish when idle", "POST", "/api/v1/windows/3/finish", t2, nil, nil, 409, "conflict", ""},
		{"recall when idle", "POST", "/api/v1/windows/3/recall", t2, nil, nil, 409, "conflict", ""},
		{"skip when idle", "POST", "/api/v1/windows/3/skip", t2, nil, nil, 409, "conflict", ""},
		{"transfer to unknown window", "POST", "/api/v1/windows/1/transfer", t1, `{"window":"99"}`, nil, 400, "invalid", "window"},
		{"transfer to a closed window", "POST", "/api/v1/windows/1/transfer", t1, `{"window":"5"}`, nil, 409, "conflict", ""},
		{"transfer to own window", "POST", "/api/v1/windows/1/transfer", t1, `{"window":"1"}`, nil, 400, "invalid", "window"},
		{"transfer to unknown service", "POST", "/api/v1/windows/1/transfer", t1, `{"service":"X"}`, nil, 400, "invalid", "service"},
		{"transfer to both", "POST", "/api/v1/windows/1/transfer", t1, `{"service":"B","window":"3"}`, nil, 400, "invalid", "service"},
		{"transfer to nowhere", "POST", "/api/v1/windows/1/transfer", t1, `{}`, nil, 400, "invalid", "service"},
		{"transfer unknown field", "POST", "/api/v1/windows/1/transfer", t1, `{"to":"3"}`, nil, 400, "invalid", "to"},
		{"transfer when idle", "POST", "/api/v1/windows/3/transfer", t2, `{"service":"A"}`, nil, 409, "conflict", ""},
		{"requeue without token", "POST", "/api/v1/tickets/" + served.ID + "/requeue", "", nil, nil, 401, "unauthorized", ""},
		{"requeue a called ticket", "POST", "/api/v1/tickets/" + served.ID + "/requeue", t1, nil, nil, 409, "conflict", ""},
		{"requeue unknown ticket", "POST", "/api/v1/tickets/nosuch/requeue", t1, nil, nil, 404, "not_found", ""},
		{"cancel a called ticket", "POST", "/api/v1/tickets/" + served.ID + "/cancel?k=" + served.Key, "", nil, nil, 409, "conflict", ""},
		{"cancel a done ticket", "POST", "/api/v1/tickets/" + done.ID + "/cancel?k=" + done.Key, "", nil, nil, 409, "conflict", ""},
		{"cancel without the holder key", "POST", "/api/v1/tickets/" + served.ID + "/cancel", "", nil, nil, 403, "forbidden", "k"},
		{"cancel with another ticket's key", "POST", "/api/v1/tickets/" + served.ID + "/cancel?k=" + done.Key, "", nil, nil, 403, "forbidden", "k"},
		{"cancel unknown ticket", "POST", "/api/v1/tickets/nosuch/cancel", "", nil, nil, 403, "forbidden", "k"},
		{"unknown ticket", "GET", "/api/v1/tickets/nosuch", "", nil, nil, 404, "not_found", ""},
		{"unknown window view", "GET", "/api/v1/windows/99", "", nil, nil, 404, "not_found", ""},
		{"unknown window action", "POST", "/api/v1/windows/1/explode", t1, nil, nil, 404, "not_found", ""},
		{"unknown API", "GET", "/api/v1/nothing", "", nil, nil, 404, "not_found", ""},
		{"wrong method", "DELETE", "/api/v1/tickets/" + served.ID, "", nil, nil, 400, "invalid", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := h.must(200, "GET", "/api/v1/hall", "", nil).body
			r := h.req(tc.method, tc.path, tc.token, tc.body, tc.headers...)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			e := r.apiError(t)
			if e.Error.Code != tc.code || e.Error.Field != tc.field {
				t.Errorf("error %+v, want code %q field %q", e.Error, tc.code, tc.field)
			}
			if after := h.must(200, "GET", "/api/v1/hall", "", nil).body; string(after) != string(before) {
				t.Errorf("the hall changed: %s", firstDiff(before, after))
			}
		})
	}
	// Wrong password and unknown staff are one answer.
	a := h.req("POST", "/api/v1/login", "", `{"staff":"1001","password":"x"}`)
	b := h.req("POST", "/api/v1/login", "", `{"staff":"nobody","password":"x"}`)
	if string(a.body) != string(b.body) {
		t.Errorf("login answers differ: %s vs %s", a.body, b.body)
	}
}

func TestIdempotencyKey(t *testing.T) {
	h := startHall(t, "")
	tok := h.login("1001")
	h.act(tok, "1", "open", nil)

	first := h.must(201, "POST", "/api/v1/tickets", "", `{"service":"A"}`, "Idempotency-Key", "kiosk-3-0001")
	if first.header.Get("Idempotent-Replayed") != "" {
		t.Errorf("a first answer is marked replayed")
	}
	seq := h.view().Seq
	again := h.must(201, "POST", "/api/v1/tickets", "", `{"service":"A"}`, "Idempotency-Key", "kiosk-3-0001")
	if string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("repeat: %s (replayed %q), first %s", again.body, again.header.Get("Idempotent-Replayed"), first.body)
	}
	if v := h.view(); v.Seq != seq || v.Services[0].Issued != 1 {
		t.Fatalf("a repeat changed the hall: seq %d→%d, issued %d", seq, v.Seq, v.Services[0].Issued)
	}
	// Another key is another ticket.
	var other ticket
	h.must(201, "POST", "/api/v1/tickets", "", `{"service":"A"}`, "Idempotency-Key", "kiosk-3-0002").into(t, &other)
	if other.Number != "A002" {
		t.Fatalf("second key gave %+v", other)
	}
	// A bounced call button: the second press calls nobody new.
	call := h.must(200, "POST", "/api/v1/windows/1/call", tok, nil, "Idempotency-Key", "press-17")
	callAgain := h.must(200, "POST", "/api/v1/windows/1/call", tok, nil, "Idempotency-Key", "press-17")
	if string(call.body) != string(callAgain.body) || callAgain.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("call repeat: %s vs %s", call.body, callAgain.body)
	}
	// The same key on another path is its own request.
	h.must(200, "POST", "/api/v1/windows/1/recall", tok, nil, "Idempotency-Key", "press-17")
	// A failed request is not remembered: after fixing the input, the same
	// key works.
	h.must(400, "POST", "/api/v1/tickets", "", `{"service":"X"}`, "Idempotency-Key", "kiosk-3-0003")
	h.must(201, "POST", "/api/v1/tickets", "", `{"service":"B"}`, "Idempotency-Key", "kiosk-3-0003")

	seq = h.view().Seq
	h = h.restart()
	for _, c := range []struct {
		path, token, body, key string
		want                   reply
	}{
		{"/api/v1/tickets", "", `{"service":"A"}`, "kiosk-3-0001", first},
		{"/api/v1/windows/1/call", tok, "", "press-17", call},
	} {
		r := h.req("POST", c.path, c.token, c.body, "Idempotency-Key", c.key)
		if r.status != c.want.status || string(r.body) != string(c.want.body) || r.header.Get("Idempotent-Replayed") != "true" {
			t.Errorf("after restart %s: %s (replayed %q), want %s", c.path, r, r.header.Get("Idempotent-Replayed"), c.want)
		}
	}
	if v := h.view(); v.Seq != seq || v.Services[0].Issued != 2 {
		t.Fatalf("repeats after a restart changed the hall: seq %d→%d, issued %d", seq, v.Seq, v.Services[0].Issued)
	}
}

// TestConcurrentClerks has eight clerks call at once until every line is
// empty: each ticket must be called exactly once.
func TestConcurrentClerks(t *testing.T) {
	h := startHall(t, "")
	const perService = 30
	services := []string{"A", "B", "C", "Q", "Z"}
	issued := make(chan ticket, perService*len(services))
	errc := make(chan error, 16)
	var issuers, clerks sync.WaitGroup
	for _, s := range services {
		issuers.Add(1)
		go func() {
			defer issuers.Done()
			for range perService {
				r := h.req("POST", "/api/v1/tickets", "", map[string]string{"service": s})
				if r.status != 201 {
					errc <- fmt.Errorf("issue %s: %s", s, r)
					return
				}
				var tk ticket
				if err := json.Unmarshal(r.body, &tk); err != nil {
					errc <- err
					return
				}
				issued <- tk
			}
		}()
	}
	issuers.Wait()
	close(issued)
	select {
	case err := <-errc:
		t.Fatal(err)
	default:
	}
	want := map[string]ticket{}
	for tk := range issued {
		want[tk.ID] = tk
	}

	var mu sync.Mutex
	called := map[string]string{} // ticket id → window
	for i := 1; i <= 8; i++ {
		win := strconv.Itoa(i)
		tok := h.login(strconv.Itoa(1000 + i))
		h.act(tok, win, "open", nil)
		clerks.Add(1)
		go func() {
			defer clerks.Done()
			current := "" // the ticket this clerk's screen shows
			for {
				r := h.req("POST", "/api/v1/windows/"+win+"/call", tok, map[string]string{"current": current})
				if r.status != 200 {
					errc <- fmt.Errorf("call at %s: %s", win, r)
					return
				}
				var out windowReply
				if err := json.Unmarshal(r.body, &out); err != nil {
					errc <- err
					return
				}
				if out.Ticket == nil {
					return
				}
				current = out.Ticket.ID
				mu.Lock()
				if prev, dup := called[out.Ticket.ID]; dup {
					errc <- fmt.Errorf("%s called at window %s and again at %s", out.Ticket.Number, prev, win)
				}
				called[out.Ticket.ID] = win
				mu.Unlock()
			}
		}()
	}
	clerks.Wait()
	select {
	case err := <-errc:
		t.Fatal(err)
	default:
	}
	if len(called) != len(want) {
		t.Errorf("%d tickets called, %d issued", len(called), len(want))
	}
	windows := map[string]bool{}
	for id, win := range called {
		tk, ok := want[id]
		if !ok {
			t.Errorf("called ticket %s was never issued", id)
			continue
		}
		windows[win] = true
		var got ticket
		h.must(200, "GET", "/api/v1/tickets/"+id, "", nil).into(t, &got)
		if got.Status != "done" || got.Window != win {
			t.Errorf("%s: %+v, want done at window %s", tk.Number, got, win)
		}
	}
	if len(windows) != 8 {
		t.Errorf("only windows %v called", windows)
	}
	for _, s := range h.view().Services {
		if !slices.Contains(services, s.Code) {
			continue // a department's 咨询号, answered by its staff, not at a window
		}
		if s.Waiting != 0 || s.Issued != perService || s.Served != perService {
			t.Errorf("service %+v, want %d issued and served, none waiting", s, perService)
		}
	}
}

// firstDiff shows where two bodies part, with a little context.
func firstDiff(a, b []byte) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	from := max(0, i-60)
	return fmt.Sprintf("at byte %d: %q vs %q", i, a[from:min(len(a), i+60)], b[from:min(len(b), i+60)])
}

// TestWindowLED: the LED bar over a window follows the window, in lines
// of the bar's width.
func TestWindowLED(t *testing.T) {
	h := startHall(t, "")
	tok := h.login("1001")
	var led struct {
		Text  string
		Lines []string
	}
	h.must(200, "GET", "/api/v1/windows/1/led", "", nil).into(t, &led)
	if led.Text != "1号窗口 暂停办理" {
		t.Errorf("closed window's LED = %q", led.Text)
	}
	h.act(tok, "1", "open", nil)
	h.issue("A")
	h.act(tok, "1", "call", nil)
	h.must(200, "GET", "/api/v1/windows/1/led?width=16", "", nil).into(t, &led)
	if led.Text != "请 A001 号到 1 号窗口办理" || len(led.Lines) != 2 {
		t.Errorf("serving window's LED = %q %q", led.Text, led.Lines)
	}
	h.must(400, "GET", "/api/v1/windows/1/led?width=two", "", nil)
	h.must(404, "GET", "/api/v1/windows/99/led", "", nil)
}

// TestHallNames: the pages' names in both languages, and the hall file's
// pause reasons for the counter.
func TestHallNames(t *testing.T) {
	h := startHall(t, "")
	var n struct {
		Hall struct {
			Name   string
			NameEN string `json:"name_en"`
		}
		Services []struct {
			ID, Name string
			NameEN   string `json:"name_en"`
		}
		Windows      []struct{ ID string }
		PauseReasons []string `json:"pause_reasons"`
	}
	h.must(200, "GET", "/api/v1/hall/names", "", nil).into(t, &n)
	demo := config.Demo()
	if n.Hall.Name != demo.Hall.Name || len(n.Services) != len(demo.Services) || len(n.Windows) != len(demo.Windows) {
		t.Errorf("names = %+v", n)
	}
	if n.Services[0].NameEN != demo.Services[0].NameEN {
		t.Errorf("service A's English name = %q", n.Services[0].NameEN)
	}
	if !slices.Equal(n.PauseReasons, demo.Queue.Reasons()) || len(n.PauseReasons) == 0 {
		t.Errorf("pause reasons = %q, want the hall file's %q", n.PauseReasons, demo.Queue.Reasons())
	}
}
