package hall

import (
	"slices"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/room"
)

func TestOvertimeStartsAtSessionEndAndEndsWhenTheLineIsEmpty(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "11:40:00")
	f.open("1", "4")
	for range 3 {
		f.issue("A")
	}
	if n := f.call("1"); n != "A001" {
		t.Fatalf("called %s", n)
	}

	f.now = at("2025-03-10", "11:59:00")
	if out := f.must(Tick{}); len(payloads[overtime.Started](out.Events)) != 0 {
		t.Fatalf("overtime before the session ended: %v", types(out.Events))
	}

	f.now = at("2025-03-10", "12:00:00")
	out := f.must(overtime.Check{})
	started := payloads[overtime.Started](out.Events)
	// Window 1 serves and has two waiting; window 4 (B only) has nobody.
	if len(started) != 1 || len(out.Events) != 1 || started[0].Window != "1" || started[0].Waiting != 2 || started[0].Staff != "s1" ||
		!started[0].SessionEnd.Equal(at("2025-03-10", "12:00:00")) {
		t.Fatalf("started %+v", out.Events)
	}
	if w := f.s.Overtime.Windows["1"]; !f.s.Overtime.In("1") || !w.Since.Equal(f.now) || f.s.Overtime.In("4") {
		t.Fatalf("overtime %+v", f.s.Overtime.Windows)
	}
	if out := f.must(overtime.Check{}); len(out.Events) != 0 {
		t.Fatalf("second check repeated: %v", types(out.Events))
	}
	// The hall is closed to walk-ins, but those waiting are served.
	f.refuse(queue.IssueTicket{Service: "A"}, errs.Conflict, "hall_closed_until")

	f.now = at("2025-03-10", "12:06:00")
	got := f.applied(f.next("1"))
	if !slices.Equal(types(got), []string{"ticket.finished", "ticket.called", "rating.prompted", "overtime.served"}) {
		t.Fatalf("events %v", types(got))
	}
	rec := payloads[overtime.Served](got)[0].Record
	// A001 began before the session ended: its whole service is registered.
	if rec.ID != "OT1" || rec.Window != "1" || rec.Ticket.Number != "A001" || rec.Staff != "s1" ||
		!rec.Start.Equal(at("2025-03-10", "11:40:00")) || !rec.End.Equal(f.now) {
		t.Fatalf("record %+v", rec)
	}
	f.now = at("2025-03-10", "12:12:00")
	f.call("1")
	f.now = at("2025-03-10", "12:20:00")
	got = f.applied(f.next("1"))
	if !slices.Equal(types(got), []string{"ticket.finished", "rating.prompted", "overtime.served", "overtime.ended"}) {
		t.Fatalf("last call: %v", types(got))
	}
	if e := payloads[overtime.Ended](got)[0]; e.Window != "1" || e.Reason != overtime.EndDone || e.Staff != "s1" {
		t.Fatalf("ended %+v", e)
	}
	if f.s.Overtime.In("1") || len(f.s.Overtime.Windows) != 0 {
		t.Fatalf("window 1 still in overtime: %+v", f.s.Overtime.Windows)
	}
	if len(f.s.Overtime.Log) != 3 || f.s.Overtime.Confirm["1"] != "OT3" {
		t.Fatalf("register %v, confirm %v", f.s.Overtime.Log, f.s.Overtime.Confirm)
	}
	// Nothing re-lights it: the window is idle with nobody waiting.
	if out := f.must(Tick{}); len(payloads[overtime.Started](out.Events)) != 0 {
		t.Fatalf("tick restarted overtime: %v", types(out.Events))
	}
}

