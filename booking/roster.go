package booking

import (
	"slices"
	"strings"
	"time"

	"hallfloor/calendar"
	"hallfloor/errs"
	"hallfloor/room"
)

// The roster (值班表) says who is on duty outside normal working time: a
// request accepted must have a clerk of its service on duty for its slot
// (罗山 五), and the roster for the day lists who. The hall file lists the
// standing duties, by date or by weekday; a manager puts a clerk on the
// roster for a date beside them (PutOnRoster), journaled like every change.

// Duty is one line of the roster: staff on duty for services, in hours, on
// a date or on weekdays.
type Duty struct {
	// Date (2006-01-02) or Weekdays say which days the line is for; a
	// weekday line follows the hall's calendar as the slots do: a 调休 day
	// is worked as the weekday it stands in for, a holiday has none.
	Date     string             `json:"date,omitempty"`
	Weekdays [7]bool            `json:"-"`
	Staff    []string           `json:"staff"`
	Services []string           `json:"services,omitempty"` // every service that takes bookings when empty
	Hours    []calendar.Session `json:"hours,omitempty"`    // the whole day when empty
	By       string             `json:"by,omitempty"`       // the manager who put it on the roster
}

// covers reports whether the line holds [start, end) of the hall's day.
func (d Duty) covers(from, to calendar.Clock) bool {
	if len(d.Hours) == 0 {
		return true
	}
	for _, h := range d.Hours {
		if h.Start <= from && to <= h.End {
			return true
		}
	}
	return false
}

func (d Duty) serves(service string) bool {
	return len(d.Services) == 0 || slices.Contains(d.Services, service)
}

// PutOnRoster is a manager putting a clerk on the roster for a date, for
// some services (all that take bookings when none) and hours (the whole day
// when none).
type PutOnRoster struct {
	Date     string
	Staff    string
	Services []string
	Hours    []calendar.Session
	Actor    room.Actor
}

func (PutOnRoster) bookingCommand() {}

// RosterPut is a clerk put on the roster for a date by a manager.
type RosterPut struct {
	Duty Duty `json:"duty"`
}

func (RosterPut) Type() string         { return "booking.roster_put" }
func (RosterPut) Public() room.Payload { return nil }
func init()                            { room.Register[RosterPut]() }

// duties are the roster's lines that hold the slot [start, end): the hall
// file's and the managers'.
func duties(s *State, setup *Setup, start, end time.Time) []Duty {
	loc := setup.loc()
	st, en := start.In(loc), end.In(loc)
	day := st.Format(time.DateOnly)
	from := calendar.Clock(st.Hour()*60 + st.Minute())
	to := calendar.Clock(en.Hour()*60 + en.Minute())
	if en.Format(time.DateOnly) != day {
		to = 24 * 60
	}
	wd, weekly := setup.dutyWeekday(st)
	var out []Duty
	for _, d := range slices.Concat(setup.Roster, s.Roster[day]) {
		onDay := d.Date == day || (d.Date == "" && weekly && d.Weekdays[wd])
		if onDay && d.covers(from, to) {
			out = append(out, d)
		}
	}
	return out
}

// dutyWeekday is the weekday a day's weekday lines are read as, and false
// on a holiday, which takes none.
func (s *Setup) dutyWeekday(t time.Time) (time.Weekday, bool) {
	cal := s.Calendar
	key := t.Format(time.DateOnly)
	switch {
	case cal.Holidays[key]:
		return 0, false
	case cal.Workdays[key]:
		return cal.MakeupAs, true
	}
	return t.Weekday(), true
}

// OnDuty are the staff the roster has on duty for a service's slot, in
// order: who may be named when its request is accepted.
func OnDuty(s *State, setup *Setup, service string, start, end time.Time) []string {
	var out []string
	for _, d := range duties(s, setup, start, end) {
		if !d.serves(service) {
			continue
		}
		for _, id := range d.Staff {
			if !slices.Contains(out, id) {
				out = append(out, id)
			}
		}
	}
	slices.Sort(out)
	return out
}

// onDuty refuses a clerk named for a request's slot who is not on the
// roster then, or is on it for other services only.
func onDuty(s *State, setup *Setup, b *Booking, staff string) error {
	slot := b.Start.In(setup.loc()).Format("2006-01-02 15:04")
	if slices.Contains(OnDuty(s, setup, b.Service, b.Start, b.End), staff) {
		return nil
	}
	for _, d := range duties(s, setup, b.Start, b.End) {
		if slices.Contains(d.Staff, staff) {
			return errs.R(errs.Conflict, "booking_duty_other_service", "staff", staff, "service", b.Service, "slot", slot).OnField("on_duty")
		}
	}
	return errs.R(errs.Conflict, "booking_not_on_duty", "staff", staff, "slot", slot).OnField("on_duty")
}

func decidePutOnRoster(s *State, setup *Setup, c PutOnRoster, now time.Time) (room.Outcome, error) {
	if !c.Actor.Staffed() {
		return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
	}
	if !c.Actor.IsManager() {
		return room.Outcome{}, errs.R(errs.Forbidden, "manager_only")
	}
	day, err := time.ParseInLocation(time.DateOnly, strings.TrimSpace(c.Date), setup.loc())
	if err != nil {
		return room.Outcome{}, errs.Bad("date", "bad_date", "field", "date")
	}
	date := day.Format(time.DateOnly)
	if date < setup.Day(now) {
		return room.Outcome{}, errs.Bad("date", "roster_past", "date", date)
	}
	staff := strings.TrimSpace(c.Staff)
	if !setup.Clerks[staff] {
		return room.Outcome{}, errs.Bad("staff", "roster_no_clerk", "staff", staff)
	}
	var services []string
	for _, sv := range c.Services {
		sv = strings.ToUpper(strings.TrimSpace(sv))
		if setup.Service(sv) == nil {
			return room.Outcome{}, errs.Bad("services", "booking_no_service", "service", sv)
		}
		if !slices.Contains(services, sv) {
			services = append(services, sv)
		}
	}
	if err := calendar.Validate(c.Hours); err != nil {
		return room.Outcome{}, errs.Bad("hours", "roster_hours")
	}
	for _, d := range s.Roster[date] {
		if slices.Equal(d.Staff, []string{staff}) && slices.Equal(d.Services, services) && slices.Equal(d.Hours, c.Hours) {
			return room.Outcome{}, errs.R(errs.Conflict, "roster_already", "staff", staff, "date", date)
		}
	}
	return one(RosterPut{Duty: Duty{Date: date, Staff: []string{staff}, Services: services,
		Hours: slices.Clone(c.Hours), By: c.Actor.Staff}}), nil
}

// Roster is the roster's lines for the hall's date day, the hall file's
// first, as the clerks' list shows them.
func Roster(s *State, setup *Setup, day string) []Duty {
	t, err := time.ParseInLocation(time.DateOnly, day, setup.loc())
	if err != nil {
		return nil
	}
	wd, weekly := setup.dutyWeekday(t)
	var out []Duty
	for _, d := range slices.Concat(setup.Roster, s.Roster[day]) {
		if d.Date == day || (d.Date == "" && weekly && d.Weekdays[wd]) {
			out = append(out, d)
		}
	}
	return out
}
