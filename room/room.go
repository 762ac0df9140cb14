// Package room is what every room of the hall's domain shares: the events a
// room decides and applies, the one registry that names them in the journal,
// the one way to strip an event for public screens, and the environment a
// decision is given (its time and new ids), so no room reads a clock or a
// random source.
package room

import (
	"encoding/json"
	"fmt"
	"time"
)

// Payload is what happened, one of the rooms' event types.
type Payload interface {
	// Type names the event on the wire and in the journal, e.g. "ticket.called".
	Type() string
}

// Event is a payload with its place in the hall's history.
type Event struct {
	Seq  uint64
	At   time.Time
	Data Payload
}

// Env is what a decision may know beyond the state and the command: the
// time, and new unguessable ids. The engine gives the real ones; tests and
// replays give fixed ones.
type Env struct {
	Now   time.Time
	NewID func() string
}

// ID returns a new id, or "" when the environment has none to give.
func (e Env) ID() string {
	if e.NewID == nil {
		return ""
	}
	return e.NewID()
}

// Outcome is what a command decided: the events to journal and the ticket
// the answer is about, if any.
type Outcome struct {
	Events []Payload
	Ticket string
	// Refusal refuses the command although Events are recorded: a wrong
	// pickup code is refused, and the wrong try is kept for the lockout.
	Refusal error
}

// Publicer is implemented by payloads that hold something a public screen
// must not show; Public returns the stripped copy, or nil for an event that
// is journaled but is no screen's business at all.
type Publicer interface{ Public() Payload }

// Public strips what a payload must not show on a screen; nil means the
// event is private and no screen is sent it.
func Public(p Payload) Payload {
	if v, ok := p.(Publicer); ok {
		return v.Public()
	}
	return p
}

var decoders = map[string]func([]byte) (Payload, error){}

// Register names T in the journal. Every room registers its events in an
// init function; a type registered twice is a bug found at start.
func Register[T Payload]() {
	var zero T
	typ := zero.Type()
	if _, dup := decoders[typ]; dup {
		panic("room: event type " + typ + " registered twice")
	}
	decoders[typ] = func(b []byte) (Payload, error) {
		var v T
		err := json.Unmarshal(b, &v)
		return v, err
	}
}

// Decode turns a journaled payload back into its type.
func Decode(typ string, data []byte) (Payload, error) {
	d, ok := decoders[typ]
	if !ok {
		return nil, fmt.Errorf("unknown event type %q", typ)
	}
	return d(data)
}

// Types lists the registered event types, for tests that every one of them
// survives the journal.
func Types() []string {
	out := make([]string, 0, len(decoders))
	for t := range decoders {
		out = append(out, t)
	}
	return out
}

// Role is what a member of staff may do in the hall.
type Role string

const (
	Clerk   Role = "clerk"   // 窗口受理人员: operates the window signed on
	Manager Role = "manager" // 大厅管理员: may act at any window
	Guide   Role = "guide"   // 导办员: takes numbers, priority ones too, for others
)

// Actor is who gives a command: a signed-in member of staff, or nobody (a
// citizen at a kiosk, a panel, a phone).
type Actor struct {
	Staff string
	Role  Role
}

// Staffed reports whether a member of staff gives the command.
func (a Actor) Staffed() bool { return a.Staff != "" }

// IsManager reports whether the actor is a signed-in manager.
func (a Actor) IsManager() bool { return a.Staff != "" && a.Role == Manager }
