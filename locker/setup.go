// Package locker is the smart pickup locker (取件密码箱) as pure state and
// rules: compartments and their sizes, deposits confirmed by the door
// sensor, pickup by ID number and one-time code with a lockout after wrong
// tries, expiry, clerk retrieval, drop-off of missing papers, and
// compartments out of service. It does no I/O and reads no clock; codes
// and ID numbers reach it only in protected (keyed-hash) form.
package locker

import "time"

// Size is a compartment's size; a larger one can hold a smaller item.
type Size string

const (
	Small  Size = "S"
	Medium Size = "M"
	Large  Size = "L"
)

// rank orders sizes for "the smallest that fits".
func (s Size) rank() int {
	switch s {
	case Small:
		return 1
	case Medium:
		return 2
	case Large:
		return 3
	}
	return 0
}

// Valid reports whether s is a known size.
func (s Size) Valid() bool { return s.rank() > 0 }

// CompartmentSetup is one door of a bank.
type CompartmentSetup struct {
	ID   string
	Size Size
}

// BankSetup is a locker bank.
type BankSetup struct {
	ID           string
	Name         string
	Compartments []CompartmentSetup
}

// Setup holds the lockers' shape and settings.
type Setup struct {
	Banks []BankSetup
	// Retention is how long an item waits before it is overdue (7 days),
	// and how long a drop-off code stays good unused: the papers it asks
	// for are as pressing as a result waiting to be fetched.
	Retention time.Duration
	// MaxTries wrong entries lock a panel for an ID for Lockout.
	MaxTries int
	Lockout  time.Duration
	// DoorLimit is how long a door may stand open before an alert.
	DoorLimit time.Duration
	// OpenWindow is how long a released door may take to open before the
	// release is considered unconfirmed (the person walked away, or a fault).
	OpenWindow time.Duration
}

// WithDefaults fills unset settings with the hall's usual values.
func (s Setup) WithDefaults() Setup {
	if s.Retention <= 0 {
		s.Retention = 7 * 24 * time.Hour
	}
	if s.MaxTries <= 0 {
		s.MaxTries = 5
	}
	if s.Lockout <= 0 {
		s.Lockout = 15 * time.Minute
	}
	if s.DoorLimit <= 0 {
		s.DoorLimit = 2 * time.Minute
	}
	if s.OpenWindow <= 0 {
		s.OpenWindow = 30 * time.Second
	}
	return s
}

// Key names a compartment across banks: "bank/id".
func Key(bank, id string) string { return bank + "/" + id }
