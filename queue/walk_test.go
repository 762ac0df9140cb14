package queue

import (
	"fmt"
	"hallfloor/room"
	"maps"
	"math/rand/v2"
	"slices"
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
	actor := func() room.Actor {
		switch r.IntN(20) {
		case 0:
			return clerk("s" + windows[r.IntN(len(windows))])
		case 1:
			return manager
		case 2:
			return room.Actor{}
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
		if c.Priority && r.IntN(8) != 0 {
			c.Actor = guide
		}
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
		c := CallNext{Window: w, Actor: actor()}
		if r.IntN(10) != 0 {
			c.Current = h.s.Windows[w].Current // what the counter shows, mostly up to date
		}
		return c
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
	return PressKey{Window: w, Key: []string{KeyCall, KeyRecall, KeySkip, KeyPause}[r.IntN(4)]}
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
				if bad := h.s.Verify(h.setup); bad != nil {
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
