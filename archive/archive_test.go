package archive_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hallfloor/archive"
	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/journal/sqlite"
	"hallfloor/queue"
	"hallfloor/room"
)

var ctx = context.Background()

// opening is the hall's clock when a test's engine starts: before the first
// day served, so nothing the engine does on its own (its minute's tick) is
// dated at the zero time.
var opening = time.Date(2025, 11, 3, 8, 0, 0, 0, shanghai)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// running is an engine on a SQLite journal.
type running struct {
	j      *sqlite.Journal
	e      *engine.Engine
	cancel context.CancelFunc
}

func start(t *testing.T, path string, setup *hall.Setup, c *clock) *running {
	t.Helper()
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	e, err := engine.Open(ctx, engine.Options{Setup: setup, Journal: j, Clock: c.Now,
		NewID: func() string { n++; return fmt.Sprintf("tk%05d", n) }})
	if err != nil {
		j.Close()
		t.Fatal(err)
	}
	rctx, cancel := context.WithCancel(ctx)
	go e.Run(rctx)
	return &running{j: j, e: e, cancel: cancel}
}

func (r *running) stop() { r.cancel(); r.e.Wait(); r.j.Close() }

func (r *running) must(t *testing.T, cmd hall.Command) {
	t.Helper()
	if res := r.e.Do(ctx, cmd, "", nil); res.Err != nil {
		t.Fatalf("%T %+v: %v", cmd, cmd, res.Err)
	}
}

func (r *running) state(t *testing.T) string {
	t.Helper()
	var b []byte
	if err := r.e.Read(ctx, func(s *hall.State, _ *hall.Setup) { b, _ = json.Marshal(s) }); err != nil {
		t.Fatal(err)
	}
	return string(b)
}

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

const perDay = 4

// serveDay opens window 1 on day at 09:30 and serves perDay applicants
// who gave their ID number and phone.
func serveDay(t *testing.T, r *running, c *clock, day time.Time) {
	t.Helper()
	c.Set(day.Add(9*time.Hour + 30*time.Minute))
	r.must(t, queue.OpenWindow{Window: "1", Actor: room.Actor{Staff: "1001", Role: room.Clerk}})
	for i := range perDay {
		r.must(t, queue.IssueTicket{Service: "A", IDHash: fmt.Sprintf("idhash-%s-%d", day.Format("0102"), i), Phone: "13800138000"})
	}
	for range perDay {
		c.Set(c.Now().Add(5 * time.Minute))
		r.must(t, queue.CallNext{Window: "1", Actor: room.Actor{Staff: "1001", Role: room.Clerk}})
		c.Set(c.Now().Add(5 * time.Minute))
		r.must(t, queue.Finish{Window: "1", Actor: room.Actor{Staff: "1001", Role: room.Clerk}})
	}
	r.must(t, queue.CloseWindow{Window: "1", Actor: room.Actor{Staff: "1001", Role: room.Clerk}})
}

