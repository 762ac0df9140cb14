package locker

import "time"

// Apply changes the lockers by one event. Outbox events are the outbox's.
func (s *State) Apply(at time.Time, p Payload) {
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
		key := e.Bank + "|" + e.Who
		if e.Who == "" {
			return
		}
		l := s.Lockouts[key]
		if l == nil {
			l = &Lockout{}
			s.Lockouts[key] = l
		}
		l.Tries, l.Until, l.Last = e.Tries, e.Until, at
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
		s.Dropoffs[e.CodeHash] = &DropoffCode{Case: e.Case, Clerk: e.Clerk, Size: e.Size, What: e.What}
	}
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
