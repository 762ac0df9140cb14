package engine_test

import (
	"context"
	"fmt"
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
	"hallfloor/rating"
	"hallfloor/room"
)

// bigHall is a city's 市民中心: five services on 40 windows, each window
// serving all of them.
func bigHall() *hall.Setup {
	var ws []queue.WindowSetup
	for i := range 40 {
		ws = append(ws, queue.WindowSetup{ID: fmt.Sprint(i + 1), Services: []string{"A", "B", "C", "Q", "Z"}})
	}
	svc := func(code string, k queue.Kind, min int) queue.Service {
		return queue.Service{Code: code, Name: code, Kind: k, ServiceTime: time.Duration(min) * time.Minute}
	}
	return hall.NewSetup(queue.Setup{
		Location: shanghai,
		Services: []queue.Service{svc("A", queue.Intake, 6), svc("B", queue.Intake, 10), svc("C", queue.Intake, 8),
			svc("Q", queue.Pickup, 2), svc("Z", queue.Consult, 4)},
		Windows: ws,
	}, rating.Setup{}, nil, hall.Alerts{})
}

// bigDay drives one day of a big hall through e, one command at a time:
// 15,000 numbers from 08:00 to 20:00, each followed by a call at the next
// window (which finishes the one it served), with the idempotency key a
// kiosk sends. It returns how long each command waited for its answer.
func bigDay(b *testing.B, e *engine.Engine, clock *fakeClock, day int, current map[string]string) []time.Duration {
	const tickets = 15000
	services := []string{"A", "A", "B", "C", "C", "Q", "Z"}
	step := 12 * time.Hour / tickets
	waits := make([]time.Duration, 0, 2*tickets)
	timed := func(cmd hall.Command, key string) engine.Result {
		start := time.Now()
		res := e.Do(context.Background(), cmd, key, nil)
		waits = append(waits, time.Since(start))
		return res
	}
	for w := range 40 {
		// Open already, after the first day: refused, and no matter.
		id := fmt.Sprint(w + 1)
		e.Do(context.Background(), queue.OpenWindow{Window: id, Actor: room.Actor{Staff: "s" + id, Role: room.Clerk}}, "", nil)
	}
	for i := range tickets {
		clock.Advance(step)
		if res := timed(queue.IssueTicket{Service: services[i%len(services)]}, fmt.Sprintf("kiosk-%d-%d", day, i)); res.Err != nil {
			b.Fatal(res.Err)
		}
		w := fmt.Sprint(i%40 + 1)
		res := timed(queue.CallNext{Window: w, Actor: room.Actor{Staff: "s" + w, Role: room.Clerk}, Current: current[w]}, "")
		for _, ev := range res.Events {
			if c, ok := ev.Data.(queue.TicketCalled); ok {
				current[c.Window] = c.Ticket.ID
			}
		}
	}
	return waits
}

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

// BenchmarkWriterPause runs three simulated days of a big hall (15,000 numbers on
// 40 windows) through the real engine and SQLite journal with a fake clock,
// crossing midnights and a dozen snapshots a day, and reports the longest
// and the 99th-percentile wait of a command. Then it restarts the hall
// after a clean stop, and after a crash that left the journal without its
// last snapshot (the most events to replay a crash can leave).
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
	const days = 3
	path := filepath.Join(b.TempDir(), "hall.db")
	setup := bigHall()
	clock := newClock(time.Date(2025, 3, 10, 8, 0, 0, 0, shanghai))
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
		current := map[string]string{}
		var waits []time.Duration
		var rollover time.Duration
		for d := range days {
			day := bigDay(b, e, clock, d, current)
			if d > 0 {
				// The day's first number starts the day: the rollover.
				rollover = max(rollover, day[0])
			}
			waits = append(waits, day...)
			// Overnight: the next command after midnight starts the new day.
			clock.Advance(12 * time.Hour)
		}
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
		for i := 0; i < 1600; i++ {
			clock.Advance(time.Second)
			w := fmt.Sprint(i%40 + 1)
			e.Do(context.Background(), queue.IssueTicket{Service: "A"}, "", nil)
			res := e.Do(context.Background(), queue.CallNext{Window: w, Actor: room.Actor{Staff: "s" + w, Role: room.Clerk}, Current: current[w]}, "", nil)
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
