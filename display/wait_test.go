package display

import (
	"testing"
	"time"
)

func TestWaitIsWordedAsADuration(t *testing.T) {
	for d, want := range map[time.Duration]Words{
		14*time.Minute + 59*time.Second:     {"14分59秒", "14 min 59 s"},
		14*time.Minute + 58*time.Second + 1: {"14分59秒", "14 min 59 s"}, // rounded up
		15 * time.Minute:                    {"15分钟", "15 min"},
		3 * time.Second:                     {"3秒", "3 s"},
		time.Millisecond:                    {"1秒", "1 s"},
		2*time.Hour + 5*time.Minute + 3:     {"2小时5分", "2 h 5 min"},
	} {
		if got := Wait(d); got != want {
			t.Errorf("Wait(%s) = %v, want %v", d, got, want)
		}
	}
}
