package locker

import (
	"crypto/subtle"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/room"
)

// Command is a request to the lockers.
type Command interface{ lockerCommand() }

// Deposit asks for a free compartment of at least Size in Bank (any bank
// when empty) to receive Item. The code is already chosen by the edge, which
// keeps only its hash in Item.CodeHash and seals the SMS in Notice.
type Deposit struct {
	Bank   string
	Size   Size
	Item   Item
	Notice *outbox.Queued
}

// DoorChanged is the sensor's report; the truth about the door.
type DoorChanged struct {
	Comp string
	Open bool
}

// Pickup is an applicant at a bank's panel. Who is the hash of what they
// typed as their ID (the whole number, or its last six when the hall says
// so); ByTail says which.
type Pickup struct {
	Bank     string
	Who      string
	ByTail   bool
	CodeHash string
}

// Retrieve opens a compartment for a clerk to take an item back.
type Retrieve struct {
	Comp  string
	Clerk string
}

// IssueDropoff gives an applicant a code to leave missing papers; Notice,
// if set, sends the code to the applicant's phone. IDHash and TailHash are
// the applicant's ID number and its last six, protected as for a deposit.
type IssueDropoff struct {
	CodeHash string
	Case     string
	Clerk    string
	Size     Size
	What     string
	IDHash   string
	TailHash string
	Notice   *outbox.Queued
}

// OpenDropoff is an applicant entering a drop-off code at a panel, with
// their ID number as for a pickup (Who, ByTail).
type OpenDropoff struct {
	Bank     string
	Who      string
	ByTail   bool
	CodeHash string
}

// Collect opens a compartment for a clerk to take dropped-off papers.
type Collect struct {
	Comp  string
	Clerk string
}

// SetService takes a compartment out of allocation, or back.
type SetService struct {
	Comp   string
	Out    bool
	Reason string
	Clerk  string
}

// ReplaceCode gives an item a new code; the old one dies.
type ReplaceCode struct {
	Comp     string
	CodeHash string
	Clerk    string
	Notice   *outbox.Queued
}

// Open releases a compartment for maintenance or a look inside, by a
// manager; its closing completes nothing and changes no item.
type Open struct {
	Comp  string
	Actor room.Actor
}

// Check is time passing: overdue items, doors left open, releases the door
// never answered.
type Check struct{}

func (Deposit) lockerCommand()      {}
func (DoorChanged) lockerCommand()  {}
func (Pickup) lockerCommand()       {}
func (Retrieve) lockerCommand()     {}
func (IssueDropoff) lockerCommand() {}
func (OpenDropoff) lockerCommand()  {}
func (Collect) lockerCommand()      {}
func (SetService) lockerCommand()   {}
func (ReplaceCode) lockerCommand()  {}
func (Open) lockerCommand()         {}
func (Check) lockerCommand()        {}

