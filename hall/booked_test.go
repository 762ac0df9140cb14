package hall

import (
	"slices"
	"testing"

	"hallfloor/booking"
	"hallfloor/queue"
)

// The forecast is told of today's appointments still to check in: not
// those checked in, not tomorrow's, not one late past the check-in's
// grace; and of none at all in a hall that takes no bookings.
func TestBookedAreTodaysStillToCheckIn(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "07:30:00")
	f.book("b1", "h1", "09:00:00")
	f.book("b2", "h2", "10:00:00")
	f.book("b3", "h3", "11:00:00")
	f.bookOn("b4", "h4", "2025-03-11", "10:00:00")
	f.now = at("2025-03-10", "09:45:00")
	f.applied(booking.CheckIn{Code: "b2"})
	got := f.s.Booked(f.setup, f.now)
	// b1 began 45 minutes ago, past the 30 of its check-in: late.
	if want := []queue.Booked{{Service: "A", At: at("2025-03-10", "11:00:00")}}; !slices.Equal(got, want) {
		t.Fatalf("booked %v, want %v", got, want)
	}
	f.now = at("2025-03-10", "11:20:00")
	if got := f.s.Booked(f.setup, f.now); len(got) != 1 {
		t.Fatalf("an appointment 20 minutes into its slot and not checked in may still come: %v", got)
	}
	plain := testSetup()
	plain.Bookings = booking.NewSetup(booking.Setup{Calendar: plain.Queue.Calendar})
	if got := NewState(plain).Booked(plain, f.now); got != nil {
		t.Fatalf("a hall without bookings lists %v, want nil (the forecast then expects check-ins from the arrivals)", got)
	}
}
