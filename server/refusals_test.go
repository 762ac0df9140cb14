package server_test

import (
	"strings"
	"testing"
)

// TestDoubleCallIsRefused: a call says which ticket the clerk's screen shows
// as current. A second tap of 叫号 (or a second terminal) sends the same
// current again after the first call moved on: it is refused as stale and
// changes nothing, so nobody is finished unseen.
func TestDoubleCallIsRefused(t *testing.T) {
	h := startHall(t, "")
	tok := h.login("1001")
	h.act(tok, "1", "open", nil)
	a1, a2, a3 := h.issue("A"), h.issue("A"), h.issue("A")

	// From idle: the first call calls A001, the same tap again is stale.
	r := h.act(tok, "1", "call", map[string]string{"current": ""})
	if r.Ticket == nil || r.Ticket.ID != a1.ID || r.Window.Current == nil || r.Window.Current.ID != a1.ID {
		t.Fatalf("first call: %+v", r)
	}
	seq := h.view().Seq
	e := h.must(409, "POST", "/api/v1/windows/1/call", tok, map[string]string{"current": ""}).apiError(t)
	if e.Error.Code != "conflict" || e.Error.Reason != "stale_current" || e.Error.Args["number"] != "A001" ||
		!strings.Contains(e.Error.Message, "A001") {
		t.Errorf("second call from idle: %+v", e)
	}
	if v := h.view(); v.Seq != seq {
		t.Errorf("a refused call changed the hall: seq %d→%d", seq, v.Seq)
	}
	if got := h.ticket(a1.ID); got.Status != "called" || got.Window != "1" {
		t.Errorf("A001 after the refused call: %+v, want still called at window 1", got)
	}

	// While serving: the call with A001 as current finishes it and calls
	// A002; the same body again is stale and leaves A002 being served.
	r = h.act(tok, "1", "call", map[string]string{"current": a1.ID})
	if r.Ticket == nil || r.Ticket.ID != a2.ID {
		t.Fatalf("call after A001: %+v, want A002", r.Ticket)
	}
	seq = h.view().Seq
	e = h.must(409, "POST", "/api/v1/windows/1/call", tok, map[string]string{"current": a1.ID}).apiError(t)
	if e.Error.Reason != "stale_current" || e.Error.Args["number"] != "A002" || e.Error.Args["window"] != "1" ||
		!strings.Contains(e.Error.Message, "A002") {
		t.Errorf("second call with A001 as current: %+v", e)
	}
	if v := h.view(); v.Seq != seq {
		t.Errorf("a refused call changed the hall: seq %d→%d", seq, v.Seq)
	}
	if got := h.ticket(a2.ID); got.Status != "called" || got.Window != "1" {
		t.Errorf("A002 after the double call: %+v, want still called, not done", got)
	}
	if got := h.ticket(a1.ID); got.Status != "done" {
		t.Errorf("A001: %+v, want done by the first call", got)
	}
	if got := h.ticket(a3.ID); got.Status != "waiting" {
		t.Errorf("A003: %+v, want still waiting", got)
	}
	var w window
	h.must(200, "GET", "/api/v1/windows/1", "", nil).into(t, &w)
	if w.State != "serving" || w.Current == nil || w.Current.ID != a2.ID {
		t.Errorf("window 1 after the double call: %+v, want serving A002", w)
	}

	// A screen that shows a ticket while the window is idle is stale too.
	h.act(tok, "1", "finish", nil)
	seq = h.view().Seq
	e = h.must(409, "POST", "/api/v1/windows/1/call", tok, map[string]string{"current": a2.ID}).apiError(t)
	if e.Error.Reason != "stale_idle" || !strings.Contains(e.Error.Message, "空闲") {
		t.Errorf("call on a stale screen at an idle window: %+v", e)
	}
	if v := h.view(); v.Seq != seq {
		t.Errorf("a refused call changed the hall: seq %d→%d", seq, v.Seq)
	}
	// The screen re-read, the call goes through.
	if r := h.act(tok, "1", "call", map[string]string{"current": ""}); r.Ticket == nil || r.Ticket.ID != a3.ID {
		t.Fatalf("call after re-reading: %+v, want A003", r.Ticket)
	}
}

// TestPriorityNeedsStaff: a priority number (老弱病残孕) is issued on a
// guide's or a clerk's word, not on a checkbox anyone can tick.
func TestPriorityNeedsStaff(t *testing.T) {
	h := startHall(t, "")
	seq := h.view().Seq
	e := h.must(403, "POST", "/api/v1/tickets", "", map[string]any{"service": "A", "priority": true}).apiError(t)
	if e.Error.Code != "forbidden" || e.Error.Reason != "priority_by_staff" || e.Error.Field != "priority" {
		t.Errorf("priority without sign-in: %+v", e)
	}
	if !strings.Contains(e.Error.Message, "优先号") || strings.Contains(e.Error.Message, "priority") {
		t.Errorf("the kiosk shows %q, want the Chinese words", e.Error.Message)
	}
	if v := h.view(); v.Seq != seq || v.Services[0].Issued != 0 {
		t.Errorf("a refused priority number changed the hall: seq %d→%d, issued %d", seq, v.Seq, v.Services[0].Issued)
	}
	// A sign-in that is sent must be good.
	h.must(401, "POST", "/api/v1/tickets", "forged", map[string]any{"service": "A", "priority": true})

	var tk ticket
	h.must(201, "POST", "/api/v1/tickets", h.login("1001"), map[string]any{"service": "A", "priority": true}).into(t, &tk)
	if tk.Number != "A001" || !tk.Priority || tk.Status != "waiting" {
		t.Errorf("priority number from a clerk: %+v", tk)
	}
	// A guide at the door issues them too.
	h.must(201, "POST", "/api/v1/tickets", h.login("2001"), map[string]any{"service": "A", "priority": true}).into(t, &tk)
	if tk.Number != "A002" || !tk.Priority {
		t.Errorf("priority number from a guide: %+v", tk)
	}
	// A normal number needs nobody.
	if n := h.issue("A"); n.Priority || n.Number != "A003" {
		t.Errorf("normal number %+v", n)
	}
}
