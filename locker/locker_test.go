package locker

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/room"
)

var t0 = time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)

func testSetup() *Setup {
	s := Setup{Banks: []BankSetup{{ID: "A", Name: "一号柜", Compartments: []CompartmentSetup{
		{ID: "01", Size: Small}, {ID: "02", Size: Small}, {ID: "03", Size: Medium}, {ID: "04", Size: Large},
	}}}}.WithDefaults()
	return &s
}

// hall drives the lockers the way the engine does: decide, then apply every
// event (also those of a refused command), keeping the journal.
type hall struct {
	t       *testing.T
	setup   *Setup
	state   *State
	box     *outbox.State
	now     time.Time
	journal []journaled
}

type journaled struct {
	at time.Time
	p  Payload
}

func newHall(t *testing.T) *hall {
	setup := testSetup()
	return &hall{t: t, setup: setup, state: NewState(setup), box: outbox.New(), now: t0}
}

func (h *hall) do(cmd Command) ([]Payload, error) {
	evs, err := Decide(h.state, h.setup, cmd, h.now)
	for _, e := range evs {
		h.apply(h.now, e)
	}
	return evs, err
}

func (h *hall) apply(at time.Time, e Payload) {
	h.journal = append(h.journal, journaled{at, e})
	if q, ok := e.(outbox.Queued); ok {
		h.box.Apply(at, q)
		return
	}
	h.state.Apply(at, e)
}

func (h *hall) must(cmd Command) []Payload {
	h.t.Helper()
	evs, err := h.do(cmd)
	if err != nil {
		h.t.Fatalf("%T: %v", cmd, err)
	}
	return evs
}

func types(evs []Payload) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.Type())
	}
	return out
}

func item(caseNo, id, code string) Item {
	return Item{Case: caseNo, What: "营业执照", Name: "张三", IDHash: id, TailHash: "tail-" + id, CodeHash: code, Clerk: "1001"}
}

// deposit runs a whole sensor-confirmed deposit and returns the compartment.
func (h *hall) deposit(size Size, it Item) string {
	h.t.Helper()
	it.OverdueNotice = &outbox.Queued{ID: "late-" + it.Case, Purpose: "locker.overdue", Sealed: []byte("y")}
	evs := h.must(Deposit{Size: size, Item: it, Notice: &outbox.Queued{ID: "sms-" + it.Case, Purpose: "locker.code", Sealed: []byte("x")}})
	comp := evs[0].(Released).Comp
	h.must(DoorChanged{Comp: comp, Open: true})
	h.must(DoorChanged{Comp: comp, Open: false})
	return comp
}

