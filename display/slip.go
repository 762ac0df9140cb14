package display

import (
	"fmt"
	"math"
	"strconv"
)

// SlipText is what a ticket's printed slip says. The paper is Chinese, as
// the kiosk's own slip is before anyone switches it; the hall's English
// name and the English of the note under the QR code follow theirs, for a
// visitor who reads no Chinese.
type SlipText struct {
	Hall, HallEN string
	Label        string
	Number       string
	Service      string
	Lines        []string // people ahead and the estimate, or where a 咨询号 waits
	Note, NoteEN string
	Time         string
}

// slipWords are the slip's own words; the kiosk's page says the same
// (kiosk.your, col.ahead, col.estimate, wait.about, kiosk.scan, ticket.issued).
var slipWords = map[string]Words{
	"label":     {"您的号码", "Your number"},
	"ahead":     {"前面等候 {n} 人", "{n} ahead of you"},
	"estimate":  {"预计等候 {wait}", "Estimated wait {wait}"},
	"range":     {"约 {low}–{high} 分钟", "about {low}–{high} min"},
	"minutes":   {"约 {m} 分钟", "about {m} min"},
	"under":     {"不到 1 分钟", "under 1 min"},
	"none":      {"无需等候", "no wait"},
	"uncertain": {"（粗略估计）", " (rough guess)"},
	"scan":      {"扫码查看排队进度", "Scan to follow your place in line"},
	"issued":    {"取号时间 {time}", "Issued at {time}"},
	"priority":  {"优先", "Priority"},
}

// Slip words the printed slip of a ticket as the kiosk shows it.
func (h *Hall) Slip(v TicketView) SlipText {
	zh := func(key string, args map[string]string) string { return fill(slipWords[key].ZH, args) }
	t := SlipText{
		Hall: h.Name, HallEN: h.NameEN, Label: zh("label", nil), Number: v.Number, Service: v.ServiceName,
		Note: zh("scan", nil), NoteEN: slipWords["scan"].EN,
		Time: zh("issued", map[string]string{"time": v.IssuedAt.In(h.Setup.Location()).Format("2006-01-02 15:04")}),
	}
	if t.Service == "" {
		t.Service = v.Service
	}
	if v.Priority {
		t.Service += " · " + zh("priority", nil)
	}
	if v.Mark != nil {
		t.Service += " · " + v.Mark.ZH
	}
	if v.Consult != nil {
		t.Lines = []string{v.Consult.Text}
		return t
	}
	t.Lines = []string{
		zh("ahead", map[string]string{"n": strconv.Itoa(v.Ahead)}),
		zh("estimate", map[string]string{"wait": slipWait(v)}),
	}
	return t
}

// slipWait words the forecast's range as the kiosk does: 约 10–15 分钟,
// marked when rough; one figure from an older forecast.
func slipWait(v TicketView) string {
	w := v.EstimatedWait
	if w == nil || w.HighS == 0 {
		switch s := v.EstimatedWaitS; {
		case s <= 0:
			return slipWords["none"].ZH
		case s < 60:
			return slipWords["under"].ZH
		default:
			return fill(slipWords["minutes"].ZH, map[string]string{"m": strconv.Itoa(int(math.Round(float64(s) / 60)))})
		}
	}
	out := fill(slipWords["range"].ZH, map[string]string{"low": fmt.Sprint(w.LowS / 60), "high": fmt.Sprint((w.HighS + 59) / 60)})
	if w.Uncertain {
		out += slipWords["uncertain"].ZH
	}
	return out
}
