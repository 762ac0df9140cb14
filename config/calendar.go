package config

import (
	"fmt"
	"strings"
	"time"

	"hallfloor/calendar"
)

// Calendar is when the hall works.
type Calendar struct {
	// AlwaysOpen keeps the hall open at every hour (the demo hall).
	AlwaysOpen bool `yaml:"always_open"`
	// Weekly maps mon…sun to sessions like "09:00-12:00".
	Weekly map[string][]string `yaml:"weekly"`
	// Holidays are closed dates, 2006-01-02.
	Holidays []string `yaml:"holidays"`
	// Workdays are 调休 weekend dates worked with the sessions of MakeupAs.
	Workdays []string `yaml:"workdays"`
	MakeupAs string   `yaml:"makeup_as"`
	// Special are extra open days with their own sessions (预约办).
	Special map[string][]string `yaml:"special"`
}

var weekdays = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// build turns the calendar section into a calendar, reporting each problem
// under its key.
func (c Calendar) build(loc *time.Location, add func(key, format string, args ...any)) *calendar.Calendar {
	cal := &calendar.Calendar{
		Location: loc, AlwaysOpen: c.AlwaysOpen, MakeupAs: time.Monday,
		Holidays: map[string]bool{}, Workdays: map[string]bool{}, Special: map[string][]calendar.Session{},
	}
	if !c.AlwaysOpen && len(c.Weekly) == 0 && len(c.Special) == 0 {
		add("calendar.weekly", "a hall needs working sessions (or always_open: true)")
	}
	for day, ss := range c.Weekly {
		wd, ok := weekdays[strings.ToLower(day)]
		if !ok {
			add("calendar.weekly."+day, "unknown weekday; use mon, tue, wed, thu, fri, sat or sun")
			continue
		}
		cal.Weekly[wd] = sessions("calendar.weekly."+day, ss, add)
	}
	dates := func(key string, list []string, into map[string]bool) {
		for i, d := range list {
			if _, err := time.Parse(time.DateOnly, d); err != nil {
				add(fmt.Sprintf("%s[%d]", key, i), "%q is not a date like 2026-10-01", d)
				continue
			}
			into[d] = true
		}
	}
	dates("calendar.holidays", c.Holidays, cal.Holidays)
	dates("calendar.workdays", c.Workdays, cal.Workdays)
	if c.MakeupAs != "" {
		wd, ok := weekdays[strings.ToLower(c.MakeupAs)]
		if !ok {
			add("calendar.makeup_as", "unknown weekday %q", c.MakeupAs)
		}
		cal.MakeupAs = wd
	}
	for d, ss := range c.Special {
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			add("calendar.special."+d, "%q is not a date like 2026-11-22", d)
			continue
		}
		cal.Special[d] = sessions("calendar.special."+d, ss, add)
	}
	return cal
}

func sessions(key string, list []string, add func(key, format string, args ...any)) []calendar.Session {
	var out []calendar.Session
	for i, s := range list {
		k := fmt.Sprintf("%s[%d]", key, i)
		from, to, ok := strings.Cut(s, "-")
		a, err1 := calendar.ParseClock(from)
		b, err2 := calendar.ParseClock(to)
		if !ok || err1 != nil || err2 != nil {
			add(k, "%q must be a session like 09:00-12:00", s)
			continue
		}
		out = append(out, calendar.Session{Start: a, End: b})
	}
	if err := calendar.Validate(out); err != nil {
		add(key, "%v", err)
	}
	return out
}

// CalendarSetup is the hall's calendar. The file has been validated.
func (h *Hall) CalendarSetup() *calendar.Calendar {
	loc, err := h.Location()
	if err != nil {
		loc = time.UTC
	}
	return h.Calendar.build(loc, func(string, string, ...any) {})
}
