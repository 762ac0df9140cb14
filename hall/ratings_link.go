package hall

import (
	"hallfloor/cases"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// caseLinks finds, for each case opened or handed over at a window, the
// ticket that window was serving: its service's rating is the case's
// (一次一评). A case delivered by post or locker served no ticket.
func caseLinks(s *State, events []room.Event) []room.Payload {
	var out []room.Payload
	linked := map[string]bool{}
	link := func(t *queue.Ticket, window string, c *cases.Case) {
		if t == nil || c == nil || linked[t.ID] {
			return
		}
		if evs := rating.Link(s.Ratings, t.Ref(), window, c); len(evs) > 0 {
			linked[t.ID] = true
			out = append(out, evs...)
		}
	}
	for _, e := range events {
		switch p := e.Data.(type) {
		case cases.Opened:
			if p.Ticket != "" {
				link(s.Queue.Tickets[p.Ticket], p.Window, s.Cases.Cases[p.Case.ID])
			}
		case cases.Delivered:
			if p.Channel != cases.ChannelWindow {
				continue
			}
			if w := s.Queue.Windows[p.Window]; w != nil && w.State == queue.Serving {
				link(s.Queue.Tickets[w.Current], p.Window, s.Cases.Cases[p.Case.ID])
			}
		}
	}
	return out
}
