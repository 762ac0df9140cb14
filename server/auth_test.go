package server

import (
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/errs"
)

func TestLoginLocksAfterWrongPasswords(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	a := &auth{key: []byte("k"), hall: config.Demo(), now: func() time.Time { return now }}

	for i := 1; i <= maxWrong; i++ {
		if _, err := a.login("1001", "guess"); !errs.Is(errs.Unauthorized, err) {
			t.Fatalf("wrong password %d: %v", i, err)
		}
		now = now.Add(time.Second)
	}
	// Locked: even the right password is refused, and says until when.
	if _, err := a.login("1001", "demo"); !errs.Is(errs.Forbidden, err) {
		t.Fatalf("right password while locked: %v", err)
	}
	// Another clerk is not locked.
	if _, err := a.login("1002", "demo"); err != nil {
		t.Fatalf("another staff number: %v", err)
	}
	now = now.Add(wrongWindow)
	if _, err := a.login("1001", "demo"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// A success forgets earlier mistakes.
	for range maxWrong - 1 {
		a.login("1001", "guess")
	}
	a.login("1001", "demo")
	if _, err := a.login("1001", "guess"); !errs.Is(errs.Unauthorized, err) {
		t.Fatalf("one mistake after a success: %v", err)
	}
	if _, err := a.login("1001", "demo"); err != nil {
		t.Fatalf("the count restarted after the success: %v", err)
	}
}

func TestOldMistakesAreForgiven(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	a := &auth{key: []byte("k"), hall: config.Demo(), now: func() time.Time { return now }}
	for range maxWrong - 1 {
		a.login("1001", "guess")
	}
	now = now.Add(wrongWindow + time.Minute)
	a.login("1001", "guess")
	if _, err := a.login("1001", "demo"); err != nil {
		t.Fatalf("mistakes spread over more than the window must not lock: %v", err)
	}
}

func TestUnknownStaffLooksLikeAWrongPassword(t *testing.T) {
	a := &auth{key: []byte("k"), hall: config.Demo(), now: time.Now}
	_, e1 := a.login("nobody", "demo")
	_, e2 := a.login("1001", "wrong")
	if e1 == nil || e2 == nil || e1.Error() != e2.Error() {
		t.Fatalf("unknown staff %v and wrong password %v must answer alike", e1, e2)
	}
}
