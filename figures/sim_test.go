package figures_test

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/journal/sqlite"
	"hallfloor/simday"
)

var shanghai = simday.Location

// simHall is simday's big hall of some windows on a real engine and
// SQLite journal, driven with a fake clock through days of work.
type simHall struct {
	*simday.Sim
	setup   *hall.Setup
	journal *sqlite.Journal
	hist    journal.Journal
	stop    func()
}

func startSim(tb testing.TB, dir string, windows int) *simHall {
	tb.Helper()
	return startHall(tb, dir, simday.Hall(windows))
}

// startHall is startSim of a hall file.
func startHall(tb testing.TB, dir string, file *config.Hall) *simHall {
	tb.Helper()
	path := filepath.Join(dir, "hall.db")
	j, err := sqlite.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	setup := file.Setup()
	clock := simday.NewClock(simday.First.Add(8 * time.Hour))
	eng, err := engine.Open(context.Background(), engine.Options{Setup: setup, Journal: j, Clock: clock.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	h := &simHall{Sim: simday.New(eng, setup, clock), setup: setup, journal: j}
	if h.hist, err = sqlite.OpenReadOnly(path); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go eng.Run(ctx)
	h.stop = func() {
		cancel()
		eng.Wait()
		j.Close()
		h.hist.Close()
	}
	tb.Cleanup(h.stop)
	return h
}

// run works the calendar days from the hall's first day, those it is
// open.
func (h *simHall) run(days, tickets int) {
	for d := range days {
		h.Day(simday.First.AddDate(0, 0, d), tickets)
	}
}
