package queue

import (
	"encoding/json"
	"testing"

	"hallfloor/locker"
	"hallfloor/outbox"
)

func TestLockerEventsArePublicWithoutSecrets(t *testing.T) {
	tests := []struct {
		in   Payload
		want Payload
	}{
		{outbox.Queued{ID: "m", Purpose: "locker.code", Sealed: []byte("s")}, outbox.Queued{ID: "m", Purpose: "locker.code"}},
		{outbox.Failed{ID: "m", Attempts: 1, Error: "gateway 10.0.0.5 said 401"}, outbox.Failed{ID: "m", Attempts: 1}},
		{locker.PickedUp{Comp: "L1/01", Case: "C", Name: "张三", Clerk: "1001"}, locker.PickedUp{Comp: "L1/01", Case: "C", Clerk: "1001"}},
		{locker.Released{Comp: "L1/01", Purpose: locker.ForDeposit, Incoming: &locker.Item{IDHash: "h"}, Notice: &outbox.Queued{ID: "m"}},
			locker.Released{Comp: "L1/01", Purpose: locker.ForDeposit}},
		{locker.CodeReplaced{Comp: "L1/01", CodeHash: "h", By: "1"}, locker.CodeReplaced{Comp: "L1/01", By: "1"}},
	}
	for _, tt := range tests {
		got := Public(tt.in)
		if gs, ws := toJSON(t, got), toJSON(t, tt.want); gs != ws {
			t.Errorf("Public(%T) = %s, want %s", tt.in, gs, ws)
		}
	}
}

func TestLockerEventsDecode(t *testing.T) {
	for _, p := range []Payload{locker.Stored{Comp: "L1/01"}, outbox.Sent{ID: "m"}, locker.PickupFailed{Bank: "L1", Tries: 2}} {
		got, err := Decode(p.Type(), []byte(toJSON(t, p)))
		if err != nil || toJSON(t, got) != toJSON(t, p) {
			t.Errorf("Decode(%s) = %v, %v", p.Type(), got, err)
		}
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
