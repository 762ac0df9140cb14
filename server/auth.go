package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"hallfloor/config"
	"hallfloor/display"
	"hallfloor/errs"
	"hallfloor/keyed"
)

// Keys are the hall's secrets, derived from one random file in the data
// directory so that tokens and protected ID numbers survive a restart.
type Keys struct {
	Token []byte // signs bearer tokens
	ID    []byte // protects ID numbers
	// Code protects locker pickup and drop-off codes, Tail the last six
	// characters of an ID number typed at a locker panel, and Seal (32
	// bytes) encrypts the SMS waiting in the outbox. Derived from ID when
	// empty.
	Code, Tail, Seal []byte
	// Node signs what one node of the hall passes another beside the API
	// (a follower's device commands, device_commands.go).
	Node []byte
}

// SecretFile is the hall's one secret in its data directory.
const SecretFile = "secret.key"

// LoadKeys reads dir/secret.key, creating it on first start.
func LoadKeys(dir string) (Keys, error) { return loadKeys(dir, true) }

// ErrNoSecret is LoadExistingKeys finding no secret where one must be.
var ErrNoSecret = errors.New("no secret key")

// LoadExistingKeys is LoadKeys for a hall that already has a history: its
// secret must be there, since a new one would break every sign-in, the
// one-ticket-per-ID rule and every stored pickup code.
func LoadExistingKeys(dir string) (Keys, error) { return loadKeys(dir, false) }

func loadKeys(dir string, create bool) (Keys, error) {
	path := filepath.Join(dir, SecretFile)
	secret, err := os.ReadFile(path)
	if os.IsNotExist(err) && !create {
		return Keys{}, fmt.Errorf("%w: the journal holds this hall's history but %s is missing; restore it from the backup made with the journal (hallfloor backup copies both), or the protected ID numbers, pickup codes and sign-ins of that history cannot be read", ErrNoSecret, path)
	}
	if os.IsNotExist(err) {
		secret = make([]byte, 32)
		rand.Read(secret)
		err = os.WriteFile(path, secret, 0o600)
	}
	if err != nil {
		return Keys{}, fmt.Errorf("secret key %s: %w", path, err)
	}
	if len(secret) < 32 {
		return Keys{}, fmt.Errorf("secret key %s is shorter than 32 bytes", path)
	}
	return Keys{Token: derive(secret, "token"), ID: derive(secret, "id-number"),
		Code: derive(secret, "locker-code"), Tail: derive(secret, "id-tail"), Seal: derive(secret, "sms-seal"),
		Node: derive(secret, "node-commands")}, nil
}

func derive(secret []byte, label string) []byte { return keyed.Derive(secret, label) }

// Principal is who a request comes from.
type Principal struct {
	Staff string
	Role  config.Role
}

// tokenTTL is one working day and then some: a clerk signs in once a day.
const tokenTTL = 16 * time.Hour

// auth signs people in and checks their tokens.
type auth struct {
	key  []byte
	hall *config.Hall
	now  func() time.Time

	mu       sync.Mutex
	wrong    map[string]*wrongTries // by staff number and source
	bySource map[string]*wrongTries // by source, whatever the staff number
	line     map[string]int         // sign-ins being checked, by source
	compares chan struct{}          // bcrypt compares in flight

	// ended says which sign-off a staff member's tokens must carry to be
	// good; nil for none (a unit test).
	ended *signoffs
	// city is the sign-in of the city's managers, for a hall of a city:
	// a token it signed is good here too, as its role (city_manager) says.
	city *auth
}

// Wrong passwords are counted per staff number and source address, so a
// stranger guessing at a clerk's number from elsewhere slows only himself:
// the clerk's own terminal still signs in. A pair mistyped maxWrong times
// within wrongWindow is refused for wrongWindow, right password or not, so
// a terminal left on the counter cannot be used to guess a password; a
// source that fails maxSourceWrong times, over any staff numbers, is
// refused as a source. Kept in memory: a restart forgives, which costs a
// guesser far more than it saves.
const (
	maxWrong       = 5
	maxSourceWrong = 20
	wrongWindow    = 15 * time.Minute
	maxRemembered  = 10000
)

