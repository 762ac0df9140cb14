package hall

import (
	"time"

	"hallfloor/booking"
	"hallfloor/cases"
	"hallfloor/consult"
	"hallfloor/envelope"
	"hallfloor/equipment"
	"hallfloor/errs"
	"hallfloor/locker"
	"hallfloor/outbox"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
	"hallfloor/session"
)

// Command is a command of one of the hall's rooms (queue.Command,
// rating.Command, overtime.Command, locker.Command, outbox.Command,
// equipment.Command, session.Command, consult.Command, booking.Command, cases.Command), or
// Tick, or IssueTicket (a number with reminders).
type Command any

// Tick lets time pass: it asks every room what is due now (overtime at a
// session's end, expired rating prompts, overdue follow-ups, the handover
// reminder, locker deadlines, 咨询号 nobody acknowledged in time, late
// bookings and their reminders, cases past their promised deadline) and,
// like every command, starts a new day first when one is due. For cases
// it also reports materials late for the handover, batches unsigned, joint
// opinions, 同城通办 posts and 容缺 materials late, and lets closed cases
// leave the state.
type Tick struct{}

// Decide checks a command against the hall and returns what happens. It
// changes nothing; an error means nothing happens.
func Decide(s *State, setup *Setup, cmd Command, env room.Env) (room.Outcome, error) {
	switch c := cmd.(type) {
	case Tick:
		return room.Outcome{Events: due(s, setup, env.Now)}, nil
	case IssueTicket:
		// A number with Via set (an appointment, a consultation's hand-on)
		// is refused here as everywhere (via_by_room): only the rooms
		// issue it, through queue.IssueVia.
		return decideIssue(s, setup, c, env)
	case queue.Command:
		return queue.Decide(s.Queue, setup.Queue, c, env)
	case rating.Command:
		return rating.Decide(s.Ratings, setup.Ratings, s.Queue, setup.Queue, c, env)
	case overtime.Command:
		return overtime.Decide(s.Overtime, setup.Calendar(), s.Queue, setup.Queue, c, env)
	case locker.Deposit:
		// A case's result goes into a locker only as the case allows.
		if err := cases.CheckDeposit(s.Cases, c.Item); err != nil {
			return room.Outcome{}, err
		}
		evs, err := locker.Decide(s.Lockers, setup.Lockers, c, env.Now)
		return room.Outcome{Events: evs}, err
	case locker.Command:
		evs, err := locker.Decide(s.Lockers, setup.Lockers, c, env.Now)
		if err != nil && len(evs) == 0 {
			return room.Outcome{}, err
		}
		// Refused, but what it recorded stands: a wrong pickup code counts
		// towards the lockout.
		return room.Outcome{Events: evs, Refusal: err}, nil
	case outbox.Command:
		return outbox.Decide(s.Outbox, c, env.Now)
	case equipment.Command:
		return equipment.Decide(s.Equipment, c)
	case session.Command:
		return session.Decide(s.Sessions, c)
	case consult.Command:
		return consult.Decide(s.Consults, setup.Consults, s.Queue, setup.Queue, c, env)
	case booking.Command:
		return decideBooking(s, setup, c, env)
	case cases.TakePickup:
		return decideTakePickup(s, setup, c, env)
	case envelope.Issue:
		return decideEnvelopeIssue(s, setup, c, env)
	case envelope.Command:
		return decideEnvelope(s, setup, c, env)
	case cases.Open:
		if c.Missing == cases.MissingEnvelope {
			// The envelope comes with its case, in one command (Issue).
			return room.Outcome{}, errs.Bad("envelope", "envelope_needed")
		}
		return decideCollection(s, setup, c, env)
	case cases.ChooseCollection:
		return decideCollection(s, setup, c, env)
	case cases.Command:
		return cases.Decide(s.Cases, setup.Cases, s.Queue, setup.Queue, c, env)
	case nil:
		return room.Outcome{}, errs.Bad("command", "no_command")
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "hall: unknown command %T", cmd)
}

// due is everything time alone makes due at now.
func due(s *State, setup *Setup, now time.Time) []room.Payload {
	var evs []room.Payload
	evs = append(evs, queue.IssuingDue(s.Queue, setup.Queue, now)...)
	evs = append(evs, overtime.Due(s.Overtime, setup.Calendar(), s.Queue, setup.Queue, now)...)
	evs = append(evs, rating.ExpiredPrompts(s.Ratings, setup.Ratings, now)...)
	evs = append(evs, rating.Overdue(s.Ratings, now)...)
	evs = append(evs, overtime.HandoverDue(s.Overtime, setup.Calendar(), s.Queue, setup.Queue, now)...)
	lk, _ := locker.Decide(s.Lockers, setup.Lockers, locker.Check{}, now)
	evs = append(evs, lk...)
	evs = append(evs, consult.Due(s.Consults, setup.Consults, now)...)
	evs = append(evs, booking.Due(s.Bookings, setup.Bookings, now)...)
	evs = append(evs, cases.Due(s.Cases, setup.Cases, now)...)
	evs = append(evs, envelope.Due(s.Envelopes, setup.Envelopes, now)...)
	return evs
}

// Due reports whether a Tick at now would change anything, so the engine's
// ticker commits only when there is something to say.
func Due(s *State, setup *Setup, now time.Time) bool {
	return Rollover(s, setup, now) != nil || len(due(s, setup, now)) > 0
}

// Rollover returns the event that starts a new day if now is past the
// hall's day, or nil.
func Rollover(s *State, setup *Setup, now time.Time) room.Payload {
	return queue.Rollover(s.Queue, setup.Queue, now)
}

// Run is one step of the hall: a new day first when one is due, then the
// command decided, its events applied, and the reactions they cause applied
// in turn. It returns what was decided and every event applied, stamped
// with the hall's next sequence numbers and env.Now. On a refusal only the
// new day, or what a refusal records, is applied.
func (s *State) Run(setup *Setup, cmd Command, env room.Env) (room.Outcome, []room.Event, error) {
	applied := make([]room.Event, 0, 4)
	apply := func(ps []room.Payload) []room.Event {
		start := len(applied)
		for _, p := range ps {
			e := room.Event{Seq: s.Seq + 1, At: env.Now, Data: p}
			s.Apply(e)
			applied = append(applied, e)
		}
		return applied[start:]
	}
	if ev := Rollover(s, setup, env.Now); ev != nil {
		apply(react(s, setup, apply([]room.Payload{ev})))
	}
	out, err := Decide(s, setup, cmd, env)
	if err != nil {
		return room.Outcome{}, applied, err
	}
	evs := apply(out.Events)
	// A reaction may cause another (a finished service in overtime is
	// registered; the empty window then leaves overtime): a few rounds
	// settle it, and a bound guards against a loop that would be a bug.
	for range maxReactionRounds {
		more := react(s, setup, evs)
		if len(more) == 0 {
			break
		}
		evs = apply(more)
	}
	return out, applied, nil
}

const maxReactionRounds = 4
