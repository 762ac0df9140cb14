package queue

import "time"

// CallOrder is the calling policy: the next n tickets window would call at
// now, in the order it would call them if nobody else called or arrived
// meanwhile. CallNext calls the first, and the counter's next-up list shows
// them all, so the two never disagree.
//
// Among the heads of the lines the window serves, priority tickets go first
// unless the window has called PriorityRun of them in a row while others
// wait; then the longest wait, each wait scaled by the window's weight for
// the service, wins; ties go to the earlier queued.
func CallOrder(s *State, setup *Setup, windowID string, now time.Time, n int) []*Ticket {
	ws := setup.Window(windowID)
	w := s.Windows[windowID]
	if ws == nil || w == nil || n <= 0 {
		return nil
	}
	type line struct {
		ids    []string
		weight float64
		at     int
	}
	// Two lines per service and the window's own: a window serves a few
	// services, so the lines fit on the stack and a call allocates nothing
	// to choose.
	var buf [17]line
	lines := buf[:0]
	maxWeight := 1.0
	for _, code := range ws.Services {
		st := s.Services[code]
		wt := ws.weight(code)
		maxWeight = max(maxWeight, wt)
		lines = append(lines, line{ids: st.Priority, weight: wt}, line{ids: st.Line, weight: wt})
	}
	// Tickets sent to this window in particular: the whole line is this
	// window's, so only its head competes, at the window's highest weight.
	lines = append(lines, line{ids: w.Line, weight: maxWeight})

	run := w.PriorityRun
	out := make([]*Ticket, 0, min(n, 64))
	for len(out) < n {
		var prio, normal *line
		var prioT, normalT *Ticket
		var prioScore, normalScore float64
		for i := range lines {
			l := &lines[i]
			if l.at >= len(l.ids) {
				continue
			}
			t := s.Tickets[l.ids[l.at]]
			score := l.weight * now.Sub(t.QueuedAt).Seconds()
			if t.First() {
				if better(prioT, prioScore, t, score) {
					prio, prioT, prioScore = l, t, score
				}
			} else if better(normalT, normalScore, t, score) {
				normal, normalT, normalScore = l, t, score
			}
		}
		var pick *line
		switch {
		case prio == nil && normal == nil:
			return out
		case prio == nil:
			pick = normal
		case normal == nil || run < setup.PriorityRun:
			pick = prio
		default:
			pick = normal
		}
		t := s.Tickets[pick.ids[pick.at]]
		pick.at++
		if t.First() {
			run++
		} else {
			run = 0
		}
		out = append(out, t)
	}
	return out
}

func better(best *Ticket, bestScore float64, t *Ticket, score float64) bool {
	if best == nil || score > bestScore {
		return true
	}
	return score == bestScore && t.Order < best.Order
}