// A sign-in costs a bcrypt compare, some 50 ms of a core. At most half the
// cores compare at once, so the engine and the screens always have a core;
// a sign-in waits at most compareWait for its turn, and a source has at
// most perSourceLine sign-ins being checked, so a flood is refused quickly
// instead of queueing behind itself.
const (
	compareWait   = 2 * time.Second
	perSourceLine = 8
)

func maxCompares() int { return max(1, runtime.NumCPU()/2) }

type wrongTries struct {
	n     int
	first time.Time
	until time.Time
}

// login checks a password from source and returns a signed token. The
// message never says whether the staff number or the password was wrong.
func (a *auth) login(staff, password, source string) (string, error) {
	now := a.now()
	// The try is counted before the password is compared, so guesses sent
	// together cannot all be compared before the lockout notices them; a
	// right password then takes its try back.
	pair := staff + "\x00" + source
	if until, reason := a.reserveTry(pair, source, now); !until.IsZero() {
		return "", a.lockedOut(reason, until, now)
	}
	s := a.hall.FindStaff(staff)
	ok, err := a.check(s, password, source)
	if err != nil {
		a.giveBack(pair, source)
		return "", err
	}
	if !ok {
		return "", errs.R(errs.Unauthorized, "signin_wrong")
	}
	a.mu.Lock()
	delete(a.wrong, pair)
	if w := a.bySource[source]; w != nil && w.n > 0 {
		w.n--
	}
	a.mu.Unlock()
	return a.token(s, now), nil
}

// lockedOut words a lockout: until in the hall's clock and the wait.
func (a *auth) lockedOut(reason string, until, now time.Time) error {
	at := until
	if loc, err := a.hall.Location(); err == nil {
		at = until.In(loc) // the time a person reads is the hall's
	}
	wait := display.Wait(until.Sub(now))
	return errs.R(errs.Forbidden, reason, "until", at.Format("15:04"),
		"retry_s", strconv.Itoa(int(math.Ceil(until.Sub(now).Seconds()))), "wait", wait.ZH, "wait_en", wait.EN)
}

// token signs a sign-in for s, issued at now: it names the staff member,
// the role, the expiry and the last sign-off it comes after.
func (a *auth) token(s *config.Staff, now time.Time) string {
	exp := now.Add(tokenTTL).Unix()
	body := s.ID + "|" + string(s.Role) + "|" + strconv.FormatInt(exp, 10) + "|" + strconv.FormatUint(a.ended.of(s.ID), 10)
	return base64.RawURLEncoding.EncodeToString([]byte(body)) + "." + a.sign(body)
}

// check compares a password, waiting for a turn to compare. An unknown
// staff number costs no compare: it waits as long as one would take, so
// timing does not tell which numbers exist.
func (a *auth) check(s *config.Staff, password, source string) (bool, error) {
	if !a.joinLine(source) {
		return false, tooMany("signin_busy", time.Second)
	}
	defer a.leaveLine(source)
	if s == nil || (s.PasswordHash == "" && !(a.hall.Hall.Demo && s.Password != "")) {
		time.Sleep(compareCost())
		return false, nil
	}
	if s.PasswordHash == "" {
		return subtle.ConstantTimeCompare([]byte(s.Password), []byte(password)) == 1, nil
	}
	timer := time.NewTimer(compareWait)
	defer timer.Stop()
	select {
	case a.gate() <- struct{}{}:
	case <-timer.C:
		return false, tooMany("signin_busy", time.Second)
	}
	defer func() { <-a.gate() }()
	return bcrypt.CompareHashAndPassword([]byte(s.PasswordHash), []byte(password)) == nil, nil
}

// gate is the semaphore of compares in flight.
func (a *auth) gate() chan struct{} {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.compares == nil {
		a.compares = make(chan struct{}, maxCompares())
	}
	return a.compares
}

func (a *auth) joinLine(source string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.line == nil {
		a.line = map[string]int{}
	}
	if a.line[source] >= perSourceLine {
		return false
	}
	a.line[source]++
	return true
}

func (a *auth) leaveLine(source string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.line[source]--; a.line[source] <= 0 {
		delete(a.line, source)
	}
}

