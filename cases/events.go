package cases

import (
	"slices"
	"time"

	"hallfloor/outbox"
	"hallfloor/room"
)

// Ref names a case in its events.
type Ref struct {
	ID     string `json:"id"`
	Number string `json:"number"`
	Item   string `json:"item"`
	// Department decides the case: the daily figures count by it.
	Department string `json:"department,omitempty"`
}

// Opened is a case received at an intake window (收件), perhaps under 容缺.
type Opened struct {
	Case       Ref       `json:"case"`
	Day        string    `json:"day"`
	Seq        int       `json:"seq"`
	Department string    `json:"department"`
	Kind       Kind      `json:"kind"`
	Ticket     string    `json:"ticket,omitempty"`
	Window     string    `json:"window"`
	Staff      string    `json:"staff"`
	Name       string    `json:"name"`
	IDHash     string    `json:"id_hash"`
	Phone      string    `json:"phone,omitempty"`
	Party      Party     `json:"party"`
	Received   []string  `json:"received,omitempty"`
	Missing    []string  `json:"missing,omitempty"`
	Commitment string    `json:"commitment,omitempty"`
	SupplyBy   time.Time `json:"supply_by,omitzero"`
	Deadline   time.Time `json:"deadline"`
	// HandoverBy is when its materials must be with the department; a
	// 同城通办 case has none, but the other area (Cross) and PostBy.
	HandoverBy time.Time  `json:"handover_by,omitzero"`
	Cross      *CrossArea `json:"cross,omitempty"`
	PostBy     time.Time  `json:"post_by,omitzero"`
	AskBy      time.Time  `json:"ask_by,omitzero"`
	// The collection chosen at the counter, and the SMS sealed for the case.
	Collect   string                   `json:"collect,omitempty"`
	Address   string                   `json:"address,omitempty"`
	Recipient string                   `json:"recipient,omitempty"`
	Notices   map[string]outbox.Queued `json:"notices,omitempty"`
}

// NoticeIssued is an intake refused for missing materials: the
// 一次性告知单 listing every one of them, so the applicant comes back once.
type NoticeIssued struct {
	Item    string   `json:"item"`
	Ticket  string   `json:"ticket,omitempty"`
	Window  string   `json:"window"`
	Staff   string   `json:"staff"`
	Missing []string `json:"missing"`
}

// Supplied is materials owed handed in; Settled, the last of those missing
// at a 容缺 intake: the applicant's promise kept.
type Supplied struct {
	Case      Ref      `json:"case"`
	Staff     string   `json:"staff"`
	Materials []string `json:"materials"`
	Settled   bool     `json:"settled,omitempty"`
}

// CaseAccepted is the department's 受理, or, Deemed, the hall's: a case
// left without a 补正通知 for 5 working days counts as accepted from the
// receipt's date (台州 三(四)1), and no staff member is named.
type CaseAccepted struct {
	Case   Ref    `json:"case"`
	Staff  string `json:"staff,omitempty"`
	Deemed bool   `json:"deemed,omitempty"`
}

// SupplementAsked is a 补正通知: the materials the department asks for.
type SupplementAsked struct {
	Case      Ref      `json:"case"`
	Staff     string   `json:"staff"`
	Materials []string `json:"materials"`
	Note      string   `json:"note,omitempty"`
}

// CaseApproved is 准予: the result is to be made.
type CaseApproved struct {
	Case  Ref    `json:"case"`
	Staff string `json:"staff"`
}

// CaseRefused is 不予受理 (before acceptance) or 不予许可, with the written
// reason.
type CaseRefused struct {
	Case     Ref    `json:"case"`
	Staff    string `json:"staff"`
	Reason   string `json:"reason"`
	Accepted bool   `json:"accepted"` // 不予许可: refused after acceptance
	// Late is a decision after the promised deadline: what the on-time
	// rate (按时办结率) counts against.
	Late bool `json:"late,omitempty"`
}

