package display

import (
	"fmt"
	"time"
)

// Wait words how long a person must wait, rounded up to the second: "14分59秒"
// and "14 min 59 s"; a refusal that says when to try again says it as a
// duration, which no clock or time zone can get wrong.
func Wait(d time.Duration) Words {
	s := int((d + time.Second - 1) / time.Second)
	s = max(s, 1)
	h, m, sec := s/3600, s/60%60, s%60
	switch {
	case h > 0:
		return Words{fmt.Sprintf("%d小时%d分", h, m), fmt.Sprintf("%d h %d min", h, m)}
	case m > 0 && sec > 0:
		return Words{fmt.Sprintf("%d分%d秒", m, sec), fmt.Sprintf("%d min %d s", m, sec)}
	case m > 0:
		return Words{fmt.Sprintf("%d分钟", m), fmt.Sprintf("%d min", m)}
	}
	return Words{fmt.Sprintf("%d秒", sec), fmt.Sprintf("%d s", sec)}
}