// reserveTry counts a sign-in try for the pair (staff number and source)
// and for the source at now, or returns until when either is locked out
// and the try may not be made at all, with the reason.
func (a *auth) reserveTry(pair, source string, now time.Time) (time.Time, string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.wrong == nil {
		a.wrong, a.bySource = map[string]*wrongTries{}, map[string]*wrongTries{}
	}
	if w := a.bySource[source]; w != nil && now.Before(w.until) {
		return w.until, "signin_source_locked"
	}
	if w := a.wrong[pair]; w != nil && now.Before(w.until) {
		return w.until, "signin_locked_out"
	}
	count(a.wrong, pair, maxWrong, now)
	count(a.bySource, source, maxSourceWrong, now)
	return time.Time{}, ""
}

// count adds a try to tries[key], locking it out at the limit-th within
// the window.
func count(tries map[string]*wrongTries, key string, limit int, now time.Time) {
	if len(tries) > maxRemembered {
		// Guesses at made-up staff numbers must not fill the memory.
		for k, w := range tries {
			if now.Sub(w.first) > wrongWindow && !now.Before(w.until) {
				delete(tries, k)
			}
		}
	}
	w := tries[key]
	if w == nil || now.Sub(w.first) > wrongWindow {
		w = &wrongTries{first: now}
		tries[key] = w
	}
	w.n++
	if w.n >= limit {
		w.until = now.Add(wrongWindow)
		w.n, w.first = 0, w.until
	}
}

// giveBack returns a reserved try whose password was never compared.
func (a *auth) giveBack(pair, source string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for _, w := range []*wrongTries{a.wrong[pair], a.bySource[source]} {
		if w != nil && w.n > 0 {
			w.n--
		}
	}
}

// compareCost is how long one compare at the hall's cost takes on this
// machine, measured once when first needed: an unknown staff number waits
// that long instead of comparing, so the time of an answer does not tell
// which numbers exist.
var compareCost = sync.OnceValue(func() time.Duration {
	t0 := time.Now()
	bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.DefaultCost)
	return time.Since(t0)
})

func (a *auth) sign(body string) string {
	return keyed.URL(a.key, body)
}

// principal reads the bearer token of a request.
// maybePrincipal is who a request on a public route comes from: anyone
// (ok false) when it sends no sign-in, else the signed-in staff member. A
// sign-in that is sent must be good, as everywhere.
func (a *auth) maybePrincipal(r *http.Request) (p Principal, ok bool, err error) {
	if r.Header.Get("Authorization") == "" {
		return Principal{}, false, nil
	}
	p, err = a.principal(r)
	return p, err == nil, err
}

func (a *auth) principal(r *http.Request) (Principal, error) {
	p, err := a.verify(r)
	if err != nil && a.city != nil {
		if cp, cerr := a.city.verify(r); cerr == nil {
			return cp, nil
		}
	}
	return p, err
}

// verify reads a token this sign-in signed.
func (a *auth) verify(r *http.Request) (Principal, error) {
	h := r.Header.Get("Authorization")
	tok, ok := strings.CutPrefix(h, "Bearer ")
	if !ok || tok == "" {
		return Principal{}, errs.R(errs.Unauthorized, "sign_in_required")
	}
	bad := errs.R(errs.Unauthorized, "signin_expired")
	enc, sig, ok := strings.Cut(tok, ".")
	if !ok {
		return Principal{}, bad
	}
	raw, err := base64.RawURLEncoding.DecodeString(enc)
	if err != nil || !hmac.Equal([]byte(sig), []byte(a.sign(string(raw)))) {
		return Principal{}, bad
	}
	parts := strings.Split(string(raw), "|")
	if len(parts) != 4 {
		return Principal{}, bad
	}
	exp, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil || a.now().Unix() > exp {
		return Principal{}, bad
	}
	s := a.hall.FindStaff(parts[0])
	if s == nil || string(s.Role) != parts[1] {
		return Principal{}, bad // removed from the hall file since
	}
	if after, err := strconv.ParseUint(parts[3], 10, 64); err != nil || after != a.ended.of(s.ID) {
		return Principal{}, errs.R(errs.Unauthorized, "signed_off") // signed off since
	}
	return Principal{Staff: s.ID, Role: s.Role}, nil
}