func TestAllocation(t *testing.T) {
	tests := []struct {
		name    string
		setup   func(h *hall)
		size    Size
		want    string
		wantErr errs.Kind
	}{
		{"smallest that fits", nil, Small, "A/01", ""},
		{"medium goes to medium", nil, Medium, "A/03", ""},
		{"small spills into larger when smalls are full", func(h *hall) {
			h.deposit(Small, item("c1", "id1", "k1"))
			h.deposit(Small, item("c2", "id2", "k2"))
		}, Small, "A/03", ""},
		{"out of service is skipped", func(h *hall) {
			h.must(SetService{Comp: "A/01", Out: true, Reason: "锁坏了", Clerk: "1001"})
		}, Small, "A/02", ""},
		{"a compartment being opened is not free", func(h *hall) {
			h.must(Deposit{Size: Small, Item: item("c1", "id1", "k1")})
		}, Small, "A/02", ""},
		{"full bank", func(h *hall) {
			for i, s := range []Size{Small, Small, Medium, Large} {
				h.deposit(s, item(string(rune('a'+i)), "id", "k"))
			}
		}, Small, "", errs.Conflict},
		{"large does not fit medium", func(h *hall) {
			h.deposit(Large, item("c1", "id1", "k1"))
		}, Large, "", errs.Conflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHall(t)
			if tt.setup != nil {
				tt.setup(h)
			}
			evs, err := h.do(Deposit{Size: tt.size, Item: item("new", "idn", "kn")})
			if tt.wantErr != "" {
				if !errs.Is(tt.wantErr, err) || len(evs) != 0 {
					t.Fatalf("got %v %v, want a %s error and no events", evs, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := evs[0].(Released).Comp; got != tt.want {
				t.Errorf("allocated %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDepositIsStoredOnlyWhenTheDoorCloses(t *testing.T) {
	h := newHall(t)
	evs := h.must(Deposit{Size: Small, Item: item("c1", "id1", "code1"), Notice: &outbox.Queued{ID: "m1", Sealed: []byte("s")}})
	comp := evs[0].(Released).Comp
	c := h.state.Compartments[comp]
	if c.Status != Free || c.Item != nil || len(h.box.Pending) != 0 {
		t.Fatalf("before the door closes nothing is stored nor sent: %+v, outbox %d", c, len(h.box.Pending))
	}
	if got := types(h.must(DoorChanged{Comp: comp, Open: true})); !reflect.DeepEqual(got, []string{"locker.door_opened"}) {
		t.Fatalf("door open after release = %v", got)
	}
	// A repeated sensor report changes nothing.
	if evs := h.must(DoorChanged{Comp: comp, Open: true}); len(evs) != 0 {
		t.Fatalf("repeated report gave %v", types(evs))
	}
	got := types(h.must(DoorChanged{Comp: comp, Open: false}))
	if !reflect.DeepEqual(got, []string{"locker.stored", "outbox.queued"}) {
		t.Fatalf("door closed after deposit = %v", got)
	}
	if c.Status != Occupied || c.Item.Case != "c1" || !c.Item.Deadline.Equal(t0.Add(7*24*time.Hour)) {
		t.Errorf("stored item = %+v", c.Item)
	}
	if len(h.box.Pending) != 1 {
		t.Errorf("the code SMS should be queued, outbox = %v", h.box.Pending)
	}
}

func TestPickup(t *testing.T) {
	h := newHall(t)
	comp := h.deposit(Small, item("c1", "id1", "code1"))

	// A wrong code and a wrong ID give the same answer.
	_, e1 := h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "wrong"})
	_, e2 := h.do(Pickup{Bank: "A", Who: "someone", CodeHash: "code1"})
	if e1 == nil || e2 == nil || e1.Error() != e2.Error() || errs.ReasonOf(e1) != "pickup_wrong" {
		t.Fatalf("wrong code %v and wrong ID %v must fail alike", e1, e2)
	}
	evs := h.must(Pickup{Bank: "A", Who: "id1", CodeHash: "code1"})
	if r := evs[0].(Released); r.Comp != comp || r.Purpose != ForPickup {
		t.Fatalf("pickup released %+v", r)
	}
	if h.state.Compartments[comp].Status != Occupied {
		t.Fatal("the item stays until the door opens and closes")
	}
	h.must(DoorChanged{Comp: comp, Open: true})
	evs = h.must(DoorChanged{Comp: comp, Open: false})
	rec, ok := evs[0].(PickedUp)
	if !ok || rec.Case != "c1" || rec.Clerk != "1001" || rec.Name != "张三" {
		t.Fatalf("receipt = %+v", evs)
	}
	if c := h.state.Compartments[comp]; c.Status != Free || c.Item != nil {
		t.Errorf("after pickup the compartment is free: %+v", c)
	}
	// The code is one-time.
	if _, err := h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "code1"}); err == nil {
		t.Error("a used code opened again")
	}
}

func TestPickupByLastSixDigits(t *testing.T) {
	h := newHall(t)
	h.deposit(Small, item("c1", "id1", "code1"))
	if _, err := h.do(Pickup{Bank: "A", Who: "tail-id1", ByTail: true, CodeHash: "code1"}); err != nil {
		t.Fatal(err)
	}
}

func TestWrongCodeLockout(t *testing.T) {
	h := newHall(t)
	h.deposit(Small, item("c1", "id1", "code1"))
	for i := 1; i <= 5; i++ {
		evs, err := h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "bad"})
		if !errs.Is(errs.Unauthorized, err) {
			t.Fatalf("try %d: %v", i, err)
		}
		f := evs[0].(PickupFailed)
		if f.Tries != i || f.Until.IsZero() != (i < 5) {
			t.Fatalf("try %d recorded %+v; the fifth locks", i, f)
		}
		h.now = h.now.Add(time.Second)
	}
	// Locked: even the right code is refused, and nothing is recorded.
	evs, err := h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "code1"})
	if !errs.Is(errs.Forbidden, err) || len(evs) != 0 {
		t.Fatalf("locked out pickup = %v %v", evs, err)
	}
	// Another person at the same panel is not locked.
	if _, err := h.do(Pickup{Bank: "A", Who: "id2", CodeHash: "x"}); !errs.Is(errs.Unauthorized, err) {
		t.Fatalf("other ID = %v", err)
	}
	h.now = h.now.Add(15 * time.Minute)
	if _, err := h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "code1"}); err != nil {
		t.Fatalf("after the lockout the right code opens: %v", err)
	}
}

