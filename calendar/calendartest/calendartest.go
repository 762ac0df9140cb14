// Package calendartest holds the hall calendar the rooms' tests share.
package calendartest

import (
	"time"

	"hallfloor/calendar"
)

// Shanghai is the zone of the tests' halls.
var Shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// WorkWeek is a typical hall's week: 09:00–12:00 and 13:30–17:30 on
// weekdays, 2025-04-04 (清明) off and Sunday 2025-04-27 worked as a 调休 day.
func WorkWeek() *calendar.Calendar {
	week := []calendar.Session{{Start: 9 * 60, End: 12 * 60}, {Start: 13*60 + 30, End: 17*60 + 30}}
	c := &calendar.Calendar{
		Location: Shanghai,
		Holidays: map[string]bool{"2025-04-04": true},
		Workdays: map[string]bool{"2025-04-27": true},
		MakeupAs: time.Monday,
	}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Weekly[d] = week
	}
	return c
}
