package sqlite_test

import (
	"bytes"
	"fmt"
	"testing"
	"time"

	"hallfloor/journal"
)

// Batches of every size an INSERT of many rows splits (one row, a few, the
// most one statement takes, one more, and two and a bit) keep every event
// in order and every answer, whatever the order their statements ran in;
// and a gap in one is still refused with nothing of it stored.
func TestBatchesOfManyRows(t *testing.T) {
	j, _ := open(t)
	at := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	var seq uint64
	want := map[string][]byte{}
	for _, n := range []int{1, 3, 32, 33, 70} {
		var b journal.Batch
		for range n {
			seq++
			b.Records = append(b.Records, journal.Record{Seq: seq, At: at, Type: "test", Data: fmt.Appendf(nil, `{"n":%d}`, seq)})
			key := fmt.Sprintf("key-%d", seq)
			body := fmt.Appendf(nil, `{"answer":%d}`, seq)
			if seq%5 == 0 {
				body = nil // answered without a body
			}
			b.Replies = append(b.Replies, journal.Reply{Key: key, Seq: seq, At: at, Body: body})
			want[key] = body
		}
		if err := j.Append(ctx, b); err != nil {
			t.Fatalf("a batch of %d: %v", n, err)
		}
	}
	var got uint64
	if err := j.Replay(ctx, 0, func(r journal.Record) error {
		got++
		if r.Seq != got || string(r.Data) != fmt.Sprintf(`{"n":%d}`, got) {
			t.Errorf("event %d: seq %d, data %s", got, r.Seq, r.Data)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got != seq {
		t.Fatalf("replayed %d events of %d", got, seq)
	}
	reps, err := j.Replies(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	if len(reps) != len(want) {
		t.Fatalf("%d answers kept, want %d", len(reps), len(want))
	}
	for _, r := range reps {
		if w, ok := want[r.Key]; !ok || !bytes.Equal(r.Body, w) {
			t.Errorf("answer %s: %q, want %q", r.Key, r.Body, w)
		}
	}

	// A batch of 40 with a hole after its 35th event: nothing of it stays.
	var b journal.Batch
	for i := range 40 {
		s := seq + 1 + uint64(i)
		if i >= 35 {
			s++
		}
		b.Records = append(b.Records, journal.Record{Seq: s, At: at, Type: "test", Data: []byte(`{}`)})
	}
	if err := j.Append(ctx, b); err == nil {
		t.Fatal("a batch with a hole was stored")
	}
	b.Records = []journal.Record{{Seq: seq + 1, At: at, Type: "test", Data: []byte(`{}`)}}
	if err := j.Append(ctx, b); err != nil {
		t.Fatalf("the next event after a refused batch: %v", err)
	}
}