// Decide checks a command against the lockers' state and rules. Events and
// an error may come together: a wrong code is refused, and the wrong try is
// still recorded, because it counts towards the lockout.
func Decide(s *State, setup *Setup, cmd Command, now time.Time) ([]Payload, error) {
	switch c := cmd.(type) {
	case Deposit:
		return decideDeposit(s, setup, c)
	case DoorChanged:
		return decideDoor(s, setup, c, now)
	case Pickup:
		return decidePickup(s, setup, c, now)
	case Retrieve:
		comp, err := s.find(c.Comp)
		if err != nil {
			return nil, err
		}
		if err := ready(comp); err != nil {
			return nil, err
		}
		if comp.Status != Occupied || comp.Item.Kind != Result {
			return nil, errs.R(errs.Conflict, "locker_nothing_to_retrieve", "comp", c.Comp)
		}
		return []Payload{Released{Comp: c.Comp, Purpose: ForRetrieve, By: c.Clerk}}, nil
	case IssueDropoff:
		c.Case, c.What = strings.TrimSpace(c.Case), strings.TrimSpace(c.What)
		switch {
		case c.Case == "":
			return nil, errs.Bad("case", "locker_case_needed")
		case utf8.RuneCountInString(c.Case) > MaxCase:
			return nil, errs.Bad("case", "too_long", "max", MaxCase)
		case utf8.RuneCountInString(c.What) > MaxWhat:
			return nil, errs.Bad("what", "too_long", "max", MaxWhat)
		case c.What == "":
			c.What = DropoffWhat
		}
		if !c.Size.Valid() {
			return nil, errs.Bad("size", "locker_size")
		}
		if c.IDHash == "" || c.TailHash == "" {
			return nil, errs.Bad("id_number", "locker_id_needed")
		}
		if _, dup := s.Dropoffs[c.CodeHash]; dup {
			return nil, errs.R(errs.Conflict, "dropoff_code_in_use")
		}
		evs := []Payload{DropoffIssued{CodeHash: c.CodeHash, Case: c.Case, Clerk: c.Clerk, Size: c.Size, What: c.What,
			IDHash: c.IDHash, TailHash: c.TailHash, Expires: now.Add(setup.Retention)}}
		if c.Notice != nil {
			// The code opens at any bank; with one bank the SMS can name it.
			n := worded(c.Notice, setup, "", &Item{Case: c.Case, What: c.What})
			if len(setup.Banks) == 1 {
				n.Vars[outbox.VarBank] = setup.BankName(setup.Banks[0].ID)
			}
			evs = append(evs, n)
		}
		return evs, nil
	case OpenDropoff:
		return decideOpenDropoff(s, setup, c, now)
	case Collect:
		comp, err := s.find(c.Comp)
		if err != nil {
			return nil, err
		}
		if err := ready(comp); err != nil {
			return nil, err
		}
		if comp.Status != Occupied || comp.Item.Kind != Dropoff {
			return nil, errs.R(errs.Conflict, "locker_nothing_dropped", "comp", c.Comp)
		}
		return []Payload{Released{Comp: c.Comp, Purpose: ForCollect, By: c.Clerk}}, nil
	case SetService:
		comp, err := s.find(c.Comp)
		if err != nil {
			return nil, err
		}
		if c.Out == (comp.Status == OutOfService) {
			return nil, errs.R(errs.Conflict, "locker_status_already", "comp", c.Comp, "status", comp.Status)
		}
		if c.Out && comp.Status == Occupied {
			return nil, errs.R(errs.Conflict, "locker_holds_case", "comp", c.Comp, "case", comp.Item.Case)
		}
		if c.Out && strings.TrimSpace(c.Reason) == "" {
			return nil, errs.Bad("reason", "locker_reason_needed")
		}
		if utf8.RuneCountInString(c.Reason) > MaxServiceReason {
			return nil, errs.Bad("reason", "too_long", "max", MaxServiceReason)
		}
		return []Payload{ServiceChanged{Comp: c.Comp, Out: c.Out, Reason: strings.TrimSpace(c.Reason), By: c.Clerk}}, nil
	case ReplaceCode:
		comp, err := s.find(c.Comp)
		if err != nil {
			return nil, err
		}
		if comp.Status != Occupied || comp.Item.Kind != Result {
			return nil, errs.R(errs.Conflict, "locker_nothing_waiting", "comp", c.Comp)
		}
		evs := []Payload{CodeReplaced{Comp: c.Comp, CodeHash: c.CodeHash, By: c.Clerk}}
		if c.Notice != nil {
			evs = append(evs, worded(c.Notice, setup, c.Comp, comp.Item))
		}
		return evs, nil
	case Open:
		comp, err := s.find(c.Comp)
		if err != nil {
			return nil, err
		}
		if !c.Actor.IsManager() {
			return nil, errs.R(errs.Forbidden, "manager_only")
		}
		if err := ready(comp); err != nil {
			return nil, err
		}
		return []Payload{Released{Comp: c.Comp, Purpose: ForService, By: c.Actor.Staff}}, nil
	case Check:
		return check(s, setup, now), nil
	}
	return nil, errs.Internalf("unknown_command", "locker: unknown command %T", cmd)
}

