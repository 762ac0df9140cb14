package rating

import (
	"hallfloor/cases"
	"hallfloor/queue"
	"hallfloor/room"
)

// CaseLink is the case (办件) a rated service served: opened at the
// window while serving the 收件号, or its result handed over at an output
// window while serving the 取件号. 一次一评: the rating of the service is
// the rating of its case, and a platform files it under the 办件编号.
type CaseLink struct {
	Number     string      `json:"number"` // 办件编号
	Item       string      `json:"item"`   // the 事项's catalogue code
	Department string      `json:"department"`
	Kind       cases.Kind  `json:"kind"`  // 即办件 or 承诺件
	Party      cases.Party `json:"party"` // person or enterprise
}

// LinkOf is the link of a case.
func LinkOf(c *cases.Case) CaseLink {
	return CaseLink{Number: c.Number, Item: c.Item, Department: c.Department, Kind: c.Kind, Party: c.Party}
}

// Linked records that a ticket's service served a case, so that its rating,
// given then or later on the ticket page, names the case. A service that
// serves several cases is rated once, under the first.
type Linked struct {
	Ticket queue.TicketRef `json:"ticket"`
	Window string          `json:"window"`
	Case   CaseLink        `json:"case"`
}

func (Linked) Type() string { return "rating.linked" }

// Public: a case is no public screen's business.
func (Linked) Public() room.Payload { return nil }

func init() { room.Register[Linked]() }

// Link is what a case opened or delivered makes of the service serving it:
// the Linked event, or nothing when the service has its case already (the
// first one stands) or no ticket was being served.
func Link(s *State, t queue.TicketRef, window string, c *cases.Case) []room.Payload {
	if t.ID == "" || c == nil {
		return nil
	}
	if _, ok := s.Cases[t.ID]; ok {
		return nil
	}
	return []room.Payload{Linked{Ticket: t, Window: window, Case: LinkOf(c)}}
}

// CaseOf is the case a ticket's service served, or nil.
func (s *State) CaseOf(ticket string) *CaseLink {
	c, ok := s.Cases[ticket]
	if !ok {
		return nil
	}
	return &c
}