// A hall serves three days of November and one late in the month, then
// archives at a 30-day journal and 20-day personal retention: the early
// days leave the journal for November's archive without their personal
// data and with every count, the later day stays in the journal without
// its personal data, and the hall restarts to the same state.
func TestArchiveKeepsCountsNotPersonalData(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hall-demo.db")
	setup := config.Demo().Setup()
	c := &clock{now: opening}
	r := start(t, path, setup, c)
	for _, d := range []int{3, 4, 5, 25} {
		serveDay(t, r, c, time.Date(2025, 11, d, 0, 0, 0, 0, shanghai))
	}
	serveDay(t, r, c, time.Date(2025, 12, 15, 0, 0, 0, 0, shanghai))
	before := r.state(t)
	r.stop() // with the snapshot taken at a stop

	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	o := archive.Options{Dir: archive.DirOf(dir), Hall: "demo", Location: shanghai, Journal: 30 * 24 * time.Hour, Personal: 14 * 24 * time.Hour}
	res, err := archive.Run(ctx, j, o, time.Date(2025, 12, 15, 18, 0, 0, 0, shanghai))
	if err != nil {
		t.Fatal(err)
	}
	if res.Archived == 0 || strings.Join(res.Months, ",") != "2025-11" || res.Scrubbed == 0 {
		t.Fatalf("run: %+v; want November archived and the 25th scrubbed", res)
	}
	counts := map[string]int{}
	err = archive.Month{Dir: o.Dir, Hall: "demo", Month: "2025-11"}.Read(func(rec journal.Record) error {
		counts[rec.Type]++
		personal(t, "archived", rec)
		if rec.Type == "ticket.issued" && !bytes.Contains(rec.Data, []byte(`"number":"A00`)) {
			t.Errorf("archived ticket lost its number: %s", rec.Data)
		}
		if rec.At.In(shanghai).Day() > 5 {
			t.Errorf("an event of %v archived; only the 3rd to 5th are past 30 days", rec.At.In(shanghai))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if counts["ticket.issued"] != 3*perDay || counts["ticket.finished"] != 3*perDay || counts["ticket.called"] != 3*perDay {
		t.Fatalf("archived counts %v, want %d issued, called and finished", counts, 3*perDay)
	}
	kept := 0
	recs, _ := j.Events(ctx, 0, 1<<62, 1<<20)
	for _, rec := range recs {
		if rec.At.Before(time.Date(2025, 12, 1, 0, 0, 0, 0, shanghai)) {
			personal(t, "kept past the personal retention", rec)
		}
		if rec.Type == "ticket.issued" {
			kept++
		}
	}
	if kept != 2*perDay {
		t.Fatalf("%d tickets left in the journal, want the 25th's and December's %d", kept, 2*perDay)
	}
	j.Close()

	// November's trail joins the archive (3rd to 5th) and the journal (25th).
	ro, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	src := archive.MonthSource(ctx, o.Dir, "demo", "2025-11", shanghai, ro)
	if _, err := archive.Audit(&out, src, archive.Query{Month: "2025-11", Window: "1"}, shanghai); err != nil {
		t.Fatal(err)
	}
	ro.Close()
	if n := strings.Count(out.String(), "叫号"); n != 4*perDay {
		t.Fatalf("window 1's November: %d calls, want %d:\n%s", n, 4*perDay, out.String())
	}

	r = start(t, path, setup, c)
	if got := r.state(t); got != before {
		t.Fatalf("restarted after archiving, the state differs")
	}
	r.stop()
}

// personal fails on an event that still names an applicant.
func personal(t *testing.T, where string, rec journal.Record) {
	t.Helper()
	for _, k := range []string{"id_hash", "idhash-", "phone", "138001"} {
		if bytes.Contains(rec.Data, []byte(k)) {
			t.Errorf("%s event %d %s still holds %q: %s", where, rec.Seq, rec.Type, k, rec.Data)
		}
	}
}

// Archived events gone and no snapshot sound: the hall refuses to start,
// saying why, rather than start from the events left.
func TestNoStartFromAPartialJournal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hall-demo.db")
	setup := config.Demo().Setup()
	c := &clock{now: opening}
	r := start(t, path, setup, c)
	serveDay(t, r, c, time.Date(2025, 11, 3, 0, 0, 0, 0, shanghai))
	serveDay(t, r, c, time.Date(2025, 12, 15, 0, 0, 0, 0, shanghai))
	r.stop()
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	o := archive.Options{Dir: archive.DirOf(dir), Hall: "demo", Location: shanghai, Journal: 30 * 24 * time.Hour, Personal: 30 * 24 * time.Hour}
	if res, err := archive.Run(ctx, j, o, time.Date(2025, 12, 15, 18, 0, 0, 0, shanghai)); err != nil || res.Archived == 0 {
		t.Fatalf("run: %+v, %v", res, err)
	}
	j.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE snapshots SET data = 'torn'`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	j, err = sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	_, err = engine.Open(ctx, engine.Options{Setup: setup, Journal: j, Clock: c.Now})
	if !errors.Is(err, sqlite.ErrArchived) || !strings.Contains(err.Error(), "snapshot") {
		t.Fatalf("start with archived events and no sound snapshot: %v, want refused", err)
	}
}

// A month whose bytes no longer match its manifest is reported damaged,
// not read in part.
func TestDamagedArchiveIsDetected(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hall-demo.db")
	c := &clock{now: opening}
	r := start(t, path, config.Demo().Setup(), c)
	serveDay(t, r, c, time.Date(2025, 11, 3, 0, 0, 0, 0, shanghai))
	serveDay(t, r, c, time.Date(2025, 12, 15, 0, 0, 0, 0, shanghai))
	r.stop()
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	o := archive.Options{Dir: archive.DirOf(dir), Hall: "demo", Location: shanghai, Journal: 30 * 24 * time.Hour, Personal: 30 * 24 * time.Hour}
	if _, err := archive.Run(ctx, j, o, time.Date(2025, 12, 15, 18, 0, 0, 0, shanghai)); err != nil {
		t.Fatal(err)
	}
	j.Close()
	m := archive.Month{Dir: o.Dir, Hall: "demo", Month: "2025-11"}
	b, err := os.ReadFile(m.Data())
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0x20
	os.WriteFile(m.Data(), b, 0o640)
	if err := m.Read(func(journal.Record) error { return nil }); !errors.Is(err, archive.ErrDamaged) {
		t.Fatalf("a damaged month read: %v, want ErrDamaged", err)
	}
}

// With an archive retention set, a month's archive goes that long after
// the month's end, not before.
func TestArchivesExpireAfterTheirRetention(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "hall-demo.db")
	c := &clock{now: opening}
	r := start(t, path, config.Demo().Setup(), c)
	serveDay(t, r, c, time.Date(2025, 11, 3, 0, 0, 0, 0, shanghai))
	serveDay(t, r, c, time.Date(2025, 12, 15, 0, 0, 0, 0, shanghai))
	r.stop()
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	o := archive.Options{Dir: archive.DirOf(dir), Hall: "demo", Location: shanghai, Journal: 30 * 24 * time.Hour,
		Personal: 30 * 24 * time.Hour, Archive: 60 * 24 * time.Hour}
	if res, err := archive.Run(ctx, j, o, time.Date(2025, 12, 15, 18, 0, 0, 0, shanghai)); err != nil || len(res.Deleted) != 0 {
		t.Fatalf("run within the archive's retention: %+v, %v", res, err)
	}
	if res, err := archive.Run(ctx, j, o, time.Date(2026, 1, 29, 23, 0, 0, 0, shanghai)); err != nil || len(res.Deleted) != 0 {
		t.Fatalf("an hour short of 60 days after November: %+v, %v", res, err)
	}
	res, err := archive.Run(ctx, j, o, time.Date(2026, 1, 30, 0, 0, 0, 0, shanghai))
	if err != nil || strings.Join(res.Deleted, ",") != "2025-11" {
		t.Fatalf("60 days after November: %+v, %v", res, err)
	}
	m := archive.Month{Dir: o.Dir, Hall: "demo", Month: "2025-11"}
	if _, err := os.Stat(m.Data()); !os.IsNotExist(err) {
		t.Fatalf("November's events still on disk: %v", err)
	}
}
