package config

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/booking"
	"hallfloor/calendar"
	"hallfloor/queue"
)

// Bookings is the appointments section (预约办 / 错时办): which services take
// bookings, in which hours, and the limits; every limit left out keeps the
// default of 罗山 and public practice.
type Bookings struct {
	Services []BookingService `yaml:"services"`
	// MinLeadMinutes and MaxDays bound how far ahead a booking is made
	// (60 minutes; 5 working days).
	MinLeadMinutes int `yaml:"min_lead_minutes"`
	MaxDays        int `yaml:"max_days"`
	// PerDay is how many bookings an ID number holds a day (1).
	PerDay int `yaml:"per_day"`
	// CancelBeforeMinutes is how long before the slot the applicant may
	// still cancel (120).
	CancelBeforeMinutes int `yaml:"cancel_before_minutes"`
	// CheckInBeforeMinutes and CheckInAfterMinutes bound the kiosk's
	// check-in around the slot's start (30 each); LateAfterMinutes is when
	// a booking without a check-in shows as late (30).
	CheckInBeforeMinutes int `yaml:"checkin_before_minutes"`
	CheckInAfterMinutes  int `yaml:"checkin_after_minutes"`
	LateAfterMinutes     int `yaml:"late_after_minutes"`
	// Forfeits bar an ID number from booking until a manager lifts it (3).
	Forfeits int `yaml:"forfeits"`
	// RemindDayHours and RemindSoonMinutes are when the two reminders go
	// before the slot (24 hours; 120 minutes).
	RemindDayHours    int `yaml:"remind_day_hours"`
	RemindSoonMinutes int `yaml:"remind_soon_minutes"`
	// DeclineReasons are offered to a clerk declining a request; none may
	// be that the day is not a working day (罗山 七).
	DeclineReasons []string `yaml:"decline_reasons"`
	// Roster lists who is on duty outside normal working time (值班表), by
	// date or by weekday: a request outside the hours is accepted only with
	// a clerk on duty for its slot and service. A manager may add a clerk
	// for a date on the clerks' list.
	Roster []Duty `yaml:"roster"`
}

// Duty is one line of the roster.
type Duty struct {
	// Date (2026-12-05) or Weekdays (mon…sun), not both.
	Date     string   `yaml:"date"`
	Weekdays []string `yaml:"weekdays"`
	// Staff are clerks or managers of the hall (not guides).
	Staff []string `yaml:"staff"`
	// Services are those that take bookings; every one when empty.
	Services []string `yaml:"services"`
	// Hours like "12:00-13:30"; the whole day when empty.
	Hours []string `yaml:"hours"`
}

// BookingService is one service's booking hours.
type BookingService struct {
	Service     string `yaml:"service"`
	SlotMinutes int    `yaml:"slot_minutes"`
	Capacity    int    `yaml:"capacity"`
	// Weekly maps mon…sun to hours like "09:00-12:00"; hours outside the
	// calendar's sessions are 错时办, booked as requests a clerk accepts.
	Weekly map[string][]string `yaml:"weekly"`
	// SpecialDays takes bookings on the calendar's special open days, in
	// their sessions (预约办).
	SpecialDays bool `yaml:"special_days"`
}

// defaultDeclineReasons are offered when the hall file names none.
var defaultDeclineReasons = []string{"该时段无法安排业务人员", "所需材料须审批科室现场核验", "该事项不在预约办理范围"}

// Reasons are the decline reasons the clerks' list offers.
func (b Bookings) Reasons() []string {
	if len(b.DeclineReasons) == 0 {
		return defaultDeclineReasons
	}
	return b.DeclineReasons
}

func (h *Hall) validateBookings(add func(key, format string, args ...any)) {
	b := h.Bookings
	kinds := map[string]queue.Kind{}
	for _, s := range h.Services {
		kinds[s.Code] = s.Kind
	}
	for _, l := range []struct {
		key      string
		v, max   int
		fallback string
	}{
		{"min_lead_minutes", b.MinLeadMinutes, 7 * 24 * 60, "60"},
		{"max_days", b.MaxDays, 60, "5"},
		{"per_day", b.PerDay, 10, "1"},
		{"cancel_before_minutes", b.CancelBeforeMinutes, 7 * 24 * 60, "120"},
		{"checkin_before_minutes", b.CheckInBeforeMinutes, 240, "30"},
		{"checkin_after_minutes", b.CheckInAfterMinutes, 240, "30"},
		{"late_after_minutes", b.LateAfterMinutes, 240, "30"},
		{"forfeits", b.Forfeits, 20, "3"},
		{"remind_day_hours", b.RemindDayHours, 72, "24"},
		{"remind_soon_minutes", b.RemindSoonMinutes, 24 * 60, "120"},
	} {
		if l.v < 0 || l.v > l.max {
			add("bookings."+l.key, "%d must be between 0 (default %s) and %d", l.v, l.fallback, l.max)
		}
	}
	if b.LateAfterMinutes > 0 && b.CheckInAfterMinutes > b.LateAfterMinutes {
		add("bookings.late_after_minutes", "a booking may not be late while it may still check in (checkin_after_minutes %d)", b.CheckInAfterMinutes)
	}
	for i, r := range b.DeclineReasons {
		key := fmt.Sprintf("bookings.decline_reasons[%d]", i)
		switch n := utf8.RuneCountInString(strings.TrimSpace(r)); {
		case n == 0 || n > 100:
			add(key, "a reason has 1 to 100 characters")
		case !booking.DeclineAllowed(r):
			add(key, "%q: a booking may not be declined because the day is not a working day (罗山 七)", r)
		}
	}
	h.validateRoster(add)
	seen := map[string]bool{}
	for i, s := range b.Services {
		key := fmt.Sprintf("bookings.services[%d]", i)
		switch kind, ok := kinds[s.Service]; {
		case !ok:
			add(key+".service", "no service %q", s.Service)
		case kind != queue.Intake:
			add(key+".service", "%q is a %s service; bookings are for intake services", s.Service, kind)
		case seen[s.Service]:
			add(key+".service", "%q is listed twice", s.Service)
		}
		seen[s.Service] = true
		if s.SlotMinutes < 5 || s.SlotMinutes > 240 {
			add(key+".slot_minutes", "%d must be between 5 and 240", s.SlotMinutes)
		}
		if s.Capacity < 1 || s.Capacity > 1000 {
			add(key+".capacity", "%d must be between 1 and 1000", s.Capacity)
		}
		if len(s.Weekly) == 0 && !s.SpecialDays {
			add(key, "a service takes bookings in weekly hours, on special days, or both")
		}
		for day, hs := range s.Weekly {
			if _, ok := weekdays[strings.ToLower(day)]; !ok {
				add(key+".weekly."+day, "unknown weekday; use mon, tue, wed, thu, fri, sat or sun")
				continue
			}
			sessions(key+".weekly."+day, hs, add)
		}
	}
}

