package hall

import (
	"slices"
	"testing"

	"hallfloor/errs"
	"hallfloor/queue"
)

// The hall says once when it stops issuing numbers and when it starts
// again, with its next opening, from the same answer the kiosk's refusal
// gives.
func TestIssuingFollowsTheCalendar(t *testing.T) {
	f := newFloor(t) // Monday 09:00
	if out := f.must(Tick{}); len(out.Events) != 0 {
		t.Fatalf("an open hall announced %v", types(out.Events))
	}
	if is := queue.Issuing(f.setup.Queue, f.now); !is.Open {
		t.Fatalf("issuing at 09:00: %+v", is)
	}
	f.now = at("2025-03-10", "12:00:00")
	if !Due(f.s, f.setup, f.now) {
		t.Fatal("the end of the morning is not due")
	}
	got := f.applied(Tick{})
	cl := payloads[queue.IssuingClosed](got)
	if len(cl) != 1 || !cl[0].Next.Equal(at("2025-03-10", "13:30:00")) {
		t.Fatalf("tick at 12:00: %v", got)
	}
	if out := f.must(Tick{}); len(out.Events) != 0 {
		t.Fatalf("said twice: %v", types(out.Events))
	}
	e := f.refuse(queue.IssueTicket{Service: "A"}, errs.Conflict, "hall_closed_until")
	if e.Args["at"] != "2025-03-10 13:30" {
		t.Fatalf("refusal %+v", e)
	}
	f.now = at("2025-03-10", "13:30:00")
	if got := types(f.applied(Tick{})); !slices.Contains(got, "issuing.opened") {
		t.Fatalf("tick at 13:30: %v", got)
	}
	f.issue("A")
	// Friday evening: the next opening is Monday's, across the weekend.
	f.now = at("2025-03-14", "17:31:00")
	cl = payloads[queue.IssuingClosed](f.applied(Tick{}))
	if len(cl) != 1 || !cl[0].Next.Equal(at("2025-03-17", "09:00:00")) {
		t.Fatalf("Friday evening: %+v", cl)
	}
	if is := queue.Issuing(f.setup.Queue, f.now); is.Open || !is.Next.Equal(cl[0].Next) {
		t.Fatalf("issuing on Friday evening: %+v", is)
	}
	// An always-open hall never closes.
	o := newFloorWith(t, openSetup())
	o.now = at("2025-03-10", "23:59:00")
	if out := o.must(Tick{}); len(out.Events) != 0 {
		t.Fatalf("an always-open hall announced %v", types(out.Events))
	}
}
