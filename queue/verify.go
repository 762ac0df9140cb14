package queue

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Verify checks that the state is consistent in itself: every line holds
// waiting tickets once and in order, windows and their tickets agree, no
// number is issued twice in a day, the holders index matches. Tests run it
// after every step of a random walk; it is cheap enough to run after a
// replay.
func (s *State) Verify(setup *Setup) error {
	// Every line entry is a waiting ticket, once, in its own line, in order.
	inLine := map[string]int{}
	checkLine := func(name string, line []string) error {
		for i, id := range line {
			t := s.Tickets[id]
			if t == nil {
				return fmt.Errorf("%s holds unknown ticket %s", name, id)
			}
			if t.Status != Waiting {
				return fmt.Errorf("%s holds %s which is %s", name, t.Number, t.Status)
			}
			if own := s.lineOf(t); !slices.Contains(*own, id) {
				return fmt.Errorf("%s holds %s, which belongs to another line", name, t.Number)
			}
			inLine[id]++
			if i > 0 {
				p := s.Tickets[line[i-1]]
				if p.QueuedAt.After(t.QueuedAt) || (p.QueuedAt.Equal(t.QueuedAt) && p.Order > t.Order) {
					return fmt.Errorf("%s out of order: %s before %s", name, p.Number, t.Number)
				}
			}
		}
		return nil
	}
	for code, sv := range s.Services {
		if err := checkLine("line "+code, sv.Line); err != nil {
			return err
		}
		if err := checkLine("priority line "+code, sv.Priority); err != nil {
			return err
		}
	}
	for id, w := range s.Windows {
		if err := checkLine("window line "+id, w.Line); err != nil {
			return err
		}
	}
	staffAt := map[string]string{}
	for id, w := range s.Windows {
		if (w.State == Serving) != (w.Current != "") {
			return fmt.Errorf("window %s is %s with current %q", id, w.State, w.Current)
		}
		if (w.State == Closed) != (w.Staff == "") {
			return fmt.Errorf("window %s is %s with staff %q", id, w.State, w.Staff)
		}
		if (w.State == Paused) != (w.PauseReason != "") {
			return fmt.Errorf("window %s is %s with pause reason %q", id, w.State, w.PauseReason)
		}
		if w.Staff != "" {
			if other, ok := staffAt[w.Staff]; ok {
				return fmt.Errorf("staff %s at windows %s and %s", w.Staff, other, id)
			}
			staffAt[w.Staff] = id
		}
		if w.Current != "" {
			t := s.Tickets[w.Current]
			if t == nil || t.Status != Called || t.Window != id {
				return fmt.Errorf("window %s serves %+v", id, t)
			}
		}
	}
	numbers := map[string]string{}
	issued := map[string]int{}
	holding := map[string]string{}
	for id, t := range s.Tickets {
		switch t.Status {
		case Waiting:
			if inLine[id] != 1 {
				return fmt.Errorf("waiting ticket %s is in %d lines", t.Number, inLine[id])
			}
			if t.Target != "" && s.Windows[t.Target].State == Closed {
				return fmt.Errorf("ticket %s waits for window %s, which is closed", t.Number, t.Target)
			}
			if t.IDHash != "" {
				k := holderKey(t.IDHash, t.Service)
				if other, ok := holding[k]; ok {
					return fmt.Errorf("holder %s waits with %s and %s", k, s.Tickets[other].Number, t.Number)
				}
				holding[k] = id
			}
		case Called:
			if s.Windows[t.Window].Current != id {
				return fmt.Errorf("called ticket %s is not served at window %s", t.Number, t.Window)
			}
		}
		if setup.Day(t.IssuedAt) != s.Day {
			continue // kept from yesterday at a window
		}
		if other, ok := numbers[t.Number]; ok {
			return fmt.Errorf("number %s issued twice today (%s, %s)", t.Number, other, id)
		}
		numbers[t.Number] = id
		issued[strings.TrimRight(t.Number, "0123456789")]++
	}
	for code, sv := range s.Services {
		if sv.Issued != issued[code] {
			return fmt.Errorf("service %s counts %d issued, %d tickets hold its numbers", code, sv.Issued, issued[code])
		}
	}
	if !maps.Equal(s.holders, holding) {
		return fmt.Errorf("holders index %v, waiting holders %v", s.holders, holding)
	}
	return nil
}