// BookingSetup is the appointments section as the rules need it, on the
// hall's calendar.
func (h *Hall) BookingSetup(cal *calendar.Calendar) *booking.Setup {
	b := h.Bookings
	mins := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	s := booking.Setup{Calendar: cal, DeclineReasons: b.Reasons(), Limits: booking.Limits{
		MinLead: mins(b.MinLeadMinutes), MaxDays: b.MaxDays, PerDay: b.PerDay, CancelBefore: mins(b.CancelBeforeMinutes),
		CheckInBefore: mins(b.CheckInBeforeMinutes), CheckInAfter: mins(b.CheckInAfterMinutes), LateAfter: mins(b.LateAfterMinutes),
		Forfeits: b.Forfeits, RemindDay: time.Duration(b.RemindDayHours) * time.Hour, RemindSoon: mins(b.RemindSoonMinutes),
	}}
	for _, sv := range b.Services {
		bs := booking.Service{Code: sv.Service, Length: mins(sv.SlotMinutes), Capacity: sv.Capacity, Special: sv.SpecialDays}
		for day, hs := range sv.Weekly {
			if wd, ok := weekdays[strings.ToLower(day)]; ok {
				bs.Weekly[wd] = sessions("", hs, func(string, string, ...any) {})
			}
		}
		s.Services = append(s.Services, bs)
	}
	s.Clerks = map[string]bool{}
	for _, st := range h.Staff {
		if st.Role != Guide {
			s.Clerks[st.ID] = true
		}
	}
	for _, d := range b.Roster {
		bd := booking.Duty{Date: strings.TrimSpace(d.Date), Staff: d.Staff, Services: d.Services,
			Hours: sessions("", d.Hours, func(string, string, ...any) {})}
		for _, wd := range d.Weekdays {
			if n, ok := weekdays[strings.ToLower(wd)]; ok {
				bd.Weekdays[n] = true
			}
		}
		s.Roster = append(s.Roster, bd)
	}
	return booking.NewSetup(s)
}

func (h *Hall) validateRoster(add func(key, format string, args ...any)) {
	takes := map[string]bool{}
	for _, s := range h.Bookings.Services {
		takes[s.Service] = true
	}
	for i, d := range h.Bookings.Roster {
		key := fmt.Sprintf("bookings.roster[%d]", i)
		switch date := strings.TrimSpace(d.Date); {
		case date != "" && len(d.Weekdays) > 0:
			add(key, "a line is for a date or for weekdays, not both")
		case date == "" && len(d.Weekdays) == 0:
			add(key, "missing date or weekdays: which days the line is for")
		case date != "":
			if _, err := time.Parse(time.DateOnly, date); err != nil {
				add(key+".date", "%q must be a date like 2026-12-05", d.Date)
			}
		}
		for j, wd := range d.Weekdays {
			if _, ok := weekdays[strings.ToLower(wd)]; !ok {
				add(fmt.Sprintf("%s.weekdays[%d]", key, j), "%q: use mon, tue, wed, thu, fri, sat or sun", wd)
			}
		}
		if len(d.Staff) == 0 {
			add(key+".staff", "missing; who is on duty")
		}
		for j, id := range d.Staff {
			switch st := h.FindStaff(id); {
			case st == nil:
				add(fmt.Sprintf("%s.staff[%d]", key, j), "no member of staff %q", id)
			case st.Role == Guide:
				add(fmt.Sprintf("%s.staff[%d]", key, j), "%q is a guide; a clerk or a manager is on duty for bookings", id)
			}
		}
		for j, sv := range d.Services {
			if !takes[sv] {
				add(fmt.Sprintf("%s.services[%d]", key, j), "%q takes no bookings (bookings.services)", sv)
			}
		}
		sessions(key+".hours", d.Hours, add)
	}
}
