package cases

import (
	"slices"
	"strings"
	"time"

	"hallfloor/room"
)

// DefaultKeepClosedDays is how long a closed case stays in the state: long
// enough for the month's reports and a complaint about it, short enough
// that years of cases do not weigh on every snapshot. The journal keeps
// every case for ever.
const DefaultKeepClosedDays = 90

// pruneAtOnce bounds one CasesPruned event, so a hall restarted after a
// long pause lets its old cases go over a few ticks, not in one huge event.
const pruneAtOnce = 500

// index is what Due reads instead of every case the hall ever had: the
// open cases, the unsigned batches, and the closed cases oldest first. It
// is derived from the cases (Adopt rebuilds it, Apply keeps it), so it is
// never serialised and a replay or a snapshot reaches the same.
type index struct {
	open     map[string]*Case
	unsigned map[string]*Batch
	closed   []*Case // by ClosedAt, then id
}

func (s *State) reindex() {
	s.idx = index{open: map[string]*Case{}, unsigned: map[string]*Batch{}}
	for id, c := range s.Cases {
		if c.Status != Closed {
			s.idx.open[id] = c
			continue
		}
		if c.ClosedAt.IsZero() && len(c.Timeline) > 0 {
			// Closed before the hall recorded when: the last step is the close.
			c.ClosedAt = c.Timeline[len(c.Timeline)-1].At
		}
		s.idx.closed = append(s.idx.closed, c)
	}
	slices.SortFunc(s.idx.closed, func(a, b *Case) int {
		if c := a.ClosedAt.Compare(b.ClosedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	for id, b := range s.Batches {
		if b.SignedAt.IsZero() {
			s.idx.unsigned[id] = b
		}
	}
}

// ensure makes a state built without Adopt usable.
func (s *State) ensure() {
	if s.idx.open == nil {
		if s.Batches == nil {
			s.Batches = map[string]*Batch{}
		}
		s.reindex()
	}
}

func (s *State) indexOpened(c *Case) {
	s.ensure()
	s.idx.open[c.ID] = c
}

func (s *State) indexClosed(c *Case, at time.Time) {
	s.ensure()
	c.ClosedAt = at
	if _, ok := s.idx.open[c.ID]; ok {
		delete(s.idx.open, c.ID)
		s.idx.closed = append(s.idx.closed, c)
	}
}

// CasesPruned is closed cases (and the signed batches that took only
// them) leaving the state KeepClosedDays after they closed. It is a Tick's
// event, so a replay lets the same cases go at the same point.
type CasesPruned struct {
	Cases   []string  `json:"cases"`
	Batches []string  `json:"batches,omitempty"`
	Before  time.Time `json:"before"` // closed before this
}

func (CasesPruned) Type() string         { return "case.pruned" }
func (CasesPruned) Public() room.Payload { return Stepped{} }

func init() { room.Register[CasesPruned]() }

// pruneDue is the oldest closed cases past the keeping time, at most
// pruneAtOnce: the closed list is in closing order, so only its head is
// looked at.
func pruneDue(s *State, setup *Setup, now time.Time) []room.Payload {
	s.ensure()
	before := now.AddDate(0, 0, -setup.keepClosedDays())
	var ids []string
	gone := map[string]bool{}
	for _, c := range s.idx.closed {
		if len(ids) == pruneAtOnce || !c.ClosedAt.Before(before) {
			break
		}
		ids = append(ids, c.ID)
		gone[c.ID] = true
	}
	if len(ids) == 0 {
		return nil
	}
	var batches []string
	seen := map[string]bool{}
	for _, id := range ids {
		b := s.Batches[s.Cases[id].Batch]
		if b == nil || seen[b.ID] || b.SignedAt.IsZero() {
			continue
		}
		seen[b.ID] = true
		if !slices.ContainsFunc(b.Cases, func(r Ref) bool { return s.Cases[r.ID] != nil && !gone[r.ID] }) {
			batches = append(batches, b.ID)
		}
	}
	slices.Sort(batches)
	return []room.Payload{CasesPruned{Cases: ids, Batches: batches, Before: before}}
}

func (s *State) applyPruned(p CasesPruned) {
	s.ensure()
	gone := map[string]bool{}
	for _, id := range p.Cases {
		gone[id] = true
		delete(s.Cases, id)
		delete(s.idx.open, id)
	}
	s.idx.closed = slices.DeleteFunc(s.idx.closed, func(c *Case) bool { return gone[c.ID] })
	for _, id := range p.Batches {
		delete(s.Batches, id)
		delete(s.idx.unsigned, id)
	}
}

func (s *Setup) keepClosedDays() int {
	if s == nil || s.KeepClosedDays <= 0 {
		return DefaultKeepClosedDays
	}
	return s.KeepClosedDays
}

// flowDue is what time makes due on the open cases beyond their promised
// deadline: materials not handed over or not posted, results not back,
// opinions and 容缺 materials late, batches unsigned, and closed cases to
// let go. The open cases are visited in any order and what is due sorted
// by case, for a replay to decide the same.
func flowDue(s *State, setup *Setup, now time.Time) []room.Payload {
	s.ensure()
	type due struct {
		id  string
		evs []room.Payload
	}
	var ds []due
	for id, k := range s.idx.open {
		var evs []room.Payload
		evs = append(evs, handoverDue(k, now)...)
		evs = append(evs, opinionsDue(k, now)...)
		evs = append(evs, crossDue(k, now)...)
		evs = append(evs, supplyDue(k, now)...)
		if len(evs) > 0 {
			ds = append(ds, due{id, evs})
		}
	}
	slices.SortFunc(ds, func(a, b due) int { return strings.Compare(a.id, b.id) })
	var out []room.Payload
	for _, d := range ds {
		out = append(out, d.evs...)
	}
	out = append(out, batchesDue(s, setup, now)...)
	return append(out, pruneDue(s, setup, now)...)
}

// applyOpened keeps what an opened case adds beyond the intake itself.
func (s *State) applyOpened(c *Case, p Opened) {
	c.HandoverBy, c.AskBy = p.HandoverBy, p.AskBy
	if p.Cross != nil {
		c.Cross = &Crossing{CrossArea: *p.Cross, PostBy: p.PostBy}
	}
	s.indexOpened(c)
}

// askBy is the case's AskBy, counted again for a case opened before it was
// recorded: counting working days every second for every received case
// was most of what Due cost.
func askBy(setup *Setup, k *Case) time.Time {
	if !k.AskBy.IsZero() {
		return k.AskBy
	}
	return setup.SupplementBy(k.ReceivedAt)
}
