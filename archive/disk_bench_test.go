package archive_test

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"hallfloor/archive"
	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/journal/sqlite"
	"hallfloor/simday"
)

// BenchmarkDiskAfterDays drives a county hall (3,000 tickets a day, the
// demo hall's eight windows, simday's day of service with half the
// applicants giving an ID number and a phone) through the real engine and
// SQLite journal with a fake clock, day after day, archiving at each day's
// end as the hall does hourly, and
// reports what the data directory holds. The retention is scaled down
// (HALLFLOOR_DISK_KEEP days of journal, default 4) so that a short run
// (HALLFLOOR_DISK_DAYS, default 10) shows the journal stop growing once
// the retention is reached; a day's bytes in the journal and in the
// archive give the figures for any retention.
//
// HALLFLOOR_DISK_PERSONAL sets the personal data's days (default half).
// A year and a month at the default retention takes about ten minutes:
//
//	HALLFLOOR_DISK_DAYS=430 HALLFLOOR_DISK_KEEP=400 HALLFLOOR_DISK_PERSONAL=180 \
//	  go test ./archive -run '^$' -bench DiskAfterDays -benchtime 1x -timeout 30m -v
//
// and the short run (`hallload -mode year` states a big hall's directory at
// the default retention):
//
//	HALLFLOOR_DISK_DAYS=10 go test ./archive -run '^$' -bench DiskAfterDays -benchtime 1x -v
func BenchmarkDiskAfterDays(b *testing.B) {
	days, keep := envInt("HALLFLOOR_DISK_DAYS", 10), envInt("HALLFLOOR_DISK_KEEP", 4)
	perDay := envInt("HALLFLOOR_DISK_TICKETS", 3000)
	personal := envInt("HALLFLOOR_DISK_PERSONAL", max(keep/2, 1))
	for range b.N {
		dir := benchDir(b)
		sizes := simulate(b, dir, days, keep, personal, perDay)
		first := sizes[keep-1] // the journal's days before any archiving
		last := sizes[len(sizes)-1]
		b.ReportMetric(float64(first.journal)/float64(keep)/1e6, "journal-MB/day")
		b.ReportMetric(float64(last.archive)/float64(days-keep)/1e6, "archive-MB/day")
		b.ReportMetric(float64(last.journal)/1e6, "journal-MB-at-end")
		b.ReportMetric(float64(maxJournal(sizes[keep:]))/1e6, "journal-MB-max-after-retention")
	}
}

// benchDir is a new directory, in memory where the machine has /dev/shm:
// the files' sizes are the same on any disk, and the days are simulated
// faster where a commit's fsync costs nothing.
func benchDir(b *testing.B) string {
	if st, err := os.Stat("/dev/shm"); err == nil && st.IsDir() {
		dir, err := os.MkdirTemp("/dev/shm", "hallfloor-disk-")
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { os.RemoveAll(dir) })
		return dir
	}
	return b.TempDir()
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
	c := simday.NewClock(time.Date(2026, 3, 2, 8, 0, 0, 0, loc))
	setup := h.Setup()
	e, err := engine.Open(ctx, engine.Options{Setup: setup, Journal: j, Clock: c.Now,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		b.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	go e.Run(rctx)
	defer func() { cancel(); e.Wait() }()
	o := archive.Options{Dir: archive.DirOf(dir), Hall: "demo", Location: loc,
		Journal: time.Duration(keep) * 24 * time.Hour, Personal: time.Duration(personal) * 24 * time.Hour}
	sim := simday.New(e, setup, c)
	sim.Personal = true
	var out []onDisk
	for d := range days {
		sim.Day(time.Date(2026, 3, 2+d, 0, 0, 0, 0, loc), perDay)
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
