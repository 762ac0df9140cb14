package queue

import (
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/calendar"
	"hallfloor/errs"
)

// workCalendar is a typical hall's week: 09:00–12:00 and 13:30–17:30 on
// weekdays, 2025-04-04 (清明) off and Sunday 2025-04-27 worked as a 调休 day.
func workCalendar() *calendar.Calendar {
	week := []calendar.Session{{Start: 9 * 60, End: 12 * 60}, {Start: 13*60 + 30, End: 17*60 + 30}}
	c := &calendar.Calendar{
		Location: shanghai,
		Holidays: map[string]bool{"2025-04-04": true},
		Workdays: map[string]bool{"2025-04-27": true},
		MakeupAs: time.Monday,
	}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Weekly[d] = week
	}
	return c
}

// workSetup is testSetup with the working calendar.
func workSetup() *Setup {
	s := testSetup()
	return NewSetup(Setup{Location: s.Location, PriorityRun: s.PriorityRun, Services: s.Services, Windows: s.Windows,
		Calendar: workCalendar()})
}

func at(day, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", day+" "+clock, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func payloads[T Payload](ps []Payload) []T {
	var out []T
	for _, p := range ps {
		if v, ok := p.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func TestOvertimeStartsAtSessionEndAndEndsWhenTheLineIsEmpty(t *testing.T) {
	h := newHall(t, workSetup())
	h.now = at("2025-03-10", "11:40:00")
	h.open("1", "4")
	for range 3 {
		h.issue("A")
	}
	if n := h.call("1"); n != "A001" {
		t.Fatalf("called %s", n)
	}

	h.now = at("2025-03-10", "11:59:00")
	if out := h.must(Tick{}); len(payloads[OvertimeStarted](out.Events)) != 0 {
		t.Fatalf("overtime before the session ended: %v", eventTypes(out.Events))
	}

	h.now = at("2025-03-10", "12:00:00")
	out := h.must(CheckOvertime{})
	started := payloads[OvertimeStarted](out.Events)
	// Window 1 serves and has two waiting; window 4 (B only) has nobody.
	if len(started) != 1 || started[0].Window != "1" || started[0].Waiting != 2 || started[0].Staff != "s1" ||
		!started[0].SessionEnd.Equal(at("2025-03-10", "12:00:00")) {
		t.Fatalf("started %+v", started)
	}
	if w := h.s.Windows["1"]; !w.Overtime || !w.OvertimeSince.Equal(h.now) {
		t.Fatalf("window 1 %+v", w)
	}
	if out := h.must(CheckOvertime{}); len(out.Events) != 0 {
		t.Fatalf("second check repeated: %v", eventTypes(out.Events))
	}
	// The hall is closed to walk-ins, but those waiting are served.
	h.refuse(IssueTicket{ID: h.nextID(), Service: "A"}, errs.Conflict)

	h.now = at("2025-03-10", "12:06:00")
	out = h.must(CallNext{Window: "1", Actor: clerk("s1")})
	if got := eventTypes(out.Events); !slices.Equal(got, []string{"ticket.finished", "ticket.called", "overtime.served"}) {
		t.Fatalf("events %v", got)
	}
	rec := payloads[OvertimeServed](out.Events)[0].Record
	// A001 began before the session ended: its whole service is registered.
	if rec.ID != "OT1" || rec.Ticket.Number != "A001" || rec.Staff != "s1" ||
		!rec.Start.Equal(at("2025-03-10", "11:40:00")) || !rec.End.Equal(h.now) {
		t.Fatalf("record %+v", rec)
	}
	h.now = at("2025-03-10", "12:12:00")
	h.call("1")
	h.now = at("2025-03-10", "12:20:00")
	out = h.must(CallNext{Window: "1", Actor: clerk("s1")})
	if got := eventTypes(out.Events); !slices.Equal(got, []string{"ticket.finished", "overtime.served", "overtime.ended"}) {
		t.Fatalf("last call: %v", got)
	}
	if e := payloads[OvertimeEnded](out.Events)[0]; e.Window != "1" || e.Reason != OvertimeDone {
		t.Fatalf("ended %+v", e)
	}
	if w := h.s.Windows["1"]; w.Overtime || !w.OvertimeSince.IsZero() {
		t.Fatalf("window 1 still in overtime: %+v", w)
	}
	if len(h.s.OvertimeLog) != 3 {
		t.Fatalf("register %v", h.s.OvertimeLog)
	}
	// Nothing re-lights it: the window is idle with nobody waiting.
	if out := h.must(Tick{}); len(payloads[OvertimeStarted](out.Events)) != 0 {
		t.Fatalf("tick restarted overtime: %v", eventTypes(out.Events))
	}
}

func TestOvertimeEndsOnFinishWhenNobodyWaits(t *testing.T) {
	h := newHall(t, workSetup())
	h.now = at("2025-03-10", "17:20:00")
	h.open("4")
	h.issue("B")
	h.call("4")
	h.now = at("2025-03-10", "17:31:00")
	h.must(Tick{})
	if !h.s.Windows["4"].Overtime {
		t.Fatal("a window still serving at the end is in overtime")
	}
	h.now = at("2025-03-10", "17:45:00")
	out := h.must(Finish{Window: "4", Actor: clerk("s4")})
	if got := eventTypes(out.Events); !slices.Equal(got, []string{"ticket.finished", "overtime.served", "overtime.ended"}) {
		t.Fatalf("finish: %v", got)
	}
}

func TestOvertimeEndsForAnIdleWindowWhenAnotherTakesTheLast(t *testing.T) {
	h := newHall(t, workSetup())
	h.now = at("2025-03-10", "17:00:00")
	h.open("1", "2")
	h.issue("A")
	h.issue("A")
	h.call("1")
	h.call("2")
	h.issue("A")
	h.now = at("2025-03-10", "17:30:00")
	out := h.must(Tick{})
	if len(payloads[OvertimeStarted](out.Events)) != 2 {
		t.Fatalf("started %v", eventTypes(out.Events))
	}
	h.must(Finish{Window: "2", Actor: clerk("s2")})
	if !h.s.Windows["2"].Overtime {
		t.Fatal("window 2 is idle but A003 still waits for it")
	}
	// Window 1 calls A003: window 2 has nobody left and leaves overtime.
	out = h.must(CallNext{Window: "1", Actor: clerk("s1")})
	ended := payloads[OvertimeEnded](out.Events)
	if len(ended) != 1 || ended[0].Window != "2" || h.s.Windows["2"].Overtime || !h.s.Windows["1"].Overtime {
		t.Fatalf("ended %+v, events %v", ended, eventTypes(out.Events))
	}
}

func TestOvertimeEndsWhenTheWindowSignsOffOrASessionStarts(t *testing.T) {
	h := newHall(t, workSetup())
	h.now = at("2025-03-10", "11:50:00")
	h.open("1", "3")
	h.issue("A")
	h.issue("B")
	h.now = at("2025-03-10", "12:00:00")
	h.must(Tick{})
	if !h.s.Windows["1"].Overtime || !h.s.Windows["3"].Overtime {
		t.Fatalf("windows %+v %+v", h.s.Windows["1"], h.s.Windows["3"])
	}
	out := h.must(CloseWindow{Window: "3", Actor: clerk("s3")})
	if e := payloads[OvertimeEnded](out.Events); len(e) != 1 || e[0].Reason != OvertimeClosed {
		t.Fatalf("close: %v", eventTypes(out.Events))
	}
	// The afternoon session begins with A001 still waiting: from now on it
	// is regular work, not overtime.
	h.now = at("2025-03-10", "13:30:00")
	out = h.must(Tick{})
	if e := payloads[OvertimeEnded](out.Events); len(e) != 1 || e[0].Window != "1" || e[0].Reason != OvertimeSession {
		t.Fatalf("session start: %v", eventTypes(out.Events))
	}
}

func TestCheckOvertimeFollowsTheCalendar(t *testing.T) {
	cases := []struct {
		name string
		now  time.Time
		want bool
	}{
		{"in the morning session", at("2025-03-10", "11:59:59"), false},
		{"at the morning's end", at("2025-03-10", "12:00:00"), true},
		{"over lunch", at("2025-03-10", "12:40:00"), true},
		{"in the evening", at("2025-03-10", "19:00:00"), true},
		{"before opening", at("2025-03-11", "08:30:00"), false},
		{"on a Saturday", at("2025-03-15", "18:00:00"), false},
		{"on a holiday", at("2025-04-04", "18:00:00"), false},
		{"after a 调休 Sunday's session", at("2025-04-27", "17:30:00"), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			setup := workSetup()
			s := NewState(setup)
			s.Windows["1"].State, s.Windows["1"].Staff = Idle, "s1"
			s.Tickets["x"] = &Ticket{ID: "x", Number: "A001", Service: "A", Status: Waiting}
			s.Services["A"].Line = []string{"x"}
			got := len(payloads[OvertimeStarted](checkOvertime(s, setup, c.now))) == 1
			if got != c.want {
				t.Fatalf("overtime at %s: %v, want %v", c.now, got, c.want)
			}
		})
	}
}

func TestOvertimeConfirmations(t *testing.T) {
	h := newHall(t, workSetup())
	h.now = at("2025-03-10", "17:25:00")
	h.open("1", "2")
	h.issue("A")
	h.call("1")
	h.now = at("2025-03-10", "17:30:00")
	h.must(Tick{})
	h.now = at("2025-03-10", "17:40:00")
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	if got := h.s.Windows["1"].OvertimeConfirm; got != "OT1" {
		t.Fatalf("evaluator asks to confirm %q", got)
	}

	h.refuse(ConfirmOvertime{Window: "2", By: ByApplicant}, errs.Conflict)
	h.refuse(ConfirmOvertime{Window: "1", By: ByApplicant, Record: "OT9"}, errs.Conflict)
	h.refuse(ConfirmOvertime{Window: "1", By: "passer-by"}, errs.Invalid)
	h.must(ConfirmOvertime{Window: "1", By: ByApplicant})
	h.refuse(ConfirmOvertime{Window: "1", By: ByApplicant}, errs.Conflict)

	h.refuse(ConfirmOvertime{Window: "1", By: ByClerk}, errs.Unauthorized)
	h.refuse(ConfirmOvertime{Window: "1", By: ByClerk, Actor: clerk("s2")}, errs.Forbidden)
	h.refuse(ConfirmOvertime{Window: "1", By: ByClerk, Actor: clerk("s1"), Record: "OT7"}, errs.NotFound)
	out := h.must(ConfirmOvertime{Window: "1", By: ByClerk, Actor: clerk("s1")})
	if c := payloads[OvertimeConfirmed](out.Events); len(c) != 1 || c[0].ID != "OT1" || c[0].Staff != "s1" {
		t.Fatalf("confirmed %+v", c)
	}
	h.refuse(ConfirmOvertime{Window: "1", By: ByClerk, Actor: clerk("s1")}, errs.Conflict)
	r := h.s.OvertimeLog["OT1"]
	if r.ClerkConfirmed.IsZero() || r.ApplicantConfirmed.IsZero() {
		t.Fatalf("record %+v", r)
	}
}

func TestWalkInsAreRefusedWhileTheHallIsClosed(t *testing.T) {
	cases := []struct {
		name string
		now  time.Time
		next string // "" when issuing is allowed
	}{
		{"in a session", at("2025-03-10", "10:00:00"), ""},
		{"in the last minute", at("2025-03-10", "17:29:59"), ""},
		{"after closing", at("2025-03-10", "17:30:00"), "2025-03-11 09:00"},
		{"before opening", at("2025-03-11", "08:15:00"), "2025-03-11 09:00"},
		{"over lunch", at("2025-03-11", "12:30:00"), "2025-03-11 13:30"},
		{"on Friday evening", at("2025-03-14", "18:00:00"), "2025-03-17 09:00"},
		{"before a holiday", at("2025-04-03", "18:00:00"), "2025-04-07 09:00"},
		{"on a Saturday before a 调休 Sunday", at("2025-04-26", "10:00:00"), "2025-04-27 09:00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newHall(t, workSetup())
			h.now = c.now
			if c.next == "" {
				h.issue("A")
				return
			}
			e := h.refuse(IssueTicket{ID: h.nextID(), Service: "A"}, errs.Conflict)
			if !strings.Contains(e.Message, "closed") || !strings.Contains(e.Message, c.next) {
				t.Fatalf("message %q does not name the next opening %s", e.Message, c.next)
			}
		})
	}
	// A hall without a calendar (the demo) never closes.
	h := newHall(t, testSetup())
	h.now = at("2025-03-16", "03:00:00")
	h.issue("A")
}

