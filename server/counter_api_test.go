package server_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"hallfloor/hall"
)

// 过号 taken back within the time the hall allows, and past it the no-show
// requeued by the number on the citizen's slip.
func TestUndoSkipAndRequeueByNumberAPI(t *testing.T) {
	h := startDayHall(t, dayAt("2025-03-14 10:00:00"))
	clerk, other := h.login("1001"), h.login("1002")
	h.must(200, "POST", "/api/v1/windows/1/open", clerk, nil)
	a1, _ := h.issue("A")
	h.issue("A")
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, nil)
	var skip struct {
		UndoSkip *struct {
			Ticket struct{ ID, Number string }
			Until  time.Time
		} `json:"undo_skip"`
	}
	h.must(200, "POST", "/api/v1/windows/1/skip", clerk, nil).into(t, &skip)
	if skip.UndoSkip == nil || skip.UndoSkip.Ticket.ID != a1 || !skip.UndoSkip.Until.Equal(dayAt("2025-03-14 10:00:10")) {
		t.Fatalf("the skip's answer offers %+v", skip.UndoSkip)
	}
	if _, off := skip.UndoSkip.Until.Zone(); off != 8*3600 {
		t.Errorf("undo until %v, not in the hall's zone", skip.UndoSkip.Until)
	}
	h.must(200, "GET", "/api/v1/windows/1", "", nil).into(t, &skip)
	if skip.UndoSkip == nil {
		t.Fatal("the window does not offer the undo")
	}
	h.must(401, "POST", "/api/v1/windows/1/undo-skip", "", map[string]string{"ticket": a1})
	h.must(403, "POST", "/api/v1/windows/1/undo-skip", other, map[string]string{"ticket": a1})
	h.set("2025-03-14 10:00:09")
	var undone windowReply
	h.must(200, "POST", "/api/v1/windows/1/undo-skip", clerk, map[string]string{"ticket": a1}).into(t, &undone)
	if undone.Ticket == nil || undone.Ticket.ID != a1 || undone.Ticket.Status != "called" || undone.Window.Current == nil || undone.Window.Current.ID != a1 {
		t.Fatalf("after the undo: %+v", undone)
	}

	// Skipped again, and the ten seconds pass.
	h.must(200, "POST", "/api/v1/windows/1/skip", clerk, nil)
	h.set("2025-03-14 10:00:19")
	e := h.must(409, "POST", "/api/v1/windows/1/undo-skip", clerk, map[string]string{"ticket": a1}).apiError(t)
	if e.Error.Reason != "undo_skip_expired" || !strings.Contains(e.Error.Message, "A001 号过号已超过 10 秒") {
		t.Fatalf("undo past the limit: %+v", e.Error)
	}
	h.must(200, "GET", "/api/v1/windows/1", "", nil).into(t, &skip)
	if skip.UndoSkip != nil {
		t.Fatalf("the window still offers the undo: %+v", skip.UndoSkip)
	}

	// Requeue by number.
	h.must(401, "POST", "/api/v1/tickets/requeue", "", map[string]string{"number": "A001"})
	if e := h.must(404, "POST", "/api/v1/tickets/requeue", clerk, map[string]string{"number": "A099"}).apiError(t); e.Error.Reason != "requeue_no_number" || e.Error.Message != "今日没有 A099 号" || e.Error.Field != "number" {
		t.Fatalf("an unknown number: %+v", e.Error)
	}
	if e := h.must(409, "POST", "/api/v1/tickets/requeue", clerk, map[string]string{"number": "A002"}).apiError(t); e.Error.Reason != "requeue_not_no_show" {
		t.Fatalf("a waiting number: %+v", e.Error)
	}
	h.must(400, "POST", "/api/v1/tickets/requeue", clerk, map[string]string{})
	h.must(400, "POST", "/api/v1/tickets/requeue", clerk, map[string]any{"number": 1})
	var tk ticket
	h.must(200, "POST", "/api/v1/tickets/requeue", clerk, map[string]string{"number": "a001"}).into(t, &tk)
	if tk.ID != a1 || tk.Status != "waiting" || tk.Ahead != 1 {
		t.Fatalf("requeued %+v, want A001 waiting behind A002", tk)
	}
}

