package queue

import (
	"time"

	"hallfloor/calendar"
	"hallfloor/errs"
)

// The hall's day: opening hours for walk-ins, the handover reminder, and the
// jobs that run as time passes (overtime, rating prompts, follow-ups). Each
// job is a function of (state, now), so the scheduler and the engine's
// ticker only choose when to ask.

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

// RemindHandover sends the handover reminder if the last half hour of a
// session has begun and it has not been sent for this session.
type RemindHandover struct{}

func (RemindHandover) command() {}

func (RemindHandover) decideDay(s *State, setup *Setup, now time.Time) (Outcome, error) {
	return Outcome{Events: handoverDue(s, setup, now)}, nil
}

// dayCommand is a command of the hall's day, decided in its own file.
type dayCommand interface {
	Command
	decideDay(s *State, setup *Setup, now time.Time) (Outcome, error)
}

// daySetup fills in what the hall file left out: a hall without a calendar
// is always open and counts deadlines Monday to Friday.
func (s *Setup) daySetup() {
	if s.Calendar == nil {
		s.Calendar = &calendar.Calendar{Location: s.Location, AlwaysOpen: true}
	}
	s.Ratings = s.Ratings.withDefaults()
}

// decideTick is everything that is due because time passed.
func decideTick(s *State, setup *Setup, now time.Time) Outcome {
	var evs []Payload
	evs = append(evs, checkOvertime(s, setup, now)...)
	evs = append(evs, expiredPrompts(s, setup, now)...)
	evs = append(evs, overdueFollowUps(s, now)...)
	evs = append(evs, handoverDue(s, setup, now)...)
	evs = append(evs, lockerChecks(s, setup, now)...)
	return Outcome{Events: evs}
}

// Due reports whether a Tick at now would change anything, so the engine's
// ticker commits only when there is something to say.
func Due(s *State, setup *Setup, now time.Time) bool {
	return len(decideTick(s, setup, now).Events) > 0
}

// afterDecide completes every decided outcome with the consequences the
// hall's day draws from it.
func afterDecide(s *State, setup *Setup, out Outcome, now time.Time) Outcome {
	return afterOvertime(s, setup, out, now)
}

// decideIssueInHours refuses walk-in numbers while the hall is closed: after
// its last session, between sessions and before it opens. Everyone who took
// a number before the close is still served (overtime).
func decideIssueInHours(s *State, setup *Setup, c IssueTicket, now time.Time) (Outcome, error) {
	if err := checkHours(setup, now); err != nil {
		return Outcome{}, err
	}
	return decideIssue(s, setup, c)
}

func checkHours(setup *Setup, now time.Time) error {
	cal := setup.Calendar
	if cal.Open(now) {
		return nil
	}
	next, ok := cal.NextOpening(now)
	if !ok {
		return errs.E(errs.Conflict, "the hall is closed; no numbers are issued now (大厅已停止取号)")
	}
	at := next.In(cal.Location).Format("2006-01-02 15:04")
	return errs.E(errs.Conflict, "the hall is closed; numbers are issued again from %s (大厅已停止取号，请于 %s 后取号)", at, at)
}

// handoverDue is the handover job as a function of (state, now): once per
// session, in its last half hour, to the open intake windows.
func handoverDue(s *State, setup *Setup, now time.Time) []Payload {
	cal := setup.Calendar
	if cal.AlwaysOpen {
		return nil
	}
	_, end, ok := cal.Current(now)
	if !ok || end.Sub(now) > HandoverLead || s.Handover.Equal(end) {
		return nil
	}
	var windows []string
	for _, ws := range setup.Windows {
		if s.Windows[ws.ID].State == Closed {
			continue
		}
		for _, code := range ws.Services {
			if sv := setup.Service(code); sv != nil && sv.Kind == Intake {
				windows = append(windows, ws.ID)
				break
			}
		}
	}
	if len(windows) == 0 {
		return nil
	}
	return []Payload{HandoverReminded{SessionEnd: end, Windows: windows}}
}

// applyDay applies what the hall's day adds to every event.
func (s *State) applyDay(e Event) {
	s.applyRating(e)
	s.applyOvertime(e)
	if p, ok := e.Data.(HandoverReminded); ok {
		s.Handover = p.SessionEnd
	}
}
