package display

import (
	"testing"
	"time"

	"hallfloor/calendar"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/rating"
)

// A closed hall's view says no more numbers are issued and when they are
// again, in the hall's zone; between two sessions of a day it says when
// issuing resumes.
func TestIssuingIsWordedInTheHallsZone(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	cal := &calendar.Calendar{Location: loc}
	for d := time.Monday; d <= time.Friday; d++ {
		cal.Weekly[d] = []calendar.Session{{Start: 9 * 60, End: 12 * 60}, {Start: 13*60 + 30, End: 17*60 + 30}}
	}
	setup := hall.NewSetup(queue.Setup{Location: loc, Calendar: cal,
		Services: []queue.Service{{Code: "A", Name: "社会民生", Kind: queue.Intake}},
		Windows:  []queue.WindowSetup{{ID: "1", Services: []string{"A"}}},
	}, rating.Setup{}, nil, hall.Alerts{})
	h := &Hall{Name: "测试大厅", Setup: setup}
	for _, tt := range []struct {
		at                         time.Time
		open                       bool
		reason, text, next, nextEN string
	}{
		{time.Date(2026, 12, 1, 10, 0, 0, 0, loc), true, "", "", "", ""},
		{time.Date(2026, 12, 1, 12, 5, 0, 0, loc), false, "paused", "暂停取号", "13:30 恢复取号", "Issuing again at 13:30"},
		// 09:31 UTC is 17:31 in Shanghai: the next opening is the next
		// morning's, there.
		{time.Date(2026, 12, 1, 9, 31, 0, 0, time.UTC), false, "closed_today", "今日已停止取号", "下次取号时间：12月2日（星期三）09:00", "Next issuing: Wed 2 Dec 09:00"},
		{time.Date(2026, 12, 4, 18, 0, 0, 0, loc), false, "closed_today", "今日已停止取号", "下次取号时间：12月7日（星期一）09:00", "Next issuing: Mon 7 Dec 09:00"},
	} {
		v := h.Issuing(tt.at)
		if v.Open != tt.open || v.Reason != tt.reason || v.Text != tt.text || v.NextText != tt.next || v.NextTextEN != tt.nextEN {
			t.Errorf("at %s: %+v", tt.at, v)
		}
	}
}
