package envelope

import (
	"testing"
	"time"

	"hallfloor/cases"
	"hallfloor/room"
)

// The dashboard's load: open envelopes of cases still deciding, the
// submissions waiting and those past the setting (reported by the tick or
// not yet), the day's passes and rejections, none of yesterday's.
func TestLoads(t *testing.T) {
	s, cs := NewState(), cases.NewState()
	day := time.Date(2025, 3, 11, 0, 0, 0, 0, time.UTC)
	apply := func(at time.Time, p room.Payload) { s.Apply(room.Event{At: at, Data: p}) }
	for i, id := range []string{"a", "b", "c", "d", "e"} {
		cs.Cases[id] = &cases.Case{ID: id, Status: cases.Received}
		apply(day.Add(-24*time.Hour+time.Duration(i)*time.Minute), Issued{Case: cases.Ref{ID: id}, Token: "tok-" + id,
			Materials: []Choice{{Code: "m", Way: Upload}, {Code: "n", Way: Post}}})
	}
	ref := func(id string) cases.Ref { return cases.Ref{ID: id} }
	// Yesterday: a's m rejected, b's m passed.
	apply(day.Add(-3*time.Hour), Submitted{Case: ref("a"), Submission: "1", Material: "m"})
	apply(day.Add(-2*time.Hour), Reviewed{Case: ref("a"), Submission: "1", Material: "m"})
	apply(day.Add(-3*time.Hour), Submitted{Case: ref("b"), Submission: "1", Material: "m"})
	apply(day.Add(-2*time.Hour), Reviewed{Case: ref("b"), Submission: "1", Material: "m", Pass: true})
	// Today: a's m again, passed; b's n rejected; c's m and n waiting, one
	// past the hour; d settled in full.
	apply(day.Add(9*time.Hour), Submitted{Case: ref("a"), Submission: "2", Material: "m"})
	apply(day.Add(9*time.Hour+10*time.Minute), Reviewed{Case: ref("a"), Submission: "2", Material: "m", Pass: true})
	apply(day.Add(9*time.Hour), Submitted{Case: ref("b"), Submission: "2", Material: "n"})
	apply(day.Add(9*time.Hour+20*time.Minute), Reviewed{Case: ref("b"), Submission: "2", Material: "n"})
	apply(day.Add(8*time.Hour), Submitted{Case: ref("c"), Submission: "1", Material: "m"})
	apply(day.Add(9*time.Hour+30*time.Minute), Submitted{Case: ref("c"), Submission: "2", Material: "n"})
	apply(day.Add(8*time.Hour), Submitted{Case: ref("d"), Submission: "1", Material: "m"})
	apply(day.Add(8*time.Hour+5*time.Minute), Reviewed{Case: ref("d"), Submission: "1", Material: "m", Pass: true})
	apply(day.Add(8*time.Hour+6*time.Minute), Tracked{Case: ref("d"), Material: "n", State: Arrived})
	// e's case was refused: its envelope owes nothing more.
	cs.Cases["e"].Status = cases.Refused
	now := day.Add(10 * time.Hour)
	got := Loads(s, cs, NewSetup(Setup{}), now, day)
	want := Load{Open: 3, Waiting: 2, Late: 1, ReviewWithin: 60, PassedToday: 2, RejectedToday: 1}
	if got != want {
		t.Fatalf("load %+v, want %+v", got, want)
	}
	// With a longer setting c's first waits in time; tomorrow the day's
	// reviews are yesterday's.
	got = Loads(s, cs, NewSetup(Setup{ReviewWithin: 3 * time.Hour}), now.Add(24*time.Hour), day.Add(24*time.Hour))
	if want := (Load{Open: 3, Waiting: 2, Late: 2, ReviewWithin: 180}); got != want {
		t.Fatalf("tomorrow %+v, want %+v", got, want)
	}
	if got := Loads(NewState(), cs, NewSetup(Setup{}), now, day); got != (Load{ReviewWithin: 60}) {
		t.Fatalf("no envelopes %+v", got)
	}
}
