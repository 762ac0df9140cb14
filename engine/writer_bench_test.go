package engine_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"sort"
	"sync/atomic"
	"testing"
	"time"

	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/journal/sqlite"
	"hallfloor/queue"
	"hallfloor/room"
	"hallfloor/simday"
)

// pausingJournal is a journal that can be told to stop taking snapshots,
// as a killed process leaves none at its end.
type pausingJournal struct {
	journal.Journal
	off atomic.Bool
}

func (j *pausingJournal) SaveSnapshot(ctx context.Context, seq uint64, data []byte) error {
	if j.off.Load() {
		return nil
	}
	return j.Journal.SaveSnapshot(ctx, seq, data)
}

// BenchmarkWriterPause runs three simulated days of simday's big hall
// (15,000 numbers on 40 windows, with every kind of event of a hall's day,
// a kiosk's idempotency key on every number) through the real engine and
// SQLite journal with a fake clock, crossing midnights and a dozen
// snapshots a day, and reports the longest and the 99th-percentile wait of
// a command. Then it restarts the hall after a clean stop, and after a
// crash that left the journal without its last snapshot (the most events
// to replay a crash can leave). `hallload -mode year` measures the same
// through the whole hall, with its daily figures and retention, over as
// many days as it is told.
//
// The same days run again with no snapshot taken at all: what the writer
// waits for beyond the disk and the machine (a snapshot, a rollover, the
// pruning of old answers) is the difference between the two.
//
//	go test -run '^$' -bench BenchmarkWriterPause -benchtime 1x ./engine/
func BenchmarkWriterPause(b *testing.B) {
	b.Run("snapshots", func(b *testing.B) { writerPause(b, 0) })
	// More events than the three days hold: none is ever taken.
	b.Run("no-snapshots", func(b *testing.B) { writerPause(b, 1<<30) })
}

func writerPause(b *testing.B, snapshotEvery int) {
	const days, tickets = 3, 15000
	path := filepath.Join(b.TempDir(), "hall.db")
	big := simday.Hall(40)
	setup := big.Setup()
	clock := simday.NewClock(time.Date(2025, 3, 10, 8, 0, 0, 0, shanghai))
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	// restart is how long a start takes to open the journal and restore.
	restart := func() time.Duration {
		start := time.Now()
		j, err := sqlite.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		defer j.Close()
		if _, err := engine.Open(context.Background(), engine.Options{Setup: setup, Journal: j, Clock: clock.Now, Logger: quiet}); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	for range b.N {
		j, err := sqlite.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		pj := &pausingJournal{Journal: j}
		e, err := engine.Open(context.Background(), engine.Options{Setup: setup, Journal: pj, Clock: clock.Now, Logger: quiet,
			SnapshotEvery: snapshotEvery})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		go e.Run(ctx)
		var waits []time.Duration
		var rollover time.Duration
		sim := simday.New(e, setup, clock)
		sim.Wait = func(_ hall.Command, d time.Duration, first bool) {
			if first && len(waits) > 0 {
				// The day's first command starts the day: the rollover.
				rollover = max(rollover, d)
			}
			waits = append(waits, d)
		}
		// Overnight: the next command after midnight starts the new day.
		sim.Days(time.Date(2025, 3, 10, 0, 0, 0, 0, shanghai), days, tickets, nil)
		cancel()
		e.Wait()
		j.Close()
		slices.Sort(waits)
		b.ReportMetric(float64(waits[len(waits)-1].Microseconds())/1000, "max-ms")
		b.ReportMetric(float64(waits[len(waits)*99/100].Microseconds())/1000, "p99-ms")
		b.ReportMetric(float64(waits[len(waits)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(rollover.Microseconds())/1000, "rollover-ms")
		b.ReportMetric(float64(len(waits)-sort.Search(len(waits), func(i int) bool { return waits[i] > 10*time.Millisecond })), "waits>10ms")
		if snapshotEvery != 0 {
			continue // the restarts would only replay
		}

		// A clean stop snapshotted the last event: nothing to replay.
		clean := restart()
		b.ReportMetric(float64(clean.Microseconds())/1000, "restart-clean-ms")

		// A crash: some 6,000 events after the last snapshot, more than a
		// crash can leave, and none at the end.
		j, err = sqlite.Open(path)
		if err != nil {
			b.Fatal(err)
		}
		pj = &pausingJournal{Journal: j}
		e, err = engine.Open(context.Background(), engine.Options{Setup: setup, Journal: pj, Clock: clock.Now, Logger: quiet})
		if err != nil {
			b.Fatal(err)
		}
		ctx, cancel = context.WithCancel(context.Background())
		go e.Run(ctx)
		pj.off.Store(true) // from here on, as if the process were killed before any
		current := map[string]string{}
		for i := 0; i < 1600; i++ {
			clock.Advance(time.Second)
			w := big.Windows[i%len(big.Windows)]
			actor := room.Actor{Staff: "k" + w.ID, Role: room.Clerk}
			if i < len(big.Windows) {
				e.Do(context.Background(), queue.OpenWindow{Window: w.ID, Actor: actor}, "", nil)
			}
			e.Do(context.Background(), queue.IssueTicket{Service: w.Services[0]}, "", nil)
			res := e.Do(context.Background(), queue.CallNext{Window: w.ID, Actor: actor, Current: current[w.ID]}, "", nil)
			for _, ev := range res.Events {
				if c, ok := ev.Data.(queue.TicketCalled); ok {
					current[c.Window] = c.Ticket.ID
				}
			}
		}
		cancel()
		e.Wait()
		j.Close()
		crash := restart()
		b.ReportMetric(float64(crash.Microseconds())/1000, "restart-crash-ms")
	}
}
