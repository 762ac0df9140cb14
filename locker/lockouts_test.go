package locker

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/room"
)

// lockOut makes five wrong entries for who, the last of which locks.
func (h *hall) lockOut(cmd func() Command) {
	h.t.Helper()
	for i := 1; i <= h.setup.MaxTries; i++ {
		if _, err := h.do(cmd()); !errs.Is(errs.Unauthorized, err) {
			h.t.Fatalf("wrong try %d: %v", i, err)
		}
	}
	if _, err := h.do(cmd()); !errs.Is(errs.Forbidden, err) {
		h.t.Fatalf("after %d wrong tries: %v, want locked out", h.setup.MaxTries, err)
	}
}

// A lockout is the ID's, not the panel's or the bank's: another applicant
// at the same panel is served, and the same ID at another bank is refused.
func TestLockoutIsTheIDsAlone(t *testing.T) {
	h := newHall(t)
	h.setup.Banks = append(h.setup.Banks, BankSetup{ID: "B", Compartments: []CompartmentSetup{{ID: "01", Size: Small}}})
	h.state.Adopt(h.setup)
	h.deposit(Small, item("c1", "id1", "code1"))
	h.deposit(Small, item("c2", "id2", "code2"))
	h.lockOut(func() Command { return Pickup{Bank: "A", Who: "id1", CodeHash: "bad"} })
	if _, err := h.do(Pickup{Bank: "A", Who: "id2", CodeHash: "code2"}); err != nil {
		t.Fatalf("the next applicant at the panel: %v", err)
	}
	_, err := h.do(Pickup{Bank: "B", Who: "id1", CodeHash: "bad"})
	if !errs.Is(errs.Forbidden, err) {
		t.Fatalf("the locked ID at another bank: %v", err)
	}
	// The refusal says how long, as a duration: no clock time.
	e, _ := errs.As(err)
	if e.Args["retry_s"] != "900" || e.Args["minutes"] != "15" || e.Args["until"] != "" {
		t.Errorf("lockout args %v, want retry_s 900 and minutes 15 only", e.Args)
	}
}

// Five wrong drop-off codes from a stranger lock out the ID the stranger
// typed, not the bank: the next applicant's valid code opens.
func TestDropoffLockoutIsTheHolders(t *testing.T) {
	h := newHall(t)
	h.must(IssueDropoff{CodeHash: "d1", Case: "c1", Clerk: "1003", Size: Small, IDHash: "id1", TailHash: "t1"})
	h.must(IssueDropoff{CodeHash: "d2", Case: "c2", Clerk: "1003", Size: Small, IDHash: "id2", TailHash: "t2"})
	h.lockOut(func() Command { return OpenDropoff{Bank: "A", Who: "stranger", CodeHash: "guess"} })
	if _, err := h.do(OpenDropoff{Bank: "A", Who: "id1", CodeHash: "d1"}); err != nil {
		t.Fatalf("the next applicant's valid drop-off code: %v", err)
	}
	// A stranger who guesses at a known ID locks out that holder only.
	h.lockOut(func() Command { return OpenDropoff{Bank: "A", Who: "t2", ByTail: true, CodeHash: "guess"} })
	if _, err := h.do(OpenDropoff{Bank: "A", Who: "t2", ByTail: true, CodeHash: "d2"}); !errs.Is(errs.Forbidden, err) {
		t.Fatalf("the holder guessed at: %v", err)
	}
	// Drop-off and pickup counts are apart: a pickup for the same ID is
	// not locked.
	if _, err := h.do(Pickup{Bank: "A", Who: "t2", ByTail: true, CodeHash: "x"}); !errs.Is(errs.Unauthorized, err) {
		t.Fatalf("a pickup for a drop-off's locked ID: %v", err)
	}
}

