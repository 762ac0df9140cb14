package hall

import (
	"fmt"
	"testing"
	"time"

	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

// issueWithPhone takes a number for the service with both reminders held.
func (f *floor) issueWithPhone(service string) *queue.Ticket {
	f.t.Helper()
	f.ids++
	n := f.ids
	near := &outbox.Queued{ID: fmt.Sprintf("sms-near-%d", n), Purpose: "ticket.near", Sealed: []byte("sealed")}
	called := &outbox.Queued{ID: fmt.Sprintf("sms-called-%d", n), Purpose: "ticket.called", Sealed: []byte("sealed")}
	out := f.must(IssueTicket{Ticket: queue.IssueTicket{Service: service, Phone: "13800138000"}, Near: near, Called: called})
	return f.s.Queue.Tickets[out.Ticket]
}

// queuedFor are the messages the outbox queued for a ticket's number, by
// purpose.
func (f *floor) queuedFor(number string) map[string][]*outbox.Message {
	out := map[string][]*outbox.Message{}
	for _, m := range f.s.Outbox.Pending {
		if m.Vars[outbox.VarNumber] == number {
			out[m.Purpose] = append(out[m.Purpose], m)
		}
	}
	return out
}

func (f *floor) queuedNow() []outbox.Queued {
	var out []outbox.Queued
	for _, e := range f.last {
		if q, ok := e.Data.(outbox.Queued); ok {
			out = append(out, q)
		}
	}
	return out
}

// A citizen who gave a phone hears once that their turn is near, when
// three are left before them, and once when called: not again when the
// line grows and shrinks, nor on a recall.
func TestRemindersNearAndCalled(t *testing.T) {
	f := newFloor(t)
	for range 5 {
		f.issue("A")
	}
	tk := f.issueWithPhone("A") // A006, five before it
	if len(f.s.Outbox.Held) != 2 || len(f.s.Outbox.Pending) != 0 {
		t.Fatalf("after issuing: held %v, pending %v", f.s.Outbox.Held, f.s.Outbox.Pending)
	}
	f.open("1")
	f.call("1") // A001: four before A006
	if q := f.queuedNow(); len(q) != 0 {
		t.Fatalf("four before it: queued %+v", q)
	}
	f.advance(time.Minute)
	f.call("1") // A002: three before A006
	q := f.queuedNow()
	if len(q) != 1 || q[0].Purpose != "ticket.near" || q[0].Vars[outbox.VarNumber] != "A006" || q[0].Vars[outbox.VarAhead] != "3" ||
		string(q[0].Sealed) != "sealed" {
		t.Fatalf("three before it: queued %+v", q)
	}
	f.advance(time.Minute)
	f.call("1") // two before it
	// A priority number goes ahead: three before it again, and no second SMS.
	f.must(queue.IssueTicket{Service: "A", Priority: true, Actor: clerk("1")})
	if f.s.Queue.Ahead(tk) != 3 {
		t.Fatalf("ahead %d", f.s.Queue.Ahead(tk))
	}
	for f.s.Queue.Tickets[tk.ID].Status == queue.Waiting {
		f.advance(time.Minute)
		f.call("1")
	}
	got := f.queuedFor("A006")
	if len(got["ticket.near"]) != 1 || len(got["ticket.called"]) != 1 || got["ticket.called"][0].Vars[outbox.VarWindow] != "1" {
		t.Fatalf("queued for A006: %+v", got)
	}
	if len(f.s.Outbox.Held) != 0 {
		t.Fatalf("still held: %v", f.s.Outbox.Held)
	}
	f.must(queue.Recall{Window: "1", Actor: clerk("1")})
	f.advance(time.Minute)
	f.must(queue.Finish{Window: "1", Actor: clerk("1")})
	if got := f.queuedFor("A006"); len(got["ticket.near"]) != 1 || len(got["ticket.called"]) != 1 {
		t.Fatalf("after recall and finish: %+v", got)
	}
	// Without a phone, nothing is held or sent.
	if n := len(f.s.Outbox.Pending); n != 2 {
		t.Fatalf("%d messages in the outbox, want A006's two", n)
	}
}

// A reminder whose moment cannot come is withdrawn: the ticket cancelled,
// or issued already near the front (the slip says so; only the call is
// told).
func TestRemindersWithdrawn(t *testing.T) {
	f := newFloor(t)
	for range 5 {
		f.issue("A")
	}
	far := f.issueWithPhone("A")
	f.must(queue.CancelTicket{Ticket: far.ID})
	if len(f.s.Outbox.Held) != 0 || len(f.queuedNow()) != 0 {
		t.Fatalf("after cancelling: held %v, queued %v", f.s.Outbox.Held, f.queuedNow())
	}

	g := newFloor(t)
	g.issue("A")
	near := g.issueWithPhone("A") // one before it
	if len(g.s.Outbox.Held) != 1 || len(g.queuedNow()) != 0 {
		t.Fatalf("issued near the front: held %v, queued %v", g.s.Outbox.Held, g.queuedNow())
	}
	g.open("1")
	g.call("1")
	g.advance(time.Minute)
	g.call("1")
	if got := g.queuedFor(near.Number); len(got["ticket.near"]) != 0 || len(got["ticket.called"]) != 1 {
		t.Fatalf("queued %+v", got)
	}
	// The events keep the phone and the message off the screens.
	for _, e := range g.journal {
		if h, ok := e.Data.(outbox.Held); ok {
			p := room.Public(h).(outbox.Held)
			if p.Ticket != "" || p.Message.Sealed != nil || p.Message.Vars != nil {
				t.Fatalf("public %+v", p)
			}
		}
	}
}

// The hall file says how near is near.
func TestRemindersNearAheadFromTheHallFile(t *testing.T) {
	setup := testSetup()
	setup.NearAhead = 1
	f := newFloorWith(t, setup)
	for range 3 {
		f.issue("A")
	}
	tk := f.issueWithPhone("A") // three before it
	f.open("1")
	f.call("1")
	if q := f.queuedNow(); len(q) != 0 {
		t.Fatalf("two before it: queued %+v", q)
	}
	f.advance(time.Minute)
	f.call("1")
	if q := f.queuedNow(); len(q) != 1 || q[0].Vars[outbox.VarAhead] != "1" || q[0].Vars[outbox.VarNumber] != tk.Number {
		t.Fatalf("one before it: queued %+v", q)
	}
}
