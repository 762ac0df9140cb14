package redis_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"hallfloor/journal"
	"hallfloor/journal/redis"
	"hallfloor/journal/redis/redisproc"
)

// ownRedis is a redis-server of the test's own, stopped at its end.
func ownRedis(t *testing.T) string {
	t.Helper()
	s, err := redisproc.Start(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Stop)
	return s.URL()
}

func openOn(t *testing.T, url string) *redis.Journal {
	t.Helper()
	j, err := redis.Open(ctx, url, redis.Options{Hall: "lease"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func rec(seq uint64) journal.Record {
	return journal.Record{Seq: seq, At: time.Unix(int64(seq), 0), Type: "t", Data: []byte(`{}`)}
}

// One node holds the lease at a time; an old holder whose lease expired
// appends nothing, even when its batch would follow the journal exactly
// (the new holder has not written yet), and cannot renew or release the
// new holder's lease.
func TestLeaseFencesTheOldLeader(t *testing.T) {
	url := ownRedis(t)
	a, b := openOn(t, url), openOn(t, url)
	la, lb := a.Lease("http://a", 300*time.Millisecond), b.Lease("http://b", 300*time.Millisecond)
	if ok, err := la.Acquire(ctx); !ok || err != nil {
		t.Fatalf("a takes a free lease: %v %v", ok, err)
	}
	if ok, _ := lb.Acquire(ctx); ok {
		t.Fatal("b took a held lease")
	}
	if addr, _ := b.Leader(ctx); addr != "http://a" {
		t.Fatalf("leader %q", addr)
	}
	if err := a.Append(ctx, journal.Batch{Records: []journal.Record{rec(1)}}); err != nil {
		t.Fatal(err)
	}
	// a stops renewing; b takes the lease once it expires.
	deadline := time.Now().Add(5 * time.Second)
	for ok := false; !ok; {
		if time.Now().After(deadline) {
			t.Fatal("b never took the expired lease")
		}
		var err error
		if ok, err = lb.Acquire(ctx); err != nil {
			t.Fatal(err)
		}
	}
	err := a.Append(ctx, journal.Batch{Records: []journal.Record{rec(2)}})
	if !errors.Is(err, journal.ErrNotLeader) {
		t.Fatalf("the old leader's append: %v, want ErrNotLeader", err)
	}
	if tail, _ := b.Tail(ctx, 1); len(tail) != 1 || tail[0].Seq != 1 {
		t.Fatalf("journal ends at %v, want seq 1", tail)
	}
	if ok, _ := la.Renew(ctx); ok {
		t.Fatal("the old leader renewed the new leader's lease")
	}
	if err := la.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if addr, _ := a.Leader(ctx); addr != "http://b" {
		t.Fatalf("after the old leader's release the leader is %q", addr)
	}
	if ok, _ := lb.Renew(ctx); !ok {
		t.Fatal("the leader cannot renew")
	}
	if err := b.Append(ctx, journal.Batch{Records: []journal.Record{rec(2)}}); err != nil {
		t.Fatal(err)
	}
	if err := lb.Release(ctx); err != nil {
		t.Fatal(err)
	}
	if addr, _ := a.Leader(ctx); addr != "" {
		t.Fatalf("released, the leader is %q", addr)
	}
}

// A follower sees every record as it is appended, from where it started;
// every node reads the same epoch, made once.
func TestFollowAndEpoch(t *testing.T) {
	url := ownRedis(t)
	w, f := openOn(t, url), openOn(t, url)
	e1, err := w.Epoch(ctx)
	if err != nil || len(e1) != 24 {
		t.Fatalf("epoch %q %v", e1, err)
	}
	if e2, _ := f.Epoch(ctx); e2 != e1 {
		t.Fatalf("epochs %q and %q", e1, e2)
	}
	if err := w.Append(ctx, journal.Batch{Records: []journal.Record{rec(1), rec(2)}}); err != nil {
		t.Fatal(err)
	}
	fctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	got := make(chan uint64, 16)
	done := make(chan error, 1)
	go func() {
		done <- f.Follow(fctx, 1, func(rs []journal.Record) error {
			for _, r := range rs {
				got <- r.Seq
			}
			return nil
		})
	}()
	if s := <-got; s != 2 {
		t.Fatalf("first followed %d, want 2", s)
	}
	if err := w.Append(ctx, journal.Batch{Records: []journal.Record{rec(3)}}); err != nil {
		t.Fatal(err)
	}
	if s := <-got; s != 3 {
		t.Fatalf("then %d, want 3", s)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("follow ended with %v", err)
	}
}