// Wrong tries with made-up IDs leave nothing behind once their time has
// passed: the next event after the lockout period forgets them all, the
// same way on replay.
func TestWrongTriesAreForgotten(t *testing.T) {
	const n = 20_000
	h := newHall(t)
	for i := range n {
		if _, err := h.do(Pickup{Bank: "A", Who: fmt.Sprintf("made-up-%d", i), CodeHash: "x"}); !errs.Is(errs.Unauthorized, err) {
			t.Fatalf("try %d: %v", i, err)
		}
		h.now = h.now.Add(time.Millisecond)
	}
	if got := len(h.state.Lockouts); got != n {
		t.Fatalf("%d counts during the lockout period, want %d", got, n)
	}
	h.now = h.now.Add(h.setup.Lockout)
	h.deposit(Small, item("c1", "id1", "code1"))
	if got := len(h.state.Lockouts); got != 0 {
		t.Fatalf("%d counts left after the lockout period", got)
	}
	if got := replay(t, h); got != string(mustJSON(t, h.state)) {
		t.Fatalf("replayed state differs:\n%s", got)
	}
}

// Forgetting never shortens a lockout: sweeps made by other events while an
// ID is locked leave it locked until its time.
func TestSweepsKeepALockoutInForce(t *testing.T) {
	h := newHall(t)
	h.deposit(Small, item("c1", "id1", "code1"))
	h.lockOut(func() Command { return Pickup{Bank: "A", Who: "id1", CodeHash: "bad"} })
	for range 14 {
		h.now = h.now.Add(time.Minute)
		h.do(Pickup{Bank: "A", Who: "other", CodeHash: "bad"}) // an event, and a sweep
		if _, err := h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "code1"}); !errs.Is(errs.Forbidden, err) {
			t.Fatalf("%v after the lockout began: %v, want still locked", h.now.Sub(t0), err)
		}
	}
	h.now = h.now.Add(time.Minute)
	if _, err := h.do(Pickup{Bank: "A", Who: "id1", CodeHash: "code1"}); err != nil {
		t.Fatalf("after the lockout: %v", err)
	}
}

// replay rebuilds the lockers from h's journal, encoded and decoded as the
// engine does, and returns the state as JSON.
func replay(t *testing.T, h *hall) string {
	t.Helper()
	re := &hall{t: t, setup: h.setup, state: NewState(h.setup), box: outbox.New(), now: h.now}
	for _, j := range h.journal {
		p, err := room.Decode(j.p.Type(), mustJSON(t, j.p))
		if err != nil {
			t.Fatal(err)
		}
		re.apply(j.at, p)
	}
	return string(mustJSON(t, re.state))
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// An unused drop-off code stops opening when its validity (the lockers'
// retention) ends, and leaves the state at the first event after: the
// same event in replay, so the replayed state is the live one.
func TestUnusedDropoffCodesExpire(t *testing.T) {
	h := newHall(t)
	h.must(IssueDropoff{CodeHash: "d1", Case: "c1", Clerk: "1003", Size: Small, IDHash: "id1", TailHash: "t1"})
	h.now = t0.Add(h.setup.Retention - time.Minute)
	h.must(IssueDropoff{CodeHash: "d2", Case: "c2", Clerk: "1003", Size: Small, IDHash: "id2", TailHash: "t2"})
	if len(h.state.Dropoffs) != 2 {
		t.Fatalf("%d codes within their validity, want 2", len(h.state.Dropoffs))
	}
	h.now = t0.Add(h.setup.Retention)
	if _, err := h.do(OpenDropoff{Bank: "A", Who: "id1", CodeHash: "d1"}); !errs.Is(errs.Unauthorized, err) {
		t.Fatalf("an expired code: %v, want refused", err)
	}
	if _, ok := h.state.Dropoffs["d1"]; ok {
		t.Fatal("the expired code is still in the state after a later event")
	}
	if _, ok := h.state.Dropoffs["d2"]; !ok {
		t.Fatal("a code within its validity was forgotten")
	}
	if got := replay(t, h); got != string(mustJSON(t, h.state)) {
		t.Fatalf("replayed state differs:\n%s", got)
	}
	if _, err := h.do(OpenDropoff{Bank: "A", Who: "id2", CodeHash: "d2"}); err != nil {
		t.Fatalf("the code still valid: %v", err)
	}
}