// A manager closes and opens windows and forces a clerk off; a clerk and
// a stranger cannot.
func TestManagerWindowActionsAPI(t *testing.T) {
	h := startDayHall(t, dayAt("2025-03-14 10:00:00"))
	clerk, admin := h.login("1001"), h.login("admin")
	h.must(200, "POST", "/api/v1/windows/1/open", clerk, nil)
	a1, _ := h.issue("A")
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, nil)

	h.must(401, "POST", "/api/v1/windows/1/force-signoff", "", nil)
	if e := h.must(403, "POST", "/api/v1/windows/1/force-signoff", clerk, nil).apiError(t); e.Error.Reason != "manager_only" {
		t.Fatalf("a clerk forcing: %+v", e.Error)
	}
	// Closing as the clerk would is refused while serving, in words.
	if e := h.must(409, "POST", "/api/v1/windows/1/close", admin, nil).apiError(t); e.Error.Reason != "close_while_serving" {
		t.Fatalf("close while serving: %+v", e.Error)
	}
	var forced windowReply
	h.must(200, "POST", "/api/v1/windows/1/force-signoff", admin, nil).into(t, &forced)
	if forced.Window.State != "closed" || forced.Window.Clerk != nil {
		t.Fatalf("after the forced sign-off: %+v", forced.Window)
	}
	if tk := h.getTicket(a1); tk.Status != "waiting" || tk.Ahead != 0 {
		t.Fatalf("the citizen being served: %+v, want first in line", tk)
	}
	if e := h.must(409, "POST", "/api/v1/windows/1/call", clerk, nil).apiError(t); e.Error.Reason != "window_closed" {
		t.Fatalf("the clerk after being forced off: %+v", e.Error)
	}

	// Signing someone else on is a manager's.
	if e := h.must(403, "POST", "/api/v1/windows/2/open", clerk, map[string]string{"staff": "1002"}).apiError(t); e.Error.Reason != "manager_only" {
		t.Fatalf("a clerk signing another on: %+v", e.Error)
	}
	h.must(401, "POST", "/api/v1/windows/2/open", "", map[string]string{"staff": "1002"})
	if e := h.must(400, "POST", "/api/v1/windows/2/open", admin, map[string]string{"staff": "9999"}).apiError(t); e.Error.Reason != "no_staff" || e.Error.Field != "staff" {
		t.Fatalf("an unknown staff number: %+v", e.Error)
	}
	if e := h.must(403, "POST", "/api/v1/windows/2/open", admin, map[string]string{"staff": "2001"}).apiError(t); e.Error.Reason != "guide_no_window" {
		t.Fatalf("a guide signed on: %+v", e.Error)
	}
	var opened windowReply
	h.must(200, "POST", "/api/v1/windows/2/open", admin, map[string]string{"staff": "1002"}).into(t, &opened)
	if opened.Window.State != "idle" || opened.Window.Clerk == nil || opened.Window.Clerk.Staff != "1002" {
		t.Fatalf("window 2 opened for 1002: %+v", opened.Window)
	}
	h.must(200, "POST", "/api/v1/windows/2/close", admin, nil)
}

func (h *dayHall) getTicket(id string) ticket {
	h.t.Helper()
	var tk ticket
	h.must(200, "GET", "/api/v1/tickets/"+id, "", nil).into(h.t, &tk)
	return tk
}