func (s *State) find(key string) (*Compartment, error) {
	c := s.Compartments[key]
	if c == nil {
		return nil, errs.R(errs.NotFound, "no_compartment", "comp", key)
	}
	return c, nil
}

// ready refuses a release while the door is busy with another.
func ready(c *Compartment) error {
	if c.Release != nil || c.DoorOpen {
		return errs.R(errs.Conflict, "locker_door_busy", "comp", c.Bank+"/"+c.ID)
	}
	return nil
}

// allocate picks the smallest free compartment that fits, in bank order,
// in the named bank or, when bank is empty, in any; nil when none is free.
func (s *State) allocate(setup *Setup, bank string, size Size) *Compartment {
	var best *Compartment
	for _, b := range setup.Banks {
		if bank != "" && b.ID != bank {
			continue
		}
		for _, cs := range b.Compartments {
			c := s.Compartments[Key(b.ID, cs.ID)]
			if c.Status != Free || c.Release != nil || c.DoorOpen || c.Size.rank() < size.rank() {
				continue
			}
			if best == nil || c.Size.rank() < best.Size.rank() {
				best = c
			}
		}
	}
	return best
}

// DropoffWhat is what dropped-off papers are called when the clerk says
// nothing more.
const DropoffWhat = "补充材料"

// The longest a deposit's words may be: they fit a slip, a panel and an SMS.
const (
	MaxServiceReason = 100
	MaxCase          = 40
	MaxWhat          = 60
	MaxName          = 30
)

func decideDeposit(s *State, setup *Setup, c Deposit) ([]Payload, error) {
	switch {
	case utf8.RuneCountInString(c.Item.Case) > MaxCase:
		return nil, errs.Bad("case", "too_long", "max", MaxCase)
	case utf8.RuneCountInString(c.Item.What) > MaxWhat:
		return nil, errs.Bad("what", "too_long", "max", MaxWhat)
	case utf8.RuneCountInString(c.Item.Name) > MaxName:
		return nil, errs.Bad("name", "too_long", "max", MaxName)
	case !c.Size.Valid():
		return nil, errs.Bad("size", "locker_size")
	case strings.TrimSpace(c.Item.Case) == "":
		return nil, errs.Bad("case", "locker_case_needed")
	case strings.TrimSpace(c.Item.What) == "":
		return nil, errs.Bad("what", "locker_what_needed")
	case strings.TrimSpace(c.Item.Name) == "":
		return nil, errs.Bad("name", "locker_name_needed")
	case c.Item.IDHash == "":
		return nil, errs.Bad("id_number", "locker_id_needed")
	case c.Item.CodeHash == "":
		return nil, errs.Internalf("deposit_without_code", "locker: deposit without a code")
	}
	if c.Bank != "" && !slices.ContainsFunc(setup.Banks, func(b BankSetup) bool { return b.ID == c.Bank }) {
		return nil, errs.Bad("bank", "no_bank", "bank", c.Bank)
	}
	comp := s.allocate(setup, c.Bank, c.Size)
	if comp == nil {
		return nil, errs.R(errs.Conflict, "locker_full", "size", c.Size)
	}
	item := c.Item
	item.Kind = Result
	return []Payload{Released{Comp: Key(comp.Bank, comp.ID), Purpose: ForDeposit, By: item.Clerk, Incoming: &item, Notice: c.Notice}}, nil
}

