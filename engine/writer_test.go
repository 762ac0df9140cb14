package engine_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/queue"
	"hallfloor/room"
)

// savedSnapshot is one snapshot as the engine handed it to the journal.
type savedSnapshot struct {
	seq  uint64
	data []byte
}

// snapshotLog is a journal that keeps a copy of every snapshot saved.
type snapshotLog struct {
	journal.Journal
	mu    sync.Mutex
	saved []savedSnapshot
}

func (j *snapshotLog) SaveSnapshot(ctx context.Context, seq uint64, data []byte) error {
	j.mu.Lock()
	j.saved = append(j.saved, savedSnapshot{seq, append([]byte(nil), data...)})
	j.mu.Unlock()
	return j.Journal.SaveSnapshot(ctx, seq, data)
}

// TestSnapshotsRestoreTheWritersState: while three drivers send commands at
// once across midnights, every snapshot the engine saves restores, as a start
// restores it, exactly the state the writer had at that sequence number.
func TestSnapshotsRestoreTheWritersState(t *testing.T) {
	clock := newClock(time.Date(2025, 3, 10, 20, 0, 0, 0, shanghai))
	var wrapped *snapshotLog
	var mu sync.Mutex
	writer := map[uint64]string{} // the writer's state after each commit
	h := startHallThen(t, filepath.Join(t.TempDir(), "hall.db"), demoSetup(), clock, &seqIDs{},
		func(e *engine.Engine) {
			e.Subscribe(func(s *hall.State, _ []room.Event) {
				b, err := json.Marshal(s)
				if err != nil {
					panic(err)
				}
				mu.Lock()
				writer[s.Seq] = string(b)
				mu.Unlock()
			})
		},
		func(o *engine.Options) {
			wrapped = &snapshotLog{Journal: o.Journal}
			o.Journal = wrapped
			o.SnapshotEvery = 100
		})
	var wg sync.WaitGroup
	for seed := range uint64(3) {
		wg.Go(func() { newDriver(seed+1).run(t, h, 1500, 0) })
	}
	wg.Wait()
	h.stop()

	if len(wrapped.saved) < 10 {
		t.Fatalf("%d snapshots saved, want one every 100 events", len(wrapped.saved))
	}
	for _, s := range wrapped.saved {
		st, err := engine.DecodeSnapshot(s.seq, s.data, h.setup)
		if err != nil {
			t.Fatalf("snapshot %d: %v", s.seq, err)
		}
		got, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		want, ok := writer[s.seq]
		if !ok {
			t.Fatalf("snapshot of seq %d, which no commit ended at", s.seq)
		}
		if string(got) != want {
			t.Fatalf("snapshot %d restores another state than the writer's %s", s.seq, diff(want, string(got)))
		}
	}
}

// gatedJournal is a journal whose snapshots and deletions of old replies
// do not finish until the test lets them: a disk that is slow right then.
type gatedJournal struct {
	journal.Journal
	gateSnapshots, gateForget bool
	entered                   chan struct{} // closed at the first call held
	once                      sync.Once
	release                   chan struct{}
}

func newGatedJournal(j journal.Journal) *gatedJournal {
	return &gatedJournal{Journal: j, entered: make(chan struct{}), release: make(chan struct{})}
}

func (j *gatedJournal) hold() {
	j.once.Do(func() { close(j.entered) })
	<-j.release
}

func (j *gatedJournal) SaveSnapshot(ctx context.Context, seq uint64, data []byte) error {
	if j.gateSnapshots {
		j.hold()
	}
	return j.Journal.SaveSnapshot(ctx, seq, data)
}

func (j *gatedJournal) ForgetReplies(ctx context.Context, before time.Time) error {
	if j.gateForget {
		j.hold()
	}
	return j.Journal.ForgetReplies(ctx, before)
}

// answeredWhileHeld checks that commands are answered while the journal
// holds a snapshot or a deletion: before sends commands until the journal
// is asked, then run sends more, and both must return. A writer that waited
// for the journal would never answer; the generous bound only turns that
// hang into a failure.
func answeredWhileHeld(t *testing.T, g *gatedJournal, before, run func()) {
	t.Helper()
	answered(t, g, before)
	select {
	case <-g.entered:
	case <-time.After(time.Minute):
		t.Fatal("the journal was never asked")
	}
	answered(t, g, run)
	close(g.release)
}

// answered runs fn, which sends commands, and fails if it does not return.
func answered(t *testing.T, g *gatedJournal, fn func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { fn(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		close(g.release) // so that the hall can stop
		t.Fatal("commands waited for the journal's snapshot or deletion")
	}
}

// TestWriterDoesNotWaitForASnapshot: a snapshot being saved does not hold
// up any command.
func TestWriterDoesNotWaitForASnapshot(t *testing.T) {
	var g *gatedJournal
	h := newHall(t, func(o *engine.Options) {
		g = newGatedJournal(o.Journal)
		g.gateSnapshots = true
		o.Journal = g
		o.SnapshotEvery = 10
	})
	answeredWhileHeld(t, g, func() {
		for range 12 {
			h.must(queue.IssueTicket{Service: "A"})
		}
	}, func() {
		for range 50 {
			h.must(queue.IssueTicket{Service: "A"})
		}
	})
}

// TestWriterDoesNotWaitForOldReplies: the deletion of the answers too old
// to repeat, which each new day starts, does not hold up any command, and
// a repeat within the day is still answered as the first time.
func TestWriterDoesNotWaitForOldReplies(t *testing.T) {
	var g *gatedJournal
	h := startHall(t, filepath.Join(t.TempDir(), "hall.db"), demoSetup(),
		newClock(time.Date(2025, 3, 10, 23, 50, 0, 0, shanghai)), &seqIDs{},
		func(o *engine.Options) {
			g = newGatedJournal(o.Journal)
			g.gateForget = true
			o.Journal = g
		})
	var first engine.Result
	answeredWhileHeld(t, g, func() {
		first = h.do(queue.IssueTicket{Service: "A"}, "k1")
		if first.Err != nil {
			t.Error(first.Err)
		}
	}, func() {
		h.clock.Advance(20 * time.Minute) // past midnight: a new day
		for range 20 {
			h.must(queue.IssueTicket{Service: "A"})
		}
		again := h.do(queue.IssueTicket{Service: "A"}, "k1")
		if again.Err != nil || !again.Repeat || string(again.Body) != string(first.Body) {
			t.Errorf("repeat after midnight = %+v, want the first answer %s", again, first.Body)
		}
	})
}
