package display

import (
	"time"

	"hallfloor/queue"
)

// IssuingView is whether the kiosk issues numbers now, worded for the kiosk
// and the hall screen: a closed hall says so before anyone taps, and says
// when it issues again, in the hall's zone.
type IssuingView struct {
	Open bool `json:"open"`
	// Reason is closed_today (no more numbers today), paused (closed
	// until a later session today) or closed (no opening in the calendar).
	Reason   string    `json:"reason,omitempty"`
	Text     string    `json:"text,omitempty"`
	TextEN   string    `json:"text_en,omitempty"`
	NextOpen time.Time `json:"next_open,omitzero"`
	// NextText words NextOpen: "12月2日（星期二）09:00", or "13:30" later today.
	NextText   string `json:"next_text,omitempty"`
	NextTextEN string `json:"next_text_en,omitempty"`
}

var weekdays = [7]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// Issuing words the hall's issuance at now.
func (h *Hall) Issuing(now time.Time) IssuingView {
	return h.issuingView(queue.Issuing(h.Setup.Queue, now), now)
}

func (h *Hall) issuingView(is queue.Issuance, now time.Time) IssuingView {
	if is.Open {
		return IssuingView{Open: true}
	}
	loc := h.Setup.Location()
	if is.Next.IsZero() {
		return IssuingView{Reason: "closed", Text: "今日已停止取号", TextEN: "No more numbers are issued today"}
	}
	next, today := is.Next.In(loc), now.In(loc)
	v := IssuingView{NextOpen: next}
	if next.Format(time.DateOnly) == today.Format(time.DateOnly) {
		v.Reason, v.Text, v.TextEN = "paused", "暂停取号", "Numbers are not issued now"
		v.NextText, v.NextTextEN = next.Format("15:04")+" 恢复取号", "Issuing again at "+next.Format("15:04")
		return v
	}
	v.Reason, v.Text, v.TextEN = "closed_today", "今日已停止取号", "No more numbers are issued today"
	v.NextText = "下次取号时间：" + next.Format("1月2日") + "（" + weekdays[next.Weekday()] + "）" + next.Format("15:04")
	v.NextTextEN = "Next issuing: " + next.Format("Mon 2 Jan 15:04")
	return v
}
