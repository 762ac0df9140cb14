package engine_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/journal/sqlite"
	"hallfloor/locker"
	"hallfloor/outbox"
	"hallfloor/room"
)

// lockerHall is an engine on a real SQLite journal whose snapshots can be
// switched off, so that stopping it leaves exactly what a crash leaves: the
// journal and nothing else.
type lockerHall struct {
	t      *testing.T
	path   string
	setup  *hall.Setup
	mu     sync.Mutex
	now    time.Time
	j      *sqlite.Journal
	e      *engine.Engine
	cancel context.CancelFunc
}

type noSnapshots struct{ journal.Journal }

func (noSnapshots) SaveSnapshot(context.Context, uint64, []byte) error { return nil }

func startLockerHall(t *testing.T, path string, now time.Time) *lockerHall {
	t.Helper()
	h := &lockerHall{t: t, path: path, setup: config.Demo().Setup(), now: now}
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	h.j = j
	e, err := engine.Open(context.Background(), engine.Options{Setup: h.setup, Journal: noSnapshots{j}, Clock: h.clock})
	if err != nil {
		t.Fatal(err)
	}
	h.e = e
	ctx, cancel := context.WithCancel(context.Background())
	h.cancel = cancel
	go e.Run(ctx)
	t.Cleanup(h.crash)
	return h
}

func (h *lockerHall) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *lockerHall) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

// crash stops the writer and closes the file without a snapshot.
func (h *lockerHall) crash() {
	if h.cancel == nil {
		return
	}
	h.cancel()
	h.e.Wait()
	h.j.Close()
	h.cancel = nil
}

func (h *lockerHall) do(cmd locker.Command, key string) engine.Result {
	return h.e.Do(context.Background(), cmd, key, nil)
}

func (h *lockerHall) must(cmd locker.Command) []room.Event {
	h.t.Helper()
	res := h.do(cmd, "")
	if res.Err != nil {
		h.t.Fatalf("%T: %v", cmd, res.Err)
	}
	return res.Events
}

func (h *lockerHall) state() (string, *locker.Compartment) {
	var b []byte
	var c locker.Compartment
	h.e.Read(context.Background(), func(s *hall.State, _ *hall.Setup) {
		b, _ = json.Marshal(s)
		c = *s.Lockers.Compartments["L1/01"]
	})
	return string(b), &c
}

func eventTypes(evs []room.Event) []string {
	var out []string
	for _, e := range evs {
		out = append(out, e.Data.Type())
	}
	return out
}

func TestLockerDepositAndPickupThroughTheJournal(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	h := startLockerHall(t, path, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
	item := locker.Item{Case: "2026-0001", What: "营业执照", Name: "张三", IDHash: "id1", TailHash: "tail1", CodeHash: "code1", Clerk: "1001"}
	evs := h.must(locker.Deposit{Size: locker.Small, Item: item, Notice: &outbox.Queued{ID: "m1", Purpose: "locker.code", Sealed: []byte("sealed")}})
	if r, ok := evs[0].Data.(locker.Released); !ok || r.Comp != "L1/01" {
		t.Fatalf("deposit = %v", eventTypes(evs))
	}
	h.must(locker.DoorChanged{Comp: "L1/01", Open: true})
	got := eventTypes(h.must(locker.DoorChanged{Comp: "L1/01", Open: false}))
	if len(got) != 2 || got[0] != "locker.stored" || got[1] != "outbox.queued" {
		t.Fatalf("closing after the deposit = %v", got)
	}

	// A wrong code is refused, yet journaled: it counts towards the lockout,
	// and a repeat with the same key is decided again, not answered from memory.
	for try := 1; try <= 2; try++ {
		res := h.do(locker.Pickup{Bank: "L1", Who: "id1", CodeHash: "wrong"}, "same-key")
		if !errs.Is(errs.Unauthorized, res.Err) || res.Repeat || len(res.Events) != 1 {
			t.Fatalf("try %d: err %v, repeat %v, events %v", try, res.Err, res.Repeat, eventTypes(res.Events))
		}
		if f := res.Events[0].Data.(locker.PickupFailed); f.Tries != try {
			t.Fatalf("try %d recorded as %d", try, f.Tries)
		}
	}

	h.must(locker.Pickup{Bank: "L1", Who: "id1", CodeHash: "code1"})
	h.advance(5 * time.Second)
	h.must(locker.DoorChanged{Comp: "L1/01", Open: true})
	before, c := h.state()
	if !c.DoorOpen || c.Opened != locker.ForPickup || c.Item == nil {
		t.Fatalf("door open for the pickup: %+v", c)
	}

	// The power goes between the door opening and closing.
	h.crash()
	h2 := startLockerHall(t, path, h.clock().Add(time.Minute))
	after, c := h2.state()
	if after != before {
		t.Fatalf("the journal does not give back the state before the crash:\n%s\n%s", before, after)
	}
	if !c.DoorOpen || c.Opened != locker.ForPickup {
		t.Fatalf("after the restart the state must say the sensor saw the door open for a pickup: %+v", c)
	}
	// The sensor then reports the door closed: the pickup completes.
	evs = h2.must(locker.DoorChanged{Comp: "L1/01", Open: false})
	rec, ok := evs[0].Data.(locker.PickedUp)
	if !ok || rec.Case != "2026-0001" || rec.Clerk != "1001" {
		t.Fatalf("receipt = %v", eventTypes(evs))
	}
	h2.crash()

	// Every step is in the journal, the refused tries included.
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	var types []string
	j.Replay(context.Background(), 0, func(r journal.Record) error {
		if r.Type != "day.started" {
			types = append(types, r.Type)
		}
		return nil
	})
	want := []string{"locker.released", "locker.door_opened", "locker.stored", "outbox.queued",
		"locker.pickup_failed", "locker.pickup_failed", "locker.released", "locker.door_opened", "locker.picked_up"}
	if len(types) != len(want) {
		t.Fatalf("journal = %v, want %v", types, want)
	}
	for i := range want {
		if types[i] != want[i] {
			t.Fatalf("journal = %v, want %v", types, want)
		}
	}
}

func TestLockerChecksRunOnTheEngineTick(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	h := startLockerHall(t, path, time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC))
	item := locker.Item{Case: "C9", What: "证照", Name: "李四", IDHash: "id", CodeHash: "k", Clerk: "1002"}
	h.must(locker.Deposit{Size: locker.Small, Item: item})
	h.must(locker.DoorChanged{Comp: "L1/01", Open: true})
	h.must(locker.DoorChanged{Comp: "L1/01", Open: false})
	h.advance(7*24*time.Hour + time.Minute)
	res := h.e.Do(context.Background(), hall.Tick{}, "", nil)
	found := false
	for _, ev := range res.Events {
		if o, ok := ev.Data.(locker.Overdue); ok && o.Comp == "L1/01" && o.Clerk == "1002" {
			found = true
		}
	}
	if res.Err != nil || !found {
		t.Fatalf("the tick after the retention period = %v %v", eventTypes(res.Events), res.Err)
	}
}
