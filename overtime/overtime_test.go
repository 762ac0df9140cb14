package overtime

import (
	"slices"
	"testing"
	"time"

	"hallfloor/calendar/calendartest"
	"hallfloor/queue"
	"hallfloor/room"
)

var shanghai = calendartest.Shanghai

// workCalendar is a typical hall's week (calendartest.WorkWeek).
var workCalendar = calendartest.WorkWeek

func at(day, clock string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", day+" "+clock, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// waitingQueue is a queue with window 1 (A) signed on and idle, and A001
// waiting for it.
func waitingQueue() (*queue.State, *queue.Setup) {
	qs := queue.NewSetup(queue.Setup{
		Location: shanghai, Calendar: workCalendar(),
		Services: []queue.Service{{Code: "A", Name: "社会民生", Kind: queue.Intake}},
		Windows:  []queue.WindowSetup{{ID: "1", Services: []string{"A"}}},
	})
	q := queue.NewState(qs)
	q.Windows["1"].State, q.Windows["1"].Staff = queue.Idle, "s1"
	q.Tickets["x"] = &queue.Ticket{ID: "x", Number: "A001", Service: "A", Status: queue.Waiting}
	q.Services["A"].Line = []string{"x"}
	return q, qs
}

// A window in overtime that nobody is signed on to any more ends it in the
// name of the clerk who started it, not in nobody's.
func TestOvertimeEndsInTheStartersName(t *testing.T) {
	q, qs := waitingQueue()
	s := NewState()
	s.Apply(room.Event{Seq: 1, At: at("2025-03-10", "17:30:00"), Data: Started{Window: "1", Staff: "s1"}})
	q.Windows["1"].State, q.Windows["1"].Staff = queue.Closed, ""
	got := Due(s, qs.Calendar, q, qs, at("2025-03-10", "17:40:00"))
	if len(got) != 1 || got[0] != (Ended{Window: "1", Staff: "s1", Reason: EndClosed}) {
		t.Fatalf("due at a closed window: %v", got)
	}
	// The next session opens while nobody is signed on: the same.
	got = Due(s, qs.Calendar, q, qs, at("2025-03-11", "09:00:00"))
	if len(got) != 1 || got[0] != (Ended{Window: "1", Staff: "s1", Reason: EndSession}) {
		t.Fatalf("due at the next session: %v", got)
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
			q, qs := waitingQueue()
			evs := Due(NewState(), qs.Calendar, q, qs, c.now)
			var started []Started
			for _, e := range evs {
				if s, ok := e.(Started); ok {
					started = append(started, s)
				}
			}
			if got := len(started) == 1; got != c.want || len(evs) != len(started) {
				t.Fatalf("overtime at %s: %v, want %v", c.now, evs, c.want)
			}
			if c.want {
				end, _ := qs.Calendar.LastEnd(c.now)
				if s := started[0]; s.Window != "1" || s.Staff != "s1" || s.Waiting != 1 || !s.SessionEnd.Equal(end) {
					t.Fatalf("started %+v", s)
				}
			}
		})
	}
}

