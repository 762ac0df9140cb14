package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/journal"
	"hallfloor/journal/journaltest"
	"hallfloor/journal/sqlite"
)

var ctx = context.Background()

func open(t testing.TB) (*sqlite.Journal, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hall.db")
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j, path
}

func TestJournal(t *testing.T) {
	journaltest.Run(t, func(t *testing.T) journal.Journal {
		j, _ := open(t)
		return j
	})
}

// SQLite has no retrying client: a batch sent again is the engine's
// mistake, and is refused.
func TestRepeatedBatchIsAGap(t *testing.T) {
	j, _ := open(t)
	b := journal.Batch{Records: journaltest.Records(1, 3)}
	if err := j.Append(ctx, b); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(ctx, b); !errors.Is(err, journal.ErrGap) {
		t.Fatalf("the same batch again: %v, want ErrGap", err)
	}
	journaltest.SameRecords(t, journaltest.All(t, j, 0), journaltest.Records(1, 3))
}

// What was appended is there after reopening the file.
func TestReopen(t *testing.T) {
	j, path := open(t)
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 10)}); err != nil {
		t.Fatal(err)
	}
	j.Close()
	j2, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	journaltest.SameRecords(t, journaltest.All(t, j2, 0), journaltest.Records(1, 10))
	if err := j2.Append(ctx, journal.Batch{Records: journaltest.Records(11, 1)}); err != nil {
		t.Fatalf("append after reopening: %v", err)
	}
}

// Pruning deletes the rows, not only hides them.
func TestSnapshotsPruned(t *testing.T) {
	j, path := open(t)
	for _, seq := range []uint64{10, 20, 30, 40, 50} {
		if err := j.SaveSnapshot(ctx, seq, fmt.Appendf(nil, `{"seq":%d}`, seq)); err != nil {
			t.Fatal(err)
		}
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT seq FROM snapshots ORDER BY seq`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var kept []uint64
	for rows.Next() {
		var s uint64
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		kept = append(kept, s)
	}
	if want := []uint64{30, 40, 50}; !slices.Equal(kept, want) {
		t.Fatalf("kept snapshots %v, want %v", kept, want)
	}
}

// The journal is durable: WAL, and synchronous=FULL on the connection.
func TestOpenSetsDurability(t *testing.T) {
	_, path := open(t)
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var mode string
	if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if mode != "wal" {
		t.Fatalf("journal_mode %q, want wal", mode)
	}
}

// Only one writer at a time: a second Open of the same journal is refused
// while the first holds it, naming the file, and goes through once the
// first is closed. flock belongs to the open file, so two Opens in one
// process conflict just as two processes do.
func TestSecondOpenIsRefused(t *testing.T) {
	j, path := open(t)
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 2)}); err != nil {
		t.Fatal(err)
	}
	second, err := sqlite.Open(path)
	if err == nil {
		second.Close()
		t.Fatal("a second Open of a journal in use succeeded")
	}
	if !errs.Is(errs.Conflict, err) || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "already open") {
		t.Fatalf("second Open: %v; want a conflict naming %s", err, path)
	}
	// The refusal touched nothing: the first goes on writing.
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(3, 1)}); err != nil {
		t.Fatalf("append after a refused second Open: %v", err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := sqlite.Open(path)
	if err != nil {
		t.Fatalf("Open after the holder closed: %v", err)
	}
	defer again.Close()
	journaltest.SameRecords(t, journaltest.All(t, again, 0), journaltest.Records(1, 3))
}

// A read-only handle needs no lock: it reads beside the writer, sees what
// the writer commits, backs the journal up, and cannot write.
func TestReadOnlyBesideTheWriter(t *testing.T) {
	j, path := open(t)
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 3)}); err != nil {
		t.Fatal(err)
	}
	ro, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatalf("read-only beside the writer: %v", err)
	}
	defer ro.Close()
	journaltest.SameRecords(t, journaltest.All(t, ro, 0), journaltest.Records(1, 3))
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(4, 1)}); err != nil {
		t.Fatal(err)
	}
	journaltest.SameRecords(t, journaltest.All(t, ro, 0), journaltest.Records(1, 4))
	if err := ro.Append(ctx, journal.Batch{Records: journaltest.Records(5, 1)}); err == nil {
		t.Fatal("a read-only journal appended")
	}
	copyPath := filepath.Join(t.TempDir(), "copy.db")
	if err := ro.BackupTo(ctx, copyPath); err != nil {
		t.Fatalf("backup through the read-only handle: %v", err)
	}
	cp, err := sqlite.Open(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	journaltest.SameRecords(t, journaltest.All(t, cp, 0), journaltest.Records(1, 4))
}

// Reading a journal that is not there is an error, and creates nothing.
func TestOpenReadOnlyNeedsTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hall.db")
	if j, err := sqlite.OpenReadOnly(path); err == nil {
		j.Close()
		t.Fatal("opened a journal that does not exist")
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("reading a missing journal left a file: %v", err)
	}
}

func TestOpenFailsOnBadPath(t *testing.T) {
	if _, err := sqlite.Open(filepath.Join(t.TempDir(), "missing", "dir", "hall.db")); err == nil {
		t.Fatal("opened a journal in a directory that does not exist")
	}
}

func BenchmarkAppend(b *testing.B) {
	for _, n := range []int{1, 16} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			j, _ := open(b)
			journaltest.BenchAppend(b, j, n)
		})
	}
}

// TestForgetRepliesInBatches: a day's answers, more than one deletion
// takes, all go, and those still young enough to be repeated all stay.
func TestForgetRepliesInBatches(t *testing.T) {
	j, _ := open(t)
	const old, young = 1234, 10
	var reps []journal.Reply
	for i := range old + young {
		at := journaltest.Base.Add(time.Duration(i) * time.Second)
		if i >= old {
			at = journaltest.Base.Add(48 * time.Hour)
		}
		reps = append(reps, journal.Reply{Key: fmt.Sprintf("k%d", i), Seq: 1, At: at, Body: []byte("{}")})
	}
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 1), Replies: reps}); err != nil {
		t.Fatal(err)
	}
	if err := j.ForgetReplies(ctx, journaltest.Base.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := j.Replies(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != young {
		t.Fatalf("%d replies left, want the %d young ones", len(got), young)
	}
	for _, r := range got {
		if !r.At.Equal(journaltest.Base.Add(48 * time.Hour)) {
			t.Errorf("reply %s of %v kept", r.Key, r.At)
		}
	}
}
