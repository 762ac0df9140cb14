package frontend_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/server"
)

// testHall is the demo hall on a real server: SQLite journal, engine, API,
// WebSocket and the pages, on a random port. wsBlocked refuses new
// WebSocket connections, as a network outage would.
type testHall struct {
	t         *testing.T
	srv       *server.Server
	eng       *engine.Engine
	ts        *httptest.Server
	wsBlocked atomic.Bool

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

var (
	browserOnce sync.Once
	browserCtx  context.Context
	browserErr  error
	// downloadDir receives the files the pages download.
	downloadDir string
)

// chromiumPath is Debian's chromium; CI (.ci/run) installs it.
const chromiumPath = "/usr/bin/chromium"

// browser starts one headless Chromium for the whole test binary, with a
// fresh profile; each test opens its own tabs in it.
func browser(t *testing.T) context.Context {
	t.Helper()
	browserOnce.Do(func() {
		if _, err := os.Stat(chromiumPath); err != nil {
			browserErr = fmt.Errorf("browser tests need Chromium at %s (apt-get install chromium): %w", chromiumPath, err)
			return
		}
		dir, err := os.MkdirTemp("", "hallfloor-chromium-")
		if err != nil {
			browserErr = err
			return
		}
		alloc, _ := chromedp.NewExecAllocator(context.Background(),
			chromedp.ExecPath(chromiumPath),
			chromedp.UserDataDir(dir),
			chromedp.Flag("headless", true),
			chromedp.Flag("no-sandbox", true),
			chromedp.Flag("disable-gpu", true),
			chromedp.Flag("disable-background-networking", true),
			chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true),
			chromedp.Flag("disable-dev-shm-usage", true),
			chromedp.Flag("disable-renderer-backgrounding", true),
			chromedp.Flag("disable-background-timer-throttling", true),
			chromedp.Flag("disable-backgrounding-occluded-windows", true),
			chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
			chromedp.Flag("lang", "zh-CN"),
			chromedp.Env("TZ=Asia/Shanghai"),
		)
		ctx, _ := chromedp.NewContext(alloc)
		// The first action starts the browser, which lives as long as ctx:
		// no timeout on it.
		if err := chromedp.Do(ctx); err != nil {
			browserErr = err
			return
		}
		// Downloads go to a directory of the test's, not the user's.
		downloadDir = filepath.Join(dir, "downloads")
		if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
			Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloadDir,
		}); err != nil {
			browserErr = err
			return
		}
		browserCtx = ctx
	})
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	return browserCtx
}

// tab is one browser tab showing a page; JavaScript errors on it fail the
// test.
type tab struct {
	t   *testing.T
	ctx context.Context
	mu  sync.Mutex
	js  []string
}

func openTab(t *testing.T, url string, width, height int64) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser(t))
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab, no timeout
		t.Fatal(err)
	}
	tb := &tab{t: t, ctx: ctx}
	msgs := chromedp.Console(ctx)
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			if m.IsException() {
				tb.mu.Lock()
				tb.js = append(tb.js, m.String())
				tb.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		tb.mu.Lock()
		defer tb.mu.Unlock()
		for _, e := range tb.js {
			t.Errorf("JavaScript error on %s: %s", url, e)
		}
	})
	tb.do(chromedp.EmulateViewport(width, height), chromedp.Navigate(url))
	return tb
}

const step = 20 * time.Second

func (tb *tab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, step)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

// waitJS waits until the JavaScript expression is truthy.
func (tb *tab) waitJS(expr string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, step)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		got := tb.evalString(`document.body ? document.body.innerText.slice(0, 600) : ''`)
		tb.t.Fatalf("waiting for %s: %v\npage text: %s", expr, err, got)
	}
}

func (tb *tab) eval(expr string, out any) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, step)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
}

// evalAsync is eval for an expression whose value is a promise.
func (tb *tab) evalAsync(expr string, out any) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, step)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
}

// hiddenJS reports whether the element is hidden (by the hidden attribute
// or by being out of the layout).
func (tb *tab) hiddenJS(css string) bool {
	tb.t.Helper()
	sel, _ := json.Marshal(css)
	var hidden bool
	tb.eval(fmt.Sprintf(`(function(){var e=document.querySelector(%s);return !e || e.hidden || e.offsetParent === null;})()`, sel), &hidden)
	return hidden
}

func (tb *tab) evalString(expr string) string {
	var s string
	ctx, cancel := context.WithTimeout(tb.ctx, step)
	defer cancel()
	s, _ = chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	return s
}

func (tb *tab) text(css string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, step)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		tb.t.Fatalf("text of %s: %v", css, err)
	}
	return strings.TrimSpace(s)
}

// waitText waits until the element's text contains want.
func (tb *tab) waitText(css, want string) {
	tb.t.Helper()
	sel, _ := json.Marshal(css)
	w, _ := json.Marshal(want)
	tb.waitJS(fmt.Sprintf(`(function(){var e=document.querySelector(%s);return !!e && e.offsetParent !== null && e.textContent.indexOf(%s) >= 0;})()`, sel, w))
}

// waitDownload waits until a file of that name has been downloaded, and
// returns its content.
func waitDownload(t *testing.T, name string) []byte {
	t.Helper()
	deadline := time.Now().Add(step)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		b, err := os.ReadFile(filepath.Join(downloadDir, name))
		if err == nil && len(b) > 0 {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("no download %s in %s: %v", name, downloadDir, err)
		}
		<-tick.C
	}
}

func (tb *tab) screenshot() []byte {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, step)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatal(err)
	}
	return b
}
