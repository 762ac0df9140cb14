package sqlite_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"hallfloor/journal"
	"hallfloor/journal/sqlite"
)

var ctx = context.Background()

func open(t *testing.T) (*sqlite.Journal, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hall.db")
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j, path
}

var base = time.Date(2025, 3, 10, 1, 0, 0, 123456789, time.UTC)

// recs makes records from seq to seq+n-1, a second apart.
func recs(from uint64, n int) []journal.Record {
	var out []journal.Record
	for i := range n {
		seq := from + uint64(i)
		out = append(out, journal.Record{
			Seq:  seq,
			At:   base.Add(time.Duration(seq) * time.Second),
			Type: "ticket.issued",
			Data: fmt.Appendf(nil, `{"n":%d}`, seq),
		})
	}
	return out
}

func all(t *testing.T, j journal.Journal, after uint64) []journal.Record {
	t.Helper()
	var out []journal.Record
	if err := j.Replay(ctx, after, func(r journal.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func seqs(rs []journal.Record) []uint64 {
	var out []uint64
	for _, r := range rs {
		out = append(out, r.Seq)
	}
	return out
}

func TestAppendRejectsGaps(t *testing.T) {
	tests := []struct {
		name  string
		batch []journal.Record
		gap   bool
	}{
		{"first batch must start at 1", recs(2, 1), true},
		{"starts at 1", recs(1, 3), false},
		{"skips one", recs(5, 1), true},
		{"repeats the last", recs(3, 1), true},
		{"repeats a whole batch", recs(1, 3), true},
		{"continues", recs(4, 2), false},
		{"hole inside the batch", append(recs(6, 1), recs(8, 1)...), true},
		{"goes backwards inside the batch", append(recs(6, 2), recs(6, 1)...), true},
		{"continues after refusals", recs(6, 1), false},
	}
	j, _ := open(t)
	var want []uint64
	for _, tt := range tests {
		err := j.Append(ctx, journal.Batch{Records: tt.batch})
		if tt.gap {
			if !errors.Is(err, journal.ErrGap) {
				t.Fatalf("%s: Append = %v, want ErrGap", tt.name, err)
			}
		} else {
			if err != nil {
				t.Fatalf("%s: %v", tt.name, err)
			}
			want = append(want, seqs(tt.batch)...)
		}
		if got := seqs(all(t, j, 0)); !slices.Equal(got, want) {
			t.Fatalf("%s: journal holds %v, want %v", tt.name, got, want)
		}
	}
}

// A refused batch stores none of its replies either.
func TestRefusedBatchStoresNothing(t *testing.T) {
	j, _ := open(t)
	if err := j.Append(ctx, journal.Batch{Records: recs(1, 1)}); err != nil {
		t.Fatal(err)
	}
	err := j.Append(ctx, journal.Batch{
		Records: recs(3, 1),
		Replies: []journal.Reply{{Key: "k", Seq: 3, At: base, Body: []byte(`{}`)}},
	})
	if !errors.Is(err, journal.ErrGap) {
		t.Fatalf("Append = %v", err)
	}
	reps, err := j.Replies(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != 0 {
		t.Fatalf("a refused batch left replies %+v", reps)
	}
}

func TestReplayAndTail(t *testing.T) {
	j, path := open(t)
	in := recs(1, 10)
	for _, b := range [][]journal.Record{in[:1], in[1:4], in[4:]} {
		if err := j.Append(ctx, journal.Batch{Records: b}); err != nil {
			t.Fatal(err)
		}
	}
	got := all(t, j, 0)
	if len(got) != len(in) {
		t.Fatalf("replayed %d records, want %d", len(got), len(in))
	}
	for i := range in {
		g, w := got[i], in[i]
		if g.Seq != w.Seq || !g.At.Equal(w.At) || g.Type != w.Type || string(g.Data) != string(w.Data) {
			t.Fatalf("record %d came back as %+v, want %+v", i, g, w)
		}
	}
	if got := seqs(all(t, j, 7)); !slices.Equal(got, []uint64{8, 9, 10}) {
		t.Fatalf("replay after 7: %v", got)
	}
	if got := all(t, j, 10); len(got) != 0 {
		t.Fatalf("replay after the end: %v", seqs(got))
	}

	stop := errors.New("stop")
	n := 0
	err := j.Replay(ctx, 0, func(journal.Record) error {
		if n++; n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Fatalf("replay stopped by fn: err %v after %d records", err, n)
	}

	tails := []struct {
		n    int
		want []uint64
	}{
		{3, []uint64{8, 9, 10}},
		{1, []uint64{10}},
		{10, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{50, []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}},
		{0, nil},
	}
	for _, tt := range tails {
		rs, err := j.Tail(ctx, tt.n)
		if err != nil {
			t.Fatal(err)
		}
		if got := seqs(rs); !slices.Equal(got, tt.want) {
			t.Errorf("Tail(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}

	// What was appended is there after reopening the file.
	j.Close()
	j2, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j2.Close()
	if got := seqs(all(t, j2, 0)); len(got) != 10 {
		t.Fatalf("after reopening: %v", got)
	}
	if err := j2.Append(ctx, journal.Batch{Records: recs(11, 1)}); err != nil {
		t.Fatalf("append after reopening: %v", err)
	}
}

func TestTailOfEmptyJournal(t *testing.T) {
	j, _ := open(t)
	rs, err := j.Tail(ctx, 5)
	if err != nil || len(rs) != 0 {
		t.Fatalf("Tail of an empty journal: %v, %v", rs, err)
	}
}

func TestRepliesSince(t *testing.T) {
	j, path := open(t)
	reps := []journal.Reply{
		{Key: "old", Seq: 1, At: base, Body: []byte(`{"n":1}`)},
		{Key: "mid", Seq: 2, At: base.Add(time.Hour), Body: []byte(`{"n":2}`)},
		{Key: "new", Seq: 2, At: base.Add(2 * time.Hour), Body: []byte(`{"n":3}`)},
		// A command without an answer body is still remembered.
		{Key: "empty", Seq: 2, At: base.Add(3 * time.Hour), Body: nil},
	}
	if err := j.Append(ctx, journal.Batch{Records: recs(1, 1), Replies: reps[:1]}); err != nil {
		t.Fatal(err)
	}
	// Replies may come without events (a command that changed nothing).
	if err := j.Append(ctx, journal.Batch{Records: recs(2, 1), Replies: reps[1:2]}); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(ctx, journal.Batch{Replies: reps[2:]}); err != nil {
		t.Fatalf("replies without records: %v", err)
	}
	tests := []struct {
		since time.Time
		want  []string
	}{
		{time.Time{}, []string{"empty", "mid", "new", "old"}},
		{base, []string{"empty", "mid", "new", "old"}},
		{base.Add(time.Nanosecond), []string{"empty", "mid", "new"}},
		{base.Add(time.Hour), []string{"empty", "mid", "new"}},
		{base.Add(90 * time.Minute), []string{"empty", "new"}},
		{base.Add(4 * time.Hour), nil},
	}
	for _, tt := range tests {
		got, err := j.Replies(ctx, tt.since)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		byKey := map[string]journal.Reply{}
		for _, r := range got {
			keys = append(keys, r.Key)
			byKey[r.Key] = r
		}
		slices.Sort(keys)
		if !slices.Equal(keys, tt.want) {
			t.Fatalf("Replies(%v) = %v, want %v", tt.since, keys, tt.want)
		}
		for _, w := range reps {
			if g, ok := byKey[w.Key]; ok {
				if g.Seq != w.Seq || !g.At.Equal(w.At) || string(g.Body) != string(w.Body) {
					t.Fatalf("reply %s came back as %+v, want %+v", w.Key, g, w)
				}
			}
		}
	}
	if got := seqs(all(t, j, 0)); !slices.Equal(got, []uint64{1, 2}) {
		t.Fatalf("events %v", got)
	}
	_ = path
}

func TestSnapshotsKeepLastTwo(t *testing.T) {
	j, path := open(t)
	if seq, data, err := j.LoadSnapshot(ctx); err != nil || seq != 0 || data != nil {
		t.Fatalf("LoadSnapshot of a new journal = %d, %q, %v", seq, data, err)
	}
	for _, seq := range []uint64{10, 20, 30, 40} {
		if err := j.SaveSnapshot(ctx, seq, fmt.Appendf(nil, `{"seq":%d}`, seq)); err != nil {
			t.Fatal(err)
		}
		got, data, err := j.LoadSnapshot(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got != seq || string(data) != fmt.Sprintf(`{"seq":%d}`, seq) {
			t.Fatalf("after saving %d LoadSnapshot = %d, %s", seq, got, data)
		}
	}
	// Saving the same seq again replaces it.
	if err := j.SaveSnapshot(ctx, 40, []byte(`{"again":true}`)); err != nil {
		t.Fatal(err)
	}
	if _, data, _ := j.LoadSnapshot(ctx); string(data) != `{"again":true}` {
		t.Fatalf("snapshot 40 not replaced: %s", data)
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
	if !slices.Equal(kept, []uint64{30, 40}) {
		t.Fatalf("kept snapshots %v, want [30 40]", kept)
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

func TestOpenFailsOnBadPath(t *testing.T) {
	if _, err := sqlite.Open(filepath.Join(t.TempDir(), "missing", "dir", "hall.db")); err == nil {
		t.Fatal("opened a journal in a directory that does not exist")
	}
}

func TestSeqBefore(t *testing.T) {
	j, _ := open(t)
	if seq, err := j.SeqBefore(ctx, base.Add(time.Hour)); err != nil || seq != 0 {
		t.Fatalf("empty journal: SeqBefore = %d, %v", seq, err)
	}
	if err := j.Append(ctx, journal.Batch{Records: recs(1, 10)}); err != nil { // stamped base+1s … base+10s
		t.Fatal(err)
	}
	tests := []struct {
		at   time.Time
		want uint64
	}{
		{base, 0},                              // before everything
		{base.Add(time.Second), 0},             // record 1 is not before its own stamp
		{base.Add(1500 * time.Millisecond), 1}, // between 1 and 2
		{base.Add(5 * time.Second), 4},         // up to, not including, record 5
		{base.Add(time.Hour), 10},              // after everything
		{base.Add(5*time.Second + 1), 5},       // a nanosecond after record 5
	}
	for _, tt := range tests {
		got, err := j.SeqBefore(ctx, tt.at)
		if err != nil || got != tt.want {
			t.Errorf("SeqBefore(base+%v) = %d, %v; want %d", tt.at.Sub(base), got, err, tt.want)
		}
	}
}

func TestForgetReplies(t *testing.T) {
	j, _ := open(t)
	reps := []journal.Reply{
		{Key: "yesterday", Seq: 1, At: base, Body: []byte(`{}`)},
		{Key: "today", Seq: 1, At: base.Add(25 * time.Hour), Body: []byte(`{}`)},
	}
	if err := j.Append(ctx, journal.Batch{Records: recs(1, 1), Replies: reps}); err != nil {
		t.Fatal(err)
	}
	if err := j.ForgetReplies(ctx, base.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := j.Replies(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Key != "today" {
		t.Fatalf("after forgetting, replies = %+v, want only today's", got)
	}
	if n := len(all(t, j, 0)); n != 1 {
		t.Fatalf("forgetting replies touched the events: %d left", n)
	}
}
