package locker

import (
	"time"

	"hallfloor/outbox"
	"hallfloor/room"
)

// Payload is a locker event, one of the hall's room events.
type Payload = room.Payload

// Released: the lock relay of a compartment pulses. Devices follow it.
type Released struct {
	Comp     string         `json:"comp"`
	Purpose  Purpose        `json:"purpose"`
	By       string         `json:"by"`
	Incoming *Item          `json:"incoming,omitempty"`
	Notice   *outbox.Queued `json:"notice,omitempty"` // sent once the deposit is stored
}

// DoorOpened: the sensor saw the released door open.
type DoorOpened struct {
	Comp    string  `json:"comp"`
	Purpose Purpose `json:"purpose"`
}

// Alarm: a door opened although nothing released it.
type Alarm struct {
	Comp   string `json:"comp"`
	Reason string `json:"reason"`
}

// DoorClosed: a door closed that completed nothing (after an alarm, or
// maintenance).
type DoorClosed struct {
	Comp string `json:"comp"`
}

// Stored: a deposit is in and its door is shut; the code is now valid.
type Stored struct {
	Comp string `json:"comp"`
	Item Item   `json:"item"`
}

// PickedUp is the delivery receipt (送达凭证): who, when, which compartment.
type PickedUp struct {
	Comp  string `json:"comp"`
	Case  string `json:"case"`
	What  string `json:"what"`
	Name  string `json:"name"`
	Clerk string `json:"clerk"` // who deposited it, to be told
}

// Retrieved: a clerk took an item back out.
type Retrieved struct {
	Comp  string `json:"comp"`
	Case  string `json:"case"`
	Clerk string `json:"clerk"`
}

// DropoffReceived: an applicant left papers; the clerk is told.
type DropoffReceived struct {
	Comp  string `json:"comp"`
	Case  string `json:"case"`
	Clerk string `json:"clerk"`
}

// Collected: a clerk took dropped-off papers out.
type Collected struct {
	Comp  string `json:"comp"`
	Case  string `json:"case"`
	Clerk string `json:"clerk"`
}

// Overdue: an item passed its retention period; manager and clerk are told.
type Overdue struct {
	Comp  string `json:"comp"`
	Case  string `json:"case"`
	Clerk string `json:"clerk"`
}

// LeftOpen: a door stands open past the limit.
type LeftOpen struct {
	Comp  string    `json:"comp"`
	Since time.Time `json:"since"`
}

// Unconfirmed: a released door never opened: the person left, or the lock
// or its sensor is faulty.
type Unconfirmed struct {
	Comp    string  `json:"comp"`
	Purpose Purpose `json:"purpose"`
}

// PickupFailed: a wrong ID number or code at a panel, for a pickup or, with
// Dropoff, a drop-off. It is journaled, so a lockout outlives a restart, but
// it is nobody's news: no screen is sent it.
type PickupFailed struct {
	Bank    string    `json:"bank"`
	Who     string    `json:"who"` // the hash of the ID the attempt was made for
	Dropoff bool      `json:"dropoff,omitempty"`
	Tries   int       `json:"tries"`
	Until   time.Time `json:"until,omitzero"` // locked until, after too many
	// Expires is when this count no longer matters and is forgotten.
	Expires time.Time `json:"expires,omitzero"`
}

// ServiceChanged: a compartment taken out of, or back into, service.
type ServiceChanged struct {
	Comp   string `json:"comp"`
	Out    bool   `json:"out"`
	Reason string `json:"reason,omitempty"`
	By     string `json:"by"`
}

// CodeReplaced: a lost code is replaced; the old one no longer opens.
type CodeReplaced struct {
	Comp     string `json:"comp"`
	CodeHash string `json:"code_hash"`
	By       string `json:"by"`
}

// DropoffIssued: a clerk gave an applicant a drop-off code for a case.
type DropoffIssued struct {
	CodeHash string `json:"code_hash"`
	Case     string `json:"case"`
	Clerk    string `json:"clerk"`
	Size     Size   `json:"size"`
	What     string `json:"what"`
	IDHash   string `json:"id_hash,omitempty"`
	TailHash string `json:"tail_hash,omitempty"`
	// Expires is when an unused code no longer opens and is forgotten;
	// zero for a code issued before codes expired, which stays until used.
	Expires time.Time `json:"expires,omitzero"`
}

func (Released) Type() string        { return "locker.released" }
func (DoorOpened) Type() string      { return "locker.door_opened" }
func (Alarm) Type() string           { return "locker.alarm" }
func (DoorClosed) Type() string      { return "locker.door_closed" }
func (Stored) Type() string          { return "locker.stored" }
func (PickedUp) Type() string        { return "locker.picked_up" }
func (Retrieved) Type() string       { return "locker.retrieved" }
func (DropoffReceived) Type() string { return "locker.dropoff_received" }
func (Collected) Type() string       { return "locker.collected" }
func (Overdue) Type() string         { return "locker.overdue" }
func (LeftOpen) Type() string        { return "locker.left_open" }
func (Unconfirmed) Type() string     { return "locker.unconfirmed" }
func (PickupFailed) Type() string    { return "locker.pickup_failed" }
func (ServiceChanged) Type() string  { return "locker.service_changed" }
func (CodeReplaced) Type() string    { return "locker.code_replaced" }
func (DropoffIssued) Type() string   { return "locker.dropoff_issued" }

// Public strips what a screen must not see: hashes, names, phones, sealed
// texts.
func (e Released) Public() room.Payload {
	e.Incoming, e.Notice = nil, nil
	return e
}

func (e Stored) Public() room.Payload {
	e.Item = Item{Kind: e.Item.Kind, Case: e.Item.Case, Clerk: e.Item.Clerk, Deadline: e.Item.Deadline}
	return e
}

func (e PickedUp) Public() room.Payload {
	e.Name = ""
	return e
}

// A wrong try is private: screens get no frame for it, so a stranger's
// flood of made-up entries costs the hall's screens nothing.
func (PickupFailed) Public() room.Payload { return nil }

func (e CodeReplaced) Public() room.Payload {
	e.CodeHash = ""
	return e
}

func (e DropoffIssued) Public() room.Payload {
	e.CodeHash, e.IDHash, e.TailHash = "", "", ""
	return e
}

func init() {
	room.Register[Released]()
	room.Register[DoorOpened]()
	room.Register[Alarm]()
	room.Register[DoorClosed]()
	room.Register[Stored]()
	room.Register[PickedUp]()
	room.Register[Retrieved]()
	room.Register[DropoffReceived]()
	room.Register[Collected]()
	room.Register[Overdue]()
	room.Register[LeftOpen]()
	room.Register[Unconfirmed]()
	room.Register[PickupFailed]()
	room.Register[ServiceChanged]()
	room.Register[CodeReplaced]()
	room.Register[DropoffIssued]()
}