func decideDoor(s *State, setup *Setup, c DoorChanged, now time.Time) ([]Payload, error) {
	comp, err := s.find(c.Comp)
	if err != nil {
		return nil, err
	}
	if c.Open == comp.DoorOpen {
		return nil, nil // a repeated report: nothing happened
	}
	if c.Open {
		if comp.Release == nil {
			return []Payload{Alarm{Comp: c.Comp, Reason: "opened without a command"}}, nil
		}
		return []Payload{DoorOpened{Comp: c.Comp, Purpose: comp.Release.Purpose}}, nil
	}
	switch comp.Opened {
	case ForDeposit:
		item := *comp.Incoming
		item.Stored, item.Deadline = now, now.Add(setup.Retention)
		evs := []Payload{Stored{Comp: c.Comp, Item: item}}
		if comp.Notice != nil {
			evs = append(evs, worded(comp.Notice, setup, c.Comp, &item))
		}
		return evs, nil
	case ForPickup:
		it := comp.Item
		return []Payload{PickedUp{Comp: c.Comp, Case: it.Case, What: it.What, Name: it.Name, Clerk: it.Clerk}}, nil
	case ForRetrieve:
		return []Payload{Retrieved{Comp: c.Comp, Case: comp.Item.Case, Clerk: comp.OpenedBy}}, nil
	case ForDropoff:
		return []Payload{DropoffReceived{Comp: c.Comp, Case: comp.Incoming.Case, Clerk: comp.Incoming.Clerk}}, nil
	case ForCollect:
		return []Payload{Collected{Comp: c.Comp, Case: comp.Item.Case, Clerk: comp.OpenedBy}}, nil
	}
	return []Payload{DoorClosed{Comp: c.Comp}}, nil
}

// lockedOut refuses the holder of a locked ID until then: the arguments
// say in how long (a duration, never a clock time), for the panel's words
// and a Retry-After.
func lockedOut(until, now time.Time) error {
	secs := max(int((until.Sub(now)+time.Second-1)/time.Second), 1) // whole seconds, rounded up
	return errs.R(errs.Forbidden, "pickup_locked_out", "minutes", (secs+59)/60, "retry_s", secs)
}

// wrongEntry is the one answer to any failed panel entry: it never says
// whether the ID or the code was wrong.
func wrongEntry() error {
	return errs.R(errs.Unauthorized, "pickup_wrong")
}

// held refuses an entry for a holder who is locked out now.
func (s *State) held(dropoff bool, who string, now time.Time) error {
	if l := s.Lockouts[lockoutKey(dropoff, who)]; l != nil && now.Before(l.Until) {
		return lockedOut(l.Until, now)
	}
	return nil
}

// failed records one more wrong entry for the holder, locking the holder
// out after too many.
func (s *State) failed(setup *Setup, bank string, dropoff bool, who string, now time.Time) PickupFailed {
	f := PickupFailed{Bank: bank, Who: who, Dropoff: dropoff, Tries: s.tries(lockoutKey(dropoff, who), setup, now),
		Expires: now.Add(setup.Lockout)}
	if f.Tries >= setup.MaxTries {
		f.Until = now.Add(setup.Lockout)
	}
	return f
}

func decidePickup(s *State, setup *Setup, c Pickup, now time.Time) ([]Payload, error) {
	if c.Who == "" || c.CodeHash == "" {
		return nil, errs.R(errs.Invalid, "pickup_empty")
	}
	if err := s.held(false, c.Who, now); err != nil {
		return nil, err
	}
	var match *Compartment
	for _, b := range setup.Banks {
		if b.ID != c.Bank {
			continue
		}
		for _, cs := range b.Compartments {
			comp := s.Compartments[Key(b.ID, cs.ID)]
			if comp.Status != Occupied || comp.Item.Kind != Result {
				continue
			}
			who := comp.Item.IDHash
			if c.ByTail {
				who = comp.Item.TailHash
			}
			// Compare both in constant time, and do not stop early on
			// the ID, so timing says nothing about which was wrong.
			idOK := subtle.ConstantTimeCompare([]byte(who), []byte(c.Who))
			codeOK := subtle.ConstantTimeCompare([]byte(comp.Item.CodeHash), []byte(c.CodeHash))
			if idOK&codeOK == 1 && match == nil {
				match = comp
			}
		}
	}
	if match == nil {
		return []Payload{s.failed(setup, c.Bank, false, c.Who, now)}, wrongEntry()
	}
	if err := ready(match); err != nil {
		return nil, err
	}
	return []Payload{Released{Comp: Key(match.Bank, match.ID), Purpose: ForPickup, By: "applicant"}}, nil
}

