package cases

import (
	"fmt"
	"testing"
	"time"
)

// benchState is a hall some years on: closed cases kept for the reports
// and the open ones in the back office, half still received and half
// accepted, within their deadlines: the state Due meets every second of a
// working day.
func benchState(closed, open int) (*State, *Setup, time.Time) {
	set := testSetup()
	now := time.Date(2025, 6, 2, 10, 0, 0, 0, sh)
	s := NewState()
	for i := range closed {
		at := now.Add(-time.Duration(i%80+1) * 24 * time.Hour)
		id := fmt.Sprintf("c%06d", i)
		s.Cases[id] = &Case{ID: id, Number: fmt.Sprintf("C%06d", i), Item: "GT", Department: "scj", Kind: Promised, Status: Closed,
			ReceivedAt: at.Add(-72 * time.Hour), Deadline: at, Timeline: []Step{{Type: "case.closed", At: at}}}
	}
	for i := range open {
		id := fmt.Sprintf("o%06d", i)
		k := &Case{ID: id, Number: fmt.Sprintf("O%06d", i), Item: "GT", Department: "scj", Kind: Promised, Status: Accepted,
			ReceivedAt: now.Add(-time.Hour), AcceptedAt: now.Add(-time.Hour), Deadline: now.Add(72 * time.Hour),
			Timeline: []Step{{Type: "case.opened", At: now.Add(-time.Hour)}}}
		if i%2 == 0 {
			k.Status, k.AcceptedAt = Received, time.Time{}
			k.AskBy = set.SupplementBy(k.ReceivedAt) // as opened
		}
		s.Cases[id] = k
	}
	s.Adopt()
	return s, set, now
}

// BenchmarkDue is the cases' part of the engine's every-second Tick with
// 20,000 closed and 500 open cases, nothing due.
func BenchmarkDue(b *testing.B) {
	s, set, now := benchState(20000, 500)
	b.ReportAllocs()
	for b.Loop() {
		if evs := Due(s, set, now); len(evs) != 0 {
			b.Fatalf("due %d", len(evs))
		}
	}
}
