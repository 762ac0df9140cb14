package queue

import (
	"time"

	"hallfloor/errs"
	"hallfloor/room"
)

// Issuance is whether walk-in numbers are issued at a moment and, when they
// are not, when they next are: the rule that refuses a number after hours
// and what the kiosk and the hall screen show, from the same answer.
type Issuance struct {
	Open bool
	// Next is the next session's start while closed; zero when the
	// calendar names none in the month ahead.
	Next time.Time
}

// Issuing is the hall's issuance at now, by its calendar.
func Issuing(setup *Setup, now time.Time) Issuance {
	cal := setup.Calendar
	if cal.Open(now) {
		return Issuance{Open: true}
	}
	next, _ := cal.NextOpening(now)
	return Issuance{Next: next}
}

// checkHours refuses walk-in numbers while the hall is closed: after its
// last session, between sessions and before it opens. Everyone who took a
// number before the close is still served (overtime).
func checkHours(setup *Setup, now time.Time) error {
	is := Issuing(setup, now)
	switch {
	case is.Open:
		return nil
	case is.Next.IsZero():
		return errs.R(errs.Conflict, "hall_closed")
	}
	return errs.R(errs.Conflict, "hall_closed_until", "at", is.Next.In(setup.Calendar.Location).Format("2006-01-02 15:04"))
}

// IssuingClosed is the hall no longer issuing numbers (a session ended):
// every kiosk and screen learns it at once, not at the next tap.
type IssuingClosed struct {
	Next time.Time `json:"next_open,omitzero"`
}

// IssuingOpened is the hall issuing numbers again.
type IssuingOpened struct{}

func (IssuingClosed) Type() string { return "issuing.closed" }
func (IssuingOpened) Type() string { return "issuing.opened" }

func init() {
	room.Register[IssuingClosed]()
	room.Register[IssuingOpened]()
}

// IssuingDue is the event that says issuing changed at now, if it did. A
// hall whose state has heard nothing yet counts as issuing.
func IssuingDue(s *State, setup *Setup, now time.Time) []room.Payload {
	if open := setup.Calendar.Open(now); open == s.IssuingClosed {
		if open {
			return []room.Payload{IssuingOpened{}}
		}
		return []room.Payload{IssuingClosed{Next: Issuing(setup, now).Next}}
	}
	return nil
}
