package envelope

import (
	"time"

	"hallfloor/cases"
	"hallfloor/outbox"
	"hallfloor/room"
)

// Choice is a missing material and the way it comes.
type Choice struct {
	Code string `json:"code"`
	Way  Way    `json:"way"`
}

// Issued is the envelope issued with its case: the materials and their
// ways, who pays the post, where it goes.
type Issued struct {
	Case      cases.Ref                `json:"case"`
	Token     string                   `json:"token"`
	Window    string                   `json:"window"`
	Clerk     string                   `json:"clerk"`
	Party     cases.Party              `json:"party"`
	Postage   Postage                  `json:"postage"`
	Recipient Recipient                `json:"recipient"`
	Materials []Choice                 `json:"materials"`
	Phone     string                   `json:"phone,omitempty"`
	Notices   map[string]outbox.Queued `json:"notices,omitempty"`
}

// Submitted is the applicant's submission of a material: its files, and
// who is told (the issuing clerk on the terminal; Notified, the group's
// leader and 业务专员, by SMS).
type Submitted struct {
	Case       cases.Ref `json:"case"`
	Submission string    `json:"submission"`
	Material   string    `json:"material"`
	Way        Way       `json:"way"`
	Files      []File    `json:"files"`
	Clerk      string    `json:"clerk"`
	Window     string    `json:"window"`
	Notified   []string  `json:"notified,omitempty"`
}

// Reviewed is the clerk's review of a submission: passed, or rejected with
// the reason. A passed upload supplies the material (cases.Supplied in the
// same command); a passed paper may be posted.
type Reviewed struct {
	Case       cases.Ref `json:"case"`
	Submission string    `json:"submission"`
	Material   string    `json:"material"`
	Way        Way       `json:"way"`
	Pass       bool      `json:"pass"`
	Reason     string    `json:"reason,omitempty"`
	Staff      string    `json:"staff"`
}

// CourierBooked is the applicant's booking of the courier for the paper.
type CourierBooked struct {
	Case     cases.Ref `json:"case"`
	Name     string    `json:"name"`
	Phone    string    `json:"phone"`
	Address  string    `json:"address"`
	PickupAt time.Time `json:"pickup_at"`
}

// Tracked is a state of the post recorded by the clerk; Arrived supplies
// the material (cases.Supplied in the same command).
type Tracked struct {
	Case     cases.Ref `json:"case"`
	Material string    `json:"material"`
	State    Status    `json:"state"`
	Staff    string    `json:"staff"`
}

// ReviewLate is a submission left unreviewed past the setting, once: the
// dashboard's alert.
type ReviewLate struct {
	Case       cases.Ref `json:"case"`
	Submission string    `json:"submission"`
	Since      time.Time `json:"since"`
}

func (Issued) Type() string        { return "envelope.issued" }
func (Submitted) Type() string     { return "envelope.submitted" }
func (Reviewed) Type() string      { return "envelope.reviewed" }
func (CourierBooked) Type() string { return "envelope.courier" }
func (Tracked) Type() string       { return "envelope.tracked" }
func (ReviewLate) Type() string    { return "envelope.review_late" }

// Stepped is what screens are told of an envelope's step: which event, and
// the clerk and window that issued it, so the issuing clerk's counter page
// reacts to a submission and asks for what it may see. Never journaled: an
// envelope names its applicant and its token opens its page.
type Stepped struct {
	Event  string `json:"event"`
	Clerk  string `json:"clerk,omitempty"`
	Window string `json:"window,omitempty"`
}

// Type is never journaled.
func (Stepped) Type() string { return "envelope.step" }

func (p Issued) Public() room.Payload {
	return Stepped{Event: p.Type(), Clerk: p.Clerk, Window: p.Window}
}
func (p Submitted) Public() room.Payload {
	return Stepped{Event: p.Type(), Clerk: p.Clerk, Window: p.Window}
}
func (p Reviewed) Public() room.Payload { return Stepped{Event: p.Type()} }
func (p CourierBooked) Public() room.Payload {
	return Stepped{Event: p.Type()}
}
func (p Tracked) Public() room.Payload    { return Stepped{Event: p.Type()} }
func (p ReviewLate) Public() room.Payload { return Stepped{Event: p.Type()} }

func init() {
	room.Register[Issued]()
	room.Register[Submitted]()
	room.Register[Reviewed]()
	room.Register[CourierBooked]()
	room.Register[Tracked]()
	room.Register[ReviewLate]()
}

// Apply changes the envelopes by one event.
func (s *State) Apply(e room.Event) {
	switch p := e.Data.(type) {
	case Issued:
		env := &Envelope{Token: p.Token, Case: p.Case, Window: p.Window, Clerk: p.Clerk, Party: p.Party,
			Postage: p.Postage, Recipient: p.Recipient, Phone: p.Phone, Notices: p.Notices, IssuedAt: e.At}
		for _, c := range p.Materials {
			env.Materials = append(env.Materials, &Material{Code: c.Code, Way: c.Way, Status: Owed})
		}
		s.Envelopes[p.Case.ID] = env
		s.byToken[p.Token] = p.Case.ID
	case Submitted:
		if env := s.Envelopes[p.Case.ID]; env != nil {
			env.Submissions = append(env.Submissions, &Submission{ID: p.Submission, Material: p.Material, Files: p.Files,
				At: e.At, State: Waiting})
			if m := env.Material(p.Material); m != nil {
				m.Status = Pending
			}
		}
	case Reviewed:
		if env := s.Envelopes[p.Case.ID]; env != nil {
			if sb := env.Submission(p.Submission); sb != nil {
				sb.State, sb.Reason, sb.Reviewer, sb.ReviewedAt = Reject, p.Reason, p.Staff, e.At
				if p.Pass {
					sb.State = Pass
				}
			}
			if m := env.Material(p.Material); m != nil {
				m.Status = Rejected
				if p.Pass {
					m.Status = Passed
				}
			}
		}
	case CourierBooked:
		if env := s.Envelopes[p.Case.ID]; env != nil {
			env.Courier = &Courier{Name: p.Name, Phone: p.Phone, Address: p.Address, PickupAt: p.PickupAt, BookedAt: e.At}
		}
	case Tracked:
		if env := s.Envelopes[p.Case.ID]; env != nil {
			if m := env.Material(p.Material); m != nil {
				m.Status = p.State
				m.Track = append(m.Track, Track{State: p.State, Staff: p.Staff, At: e.At})
			}
		}
	case ReviewLate:
		if env := s.Envelopes[p.Case.ID]; env != nil {
			if sb := env.Submission(p.Submission); sb != nil {
				sb.Late = true
			}
		}
	case cases.CasesPruned:
		// A closed case leaves the live state; its envelope goes with it.
		for _, id := range p.Cases {
			if env := s.Envelopes[id]; env != nil {
				delete(s.byToken, env.Token)
				delete(s.Envelopes, id)
			}
		}
	}
}
