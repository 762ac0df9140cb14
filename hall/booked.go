package hall

import (
	"time"

	"hallfloor/booking"
	"hallfloor/queue"
)

// Booked lists the appointments still to check in today that the wait
// forecast should count: each will take a ticket ahead of the walk-ins at
// its slot. One whose slot began more than the check-in's grace ago is
// not counted: it is late and may not come. It is nil when the hall takes
// no bookings, so the forecast goes on expecting check-ins from the
// arrivals, and empty, not nil, when it does and none is due.
func (s *State) Booked(setup *Setup, now time.Time) []queue.Booked {
	bs := setup.Bookings
	if bs == nil || len(bs.Services) == 0 {
		return nil
	}
	today := bs.Day(now)
	out := []queue.Booked{}
	for _, b := range s.Bookings.Bookings {
		if b.Status != booking.Booked || b.Day != today || now.Sub(b.Start) > bs.Limits.CheckInAfter {
			continue
		}
		out = append(out, queue.Booked{Service: b.Service, At: b.Start})
	}
	return out
}
