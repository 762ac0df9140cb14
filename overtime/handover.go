package overtime

import (
	"time"

	"hallfloor/calendar"
	"hallfloor/queue"
	"hallfloor/room"
)

// HandoverLead is how long before a session's end intake windows are told
// to hand their paper materials to the back office (台州 细则 三(四)).
const HandoverLead = 30 * time.Minute

// HandoverReminded asks the intake windows to hand over their materials
// before the session ends.
type HandoverReminded struct {
	SessionEnd time.Time `json:"session_end"`
	Windows    []string  `json:"windows"`
}

func (HandoverReminded) Type() string { return "handover.reminded" }

// HandoverDue is the handover job as a function of (state, now): once per
// session, in its last half hour, to the open intake windows.
func HandoverDue(s *State, cal *calendar.Calendar, q *queue.State, qs *queue.Setup, now time.Time) []room.Payload {
	if cal.AlwaysOpen {
		return nil
	}
	_, end, ok := cal.Current(now)
	if !ok || end.Sub(now) > HandoverLead || s.Handover.Equal(end) {
		return nil
	}
	var windows []string
	for _, ws := range qs.Windows {
		if q.Windows[ws.ID].State == queue.Closed {
			continue
		}
		for _, code := range ws.Services {
			if sv := qs.Service(code); sv != nil && sv.Kind == queue.Intake {
				windows = append(windows, ws.ID)
				break
			}
		}
	}
	if len(windows) == 0 {
		return nil
	}
	return []room.Payload{HandoverReminded{SessionEnd: end, Windows: windows}}
}
