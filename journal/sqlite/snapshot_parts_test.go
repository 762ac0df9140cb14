package sqlite_test

import (
	"bytes"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	"hallfloor/journal"
	"hallfloor/journal/journaltest"
	"hallfloor/journal/sqlite"
)

// A snapshot of several megabytes goes in part by part and comes back
// whole; one saved again under the same seq replaces the first entirely,
// parts and all; the parts of pruned snapshots go with them.
func TestBigSnapshotInParts(t *testing.T) {
	j, path := open(t)
	big := func(seed uint64, n int) []byte {
		b := make([]byte, n)
		r := rand.New(rand.NewPCG(seed, seed))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return b
	}
	first := big(1, 3<<20+12345) // thirteen parts
	if err := j.SaveSnapshot(ctx, 100, first); err != nil {
		t.Fatal(err)
	}
	if got := loadOne(t, j, 100); !bytes.Equal(got, first) {
		t.Fatalf("snapshot of %d bytes came back as %d bytes, not the same", len(first), len(got))
	}
	// No transaction wrote more than a part.
	if n := countRows(t, path, `SELECT COUNT(*) FROM snapshot_parts WHERE seq = 100`); n != 13 {
		t.Fatalf("the snapshot of 3 MB went in %d parts, want 13 of 256 KiB at most", n)
	}
	again := big(2, 1<<20) // four parts, fewer than the first had
	if err := j.SaveSnapshot(ctx, 100, again); err != nil {
		t.Fatal(err)
	}
	if got := loadOne(t, j, 100); !bytes.Equal(got, again) {
		t.Fatalf("the snapshot saved again came back as %d bytes, not its %d", len(got), len(again))
	}
	for _, seq := range []uint64{200, 300, 400} {
		if err := j.SaveSnapshot(ctx, seq, big(seq, 600<<10)); err != nil {
			t.Fatal(err)
		}
	}
	if n := countRows(t, path, `SELECT COUNT(*) FROM snapshot_parts WHERE seq = 100`); n != 0 {
		t.Fatalf("%d parts of the pruned snapshot 100 stay", n)
	}
}

// A save cut short (its parts written, its row not) is never read as a
// snapshot, and the next save takes its parts away.
func TestSnapshotCutShortIsNotRead(t *testing.T) {
	j, path := open(t)
	if err := j.SaveSnapshot(ctx, 10, []byte("whole")); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`INSERT INTO snapshot_parts(seq, part, data) VALUES (20, 1, x'00'), (20, 2, x'01')`); err != nil {
		t.Fatal(err)
	}
	snaps, err := j.LoadSnapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != 1 || snaps[0].Seq != 10 || string(snaps[0].Data) != "whole" {
		t.Fatalf("snapshots %v, want only 10 as saved", snaps)
	}
	if err := j.SaveSnapshot(ctx, 30, []byte("next")); err != nil {
		t.Fatal(err)
	}
	if n := countRows(t, path, `SELECT COUNT(*) FROM snapshot_parts WHERE seq = 20`); n != 0 {
		t.Fatalf("%d parts of the save cut short stay after the next save", n)
	}
}

func loadOne(t *testing.T, j *sqlite.Journal, seq uint64) []byte {
	t.Helper()
	snaps, err := j.LoadSnapshots(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range snaps {
		if s.Seq == seq {
			return s.Data
		}
	}
	t.Fatalf("no snapshot %d among %d", seq, len(snaps))
	return nil
}

func countRows(t *testing.T, path, query string) int {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var n int
	if err := db.QueryRow(query).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The log is copied back into the database file beside the writer: after
// appends far below the writer's own checkpoint size, the file grows while
// the journal stays open and nobody but the checkpointer could have
// written it.
func TestLogCopiedBackBesideTheWriter(t *testing.T) {
	j, path := open(t)
	before := fileSize(t, path)
	for i := range 20 {
		recs := journaltest.Records(uint64(i*100+1), 100)
		for k := range recs {
			recs[k].Data = fmt.Appendf(nil, `{"n":%d,"pad":%q}`, recs[k].Seq, strings.Repeat("x", 1000))
		}
		if err := j.Append(ctx, journal.Batch{Records: recs}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(10 * time.Second)
	for fileSize(t, path) < before+1<<20 {
		if time.Now().After(deadline) {
			t.Fatalf("the database file is %d bytes after 2,000 events, %d before: the log was not copied back", fileSize(t, path), before)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return fi.Size()
}
