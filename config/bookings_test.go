package config

import (
	"strings"
	"testing"
	"time"

	"hallfloor/sms"
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

// The demo's roster has 1001 and 1002 on duty for A on Saturday mornings;
// every clerk and manager, no guide, may be put on it.
func TestDemoRoster(t *testing.T) {
	s := Demo().Setup().Bookings
	if len(s.Roster) != 1 || !s.Roster[0].Weekdays[time.Saturday] || s.Roster[0].Weekdays[time.Sunday] ||
		len(s.Roster[0].Hours) != 1 || s.Roster[0].Hours[0].Start != 9*60 {
		t.Fatalf("demo roster %+v", s.Roster)
	}
	if !s.Clerks["1001"] || !s.Clerks["admin"] || s.Clerks["2001"] {
		t.Fatalf("clerks %v", s.Clerks)
	}
}

// Each wrong key of the roster is named.
func TestRosterProblems(t *testing.T) {
	h := Demo()
	h.Bookings.Roster = []Duty{
		{Date: "2026-12-05", Weekdays: []string{"sat"}, Staff: []string{"1001"}},
		{Staff: []string{"1001"}},
		{Date: "5.12.2026", Weekdays: nil, Staff: []string{"1001"}},
		{Weekdays: []string{"satur"}, Staff: []string{"2001", "9999"}, Services: []string{"C"}, Hours: []string{"13:00-12:00", "9-10"}},
		{Weekdays: []string{"sun"}},
	}
	got := h.Validate().Error()
	for _, key := range []string{
		"bookings.roster[0]: a line is for a date or for weekdays", "bookings.roster[1]: missing date",
		"bookings.roster[2].date", "bookings.roster[3].weekdays[0]", "bookings.roster[3].staff[0]", "bookings.roster[3].staff[1]",
		"bookings.roster[3].services[0]", "bookings.roster[3].hours", "bookings.roster[3].hours[1]", "bookings.roster[4].staff",
	} {
		if !strings.Contains(got, key) {
			t.Errorf("no problem named %s in:\n%s", key, got)
		}
	}
}

// The hall file words the bookings' messages as it does the others', and
// server.public_url gives the confirmation its page's link; each wrong one
// is named by its key.
func TestBookingMessagesFromTheHallFile(t *testing.T) {
	h := Demo()
	h.Server.PublicURL = "https://hall.example.gov.cn/"
	h.SMS.BookingConfirmed = "【{{.Hall}}】预约码 {{.Code}}，{{.Start}}，取消：{{.Link}}"
	h.SMS.BookingReminder = "【{{.Hall}}】明天见"
	if err := h.Validate(); err != nil {
		t.Fatal(err)
	}
	w := h.SMSWording()
	if w.BookingPage != "https://hall.example.gov.cn/book" {
		t.Fatalf("booking page %q", w.BookingPage)
	}
	m, err := w.Word("m1", sms.PurposeBookingConfirmed, map[string]string{"start": "2026-12-07T02:00:00Z"}, sms.Envelope{To: "13800138000", Code: "K7Q2M9XW"})
	if err != nil || m.Text != "【"+h.Hall.Name+"】预约码 K7Q2M9XW，12月7日 10:00，取消：https://hall.example.gov.cn/book?code=K7Q2M9XW" {
		t.Fatalf("confirmation %q, %v", m.Text, err)
	}
	if m, err := w.Word("m2", sms.PurposeBookingRemindSoon, nil, sms.Envelope{To: "13800138000"}); err != nil || m.Text != "【"+h.Hall.Name+"】明天见" {
		t.Fatalf("reminder %q, %v", m.Text, err)
	}
	if Demo().SMSWording().BookingPage != "" {
		t.Fatal("a hall without a public address links a page")
	}

	bad := Demo()
	bad.SMS.BookingDeclined = "{{.Why}}"
	got := bad.Validate().Error()
	if !strings.Contains(got, "sms.booking_declined") || strings.Contains(got, "lockers.sms.booking") {
		t.Fatalf("a misspelt field: %s", got)
	}
	for _, u := range []string{"hall.example.gov.cn", "ftp://hall.example.gov.cn", "https://hall.example.gov.cn/?a=1", "https://u:p@hall.example.gov.cn", "https://h.gov.cn/#x",
		"https://h.gov.cn/" + strings.Repeat("x", 100)} {
		bad := Demo()
		bad.Server.PublicURL = u
		if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "server.public_url") {
			t.Errorf("public_url %q: %v", u, err)
		}
	}
}
