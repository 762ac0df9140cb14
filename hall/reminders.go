package hall

import (
	"maps"
	"slices"
	"strconv"

	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

// The kiosk's promise, 叫号前短信提醒: a citizen who gives a phone is told by
// SMS when their turn is near and when they are called. The edge seals both
// messages (the phone stays sealed, as a pickup code does) when the number
// is issued; the outbox holds them, and the hall queues each at its moment,
// read from the state after the events applied: once per ticket and kind,
// whatever the line does afterwards, and never for a ticket that left it.

// When a held reminder is for.
const (
	RemindNear   = "near"   // NearAhead people or fewer before the ticket
	RemindCalled = "called" // the ticket is called to a window
)

// DefaultNearAhead is NearAhead when the hall file is silent.
const DefaultNearAhead = 3

// IssueTicket takes a number with the holder's reminders sealed beside it;
// either may be nil.
type IssueTicket struct {
	Ticket queue.IssueTicket
	Near   *outbox.Queued
	Called *outbox.Queued
}

func (s *Setup) nearAhead() int {
	if s.NearAhead > 0 {
		return s.NearAhead
	}
	return DefaultNearAhead
}

func decideIssue(s *State, setup *Setup, c IssueTicket, env room.Env) (room.Outcome, error) {
	out, err := queue.Decide(s.Queue, setup.Queue, c.Ticket, env)
	if err != nil {
		return out, err
	}
	if c.Near != nil {
		out.Events = append(out.Events, outbox.Held{Message: *c.Near, Ticket: out.Ticket, When: RemindNear})
	}
	if c.Called != nil {
		out.Events = append(out.Events, outbox.Held{Message: *c.Called, Ticket: out.Ticket, When: RemindCalled})
	}
	return out, nil
}

// remind queues the held reminders whose moment the events brought, and
// withdraws those whose moment cannot come: a ticket done, skipped,
// cancelled or gone with the day, a "near" overtaken by the call, one
// issued already that near the front (its slip says as much), or a
// department's 咨询号, which no window calls.
func remind(s *State, setup *Setup, events []room.Event) []room.Payload {
	if len(s.Outbox.Held) == 0 || !movesLine(events) {
		return nil
	}
	issued := map[string]bool{}
	for _, e := range events {
		if p, ok := e.Data.(queue.TicketIssued); ok {
			issued[p.Ticket.ID] = true
		}
	}
	var out []room.Payload
	for _, id := range slices.Sorted(maps.Keys(s.Outbox.Held)) {
		h := s.Outbox.Held[id]
		t := s.Queue.Tickets[h.Ticket]
		switch {
		case t == nil || t.Status == queue.Done || t.Status == queue.NoShow || t.Status == queue.Cancelled:
			out = append(out, outbox.Withdrawn{ID: id})
		case setup.Consults.ForService(t.Service) != nil:
			// A department's 咨询号 is answered by its staff, in no order
			// of the line and at no window: neither moment comes.
			out = append(out, outbox.Withdrawn{ID: id})
		case h.When == RemindCalled && t.Status == queue.Called:
			out = append(out, reminder(h, t, outbox.VarWindow, t.Window))
		case h.When == RemindNear && t.Status == queue.Called:
			out = append(out, outbox.Withdrawn{ID: id})
		case h.When == RemindNear && t.Status == queue.Waiting:
			ahead := s.Queue.Ahead(t)
			switch {
			case ahead > setup.nearAhead():
			case issued[t.ID]:
				out = append(out, outbox.Withdrawn{ID: id})
			default:
				out = append(out, reminder(h, t, outbox.VarAhead, strconv.Itoa(ahead)))
			}
		}
	}
	return out
}

// reminder is a held message queued with the words the hall decided.
func reminder(h *outbox.Held, t *queue.Ticket, k, v string) outbox.Queued {
	q := h.Message
	q.Vars = maps.Clone(q.Vars)
	if q.Vars == nil {
		q.Vars = map[string]string{}
	}
	q.Vars[outbox.VarNumber], q.Vars[k] = t.Number, v
	return q
}

// movesLine reports whether the events can bring a ticket nearer the front,
// call it or take it out of the line.
func movesLine(events []room.Event) bool {
	for _, e := range events {
		switch e.Data.(type) {
		case queue.DayStarted, queue.TicketIssued, queue.TicketCalled, queue.TicketSkipped, queue.TicketFinished,
			queue.TicketTransferred, queue.TicketRequeued, queue.TicketCancelled, outbox.Held:
			return true
		}
	}
	return false
}
