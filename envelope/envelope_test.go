package envelope

import (
	"testing"
	"time"

	"hallfloor/cases"
	"hallfloor/room"
)

// A person pays the courier; the bureau pays an enterprise's post.
func TestPostageFor(t *testing.T) {
	if PostageFor(cases.Person) != Collect || PostageFor(cases.Enterprise) != Prepaid {
		t.Fatal("postage by party")
	}
}

// The clerks' list puts the envelopes waiting for review first, the one
// waiting longest at the top; a submission is reported late once, and an
// envelope's state survives its snapshot (the token index rebuilt).
func TestListDueAndAdopt(t *testing.T) {
	s := NewState()
	t0 := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	apply := func(at time.Time, p room.Payload) { s.Apply(room.Event{At: at, Data: p}) }
	for i, id := range []string{"a", "b", "c"} {
		apply(t0.Add(time.Duration(i)*time.Minute), Issued{Case: cases.Ref{ID: id, Number: "N" + id}, Token: "tok-" + id,
			Materials: []Choice{{Code: "m", Way: Upload}}})
	}
	apply(t0.Add(10*time.Minute), Submitted{Case: cases.Ref{ID: "c"}, Submission: "1", Material: "m"})
	apply(t0.Add(20*time.Minute), Submitted{Case: cases.Ref{ID: "b"}, Submission: "1", Material: "m"})
	var order []string
	for _, e := range s.List() {
		order = append(order, e.Case.ID)
	}
	if len(order) != 3 || order[0] != "c" || order[1] != "b" || order[2] != "a" {
		t.Fatalf("order %v", order)
	}
	setup := NewSetup(Setup{})
	late := Due(s, setup, t0.Add(75*time.Minute))
	if len(late) != 1 || late[0].(ReviewLate).Case.ID != "c" {
		t.Fatalf("late %v", late)
	}
	apply(t0.Add(75*time.Minute), late[0])
	if got := Due(s, setup, t0.Add(76*time.Minute)); len(got) != 0 {
		t.Fatalf("late twice %v", got)
	}
	r := &State{Envelopes: s.Envelopes}
	r.Adopt()
	if r.ByToken("tok-b") == nil || r.ByToken("tok-b").Case.ID != "b" || r.ByToken("") != nil {
		t.Fatal("token index not rebuilt")
	}
	apply(t0, cases.CasesPruned{Cases: []string{"a"}})
	if s.ByToken("tok-a") != nil || s.Envelopes["a"] != nil {
		t.Fatal("a pruned case kept its envelope")
	}
}
