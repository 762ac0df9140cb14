// Package journaltest holds the behaviour every journal backend must show,
// as tests and a benchmark each backend's own tests run against itself, so
// the engine can rely on the same contract whichever store a hall uses.
package journaltest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"hallfloor/journal"
)

// Base is the stamp the test records are counted from.
var Base = time.Date(2025, 3, 10, 1, 0, 0, 123456789, time.UTC)

// Records makes records from seq to seq+n-1, stamped Base+seq seconds.
func Records(from uint64, n int) []journal.Record {
	var out []journal.Record
	for i := range n {
		seq := from + uint64(i)
		out = append(out, journal.Record{
			Seq:  seq,
			At:   Base.Add(time.Duration(seq) * time.Second),
			Type: "ticket.issued",
			Data: fmt.Appendf(nil, `{"n":%d}`, seq),
		})
	}
	return out
}

// All replays every record after seq.
func All(t testing.TB, j journal.Journal, after uint64) []journal.Record {
	t.Helper()
	var out []journal.Record
	if err := j.Replay(context.Background(), after, func(r journal.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

// Seqs lists the records' sequence numbers.
func Seqs(rs []journal.Record) []uint64 {
	var out []uint64
	for _, r := range rs {
		out = append(out, r.Seq)
	}
	return out
}

// SameRecords fails unless got holds exactly want, field by field.
func SameRecords(t testing.TB, got, want []journal.Record) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("got %d records %v, want %d %v", len(got), Seqs(got), len(want), Seqs(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Seq != w.Seq || !g.At.Equal(w.At) || g.Type != w.Type || string(g.Data) != string(w.Data) {
			t.Fatalf("record %d came back as %+v, want %+v", i, g, w)
		}
	}
}

// Run runs the contract against journals made by open, a fresh and empty
// one for each subtest.
func Run(t *testing.T, open func(t *testing.T) journal.Journal) {
	tests := []struct {
		name string
		fn   func(t *testing.T, j journal.Journal)
	}{
		{"AppendRejectsGaps", appendRejectsGaps},
		{"RefusedBatchStoresNothing", refusedBatchStoresNothing},
		{"ReplayAndTail", replayAndTail},
		{"TailOfEmptyJournal", tailOfEmptyJournal},
		{"RepliesSince", repliesSince},
		{"ReplyReplaced", replyReplaced},
		{"ForgetReplies", forgetReplies},
		{"Snapshots", snapshots},
		{"SeqBefore", seqBefore},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.fn(t, open(t)) })
	}
}

var ctx = context.Background()

func appendRejectsGaps(t *testing.T, j journal.Journal) {
	tests := []struct {
		name  string
		batch []journal.Record
		gap   bool
	}{
		{"first batch must start at 1", Records(2, 1), true},
		{"starts at 1", Records(1, 3), false},
		{"skips one", Records(5, 1), true},
		{"another writer's last", Other(Records(3, 1)), true},
		{"another writer's whole batch", Other(Records(1, 3)), true},
		{"overlaps the end", Records(2, 3), true},
		{"continues", Records(4, 2), false},
		{"hole inside the batch", append(Records(6, 1), Records(8, 1)...), true},
		{"goes backwards inside the batch", append(Records(6, 2), Records(6, 1)...), true},
		{"continues after refusals", Records(6, 1), false},
		{"another writer's batch ending at the last", Other(Records(6, 1)), true},
	}
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
			want = append(want, Seqs(tt.batch)...)
		}
		if got := Seqs(All(t, j, 0)); !slices.Equal(got, want) {
			t.Fatalf("%s: journal holds %v, want %v", tt.name, got, want)
		}
	}
	SameRecords(t, All(t, j, 0), Records(1, 6))

	// The very batch already stored, sent again: a backend may take it as
	// a retry whose first answer was lost (nil) or refuse it (ErrGap), but
	// never stores it twice.
	for _, again := range [][]journal.Record{Records(6, 1), Records(4, 3)} {
		if err := j.Append(ctx, journal.Batch{Records: again}); err != nil && !errors.Is(err, journal.ErrGap) {
			t.Fatalf("repeating %v: Append = %v, want nil or ErrGap", Seqs(again), err)
		}
		SameRecords(t, All(t, j, 0), Records(1, 6))
	}
}