// ResultMade is the result ready for the applicant; Late, after the
// promised deadline.
type ResultMade struct {
	Case  Ref    `json:"case"`
	Staff string `json:"staff"`
	Late  bool   `json:"late,omitempty"`
}

// Delivered is the result in the applicant's hands: at the output window
// against a signature, posted by courier with its waybill, or deposited
// in a locker compartment.
type Delivered struct {
	Case      Ref    `json:"case"`
	Staff     string `json:"staff"`
	Channel   string `json:"channel"`
	Window    string `json:"window,omitempty"`
	Signature string `json:"signature,omitempty"`
	Courier   string `json:"courier,omitempty"`
	Waybill   string `json:"waybill,omitempty"`
	Locker    string `json:"locker,omitempty"`
	// Unlinked is a result handed over at the window on a manager's word,
	// to nobody holding a 取件号 linked to it.
	Unlinked bool `json:"unlinked,omitempty"`
}

// CaseClosed is 办结: nothing more happens to the case.
type CaseClosed struct {
	Case  Ref    `json:"case"`
	Staff string `json:"staff"`
}

// CaseOverdue is the hall noticing a case past its promised deadline,
// once: the department's and the manager's alert.
type CaseOverdue struct {
	Case       Ref       `json:"case"`
	Department string    `json:"department"`
	Deadline   time.Time `json:"deadline"`
}

func (Opened) Type() string          { return "case.opened" }
func (NoticeIssued) Type() string    { return "case.notice" }
func (CaseAccepted) Type() string    { return "case.accepted" }
func (Supplied) Type() string        { return "case.supplied" }
func (SupplementAsked) Type() string { return "case.supplement" }
func (CaseApproved) Type() string    { return "case.approved" }
func (CaseRefused) Type() string     { return "case.refused" }
func (ResultMade) Type() string      { return "case.ready" }
func (Delivered) Type() string       { return "case.delivered" }
func (CaseClosed) Type() string      { return "case.closed" }
func (CaseOverdue) Type() string     { return "case.overdue" }

// Cases are no public screen's business: they name applicants, and a
// case's id opens its status page. A screen is told only that a case took
// a step (its type, no field), so the pages of the back office, the counter
// and the applicant ask again for what they may see.
type Stepped struct{}

// Type is never journaled: Stepped is only what screens are sent.
func (Stepped) Type() string { return "case.step" }

func (Opened) Public() room.Payload          { return Stepped{} }
func (NoticeIssued) Public() room.Payload    { return Stepped{} }
func (CaseAccepted) Public() room.Payload    { return Stepped{} }
func (Supplied) Public() room.Payload        { return Stepped{} }
func (SupplementAsked) Public() room.Payload { return Stepped{} }
func (CaseApproved) Public() room.Payload    { return Stepped{} }
func (CaseRefused) Public() room.Payload     { return Stepped{} }
func (ResultMade) Public() room.Payload      { return Stepped{} }
func (Delivered) Public() room.Payload       { return Stepped{} }
func (CaseClosed) Public() room.Payload      { return Stepped{} }
func (CaseOverdue) Public() room.Payload     { return Stepped{} }

func init() {
	room.Register[Opened]()
	room.Register[NoticeIssued]()
	room.Register[CaseAccepted]()
	room.Register[Supplied]()
	room.Register[SupplementAsked]()
	room.Register[CaseApproved]()
	room.Register[CaseRefused]()
	room.Register[ResultMade]()
	room.Register[Delivered]()
	room.Register[CaseClosed]()
	room.Register[CaseOverdue]()
}

