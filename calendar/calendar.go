// Package calendar is a hall's working calendar: weekly sessions (morning,
// afternoon), public holidays, 调休 make-up working days and special open
// days for 预约办. It answers the questions the hall's rules ask of time:
// is the hall open now, when does this session end, what is the fifth
// working day after today.
package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Clock is a time of day in minutes after midnight.
type Clock int

// ParseClock reads "09:00" or "17:30".
func ParseClock(s string) (Clock, error) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, fmt.Errorf("%q is not a time of day like 09:00", s)
	}
	return Clock(t.Hour()*60 + t.Minute()), nil
}

func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// Session is one working period of a day, [Start, End).
type Session struct {
	Start, End Clock
}

// Calendar says when a hall works.
type Calendar struct {
	Location *time.Location
	// Weekly holds each weekday's sessions; a weekday without any is closed.
	Weekly [7][]Session
	// Holidays are dates (2006-01-02) closed whatever the weekday.
	Holidays map[string]bool
	// Workdays are 调休 dates worked although they fall on a weekend; they
	// follow the sessions of MakeupAs.
	Workdays map[string]bool
	MakeupAs time.Weekday
	// Special are open days with their own sessions (预约办 on a weekend).
	Special map[string][]Session
	// AlwaysOpen makes every moment working time, for the demo hall.
	AlwaysOpen bool
}

// allDay is the one session of an always-open hall.
var allDay = []Session{{Start: 0, End: 24 * 60}}

// Sessions returns the sessions of the local date of t.
func (c *Calendar) Sessions(t time.Time) []Session {
	if c.AlwaysOpen {
		return allDay
	}
	t = t.In(c.loc())
	day := t.Format(time.DateOnly)
	if s, ok := c.Special[day]; ok {
		return s
	}
	if c.Holidays[day] {
		return nil
	}
	if c.Workdays[day] {
		return c.Weekly[c.MakeupAs]
	}
	return c.Weekly[t.Weekday()]
}

// WorkingDay reports whether the local date of t has any session.
func (c *Calendar) WorkingDay(t time.Time) bool { return len(c.Sessions(t)) > 0 }

func (c *Calendar) loc() *time.Location {
	if c.Location == nil {
		return time.UTC
	}
	return c.Location
}

// Current returns the session t falls in, if any, with its start and end as
// instants.
func (c *Calendar) Current(t time.Time) (start, end time.Time, ok bool) {
	lt := t.In(c.loc())
	now := Clock(lt.Hour()*60 + lt.Minute())
	for _, s := range c.Sessions(lt) {
		if now >= s.Start && now < s.End {
			return c.at(lt, s.Start), c.at(lt, s.End), true
		}
	}
	return time.Time{}, time.Time{}, false
}

// Open reports whether t is within a session.
func (c *Calendar) Open(t time.Time) bool {
	_, _, ok := c.Current(t)
	return ok
}

// NextOpening is the start of the next session after t, looking a month
// ahead (longer than any holiday); an always-open hall is open at t.
func (c *Calendar) NextOpening(t time.Time) (time.Time, bool) {
	if c.AlwaysOpen {
		return t, true
	}
	y, m, d := t.In(c.loc()).Date()
	for i := 0; i <= 31; i++ {
		day := time.Date(y, m, d+i, 12, 0, 0, 0, c.loc()) // noon: immune to DST shifts
		ss := slices.Clone(c.Sessions(day))
		slices.SortFunc(ss, func(a, b Session) int { return int(a.Start - b.Start) })
		for _, s := range ss {
			if start := c.at(day, s.Start); start.After(t) {
				return start, true
			}
		}
	}
	return time.Time{}, false
}

// LastEnd returns the end of the latest session that ended at or before t
// on t's local date, if any: the moment overtime is judged from.
func (c *Calendar) LastEnd(t time.Time) (time.Time, bool) {
	lt := t.In(c.loc())
	now := Clock(lt.Hour()*60 + lt.Minute())
	var best time.Time
	found := false
	for _, s := range c.Sessions(lt) {
		if s.End <= now && s.End < 24*60 {
			best, found = c.at(lt, s.End), true
		}
	}
	return best, found
}

func (c *Calendar) at(day time.Time, m Clock) time.Time {
	y, mo, d := day.Date()
	return time.Date(y, mo, d, int(m)/60, int(m)%60, 0, 0, c.loc())
}

// AddWorkingDays returns the end of the n-th working day after t's date:
// a follow-up due "within 5 working days" of a Friday rating is due at the
// end of the next Friday, skipping the weekend and any holiday, and
// counting a 调休 Saturday.
func (c *Calendar) AddWorkingDays(t time.Time, n int) time.Time {
	lt := t.In(c.loc())
	y, mo, d := lt.Date()
	day := time.Date(y, mo, d, 12, 0, 0, 0, c.loc()) // noon: immune to DST shifts
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.workingForDeadlines(day) {
			n--
		}
	}
	y, mo, d = day.Date()
	return time.Date(y, mo, d, 23, 59, 59, 0, c.loc())
}

// workingForDeadlines counts official working days: the weekly schedule,
// less holidays, plus 调休 days. Special open days (预约办 on a weekend) do
// not count, and an always-open demo hall counts Monday to Friday.
func (c *Calendar) workingForDeadlines(day time.Time) bool {
	k := day.Format(time.DateOnly)
	switch {
	case c.Holidays[k]:
		return false
	case c.Workdays[k]:
		return true
	case c.AlwaysOpen:
		return day.Weekday() != time.Saturday && day.Weekday() != time.Sunday
	}
	return len(c.Weekly[day.Weekday()]) > 0
}

// Validate checks sessions are ordered and do not overlap.
func Validate(ss []Session) error {
	sorted := slices.Clone(ss)
	slices.SortFunc(sorted, func(a, b Session) int { return int(a.Start - b.Start) })
	for i, s := range sorted {
		if s.Start < 0 || s.End > 24*60 || s.End <= s.Start {
			return fmt.Errorf("session %s–%s must end after it starts, within the day", s.Start, s.End)
		}
		if i > 0 && s.Start < sorted[i-1].End {
			return fmt.Errorf("session %s–%s overlaps %s–%s", s.Start, s.End, sorted[i-1].Start, sorted[i-1].End)
		}
	}
	return nil
}
