package locker

import "time"

// Apply changes the lockers by one event. Outbox events are the outbox's.
// Any event, whatever room it is for, also lets the lockers forget the
// wrong tries whose time has passed.
func (s *State) Apply(at time.Time, p Payload) {
	s.forget(at)
	switch e := p.(type) {
	case Released:
		c := s.Compartments[e.Comp]
		c.Release = &Release{Purpose: e.Purpose, By: e.By, At: at}
		if e.Incoming != nil {
			c.Incoming = e.Incoming
		}
		c.Notice = e.Notice
	case DoorOpened:
		c := s.Compartments[e.Comp]
		c.Opened, c.OpenedBy, c.Release = e.Purpose, c.Release.By, nil
		c.door(true, at)
	case Alarm:
		s.Compartments[e.Comp].door(true, at)
	case DoorClosed:
		c := s.Compartments[e.Comp]
		c.Opened, c.OpenedBy = "", ""
		c.door(false, at)
	case Stored:
		c := s.Compartments[e.Comp]
		item := e.Item
		c.Status, c.Item, c.Incoming, c.Notice = Occupied, &item, nil, nil
		c.closed(at)
	case PickedUp, Retrieved, Collected:
		c := s.Compartments[compOf(p)]
		c.Status, c.Item = Free, nil
		c.closed(at)
	case DropoffReceived:
		c := s.Compartments[e.Comp]
		c.Status, c.Item, c.Incoming = Occupied, c.Incoming, nil
		c.Item.Stored = at
		for code, d := range s.Dropoffs {
			if code == c.Item.CodeHash && d.Case == e.Case {
				delete(s.Dropoffs, code) // a drop-off code is good once
			}
		}
		c.closed(at)
	case Overdue:
		it := s.Compartments[e.Comp].Item
		it.Overdue, it.OverdueNotice = true, nil // queued with this event
	case LeftOpen:
		s.Compartments[e.Comp].Alerted = true
	case Unconfirmed:
		c := s.Compartments[e.Comp]
		c.Release = nil
		if e.Purpose == ForDeposit || e.Purpose == ForDropoff {
			c.Incoming, c.Notice = nil, nil
		}
	case PickupFailed:
		if e.Who == "" {
			return
		}
		key := lockoutKey(e.Dropoff, e.Who)
		l := s.Lockouts[key]
		if l == nil {
			l = &Lockout{}
			s.Lockouts[key] = l
		}
		l.Tries, l.Until, l.Last, l.Expires = e.Tries, e.Until, at, e.Expires
		if !e.Until.IsZero() {
			l.Tries = 0 // after the lockout, a fresh count
		}
	case ServiceChanged:
		c := s.Compartments[e.Comp]
		if e.Out {
			c.Status, c.Reason = OutOfService, e.Reason
		} else {
			c.Status, c.Reason = Free, ""
		}
	case CodeReplaced:
		s.Compartments[e.Comp].Item.CodeHash = e.CodeHash
	case DropoffIssued:
		s.Dropoffs[e.CodeHash] = &DropoffCode{Case: e.Case, Clerk: e.Clerk, Size: e.Size, What: e.What,
			IDHash: e.IDHash, TailHash: e.TailHash, Expires: e.Expires}
		if !e.Expires.IsZero() && (s.NextSweep.IsZero() || e.Expires.Before(s.NextSweep)) {
			s.NextSweep = e.Expires
		}
	}
}

// lockoutKey names the count of wrong tries for one holder: the hash of
// the ID number typed, for pickups or for drop-offs. It names no bank or
// panel, so a lockout keeps nobody else from the panel, and trying the
// same ID at another bank does not start a fresh count.
func lockoutKey(dropoff bool, who string) string {
	if dropoff {
		return "dropoff|" + who
	}
	return "pickup|" + who
}

// sweepEvery is the least time between two sweeps of the lockouts, so that
// a flood of wrong tries does not make every event look through them all.
const sweepEvery = time.Minute

// unknownExpiry is how long a count journaled without its expiry (before
// counts carried one) is kept: longer than any lockout a hall sets.
const unknownExpiry = 24 * time.Hour

// forget drops the counts, lockouts and unused drop-off codes that have
// expired by at. They decide nothing any more (the lockout is over, the
// mistakes too old to add up, the code no longer opens), so when they go
// changes no decision; they go at the first event past NextSweep, which
// replay reaches at the same event, so the state stays bounded by what the
// last lockout period and the last retention period left.
func (s *State) forget(at time.Time) {
	if (len(s.Lockouts) == 0 && len(s.Dropoffs) == 0) || at.Before(s.NextSweep) {
		return
	}
	var next time.Time
	soonest := func(exp time.Time) {
		if next.IsZero() || exp.Before(next) {
			next = exp
		}
	}
	for k, l := range s.Lockouts {
		exp := l.Expires
		if exp.IsZero() {
			exp = l.Last.Add(unknownExpiry)
		}
		if !at.Before(exp) {
			delete(s.Lockouts, k)
			continue
		}
		soonest(exp)
	}
	for k, d := range s.Dropoffs {
		if d.Expires.IsZero() {
			continue
		}
		if d.expired(at) {
			delete(s.Dropoffs, k)
			continue
		}
		soonest(d.Expires)
	}
	s.NextSweep = later(next, at.Add(sweepEvery))
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// compOf is the compartment an emptying event concerns.
func compOf(p Payload) string {
	switch e := p.(type) {
	case PickedUp:
		return e.Comp
	case Retrieved:
		return e.Comp
	case Collected:
		return e.Comp
	}
	return ""
}

func (c *Compartment) door(open bool, at time.Time) {
	c.DoorOpen, c.DoorSince, c.Alerted = open, at, false
}

// closed records a completed closing.
func (c *Compartment) closed(at time.Time) {
	c.Opened, c.OpenedBy = "", ""
	c.door(false, at)
}
