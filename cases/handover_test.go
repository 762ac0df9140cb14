package cases

import (
	"slices"
	"testing"
	"time"

	"hallfloor/calendar"
	"hallfloor/calendar/calendartest"
	"hallfloor/room"
)

// A 即办件's materials are due 10 minutes after the receipt; a 承诺件's by
// the end of the session it was received in, or of the next one when it
// was received outside the sessions; the demo's always-open hall by the
// end of the day; a 同城通办 case is posted instead.
func TestHandoverBy(t *testing.T) {
	set := flowSetup(calendartest.WorkWeek())
	open := flowSetup(&calendar.Calendar{Location: sh, AlwaysOpen: true})
	tests := []struct {
		name     string
		set      *Setup
		item     string
		received time.Time
		want     time.Time
	}{
		{"即办件", set, "JB", clock("2025-04-01", "10:00:00"), clock("2025-04-01", "10:10:00")},
		{"即办件 in overtime", set, "JB", clock("2025-04-01", "17:50:00"), clock("2025-04-01", "18:00:00")},
		{"承诺件 in the morning", set, "GT", clock("2025-04-01", "10:00:00"), clock("2025-04-01", "12:00:00")},
		{"承诺件 in the afternoon", set, "GT", clock("2025-04-01", "14:00:00"), clock("2025-04-01", "17:30:00")},
		{"承诺件 at lunch time", set, "GT", clock("2025-04-01", "12:10:00"), clock("2025-04-01", "17:30:00")},
		{"承诺件 in the evening's overtime", set, "GT", clock("2025-04-01", "17:45:00"), clock("2025-04-02", "12:00:00")},
		{"承诺件 before 清明: the next working morning", set, "GT", clock("2025-04-03", "17:45:00"), clock("2025-04-07", "12:00:00")},
		{"always open: the end of the day", open, "GT", clock("2025-04-01", "10:00:00"), clock("2025-04-01", "23:59:59")},
		{"同城通办", set, "TB", clock("2025-04-01", "10:00:00"), time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.set.HandoverBy(tc.set.Item(tc.item), tc.received); !got.Equal(tc.want) {
				t.Fatalf("handover by %v, want %v", got, tc.want)
			}
		})
	}
}

// A batch takes every case of the department not handed over, numbered in
// the day, and lists their 办件编号; the department's contact signs for it.
func TestBatchSentAndSigned(t *testing.T) {
	h := newFlowHall(t)
	a := h.openItem(clock("2025-04-01", "09:30:00"), "GT")
	b := h.openItem(clock("2025-04-01", "10:00:00"), "GT")
	other := h.openItem(clock("2025-04-01", "10:00:00"), "DJ")
	cross := h.openItem(clock("2025-04-01", "10:00:00"), "TB")
	at := clock("2025-04-01", "11:40:00")
	evs := h.must(at, SendBatch{Department: "scj", Actor: clerk})
	sent := evs[0].(BatchSent)
	if len(evs) != 1 || sent.Number != "J20250401-01" || sent.Department != "scj" || sent.Staff != "c1" ||
		!slices.Equal(sent.Cases, []Ref{ref(a), ref(b)}) {
		t.Fatalf("sent %+v", evs)
	}
	if a.Batch != sent.Batch || b.Batch != sent.Batch || other.Batch != "" || cross.Batch != "" {
		t.Fatalf("batches %q %q %q %q", a.Batch, b.Batch, other.Batch, cross.Batch)
	}
	bt := h.s.Batches[sent.Batch]
	if bt == nil || !bt.SentAt.Equal(at) || bt.SentBy != "c1" || !bt.SignedAt.IsZero() || len(UnsignedBatches(h.s)) != 1 {
		t.Fatalf("batch %+v", bt)
	}
	for _, r := range []struct {
		cmd    Command
		reason string
	}{
		{SignBatch{Batch: sent.Batch, Actor: staff("e1")}, "case_not_department"},
		{SignBatch{Batch: sent.Batch, Actor: clerk}, "case_not_department"},
		{SignBatch{Batch: sent.Batch}, "sign_in_required"},
		{SignBatch{Batch: "nope", Actor: staff("d1")}, "no_batch"},
		// Nothing left to hand over: the next batch would be empty.
		{SendBatch{Department: "scj", Actor: clerk}, "case_batch_empty"},
	} {
		if _, err := h.run(at, r.cmd); reason(err) != r.reason {
			t.Errorf("%+v: %v, want %s", r.cmd, err, r.reason)
		}
	}
	signed := clock("2025-04-01", "11:50:00")
	h.must(signed, SignBatch{Batch: sent.Batch, Actor: staff("d2")})
	if !bt.SignedAt.Equal(signed) || bt.SignedBy != "d2" || len(UnsignedBatches(h.s)) != 0 {
		t.Fatalf("signed %+v", bt)
	}
	if _, err := h.run(signed, SignBatch{Batch: sent.Batch, Actor: staff("d1")}); reason(err) != "case_batch_signed" {
		t.Fatalf("signed twice: %v", err)
	}
	want := []string{"case.opened/c1", "case.batch_sent/c1", "case.batch_signed/d2"}
	if !slices.Equal(stepTypes(a), want) {
		t.Fatalf("timeline %v", stepTypes(a))
	}
	// The day's next batch is numbered next.
	h.openItem(clock("2025-04-01", "14:00:00"), "GT")
	next := h.must(clock("2025-04-01", "17:10:00"), SendBatch{Department: "scj", Actor: clerk})[0].(BatchSent)
	if next.Number != "J20250401-02" || len(next.Cases) != 1 {
		t.Fatalf("next batch %+v", next)
	}
}