func TestOvertimeEndsOnFinishWhenNobodyWaits(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "17:20:00")
	f.open("4")
	f.issue("B")
	f.call("4")
	f.now = at("2025-03-10", "17:31:00")
	f.must(Tick{})
	if !f.s.Overtime.In("4") {
		t.Fatal("a window still serving at the end is in overtime")
	}
	f.now = at("2025-03-10", "17:45:00")
	got := f.applied(queue.Finish{Window: "4", Actor: clerk("4")})
	if !slices.Equal(types(got), []string{"ticket.finished", "rating.prompted", "overtime.served", "overtime.ended"}) {
		t.Fatalf("finish: %v", types(got))
	}
	if f.s.Overtime.In("4") {
		t.Fatal("window 4 still in overtime")
	}
}

func TestOvertimeEndsForAnIdleWindowWhenAnotherTakesTheLast(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "17:00:00")
	f.open("1", "2")
	f.issue("A")
	f.issue("A")
	f.call("1")
	f.call("2")
	f.issue("A")
	f.now = at("2025-03-10", "17:30:00")
	out := f.must(Tick{})
	if len(payloads[overtime.Started](out.Events)) != 2 {
		t.Fatalf("started %v", types(out.Events))
	}
	got := f.applied(queue.Finish{Window: "2", Actor: clerk("2")})
	if !f.s.Overtime.In("2") || len(payloads[overtime.Ended](got)) != 0 {
		t.Fatalf("window 2 is idle but A003 still waits for it: %v", types(got))
	}
	// Window 1 calls A003: window 2 has nobody left and leaves overtime.
	got = f.applied(f.next("1"))
	ended := payloads[overtime.Ended](got)
	if len(ended) != 1 || ended[0].Window != "2" || ended[0].Reason != overtime.EndDone || ended[0].Staff != "s2" ||
		f.s.Overtime.In("2") || !f.s.Overtime.In("1") {
		t.Fatalf("ended %+v, events %v", ended, types(got))
	}
}

func TestOvertimeEndsWhenTheWindowSignsOffOrASessionStarts(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "11:50:00")
	f.open("1", "3")
	f.issue("A")
	f.issue("B")
	f.now = at("2025-03-10", "12:00:00")
	f.must(Tick{})
	if !f.s.Overtime.In("1") || !f.s.Overtime.In("3") {
		t.Fatalf("overtime %+v", f.s.Overtime.Windows)
	}
	got := f.applied(queue.CloseWindow{Window: "3", Actor: clerk("3")})
	if e := payloads[overtime.Ended](got); len(e) != 1 || e[0].Window != "3" || e[0].Reason != overtime.EndClosed {
		t.Fatalf("close: %v", types(got))
	}
	// The afternoon session begins with A001 still waiting: from now on it
	// is regular work, not overtime.
	f.now = at("2025-03-10", "13:30:00")
	out := f.must(Tick{})
	if e := payloads[overtime.Ended](out.Events); len(e) != 1 || e[0].Window != "1" || e[0].Reason != overtime.EndSession || e[0].Staff != "s1" {
		t.Fatalf("session start: %v", types(out.Events))
	}
	if len(f.s.Overtime.Windows) != 0 {
		t.Fatalf("overtime %+v", f.s.Overtime.Windows)
	}
}

