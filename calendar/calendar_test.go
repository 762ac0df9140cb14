package calendar

import (
	"testing"
	"time"
)

func shanghai(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// hall is a typical hall: weekdays 09:00–12:00 and 13:30–17:30, National Day
// week off, and Saturday 2026-10-10 worked as a 调休 day.
func hall(t *testing.T) *Calendar {
	week := []Session{{9 * 60, 12 * 60}, {13*60 + 30, 17*60 + 30}}
	c := &Calendar{
		Location: shanghai(t),
		Holidays: map[string]bool{"2026-10-01": true, "2026-10-02": true, "2026-10-05": true},
		Workdays: map[string]bool{"2026-10-10": true},
		MakeupAs: time.Monday,
		Special:  map[string][]Session{"2026-11-22": {{9 * 60, 12 * 60}}},
	}
	for d := time.Monday; d <= time.Friday; d++ {
		c.Weekly[d] = week
	}
	return c
}

func TestOpen(t *testing.T) {
	c := hall(t)
	loc := c.Location
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct {
		name string
		at   string
		open bool
	}{
		{"weekday morning", "2026-11-20 09:00", true},
		{"weekday lunch", "2026-11-20 12:30", false},
		{"weekday afternoon, last minute", "2026-11-20 17:29", true},
		{"weekday after closing", "2026-11-20 17:30", false},
		{"before opening", "2026-11-20 08:59", false},
		{"ordinary Saturday", "2026-11-21 10:00", false},
		{"special open Sunday (预约办)", "2026-11-22 10:00", true},
		{"special open Sunday afternoon", "2026-11-22 14:00", false},
		{"National Day holiday, a Thursday", "2026-10-01 10:00", false},
		{"调休 Saturday", "2026-10-10 10:00", true},
		{"调休 Saturday afternoon", "2026-10-10 15:00", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := c.Open(at(tt.at)); got != tt.open {
				t.Errorf("Open(%s) = %v, want %v", tt.at, got, tt.open)
			}
		})
	}
	// The same instant given in UTC is judged in the hall's zone.
	if !c.Open(at("2026-11-20 09:30").UTC()) {
		t.Error("09:30 Shanghai given as UTC should be open")
	}
}

func TestLastEnd(t *testing.T) {
	c := hall(t)
	loc := c.Location
	end, ok := c.LastEnd(time.Date(2026, 11, 20, 12, 10, 0, 0, loc))
	if !ok || !end.Equal(time.Date(2026, 11, 20, 12, 0, 0, 0, loc)) {
		t.Errorf("LastEnd at 12:10 = %v %v, want 12:00", end, ok)
	}
	if _, ok := c.LastEnd(time.Date(2026, 11, 20, 10, 0, 0, 0, loc)); ok {
		t.Error("no session has ended by 10:00")
	}
}

func TestAddWorkingDays(t *testing.T) {
	c := hall(t)
	loc := c.Location
	tests := []struct {
		name string
		from time.Time
		n    int
		want string
	}{
		{"Friday + 5 skips the weekend", time.Date(2026, 11, 20, 16, 0, 0, 0, loc), 5, "2026-11-27"},
		{"Monday + 1", time.Date(2026, 11, 16, 9, 0, 0, 0, loc), 1, "2026-11-17"},
		{"over National Day", time.Date(2026, 9, 30, 10, 0, 0, 0, loc), 3, "2026-10-08"},
		{"counting the 调休 Saturday", time.Date(2026, 10, 8, 10, 0, 0, 0, loc), 2, "2026-10-10"},
		{"not counting a special open Sunday", time.Date(2026, 11, 21, 10, 0, 0, 0, loc), 1, "2026-11-23"},
		{"Friday + 7", time.Date(2026, 11, 20, 10, 0, 0, 0, loc), 7, "2026-12-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.AddWorkingDays(tt.from, tt.n)
			if d := got.Format(time.DateOnly); d != tt.want {
				t.Errorf("AddWorkingDays(%s, %d) = %s, want %s", tt.from.Format(time.DateOnly), tt.n, d, tt.want)
			}
			if got.Hour() != 23 {
				t.Errorf("deadline %v should be the end of the day", got)
			}
		})
	}
}

func TestAlwaysOpenCountsRealWorkingDays(t *testing.T) {
	c := &Calendar{Location: shanghai(t), AlwaysOpen: true}
	sat := time.Date(2026, 11, 21, 3, 0, 0, 0, c.Location)
	if !c.Open(sat) {
		t.Error("an always-open hall is open on a Saturday at 03:00")
	}
	if got := c.AddWorkingDays(sat, 1).Format(time.DateOnly); got != "2026-11-23" {
		t.Errorf("deadline from Saturday = %s, want Monday 2026-11-23", got)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		ss   []Session
		ok   bool
	}{
		{"two sessions", []Session{{540, 720}, {810, 1050}}, true},
		{"out of order is fine", []Session{{810, 1050}, {540, 720}}, true},
		{"overlap", []Session{{540, 820}, {810, 1050}}, false},
		{"ends before start", []Session{{720, 540}}, false},
		{"past midnight", []Session{{1380, 1500}}, false},
	}
	for _, tt := range tests {
		if err := Validate(tt.ss); (err == nil) != tt.ok {
			t.Errorf("%s: Validate = %v, want ok=%v", tt.name, err, tt.ok)
		}
	}
	if _, err := ParseClock("9am"); err == nil {
		t.Error("ParseClock(9am) should fail")
	}
	if c, _ := ParseClock("13:30"); c.String() != "13:30" {
		t.Errorf("ParseClock round trip = %s", c)
	}
}

func TestNextOpening(t *testing.T) {
	c := hall(t)
	loc := c.Location
	at := func(s string) time.Time {
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct{ from, want string }{
		{"2026-11-20 08:00", "2026-11-20 09:00"}, // before opening
		{"2026-11-20 12:10", "2026-11-20 13:30"}, // over lunch
		{"2026-11-20 17:45", "2026-11-22 09:00"}, // Friday evening: the special open Sunday
		{"2026-11-22 12:30", "2026-11-23 09:00"}, // after the special morning
		{"2026-09-30 18:00", "2026-10-06 09:00"}, // over National Day, the holiday Monday skipped
		{"2026-11-20 09:30", "2026-11-20 13:30"}, // open now: the next session to start
	}
	for _, tt := range tests {
		got, ok := c.NextOpening(at(tt.from))
		if !ok || !got.Equal(at(tt.want)) {
			t.Errorf("NextOpening(%s) = %v %v, want %s", tt.from, got.In(loc), ok, tt.want)
		}
	}
	empty := &Calendar{Location: loc}
	if _, ok := empty.NextOpening(at("2026-11-20 08:00")); ok {
		t.Error("a hall with no sessions never opens")
	}
}
