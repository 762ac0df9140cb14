package cases

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

// ready opens a case with every material and takes it to its result made.
func (h *hall) ready(at time.Time) string {
	h.t.Helper()
	id := h.opened(at)
	h.must(at, Accept{Case: id, Actor: staff("d1")})
	h.must(at, Approve{Case: id, Actor: staff("d1")})
	h.must(at, MarkReady{Case: id, Actor: staff("d2")})
	return id
}

// readyFor is ready for another applicant.
func (h *hall) readyFor(at time.Time, idHash string) string {
	h.t.Helper()
	cmd := full()
	cmd.IDHash = idHash
	id := h.must(at, cmd)[0].(Opened).Case.ID
	h.must(at, Accept{Case: id, Actor: staff("d1")})
	h.must(at, Approve{Case: id, Actor: staff("d1")})
	h.must(at, MarkReady{Case: id, Actor: staff("d2")})
	return id
}

// stepsSince are the case's timeline steps from the n-th on, as type/staff.
func stepsSince(k *Case, n int) []string {
	out := []string{}
	for _, s := range k.Timeline[n:] {
		out = append(out, s.Type+"/"+s.Staff)
	}
	return out
}

func kindOf(err error) errs.Kind {
	if e, ok := errs.As(err); ok {
		return e.Kind
	}
	return ""
}

// The clerk chooses at the counter, or the applicant later on the status
// page with their ID number; the choice changes until the result is out
// of the hall's hands.
func TestChooseCollection(t *testing.T) {
	h := newHall(t)
	cmd := full()
	cmd.Collect, cmd.Address, cmd.Recipient = ChannelPost, "  台州市椒江区市府大道1号 ", "李四"
	id := h.must(t0, cmd)[0].(Opened).Case.ID
	k := h.s.Cases[id]
	if k.Collect != ChannelPost || k.Address != "台州市椒江区市府大道1号" || k.Recipient != "李四" {
		t.Fatalf("chosen at the counter %+v", k)
	}
	at := t0.Add(time.Hour)
	refused := []struct {
		cmd    ChooseCollection
		reason string
		kind   errs.Kind
	}{
		{ChooseCollection{Case: id, Channel: ChannelWindow}, "case_wrong_holder", errs.Unauthorized},
		{ChooseCollection{Case: id, Channel: ChannelWindow, IDHash: "h-2"}, "case_wrong_holder", errs.Unauthorized},
		{ChooseCollection{Case: "nope", Channel: ChannelWindow, IDHash: "h-1"}, "no_case", errs.NotFound},
		{ChooseCollection{Case: id, Channel: ChannelPost, Address: " ", IDHash: "h-1"}, "case_address_required", errs.Invalid},
		{ChooseCollection{Case: id, Channel: ChannelPost, Address: strings.Repeat("路", MaxAddress+1), IDHash: "h-1"}, "case_text_long", errs.Invalid},
		{ChooseCollection{Case: id, Channel: "drone", IDHash: "h-1"}, "case_channel", errs.Invalid},
	}
	for _, r := range refused {
		before := fmt.Sprintf("%+v", *k)
		if _, err := h.run(at, r.cmd); reason(err) != r.reason || kindOf(err) != r.kind {
			t.Errorf("%+v: %v, want %s %s", r.cmd, err, r.kind, r.reason)
		}
		if fmt.Sprintf("%+v", *k) != before {
			t.Errorf("%+v changed the case", r.cmd)
		}
	}
	// The applicant on the status page: the address goes with another way.
	evs := h.must(at, ChooseCollection{Case: id, Channel: ChannelLocker, Address: "ignored", IDHash: "h-1"})
	if c := evs[0].(CollectionChosen); c.Staff != "" || k.Collect != ChannelLocker || k.Address != "" || k.Recipient != "" ||
		k.Timeline[len(k.Timeline)-1] != (Step{Type: "case.collection", At: at}) {
		t.Fatalf("chosen on the status page %+v, %+v", c, k)
	}
	// A clerk, on the applicant's word, needs no ID number.
	h.must(at, ChooseCollection{Case: id, Channel: ChannelWindow, Actor: clerk})
	if k.Collect != ChannelWindow || k.Timeline[len(k.Timeline)-1].Staff != "c1" {
		t.Fatalf("chosen by the clerk %+v", k)
	}
	// Ready, still choosable; handed over, no more.
	h.must(at, Accept{Case: id, Actor: staff("d1")})
	h.must(at, Approve{Case: id, Actor: staff("d1")})
	h.must(at, MarkReady{Case: id, Actor: staff("d1")})
	h.must(at, ChooseCollection{Case: id, Channel: ChannelPost, Address: "椒江区", IDHash: "h-1"})
	h.must(at, Deliver{Case: id, Channel: ChannelPost, Courier: "EMS", Waybill: "1", Actor: clerk})
	if _, err := h.run(at, ChooseCollection{Case: id, Channel: ChannelWindow, IDHash: "h-1"}); reason(err) != "case_wrong_state" {
		t.Fatalf("a choice after the post: %v", err)
	}
	// A refused case has no result to collect.
	other := h.opened(at)
	h.must(at, Refuse{Case: other, Reason: "不符合条件", Actor: staff("d1")})
	if _, err := h.run(at, ChooseCollection{Case: other, Channel: ChannelWindow, IDHash: "h-1"}); reason(err) != "case_wrong_state" {
		t.Fatalf("a choice for a refused case: %v", err)
	}
}

