package engine

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/queue"
)

// The encoder steps aside between tickets, so the writer can run while a
// big hall's state is encoded, and what it writes comes back as the state
// it was given, and leaves that state untouched.
func TestSnapshotEncoderYieldsBetweenTickets(t *testing.T) {
	setup := config.Demo().Setup()
	st := hall.NewState(setup)
	st.Seq = 4321
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, setup.Location())
	const tickets = 1000
	for i := range tickets {
		id := fmt.Sprintf("t%04d", i)
		st.Queue.Tickets[id] = &queue.Ticket{ID: id, Number: fmt.Sprintf("A%03d", i), Service: "A", Status: queue.Waiting, IssuedAt: at}
	}
	yields := 0
	enc := snapshotEncoder{yield: func() { yields++ }}
	data, err := enc.encode(st)
	if err != nil {
		t.Fatal(err)
	}
	if want := tickets / ticketsPerStep; yields < want {
		t.Errorf("the encoder stepped aside %d times for %d tickets, want at least %d", yields, tickets, want)
	}
	if len(st.Queue.Tickets) != tickets {
		t.Fatalf("encoding took the state's tickets: %d left of %d", len(st.Queue.Tickets), tickets)
	}
	back, err := decodeSnapshot(journal.Snapshot{Seq: st.Seq, Data: data}, setup, st.Seq)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := jsonOf(t, back.Queue.Tickets), jsonOf(t, st.Queue.Tickets); a != b {
		t.Fatal("the tickets decoded are not those encoded")
	}
	// A second snapshot from the same buffers is whole too.
	st.Seq++
	delete(st.Queue.Tickets, "t0000")
	data, err = enc.encode(st)
	if err != nil {
		t.Fatal(err)
	}
	if back, err = decodeSnapshot(journal.Snapshot{Seq: st.Seq, Data: data}, setup, st.Seq); err != nil {
		t.Fatal(err)
	}
	if len(back.Queue.Tickets) != tickets-1 || back.Queue.Tickets["t0000"] != nil {
		t.Fatalf("the second snapshot holds %d tickets, want %d without t0000", len(back.Queue.Tickets), tickets-1)
	}
}

func jsonOf(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A snapshot is due every so many events, later when the state holds more
// tickets than those events stand for, so a flood of waiting numbers is not
// encoded whole every few thousand events.
func TestSnapshotDueGrowsWithTheTickets(t *testing.T) {
	setup := config.Demo().Setup()
	st := hall.NewState(setup)
	s := newSnapshotter(st, setup, nil, nil, 100)
	if !s.due(100) || s.due(99) {
		t.Fatal("with no tickets a snapshot is due at every 100 events, not before")
	}
	for i := range 1000 {
		id := fmt.Sprintf("t%04d", i)
		st.Queue.Tickets[id] = &queue.Ticket{ID: id}
	}
	if s.due(100) || s.due(199) || !s.due(200) {
		t.Fatalf("with 1,000 tickets a snapshot is due at 200 events (a fifth), not at 100")
	}
}
