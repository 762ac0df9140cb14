package server_test

import (
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
)

// proxiedHall is a demo hall behind a proxy on this machine: the hall file
// trusts loopback's X-Forwarded-For, so a test speaks from any address it
// names, as the citizens' and strangers' machines behind the proxy would.
// No address is a kiosk unless tune lists it.
func proxiedHall(t *testing.T, dir string, tune func(*config.Hall)) *demoHall {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	h := config.Demo()
	h.Server.Kiosks = nil
	h.Server.TrustedProxies = []string{"127.0.0.0/8", "::1"}
	if tune != nil {
		tune(h)
	}
	run := apptest.Start(t, app.Options{Hall: h, Data: dir})
	return &demoHall{client: client{t, run.URL}, t: t, dir: dir, ts: run.HTTP, run: run}
}

func forwardedFor(addr string) []string { return []string{"X-Forwarded-For", addr} }

func signIn(h *demoHall, staff, password, addr string) reply {
	return h.req("POST", "/api/v1/login", "", map[string]string{"staff": staff, "password": password}, forwardedFor(addr)...)
}

// A stranger hammering a clerk's staff number locks out only himself: the
// clerk's own terminal signs in meanwhile, and the stranger is refused even
// with the right password, told how long to wait.
func TestStrangerCannotLockAClerkOut(t *testing.T) {
	h := proxiedHall(t, "", nil)
	const stranger, counter = "203.0.113.9", "10.0.0.5"
	var last reply
	for i := range 8 {
		last = signIn(h, "1001", "guess"+strconv.Itoa(i), stranger)
		if last.status == 200 {
			t.Fatalf("guess %d signed in", i)
		}
	}
	if r := signIn(h, "1001", "demo", counter); r.status != 200 {
		t.Fatalf("the clerk at the counter while a stranger hammers the number: %s", r)
	}
	if e := last.apiError(t); last.status != 403 || e.Error.Reason != "signin_locked_out" || e.Error.Args["retry_s"] == "" || e.Error.Args["wait"] == "" {
		t.Fatalf("a guess after the lockout: %s", last)
	}
	if r := signIn(h, "1001", "demo", stranger); r.status != 403 {
		t.Fatalf("the stranger with the right password: %s", r)
	}
}

// Numbers taken without a sign-in are limited per source: the refusal is a
// 429 that says when to try again; another machine, a listed kiosk and a
// signed-in guide still take numbers.
func TestAnonymousNumbersAreLimitedPerSource(t *testing.T) {
	h := proxiedHall(t, "", func(h *config.Hall) { h.Server.Kiosks = []string{"10.9.0.0/24"} })
	take := func(addr, token string) reply {
		return h.req("POST", "/api/v1/tickets", token, map[string]string{"service": "A"}, forwardedFor(addr)...)
	}
	issued := 0
	var refused reply
	for range 200 {
		r := take("198.51.100.7", "")
		if r.status != 201 {
			refused = r
			break
		}
		issued++
	}
	burst := config.DefaultTicketsPerMinute / 3
	if issued < burst || issued > burst+1 {
		t.Fatalf("one source took %d numbers at once, want about %d", issued, burst)
	}
	e := refused.apiError(t)
	if refused.status != 429 || e.Error.Reason != "issue_too_many" || e.Error.Args["retry_s"] == "" || refused.header.Get("Retry-After") != e.Error.Args["retry_s"] {
		t.Fatalf("the refusal: %s %v", refused, refused.header)
	}
	if !strings.Contains(e.Error.Message, "秒后") {
		t.Fatalf("the refusal does not say how long to wait: %q", e.Error.Message)
	}
	if r := take("198.51.100.8", ""); r.status != 201 {
		t.Fatalf("another machine: %s", r)
	}
	for i := range 3 * burst {
		if r := take("10.9.0.20", ""); r.status != 201 {
			t.Fatalf("kiosk number %d: %s", i+1, r)
		}
	}
	guide := signIn(h, "2001", "demo", "198.51.100.7")
	var tok struct{ Token string }
	guide.into(t, &tok)
	for i := range 3 * burst {
		if r := take("198.51.100.7", tok.Token); r.status != 201 {
			t.Fatalf("the guide's number %d from the limited machine: %s", i+1, r)
		}
	}
}