func TestOvertimeConfirmations(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "17:25:00")
	f.open("1", "2")
	f.issue("A")
	f.call("1")
	f.now = at("2025-03-10", "17:30:00")
	f.must(Tick{})
	f.now = at("2025-03-10", "17:40:00")
	f.must(queue.Finish{Window: "1", Actor: clerk("1")})
	if got := f.s.Overtime.Confirm["1"]; got != "OT1" {
		t.Fatalf("evaluator asks to confirm %q", got)
	}

	f.refuse(overtime.Confirm{Window: "9", By: overtime.ByApplicant}, errs.NotFound, "no_window")
	f.refuse(overtime.Confirm{Window: "2", By: overtime.ByApplicant}, errs.Conflict, "overtime_nothing_to_confirm")
	f.refuse(overtime.Confirm{Window: "1", By: overtime.ByApplicant, Record: "OT9"}, errs.Conflict, "overtime_nothing_to_confirm")
	if e := f.refuse(overtime.Confirm{Window: "1", By: "passer-by"}, errs.Invalid, "overtime_confirm_by"); e.Field != "by" {
		t.Fatalf("field %q", e.Field)
	}
	f.must(overtime.Confirm{Window: "1", By: overtime.ByApplicant})
	if _, asked := f.s.Overtime.Confirm["1"]; asked {
		t.Fatal("the evaluator still asks after the applicant confirmed")
	}
	f.refuse(overtime.Confirm{Window: "1", By: overtime.ByApplicant}, errs.Conflict, "overtime_nothing_to_confirm")

	f.refuse(overtime.Confirm{Window: "1", By: overtime.ByClerk}, errs.Unauthorized, "sign_in_required")
	f.refuse(overtime.Confirm{Window: "1", By: overtime.ByClerk, Actor: clerk("2")}, errs.Forbidden, "overtime_not_yours")
	f.refuse(overtime.Confirm{Window: "1", By: overtime.ByClerk, Actor: clerk("1"), Record: "OT7"}, errs.NotFound, "no_overtime_record")
	f.refuse(overtime.Confirm{Window: "2", By: overtime.ByClerk, Actor: clerk("1"), Record: "OT1"}, errs.NotFound, "no_overtime_record")
	out := f.must(overtime.Confirm{Window: "1", By: overtime.ByClerk, Actor: clerk("1")})
	if c := payloads[overtime.Confirmed](out.Events); len(c) != 1 || c[0].ID != "OT1" || c[0].Staff != "s1" || c[0].By != overtime.ByClerk {
		t.Fatalf("confirmed %+v", c)
	}
	f.refuse(overtime.Confirm{Window: "1", By: overtime.ByClerk, Actor: clerk("1")}, errs.Conflict, "overtime_nothing_to_confirm")
	f.refuse(overtime.Confirm{Window: "1", By: overtime.ByClerk, Actor: manager, Record: "OT1"}, errs.Conflict, "overtime_confirmed_already")
	r := f.s.Overtime.Log["OT1"]
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
			f := newFloor(t)
			f.now = c.now
			if c.next == "" {
				f.issue("A")
				return
			}
			// A priority number on a guide's word is no exception.
			for _, cmd := range []queue.IssueTicket{{Service: "A"}, {Service: "A", Priority: true, Actor: guide}} {
				e := f.refuse(cmd, errs.Conflict, "hall_closed_until")
				if e.Args["at"] != c.next {
					t.Fatalf("refusal %v does not name the next opening %s", e, c.next)
				}
			}
		})
	}
	// A hall without a calendar (the demo) never closes.
	f := newFloorWith(t, openSetup())
	f.now = at("2025-03-16", "03:00:00")
	f.issue("A")
}

func TestHandoverReminderOncePerSession(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "09:00:00")
	f.open("1", "5") // 1 takes 收件 (A), 5 only 咨询 (Z)
	f.now = at("2025-03-10", "11:29:00")
	if out := f.must(overtime.RemindHandover{}); len(out.Events) != 0 {
		t.Fatalf("too early: %v", types(out.Events))
	}
	if Due(f.s, f.setup, f.now) {
		t.Fatal("due too early")
	}
	f.now = at("2025-03-10", "11:30:00")
	out := f.must(Tick{})
	r := payloads[overtime.HandoverReminded](out.Events)
	if len(r) != 1 || !slices.Equal(r[0].Windows, []string{"1"}) || !r[0].SessionEnd.Equal(at("2025-03-10", "12:00:00")) {
		t.Fatalf("reminder %+v", r)
	}
	f.now = at("2025-03-10", "11:45:00")
	if out := f.must(overtime.RemindHandover{}); len(out.Events) != 0 {
		t.Fatalf("reminded twice: %v", types(out.Events))
	}
	f.now = at("2025-03-10", "17:05:00")
	if out := f.must(overtime.RemindHandover{}); len(payloads[overtime.HandoverReminded](out.Events)) != 1 {
		t.Fatalf("afternoon: %v", types(out.Events))
	}
	// The demo hall never ends a session, so it never reminds.
	d := newFloorWith(t, openSetup())
	d.open("1")
	d.now = at("2025-03-10", "23:45:00")
	if out := d.must(overtime.RemindHandover{}); len(out.Events) != 0 {
		t.Fatalf("always-open hall reminded: %v", types(out.Events))
	}
}

