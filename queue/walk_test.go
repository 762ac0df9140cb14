package queue

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
)

// randomCommand picks a command, sometimes a wrong one, from what the hall
// holds now. Ticket ids are taken in sorted order so the walk depends on the
// seed alone.
func randomCommand(r *rand.Rand, h *hall) Command {
	windows := []string{"1", "2", "3", "4", "5"}
	services := []string{"A", "A", "A", "B", "B", "Z"}
	w := windows[r.IntN(len(windows))]
	actor := func() Actor {
		switch r.IntN(20) {
		case 0:
			return clerk("s" + windows[r.IntN(len(windows))])
		case 1:
			return Actor{Staff: "admin", Manager: true}
		case 2:
			return Actor{}
		}
		return clerk("s" + w)
	}
	ticket := func() string {
		ids := slices.Sorted(maps.Keys(h.s.Tickets))
		if len(ids) == 0 || r.IntN(30) == 0 {
			return "missing"
		}
		return ids[r.IntN(len(ids))]
	}
	switch n := r.IntN(100); {
	case n < 30:
		c := IssueTicket{ID: h.nextID(), Service: services[r.IntN(len(services))], Priority: r.IntN(6) == 0}
		if r.IntN(2) == 0 {
			c.IDHash = fmt.Sprintf("h%d", r.IntN(6))
		}
		if r.IntN(40) == 0 {
			c.Service = "X"
		}
		return c
	case n < 36:
		return OpenWindow{Window: w, Actor: actor()}
	case n < 38:
		return CloseWindow{Window: w, Actor: actor()}
	case n < 60:
		return CallNext{Window: w, Actor: actor()}
	case n < 63:
		return Recall{Window: w, Actor: actor()}
	case n < 67:
		return Skip{Window: w, Actor: actor()}
	case n < 77:
		return Finish{Window: w, Actor: actor()}
	case n < 80:
		reason := "break"
		if r.IntN(4) == 0 {
			reason = " "
		}
		return Pause{Window: w, Actor: actor(), Reason: reason}
	case n < 84:
		return Resume{Window: w, Actor: actor()}
	case n < 89:
		c := Transfer{Window: w, Actor: actor()}
		if r.IntN(2) == 0 {
			c.ToService = services[r.IntN(len(services))]
		} else {
			c.ToWindow = windows[r.IntN(len(windows))]
		}
		return c
	case n < 94:
		return Requeue{Ticket: ticket(), Actor: actor()}
	case n < 98:
		return CancelTicket{Ticket: ticket()}
	}
	return Tick{}
}

// checkInvariants checks what must hold after every command.
func checkInvariants(h *hall) error {
	s := h.s
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
		if h.setup.Day(t.IssuedAt) != s.Day {
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

// TestRandomWalk runs thousands of random commands, right and wrong, across
// several midnights, and checks the hall's invariants after each; refused
// commands are checked by hall.do to change nothing.
func TestRandomWalk(t *testing.T) {
	for seed := range uint64(3) {
		t.Run(fmt.Sprint("seed", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 42))
			h := newHall(t, testSetup())
			h.now = time.Date(2025, 3, 10, 15, 0, 0, 0, shanghai)
			days := map[string]bool{}
			accepted := map[string]int{}
			for i := range 3000 {
				h.advance(time.Duration(r.IntN(150)) * time.Second)
				cmd := randomCommand(r, h)
				// Comparing the whole state before and after a refusal
				// costs two encodings; one step in eight is enough here,
				// TestBadInputChangesNothing covers every refusal.
				h.bulk = i%8 != 0
				out, err := h.do(cmd)
				if err == nil {
					for _, p := range out.Events {
						accepted[p.Type()]++
					}
				}
				if bad := checkInvariants(h); bad != nil {
					t.Fatalf("step %d, after %T %+v (answered %v): %v", i, cmd, cmd, err, bad)
				}
				days[h.s.Day] = true
			}
			if len(days) < 2 {
				t.Fatalf("the walk never crossed midnight: %v", days)
			}
			for _, typ := range []string{"ticket.issued", "ticket.called", "ticket.recalled",
				"ticket.skipped", "ticket.finished", "ticket.transferred", "ticket.requeued", "ticket.cancelled",
				"window.opened", "window.closed", "window.paused", "window.resumed"} {
				if accepted[typ] == 0 {
					t.Errorf("the walk never produced %s", typ)
				}
			}
		})
	}
}
