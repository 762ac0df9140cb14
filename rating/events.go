package rating

import (
	"time"

	"hallfloor/queue"
	"hallfloor/room"
)

// PromptOpened puts the question on a window's evaluator after a service;
// a prompt still open from the service before closes unrated.
type PromptOpened struct {
	Ticket queue.TicketRef `json:"ticket"`
	Window string          `json:"window"`
	Staff  string          `json:"staff"`
	// Case is the case the service served, when it had one.
	Case *CaseLink `json:"case,omitempty"`
}

// Given is one rating: the record 好差评 asks for.
type Given struct {
	Ticket  queue.TicketRef `json:"ticket"`
	Window  string          `json:"window"`
	Staff   string          `json:"staff"`
	Level   int             `json:"level"`
	Reason  string          `json:"reason,omitempty"`
	Channel Channel         `json:"channel"`
	// Case is the case the service served, when it had one: 一次一评, the
	// rating of the service is the case's.
	Case *CaseLink `json:"case,omitempty"`
	// Second marks the second rating of the same service, after its 差评
	// was rectified; FollowUp names that follow-up.
	Second   bool   `json:"second,omitempty"`
	FollowUp string `json:"followup,omitempty"`
}

// Chosen is the level the applicant chose on the pad, recorded before the
// reason a 差评 asks for, so that the choice outlives a slow answer; 0 when
// they took it back.
type Chosen struct {
	Ticket queue.TicketRef `json:"ticket"`
	Window string          `json:"window"`
	Level  int             `json:"level"`
}

// Expired closes a window's prompt without a rating: the applicant did not
// answer in time, declined, or the window called the next person. Nothing
// is filled in for them.
type Expired struct {
	Ticket queue.TicketRef `json:"ticket"`
	Window string          `json:"window"`
	Reason string          `json:"reason"` // timeout, declined or next_call
	Case   *CaseLink       `json:"case,omitempty"`
}

type FollowUpOpened struct {
	FollowUp FollowUp `json:"followup"`
}

// FollowUpOverdue is the hall noticing that a follow-up missed its deadline.
type FollowUpOverdue struct {
	ID       string    `json:"id"`
	Deadline time.Time `json:"deadline"`
}

type FollowUpClosed struct {
	ID      string `json:"id"`
	Action  string `json:"action"`
	Outcome string `json:"outcome"`
	// Reason is the applicant's reason, asked at the call-back, for a
	// 差评 given without one.
	Reason string `json:"reason,omitempty"`
	By     string `json:"by"`
	// SecondToken and SecondBy open the second rating after a
	// rectification (整改): the applicant's link, until when.
	SecondToken string    `json:"second_token,omitempty"`
	SecondBy    time.Time `json:"second_by,omitzero"`
}

func (PromptOpened) Type() string    { return "rating.prompted" }
func (Given) Type() string           { return "rating.given" }
func (Chosen) Type() string          { return "rating.chosen" }
func (Expired) Type() string         { return "rating.expired" }
func (FollowUpOpened) Type() string  { return "followup.opened" }
func (FollowUpOverdue) Type() string { return "followup.overdue" }
func (FollowUpClosed) Type() string  { return "followup.closed" }

func (e PromptOpened) Public() room.Payload {
	e.Ticket.ID, e.Case = "", nil
	return e
}

// Public keeps the applicant's words and the ticket id off the screens.
func (e Given) Public() room.Payload {
	e.Ticket.ID, e.Reason, e.Case, e.FollowUp = "", "", nil, ""
	return e
}

func (e Chosen) Public() room.Payload {
	e.Ticket.ID = ""
	return e
}

func (e Expired) Public() room.Payload {
	e.Ticket.ID, e.Case = "", nil
	return e
}

func (e FollowUpOpened) Public() room.Payload {
	e.FollowUp.Ticket.ID, e.FollowUp.Reason, e.FollowUp.Case = "", "", nil
	return e
}

func (e FollowUpClosed) Public() room.Payload {
	e.Outcome, e.Reason, e.SecondToken = "", "", ""
	return e
}

func init() {
	room.Register[PromptOpened]()
	room.Register[Given]()
	room.Register[Chosen]()
	room.Register[Expired]()
	room.Register[FollowUpOpened]()
	room.Register[FollowUpOverdue]()
	room.Register[FollowUpClosed]()
}
