package locker

import (
	"time"

	"hallfloor/outbox"
)

// Status is what a compartment holds.
type Status string

const (
	Free         Status = "free"
	Occupied     Status = "occupied"
	OutOfService Status = "out_of_service"
)

// Purpose is why a door was released, and so what its closing completes.
type Purpose string

const (
	ForDeposit  Purpose = "deposit"  // a clerk puts a result in
	ForPickup   Purpose = "pickup"   // the applicant takes it out
	ForRetrieve Purpose = "retrieve" // a clerk takes back an item (overdue, or any)
	ForDropoff  Purpose = "dropoff"  // an applicant leaves missing papers
	ForCollect  Purpose = "collect"  // a clerk collects dropped-off papers
	ForService  Purpose = "service"  // maintenance
)

// Kind is what an item is.
type Kind string

const (
	Result  Kind = "result"  // 证照, 审批结果 waiting for the applicant
	Dropoff Kind = "dropoff" // papers an applicant left for a clerk
)

// Item is what a compartment holds, or is about to.
type Item struct {
	Kind  Kind   `json:"kind"`
	Case  string `json:"case"`
	What  string `json:"what"`
	Name  string `json:"name,omitempty"`
	Phone string `json:"phone,omitempty"`
	// IDHash and TailHash are keyed hashes of the applicant's ID number and
	// of its last six characters; CodeHash of the pickup code.
	IDHash   string    `json:"id_hash,omitempty"`
	TailHash string    `json:"tail_hash,omitempty"`
	CodeHash string    `json:"code_hash,omitempty"`
	Clerk    string    `json:"clerk"`
	Stored   time.Time `json:"stored,omitzero"`
	Deadline time.Time `json:"deadline,omitzero"`
	Overdue  bool      `json:"overdue,omitempty"`
	// OverdueNotice is the applicant's reminder, sealed at deposit, queued
	// in the same commit that finds the item overdue.
	OverdueNotice *outbox.Queued `json:"overdue_notice,omitempty"`
}

// Release is a lock pulse the door has not yet answered.
type Release struct {
	Purpose Purpose   `json:"purpose"`
	By      string    `json:"by"` // clerk, or "applicant"
	At      time.Time `json:"at"`
}

// Compartment is one door of a bank.
type Compartment struct {
	Bank   string `json:"bank"`
	ID     string `json:"id"`
	Size   Size   `json:"size"`
	Status Status `json:"status"`
	Item   *Item  `json:"item,omitempty"`
	// Incoming is the item a deposit or drop-off will store when the door
	// closes.
	Incoming *Item `json:"incoming,omitempty"`
	// Release is a pulse waiting for the door to open; Opened is why the
	// door now stands open (empty if it opened without a command).
	Release   *Release  `json:"release,omitempty"`
	Opened    Purpose   `json:"opened,omitempty"`
	DoorOpen  bool      `json:"door_open"`
	DoorSince time.Time `json:"door_since,omitzero"`
	OpenedBy  string    `json:"opened_by,omitempty"`
	Alerted   bool      `json:"alerted,omitempty"` // left open, already reported
	// Notice is the SMS to queue once the incoming deposit is stored.
	Notice *outbox.Queued `json:"notice,omitempty"`
	Reason string         `json:"reason,omitempty"` // why out of service
}

// Lockout counts the wrong entries made at the panels for one holder: an
// ID number (or its last six), for pickups or for drop-offs. It is kept
// only while it can still decide something.
type Lockout struct {
	Tries int       `json:"tries"`
	Last  time.Time `json:"last"` // the latest wrong entry
	Until time.Time `json:"until,omitzero"`
	// Expires is when the count and the lockout no longer matter: the
	// lockout is over and an earlier mistake no longer adds up.
	Expires time.Time `json:"expires,omitzero"`
}

// DropoffCode is a drop-off a clerk opened for a case with missing papers.
// IDHash and TailHash are the applicant's, as for a deposit: the code opens
// only with the applicant's ID number, and wrong tries count against it.
type DropoffCode struct {
	Case     string `json:"case"`
	Clerk    string `json:"clerk"`
	Size     Size   `json:"size"`
	What     string `json:"what"`
	IDHash   string `json:"id_hash,omitempty"`
	TailHash string `json:"tail_hash,omitempty"`
	// Expires is when the code, unused, is forgotten (zero: never).
	Expires time.Time `json:"expires,omitzero"`
}

// expired reports whether the code no longer opens at now.
func (d *DropoffCode) expired(now time.Time) bool {
	return !d.Expires.IsZero() && !now.Before(d.Expires)
}

// State is the hall's lockers.
type State struct {
	Compartments map[string]*Compartment `json:"compartments"`
	Lockouts     map[string]*Lockout     `json:"lockouts"` // by lockoutKey
	Dropoffs     map[string]*DropoffCode `json:"dropoffs"` // by code hash
	// NextSweep is when the lockouts and the drop-off codes are next looked
	// through for those that have expired.
	NextSweep time.Time `json:"next_sweep,omitzero"`
}

// NewState is a hall's lockers, all free.
func NewState(setup *Setup) *State {
	s := &State{}
	s.Adopt(setup)
	return s
}

// Adopt fits a restored state to the setup: new compartments appear, free.
func (s *State) Adopt(setup *Setup) {
	if s.Compartments == nil {
		s.Compartments = map[string]*Compartment{}
	}
	if s.Lockouts == nil {
		s.Lockouts = map[string]*Lockout{}
	}
	if s.Dropoffs == nil {
		s.Dropoffs = map[string]*DropoffCode{}
	}
	for _, b := range setup.Banks {
		for _, c := range b.Compartments {
			k := Key(b.ID, c.ID)
			if s.Compartments[k] == nil {
				s.Compartments[k] = &Compartment{Bank: b.ID, ID: c.ID, Size: c.Size, Status: Free}
			}
		}
	}
}
