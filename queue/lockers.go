package queue

import (
	"strings"
	"time"

	"hallfloor/errs"
	"hallfloor/locker"
	"hallfloor/outbox"
)

// The pickup lockers and the SMS outbox are rooms of their own (packages
// locker and outbox); this file hooks them into the hall's state, so their
// events share the hall's journal, sequence numbers and screens.

// LockerCommand carries a locker command through the hall's engine.
type LockerCommand struct{ Cmd locker.Command }

// MessageSent is the sender confirming a message of the outbox.
type MessageSent struct{ ID string }

// MessageFailed is a failed attempt to send a message; the outbox decides
// when to try again, or to give up.
type MessageFailed struct {
	ID     string
	Reason string
}

func (LockerCommand) command() {}
func (MessageSent) command()   {}
func (MessageFailed) command() {}

// decideDay lets these commands be decided in this file (see dayCommand).
func (c LockerCommand) decideDay(s *State, setup *Setup, now time.Time) (Outcome, error) {
	if c.Cmd == nil {
		return Outcome{}, errs.E(errs.Invalid, "no locker command")
	}
	evs, err := locker.Decide(s.Lockers, setup.Lockers, c.Cmd, now)
	if err != nil && len(evs) == 0 {
		return Outcome{}, err
	}
	out := Outcome{Refusal: err}
	for _, e := range evs {
		out.Events = append(out.Events, e)
	}
	return out, nil
}

func (c MessageSent) decideDay(s *State, _ *Setup, _ time.Time) (Outcome, error) {
	ev, ok := s.Outbox.Confirm(c.ID)
	if !ok {
		return Outcome{}, nil // confirmed before: nothing more to record
	}
	return Outcome{Events: []Payload{ev}}, nil
}

func (c MessageFailed) decideDay(s *State, _ *Setup, now time.Time) (Outcome, error) {
	reason := strings.TrimSpace(c.Reason)
	if len(reason) > 300 {
		reason = reason[:300]
	}
	ev, ok := s.Outbox.Fail(c.ID, reason, now)
	if !ok {
		return Outcome{}, errs.E(errs.NotFound, "no message %q is waiting to be sent", c.ID)
	}
	return Outcome{Events: []Payload{ev}}, nil
}

// lockerSetup fills in the lockers' settings; a hall without lockers has
// none, and every locker command finds no compartment.
func (s *Setup) lockerSetup() {
	if s.Lockers == nil {
		s.Lockers = &locker.Setup{}
	}
	l := s.Lockers.WithDefaults()
	s.Lockers = &l
}

// adoptLockers gives a state (new, or restored from an older snapshot) its
// lockers and outbox.
func (s *State) adoptLockers(setup *Setup) {
	if s.Outbox == nil {
		s.Outbox = outbox.New()
	}
	if s.Lockers == nil {
		s.Lockers = &locker.State{}
	}
	ls := setup.Lockers
	if ls == nil {
		ls = &locker.Setup{}
	}
	s.Lockers.Adopt(ls)
}

// applyLockers hands the lockers' and the outbox's events to their rooms.
func (s *State) applyLockers(e Event) {
	typ := e.Data.Type()
	switch {
	case strings.HasPrefix(typ, "outbox."):
		s.Outbox.Apply(e.At, e.Data)
	case strings.HasPrefix(typ, "locker."):
		s.Lockers.Apply(e.At, e.Data)
	}
}

// lockerChecks is what time alone makes due at the lockers: overdue items,
// doors left open, releases no door answered.
func lockerChecks(s *State, setup *Setup, now time.Time) []Payload {
	evs, _ := locker.Decide(s.Lockers, setup.Lockers, locker.Check{}, now)
	out := make([]Payload, 0, len(evs))
	for _, e := range evs {
		out = append(out, e)
	}
	return out
}

// publicOther strips the lockers' and the outbox's events for screens.
func publicOther(p Payload) Payload {
	switch e := p.(type) {
	case outbox.Queued:
		return e.Public()
	case outbox.Failed:
		e.Error = "" // a gateway's answer is for the manager, not the hall's screens
		return e
	}
	if strings.HasPrefix(p.Type(), "locker.") {
		return locker.Public(p)
	}
	return p
}

func init() {
	for typ, d := range locker.Decoders() {
		decoders[typ] = func(b []byte) (Payload, error) {
			v, err := d(b)
			return v, err
		}
	}
	register[outbox.Queued]()
	register[outbox.Sent]()
	register[outbox.Failed]()
}