func TestHandoverReminderOncePerSession(t *testing.T) {
	h := newHall(t, workSetup())
	h.now = at("2025-03-10", "09:00:00")
	h.open("1", "5") // 1 takes 收件 (A), 5 only 咨询 (Z)
	h.now = at("2025-03-10", "11:29:00")
	if out := h.must(RemindHandover{}); len(out.Events) != 0 {
		t.Fatalf("too early: %v", eventTypes(out.Events))
	}
	h.now = at("2025-03-10", "11:30:00")
	out := h.must(Tick{})
	r := payloads[HandoverReminded](out.Events)
	if len(r) != 1 || !slices.Equal(r[0].Windows, []string{"1"}) || !r[0].SessionEnd.Equal(at("2025-03-10", "12:00:00")) {
		t.Fatalf("reminder %+v", r)
	}
	h.now = at("2025-03-10", "11:45:00")
	if out := h.must(RemindHandover{}); len(out.Events) != 0 {
		t.Fatalf("reminded twice: %v", eventTypes(out.Events))
	}
	h.now = at("2025-03-10", "17:05:00")
	if out := h.must(RemindHandover{}); len(payloads[HandoverReminded](out.Events)) != 1 {
		t.Fatalf("afternoon: %v", eventTypes(out.Events))
	}
}
