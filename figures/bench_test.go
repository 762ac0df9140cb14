package figures_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"hallfloor/figures"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/journal/sqlite"
	"hallfloor/report"
	"hallfloor/simday"
)

// A big hall's history for the report benchmarks: HALLFLOOR_BENCH_DAYS
// days of service (5 by default) of HALLFLOOR_BENCH_TICKETS numbers
// (15,000) on simday's big hall of 40 windows, run through the real engine
// and SQLite journal with a fake clock from 2025-01-01, recorded into
// daily figures; the recorded days' rows are then repeated over the
// hall's working days of the whole of 2025 and into 2026, so a month and a
// year read as many rows as a real year's would. (`hallload -mode year`
// simulates every day of the year instead.)
type bigHistory struct {
	setup *hall.Setup
	hist  journal.Journal
	store *figures.Store
	days  int
	now   time.Time // after the year and its tail
	err   error
}

var (
	bigOnce sync.Once
	big     bigHistory
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

func bigHall(b *testing.B) *bigHistory {
	b.Helper()
	bigOnce.Do(func() { big = makeBigHistory(b) })
	if big.err != nil {
		b.Fatal(big.err)
	}
	return &big
}

func makeBigHistory(b *testing.B) bigHistory {
	days, tickets := envInt("HALLFLOOR_BENCH_DAYS", 5), envInt("HALLFLOOR_BENCH_TICKETS", 15000)
	base := ""
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		base = "/dev/shm" // the history is made faster where fsync costs nothing
	}
	dir, err := os.MkdirTemp(base, "hallfloor-bench-")
	if err != nil {
		return bigHistory{err: err}
	}
	// Removed when the process ends; every benchmark of the run shares it.
	go func() { <-benchDone; os.RemoveAll(dir) }()
	start := time.Now()
	h := startSim(b, dir, 40)
	var served []time.Time
	next := h.Days(simday.First, days, tickets, func(_ int, date time.Time) { served = append(served, date) })
	h.stop()
	b.Logf("simulated %d days of %d numbers in %s", days, tickets, time.Since(start).Round(time.Second))
	hist, err := sqlite.OpenReadOnly(filepath.Join(dir, "hall.db"))
	if err != nil {
		return bigHistory{err: err}
	}
	store, err := figures.Open(filepath.Join(dir, "figures.db"), h.setup, hist)
	if err != nil {
		return bigHistory{err: err}
	}
	ctx := context.Background()
	first := simday.First
	if _, err := store.CatchUp(ctx, next.Add(simday.Opens)); err != nil {
		return bigHistory{err: err}
	}
	for d, i := next, 0; d.Before(first.AddDate(0, 0, 365+50)); d = d.AddDate(0, 0, 1) {
		if !h.Open(d) {
			continue
		}
		from := served[i%len(served)].Format(time.DateOnly)
		if err := store.CopyDay(ctx, from, d.Format(time.DateOnly), uint64(i/len(served)+1)<<40); err != nil {
			return bigHistory{err: err}
		}
		i++
	}
	return bigHistory{setup: h.setup, hist: hist, store: store, days: days, now: first.AddDate(1, 1, 20)}
}

var benchDone = make(chan struct{})

func TestMain(m *testing.M) {
	code := m.Run()
	close(benchDone)
	time.Sleep(0) // let the removal start; the process ends regardless
	os.Exit(code)
}

func benchAssemble(b *testing.B, h *bigHistory, p report.Period, now time.Time) {
	b.ReportAllocs()
	for b.Loop() {
		a, err := h.store.Assemble(context.Background(), p, now, false)
		if err != nil {
			b.Fatal(err)
		}
		if rep := a.Report("大厅"); rep.Totals.Served == 0 {
			b.Fatal("nothing served")
		}
	}
}

func benchEvents(b *testing.B, h *bigHistory, p report.Period, now time.Time) {
	b.ReportAllocs()
	for b.Loop() {
		if rep := eventReport(b, h.setup, h.hist, p, now).Report("大厅"); rep.Totals.Served == 0 {
			b.Fatal("nothing served")
		}
	}
}

// BenchmarkMonthlyReport is a past month of the big hall (June 2025)
// from its daily figures; from-events reads the simulated days' month
// from the journal as before, and runs only with a month simulated
// (HALLFLOOR_BENCH_DAYS=23, its working days).
func BenchmarkMonthlyReport(b *testing.B) {
	h := bigHall(b)
	b.Run("from-daily-figures", func(b *testing.B) {
		p, _ := report.Month("2025-06", shanghai)
		benchAssemble(b, h, p, h.now)
	})
	b.Run("from-events", func(b *testing.B) {
		if h.days < 23 {
			b.Skip("HALLFLOOR_BENCH_DAYS=23 simulates the working days of the month this reads")
		}
		p, _ := report.Month("2025-01", shanghai)
		benchEvents(b, h, p, h.now)
	})
}

// BenchmarkYearlyReport is 2025 of the big hall from its daily figures.
func BenchmarkYearlyReport(b *testing.B) {
	h := bigHall(b)
	p, _ := report.Year("2025", shanghai)
	benchAssemble(b, h, p, h.now)
}

// BenchmarkDailyReport is a past day, 2025-01-02, from its figures and
// from the events of it, the day before and the weeks after (as before).
func BenchmarkDailyReport(b *testing.B) {
	h := bigHall(b)
	p, _ := report.Day("2025-01-02", shanghai)
	b.Run("from-daily-figures", func(b *testing.B) { benchAssemble(b, h, p, h.now) })
	b.Run("from-events", func(b *testing.B) { benchEvents(b, h, p, h.now) })
}
