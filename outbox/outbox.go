// Package outbox holds messages to citizens (SMS) until a sender confirms
// them, as pure state: a message is queued by the event that needs it, in
// the same commit, so a crash can delay a message but never lose it. The
// text is sealed by the edge that built it (it may hold a pickup code) and
// is opaque here.
package outbox

import (
	"slices"
	"strings"
	"time"

	"hallfloor/errs"
	"hallfloor/room"
)

// Queued is a new message.
type Queued struct {
	ID      string `json:"id"`
	Purpose string `json:"purpose"` // e.g. locker.code
	Sealed  []byte `json:"sealed"`  // recipient and secret, encrypted with the hall's key
	// Vars are the words the room that queued it decided (a bank, a
	// compartment, a deadline): the text is worded from them when sent.
	Vars map[string]string `json:"vars,omitempty"`
}

// Words a queued message may carry in Vars.
const (
	VarCase     = "case"
	VarWhat     = "what"
	VarBank     = "bank"
	VarComp     = "comp"
	VarDeadline = "deadline" // RFC 3339; worded in the hall's zone when sent
	VarPhone    = "phone"    // the recipient, for a message sealed without one
	VarNumber   = "number"   // a queue number (A012)
	VarWindow   = "window"   // the window that calls it
	VarAhead    = "ahead"    // people still before it
)

// Sent is a message the sender delivered.
type Sent struct {
	ID string `json:"id"`
}

// Failed is a failed attempt; the sender tries again at Next, or gives up.
type Failed struct {
	ID       string    `json:"id"`
	Attempts int       `json:"attempts"`
	Error    string    `json:"error"`
	Next     time.Time `json:"next,omitzero"`
	GaveUp   bool      `json:"gave_up,omitempty"`
}

// Held is a message sealed before the moment it is for (a ticket's turn
// near, its call): the hall queues it when that moment comes, at most once,
// or withdraws it when the moment cannot come any more.
type Held struct {
	Message Queued `json:"message"`
	Ticket  string `json:"ticket"`
	When    string `json:"when"`
}

// Withdrawn drops a held message unsent.
type Withdrawn struct {
	ID string `json:"id"`
}

func (Queued) Type() string    { return "outbox.queued" }
func (Sent) Type() string      { return "outbox.sent" }
func (Failed) Type() string    { return "outbox.failed" }
func (Held) Type() string      { return "outbox.held" }
func (Withdrawn) Type() string { return "outbox.withdrawn" }

// Public hides the sealed text from screens.
func (q Queued) Public() room.Payload { q.Sealed, q.Vars = nil, nil; return q }

// Public keeps the message and whose ticket it is for off the screens.
func (h Held) Public() room.Payload {
	return Held{Message: Queued{ID: h.Message.ID, Purpose: h.Message.Purpose}, When: h.When}
}

// Public keeps a gateway's answer for the manager, off the hall's screens.
func (f Failed) Public() room.Payload { f.Error = ""; return f }

func init() {
	room.Register[Queued]()
	room.Register[Sent]()
	room.Register[Failed]()
	room.Register[Held]()
	room.Register[Withdrawn]()
}

// Message is one message waiting to go out.
type Message struct {
	ID       string            `json:"id"`
	Purpose  string            `json:"purpose"`
	Sealed   []byte            `json:"sealed"`
	Vars     map[string]string `json:"vars,omitempty"`
	Queued   time.Time         `json:"queued"`
	Attempts int               `json:"attempts"`
	Next     time.Time         `json:"next"` // not before
	Error    string            `json:"error,omitempty"`
	GaveUp   bool              `json:"gave_up,omitempty"`
	SentAt   time.Time         `json:"sent_at,omitzero"`
}

// State is the outbox.
type State struct {
	Pending map[string]*Message `json:"pending"`
	// Recent are the last messages sent, newest last, so the manager can see
	// that they went out. Their text stays sealed, as in the journal.
	Recent []Message `json:"recent,omitempty"`
	// Held are messages sealed ahead of their moment, by id.
	Held map[string]*Held `json:"held,omitempty"`
	// NextSweep is when the messages given up are next looked through for
	// those kept long enough.
	NextSweep time.Time `json:"next_sweep,omitzero"`
	// Pushes are the signed deliveries still to go, by id; PushLog those
	// done, newest last (push.go).
	Pushes  map[string]*Push `json:"pushes,omitempty"`
	PushLog []Push           `json:"push_log,omitempty"`
}

// KeepGivenUp is how long a message given up stays for the manager to see,
// counted from when it was queued: long enough to be seen after a weekend
// or a holiday, not forever (its sealed text names a citizen).
const KeepGivenUp = 14 * 24 * time.Hour

// KeepRecent bounds Recent.
const KeepRecent = 50

// New is an empty outbox.
func New() *State { return &State{Pending: map[string]*Message{}, Held: map[string]*Held{}} }

// MaxAttempts is how often a message is tried before it is given up and
// left for the manager to see.
const MaxAttempts = 8

