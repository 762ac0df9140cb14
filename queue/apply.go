package queue

import (
	"cmp"
	"slices"
	"time"

	"hallfloor/room"
)

// avgWeight is how much one finished service moves the live mean service
// length: enough to follow a busy afternoon, not so much that one long case
// doubles everyone's estimate.
const avgWeight = 0.2

// Apply changes the state by one event. It trusts the event: Decide already
// checked it, and the journal only holds decided events.
// Events of other rooms leave it unchanged.
func (s *State) Apply(e room.Event) {
	at := e.At
	switch p := e.Data.(type) {
	case DayStarted:
		s.startDay(p)
	case TicketIssued:
		t := &Ticket{
			ID: p.Ticket.ID, Number: p.Ticket.Number, Service: p.Ticket.Service,
			Status: Waiting, Priority: p.Priority, Why: p.Why, Via: p.Via, IDHash: p.IDHash, Phone: p.Phone,
			IssuedAt: at, QueuedAt: at, Order: e.Seq,
		}
		s.Tickets[t.ID] = t
		s.Services[t.Service].Issued = p.Seqno
		s.enqueue(t)
	case TicketCalled:
		t := s.Tickets[p.Ticket.ID]
		s.dequeue(t)
		t.Status, t.Window, t.Staff, t.CalledAt, t.Target = Called, p.Window, p.Staff, at, ""
		w := s.Windows[p.Window]
		w.Current, w.Skipped = t.ID, ""
		w.setState(Serving, at)
		if t.First() {
			w.PriorityRun++
		} else {
			w.PriorityRun = 0
		}
	case TicketRecalled:
		s.Tickets[p.Ticket.ID].Recalls = p.Count
	case TicketSkipped:
		t := s.Tickets[p.Ticket.ID]
		t.Status, t.FinishedAt = NoShow, at
		s.Services[t.Service].NoShows++
		w := s.Windows[p.Window]
		w.release(at)
		w.Skipped = t.ID
	case SkipUndone:
		t := s.Tickets[p.Ticket.ID]
		t.Status, t.FinishedAt = Called, time.Time{}
		s.Services[t.Service].NoShows--
		w := s.Windows[p.Window]
		w.Current, w.Skipped = t.ID, ""
		w.setState(Serving, at)
	case TicketFinished:
		t := s.Tickets[p.Ticket.ID]
		t.Status, t.FinishedAt = Done, at
		sv := s.Services[t.Service]
		sv.Served++
		sv.ServiceS += p.ServiceS
		sv.AvgServiceS += avgWeight * (p.ServiceS - sv.AvgServiceS)
		w := s.Windows[p.Window]
		w.Served++
		w.ServiceS += p.ServiceS
		w.release(at)
	case TicketTransferred:
		t := s.Tickets[p.Ticket.ID]
		s.Windows[p.FromWindow].release(at)
		t.Status, t.Service, t.Target, t.Window, t.Staff = Waiting, p.ToService, p.ToWindow, "", ""
		t.CalledAt = time.Time{}
		// QueuedAt stays: the ticket goes ahead of everyone who came later.
		s.enqueue(t)
	case TicketRequeued:
		t := s.Tickets[p.Ticket.ID]
		s.Services[t.Service].NoShows--
		if w := s.Windows[t.Window]; w != nil && w.Skipped == t.ID {
			w.Skipped = "" // back in line: no longer the window's to undo
		}
		t.Status, t.Window, t.Staff, t.FinishedAt = Waiting, "", "", time.Time{}
		t.CalledAt = time.Time{}
		t.QueuedAt, t.Order = at, e.Seq
		s.enqueue(t)
	case TicketCancelled:
		t := s.Tickets[p.Ticket.ID]
		s.dequeue(t)
		t.Status, t.FinishedAt = Cancelled, at
	case WindowOpened:
		w := s.Windows[p.Window]
		w.Staff = p.Staff
		w.setState(Idle, at)
	case WindowClosed:
		for _, id := range p.Returned {
			t := s.Tickets[id]
			s.dequeue(t)
			t.Target = ""
			s.enqueue(t) // its QueuedAt keeps its place in the service's line
		}
		w := s.Windows[p.Window]
		w.Staff, w.PauseReason, w.PriorityRun, w.Skipped = "", "", 0, ""
		w.setState(Closed, at)
	case WindowPaused:
		w := s.Windows[p.Window]
		w.PauseReason = p.Reason
		w.setState(Paused, at)
	case WindowResumed:
		w := s.Windows[p.Window]
		w.PauseReason = ""
		w.setState(Idle, at)
	case IssuingClosed:
		s.IssuingClosed = true
	case IssuingOpened:
		s.IssuingClosed = false
	}
}

