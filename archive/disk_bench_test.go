package archive_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hallfloor/archive"
	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal/sqlite"
	"hallfloor/queue"
	"hallfloor/room"
)

// BenchmarkDiskAfterDays drives a county hall (3,000 tickets a day, the
// demo hall's eight windows, half the applicants giving an ID number and
// a phone) through the real engine and SQLite journal with a fake clock,
// day after day, archiving at each day's end as the hall does hourly, and
// reports what the data directory holds. The retention is scaled down
// (HALLFLOOR_DISK_KEEP days of journal, default 4) so that a short run
// (HALLFLOOR_DISK_DAYS, default 10) shows the journal stop growing once
// the retention is reached; a day's bytes in the journal and in the
// archive give the figures for any retention.
//
// HALLFLOOR_DISK_PERSONAL sets the personal data's days (default half).
// A year and a month at the default retention takes about six minutes:
//
//	HALLFLOOR_DISK_DAYS=430 HALLFLOOR_DISK_KEEP=400 HALLFLOOR_DISK_PERSONAL=180 \
//	  go test ./archive -run '^$' -bench DiskAfterDays -benchtime 1x -timeout 30m -v
//
// and the short run:
//
//	HALLFLOOR_DISK_DAYS=10 go test ./archive -run '^$' -bench DiskAfterDays -benchtime 1x -v
func BenchmarkDiskAfterDays(b *testing.B) {
	days, keep := envInt("HALLFLOOR_DISK_DAYS", 10), envInt("HALLFLOOR_DISK_KEEP", 4)
	perDay := envInt("HALLFLOOR_DISK_TICKETS", 3000)
	personal := envInt("HALLFLOOR_DISK_PERSONAL", max(keep/2, 1))
	for range b.N {
		dir := b.TempDir()
		sizes := simulate(b, dir, days, keep, personal, perDay)
		first := sizes[keep-1] // the journal's days before any archiving
		last := sizes[len(sizes)-1]
		b.ReportMetric(float64(first.journal)/float64(keep)/1e6, "journal-MB/day")
		b.ReportMetric(float64(last.archive)/float64(days-keep)/1e6, "archive-MB/day")
		b.ReportMetric(float64(last.journal)/1e6, "journal-MB-at-end")
		b.ReportMetric(float64(maxJournal(sizes[keep:]))/1e6, "journal-MB-max-after-retention")
	}
}

type onDisk struct{ journal, archive int64 }

func maxJournal(s []onDisk) int64 {
	var m int64
	for _, d := range s {
		m = max(m, d.journal)
	}
	return m
}

func envInt(k string, d int) int {
	if n, err := strconv.Atoi(os.Getenv(k)); err == nil && n > 0 {
		return n
	}
	return d
}

// simulate runs the days and returns the sizes at each day's end.
func simulate(b *testing.B, dir string, days, keep, personal, perDay int) []onDisk {
	path := filepath.Join(dir, "hall-demo.db")
	j, err := sqlite.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	defer j.Close()
	h := config.Demo()
	loc, _ := h.Location()
	c := &clock{now: time.Date(2026, 3, 2, 8, 30, 0, 0, loc)}
	var ids atomic.Int64
	e, err := engine.Open(ctx, engine.Options{Setup: h.Setup(), Journal: j, Clock: c.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
		NewID:  func() string { return fmt.Sprintf("tk%08d", ids.Add(1)) }})
	if err != nil {
		b.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	go e.Run(rctx)
	defer func() { cancel(); e.Wait() }()
	o := archive.Options{Dir: archive.DirOf(dir), Hall: "demo", Location: loc,
		Journal: time.Duration(keep) * 24 * time.Hour, Personal: time.Duration(personal) * 24 * time.Hour}
	step := 8 * time.Hour / time.Duration(2*perDay)
	tick := func() { c.mu.Lock(); c.now = c.now.Add(step); c.mu.Unlock() }
	var out []onDisk
	for d := range days {
		c.Set(time.Date(2026, 3, 2+d, 8, 30, 0, 0, loc))
		serveCountyDay(b, e, perDay, d, tick)
		res, err := archive.Run(ctx, j, o, c.Now())
		if err != nil {
			b.Fatal(err)
		}
		s := onDisk{journal: size(path) + size(path+"-wal"), archive: dirSize(o.Dir)}
		if days > 40 && d%10 != 9 && d < keep-1 {
			out = append(out, s)
			continue // a long run logs every tenth day until the retention
		}
		b.Logf("day %2d: %6d events archived, %6d scrubbed; journal %6.1f MB, archive %5.2f MB",
			d+1, res.Archived, res.Scrubbed, float64(s.journal)/1e6, float64(s.archive)/1e6)
		out = append(out, s)
	}
	return out
}

var mix = []string{"A", "A", "A", "A", "B", "B", "C", "C", "Q", "Z"}

// serveCountyDay issues perDay tickets from 16 kiosks, then the eight
// windows serve them all.
func serveCountyDay(b *testing.B, e *engine.Engine, perDay, day int, tick func()) {
	for w := 1; w <= 8; w++ {
		e.Do(ctx, queue.OpenWindow{Window: strconv.Itoa(w), Actor: room.Actor{Staff: strconv.Itoa(1000 + w), Role: room.Clerk}}, "", nil)
	}
	var wg sync.WaitGroup
	var next atomic.Int64
	for k := range 16 {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(day), uint64(k)))
			for next.Add(1) <= int64(perDay) {
				cmd := queue.IssueTicket{Service: mix[r.IntN(len(mix))]}
				if r.IntN(2) == 0 {
					cmd.IDHash = fmt.Sprintf("%064x", r.Uint64())
					cmd.Phone = fmt.Sprintf("138%08d", r.IntN(1e8))
				}
				tick()
				if res := e.Do(ctx, cmd, "", nil); res.Err != nil {
					b.Error(res.Err)
					return
				}
			}
		})
	}
	wg.Wait()
	called := func(_ *hall.State, _ *hall.Setup, out room.Outcome) any { return out.Ticket }
	for w := 1; w <= 8; w++ {
		wg.Go(func() {
			actor := room.Actor{Staff: strconv.Itoa(1000 + w), Role: room.Clerk}
			current := ""
			for {
				tick()
				res := e.Do(ctx, queue.CallNext{Window: strconv.Itoa(w), Actor: actor, Current: current}, "", called)
				if res.Err != nil {
					b.Error(res.Err)
					return
				}
				if err := json.Unmarshal(res.Body, &current); err != nil || current == "" {
					return
				}
			}
		})
	}
	wg.Wait()
}

func size(path string) int64 {
	fi, err := os.Stat(path)
	if err != nil {
		return 0
	}
	return fi.Size()
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}
