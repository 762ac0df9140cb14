package server_test

import (
	"bytes"
	"sync"
	"testing"
	"time"

	"hallfloor/app"
	"hallfloor/app/apptest"
)

// TestSnapshotEncodedOncePerSeq: screens joining at one seq within the
// reuse time get the very same encoded message; a new event, or the clock
// moving on (the view's waits and alerts depend on it), makes a new one.
func TestSnapshotEncodedOncePerSeq(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	advance := func(d time.Duration) { mu.Lock(); now = now.Add(d); mu.Unlock() }
	run := apptest.Start(t, app.Options{Clock: clock})
	h := &demoHall{client: client{t, run.URL}, t: t, ts: run.HTTP, run: run}

	snap := func() (uint64, []byte) {
		t.Helper()
		seq, b, err := run.Server.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		return seq, b
	}
	seq, first := snap()
	for range 3 {
		if s, b := snap(); s != seq || &b[0] != &first[0] {
			t.Fatalf("a second screen at seq %d got a new encoding (seq %d)", seq, s)
		}
	}
	h.issue("A")
	s2, second := snap()
	if s2 <= seq || &second[0] == &first[0] || bytes.Equal(second, first) {
		t.Fatalf("after an event: seq %d (was %d), the same message: %v", s2, seq, &second[0] == &first[0])
	}
	advance(2 * time.Second)
	if s3, third := snap(); s3 != s2 || &third[0] == &second[0] {
		t.Fatalf("two seconds on at seq %d (now %d): the old encoding was reused", s2, s3)
	}
}