// 承诺件 in time alone wait for a session's last half hour; a 即办件 or a
// late case goes at any time and takes the 承诺件 waiting along; a guide
// carries no materials.
func TestBatchWindow(t *testing.T) {
	tests := []struct {
		name     string
		items    []string
		received time.Time // 10:00 when zero
		at       time.Time
		actor    room.Actor
		reason   string
		cases    int
	}{
		{name: "承诺件 in the morning's last half hour", items: []string{"GT"}, at: clock("2025-04-01", "11:30:00"), cases: 1},
		{name: "承诺件 at the session's last minute", items: []string{"GT"}, at: clock("2025-04-01", "11:59:00"), cases: 1},
		{name: "承诺件 too early", items: []string{"GT"}, at: clock("2025-04-01", "11:29:00"), reason: "case_batch_window"},
		{name: "承诺件 in time at lunch", items: []string{"GT"}, received: clock("2025-04-01", "12:05:00"), at: clock("2025-04-01", "12:10:00"), reason: "case_batch_window"},
		{name: "承诺件 late from the morning at lunch", items: []string{"GT"}, at: clock("2025-04-01", "12:10:00"), cases: 1},
		{name: "即办件 at any time, 承诺件 along", items: []string{"GT", "JB"}, at: clock("2025-04-01", "10:05:00"), cases: 2},
		{name: "a guide", items: []string{"JB"}, at: clock("2025-04-01", "10:05:00"), actor: room.Actor{Staff: "g1", Role: room.Guide}, reason: "case_hall_staff"},
		{name: "nobody", items: []string{"JB"}, at: clock("2025-04-01", "10:05:00"), actor: room.Actor{}, reason: "sign_in_required"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newFlowHall(t)
			received := tc.received
			if received.IsZero() {
				received = clock("2025-04-01", "10:00:00")
			}
			for _, it := range tc.items {
				h.openItem(received, it)
			}
			a := clerk
			if tc.reason == "case_hall_staff" || tc.reason == "sign_in_required" {
				a = tc.actor
			}
			evs, err := h.run(tc.at, SendBatch{Department: "scj", Actor: a})
			if tc.reason != "" {
				if reason(err) != tc.reason || len(h.s.Batches) != 0 {
					t.Fatalf("err %v, batches %d", err, len(h.s.Batches))
				}
				return
			}
			if err != nil || len(evs[0].(BatchSent).Cases) != tc.cases {
				t.Fatalf("err %v, sent %+v", err, evs)
			}
		})
	}
	h := newFlowHall(t)
	if _, err := h.run(t0, SendBatch{Department: "nope", Actor: clerk}); reason(err) != "no_department" {
		t.Fatalf("unknown department: %v", err)
	}
	// The demo's always-open hall batches at any time.
	h.set = flowSetup(&calendar.Calendar{Location: sh, AlwaysOpen: true})
	h.openItem(t0, "GT")
	if _, err := h.run(t0.Add(time.Minute), SendBatch{Department: "scj", Actor: clerk}); err != nil {
		t.Fatalf("always open: %v", err)
	}
}

// A case's materials late and a batch unsigned too long are each reported
// once; a handed-over case is not.
func TestHandoverLateOnce(t *testing.T) {
	h := newFlowHall(t)
	jb := h.openItem(clock("2025-04-01", "10:00:00"), "JB")
	gt := h.openItem(clock("2025-04-01", "10:00:00"), "GT")
	if evs := of[HandoverLate](h.due(clock("2025-04-01", "10:10:00"))); len(evs) != 0 {
		t.Fatalf("late on the minute: %+v", evs)
	}
	evs := of[HandoverLate](h.due(clock("2025-04-01", "10:10:01")))
	if len(evs) != 1 || evs[0].Case.ID != jb.ID || evs[0].Department != "scj" || !jb.HandoverLate || !jb.HandoverOwed() {
		t.Fatalf("即办件 late %+v", evs)
	}
	if evs := of[HandoverLate](h.due(clock("2025-04-01", "11:00:00"))); len(evs) != 0 {
		t.Fatalf("late twice: %+v", evs)
	}
	sent := h.must(clock("2025-04-01", "11:35:00"), SendBatch{Department: "scj", Actor: clerk})[0].(BatchSent)
	if jb.HandoverOwed() || len(sent.Cases) != 2 {
		t.Fatalf("handed over late, still owed: %+v", jb)
	}
	if evs := of[HandoverLate](h.due(clock("2025-04-01", "12:00:01"))); len(evs) != 0 || gt.HandoverLate {
		t.Fatalf("承诺件 handed over in time reported: %+v", evs)
	}
	if evs := of[BatchUnsigned](h.due(clock("2025-04-01", "12:05:00"))); len(evs) != 0 {
		t.Fatalf("unsigned after 30 min: %+v", evs)
	}
	un := of[BatchUnsigned](h.due(clock("2025-04-01", "12:05:01")))
	if len(un) != 1 || un[0].Number != "J20250401-01" || !h.s.Batches[sent.Batch].Late {
		t.Fatalf("unsigned %+v", un)
	}
	if evs := of[BatchUnsigned](h.due(clock("2025-04-01", "13:00:00"))); len(evs) != 0 {
		t.Fatalf("unsigned twice: %+v", evs)
	}
	// A 承诺件 not handed over by its session's end.
	late := h.openItem(clock("2025-04-01", "14:00:00"), "GT")
	if evs := of[HandoverLate](h.due(clock("2025-04-01", "17:30:00"))); len(evs) != 0 {
		t.Fatalf("late at the end: %+v", evs)
	}
	if evs := of[HandoverLate](h.due(clock("2025-04-01", "17:30:01"))); len(evs) != 1 || evs[0].Case.ID != late.ID ||
		!evs[0].Due.Equal(clock("2025-04-01", "17:30:00")) {
		t.Fatalf("承诺件 late %+v", evs)
	}
}