// React reads the state the events led to, not the events: it registers
// the services finished at windows in overtime and ends the overtime of a
// window signed off, or left with nobody to serve, whatever events made it
// so; a window with someone to serve stays.
func TestReactReadsTheStateTheEventsLedTo(t *testing.T) {
	in := func() *State {
		s := NewState()
		s.Apply(room.Event{Seq: 1, At: at("2025-03-10", "17:30:00"), Data: Started{Window: "1", Staff: "s1"}})
		return s
	}
	now := at("2025-03-10", "17:40:00")
	ref := queue.TicketRef{ID: "x", Number: "A001", Service: "A"}

	// A001 finished and nobody else waits: registered, then ended.
	q, qs := waitingQueue()
	q.Services["A"].Line = nil
	x := q.Tickets["x"]
	x.Status, x.CalledAt, x.FinishedAt = queue.Done, at("2025-03-10", "17:25:00"), now
	s := in()
	got := React(s, q, qs, []room.Event{{At: now, Data: queue.TicketFinished{Ticket: ref, Window: "1", Staff: "s1", ServiceS: 60}}})
	if len(got) != 2 {
		t.Fatalf("react %v", got)
	}
	if r := got[0].(Served).Record; r.ID != "OT1" || r.Ticket != ref || r.Staff != "s1" || !r.Start.Equal(x.CalledAt) || !r.End.Equal(now) {
		t.Fatalf("served %+v", r)
	}
	if e := got[1].(Ended); e != (Ended{Window: "1", Staff: "s1", Reason: EndDone}) {
		t.Fatalf("ended %+v", e)
	}

	// The same finish with A002 still waiting: registered, the window stays.
	q.Tickets["y"] = &queue.Ticket{ID: "y", Number: "A002", Service: "A", Status: queue.Waiting}
	q.Services["A"].Line = []string{"y"}
	got = React(s, q, qs, []room.Event{{At: now, Data: queue.TicketFinished{Ticket: ref, Window: "1", Staff: "s1"}}})
	if len(got) != 1 || got[0].Type() != "overtime.served" {
		t.Fatalf("react with one waiting %v", got)
	}

	// Any event (here none that overtime knows) after which the line is
	// empty ends it: another window took the last one.
	q.Services["A"].Line = nil
	got = React(s, q, qs, []room.Event{{At: now, Data: queue.TicketCalled{Ticket: queue.TicketRef{ID: "y"}, Window: "2", Staff: "s2"}}})
	if len(got) != 1 || got[0] != (Ended{Window: "1", Staff: "s1", Reason: EndDone}) {
		t.Fatalf("react after another window called %v", got)
	}

	// Signed off: the closed window no longer names its clerk; the event does.
	q.Services["A"].Line = []string{"y"}
	q.Windows["1"].State, q.Windows["1"].Staff = queue.Closed, ""
	got = React(s, q, qs, []room.Event{{At: now, Data: queue.WindowClosed{Window: "1", Staff: "s1"}}})
	if len(got) != 1 || got[0] != (Ended{Window: "1", Staff: "s1", Reason: EndClosed}) {
		t.Fatalf("react after closing %v", got)
	}

	// Nothing in overtime: nothing to say.
	if got := React(NewState(), q, qs, []room.Event{{At: now, Data: queue.TicketFinished{Ticket: ref, Window: "1"}}}); len(got) != 0 {
		t.Fatalf("react without overtime %v", got)
	}
}

func TestApplyKeepsTheRegisterAndItsConfirmations(t *testing.T) {
	s := NewState()
	t0 := at("2025-03-10", "17:30:00")
	rec := Record{ID: "OT1", Window: "1", Staff: "s1", Start: t0, End: t0.Add(10 * time.Minute)}
	for i, p := range []room.Payload{
		Started{Window: "1", Staff: "s1"},
		Served{Record: rec},
		Confirmed{ID: "OT1", Window: "1", By: ByClerk, Staff: "s1"},
		Ended{Window: "1", Staff: "s1", Reason: EndDone},
	} {
		s.Apply(room.Event{Seq: uint64(i + 1), At: t0.Add(time.Duration(i) * time.Minute), Data: p})
	}
	if s.In("1") || s.Seq != 1 || s.Confirm["1"] != "OT1" || s.Log["OT1"].ClerkConfirmed.IsZero() || !s.Log["OT1"].ApplicantConfirmed.IsZero() {
		t.Fatalf("state %+v, record %+v", s, s.Log["OT1"])
	}
	s.Apply(room.Event{Seq: 5, At: t0.Add(time.Hour), Data: Confirmed{ID: "OT1", Window: "1", By: ByApplicant}})
	if _, asked := s.Confirm["1"]; asked || s.Log["OT1"].ApplicantConfirmed.IsZero() {
		t.Fatalf("after the applicant: %+v", s)
	}
	s.Apply(room.Event{Seq: 6, At: t0.Add(7 * time.Hour), Data: queue.DayStarted{Day: "2025-03-11"}})
	if len(s.Log) != 0 || len(s.Confirm) != 0 || s.Seq != 1 {
		t.Fatalf("after midnight: %+v", s)
	}
	if types := room.Types(); !slices.Contains(types, "overtime.served") || !slices.Contains(types, "handover.reminded") {
		t.Fatalf("overtime's events are not registered: %v", types)
	}
}