func TestOldMistakesDoNotAddUp(t *testing.T) {
	h := newHall(t)
	h.deposit(Small, item("c1", "id1", "code1"))
	for i := 0; i < 4; i++ {
		h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "bad"})
	}
	h.now = h.now.Add(time.Hour)
	evs, _ := h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "bad"})
	if f := evs[0].(PickupFailed); f.Tries != 1 || !f.Until.IsZero() {
		t.Errorf("a mistake an hour later starts a new count: %+v", f)
	}
}

func TestDoorOpenedWithoutCommandIsAnAlarm(t *testing.T) {
	h := newHall(t)
	comp := h.deposit(Small, item("c1", "id1", "code1"))
	got := types(h.must(DoorChanged{Comp: comp, Open: true}))
	if !reflect.DeepEqual(got, []string{"locker.alarm"}) {
		t.Fatalf("forced door = %v", got)
	}
	got = types(h.must(DoorChanged{Comp: comp, Open: false}))
	if !reflect.DeepEqual(got, []string{"locker.door_closed"}) {
		t.Fatalf("closing a forced door = %v", got)
	}
	if h.state.Compartments[comp].Status != Occupied {
		t.Error("a forced door does not count as a pickup")
	}
}

func TestChecks(t *testing.T) {
	h := newHall(t)
	comp := h.deposit(Small, item("c1", "id1", "code1"))
	// Released for pickup, but the door never opens.
	h.must(Pickup{Bank: "A", Who: "id1", CodeHash: "code1"})
	h.now = h.now.Add(time.Minute)
	if got := types(h.must(Check{})); !reflect.DeepEqual(got, []string{"locker.unconfirmed"}) {
		t.Fatalf("unanswered release = %v", got)
	}
	if h.state.Compartments[comp].Item == nil {
		t.Fatal("an unconfirmed pickup keeps the item")
	}
	// A door left open.
	h.must(Retrieve{Comp: comp, Clerk: "1002"})
	h.must(DoorChanged{Comp: comp, Open: true})
	h.now = h.now.Add(3 * time.Minute)
	if got := types(h.must(Check{})); !reflect.DeepEqual(got, []string{"locker.left_open"}) {
		t.Fatalf("door left open = %v", got)
	}
	if evs := h.must(Check{}); len(evs) != 0 {
		t.Fatalf("an alert is raised once, got %v", types(evs))
	}
	evs := h.must(DoorChanged{Comp: comp, Open: false})
	if r, ok := evs[0].(Retrieved); !ok || r.Clerk != "1002" {
		t.Fatalf("retrieval = %+v", evs)
	}
}

func TestExpiry(t *testing.T) {
	h := newHall(t)
	h.deposit(Small, item("c1", "id1", "code1"))
	h.now = t0.Add(7*24*time.Hour - time.Minute)
	if evs := h.must(Check{}); len(evs) != 0 {
		t.Fatalf("not yet overdue: %v", types(evs))
	}
	h.now = t0.Add(7*24*time.Hour + time.Minute)
	evs := h.must(Check{})
	if o, ok := evs[0].(Overdue); !ok || o.Clerk != "1001" || o.Case != "c1" {
		t.Fatalf("overdue = %+v", evs)
	}
	// The applicant's reminder, sealed at deposit, is queued with it.
	if len(evs) != 2 || evs[1].(outbox.Queued).ID != "late-c1" || h.box.Pending["late-c1"] == nil {
		t.Fatalf("overdue should queue the applicant's reminder: %v", types(evs))
	}
	if evs := h.must(Check{}); len(evs) != 0 {
		t.Fatalf("overdue is reported once: %v", types(evs))
	}
}

