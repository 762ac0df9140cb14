package sqlite_test

import (
	"errors"
	"testing"

	"hallfloor/journal"
	"hallfloor/journal/journaltest"
	"hallfloor/journal/sqlite"
)

// A prefix dropped in turns leaves the rest in order; the writer refuses
// to replay from before it (a hall rebuilt from a partial journal), while
// a reader of history reads what is left, and appends go on after it.
func TestDroppedPrefixGuardsTheWritersReplay(t *testing.T) {
	j, path := open(t)
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 10)}); err != nil {
		t.Fatal(err)
	}
	for {
		n, err := j.DropEvents(ctx, 6, 4)
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
	}
	archived, _, err := j.Floor(ctx)
	if err != nil || archived != 6 {
		t.Fatalf("floor %d, %v; want 6", archived, err)
	}
	journaltest.SameRecords(t, journaltest.All(t, j, 6), journaltest.Records(7, 4))
	err = j.Replay(ctx, 0, func(journal.Record) error { return nil })
	if !errors.Is(err, sqlite.ErrArchived) {
		t.Fatalf("the writer's replay from the first event: %v, want ErrArchived", err)
	}
	ro, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer ro.Close()
	journaltest.SameRecords(t, journaltest.All(t, ro, 0), journaltest.Records(7, 4))
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(11, 1)}); err != nil {
		t.Fatalf("append after the drop: %v", err)
	}
}

// Rewritten events keep their place; the scrubbed floor guards the
// writer's replay as the archived one does.
func TestRewriteRaisesTheScrubbedFloor(t *testing.T) {
	j, _ := open(t)
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 5)}); err != nil {
		t.Fatal(err)
	}
	recs, err := j.Events(ctx, 0, 3, 100)
	if err != nil || len(recs) != 3 {
		t.Fatalf("events up to 3: %d, %v", len(recs), err)
	}
	recs[1].Data = []byte(`{"n":0}`)
	if err := j.Rewrite(ctx, 3, recs[1:2]); err != nil {
		t.Fatal(err)
	}
	if _, s, _ := j.Floor(ctx); s != 3 {
		t.Fatalf("scrubbed floor %d, want 3", s)
	}
	if err := j.Replay(ctx, 2, func(journal.Record) error { return nil }); !errors.Is(err, sqlite.ErrArchived) {
		t.Fatalf("replay from before the scrubbed floor: %v", err)
	}
	got := journaltest.All(t, j, 3)
	if len(got) != 2 || got[0].Seq != 4 {
		t.Fatalf("after the floor: %v", journaltest.Seqs(got))
	}
}