// Backoff is the wait before attempt n+1: 30 s, 1 min, 2 min … capped at 30 min.
func Backoff(attempts int) time.Duration {
	d := 30 * time.Second << min(attempts-1, 6)
	return min(d, 30*time.Minute)
}

// Apply changes the outbox by one of its events; at is the event's time.
func (s *State) Apply(at time.Time, p any) {
	if s.Pending == nil {
		s.Pending = map[string]*Message{}
	}
	if s.Held == nil {
		s.Held = map[string]*Held{}
	}
	s.forget(at)
	s.applyPush(at, p)
	switch e := p.(type) {
	case Queued:
		s.Pending[e.ID] = &Message{ID: e.ID, Purpose: e.Purpose, Sealed: e.Sealed, Vars: e.Vars, Queued: at, Next: at}
		delete(s.Held, e.ID)
	case Held:
		s.Held[e.Message.ID] = &e
	case Withdrawn:
		delete(s.Held, e.ID)
	case Sent:
		if m := s.Pending[e.ID]; m != nil {
			m.SentAt, m.Error = at, ""
			s.Recent = append(s.Recent, *m)
			if n := len(s.Recent) - KeepRecent; n > 0 {
				s.Recent = slices.Delete(s.Recent, 0, n)
			}
		}
		delete(s.Pending, e.ID)
	case Failed:
		if m := s.Pending[e.ID]; m != nil {
			m.Attempts, m.Error, m.Next, m.GaveUp = e.Attempts, e.Error, e.Next, e.GaveUp
		}
	}
}

// forget drops the messages given up and kept KeepGivenUp, at the first
// event of any room past NextSweep: the events alone say when, so replay
// forgets them at the same event. A message given up decides nothing, so
// when it goes changes no decision.
func (s *State) forget(at time.Time) {
	if at.Before(s.NextSweep) {
		return
	}
	for id, m := range s.Pending {
		if m.GaveUp && !at.Before(m.Queued.Add(KeepGivenUp)) {
			delete(s.Pending, id)
		}
	}
	// At most hourly: the pending messages are few, and a message given up
	// stays at most an hour past its time.
	s.NextSweep = at.Add(sweepEvery)
}

// sweepEvery is the least time between two looks for messages to forget.
const sweepEvery = time.Hour

// Due lists the messages to send at now, oldest first.
func (s *State) Due(now time.Time) []Message {
	var out []Message
	for _, m := range s.Pending {
		if !m.GaveUp && !m.Next.After(now) {
			out = append(out, *m)
		}
	}
	slices.SortFunc(out, func(a, b Message) int { return a.Queued.Compare(b.Queued) })
	return out
}

// Fail decides the event for a failed attempt at now.
func (s *State) Fail(id, reason string, now time.Time) (Failed, bool) {
	m := s.Pending[id]
	if m == nil {
		return Failed{}, false
	}
	f := Failed{ID: id, Attempts: m.Attempts + 1, Error: reason}
	if f.Attempts >= MaxAttempts {
		f.GaveUp = true
	} else {
		f.Next = now.Add(Backoff(f.Attempts))
	}
	return f, true
}

// Confirm decides the event for a delivered message; false when the message is
// no longer pending (a repeated confirmation).
func (s *State) Confirm(id string) (Sent, bool) {
	if s.Pending[id] == nil {
		return Sent{}, false
	}
	return Sent{ID: id}, true
}

// Command is a request to the outbox: the sender reporting on a message.
type Command interface{ outboxCommand() }

// MarkSent is the sender confirming a message.
type MarkSent struct{ ID string }

// MarkFailed is a failed attempt to send a message; the outbox decides when
// to try again, or to give up.
type MarkFailed struct {
	ID     string
	Reason string
}

func (MarkSent) outboxCommand()   {}
func (MarkFailed) outboxCommand() {}

// maxFailure bounds the gateway's answer kept with a failed attempt.
const maxFailure = 300

// Decide checks the sender's report against the outbox.
func Decide(s *State, cmd Command, now time.Time) (room.Outcome, error) {
	switch c := cmd.(type) {
	case MarkSent:
		ev, ok := s.Confirm(c.ID)
		if !ok {
			return room.Outcome{}, nil // confirmed before: nothing more to record
		}
		return room.Outcome{Events: []room.Payload{ev}}, nil
	case MarkFailed:
		reason := strings.TrimSpace(c.Reason)
		if len(reason) > maxFailure {
			reason = strings.ToValidUTF8(reason[:maxFailure], "")
		}
		ev, ok := s.Fail(c.ID, reason, now)
		if !ok {
			return room.Outcome{}, errs.R(errs.NotFound, "no_message", "id", c.ID)
		}
		return room.Outcome{Events: []room.Payload{ev}}, nil
	case MarkPushDelivered, MarkPushFailed:
		return decidePush(s, c, now)
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "outbox: unknown command %T", cmd)
}
