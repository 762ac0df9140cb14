package cases

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"hallfloor/locker"
	"hallfloor/outbox"
	"hallfloor/room"
)

func payloadTypes(ps []room.Payload) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Type())
	}
	return out
}

func proofsLate(ps []room.Payload) []ProofLate {
	var out []ProofLate
	for _, p := range ps {
		if l, ok := p.(ProofLate); ok {
			out = append(out, l)
		}
	}
	return out
}

// A posted result's 签收 is due back within one working day of the post,
// counted on the hall's calendar; without it the hall says so once, and
// the receipt recorded late still closes the case.
func TestPostWithoutReceiptIsReportedOnce(t *testing.T) {
	tests := []struct {
		name   string
		posted time.Time
		onTime time.Time // the last moment without a report
		late   time.Time
	}{
		{"Tuesday, due Wednesday", t0, time.Date(2025, 4, 2, 23, 59, 59, 0, sh), time.Date(2025, 4, 3, 0, 0, 1, 0, sh)},
		// Thursday: 清明 (Friday) and the weekend do not count.
		{"Thursday, due Monday", time.Date(2025, 4, 3, 15, 0, 0, 0, sh), time.Date(2025, 4, 7, 23, 59, 59, 0, sh), time.Date(2025, 4, 8, 9, 0, 0, 0, sh)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHall(t)
			id := h.ready(t0)
			h.must(t0, ChooseCollection{Case: id, Channel: ChannelPost, Address: "椒江区", Actor: clerk})
			h.must(tc.posted, Deliver{Case: id, Channel: ChannelPost, Courier: "EMS", Waybill: "9", Actor: clerk})
			if got := proofsLate(Due(h.s, h.set, tc.onTime)); len(got) != 0 {
				t.Fatalf("reported on time: %+v", got)
			}
			got := proofsLate(Due(h.s, h.set, tc.late))
			if len(got) != 1 || got[0].Case.ID != id || got[0].Department != "scj" || !got[0].Due.Equal(tc.onTime) {
				t.Fatalf("late %+v", got)
			}
			h.apply(tc.late, got[0])
			k := h.s.Cases[id]
			if !k.ProofLate || k.Status != Posted || k.Timeline[len(k.Timeline)-1] != (Step{Type: "case.proof_late", At: tc.late}) {
				t.Fatalf("reported %+v", k)
			}
			if again := proofsLate(Due(h.s, h.set, tc.late.AddDate(0, 0, 3))); len(again) != 0 {
				t.Fatalf("reported twice: %+v", again)
			}
			if l := ProofsLate(h.s); len(l) != 1 || l[0].ID != id {
				t.Fatalf("late list %v", l)
			}
			h.must(tc.late, RecordReceipt{Case: id, Actor: clerk})
			if k.Status != Closed || len(ProofsLate(h.s)) != 0 {
				t.Fatalf("received late %+v", k)
			}
		})
	}
}

// A window's or a locker's 送达凭证 goes back with the delivery: nothing is
// reported for them.
func TestElectronicProofsAreNeverLate(t *testing.T) {
	h := newHall(t)
	id := h.ready(t0)
	h.apply(t0, PickupTaken{Ticket: "tp", Service: "P", Cases: []Ref{ref(h.s.Cases[id])}})
	h.must(t0, Deliver{Case: id, Channel: ChannelWindow, Window: "2", Signature: "张三", Actor: staff("c2")})
	if evs := Due(h.s, h.set, t0.AddDate(0, 0, 30)); len(evs) != 0 {
		t.Fatalf("due after a window's delivery: %v", payloadTypes(evs))
	}
}

// A deposit naming a case of the hall goes in only as the case allows; one
// naming none is the lockers' business.
func TestDepositForACase(t *testing.T) {
	h := newHall(t)
	readyID := h.ready(t0)
	ready := h.s.Cases[readyID]
	open := h.s.Cases[h.opened(t0)]
	window := h.s.Cases[h.ready(t0)]
	h.must(t0, ChooseCollection{Case: window.ID, Channel: ChannelWindow, Actor: clerk})
	item := func(c string, idHash string) locker.Item { return locker.Item{Case: c, IDHash: idHash} }
	tests := []struct {
		name   string
		item   locker.Item
		reason string
	}{
		{"no case of the hall", item("外单位-001", "x"), ""},
		{"ready, no choice", item(" "+ready.Number+" ", "h-1"), ""},
		{"by the case's id", item(ready.ID, "h-1"), "case_locker_number"},
		{"not ready", item(open.Number, "h-1"), "case_not_ready"},
		{"chosen for the window", item(window.Number, "h-1"), "case_chosen_window"},
		{"another's ID number", item(ready.Number, "h-2"), "case_locker_holder"},
	}
	for _, tc := range tests {
		if err := CheckDeposit(h.s, tc.item); reason(err) != tc.reason {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.reason)
		}
	}
	h.must(t0, ChooseCollection{Case: window.ID, Channel: ChannelLocker, Actor: clerk})
	if err := CheckDeposit(h.s, item(window.Number, "h-1")); err != nil {
		t.Fatalf("chosen for a locker: %v", err)
	}
	h.apply(t0, InLocker{Case: ref(ready), Comp: "L1/01", Staff: "c2"})
	if err := CheckDeposit(h.s, item(ready.Number, "h-1")); reason(err) != "case_in_locker" {
		t.Fatalf("in a locker already: %v", err)
	}
}

