package queue

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/room"
)

// shanghai is the hall's zone in every test: numbers reset at its midnight.
var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// t0 is a Monday morning in the hall.
var t0 = time.Date(2025, 3, 10, 9, 0, 0, 0, shanghai)

// testSetup is a small hall:
//
//	window 1: A
//	window 2: A, B
//	window 3: B, A with B weighted 2
//	window 4: B
//	window 5: Z
func testSetup() *Setup {
	return NewSetup(Setup{
		Location:    shanghai,
		PriorityRun: 3,
		// The hall's words for a pause from the key.
		KeyPauseReason: "暂停（按键）",
		Services: []Service{
			{Code: "A", Name: "社会民生", Kind: Intake, ServiceTime: 5 * time.Minute},
			{Code: "B", Name: "工程建设", Kind: Intake, ServiceTime: 10 * time.Minute},
			{Code: "Z", Name: "咨询", Kind: Consult, ServiceTime: 4 * time.Minute},
		},
		Windows: []WindowSetup{
			{ID: "1", Services: []string{"A"}},
			{ID: "2", Services: []string{"A", "B"}},
			{ID: "3", Services: []string{"B", "A"}, Weights: map[string]float64{"B": 2}},
			{ID: "4", Services: []string{"B"}},
			{ID: "5", Services: []string{"Z"}},
		},
	})
}

// hall drives the pure rules the way the engine does: a rollover check, then
// Decide, then Apply of each event with the next sequence number.
type hall struct {
	t     testing.TB
	setup *Setup
	s     *State
	seq   uint64
	now   time.Time
	ids   int
	// bulk skips the before/after comparison of refused commands, for loops
	// that only issue numbers by the thousand.
	bulk bool
}

func newHall(t testing.TB, setup *Setup) *hall {
	t.Helper()
	return &hall{t: t, setup: setup, s: NewState(setup), now: t0}
}

func (h *hall) advance(d time.Duration) { h.now = h.now.Add(d) }

func (h *hall) apply(p room.Payload) {
	h.seq++
	h.s.Apply(room.Event{Seq: h.seq, At: h.now, Data: p})
}

// do runs a command. A refused command must leave the state exactly as it was.
func (h *hall) do(cmd Command) (room.Outcome, error) {
	h.t.Helper()
	if ev := Rollover(h.s, h.setup, h.now); ev != nil {
		h.apply(ev)
	}
	var before string
	if !h.bulk {
		before = h.snapshot()
	}
	out, err := Decide(h.s, h.setup, cmd, room.Env{Now: h.now, NewID: h.nextID})
	if err != nil {
		if !h.bulk {
			if after := h.snapshot(); after != before {
				h.t.Fatalf("%T refused (%v) but changed the state:\nbefore %s\nafter  %s", cmd, err, before, after)
			}
		}
		if len(out.Events) > 0 {
			h.t.Fatalf("%T refused (%v) but returned events %v", cmd, err, out.Events)
		}
		return out, err
	}
	for _, p := range out.Events {
		h.apply(p)
	}
	return out, nil
}

func (h *hall) must(cmd Command) room.Outcome {
	h.t.Helper()
	out, err := h.do(cmd)
	if err != nil {
		h.t.Fatalf("%T %+v: %v", cmd, cmd, err)
	}
	return out
}

// refuse runs a command that must fail with the given kind.
func (h *hall) refuse(cmd Command, kind errs.Kind) *errs.Error {
	h.t.Helper()
	_, err := h.do(cmd)
	if err == nil {
		h.t.Fatalf("%T %+v: accepted, want %s", cmd, cmd, kind)
	}
	var e *errs.Error
	if !errors.As(err, &e) {
		h.t.Fatalf("%T: error %v has no kind", cmd, err)
	}
	if e.Kind != kind {
		h.t.Fatalf("%T %+v: %v, want kind %s", cmd, cmd, err, kind)
	}
	return e
}

func (h *hall) nextID() string {
	h.ids++
	return fmt.Sprintf("t%04d", h.ids)
}

// issue takes a number for the service and returns the ticket.
func (h *hall) issue(service string) *Ticket {
	h.t.Helper()
	return h.issueWith(IssueTicket{Service: service})
}

func (h *hall) issuePriority(service string) *Ticket {
	h.t.Helper()
	return h.issueWith(IssueTicket{Service: service, Priority: true, Actor: guide})
}

func (h *hall) issueWith(c IssueTicket) *Ticket {
	h.t.Helper()
	if c.ID == "" {
		c.ID = h.nextID()
	}
	out := h.must(c)
	t := h.s.Tickets[out.Ticket]
	if t == nil {
		h.t.Fatalf("issue %s: outcome names ticket %q, not in state", c.Service, out.Ticket)
	}
	return t
}

func clerk(id string) room.Actor { return room.Actor{Staff: id, Role: room.Clerk} }

// guide is the 导办员 who issues priority numbers.
var guide = room.Actor{Staff: "g1", Role: room.Guide}

// manager may act at any window.
var manager = room.Actor{Staff: "admin", Role: room.Manager}

// open signs staff on at a window; staff "s<window>" by default.
func (h *hall) open(windows ...string) {
	h.t.Helper()
	for _, w := range windows {
		h.must(OpenWindow{Window: w, Actor: clerk("s" + w)})
	}
}

// call presses "next" at a window as its clerk and returns the called
// ticket's number, or "" when nobody was called.
func (h *hall) call(window string) string {
	h.t.Helper()
	out := h.must(CallNext{Window: window, Actor: clerk("s" + window), Current: h.s.Windows[window].Current})
	if out.Ticket == "" {
		return ""
	}
	return h.s.Tickets[out.Ticket].Number
}

// drain calls at a window until nobody is left for it.
func (h *hall) drain(window string) []string {
	h.t.Helper()
	var got []string
	for range 10000 {
		n := h.call(window)
		if n == "" {
			return got
		}
		got = append(got, n)
	}
	h.t.Fatalf("window %s never ran out of tickets", window)
	return nil
}

func (h *hall) snapshot() string {
	h.t.Helper()
	b, err := json.Marshal(h.s)
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

func (h *hall) ticketByNumber(number string) *Ticket {
	h.t.Helper()
	for _, t := range h.s.Tickets {
		if t.Number == number {
			return t
		}
	}
	h.t.Fatalf("no ticket %s", number)
	return nil
}

func eventTypes(ps []room.Payload) []string {
	var out []string
	for _, p := range ps {
		out = append(out, p.Type())
	}
	return out
}
