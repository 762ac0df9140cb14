package server

import (
	"sync"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/errs"
)

func TestLoginLocksAfterWrongPasswords(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	a := &auth{key: []byte("k"), hall: config.Demo(), now: func() time.Time { return now }}

	for i := 1; i <= maxWrong; i++ {
		if _, err := a.login("1001", "guess", "10.0.0.5"); !errs.Is(errs.Unauthorized, err) {
			t.Fatalf("wrong password %d: %v", i, err)
		}
		now = now.Add(time.Second)
	}
	// Locked: even the right password is refused, and says until when.
	if _, err := a.login("1001", "demo", "10.0.0.5"); !errs.Is(errs.Forbidden, err) {
		t.Fatalf("right password while locked: %v", err)
	}
	// Another clerk is not locked.
	if _, err := a.login("1002", "demo", "10.0.0.5"); err != nil {
		t.Fatalf("another staff number: %v", err)
	}
	now = now.Add(wrongWindow)
	if _, err := a.login("1001", "demo", "10.0.0.5"); err != nil {
		t.Fatalf("after the lock: %v", err)
	}
	// A success forgets earlier mistakes.
	for range maxWrong - 1 {
		a.login("1001", "guess", "10.0.0.5")
	}
	a.login("1001", "demo", "10.0.0.5")
	if _, err := a.login("1001", "guess", "10.0.0.5"); !errs.Is(errs.Unauthorized, err) {
		t.Fatalf("one mistake after a success: %v", err)
	}
	if _, err := a.login("1001", "demo", "10.0.0.5"); err != nil {
		t.Fatalf("the count restarted after the success: %v", err)
	}
}

func TestOldMistakesAreForgiven(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	a := &auth{key: []byte("k"), hall: config.Demo(), now: func() time.Time { return now }}
	for range maxWrong - 1 {
		a.login("1001", "guess", "10.0.0.5")
	}
	now = now.Add(wrongWindow + time.Minute)
	a.login("1001", "guess", "10.0.0.5")
	if _, err := a.login("1001", "demo", "10.0.0.5"); err != nil {
		t.Fatalf("mistakes spread over more than the window must not lock: %v", err)
	}
}

func TestUnknownStaffLooksLikeAWrongPassword(t *testing.T) {
	a := &auth{key: []byte("k"), hall: config.Demo(), now: time.Now}
	_, e1 := a.login("nobody", "demo", "10.0.0.5")
	_, e2 := a.login("1001", "wrong", "10.0.0.5")
	if e1 == nil || e2 == nil || e1.Error() != e2.Error() {
		t.Fatalf("unknown staff %v and wrong password %v must answer alike", e1, e2)
	}
}

// Guesses sent together cannot outrun the lockout: each try is counted
// before its password is compared, so of many parallel guesses at most
// maxWrong are compared, and the right password sent among the last is
// refused like the rest; the lockout's time is the hall's.
func TestParallelGuessesCannotOutrunTheLockout(t *testing.T) {
	now := time.Date(2026, 11, 20, 8, 51, 0, 0, time.UTC) // 16:51 in Shanghai
	a := &auth{key: []byte("k"), hall: config.Demo(), now: func() time.Time { return now }}
	const guesses = 50
	var wg sync.WaitGroup
	var mu sync.Mutex
	compared, locked := 0, 0
	for range guesses {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := a.login("1001", "guess", "10.0.0.5")
			mu.Lock()
			defer mu.Unlock()
			switch errs.ReasonOf(err) {
			case "signin_wrong":
				compared++
			case "signin_locked_out":
				locked++
				if e, _ := errs.As(err); e.Args["until"] != "17:06" {
					t.Errorf("locked until %q, want 17:06 in the hall's zone", e.Args["until"])
				}
			default:
				t.Errorf("a guess answered %v", err)
			}
		}()
	}
	wg.Wait()
	if compared != maxWrong || locked != guesses-maxWrong {
		t.Fatalf("%d guesses compared and %d locked out, want %d and %d", compared, locked, maxWrong, guesses-maxWrong)
	}
	if _, err := a.login("1001", "demo", "10.0.0.5"); errs.ReasonOf(err) != "signin_locked_out" {
		t.Fatalf("the right password after the guesses: %v", err)
	}
}
