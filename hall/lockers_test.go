package hall

import (
	"encoding/json"
	"slices"
	"testing"

	"hallfloor/errs"
	"hallfloor/locker"
	"hallfloor/outbox"
	"hallfloor/room"
)

func TestLockerEventsArePublicWithoutSecrets(t *testing.T) {
	tests := []struct {
		in   room.Payload
		want room.Payload
	}{
		{outbox.Queued{ID: "m", Purpose: "locker.code", Sealed: []byte("s")}, outbox.Queued{ID: "m", Purpose: "locker.code"}},
		{outbox.Failed{ID: "m", Attempts: 1, Error: "gateway 10.0.0.5 said 401"}, outbox.Failed{ID: "m", Attempts: 1}},
		{locker.PickedUp{Comp: "L1/01", Case: "C", Name: "张三", Clerk: "1001"}, locker.PickedUp{Comp: "L1/01", Case: "C", Clerk: "1001"}},
		{locker.Released{Comp: "L1/01", Purpose: locker.ForDeposit, Incoming: &locker.Item{IDHash: "h"}, Notice: &outbox.Queued{ID: "m"}},
			locker.Released{Comp: "L1/01", Purpose: locker.ForDeposit}},
		{locker.CodeReplaced{Comp: "L1/01", CodeHash: "h", By: "1"}, locker.CodeReplaced{Comp: "L1/01", By: "1"}},
		{locker.DropoffIssued{CodeHash: "c", Case: "C", Clerk: "1", IDHash: "h", TailHash: "t"}, locker.DropoffIssued{Case: "C", Clerk: "1"}},
	}
	for _, tt := range tests {
		got := room.Public(tt.in)
		if gs, ws := toJSON(t, got), toJSON(t, tt.want); gs != ws {
			t.Errorf("Public(%T) = %s, want %s", tt.in, gs, ws)
		}
	}
}

// A wrong try at a panel is journaled but private: no screen is sent it.
func TestWrongTriesArePrivate(t *testing.T) {
	for _, p := range []room.Payload{locker.PickupFailed{Bank: "L1", Who: "h", Tries: 2},
		locker.PickupFailed{Bank: "L1", Who: "h", Dropoff: true, Tries: 5}} {
		if got := room.Public(p); got != nil {
			t.Errorf("Public(%+v) = %+v, want nothing for screens", p, got)
		}
	}
}

func TestLockerEventsDecode(t *testing.T) {
	for _, p := range []room.Payload{locker.Stored{Comp: "L1/01"}, outbox.Sent{ID: "m"}, locker.PickupFailed{Bank: "L1", Tries: 2}} {
		got, err := room.Decode(p.Type(), []byte(toJSON(t, p)))
		if err != nil || toJSON(t, got) != toJSON(t, p) {
			t.Errorf("Decode(%s) = %v, %v", p.Type(), got, err)
		}
	}
}

// Through the hall, a wrong pickup code is refused, yet the try is recorded
// towards the lockout; the right code then opens the compartment.
func TestWrongPickupIsRefusedAndCounted(t *testing.T) {
	f := newFloor(t)
	f.must(Tick{}) // the day starts
	item := locker.Item{Case: "C1", What: "执照", Name: "张三", IDHash: "id", TailHash: "tail", CodeHash: "code", Clerk: "s1"}
	got := f.applied(locker.Deposit{Bank: "L1", Size: locker.Small, Item: item})
	if !slices.Equal(types(got), []string{"locker.released"}) {
		t.Fatalf("deposit: %v", types(got))
	}
	comp := got[0].(locker.Released).Comp
	f.must(locker.DoorChanged{Comp: comp, Open: true})
	if got := f.applied(locker.DoorChanged{Comp: comp, Open: false}); !slices.Contains(types(got), "locker.stored") {
		t.Fatalf("door shut: %v", types(got))
	}

	seq := f.s.Seq
	out, err := f.do(locker.Pickup{Bank: "L1", Who: "id", CodeHash: "wrong"})
	if err != nil || errs.KindOf(out.Refusal) != errs.Unauthorized || errs.ReasonOf(out.Refusal) != "pickup_wrong" {
		t.Fatalf("wrong code: %v, refusal %v", err, out.Refusal)
	}
	if len(f.last) != 1 || f.s.Seq != seq+1 {
		t.Fatalf("wrong code applied %v", f.last)
	}
	if pf, ok := f.last[0].Data.(locker.PickupFailed); !ok || pf.Tries != 1 || pf.Bank != "L1" {
		t.Fatalf("wrong code recorded %+v", f.last[0].Data)
	}
	got = f.applied(locker.Pickup{Bank: "L1", Who: "id", CodeHash: "code"})
	if r := payloads[locker.Released](got); len(r) != 1 || r[0].Comp != comp || r[0].Purpose != locker.ForPickup {
		t.Fatalf("right code: %v", types(got))
	}
}

func toJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
