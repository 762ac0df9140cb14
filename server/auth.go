package server

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"hallfloor/config"
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
		Code: derive(secret, "locker-code"), Tail: derive(secret, "id-tail"), Seal: derive(secret, "sms-seal")}, nil
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

	mu    sync.Mutex
	wrong map[string]*wrongTries // by staff number
}

// A staff number whose password is mistyped maxWrong times within
// wrongWindow is refused for wrongWindow, right password or not, so a
// terminal left on the counter cannot be used to guess a password. Kept in
// memory: a restart forgives, which costs a guesser far more than it saves.
const (
	maxWrong    = 5
	wrongWindow = 15 * time.Minute
)

type wrongTries struct {
	n     int
	first time.Time
	until time.Time
}

// login checks a password and returns a signed token. The message never
// says whether the staff number or the password was wrong.
func (a *auth) login(staff, password string) (string, error) {
	now := a.now()
	// The try is counted before the password is compared, so guesses sent
	// together cannot all be compared before the lockout notices them; a
	// right password then takes its try back.
	if until := a.reserveTry(staff, now); !until.IsZero() {
		// The time a person reads is the hall's.
		if loc, err := a.hall.Location(); err == nil {
			until = until.In(loc)
		}
		return "", errs.R(errs.Forbidden, "signin_locked_out", "until", until.Format("15:04"))
	}
	s := a.hall.FindStaff(staff)
	if !a.passwordOK(s, password) {
		return "", errs.R(errs.Unauthorized, "signin_wrong")
	}
	a.mu.Lock()
	delete(a.wrong, staff)
	a.mu.Unlock()
	exp := now.Add(tokenTTL).Unix()
	body := s.ID + "|" + string(s.Role) + "|" + strconv.FormatInt(exp, 10)
	return base64.RawURLEncoding.EncodeToString([]byte(body)) + "." + a.sign(body), nil
}

// passwordOK checks a password in constant time, spending a bcrypt check
// even for an unknown staff number, so timing does not tell which exist.
func (a *auth) passwordOK(s *config.Staff, password string) bool {
	switch {
	case s == nil:
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
		return false
	case s.PasswordHash != "":
		return bcrypt.CompareHashAndPassword([]byte(s.PasswordHash), []byte(password)) == nil
	case a.hall.Hall.Demo && s.Password != "":
		return subtle.ConstantTimeCompare([]byte(s.Password), []byte(password)) == 1
	}
	return false
}

// reserveTry counts a sign-in try for staff at now, or returns until when
// the staff number is locked out and the try may not be made at all.
func (a *auth) reserveTry(staff string, now time.Time) time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	if w := a.wrong[staff]; w != nil && now.Before(w.until) {
		return w.until
	}
	if a.wrong == nil {
		a.wrong = map[string]*wrongTries{}
	}
	if len(a.wrong) > 10000 {
		// Guesses at made-up staff numbers must not fill the memory.
		for k, w := range a.wrong {
			if now.Sub(w.first) > wrongWindow && !now.Before(w.until) {
				delete(a.wrong, k)
			}
		}
	}
	w := a.wrong[staff]
	if w == nil || now.Sub(w.first) > wrongWindow {
		w = &wrongTries{first: now}
		a.wrong[staff] = w
	}
	w.n++
	if w.n >= maxWrong {
		w.until = now.Add(wrongWindow)
		w.n, w.first = 0, w.until
	}
	return time.Time{}
}

var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("not a password"), bcrypt.DefaultCost)

func (a *auth) sign(body string) string {
	return keyed.URL(a.key, body)
}

// principal reads the bearer token of a request.
func (a *auth) principal(r *http.Request) (Principal, error) {
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
	if len(parts) != 3 {
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
	return Principal{Staff: s.ID, Role: s.Role}, nil
}
