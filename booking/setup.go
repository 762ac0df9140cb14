// Package booking is the room of appointments (预约办 / 错时办, 罗山 预约办
// 工作制度, 台州 细则 三(一)): the slots each service takes bookings in, the
// bookings, their requests outside working time that a clerk accepts or
// declines, the check-in at the kiosk that turns a booking into a ticket
// ahead of walk-ins, the late applicant reached or forfeited, and the bar
// on an ID number after three forfeits. Like every room it does no I/O and
// reads no clock; package hall composes it with the queue (the check-in's
// ticket) and the outbox (its SMS).
package booking

import (
	"slices"
	"time"

	"hallfloor/calendar"
)

// Service is when one service takes bookings.
type Service struct {
	Code string
	// Length is one slot's length; Capacity how many bookings a slot takes
	// (what the windows staffed for it can serve beside the walk-ins).
	Length   time.Duration
	Capacity int
	// Weekly are the hours of each weekday cut into slots. They may lie
	// outside the hall's sessions (错时办: a lunch hour, an evening, a
	// Saturday): a booking there is a request a clerk accepts.
	Weekly [7][]calendar.Session
	// Special takes bookings on the calendar's special open days (预约办),
	// in their sessions.
	Special bool
}

// Limits are the hall's rules on bookings; NewSetup fills in the defaults.
type Limits struct {
	MinLead      time.Duration // book at least this long ahead (1 h)
	MaxDays      int           // and at most this many working days ahead (5)
	PerDay       int           // bookings per ID number per day (1)
	CancelBefore time.Duration // cancel until this long before the slot (2 h)
	// CheckInBefore and CheckInAfter bound the check-in around the slot's
	// start (30 min each); LateAfter is when a booking without a check-in
	// shows as late on the clerks' list (30 min after the start).
	CheckInBefore time.Duration
	CheckInAfter  time.Duration
	LateAfter     time.Duration
	Forfeits      int // forfeits that bar an ID number (3, 罗山 四.2)
	// RemindDay and RemindSoon are how long before the slot the two
	// reminders go (24 h, 2 h).
	RemindDay  time.Duration
	RemindSoon time.Duration
}

// Defaults of the limits, as 罗山 and public practice set them.
var Defaults = Limits{
	MinLead: time.Hour, MaxDays: 5, PerDay: 1, CancelBefore: 2 * time.Hour,
	CheckInBefore: 30 * time.Minute, CheckInAfter: 30 * time.Minute, LateAfter: 30 * time.Minute,
	Forfeits: 3, RemindDay: 24 * time.Hour, RemindSoon: 2 * time.Hour,
}

// Setup is the hall's bookings as the rules need them.
type Setup struct {
	Calendar *calendar.Calendar
	Services []Service
	Limits   Limits
	// DeclineReasons are offered to a clerk who declines a request; a clerk
	// may type another.
	DeclineReasons []string
	// Roster are the hall file's standing duties outside normal working
	// time; Clerks the staff who may be put on it (clerks and managers, not
	// guides).
	Roster []Duty
	Clerks map[string]bool

	services map[string]*Service
}

// NewSetup indexes a setup and fills in the defaults. The caller (config)
// has validated it.
func NewSetup(s Setup) *Setup {
	if s.Calendar == nil {
		s.Calendar = &calendar.Calendar{Location: time.UTC, AlwaysOpen: true}
	}
	d, l := Defaults, &s.Limits
	for _, f := range []struct{ v, def *time.Duration }{
		{&l.MinLead, &d.MinLead}, {&l.CancelBefore, &d.CancelBefore}, {&l.CheckInBefore, &d.CheckInBefore},
		{&l.CheckInAfter, &d.CheckInAfter}, {&l.LateAfter, &d.LateAfter}, {&l.RemindDay, &d.RemindDay}, {&l.RemindSoon, &d.RemindSoon},
	} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	for _, f := range []struct{ v, def *int }{{&l.MaxDays, &d.MaxDays}, {&l.PerDay, &d.PerDay}, {&l.Forfeits, &d.Forfeits}} {
		if *f.v <= 0 {
			*f.v = *f.def
		}
	}
	s.services = make(map[string]*Service, len(s.Services))
	for i := range s.Services {
		s.services[s.Services[i].Code] = &s.Services[i]
	}
	return &s
}

// Service returns the booking hours of a service, or nil when it takes no
// bookings.
func (s *Setup) Service(code string) *Service { return s.services[code] }

func (s *Setup) loc() *time.Location {
	if s.Calendar.Location == nil {
		return time.UTC
	}
	return s.Calendar.Location
}

// Day is the hall's date of t.
func (s *Setup) Day(t time.Time) string { return t.In(s.loc()).Format(time.DateOnly) }

// Slot is one bookable period of a service.
type Slot struct {
	Start, End time.Time
	// Request is a slot outside normal working time (错时办 outside the
	// sessions, 预约办 on a special open day): its bookings wait for a
	// clerk's acceptance.
	Request bool
}

// Slots are a service's slots on the hall's date of day, in order.
func (s *Setup) Slots(service string, day time.Time) []Slot {
	sv := s.Service(service)
	if sv == nil {
		return nil
	}
	cal, loc := s.Calendar, s.loc()
	y, m, d := day.In(loc).Date()
	noon := time.Date(y, m, d, 12, 0, 0, 0, loc)
	key := noon.Format(time.DateOnly)
	special, isSpecial := cal.Special[key]
	var hours []calendar.Session
	switch {
	case isSpecial && sv.Special:
		hours = special
	case isSpecial, cal.Holidays[key]:
		// A special open day takes only the bookings it is declared for;
		// a holiday takes none.
	case cal.Workdays[key]:
		// A 调休 day is worked as the weekday it stands in for.
		hours = sv.Weekly[cal.MakeupAs]
	default:
		hours = sv.Weekly[noon.Weekday()]
	}
	hours = slices.Clone(hours)
	slices.SortFunc(hours, func(a, b calendar.Session) int { return int(a.Start - b.Start) })
	var out []Slot
	for _, h := range hours {
		from := time.Date(y, m, d, int(h.Start)/60, int(h.Start)%60, 0, 0, loc)
		to := time.Date(y, m, d, int(h.End)/60, int(h.End)%60, 0, 0, loc)
		for st := from; !st.Add(sv.Length).After(to); st = st.Add(sv.Length) {
			end := st.Add(sv.Length)
			out = append(out, Slot{Start: st, End: end, Request: isSpecial || !s.working(st, end)})
		}
	}
	return out
}

// working reports whether [start, end) lies within one of the hall's
// sessions on an ordinary working day.
func (s *Setup) working(start, end time.Time) bool {
	cal := s.Calendar
	from, to, ok := cal.Current(start)
	return ok && !end.After(to) && !start.Before(from)
}

// SlotAt finds the slot of a service that starts at start.
func (s *Setup) SlotAt(service string, start time.Time) (Slot, bool) {
	for _, sl := range s.Slots(service, start) {
		if sl.Start.Equal(start) {
			return sl, true
		}
	}
	return Slot{}, false
}

// Horizon is the end of the last day a booking made at now may be for: the
// MaxDays-th working day after today.
func (s *Setup) Horizon(now time.Time) time.Time {
	return s.Calendar.AddWorkingDays(now, s.Limits.MaxDays)
}