func (w *Window) setState(st WindowState, at time.Time) {
	if w.State != st {
		w.State, w.Since = st, at
	}
}

// release frees a window after its service ends.
func (w *Window) release(at time.Time) {
	w.Current = ""
	w.setState(Idle, at)
}

// enqueue puts a waiting ticket in its line, in order of QueuedAt then Order.
func (s *State) enqueue(t *Ticket) {
	line := s.lineOf(t)
	i, _ := s.position(*line, t)
	*line = slices.Insert(*line, i, t.ID)
	if t.IDHash != "" {
		s.holders[holderKey(t.IDHash, t.Service)] = t.ID
	}
}

// dequeue takes a ticket out of its line; most often it is the head.
func (s *State) dequeue(t *Ticket) {
	line := s.lineOf(t)
	if i, ok := s.position(*line, t); ok && i == 0 {
		*line = (*line)[1:]
	} else if ok {
		*line = slices.Delete(*line, i, i+1)
	}
	if t.IDHash != "" {
		delete(s.holders, holderKey(t.IDHash, t.Service))
	}
}

// position finds where t is, or belongs, in a line. Every line is kept in
// order of QueuedAt, then Order, so this is a binary search: a busy
// afternoon's line of thousands costs a dozen comparisons per answer. A
// ticket just issued is, or goes, at the end, which is looked at first:
// issuing a number asks three times (to queue it, and twice to answer it),
// and each comparison of the search is a lookup in the day's tickets.
func (s *State) position(line []string, t *Ticket) (int, bool) {
	order := func(id string, t *Ticket) int {
		o := s.Tickets[id]
		return cmp.Or(o.QueuedAt.Compare(t.QueuedAt), cmp.Compare(o.Order, t.Order))
	}
	if n := len(line); n > 0 {
		switch c := order(line[n-1], t); {
		case c < 0:
			return n, false
		case c == 0:
			return n - 1, true
		}
	}
	return slices.BinarySearchFunc(line, t, order)
}

func (s *State) lineOf(t *Ticket) *[]string {
	switch {
	case t.Target != "":
		return &s.Windows[t.Target].Line
	case t.First():
		return &s.Services[t.Service].Priority
	default:
		return &s.Services[t.Service].Line
	}
}

// startDay resets the numbering and the day's figures. Tickets still waiting
// are cancelled (the event lists them); finished tickets leave memory (the
// journal keeps them), but a ticket still at a window stays until finished.
//
// The day's tickets are let go as a whole, not one by one: every line starts
// empty, so nothing is taken out of a line, and the tickets kept are the few
// still at a window. Taken out and deleted one at a time, a big hall's
// 15,000 cost the writer some 7 ms at the first command of a day.
func (s *State) startDay(p DayStarted) {
	s.Day = p.Day
	s.dayFrom, s.dayTo = time.Time{}, time.Time{} // bounds of the new day, found when next asked
	kept := map[string]*Ticket{}
	for _, w := range s.Windows {
		w.Served, w.ServiceS, w.PriorityRun, w.Skipped = 0, 0, 0, ""
		w.Line = nil
		if t := s.Tickets[w.Current]; t != nil {
			kept[w.Current] = t
		}
	}
	for _, id := range p.Cancelled {
		if t := kept[id]; t != nil {
			t.Status = Cancelled
		}
	}
	s.Tickets = kept
	for _, sv := range s.Services {
		sv.Issued, sv.Served, sv.NoShows, sv.ServiceS = 0, 0, 0, 0
		sv.Line, sv.Priority = nil, nil
	}
	s.reindex()
}