// The counter's choice is checked as the applicant's is, and the SMS the
// edge sealed are kept by their keys, no others.
func TestOpenWithCollectionAndNotices(t *testing.T) {
	h := newHall(t)
	cmd := full()
	cmd.Collect = ChannelPost
	if _, err := h.run(t0, cmd); reason(err) != "case_address_required" || len(h.s.Cases) != 0 {
		t.Fatalf("post without an address: %v", err)
	}
	cmd.Collect, cmd.Notices = "", map[string]outbox.Queued{"case.other": {ID: "m0"}}
	if _, err := h.run(t0, cmd); err == nil || len(h.s.Cases) != 0 {
		t.Fatalf("an unknown notice: %v", err)
	}
	cmd.Notices = map[string]outbox.Queued{NoticeReady: {ID: "m1", Sealed: []byte("s1")}, NoticeRefused: {ID: "m2", Sealed: []byte("s2")}}
	id := h.must(t0, cmd)[0].(Opened).Case.ID
	cmd.Notices[NoticeReady] = outbox.Queued{ID: "changed"}
	if k := h.s.Cases[id]; k.Collect != "" || len(k.Notices) != 2 || k.Notices[NoticeReady].ID != "m1" {
		t.Fatalf("notices kept %+v", k.Notices)
	}
}

// pickupHall is newHall with a second pickup service and no ticket served
// at the output window.
func pickupHall(t *testing.T) *hall {
	h := newHall(t)
	h.qs = queue.NewSetup(queue.Setup{Location: sh, Services: []queue.Service{{Code: "A", Kind: queue.Intake},
		{Code: "P", Kind: queue.Pickup}, {Code: "Q", Kind: queue.Pickup}},
		Windows: []queue.WindowSetup{{ID: "1", Services: []string{"A"}}, {ID: "2", Services: []string{"P", "Q"}}}})
	return h
}

// At the kiosk, the ID number takes a 取件号 linked to the applicant's
// results waiting for the window: ready, chosen for the window or not at
// all, in no locker; none, and the kiosk says so.
func TestTakePickupLinksTheResultsForTheWindow(t *testing.T) {
	h := pickupHall(t)
	if _, err := h.run(t0, TakePickup{IDHash: "h-1"}); reason(err) != "case_none_ready" || kindOf(err) != errs.NotFound {
		t.Fatalf("nothing ready: %v", err)
	}
	plain := h.ready(t0)
	window := h.ready(t0)
	h.must(t0, ChooseCollection{Case: window, Channel: ChannelWindow, Actor: clerk})
	posted := h.ready(t0)
	h.must(t0, ChooseCollection{Case: posted, Channel: ChannelPost, Address: "椒江区", Actor: clerk})
	inLocker := h.ready(t0)
	h.apply(t0, InLocker{Case: ref(h.s.Cases[inLocker]), Comp: "L1/01", Staff: "c2"})
	h.opened(t0) // not ready
	h.readyFor(t0, "h-2")
	for _, bad := range []struct {
		cmd    TakePickup
		reason string
	}{
		{TakePickup{}, "case_id_required"},
		{TakePickup{IDHash: "h-1", Service: "A"}, "case_not_pickup_service"},
		{TakePickup{IDHash: "h-1", Service: "X"}, "no_service"},
		{TakePickup{IDHash: "h-9"}, "case_none_ready"},
	} {
		if _, err := h.run(t0, bad.cmd); reason(err) != bad.reason {
			t.Errorf("%+v: %v, want %s", bad.cmd, err, bad.reason)
		}
	}
	out, err := Decide(h.s, h.set, h.q, h.qs, TakePickup{IDHash: "h-1"}, h.env(t0))
	if err != nil {
		t.Fatal(err)
	}
	p := out.Events[0].(PickupTaken)
	want := []string{h.s.Cases[plain].Number, h.s.Cases[window].Number}
	var got []string
	for _, r := range p.Cases {
		got = append(got, r.Number)
	}
	if p.Service != "P" || p.Ticket == "" || out.Ticket != p.Ticket || !slices.Equal(got, want) {
		t.Fatalf("taken %+v, cases %v want %v", p, got, want)
	}
	out, err = Decide(h.s, h.set, h.q, h.qs, TakePickup{IDHash: "h-1", Service: "Q", Ticket: "mine"}, h.env(t0))
	if err != nil || out.Events[0].(PickupTaken).Service != "Q" || out.Ticket != "mine" {
		t.Fatalf("named service and ticket: %v %+v", err, out)
	}
	none := newHall(t)
	none.qs = queue.NewSetup(queue.Setup{Location: sh, Services: []queue.Service{{Code: "A", Kind: queue.Intake}},
		Windows: []queue.WindowSetup{{ID: "1", Services: []string{"A"}}}})
	none.ready(t0)
	if _, err := none.run(t0, TakePickup{IDHash: "h-1"}); reason(err) != "case_no_pickup_service" {
		t.Fatalf("a hall without output windows: %v", err)
	}
}

