package display

import (
	"time"

	"hallfloor/queue"
)

// OvertimeText is what a window screen and the hall screen say while a
// window serves past its session (延时办).
const (
	OvertimeText   = "延时服务中"
	OvertimeTextEN = "Extended service hours"
)

// RatingPrompt is the evaluator's open question as the pad at the window
// shows it: the number just served, never the ticket's id.
type RatingPrompt struct {
	Number    string    `json:"number"`
	Service   string    `json:"service"`
	ExpiresAt time.Time `json:"expires_at"`
}

// OvertimeConfirm is the overtime service the evaluator asks the applicant
// to confirm with a tap.
type OvertimeConfirm struct {
	Record string    `json:"record"`
	Number string    `json:"number"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
}

// dayWindow adds overtime and the evaluator's state to a window's view.
func (h *Hall) dayWindow(s *queue.State, w *queue.Window, v *WindowView) {
	v.Overtime, v.OvertimeSince = w.Overtime, w.OvertimeSince
	if w.Overtime {
		v.Notice = OvertimeText
	}
	if p := w.Rating; p != nil {
		v.Rating = &RatingPrompt{Number: p.Ticket.Number, Service: p.Ticket.Service, ExpiresAt: p.Expires(h.Setup)}
	}
	if r := s.OvertimeLog[w.OvertimeConfirm]; r != nil {
		v.OvertimeConfirm = &OvertimeConfirm{Record: r.ID, Number: r.Ticket.Number, Start: r.Start, End: r.End}
	}
}

// dayMessage names the window an event of the hall's day touched and words
// overtime for the screens.
func dayMessage(p queue.Payload) (window, text, textEN string) {
	switch p := p.(type) {
	case queue.OvertimeStarted:
		return p.Window, p.Window + " 号窗口" + OvertimeText, "Window " + p.Window + ": " + OvertimeTextEN
	case queue.OvertimeEnded:
		return p.Window, "", ""
	case queue.OvertimeServed:
		return p.Record.Window, "", ""
	case queue.OvertimeConfirmed:
		return p.Window, "", ""
	case queue.RatingGiven:
		return p.Window, "", ""
	case queue.RatingExpired:
		return p.Window, "", ""
	}
	return "", "", ""
}
