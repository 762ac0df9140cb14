package cases

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"
)

// deliveredCase opens a case at a time and takes it to its close: posted
// and its 签收 recorded, and returns it.
func (h *hall) deliveredCase(at time.Time) *Case {
	h.t.Helper()
	k := h.openItem(at, "GT")
	for _, cmd := range closing(k.ID) {
		h.must(at, cmd)
	}
	return k
}

// closing are the steps that take a received case to its close by post.
func closing(id string) []Command {
	return []Command{Accept{Case: id, Actor: staff("d1")}, Approve{Case: id, Actor: staff("d1")}, MarkReady{Case: id, Actor: staff("d1")},
		ChooseCollection{Case: id, Channel: ChannelPost, Address: "椒江区", Actor: clerk},
		Deliver{Case: id, Channel: ChannelPost, Courier: "EMS", Waybill: "1", Actor: clerk}, RecordReceipt{Case: id, Actor: clerk}}
}

// A closed case leaves the state keep_closed_days after it closed, by a
// Tick's event; a batch goes with its last case once signed; open cases
// stay however old.
func TestClosedCasesLeave(t *testing.T) {
	h := newFlowHall(t)
	h.set.KeepClosedDays = 30
	old := h.openItem(clock("2025-04-01", "09:30:00"), "GT")
	open := h.openItem(clock("2025-04-01", "09:40:00"), "GT")
	batch := h.must(clock("2025-04-01", "11:40:00"), SendBatch{Department: "scj", Actor: clerk})[0].(BatchSent).Batch
	h.must(clock("2025-04-01", "11:45:00"), SignBatch{Batch: batch, Actor: staff("d1")})
	closed := clock("2025-04-02", "10:00:00")
	for _, cmd := range closing(old.ID) {
		h.must(closed, cmd)
	}
	later := h.deliveredCase(clock("2025-04-20", "10:00:00"))
	if !old.ClosedAt.Equal(closed) {
		t.Fatalf("closed at %v", old.ClosedAt)
	}
	if evs := of[CasesPruned](h.due(closed.AddDate(0, 0, 30))); len(evs) != 0 {
		t.Fatalf("pruned on the day: %+v", evs)
	}
	evs := of[CasesPruned](h.due(closed.AddDate(0, 0, 30).Add(time.Second)))
	if len(evs) != 1 || !slices.Equal(evs[0].Cases, []string{old.ID}) || len(evs[0].Batches) != 0 {
		t.Fatalf("pruned %+v", evs)
	}
	if h.s.Cases[old.ID] != nil || h.s.Cases[open.ID] == nil || h.s.Cases[later.ID] == nil || h.s.Batches[batch] == nil ||
		len(Search(h.s, Query{Number: old.Number})) != 0 {
		t.Fatalf("after the prune: %d cases, batch %v", len(h.s.Cases), h.s.Batches[batch])
	}
	if again := of[CasesPruned](h.due(closed.AddDate(0, 0, 31))); len(again) != 0 {
		t.Fatalf("pruned twice: %+v", again)
	}
	// The batch's other case closes; a month on, the batch goes with it.
	// (deemed accepted by now, left without a 补正通知)
	h.must(clock("2025-05-10", "10:00:00"), Refuse{Case: open.ID, Reason: "材料不实", Actor: staff("d1")})
	h.must(clock("2025-05-10", "10:00:00"), Close{Case: open.ID, Actor: clerk})
	evs = of[CasesPruned](h.due(clock("2025-06-10", "10:00:00")))
	if len(evs) != 1 || !slices.Equal(evs[0].Cases, []string{later.ID, open.ID}) || !slices.Equal(evs[0].Batches, []string{batch}) ||
		len(h.s.Cases) != 0 || len(h.s.Batches) != 0 {
		t.Fatalf("pruned %+v, left %d cases %d batches", evs, len(h.s.Cases), len(h.s.Batches))
	}
}

// A hall restarted after a long pause lets its old cases go a bounded
// number at a time.
func TestPruneIsBounded(t *testing.T) {
	h := newFlowHall(t)
	for i := range pruneAtOnce + 3 {
		h.deliveredCase(t0.Add(time.Duration(i) * time.Second))
	}
	at := t0.AddDate(1, 0, 0)
	if evs := of[CasesPruned](h.due(at)); len(evs) != 1 || len(evs[0].Cases) != pruneAtOnce {
		t.Fatalf("first prune %d", len(evs))
	}
	if evs := of[CasesPruned](h.due(at.Add(time.Second))); len(evs) != 1 || len(evs[0].Cases) != 3 || len(h.s.Cases) != 0 {
		t.Fatalf("second prune %+v", evs)
	}
}

// The index is derived: a state restored from its snapshot decides the
// same as the one that applied the events, an old snapshot without the
// closing times included.
func TestIndexRebuiltFromSnapshot(t *testing.T) {
	h := newFlowHall(t)
	h.openItem(clock("2025-04-01", "10:00:00"), "JB")
	h.openItem(clock("2025-04-01", "10:00:00"), "TB")
	h.openItem(clock("2025-04-01", "10:00:00"), "LB")
	done := h.deliveredCase(clock("2025-04-01", "10:30:00"))
	h.must(clock("2025-04-01", "11:40:00"), SendBatch{Department: "scj", Actor: clerk})
	b, err := json.Marshal(h.s)
	if err != nil {
		t.Fatal(err)
	}
	var r State
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	r.Cases[done.ID].ClosedAt = time.Time{} // as a snapshot from before closing times
	r.Adopt()
	if !r.Cases[done.ID].ClosedAt.Equal(done.ClosedAt) {
		t.Fatalf("closing time from the timeline %v, want %v", r.Cases[done.ID].ClosedAt, done.ClosedAt)
	}
	for _, at := range []time.Time{clock("2025-04-01", "12:30:00"), clock("2025-04-03", "09:00:00"), clock("2025-08-01", "09:00:00")} {
		want, _ := json.Marshal(Due(h.s, h.set, at))
		got, _ := json.Marshal(Due(&r, h.set, at))
		if string(got) != string(want) || len(want) < 10 {
			t.Fatalf("at %v restored decides %s, want %s", at, got, want)
		}
	}
	if fmt.Sprint(ids(OpenCases(&r))) != fmt.Sprint(ids(OpenCases(h.s))) || len(OpenCases(&r)) != 3 {
		t.Fatalf("open %v", ids(OpenCases(&r)))
	}
}

func ids(ks []*Case) []string {
	var out []string
	for _, k := range ks {
		out = append(out, k.ID)
	}
	return out
}

// The acceptance deadline is counted once, at the receipt; a case opened
// before it was recorded is still deemed accepted on time.
func TestAskByCountedOnce(t *testing.T) {
	h := newFlowHall(t)
	k := h.openItem(t0, "GT")
	if !k.AskBy.Equal(h.set.SupplementBy(t0)) {
		t.Fatalf("ask by %v", k.AskBy)
	}
	old := h.openItem(t0, "GT")
	old.AskBy = time.Time{}
	if evs := of[CaseAccepted](Due(h.s, h.set, k.AskBy)); len(evs) != 0 {
		t.Fatalf("deemed on the day: %+v", evs)
	}
	if evs := of[CaseAccepted](Due(h.s, h.set, k.AskBy.Add(time.Second))); len(evs) != 2 {
		t.Fatalf("deemed %+v", evs)
	}
}