// Apply changes the cases by one event.
func (s *State) Apply(e room.Event) {
	switch p := e.Data.(type) {
	case Opened:
		c := &Case{ID: p.Case.ID, Number: p.Case.Number, Item: p.Case.Item, Department: p.Department, Kind: p.Kind,
			Ticket: p.Ticket, Window: p.Window, Clerk: p.Staff, Name: p.Name, IDHash: p.IDHash, Phone: p.Phone,
			Party: p.Party, Received: p.Received, Missing: p.Missing, Commitment: p.Commitment, SupplyBy: p.SupplyBy,
			Status: Received, ReceivedAt: e.At, Deadline: p.Deadline}
		s.Cases[c.ID] = c
		s.applyOpened(c, p)
		s.Day, s.Seq = p.Day, p.Seq
		openedOut(c, p)
		step(c, p, p.Staff, e.At)
	case NoticeIssued:
		s.Notices++
	case CaseAccepted:
		if c := s.Cases[p.Case.ID]; c != nil {
			c.Status, c.AcceptedAt = Accepted, e.At
			if p.Deemed {
				c.AcceptedAt = c.ReceivedAt
			}
			step(c, p, p.Staff, e.At)
		}
	case Supplied:
		if c := s.Cases[p.Case.ID]; c != nil {
			c.Missing = slices.DeleteFunc(slices.Clone(c.Missing), func(m string) bool { return slices.Contains(p.Materials, m) })
			c.Asked = slices.DeleteFunc(slices.Clone(c.Asked), func(m string) bool { return slices.Contains(p.Materials, m) })
			if len(c.Missing) == 0 {
				c.Missing = nil
			}
			if len(c.Asked) == 0 {
				c.Asked = nil
			}
			step(c, p, p.Staff, e.At)
		}
	case SupplementAsked:
		if c := s.Cases[p.Case.ID]; c != nil {
			c.Status, c.Asked = Supplement, p.Materials
			step(c, p, p.Staff, e.At)
		}
	case CaseApproved:
		if c := s.Cases[p.Case.ID]; c != nil {
			c.Status = Approved
			step(c, p, p.Staff, e.At)
		}
	case CaseRefused:
		if c := s.Cases[p.Case.ID]; c != nil {
			c.Status, c.Reason = Refused, p.Reason
			step(c, p, p.Staff, e.At)
		}
	case ResultMade:
		if c := s.Cases[p.Case.ID]; c != nil {
			c.Status = Ready
			step(c, p, p.Staff, e.At)
		}
	case Delivered:
		if c := s.Cases[p.Case.ID]; c != nil {
			c.Channel = p.Channel
			switch p.Channel {
			case ChannelWindow:
				c.Delivery = p.Signature
			case ChannelPost:
				c.Delivery = p.Courier + " " + p.Waybill
			case ChannelLocker:
				c.Delivery = p.Locker
			}
			deliveredOut(c, p, e)
			step(c, p, p.Staff, e.At)
		}
	case CaseClosed:
		if c := s.Cases[p.Case.ID]; c != nil {
			c.Status = Closed
			s.indexClosed(c, e.At)
			step(c, p, p.Staff, e.At)
		}
	case CaseOverdue:
		if c := s.Cases[p.Case.ID]; c != nil {
			c.Overdue = true
			step(c, p, "", e.At)
		}
	case BatchSent:
		s.applyBatchSent(p, e.At)
	case BatchSigned:
		s.applyBatchSigned(p, e.At)
	case HandoverLate:
		if c := s.Cases[p.Case.ID]; c != nil {
			c.HandoverLate = true
			step(c, p, "", e.At)
		}
	case BatchUnsigned:
		if b := s.Batches[p.Batch]; b != nil {
			b.Late = true
		}
	case OpinionsAsked:
		s.applyOpinions(p, e.At)
	case OpinionGiven:
		s.applyOpinion(p, e.At)
	case OpinionOverdue:
		s.applyOpinionOverdue(p, e.At)
	case MaterialsPosted, CrossDecided, CrossResultArrived, CrossLate:
		s.applyCross(e)
	case SupplyOverdue:
		s.applySupplyOverdue(p, e.At)
	case CasesPruned:
		s.applyPruned(p)
	case CollectionChosen, PickupTaken, InLocker, OutOfLocker, ProofReturned, ProofLate:
		s.applyOut(e)
	}
}

func step(c *Case, p room.Payload, staff string, at time.Time) {
	c.Timeline = append(c.Timeline, Step{Type: p.Type(), Staff: staff, At: at})
}
