// Package overtime is the room of a session's end (罗山 延时办): when a
// session ends, every window with people still waiting for its services, or
// still serving, keeps going until they are done, and each service it gives
// then is registered (延时服务登记表) and confirmed by clerk and applicant.
// The handover reminder of the session's last half hour lives here too.
package overtime

import (
	"time"

	"hallfloor/queue"
	"hallfloor/room"
)

// Why overtime ended.
const (
	EndDone    = "queue_empty" // nobody waits and the last service is finished
	EndSession = "session"     // a new session began: the rest is regular work
	EndClosed  = "closed"      // the clerk signed off
)

// Who confirms an overtime service.
const (
	ByClerk     = "clerk"
	ByApplicant = "applicant"
)

// Record is one line of the 延时服务登记表.
type Record struct {
	ID     string          `json:"id"`
	Window string          `json:"window"`
	Staff  string          `json:"staff"`
	Ticket queue.TicketRef `json:"ticket"`
	Start  time.Time       `json:"start"`
	End    time.Time       `json:"end"`
	// ClerkConfirmed and ApplicantConfirmed are when each side confirmed.
	ClerkConfirmed     time.Time `json:"clerk_confirmed,omitzero"`
	ApplicantConfirmed time.Time `json:"applicant_confirmed,omitzero"`
}

// Window is a window in overtime.
type Window struct {
	Since time.Time `json:"since"`
	// Staff is who was signed on when the overtime started, named when it
	// ends at a window nobody is signed on to any more.
	Staff string `json:"staff,omitempty"`
}

// State is the hall's overtime of today.
type State struct {
	// Windows are the windows in overtime now.
	Windows map[string]*Window `json:"windows,omitempty"`
	// Log is today's 延时服务登记表.
	Log map[string]*Record `json:"log,omitempty"`
	Seq uint64             `json:"seq,omitempty"`
	// Confirm is, per window, the record its evaluator asks the applicant
	// to confirm.
	Confirm map[string]string `json:"confirm,omitempty"`
	// Handover is the end of the session the handover reminder was last
	// sent for.
	Handover time.Time `json:"handover,omitzero"`
}

// NewState is a hall without overtime.
func NewState() *State {
	s := &State{}
	s.Adopt()
	return s
}

// Adopt fills in the maps a state restored from a snapshot may lack.
func (s *State) Adopt() {
	if s.Windows == nil {
		s.Windows = map[string]*Window{}
	}
	if s.Log == nil {
		s.Log = map[string]*Record{}
	}
	if s.Confirm == nil {
		s.Confirm = map[string]string{}
	}
}

// In reports whether a window is in overtime.
func (s *State) In(window string) bool { return s.Windows[window] != nil }

type Started struct {
	Window     string    `json:"window"`
	Staff      string    `json:"staff"`
	SessionEnd time.Time `json:"session_end"`
	Waiting    int       `json:"waiting"`
}

type Ended struct {
	Window string `json:"window"`
	Staff  string `json:"staff"`
	Reason string `json:"reason"`
}

// Served registers a service finished while its window was in overtime.
type Served struct {
	Record Record `json:"record"`
}

type Confirmed struct {
	ID     string `json:"id"`
	Window string `json:"window"`
	By     string `json:"by"`    // clerk or applicant
	Staff  string `json:"staff"` // who confirmed, for a clerk
}

func (Started) Type() string   { return "overtime.started" }
func (Ended) Type() string     { return "overtime.ended" }
func (Served) Type() string    { return "overtime.served" }
func (Confirmed) Type() string { return "overtime.confirmed" }

func (e Served) Public() room.Payload {
	e.Record.Ticket.ID = ""
	return e
}

func init() {
	room.Register[Started]()
	room.Register[Ended]()
	room.Register[Served]()
	room.Register[Confirmed]()
	room.Register[HandoverReminded]()
}

// Apply changes the overtime by one event.
func (s *State) Apply(e room.Event) {
	switch p := e.Data.(type) {
	case Started:
		s.Windows[p.Window] = &Window{Since: e.At, Staff: p.Staff}
	case Ended:
		delete(s.Windows, p.Window)
	case Served:
		r := p.Record
		s.Log[r.ID] = &r
		s.Seq++
		s.Confirm[r.Window] = r.ID
	case Confirmed:
		r := s.Log[p.ID]
		if r == nil {
			return
		}
		if p.By == ByApplicant {
			r.ApplicantConfirmed = e.At
			if s.Confirm[p.Window] == p.ID {
				delete(s.Confirm, p.Window)
			}
		} else {
			r.ClerkConfirmed = e.At
		}
	case HandoverReminded:
		s.Handover = p.SessionEnd
	case queue.DayStarted:
		// The register is filed from the journal; today's confirmations are
		// asked for today only.
		clear(s.Log)
		clear(s.Confirm)
	}
}
