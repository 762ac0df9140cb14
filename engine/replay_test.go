package engine_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"hallfloor/engine"
	"hallfloor/equipment"
	"hallfloor/hall"
	"hallfloor/journal/sqlite"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// driver plays a random day at the hall: the right clerk mostly, the wrong
// one sometimes, a call from a stale screen now and then, tickets cancelled
// and requeued, idempotent repeats, and a clock that moves on between
// commands.
type driver struct {
	r       *rand.Rand
	tickets []string
	keys    []string
	days    map[string]bool
	types   map[string]int
	errors  int
	// current is the ticket each window's screen shows as being served, as
	// the events the driver saw tell it.
	current map[string]string
}

func newDriver(seed uint64) *driver {
	return &driver{r: rand.New(rand.NewPCG(seed, 7)), days: map[string]bool{}, types: map[string]int{}, current: map[string]string{}}
}

var demoWindows = []string{"1", "2", "3", "4", "5", "6", "7", "8"}

func (d *driver) command() hall.Command {
	r := d.r
	services := []string{"A", "A", "A", "B", "B", "C", "C", "Q", "Z"}
	w := demoWindows[r.IntN(len(demoWindows))]
	actor := func() room.Actor {
		switch r.IntN(25) {
		case 0:
			return clerk("100" + demoWindows[r.IntN(len(demoWindows))])
		case 1:
			return room.Actor{Staff: "admin", Role: room.Manager}
		}
		return clerk("100" + w)
	}
	ticket := func() string {
		if len(d.tickets) == 0 || r.IntN(40) == 0 {
			return "missing"
		}
		// Mostly recent tickets: older ones are gone after midnight.
		n := min(len(d.tickets), 60)
		return d.tickets[len(d.tickets)-1-r.IntN(n)]
	}
	if r.IntN(100) < 10 {
		return d.dayCommand(w, ticket)
	}
	switch n := r.IntN(100); {
	case n < 30:
		c := queue.IssueTicket{Service: services[r.IntN(len(services))], Priority: r.IntN(8) == 0}
		if c.Priority && r.IntN(6) > 0 {
			// Mostly a guide takes the priority number; a kiosk's is refused.
			c.Actor = room.Actor{Staff: "2001", Role: room.Guide}
		}
		if r.IntN(2) == 0 {
			c.IDHash = fmt.Sprintf("id%02d", r.IntN(20))
		}
		if r.IntN(50) == 0 {
			c.Service = "X"
		}
		return c
	case n < 35:
		return queue.OpenWindow{Window: w, Actor: actor()}
	case n < 37:
		return queue.CloseWindow{Window: w, Actor: actor()}
	case n < 60:
		current := d.current[w]
		if r.IntN(10) == 0 {
			current = ticket() // a stale screen
		}
		return queue.CallNext{Window: w, Actor: actor(), Current: current}
	case n < 63:
		return queue.Recall{Window: w, Actor: actor()}
	case n < 67:
		return queue.Skip{Window: w, Actor: actor()}
	case n < 77:
		return queue.Finish{Window: w, Actor: actor()}
	case n < 80:
		return queue.Pause{Window: w, Actor: actor(), Reason: "午休"}
	case n < 84:
		return queue.Resume{Window: w, Actor: actor()}
	case n < 89:
		c := queue.Transfer{Window: w, Actor: actor()}
		if r.IntN(2) == 0 {
			c.ToService = services[r.IntN(len(services))]
		} else {
			c.ToWindow = demoWindows[r.IntN(len(demoWindows))]
		}
		return c
	case n < 93:
		return queue.Requeue{Ticket: ticket(), Actor: actor()}
	case n < 97:
		return queue.CancelTicket{Ticket: ticket()}
	case n < 99:
		kinds := []string{equipment.OK, equipment.Alarm, equipment.Alert, equipment.Fault, "smoke"}
		return equipment.Report{Device: fmt.Sprintf("locker:L1:%02d", r.IntN(4)), Kind: kinds[r.IntN(len(kinds))], Finding: equipment.Finding{Reason: equipment.DoorLeftOpen}}
	}
	return hall.Tick{}
}

