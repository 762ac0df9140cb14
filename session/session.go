// Package session is the room of staff sign-offs: when a member of staff
// signs off, every sign-in they made before ends, on every terminal, and
// stays ended after a restart, because the sign-off is journaled like
// every other event. A sign-in names the last sign-off it comes after; it
// is good only while that is still its staff member's last.
package session

import (
	"hallfloor/errs"
	"hallfloor/room"
)

// Command is a request to the sign-offs' room.
type Command interface{ sessionCommand() }

// SignOff ends every sign-in the actor has made so far.
type SignOff struct {
	Actor room.Actor
}

func (SignOff) sessionCommand() {}

// SignedOff is a sign-off, as journaled.
type SignedOff struct {
	Staff string `json:"staff"`
}

func (SignedOff) Type() string { return "staff.signed_off" }

// Public is the event as a screen sees it: that someone signed off, not who.
func (e SignedOff) Public() room.Payload { return SignedOff{} }

func init() { room.Register[SignedOff]() }

// State is, per member of staff, the sequence number of their last
// sign-off; a member who never signed off has none (0).
type State struct {
	Last map[string]uint64 `json:"last,omitempty"`
}

// NewState is a hall where nobody has signed off.
func NewState() *State { return &State{Last: map[string]uint64{}} }

// Adopt fits a state restored from a snapshot.
func (s *State) Adopt() {
	if s.Last == nil {
		s.Last = map[string]uint64{}
	}
}

// Decide checks a command against the state.
func Decide(_ *State, c Command) (room.Outcome, error) {
	switch c := c.(type) {
	case SignOff:
		if !c.Actor.Staffed() {
			return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
		}
		return room.Outcome{Events: []room.Payload{SignedOff{Staff: c.Actor.Staff}}}, nil
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "session: unknown command %T", c)
}

// Apply keeps a sign-off.
func (s *State) Apply(e room.Event) {
	if p, ok := e.Data.(SignedOff); ok && p.Staff != "" {
		s.Last[p.Staff] = e.Seq
	}
}
