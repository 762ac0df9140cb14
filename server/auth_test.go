package server

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

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

// Wrong passwords count per staff number and source: a stranger's guesses
// do not keep the clerk from signing in at the counter.
func TestLockoutIsPerStaffAndSource(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	a := &auth{key: []byte("k"), hall: config.Demo(), now: func() time.Time { return now }}
	for range 3 * maxWrong {
		a.login("1001", "guess", "203.0.113.9")
	}
	_, err := a.login("1001", "demo", "203.0.113.9")
	if e, _ := errs.As(err); errs.ReasonOf(err) != "signin_locked_out" || e.Args["wait"] != "15分钟" || e.Args["retry_s"] != "900" {
		t.Fatalf("the stranger with the right password: %v", err)
	}
	if _, err := a.login("1001", "demo", "10.0.0.5"); err != nil {
		t.Fatalf("the clerk's own terminal: %v", err)
	}
}

// A source that guesses at many staff numbers is refused as a source.
func TestASourceGuessingManyNumbersIsLimited(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	a := &auth{key: []byte("k"), hall: config.Demo(), now: func() time.Time { return now }}
	for i := range maxSourceWrong {
		if _, err := a.login(fmt.Sprintf("n%d", i), "guess", "203.0.113.9"); errs.ReasonOf(err) != "signin_wrong" {
			t.Fatalf("guess %d: %v", i, err)
		}
	}
	if _, err := a.login("1002", "demo", "203.0.113.9"); errs.ReasonOf(err) != "signin_source_locked" {
		t.Fatalf("a new staff number from the guessing source: %v", err)
	}
	if _, err := a.login("1002", "demo", "10.0.0.6"); err != nil {
		t.Fatalf("another source: %v", err)
	}
}

// withHash is the demo hall with 1001's password "pw" as a bcrypt hash, as a
// real hall keeps it.
func withHash(t *testing.T) *config.Hall {
	h := config.Demo()
	hash, err := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	h.FindStaff("1001").PasswordHash, h.FindStaff("1001").Password = string(hash), ""
	return h
}

// Password compares are bounded: with every turn taken, a sign-in is
// refused as busy (and its try given back) instead of queueing, while a
// made-up staff number costs no compare and is answered as a wrong password.
func TestComparesInFlightAreBounded(t *testing.T) {
	a := &auth{key: []byte("k"), hall: withHash(t), now: time.Now}
	gate := a.gate()
	for range cap(gate) {
		gate <- struct{}{}
	}
	if _, err := a.login("nobody", "pw", "10.0.0.5"); errs.ReasonOf(err) != "signin_wrong" {
		t.Fatalf("a made-up staff number with every turn taken: %v", err)
	}
	_, err := a.login("1001", "pw", "10.0.0.5")
	if !errs.Is(errs.Busy, err) || errs.ReasonOf(err) != "signin_busy" {
		t.Fatalf("a sign-in with every turn taken: %v", err)
	}
	if w := a.wrong["1001\x0010.0.0.5"]; w == nil || w.n != 0 {
		t.Fatalf("the busy try was counted: %+v", w)
	}
	for range cap(gate) {
		<-gate
	}
	if _, err := a.login("1001", "pw", "10.0.0.5"); err != nil {
		t.Fatalf("with a turn free: %v", err)
	}
	// One source has only so many sign-ins being checked at once.
	a.line = map[string]int{"203.0.113.9": perSourceLine}
	if _, err := a.login("1001", "pw", "203.0.113.9"); errs.ReasonOf(err) != "signin_busy" {
		t.Fatalf("a source with a full line: %v", err)
	}
}