func TestDropoff(t *testing.T) {
	h := newHall(t)
	h.must(IssueDropoff{CodeHash: "d1", Case: "c9", Clerk: "1003", Size: Medium, What: "补充材料", IDHash: "id9", TailHash: "tail9"})
	if _, err := h.do(OpenDropoff{Bank: "A", Who: "id9", CodeHash: "nope"}); !errs.Is(errs.Unauthorized, err) {
		t.Fatalf("wrong drop-off code = %v", err)
	}
	// The code is the applicant's: with another ID number it does not open.
	if _, err := h.do(OpenDropoff{Bank: "A", Who: "id8", CodeHash: "d1"}); !errs.Is(errs.Unauthorized, err) {
		t.Fatalf("drop-off code with another ID = %v", err)
	}
	evs := h.must(OpenDropoff{Bank: "A", Who: "id9", CodeHash: "d1"})
	comp := evs[0].(Released).Comp
	if comp != "A/03" {
		t.Errorf("drop-off compartment = %s, want the medium A/03", comp)
	}
	h.must(DoorChanged{Comp: comp, Open: true})
	evs = h.must(DoorChanged{Comp: comp, Open: false})
	if r, ok := evs[0].(DropoffReceived); !ok || r.Clerk != "1003" || r.Case != "c9" {
		t.Fatalf("drop-off = %+v", evs)
	}
	if _, err := h.do(OpenDropoff{Bank: "A", Who: "id9", CodeHash: "d1"}); err == nil {
		t.Error("a drop-off code opens once")
	}
	h.must(Collect{Comp: comp, Clerk: "1003"})
	h.must(DoorChanged{Comp: comp, Open: true})
	if _, ok := h.must(DoorChanged{Comp: comp, Open: false})[0].(Collected); !ok {
		t.Fatal("collecting the papers frees the compartment")
	}
	if h.state.Compartments[comp].Status != Free {
		t.Error("compartment not free after collection")
	}
}

func TestReplaceCode(t *testing.T) {
	h := newHall(t)
	comp := h.deposit(Small, item("c1", "id1", "old"))
	h.must(ReplaceCode{Comp: comp, CodeHash: "new", Clerk: "1001", Notice: &outbox.Queued{ID: "m2"}})
	if _, err := h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "old"}); err == nil {
		t.Error("the old code still opens")
	}
	if _, err := h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "new"}); err != nil {
		t.Errorf("the new code: %v", err)
	}
}

func TestBadInputChangesNothing(t *testing.T) {
	h := newHall(t)
	comp := h.deposit(Small, item("c1", "id1", "code1"))
	before, _ := json.Marshal(h.state)
	for _, cmd := range []Command{
		Deposit{Size: "XL", Item: item("c", "i", "k")},
		Deposit{Size: Small, Item: Item{What: "x", IDHash: "i", CodeHash: "k"}},
		Deposit{Size: Small, Bank: "Z", Item: item("c", "i", "k")},
		DoorChanged{Comp: "A/99", Open: true},
		Retrieve{Comp: "A/02", Clerk: "1"},
		SetService{Comp: comp, Out: true, Reason: "x", Clerk: "1"},
		SetService{Comp: "A/02", Out: true, Clerk: "1"},
		IssueDropoff{CodeHash: "d", Size: Small},
		IssueDropoff{CodeHash: "d", Case: "c", Size: Small},
		OpenDropoff{Bank: "A", CodeHash: "d"},
	} {
		if evs, err := h.do(cmd); err == nil || len(evs) != 0 {
			t.Errorf("%T %+v: err %v, events %v", cmd, cmd, err, types(evs))
		}
	}
	after, _ := json.Marshal(h.state)
	if string(before) != string(after) {
		t.Error("refused commands changed the state")
	}
}

