package display

import (
	"time"

	"hallfloor/hall"
	"hallfloor/overtime"
	"hallfloor/rating"
	"hallfloor/room"
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
	// Chosen is the level already chosen on the pad, waiting for its reason.
	Chosen int `json:"chosen,omitempty"`
}

// OvertimeConfirm is the overtime service the evaluator asks the applicant
// to confirm with a tap.
type OvertimeConfirm struct {
	Record string    `json:"record"`
	Number string    `json:"number"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
}

// BookingConfirm is the appointment served at the window whose line of the
// 预约服务登记表 the evaluator asks the applicant to confirm with a tap. It
// names the number and the times, never the booking's code.
type BookingConfirm struct {
	Number string    `json:"number"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
}

// evaluatorWindow adds overtime and the evaluator's state to a window's view.
func (h *Hall) evaluatorWindow(s *hall.State, window string, v *WindowView) {
	if ot := s.Overtime.Windows[window]; ot != nil {
		v.Overtime, v.OvertimeSince, v.Notice = true, ot.Since, OvertimeText
	}
	if p := s.Ratings.Prompts[window]; p != nil {
		v.Rating = &RatingPrompt{Number: p.Ticket.Number, Service: p.Ticket.Service, ExpiresAt: p.Expires(h.Setup.Ratings), Chosen: p.Chosen}
	}
	if r := s.Overtime.Log[s.Overtime.Confirm[window]]; r != nil {
		v.OvertimeConfirm = &OvertimeConfirm{Record: r.ID, Number: r.Ticket.Number, Start: r.Start, End: r.End}
	}
	if b := s.Bookings.Bookings[s.Bookings.Confirm[window]]; b != nil && b.Record != nil {
		v.BookingConfirm = &BookingConfirm{Number: b.Record.Ticket, Start: b.Record.Start, End: b.Record.End}
	}
}

// evaluatorMessage names the window an event of the hall's day touched and words
// overtime for the screens.
func evaluatorMessage(p room.Payload) (window, text, textEN string) {
	switch p := p.(type) {
	case overtime.Started:
		return p.Window, p.Window + " 号窗口" + OvertimeText, "Window " + p.Window + ": " + OvertimeTextEN
	case overtime.Ended:
		return p.Window, "", ""
	case overtime.Served:
		return p.Record.Window, "", ""
	case overtime.Confirmed:
		return p.Window, "", ""
	case rating.Given:
		return p.Window, "", ""
	case rating.Expired:
		return p.Window, "", ""
	case rating.Chosen:
		return p.Window, "", ""
	case rating.PromptOpened:
		return p.Window, "", ""
	}
	return "", "", ""
}