// A locker panel's pickup tries are limited per source before they reach
// the lockers: a refused try records nothing.
func TestPickupTriesAreLimitedPerSource(t *testing.T) {
	h := proxiedHall(t, "", nil)
	try := func(addr string, i int) reply {
		return h.req("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": idNumber(fmt.Sprintf("11010519491231%03d", i)), "code": "000000"}, forwardedFor(addr)...)
	}
	tries := 0
	var refused reply
	for i := range 100 {
		r := try("198.51.100.7", i)
		if r.status == 429 {
			refused = r
			break
		}
		tries++
	}
	if tries < 5 || tries > 6 {
		t.Fatalf("%d pickup tries went through at once, want about 5", tries)
	}
	if e := refused.apiError(t); e.Error.Reason != "pickup_too_many" || e.Error.Args["retry_s"] == "" {
		t.Fatalf("the refusal: %s", refused)
	}
	seq := h.view().Seq
	for i := range 20 {
		if r := try("198.51.100.7", 100+i); r.status != 429 {
			t.Fatalf("try %d from the limited panel: %s", i, r)
		}
	}
	if after := h.view().Seq; after != seq {
		t.Fatalf("refused tries wrote %d events", after-seq)
	}
	if r := try("198.51.100.8", 0); r.status == 429 {
		t.Fatalf("another panel: %s", r)
	}
}

var routeParam = regexp.MustCompile(`\{[^}]*\}`)

// staffRoutes are the API's routes that refuse a caller who is not signed
// in, with their parameters filled in.
func staffRoutes(t *testing.T, h *demoHall) [][2]string {
	t.Helper()
	var out [][2]string
	err := chi.Walk(h.run.Server.Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.HasPrefix(route, "/api/v1/") {
			return nil
		}
		path := strings.NewReplacer("{id}", "1", "{bank}", "L1", "{comp}", "01", "{compartment}", "01").Replace(route)
		path = routeParam.ReplaceAllString(path, "x")
		if r := h.req(method, path, "", map[string]any{}); r.status == 401 {
			out = append(out, [2]string{method, path})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// After a sign-off the token is refused on every staff endpoint, the
// locker's retrieve among them, and still after a restart on the same data.
func TestSignOffEndsTheToken(t *testing.T) {
	h := startHall(t, "")
	old := h.login("1001")
	other := h.login("1001") // another terminal's sign-in ends too
	h.must(200, "GET", "/api/v1/lockers", old, nil)
	h.must(200, "POST", "/api/v1/logout", old, nil)

	check := func(h *demoHall) {
		t.Helper()
		routes := staffRoutes(t, h)
		if len(routes) < 20 {
			t.Fatalf("only %d staff routes found: %v", len(routes), routes)
		}
		t.Logf("%d staff routes", len(routes))
		retrieve := false
		for _, rt := range routes {
			retrieve = retrieve || strings.HasSuffix(rt[1], "/retrieve")
			for _, tok := range []string{old, other} {
				r := h.req(rt[0], rt[1], tok, map[string]any{})
				if r.status != 401 || r.apiError(t).Error.Reason != "signed_off" {
					t.Errorf("%s %s with a signed-off token: %s", rt[0], rt[1], r)
				}
			}
		}
		if !retrieve {
			t.Error("the locker's retrieve is not among the staff routes")
		}
	}
	check(h)
	h = h.restart()
	check(h)
	fresh := h.login("1001")
	h.must(200, "GET", "/api/v1/lockers", fresh, nil)
}