// TestReplayAfterCrashMidPickup replays the journal up to a crash between
// door open and door close: the rebuilt state says the door is open for a
// pickup, and the sensor's close, when it comes, completes it.
func TestReplayAfterCrashMidPickup(t *testing.T) {
	h := newHall(t)
	comp := h.deposit(Small, item("c1", "id1", "code1"))
	h.must(Pickup{Bank: "A", Who: "id1", CodeHash: "code1"})
	h.must(DoorChanged{Comp: comp, Open: true})

	// Encode and decode the journal as the engine does, into a fresh state.
	re := &hall{t: t, setup: h.setup, state: NewState(h.setup), box: outbox.New(), now: h.now}
	for _, j := range h.journal {
		if _, ok := j.p.(outbox.Queued); ok {
			re.apply(j.at, j.p)
			continue
		}
		b, err := json.Marshal(j.p)
		if err != nil {
			t.Fatal(err)
		}
		p, err := room.Decode(j.p.Type(), b)
		if err != nil {
			t.Fatal(err)
		}
		re.apply(j.at, p)
	}
	want, _ := json.Marshal(h.state)
	got, _ := json.Marshal(re.state)
	if string(want) != string(got) {
		t.Fatalf("replayed state differs:\n%s\n%s", want, got)
	}
	c := re.state.Compartments[comp]
	if !c.DoorOpen || c.Opened != ForPickup {
		t.Fatalf("after the crash the state should say the door is open for pickup: %+v", c)
	}
	if _, ok := re.must(DoorChanged{Comp: comp, Open: false})[0].(PickedUp); !ok {
		t.Error("the close after restart completes the pickup")
	}
}

// Only a manager opens a compartment for maintenance: the room decides it,
// and a clerk's or nobody's request changes nothing.
func TestMaintenanceOpenNeedsAManager(t *testing.T) {
	h := newHall(t)
	for _, a := range []room.Actor{{}, {Staff: "1001", Role: room.Clerk}, {Staff: "2001", Role: room.Guide}} {
		if _, err := h.do(Open{Comp: "A/01", Actor: a}); errs.ReasonOf(err) != "manager_only" {
			t.Fatalf("%+v opened a compartment: %v", a, err)
		}
	}
	evs := h.must(Open{Comp: "A/01", Actor: room.Actor{Staff: "admin", Role: room.Manager}})
	if r, ok := evs[0].(Released); !ok || r.Purpose != ForService || r.By != "admin" {
		t.Fatalf("a manager's opening: %+v", evs)
	}
	if _, err := h.do(SetService{Comp: "A/02", Out: true, Reason: strings.Repeat("坏", MaxServiceReason+1), Clerk: "1001"}); errs.ReasonOf(err) != "too_long" {
		t.Fatalf("an out-of-service reason of %d characters: %v", MaxServiceReason+1, err)
	}
}

// A drop-off code's words are checked in the room: a case is needed, long
// words are refused, and papers nobody described are 补充材料.
func TestDropoffWordsAreTheRoomsRule(t *testing.T) {
	h := newHall(t)
	for _, c := range []IssueDropoff{
		{CodeHash: "d1", Case: " ", Size: Small, IDHash: "i", TailHash: "t"},
		{CodeHash: "d2", Case: strings.Repeat("案", MaxCase+1), Size: Small, IDHash: "i", TailHash: "t"},
		{CodeHash: "d3", Case: "C1", What: strings.Repeat("材", MaxWhat+1), Size: Small, IDHash: "i", TailHash: "t"},
		{CodeHash: "d5", Case: "C1", Size: Small},
	} {
		if _, err := h.do(c); !errs.Is(errs.Invalid, err) {
			t.Errorf("%+v was taken: %v", c, err)
		}
	}
	evs := h.must(IssueDropoff{CodeHash: "d4", Case: " C1 ", Clerk: "1001", Size: Small, IDHash: "i", TailHash: "t"})
	if d, ok := evs[0].(DropoffIssued); !ok || d.Case != "C1" || d.What != DropoffWhat {
		t.Fatalf("issued %+v", evs)
	}
}