// The clerk at the output window sees the results of the 取件号 served
// there, hands over only those, and a manager may hand one over without.
func TestWindowHandsOverTheLinkedResults(t *testing.T) {
	h := newHall(t)
	a, b := h.ready(t0), h.ready(t0)
	other := h.ready(t0)
	if got := AtWindow(h.s, h.q, "2"); len(got) != 0 {
		t.Fatalf("nothing linked yet: %v", got)
	}
	h.apply(t0, PickupTaken{Ticket: "tp", Service: "P", Cases: []Ref{ref(h.s.Cases[b]), ref(h.s.Cases[a])}})
	got := AtWindow(h.s, h.q, "2")
	if len(got) != 2 || got[0].ID != a || got[1].ID != b || len(AtWindow(h.s, h.q, "1")) != 0 || AtWindow(h.s, h.q, "9") != nil {
		t.Fatalf("at window 2: %v", got)
	}
	if k := h.s.Cases[a]; k.PickupTicket != "tp" || k.Timeline[len(k.Timeline)-1].Type != "case.pickup" {
		t.Fatalf("linked %+v", k)
	}
	at := t0.Add(time.Hour)
	pickup := staff("c2")
	_, err := h.run(at, Deliver{Case: other, Channel: ChannelWindow, Window: "2", Signature: "张三", Actor: pickup})
	if reason(err) != "case_not_linked" {
		t.Fatalf("a result not linked: %v", err)
	}
	h.must(at, Deliver{Case: a, Channel: ChannelWindow, Window: "2", Signature: "张三", Actor: pickup})
	if got := AtWindow(h.s, h.q, "2"); len(got) != 1 || got[0].ID != b {
		t.Fatalf("after one handed over: %v", got)
	}
	// The window serving nobody hands over nothing.
	h.q.Windows["2"].State, h.q.Windows["2"].Current = queue.Idle, ""
	if got := AtWindow(h.s, h.q, "2"); got != nil {
		t.Fatalf("an idle window: %v", got)
	}
	if _, err := h.run(at, Deliver{Case: b, Channel: ChannelWindow, Window: "2", Signature: "张三", Actor: pickup}); reason(err) != "case_not_serving" {
		t.Fatalf("an idle window hands over: %v", err)
	}
	// A manager's word: no 取件号, the delivery says so.
	mgr := room.Actor{Staff: "m1", Role: room.Manager}
	evs := h.must(at, Deliver{Case: other, Channel: ChannelWindow, Signature: "王五（代领）", Actor: mgr})
	if d := evs[0].(Delivered); !d.Unlinked || d.Signature != "王五（代领）" || h.s.Cases[other].Status != Closed {
		t.Fatalf("a manager's delivery %+v", d)
	}
	if _, err := h.run(at, Deliver{Case: b, Channel: ChannelWindow, Window: "9", Signature: "张三", Actor: mgr}); reason(err) != "no_window" {
		t.Fatalf("a manager at no window: %v", err)
	}
}