// A window in overtime whose line a "next" empties, finishing the last
// service and calling nobody, leaves overtime in that very command: the
// queue decides only the finish, and the hall's reaction, reading the state
// the finish led to, registers the service and ends the overtime.
func TestOvertimeEndsInTheCommandThatEmptiesTheLine(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "17:20:00")
	f.open("1")
	last := f.issue("A")
	f.call("1")
	f.now = at("2025-03-10", "17:30:00")
	f.must(Tick{})
	if !f.s.Overtime.In("1") {
		t.Fatal("window 1 serves at the session's end but is not in overtime")
	}
	f.now = at("2025-03-10", "17:38:00")
	seq := f.s.Seq
	out := f.must(f.next("1"))
	if got := types(out.Events); !slices.Equal(got, []string{"ticket.finished"}) || out.Ticket != "" {
		t.Fatalf("the queue decided %v, calling %q", got, out.Ticket)
	}
	got := make([]room.Payload, 0, len(f.last))
	for i, e := range f.last {
		if e.Seq != seq+uint64(i)+1 || !e.At.Equal(f.now) {
			t.Fatalf("event %d: seq %d at %s", i, e.Seq, e.At)
		}
		got = append(got, e.Data)
	}
	if !slices.Equal(types(got), []string{"ticket.finished", "rating.prompted", "overtime.served", "overtime.ended"}) {
		t.Fatalf("applied %v", types(got))
	}
	if rec := payloads[overtime.Served](got)[0].Record; rec.Ticket.ID != last.ID || !rec.Start.Equal(at("2025-03-10", "17:20:00")) || !rec.End.Equal(f.now) {
		t.Fatalf("record %+v", rec)
	}
	if e := payloads[overtime.Ended](got)[0]; e.Window != "1" || e.Reason != overtime.EndDone || e.Staff != "s1" {
		t.Fatalf("ended %+v", e)
	}
	if f.s.Overtime.In("1") || f.s.Queue.Windows["1"].State != queue.Idle {
		t.Fatalf("after the last service: overtime %+v, window %+v", f.s.Overtime.Windows, f.s.Queue.Windows["1"])
	}
	// Nothing was left for a Tick to do.
	if Due(f.s, f.setup, f.now.Add(time.Second)) {
		t.Fatal("the overtime was left for the ticker to end")
	}
}

// Signing off a window in overtime ends its overtime in the same command,
// as closed, naming the clerk who was signed on there, whoever closes it.
func TestCloseWindowInOvertimeEndsItNamingTheClerk(t *testing.T) {
	for _, by := range []room.Actor{clerk("3"), manager} {
		t.Run(by.Staff, func(t *testing.T) {
			f := newFloor(t)
			f.now = at("2025-03-10", "11:50:00")
			f.open("3", "4")
			f.issue("B") // waits for 3 and 4: window 3 may leave
			f.now = at("2025-03-10", "12:00:00")
			f.must(Tick{})
			if !f.s.Overtime.In("3") || !f.s.Overtime.In("4") {
				t.Fatalf("overtime %+v", f.s.Overtime.Windows)
			}
			got := f.applied(queue.CloseWindow{Window: "3", Actor: by})
			if !slices.Equal(types(got), []string{"window.closed", "overtime.ended"}) {
				t.Fatalf("close: %v", types(got))
			}
			if e := got[1].(overtime.Ended); e.Window != "3" || e.Reason != overtime.EndClosed || e.Staff != "s3" {
				t.Fatalf("ended %+v", e)
			}
			if f.s.Overtime.In("3") || !f.s.Overtime.In("4") {
				t.Fatalf("overtime %+v", f.s.Overtime.Windows)
			}
		})
	}
}
