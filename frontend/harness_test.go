package frontend_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/frontend/browsertest"
	"hallfloor/server"
)

// testHall is the demo hall on a real server: SQLite journal, engine, API,
// WebSocket and the pages, on a random port. wsBlocked refuses new
// WebSocket connections, as a network outage would; intercept, when set,
// sees every request first and answers it instead of the server when it
// returns true (a test standing in for an answer the server does not give
// yet).
type testHall struct {
	t         *testing.T
	srv       *server.Server
	eng       *engine.Engine
	ts        *httptest.Server
	wsBlocked atomic.Bool
	intercept atomic.Pointer[func(http.ResponseWriter, *http.Request) bool]

	mu     sync.Mutex
	wsURLs []string // every /ws request the pages made, with its query
}

func startHall(t *testing.T) *testHall { return startHallWith(t, nil, nil) }

// startHallWith is startHall with the demo hall file changed by edit and the
// hall's clock (time.Now when nil). Reports read the journal through a
// second handle, as hallfloor serve does.
func startHallWith(t *testing.T, edit func(*config.Hall), clock func() time.Time) *testHall {
	t.Helper()
	cfg := config.Demo()
	if edit != nil {
		edit(cfg)
	}
	h := &testHall{t: t}
	run := apptest.StartWrapped(t, app.Options{Hall: cfg, Clock: clock}, func(srv http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if f := h.intercept.Load(); f != nil && (*f)(w, r) {
				return
			}
			if r.URL.Path == "/ws" {
				h.mu.Lock()
				h.wsURLs = append(h.wsURLs, r.URL.RequestURI())
				h.mu.Unlock()
				if h.wsBlocked.Load() {
					http.Error(w, "network down", http.StatusServiceUnavailable)
					return
				}
			}
			srv.ServeHTTP(w, r)
		})
	})
	h.srv, h.eng, h.ts = run.Server, run.Engine, run.HTTP
	return h
}

func (h *testHall) url(path string) string { return h.ts.URL + path }

// call makes an API request and decodes the answer into out (when not nil),
// failing the test on any status other than want.
func (h *testHall) call(want int, method, path, token string, body, out any) {
	h.t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, h.url(path), rd)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		h.t.Fatalf("%s %s: status %d, want %d: %s", method, path, res.StatusCode, want, b)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			h.t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
}

// try makes an API request that may answer with any of the statuses.
func (h *testHall) try(method, path, token string, body any, statuses ...int) int {
	h.t.Helper()
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, h.url(path), bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	msg, _ := io.ReadAll(res.Body)
	for _, s := range statuses {
		if res.StatusCode == s {
			return s
		}
	}
	h.t.Fatalf("%s %s: status %d, want one of %v: %s", method, path, res.StatusCode, statuses, msg)
	return 0
}

func (h *testHall) login(staff string) string {
	var r struct{ Token string }
	h.call(200, "POST", "/api/v1/login", "", map[string]string{"staff": staff, "password": "demo"}, &r)
	return r.Token
}

type ticket struct {
	ID     string `json:"id"`
	Key    string `json:"key"`
	Number string `json:"number"`
	Status string `json:"status"`
	Window string `json:"window"`
}

func (h *testHall) issue(service string) ticket {
	var t ticket
	h.call(201, "POST", "/api/v1/tickets", "", map[string]string{"service": service}, &t)
	return t
}

func (h *testHall) act(token, window, action string, body any) {
	h.t.Helper()
	if body == nil {
		body = map[string]any{}
	}
	h.call(200, "POST", "/api/v1/windows/"+window+"/"+action, token, body, nil)
}

func (h *testHall) seq() uint64 {
	var v struct{ Seq uint64 }
	h.call(200, "GET", "/api/v1/hall", "", nil, &v)
	return v.Seq
}

func (h *testHall) wsRequests() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.wsURLs...)
}

// ---- the browser ----

// tab is one browser tab showing a page; JavaScript errors on it fail the
// test.
type tab = browsertest.Tab

func openTab(t *testing.T, url string, width, height int64) *tab {
	t.Helper()
	return browsertest.Open(t, url, width, height)
}

// takeFirstA opens a kiosk at url and takes the day's first number of
// service A there, A001; the kiosk shows its slip.
func takeFirstA(t *testing.T, url string) *tab {
	t.Helper()
	kiosk := openTab(t, url, 1080, 1920)
	kiosk.WaitJS(`document.querySelector('button.svc[data-service="A"]') !== null`)
	kiosk.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)))
	kiosk.WaitText("#slip-number", "A001")
	return kiosk
}

func waitDownload(t *testing.T, name string) []byte {
	t.Helper()
	return browsertest.WaitDownload(t, name)
}
