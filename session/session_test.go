package session

import (
	"testing"

	"hallfloor/errs"
	"hallfloor/room"
)

func TestSignOffIsKeptPerStaff(t *testing.T) {
	s := NewState()
	out, err := Decide(s, SignOff{Actor: room.Actor{Staff: "1001", Role: room.Clerk}})
	if err != nil || len(out.Events) != 1 || out.Events[0] != (SignedOff{Staff: "1001"}) {
		t.Fatalf("sign-off: %v %v", out, err)
	}
	s.Apply(room.Event{Seq: 7, Data: out.Events[0]})
	s.Apply(room.Event{Seq: 9, Data: SignedOff{Staff: "1002"}})
	if s.Last["1001"] != 7 || s.Last["1002"] != 9 || s.Last["1003"] != 0 {
		t.Fatalf("last sign-offs %v", s.Last)
	}
	if room.Public(SignedOff{Staff: "1001"}) != (SignedOff{}) {
		t.Fatal("a screen must not learn who signed off")
	}
}

func TestSignOffNeedsStaff(t *testing.T) {
	if _, err := Decide(NewState(), SignOff{}); !errs.Is(errs.Unauthorized, err) {
		t.Fatalf("nobody signing off: %v", err)
	}
}
