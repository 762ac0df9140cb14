package queue

import "hallfloor/room"

// TicketRef names a ticket the way a screen shows it.
type TicketRef struct {
	ID      string `json:"id"`
	Number  string `json:"number"`
	Service string `json:"service"`
}

type DayStarted struct {
	Day string `json:"day"`
	// Cancelled are the tickets still waiting when the day ended.
	Cancelled []string `json:"cancelled,omitempty"`
}

type TicketIssued struct {
	Ticket   TicketRef `json:"ticket"`
	Priority bool      `json:"priority,omitempty"`
	// Why is the hall's reason for a priority number it gave by itself
	// (PriorityAge); empty for staff's priority numbers.
	Why string `json:"priority_reason,omitempty"`
	Via string `json:"via,omitempty"`
	// IDHash is the protected form of the holder's ID number; never public.
	IDHash string `json:"id_hash,omitempty"`
	Phone  string `json:"phone,omitempty"`
	Seqno  int    `json:"seqno"` // the day's counter for the service after issuing
}

type TicketCalled struct {
	Ticket   TicketRef `json:"ticket"`
	Window   string    `json:"window"`
	Staff    string    `json:"staff"`
	Priority bool      `json:"priority,omitempty"`
	Via      string    `json:"via,omitempty"`
}

type TicketRecalled struct {
	Ticket TicketRef `json:"ticket"`
	Window string    `json:"window"`
	Count  int       `json:"count"`
}

type TicketSkipped struct {
	Ticket TicketRef `json:"ticket"`
	Window string    `json:"window"`
}

// SkipUndone takes back a skip: the ticket is served at Window again.
type SkipUndone struct {
	Ticket TicketRef `json:"ticket"`
	Window string    `json:"window"`
	Staff  string    `json:"staff"`
}

type TicketFinished struct {
	Ticket   TicketRef `json:"ticket"`
	Window   string    `json:"window"`
	Staff    string    `json:"staff"`
	ServiceS float64   `json:"service_s"`
}

type TicketTransferred struct {
	Ticket     TicketRef `json:"ticket"`
	FromWindow string    `json:"from_window"`
	ToService  string    `json:"to_service"`
	ToWindow   string    `json:"to_window,omitempty"`
}

type TicketRequeued struct {
	Ticket TicketRef `json:"ticket"`
	Staff  string    `json:"staff"`
}

type TicketCancelled struct {
	Ticket TicketRef `json:"ticket"`
	Reason string    `json:"reason"`
}

type WindowOpened struct {
	Window string `json:"window"`
	Staff  string `json:"staff"`
	// By is the manager who signed Staff on, when not Staff themselves.
	By string `json:"by,omitempty"`
}

type WindowClosed struct {
	Window string `json:"window"`
	Staff  string `json:"staff"`
	// By is the manager who signed Staff off, when not Staff themselves.
	By string `json:"by,omitempty"`
	// Returned are the tickets sent to this window alone that go back to
	// their service's line, when a manager forces the clerk off.
	Returned []string `json:"returned,omitempty"`
}

type WindowPaused struct {
	Window string `json:"window"`
	Reason string `json:"reason"`
}

type WindowResumed struct {
	Window string `json:"window"`
}

func (DayStarted) Type() string        { return "day.started" }
func (TicketIssued) Type() string      { return "ticket.issued" }
func (TicketCalled) Type() string      { return "ticket.called" }
func (TicketRecalled) Type() string    { return "ticket.recalled" }
func (TicketSkipped) Type() string     { return "ticket.skipped" }
func (SkipUndone) Type() string        { return "ticket.skip_undone" }
func (TicketFinished) Type() string    { return "ticket.finished" }
func (TicketTransferred) Type() string { return "ticket.transferred" }
func (TicketRequeued) Type() string    { return "ticket.requeued" }
func (TicketCancelled) Type() string   { return "ticket.cancelled" }
func (WindowOpened) Type() string      { return "window.opened" }
func (WindowClosed) Type() string      { return "window.closed" }
func (WindowPaused) Type() string      { return "window.paused" }
func (WindowResumed) Type() string     { return "window.resumed" }

// Public returns the event as it may be shown to anyone in the hall: an issued
// ticket's id (which opens its page) and its holder's data stay private,
// the reason of a priority number too (it tells the holder's age).
func (e TicketIssued) Public() room.Payload {
	e.Ticket.ID, e.IDHash, e.Phone, e.Why = "", "", "", ""
	return e
}

// Public leaves out the ids of the tickets a forced sign-off sent back: they
// wait again, and a waiting ticket's id opens its page.
func (e WindowClosed) Public() room.Payload {
	e.Returned = nil
	return e
}

func init() {
	room.Register[DayStarted]()
	room.Register[TicketIssued]()
	room.Register[TicketCalled]()
	room.Register[TicketRecalled]()
	room.Register[TicketSkipped]()
	room.Register[SkipUndone]()
	room.Register[TicketFinished]()
	room.Register[TicketTransferred]()
	room.Register[TicketRequeued]()
	room.Register[TicketCancelled]()
	room.Register[WindowOpened]()
	room.Register[WindowClosed]()
	room.Register[WindowPaused]()
	room.Register[WindowResumed]()
}
