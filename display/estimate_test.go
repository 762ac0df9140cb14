package display

import (
	"testing"

	"hallfloor/queue"
	"hallfloor/room"
)

// The hall view and the ticket view carry the forecast's range beside the
// old figure; a 咨询号, which no window calls, carries none, nor does a
// ticket once called.
func TestViewsCarryTheWaitRange(t *testing.T) {
	h, s, do, now := consultHall(t)
	do(queue.OpenWindow{Window: "1", Actor: room.Actor{Staff: "c1", Role: room.Clerk}})
	first := do(queue.IssueTicket{Service: "A"}).Ticket
	do(queue.CallNext{Window: "1", Actor: room.Actor{Staff: "c1", Role: room.Clerk}})
	second := do(queue.IssueTicket{Service: "A"}).Ticket
	consultID := do(queue.IssueTicket{Service: "D"}).Ticket
	v := h.View(s, now)
	for _, sv := range v.Services {
		switch sv.Code {
		case "A":
			if w := sv.EstimatedWait; w == nil || w.HighS <= w.LowS || !w.Uncertain {
				t.Errorf("service A's range %+v: want a range, uncertain with nothing served yet", w)
			}
		case "D":
			if sv.EstimatedWait != nil {
				t.Errorf("the 咨询号 service shows a window's wait %+v", sv.EstimatedWait)
			}
		}
	}
	tv := h.Ticket(s, s.Queue.Tickets[second])
	if w := tv.EstimatedWait; w == nil || w.MidS <= 0 || w.LowS > w.MidS || w.HighS < w.MidS {
		t.Errorf("the waiting ticket's range %+v does not hold its forecast", w)
	}
	if tv := h.Ticket(s, s.Queue.Tickets[first]); tv.EstimatedWait != nil {
		t.Errorf("a called ticket shows a wait %+v", tv.EstimatedWait)
	}
	if tv := h.Ticket(s, s.Queue.Tickets[consultID]); tv.EstimatedWait != nil {
		t.Errorf("a 咨询号 shows a window's wait %+v", tv.EstimatedWait)
	}
}

// Views at one sequence number share one forecast; the next event (here a
// pause) makes a new one, so a ticket's wait follows the hall at once.
func TestViewsShareAForecastUntilTheHallChanges(t *testing.T) {
	h, s, do, now := consultHall(t)
	do(queue.OpenWindow{Window: "1", Actor: room.Actor{Staff: "c1", Role: room.Clerk}})
	do(queue.IssueTicket{Service: "A"})
	last := do(queue.IssueTicket{Service: "A"}).Ticket
	h.View(s, now)
	f := h.forecast(s, now)
	if again := h.forecast(s, now.Add(memoFor/2)); again != f {
		t.Fatal("a view of the same hall a moment later played the forecast again")
	}
	before := h.Ticket(s, s.Queue.Tickets[last]).EstimatedWait
	do(queue.Pause{Window: "1", Actor: room.Actor{Staff: "c1", Role: room.Clerk}, Reason: "暂离"})
	if h.forecast(s, now) == f {
		t.Fatal("the forecast of the hall before a pause served a view after it")
	}
	after := h.Ticket(s, s.Queue.Tickets[last]).EstimatedWait
	if before == nil || after == nil || *after == *before {
		t.Fatalf("the second ticket's wait %+v before the window paused and %+v after: it should change", before, after)
	}
	if h.forecast(s, now.Add(memoFor)) == h.forecast(s, now) {
		t.Fatal("a forecast older than memoFor served a view")
	}
}
