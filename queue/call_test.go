package queue

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/room"
)

// A double tap on 呼叫下一位: both taps carry what the screen showed when the
// clerk pressed. The second finds the window serving someone the clerk never
// saw, is refused, and finishes nobody.
func TestDoubleTapOnCallFinishesNobody(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	a1 := h.issue("A")
	a2 := h.issue("A")
	tap := CallNext{Window: "1", Actor: clerk("s1")} // the screen shows the window idle
	h.must(tap)
	h.advance(10 * time.Millisecond)
	e := h.refuse(tap, errs.Conflict)
	if e.Reason != "stale_current" || e.Args["number"] != a1.Number {
		t.Fatalf("second tap refused with %v, want stale_current naming %s", e, a1.Number)
	}
	if got := h.s.Tickets[a1.ID].Status; got != Called {
		t.Fatalf("%s is %s after the double tap, want called", a1.Number, got)
	}
	if got := h.s.Tickets[a2.ID].Status; got != Waiting {
		t.Fatalf("%s is %s after the double tap, want waiting", a2.Number, got)
	}
	// The page refreshes; the next tap names what it now shows.
	h.must(CallNext{Window: "1", Actor: clerk("s1"), Current: a1.ID})
	if h.s.Tickets[a1.ID].Status != Done || h.s.Tickets[a2.ID].Status != Called {
		t.Fatal("a call on the refreshed screen did not finish the one shown and call the next")
	}
	// A screen that still shows a ticket the window has finished is stale too.
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	if e := h.refuse(CallNext{Window: "1", Actor: clerk("s1"), Current: a2.ID}, errs.Conflict); e.Reason != "stale_idle" {
		t.Fatalf("call on a screen showing a finished ticket: %v, want stale_idle", e)
	}
}

// The physical call key carries no screen: a press within the call gap of
// the call it made is its bounce or echo and does nothing; a press after it
// finishes the current citizen and calls the next.
func TestCallKeyBounceIsDecidedByTheRoom(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	a1 := h.issue("A")
	a2 := h.issue("A")
	press := PressKey{Window: "1", Key: KeyCall}
	h.must(press)
	if h.s.Windows["1"].Current != a1.ID {
		t.Fatalf("the first press called %q, want %s", h.s.Windows["1"].Current, a1.Number)
	}
	h.advance(h.setup.CallGap - time.Millisecond)
	if out := h.must(press); len(out.Events) != 0 {
		t.Fatalf("a press within the call gap did %v", eventTypes(out.Events))
	}
	if h.s.Tickets[a1.ID].Status != Called {
		t.Fatal("the echo finished the citizen being served")
	}
	h.advance(time.Millisecond)
	h.must(press)
	if h.s.Tickets[a1.ID].Status != Done || h.s.Windows["1"].Current != a2.ID {
		t.Fatal("a press after the call gap did not move on to the next citizen")
	}
	// Nobody is signed on: the key does nothing the room has not decided.
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	h.must(CloseWindow{Window: "1", Actor: clerk("s1")})
	if e := h.refuse(press, errs.Conflict); e.Reason != "window_closed" {
		t.Fatalf("a press at a closed window: %v", e)
	}
	// The pause key toggles, for the clerk signed on.
	h.open("2")
	h.must(PressKey{Window: "2", Key: KeyPause})
	if w := h.s.Windows["2"]; w.State != Paused || w.PauseReason != "暂停（按键）" {
		t.Fatalf("pause key: window %+v", w)
	}
	h.must(PressKey{Window: "2", Key: KeyPause})
	if h.s.Windows["2"].State != Idle {
		t.Fatal("the pause key did not resume")
	}
	if e := h.refuse(PressKey{Window: "2", Key: "eject"}, errs.Invalid); e.Reason != "unknown_key" {
		t.Fatalf("unknown key: %v", e)
	}
}

// 老弱病残孕 numbers go first on a member of staff's word: a kiosk request
// alone cannot take one.
func TestPriorityNeedsStaff(t *testing.T) {
	h := newHall(t, testSetup())
	e := h.refuse(IssueTicket{ID: h.nextID(), Service: "A", Priority: true}, errs.Forbidden)
	if e.Reason != "priority_by_staff" || e.Field != "priority" {
		t.Fatalf("anonymous priority: %v", e)
	}
	for _, a := range []room.Actor{guide, clerk("s1"), manager} {
		if tk := h.issueWith(IssueTicket{Service: "A", Priority: true, Actor: a}); !tk.Priority {
			t.Fatalf("%s's priority number is not priority", a.Role)
		}
	}
	// A guide does not sign on at a window.
	if e := h.refuse(OpenWindow{Window: "1", Actor: guide}, errs.Forbidden); e.Reason != "guide_no_window" {
		t.Fatalf("guide at a window: %v", e)
	}
}

// The counter's next-up list and 呼叫 come from one function: over random
// halls with weights, priority numbers, transfers to services and to
// windows, the list's first entry is what CallNext calls, and calling
// repeatedly (nobody else acting) calls the list in its order.
func TestCounterListIsWhatCallCalls(t *testing.T) {
	for seed := range uint64(200) {
		t.Run(fmt.Sprint(seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			h := newHall(t, testSetup())
			h.open("1", "2", "3", "4")
			services := []string{"A", "A", "B"}
			for range 5 + r.IntN(30) {
				h.advance(time.Duration(r.IntN(120)) * time.Second)
				c := IssueTicket{Service: services[r.IntN(len(services))]}
				if r.IntN(4) == 0 {
					c.Priority, c.Actor = true, guide
				}
				h.issueWith(c)
				// Now and then a window calls and sends its ticket on.
				if r.IntN(5) == 0 {
					w := []string{"1", "2", "3", "4"}[r.IntN(4)]
					if h.call(w) != "" {
						to := Transfer{Window: w, Actor: clerk("s" + w)}
						if r.IntN(2) == 0 {
							to.ToService = services[r.IntN(len(services))]
						} else {
							to.ToWindow = []string{"1", "2", "3", "4"}[r.IntN(4)]
						}
						if _, err := h.do(to); err != nil {
							h.must(Finish{Window: w, Actor: clerk("s" + w)})
						}
					}
				}
			}
			h.advance(time.Minute)
			w := []string{"1", "2", "3"}[r.IntN(3)]
			list := CallOrder(h.s, h.setup, w, h.now, 1000)
			for i, want := range list {
				got := h.call(w)
				if got != want.Number {
					t.Fatalf("call %d at window %s called %q, the list said %s (list %v)", i, w, got, want.Number, numbers(list))
				}
			}
			if got := h.call(w); got != "" {
				t.Fatalf("window %s called %s after the list %v ran out", w, got, numbers(list))
			}
		})
	}
}

func numbers(ts []*Ticket) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Number
	}
	return out
}