// The lockers' events move a case: stored, it is in the locker; taken out
// by its applicant, delivered with the pickup as its proof, and closed;
// taken back by a clerk, it waits for the window again. Events for other
// compartments or cases change nothing.
func TestLockerEventsMoveTheCase(t *testing.T) {
	h := newHall(t)
	id := h.ready(t0)
	k := h.s.Cases[id]
	open := h.s.Cases[h.opened(t0)]
	ev := func(p room.Payload) []room.Event { return []room.Event{{At: t0, Data: p}} }
	stored := func(c, idHash string) room.Payload {
		return locker.Stored{Comp: "L1/01", Item: locker.Item{Kind: locker.Result, Case: c, IDHash: idHash, Clerk: "c2"}}
	}
	for _, p := range []room.Payload{stored(open.Number, "h-1"), stored("外单位-001", "h-1"), stored(k.Number, "h-2"),
		locker.Stored{Comp: "L1/01", Item: locker.Item{Kind: locker.Dropoff, Case: k.Number, IDHash: "h-1"}},
		locker.PickedUp{Comp: "L1/01", Case: k.Number}} {
		if got := React(h.s, ev(p)); len(got) != 0 {
			t.Errorf("%+v: %v", p, payloadTypes(got))
		}
	}
	got := React(h.s, ev(stored(k.Number, "h-1")))
	if in, ok := got[0].(InLocker); len(got) != 1 || !ok || in.Comp != "L1/01" || in.Staff != "c2" || in.Case.ID != id {
		t.Fatalf("stored: %+v", got)
	}
	h.apply(t0, got...)
	if k.Locker != "L1/01" || len(AtWindow(h.s, h.q, "2")) != 0 {
		t.Fatalf("in the locker %+v", k)
	}
	if _, err := h.run(t0, Deliver{Case: id, Channel: ChannelWindow, Window: "2", Signature: "张三", Actor: staff("c2")}); reason(err) != "case_in_locker" {
		t.Fatalf("handed over at the window from the locker: %v", err)
	}
	if _, err := h.run(t0, ChooseCollection{Case: id, Channel: ChannelPost, Address: "椒江区", IDHash: "h-1"}); reason(err) != "case_in_locker" {
		t.Fatalf("a choice while in the locker: %v", err)
	}
	// Taken back by a clerk, stored again.
	back := React(h.s, ev(locker.Retrieved{Comp: "L1/01", Case: k.Number, Clerk: "c3"}))
	if len(back) != 1 || back[0].(OutOfLocker).Staff != "c3" {
		t.Fatalf("retrieved: %v", payloadTypes(back))
	}
	h.apply(t0, back...)
	if k.Locker != "" || k.Collect != ChannelWindow || !k.ForWindow() {
		t.Fatalf("still in the locker %+v", k)
	}
	if err := CheckDeposit(h.s, locker.Item{Case: k.Number, IDHash: "h-1"}); reason(err) != "case_chosen_window" {
		t.Fatalf("into a locker again unasked: %v", err)
	}
	h.must(t0, ChooseCollection{Case: id, Channel: ChannelLocker, Actor: clerk})
	h.apply(t0, React(h.s, ev(locker.Stored{Comp: "L1/02", Item: locker.Item{Kind: locker.Result, Case: k.Number, IDHash: "h-1", Clerk: "c2"}}))...)
	if got := React(h.s, ev(locker.PickedUp{Comp: "L1/01", Case: k.Number})); len(got) != 0 {
		t.Fatalf("a pickup from another compartment: %v", payloadTypes(got))
	}
	at := t0.Add(time.Hour)
	steps := len(k.Timeline)
	got = React(h.s, []room.Event{{At: at, Data: locker.PickedUp{Comp: "L1/02", Case: k.Number, Name: "张三", Clerk: "c2"}}})
	h.apply(at, got...)
	if d := got[0].(Delivered); d.Channel != ChannelLocker || d.Locker != "L1/02" || k.Status != Closed || k.Delivery != "L1/02" ||
		!k.ProofAt.Equal(at) || k.Locker != "" || !slices.Equal(stepsSince(k, steps), []string{"case.delivered/", "case.proof/", "case.closed/"}) {
		t.Fatalf("picked up %+v, %+v", d, k)
	}
	if again := React(h.s, []room.Event{{At: at, Data: locker.PickedUp{Comp: "L1/02", Case: k.Number}}}); len(again) != 0 {
		t.Fatalf("delivered twice: %v", payloadTypes(again))
	}
}

// What the output keeps on a case survives a snapshot.
func TestOutputSurvivesASnapshot(t *testing.T) {
	h := newHall(t)
	cmd := full()
	cmd.Collect, cmd.Address = ChannelPost, "椒江区"
	cmd.Notices = map[string]outbox.Queued{NoticeReady: {ID: "m1", Sealed: []byte("s")}}
	id := h.must(t0, cmd)[0].(Opened).Case.ID
	h.must(t0, Accept{Case: id, Actor: staff("d1")})
	h.must(t0, Approve{Case: id, Actor: staff("d1")})
	h.must(t0, MarkReady{Case: id, Actor: staff("d1")})
	h.apply(t0, PickupTaken{Ticket: "tp", Service: "P", Cases: []Ref{ref(h.s.Cases[id])}})
	h.must(t0, Deliver{Case: id, Channel: ChannelPost, Courier: "EMS", Waybill: "9", Actor: clerk})
	h.apply(t0.AddDate(0, 0, 3), ProofLate{Case: ref(h.s.Cases[id])})
	b, err := json.Marshal(h.s)
	if err != nil {
		t.Fatal(err)
	}
	var r State
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	r.Adopt()
	got := r.Cases[id]
	again, _ := json.Marshal(got)
	want, _ := json.Marshal(h.s.Cases[id])
	if string(again) != string(want) || got.Notices[NoticeReady].ID != "m1" || got.Status != Posted || !got.ProofLate || got.PickupTicket != "tp" {
		t.Fatalf("restored %s\nwant %s", again, want)
	}
}