// dayCommand is one of the commands of the hall's day: ratings, their
// follow-ups, overtime.
func (d *driver) dayCommand(w string, ticket func() string) hall.Command {
	r := d.r
	reason := ""
	if r.IntN(5) > 0 {
		reason = "等候时间长"
	}
	switch r.IntN(6) {
	case 0, 1:
		return rating.Rate{Channel: rating.ChannelEvaluator, Window: w, Level: 1 + r.IntN(5), Reason: reason}
	case 2:
		return rating.Rate{Channel: rating.ChannelQR, Ticket: ticket(), Level: 1 + r.IntN(5), Reason: reason}
	case 3:
		return rating.Dismiss{Window: w, Reason: []string{"", "declined", "timeout", "bored"}[r.IntN(4)]}
	case 4:
		id := fmt.Sprintf("FU%d", 1+r.IntN(max(1, d.types["followup.opened"])))
		return rating.CloseFollowUp{ID: id, Action: "回访", Outcome: "已回访说明情况", Actor: room.Actor{Staff: "admin", Role: []room.Role{room.Manager, room.Manager, room.Manager, room.Clerk}[r.IntN(4)]}}
	}
	return overtime.Confirm{Window: w, By: "clerk", Actor: clerk("100" + w)}
}

// key is empty for most commands, a new key for some, and now and then a
// key used before (a repeated request).
func (d *driver) key() string {
	switch n := d.r.IntN(10); {
	case n == 0 && len(d.keys) > 0:
		return d.keys[d.r.IntN(len(d.keys))]
	case n < 3:
		k := fmt.Sprintf("key-%d", len(d.keys))
		d.keys = append(d.keys, k)
		return k
	}
	return ""
}

// run sends n commands, or stops early once the hall's sequence number
// reaches untilSeq (when not 0).
func (d *driver) run(t *testing.T, h *liveHall, n int, untilSeq uint64) {
	t.Helper()
	for range n {
		h.clock.Advance(time.Duration(d.r.IntN(120)) * time.Second)
		cmd := d.command()
		res := h.do(cmd, d.key())
		if res.Err != nil {
			d.errors++
		}
		for _, ev := range res.Events {
			d.types[ev.Data.Type()]++
			switch p := ev.Data.(type) {
			case queue.TicketIssued:
				d.tickets = append(d.tickets, p.Ticket.ID)
			case queue.DayStarted:
				d.days[p.Day] = true
			case queue.TicketCalled:
				d.current[p.Window] = p.Ticket.ID
			case queue.TicketFinished:
				d.current[p.Window] = ""
			case queue.TicketSkipped:
				d.current[p.Window] = ""
			case queue.TicketTransferred:
				d.current[p.FromWindow] = ""
			}
			if untilSeq > 0 && ev.Seq >= untilSeq {
				return
			}
		}
	}
}

