package config

import (
	"strings"
	"testing"
	"time"
)

// The demo hall takes bookings for A and B, with the default limits.
func TestDemoBookings(t *testing.T) {
	s := Demo().Setup().Bookings
	a, b := s.Service("A"), s.Service("B")
	if a == nil || b == nil || a.Length != 30*time.Minute || a.Capacity != 2 || !a.Special || b.Length != time.Hour {
		t.Fatalf("demo bookings: A %+v, B %+v", a, b)
	}
	if s.Limits.MinLead != time.Hour || s.Limits.MaxDays != 5 || s.Limits.PerDay != 1 || s.Limits.Forfeits != 3 ||
		s.Limits.CancelBefore != 2*time.Hour || s.Limits.LateAfter != 30*time.Minute {
		t.Fatalf("demo limits %+v", s.Limits)
	}
	mon := time.Date(2026, 12, 7, 12, 0, 0, 0, s.Calendar.Location)
	if n := len(s.Slots("A", mon)); n != 14 {
		t.Fatalf("A has %d slots on a Monday, want 6 + 8", n)
	}
	if n := len(s.Slots("B", mon.AddDate(0, 0, 1))); n != 0 {
		t.Fatalf("B has %d slots on a Tuesday", n)
	}
}

// Each wrong key of the section is named.
func TestBookingsProblems(t *testing.T) {
	h := Demo()
	h.Bookings = Bookings{
		MaxDays: -1, LateAfterMinutes: 10, CheckInAfterMinutes: 20,
		DeclineReasons: []string{"非工作日不办理", ""},
		Services: []BookingService{
			{Service: "Y", SlotMinutes: 30, Capacity: 1, SpecialDays: true},
			{Service: "Z", SlotMinutes: 30, Capacity: 1, SpecialDays: true},
			{Service: "A", SlotMinutes: 2, Capacity: 0},
			{Service: "A", SlotMinutes: 30, Capacity: 1, Weekly: map[string][]string{"moon": {"09:00-12:00"}, "tue": {"12:00-09:00"}}},
		},
	}
	got := h.Validate().Error()
	for _, key := range []string{
		"bookings.max_days", "bookings.late_after_minutes", "bookings.decline_reasons[0]", "bookings.decline_reasons[1]",
		"bookings.services[0].service", "bookings.services[1].service", "bookings.services[2].slot_minutes",
		"bookings.services[2].capacity", "bookings.services[2]: a service takes", "bookings.services[3].service",
		"bookings.services[3].weekly.moon", "bookings.services[3].weekly.tue",
	} {
		if !strings.Contains(got, key) {
			t.Errorf("no problem named %s in:\n%s", key, got)
		}
	}
}
