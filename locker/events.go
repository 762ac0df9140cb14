package locker

import (
	"encoding/json"
	"time"

	"hallfloor/outbox"
)

// Payload is a locker event; its Type names it in the journal.
type Payload interface{ Type() string }

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

// PickupFailed: a wrong ID number or code at a panel.
type PickupFailed struct {
	Bank  string    `json:"bank"`
	Who   string    `json:"who"` // the hash the attempt was made for
	Tries int       `json:"tries"`
	Until time.Time `json:"until,omitzero"` // locked until, after too many
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
func Public(p Payload) Payload {
	switch e := p.(type) {
	case Released:
		e.Incoming, e.Notice = nil, nil
		return e
	case Stored:
		e.Item = Item{Kind: e.Item.Kind, Case: e.Item.Case, Clerk: e.Item.Clerk, Deadline: e.Item.Deadline}
		return e
	case PickedUp:
		e.Name = ""
		return e
	case PickupFailed:
		e.Who = ""
		return e
	case CodeReplaced:
		e.CodeHash = ""
		return e
	case DropoffIssued:
		e.CodeHash = ""
		return e
	}
	return p
}

// Decoders returns a decoder per event type, for the journal.
func Decoders() map[string]func([]byte) (Payload, error) {
	m := map[string]func([]byte) (Payload, error){}
	add := func(typ string, f func([]byte) (Payload, error)) { m[typ] = f }
	add(Released{}.Type(), decode[Released])
	add(DoorOpened{}.Type(), decode[DoorOpened])
	add(Alarm{}.Type(), decode[Alarm])
	add(DoorClosed{}.Type(), decode[DoorClosed])
	add(Stored{}.Type(), decode[Stored])
	add(PickedUp{}.Type(), decode[PickedUp])
	add(Retrieved{}.Type(), decode[Retrieved])
	add(DropoffReceived{}.Type(), decode[DropoffReceived])
	add(Collected{}.Type(), decode[Collected])
	add(Overdue{}.Type(), decode[Overdue])
	add(LeftOpen{}.Type(), decode[LeftOpen])
	add(Unconfirmed{}.Type(), decode[Unconfirmed])
	add(PickupFailed{}.Type(), decode[PickupFailed])
	add(ServiceChanged{}.Type(), decode[ServiceChanged])
	add(CodeReplaced{}.Type(), decode[CodeReplaced])
	add(DropoffIssued{}.Type(), decode[DropoffIssued])
	return m
}

func decode[T Payload](b []byte) (Payload, error) {
	var v T
	err := json.Unmarshal(b, &v)
	return v, err
}