// The applicant's phone on a 差评's follow-up is for the manager's call-back
// alone, today and after the day's tickets have left the live state.
func TestFollowUpPhoneIsTheManagersAlone(t *testing.T) {
	const phone = "13912345678"
	h := startDayHall(t, dayAt("2025-03-14 10:00:00"))
	clerk, admin := h.login("1001"), h.login("admin")
	h.must(200, "POST", "/api/v1/windows/1/open", clerk, nil)
	var tk ticket
	h.must(201, "POST", "/api/v1/tickets", "", map[string]string{"service": "A", "phone": phone}).into(t, &tk)
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, nil)
	h.must(200, "POST", "/api/v1/windows/1/finish", clerk, nil)
	h.must(201, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 1, "reason": "态度差"})

	var c struct{ FollowUp, Number, Phone string }
	h.must(401, "GET", "/api/v1/followups/FU1/phone", "", nil)
	h.must(403, "GET", "/api/v1/followups/FU1/phone", clerk, nil)
	h.must(404, "GET", "/api/v1/followups/FU9/phone", admin, nil)
	h.must(200, "GET", "/api/v1/followups/FU1/phone", admin, nil).into(t, &c)
	if c.FollowUp != "FU1" || c.Number != "A001" || c.Phone != phone {
		t.Fatalf("contact %+v", c)
	}
	// Nowhere else: not in the list, the statistics, the hall, the ticket.
	for _, p := range []struct{ path, token string }{
		{"/api/v1/followups?status=all", admin},
		{"/api/v1/stats/ratings?by=clerk", admin},
		{"/api/v1/hall", ""},
		{"/api/v1/windows/1", clerk},
		{"/api/v1/tickets/" + tk.ID, ""},
		{"/api/v1/tickets/" + tk.ID + "/rating", ""},
	} {
		if body := h.must(200, "GET", p.path, p.token, nil).body; strings.Contains(string(body), phone) {
			t.Errorf("%s shows the phone: %s", p.path, body)
		}
	}
	// Monday: the ticket has left the live state; the journal has it.
	h.set("2025-03-17 09:00:00")
	h.send(hall.Tick{})
	c.Phone = ""
	h.must(200, "GET", "/api/v1/followups/FU1/phone", h.login("admin"), nil).into(t, &c)
	if c.Phone != phone {
		t.Fatalf("contact after the day: %+v", c)
	}
}

// The counter's transfer list marks the windows the hall would refuse.
func TestTransferListMarksClosedWindows(t *testing.T) {
	h := startDayHall(t, dayAt("2025-03-14 10:00:00"))
	h.must(200, "POST", "/api/v1/windows/1/open", h.login("1001"), nil)
	h.must(200, "POST", "/api/v1/windows/3/open", h.login("1003"), nil)
	var w struct {
		TransferTo []struct {
			Window    string `json:"window"`
			State     string `json:"state"`
			Available bool   `json:"available"`
			Note      *struct{ ZH, EN string }
		} `json:"transfer_to"`
	}
	h.must(200, "GET", "/api/v1/windows/1", "", nil).into(t, &w)
	if len(w.TransferTo) != 7 {
		t.Fatalf("targets %+v", w.TransferTo)
	}
	for _, tt := range w.TransferTo {
		switch {
		case tt.Window == "1":
			t.Error("the window itself is offered")
		case tt.Window == "3" && (!tt.Available || tt.Note != nil):
			t.Errorf("open window 3: %+v", tt)
		case tt.Window != "3" && (tt.Available || tt.State != "closed" || tt.Note == nil || !strings.Contains(tt.Note.ZH, "未开放")):
			t.Errorf("closed window %s: %+v", tt.Window, tt)
		}
	}
}

// The dashboard's 平均用时 per service is the mean of today's services, the
// same figure as the windows' and the daily report's.
func TestServiceAverageIsTheMean(t *testing.T) {
	h := startDayHall(t, dayAt("2025-03-14 10:00:00"))
	clerk, admin := h.login("1001"), h.login("admin")
	h.must(200, "POST", "/api/v1/windows/1/open", clerk, nil)
	a1, _ := h.issue("A")
	h.issue("A")
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, map[string]string{})
	h.set("2025-03-14 10:00:01")
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, map[string]string{"current": a1})
	h.set("2025-03-14 10:00:04")
	h.must(200, "POST", "/api/v1/windows/1/finish", clerk, nil)
	var v struct {
		Services []struct {
			Code        string `json:"code"`
			AvgServiceS int    `json:"avg_service_s"`
		} `json:"services"`
		Windows []struct {
			ID          string `json:"id"`
			AvgServiceS int    `json:"avg_service_s"`
		} `json:"windows"`
	}
	h.must(200, "GET", "/api/v1/hall", "", nil).into(t, &v)
	var rep struct {
		Services []struct {
			Code    string
			Service struct {
				AvgS float64 `json:"avg_s"`
			}
		}
	}
	h.must(200, "GET", "/api/v1/reports/daily?date=2025-03-14", admin, nil).into(t, &rep)
	if v.Services[0].Code != "A" || v.Services[0].AvgServiceS != 2 || v.Windows[0].AvgServiceS != 2 || rep.Services[0].Service.AvgS != 2 {
		t.Fatalf("A's average: dashboard %+v, window %+v, report %+v; want 2 s each", v.Services[0], v.Windows[0], rep.Services[0])
	}
}

// rfc3339 finds every time in a JSON body.
var rfc3339 = regexp.MustCompile(`"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d))"`)