// Other is rs as another writer would have made them: the same sequence
// numbers, different events.
func Other(rs []journal.Record) []journal.Record {
	out := slices.Clone(rs)
	for i := range out {
		out[i].Data = fmt.Appendf(nil, `{"other":%d}`, out[i].Seq)
	}
	return out
}

// A refused batch stores none of its replies either.
func refusedBatchStoresNothing(t *testing.T, j journal.Journal) {
	if err := j.Append(ctx, journal.Batch{Records: Records(1, 1)}); err != nil {
		t.Fatal(err)
	}
	err := j.Append(ctx, journal.Batch{
		Records: Records(3, 1),
		Replies: []journal.Reply{{Key: "k", Seq: 3, At: Base, Body: []byte(`{}`)}},
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
	if got := Seqs(All(t, j, 0)); !slices.Equal(got, []uint64{1}) {
		t.Fatalf("journal holds %v after a refusal", got)
	}
}

func replayAndTail(t *testing.T, j journal.Journal) {
	in := Records(1, 10)
	for _, b := range [][]journal.Record{in[:1], in[1:4], in[4:]} {
		if err := j.Append(ctx, journal.Batch{Records: b}); err != nil {
			t.Fatal(err)
		}
	}
	SameRecords(t, All(t, j, 0), in)
	if got := Seqs(All(t, j, 7)); !slices.Equal(got, []uint64{8, 9, 10}) {
		t.Fatalf("replay after 7: %v", got)
	}
	if got := All(t, j, 10); len(got) != 0 {
		t.Fatalf("replay after the end: %v", Seqs(got))
	}
	if got := All(t, j, 50); len(got) != 0 {
		t.Fatalf("replay after beyond the end: %v", Seqs(got))
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
		if got := Seqs(rs); !slices.Equal(got, tt.want) {
			t.Errorf("Tail(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
	rs, err := j.Tail(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	SameRecords(t, rs, in[8:])
}

func tailOfEmptyJournal(t *testing.T, j journal.Journal) {
	rs, err := j.Tail(ctx, 5)
	if err != nil || len(rs) != 0 {
		t.Fatalf("Tail of an empty journal: %v, %v", rs, err)
	}
	if got := All(t, j, 0); len(got) != 0 {
		t.Fatalf("Replay of an empty journal: %v", Seqs(got))
	}
}

func repliesSince(t *testing.T, j journal.Journal) {
	reps := []journal.Reply{
		{Key: "old", Seq: 1, At: Base, Body: []byte(`{"n":1}`)},
		{Key: "mid", Seq: 2, At: Base.Add(time.Hour), Body: []byte(`{"n":2}`)},
		{Key: "new", Seq: 2, At: Base.Add(2 * time.Hour), Body: []byte(`{"n":3}`)},
		// A command without an answer body is still remembered.
		{Key: "empty", Seq: 2, At: Base.Add(3 * time.Hour), Body: nil},
	}
	if err := j.Append(ctx, journal.Batch{Records: Records(1, 1), Replies: reps[:1]}); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(ctx, journal.Batch{Records: Records(2, 1), Replies: reps[1:2]}); err != nil {
		t.Fatal(err)
	}
	// Replies may come without events (a command that changed nothing).
	if err := j.Append(ctx, journal.Batch{Replies: reps[2:]}); err != nil {
		t.Fatalf("replies without records: %v", err)
	}
	tests := []struct {
		since time.Time
		want  []string
	}{
		{time.Time{}, []string{"empty", "mid", "new", "old"}},
		{Base, []string{"empty", "mid", "new", "old"}},
		{Base.Add(time.Nanosecond), []string{"empty", "mid", "new"}},
		{Base.Add(time.Hour), []string{"empty", "mid", "new"}},
		{Base.Add(90 * time.Minute), []string{"empty", "new"}},
		{Base.Add(4 * time.Hour), nil},
	}
	for _, tt := range tests {
		got := replies(t, j, tt.since)
		var keys []string
		for k, g := range got {
			keys = append(keys, k)
			for _, w := range reps {
				if w.Key == k && (g.Seq != w.Seq || !g.At.Equal(w.At) || string(g.Body) != string(w.Body)) {
					t.Fatalf("reply %s came back as %+v, want %+v", k, g, w)
				}
			}
		}
		slices.Sort(keys)
		if !slices.Equal(keys, tt.want) {
			t.Fatalf("Replies(%v) = %v, want %v", tt.since, keys, tt.want)
		}
	}
	if got := Seqs(All(t, j, 0)); !slices.Equal(got, []uint64{1, 2}) {
		t.Fatalf("events %v", got)
	}
}

// A reply stored again under its key replaces the first, and is found by
// its new time only.
func replyReplaced(t *testing.T, j journal.Journal) {
	first := journal.Reply{Key: "k", Seq: 1, At: Base, Body: []byte(`{"first":true}`)}
	again := journal.Reply{Key: "k", Seq: 2, At: Base.Add(time.Hour), Body: []byte(`{"again":true}`)}
	if err := j.Append(ctx, journal.Batch{Records: Records(1, 1), Replies: []journal.Reply{first}}); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(ctx, journal.Batch{Records: Records(2, 1), Replies: []journal.Reply{again}}); err != nil {
		t.Fatal(err)
	}
	got := replies(t, j, time.Time{})
	if len(got) != 1 || got["k"].Seq != 2 || string(got["k"].Body) != `{"again":true}` {
		t.Fatalf("after replacing, replies = %+v", got)
	}
	if err := j.ForgetReplies(ctx, Base.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if got := replies(t, j, time.Time{}); len(got) != 1 {
		t.Fatalf("forgetting before the first answer's time dropped the replacement: %+v", got)
	}
	if err := j.ForgetReplies(ctx, Base.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if got := replies(t, j, time.Time{}); len(got) != 0 {
		t.Fatalf("replies left after forgetting all: %+v", got)
	}
}

func replies(t *testing.T, j journal.Journal, since time.Time) map[string]journal.Reply {
	t.Helper()
	got, err := j.Replies(ctx, since)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]journal.Reply{}
	for _, r := range got {
		if _, dup := out[r.Key]; dup {
			t.Fatalf("reply %s returned twice", r.Key)
		}
		out[r.Key] = r
	}
	return out
}

func forgetReplies(t *testing.T, j journal.Journal) {
	reps := []journal.Reply{
		{Key: "yesterday", Seq: 1, At: Base, Body: []byte(`{}`)},
		{Key: "at the cut", Seq: 1, At: Base.Add(24 * time.Hour), Body: []byte(`{}`)},
		{Key: "today", Seq: 1, At: Base.Add(25 * time.Hour), Body: []byte(`{}`)},
	}
	if err := j.Append(ctx, journal.Batch{Records: Records(1, 1), Replies: reps}); err != nil {
		t.Fatal(err)
	}
	if err := j.ForgetReplies(ctx, Base.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got := replies(t, j, time.Time{})
	if len(got) != 2 || got["today"].Key == "" || got["at the cut"].Key == "" {
		t.Fatalf("after forgetting, replies = %+v, want those from the cut on", got)
	}
	if n := len(All(t, j, 0)); n != 1 {
		t.Fatalf("forgetting replies touched the events: %d left", n)
	}
	// Forgetting again, or with nothing to forget, is no error.
	if err := j.ForgetReplies(ctx, Base.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
}

// snapshots checks what is kept and in which order: the KeepSnapshots of
// highest seq, newest first, their bytes exactly as saved (the engine's
// checksum is over them), replaced when saved again under their seq.
func snapshots(t *testing.T, j journal.Journal) {
	if journal.KeepSnapshots != 3 {
		t.Fatalf("the steps below are written for 3 snapshots kept, not %d", journal.KeepSnapshots)
	}
	type snap struct {
		seq  uint64
		data []byte
	}
	data := func(seq uint64) []byte { return fmt.Appendf(nil, `{"seq":%d}`, seq) }
	again := []byte(`{"again":true}`)
	garbage := []byte("\x00\xff not a state {\n\r")
	steps := []struct {
		name string
		seq  uint64
		data []byte
		want []snap
	}{
		// A hall stopped before its first event snapshots at seq 0.
		{"at seq 0", 0, data(0), []snap{{0, data(0)}}},
		{"a second", 10, data(10), []snap{{10, data(10)}, {0, data(0)}}},
		{"a third", 20, data(20), []snap{{20, data(20)}, {10, data(10)}, {0, data(0)}}},
		{"the oldest goes", 30, data(30), []snap{{30, data(30)}, {20, data(20)}, {10, data(10)}}},
		{"and the next", 40, data(40), []snap{{40, data(40)}, {30, data(30)}, {20, data(20)}}},
		{"the same seq again replaces it", 40, again, []snap{{40, again}, {30, data(30)}, {20, data(20)}}},
		{"any bytes, as they are", 50, garbage, []snap{{50, garbage}, {40, again}, {30, data(30)}}},
		{"empty", 60, []byte{}, []snap{{60, nil}, {50, garbage}, {40, again}}},
		// Kept by seq, not by when saved: an older seq saved late is
		// the one pruned.
		{"older than all kept", 5, data(5), []snap{{60, nil}, {50, garbage}, {40, again}}},
	}
	if got, err := j.LoadSnapshots(ctx); err != nil || len(got) != 0 {
		t.Fatalf("LoadSnapshots of a new journal = %v, %v", got, err)
	}
	for _, st := range steps {
		if err := j.SaveSnapshot(ctx, st.seq, st.data); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		got, err := j.LoadSnapshots(ctx)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		if !slices.EqualFunc(got, st.want, func(g journal.Snapshot, w snap) bool { return g.Seq == w.seq && string(g.Data) == string(w.data) }) {
			var seen, want []string
			for _, g := range got {
				seen = append(seen, fmt.Sprintf("%d:%q", g.Seq, g.Data))
			}
			for _, w := range st.want {
				want = append(want, fmt.Sprintf("%d:%q", w.seq, w.data))
			}
			t.Fatalf("%s: after saving %d LoadSnapshots = %v, want %v", st.name, st.seq, seen, want)
		}
	}
}

func seqBefore(t *testing.T, j journal.Journal) {
	if seq, err := j.SeqBefore(ctx, Base.Add(time.Hour)); err != nil || seq != 0 {
		t.Fatalf("empty journal: SeqBefore = %d, %v", seq, err)
	}
	if err := j.Append(ctx, journal.Batch{Records: Records(1, 10)}); err != nil { // stamped Base+1s … Base+10s
		t.Fatal(err)
	}
	tests := []struct {
		at   time.Time
		want uint64
	}{
		{time.Time{}, 0},                       // the zero time
		{Base, 0},                              // before everything
		{Base.Add(time.Second), 0},             // record 1 is not before its own stamp
		{Base.Add(1500 * time.Millisecond), 1}, // between 1 and 2
		{Base.Add(5 * time.Second), 4},         // up to, not including, record 5
		{Base.Add(time.Hour), 10},              // after everything
		{Base.Add(5*time.Second + 1), 5},       // a nanosecond after record 5
	}
	for _, tt := range tests {
		got, err := j.SeqBefore(ctx, tt.at)
		if err != nil || got != tt.want {
			t.Errorf("SeqBefore(Base+%v) = %d, %v; want %d", tt.at.Sub(Base), got, err, tt.want)
		}
	}
}

// BenchAppend measures one commit of a batch of n events, as the engine
// makes one per group of commands.
func BenchAppend(b *testing.B, j journal.Journal, n int) {
	seq := uint64(0)
	if rs, err := j.Tail(ctx, 1); err != nil {
		b.Fatal(err)
	} else if len(rs) == 1 {
		seq = rs[0].Seq
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		batch := journal.Batch{Records: Records(seq+1, n)}
		if err := j.Append(ctx, batch); err != nil {
			b.Fatal(err)
		}
		seq += uint64(n)
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "events/s")
}