func loadJSON(t *testing.T, path string, setup *hall.Setup) string {
	t.Helper()
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	st, err := engine.Load(context.Background(), j, setup)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func snapshotSeqs(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	rows, err := db.Query(`SELECT seq FROM snapshots ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var s int64
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s)
	}
	return out
}

func mustExec(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatal(err)
	}
}

// TestReplay drives the hall with thousands of random commands across
// midnights, restarts it, and checks that it comes back to exactly the
// state it had: from the latest snapshot, from an older snapshot plus the
// events after it, and from the events alone.
func TestReplay(t *testing.T) {
	// 20:00 in the hall: the first midnight comes after a few hundred
	// commands.
	clock := newClock(time.Date(2025, 3, 10, 20, 0, 0, 0, shanghai))
	setup := demoSetup()
	path := t.TempDir() + "/hall.db"
	h := startHall(t, path, setup, clock, &seqIDs{})
	d := newDriver(1)

	// Phase one: past the engine's own snapshot every 5000 events.
	d.run(t, h, 20000, 5200)
	h.e.SettleSnapshots()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if seqs := snapshotSeqs(t, db); len(seqs) != 1 || seqs[0] < 5000 {
		t.Fatalf("after 5000 events the engine holds snapshots %v, want one at 5000 or later", seqs)
	}
	// Time alone makes things due (overtime, rating prompts, reminders);
	// the engine commits them on start, so commit them before comparing.
	h.must(hall.Tick{})
	stateA := h.state()

	h = h.restart()
	if got := h.state(); got != stateA {
		t.Fatalf("restart from the shutdown snapshot differs %s", diff(stateA, got))
	}

	// Phase two, on the restored hall.
	d.run(t, h, 1500, 0)
	h.must(hall.Tick{})
	stateB := h.state()
	h.stop()

	if len(d.days) < 2 {
		t.Fatalf("the run never crossed midnight: days %v", d.days)
	}
	for _, typ := range []string{"ticket.issued", "ticket.called", "ticket.recalled", "ticket.skipped",
		"ticket.finished", "ticket.transferred", "ticket.requeued", "ticket.cancelled",
		"window.opened", "window.closed", "window.paused", "window.resumed", "device.reported",
		"rating.prompted", "rating.given", "rating.expired", "followup.opened", "followup.closed"} {
		if d.types[typ] == 0 {
			t.Errorf("the run never produced %s", typ)
		}
	}
	if d.errors == 0 {
		t.Error("the run never sent a wrong command")
	}

	// The one at 5000 or so, and one at each shutdown.
	seqs := snapshotSeqs(t, db)
	if len(seqs) != 3 {
		t.Fatalf("snapshots %v, want three", seqs)
	}
	var last int64
	if err := db.QueryRow(`SELECT MAX(seq) FROM events`).Scan(&last); err != nil {
		t.Fatal(err)
	}
	if seqs[2] != last {
		t.Fatalf("shutdown snapshot at %d, journal ends at %d", seqs[2], last)
	}

	// Latest snapshot, nothing to replay.
	if got := loadJSON(t, path, setup); got != stateB {
		t.Fatalf("load from the latest snapshot differs %s", diff(stateB, got))
	}
	// Older snapshot plus the events of phase two.
	mustExec(t, db, `DELETE FROM snapshots WHERE seq = ?`, seqs[2])
	if got := loadJSON(t, path, setup); got != stateB {
		t.Fatalf("load from snapshot %d plus events differs %s", seqs[1], diff(stateB, got))
	}
	// The events alone.
	mustExec(t, db, `DELETE FROM snapshots`)
	if got := loadJSON(t, path, setup); got != stateB {
		t.Fatalf("replay from the first event differs %s", diff(stateB, got))
	}
	// And a running engine on the same file, without snapshots.
	h = startHall(t, path, setup, clock, h.ids)
	if got := h.state(); got != stateB {
		t.Fatalf("engine reopened without snapshots differs %s", diff(stateB, got))
	}
}

// Whatever zone the clock speaks and whatever the machine's zone, a
// restarted hall is the same to the byte: events are stamped in the hall's
// zone live and on replay.
func TestReplayIgnoresClockZone(t *testing.T) {
	for _, zone := range []string{"America/New_York", "UTC", "Asia/Shanghai", "Local"} {
		t.Run(zone, func(t *testing.T) {
			loc, err := time.LoadLocation(zone)
			if err != nil {
				t.Fatal(err)
			}
			clock := newClock(time.Date(2025, 3, 10, 15, 59, 0, 0, time.UTC).In(loc))
			setup := demoSetup()
			path := t.TempDir() + "/hall.db"
			h := startHall(t, path, setup, clock, &seqIDs{})
			d := newDriver(3)
			d.run(t, h, 300, 0)
			want := h.state()
			h.stop()
			db, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			mustExec(t, db, `DELETE FROM snapshots`)
			if got := loadJSON(t, path, setup); got != want {
				t.Fatalf("replay differs %s", diff(want, got))
			}
		})
	}
}