// decideOpenDropoff opens a compartment for the holder of a drop-off code.
// The ID number typed with it says whose code it should be: wrong tries
// count against that holder only, so a stranger's guesses lock out nobody
// else's valid code.
func decideOpenDropoff(s *State, setup *Setup, c OpenDropoff, now time.Time) ([]Payload, error) {
	if c.Who == "" || c.CodeHash == "" {
		return nil, errs.R(errs.Invalid, "dropoff_empty")
	}
	if err := s.held(true, c.Who, now); err != nil {
		return nil, err
	}
	d := s.Dropoffs[c.CodeHash]
	// An expired code is no code, whether or not a sweep has forgotten it.
	if d == nil || d.expired(now) || !d.heldBy(c.Who, c.ByTail) {
		return []Payload{s.failed(setup, c.Bank, true, c.Who, now)}, errs.R(errs.Unauthorized, "dropoff_wrong")
	}
	comp := s.allocate(setup, c.Bank, d.Size)
	if comp == nil {
		return nil, errs.R(errs.Conflict, "dropoff_full")
	}
	item := &Item{Kind: Dropoff, Case: d.Case, What: d.What, Clerk: d.Clerk, CodeHash: c.CodeHash}
	return []Payload{Released{Comp: Key(comp.Bank, comp.ID), Purpose: ForDropoff, By: "applicant", Incoming: item}}, nil
}

// heldBy reports whether who (an ID's hash, or its last six's) is the
// applicant the code was issued to. A code issued before codes named their
// holder opens with any ID number, as it did then.
func (d *DropoffCode) heldBy(who string, byTail bool) bool {
	want := d.IDHash
	if byTail {
		want = d.TailHash
	}
	if d.IDHash == "" && d.TailHash == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(want), []byte(who)) == 1
}

// tries counts this wrong entry with the earlier ones, if they were recent:
// old mistakes do not add up to a lockout days later.
func (s *State) tries(key string, setup *Setup, now time.Time) int {
	if l := s.Lockouts[key]; l != nil && now.Sub(l.Last) < setup.Lockout {
		return l.Tries + 1
	}
	return 1
}

// Due reports whether a Check at now would raise anything, so a ticker
// commits only when there is something to say.
func Due(s *State, setup *Setup, now time.Time) bool { return len(check(s, setup, now)) > 0 }

// check finds what time alone has made true.
func check(s *State, setup *Setup, now time.Time) []Payload {
	var evs []Payload
	// A deterministic order, for replay.
	for _, k := range slices.Sorted(maps.Keys(s.Compartments)) {
		c := s.Compartments[k]
		if c.Status == Occupied && c.Item.Kind == Result && !c.Item.Overdue && now.After(c.Item.Deadline) {
			evs = append(evs, Overdue{Comp: k, Case: c.Item.Case, Clerk: c.Item.Clerk})
			if n := c.Item.OverdueNotice; n != nil {
				evs = append(evs, worded(n, setup, k, c.Item))
			}
		}
		if c.DoorOpen && !c.Alerted && now.Sub(c.DoorSince) > setup.DoorLimit {
			evs = append(evs, LeftOpen{Comp: k, Since: c.DoorSince})
		}
		if c.Release != nil && now.Sub(c.Release.At) > setup.OpenWindow {
			evs = append(evs, Unconfirmed{Comp: k, Purpose: c.Release.Purpose})
		}
	}
	return evs
}
