// Package browsertest drives the hall's pages in a real headless Chromium
// for tests: one browser for the whole test binary, a tab per page, and
// any JavaScript error on a page failing the test that opened it.
package browsertest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// ChromiumPath is Debian's chromium; CI (.ci/run) installs it.
const ChromiumPath = "/usr/bin/chromium"

// Step bounds one browser step: a page that has not done what a test waits
// for by then has failed.
const Step = 20 * time.Second

var (
	once        sync.Once
	browserCtx  context.Context
	browserErr  error
	downloadDir string
)

// Browser starts one headless Chromium for the whole test binary, with a
// fresh profile, and returns its context; tabs are opened in it.
func Browser(t testing.TB) context.Context {
	t.Helper()
	once.Do(start)
	if browserErr != nil {
		t.Fatal(browserErr)
	}
	return browserCtx
}

func start() {
	if _, err := os.Stat(ChromiumPath); err != nil {
		browserErr = fmt.Errorf("browser tests need Chromium at %s (apt-get install chromium, or run bash .ci/run): %w", ChromiumPath, err)
		return
	}
	dir, err := os.MkdirTemp("", "hallfloor-chromium-")
	if err != nil {
		browserErr = err
		return
	}
	alloc, _ := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(ChromiumPath),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		// Without these the browser reaches for the network, which a hall's
		// test machine does not have.
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		// Tabs in the background keep their timers, as a hall's screens do.
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("autoplay-policy", "no-user-gesture-required"),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.Env("TZ=Asia/Shanghai"),
	)
	ctx, _ := chromedp.NewContext(alloc)
	// The first action starts the browser, which lives as long as ctx: no
	// timeout on it.
	if err := chromedp.Do(ctx); err != nil {
		browserErr = err
		return
	}
	// Downloads go to a directory of the tests', not the user's.
	downloadDir = filepath.Join(dir, "downloads")
	if _, err := chromedp.CallBrowser(ctx, cdpbrowser.SetDownloadBehavior, cdpbrowser.SetDownloadBehaviorParams{
		Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: downloadDir,
	}); err != nil {
		browserErr = err
		return
	}
	browserCtx = ctx
}

// Tab is one browser tab showing a page.
type Tab struct {
	t   testing.TB
	ctx context.Context
	mu  sync.Mutex
	js  []string
}

// cspWatch runs in every document a tab opens, before the page's own
// scripts: whatever the page's Content-Security-Policy refuses (an inline
// script or style, a load from elsewhere) becomes a JavaScript error, and so
// fails the test, instead of a page that silently does less.
const cspWatch = `document.addEventListener('securitypolicyviolation', function (e) {
  throw new Error('Content-Security-Policy refused ' + e.violatedDirective + ': ' + (e.blockedURI || 'inline') + ' at ' + e.sourceFile + ':' + e.lineNumber);
});`

// Open opens url in a new tab of the given size.
func Open(t testing.TB, url string, width, height int64) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(Browser(t))
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil { // opens the tab, no timeout
		t.Fatal(err)
	}
	if _, err := chromedp.Call(ctx, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: cspWatch}); err != nil {
		t.Fatal(err)
	}
	tb := &Tab{t: t, ctx: ctx}
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
	tb.Do(chromedp.EmulateViewport(width, height), chromedp.Navigate(url))
	return tb
}

// T is the test that opened the tab.
func (tb *Tab) T() testing.TB { return tb.t }

// Context is the tab's, for chromedp actions not covered here.
func (tb *Tab) Context() context.Context { return tb.ctx }

// Do runs steps in the tab.
func (tb *Tab) Do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, Step)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

// WaitJS waits until the JavaScript expression is truthy.
func (tb *Tab) WaitJS(expr string) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, Step)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		got := tb.EvalString(`document.body ? document.body.innerText.slice(0, 600) : ''`)
		tb.t.Fatalf("waiting for %s: %v\npage text: %s", expr, err, got)
	}
}

// Eval evaluates expr and decodes its value into out.
func (tb *Tab) Eval(expr string, out any) {
	tb.t.Helper()
	tb.eval(expr, out)
}

// EvalAsync is Eval for an expression whose value is a promise.
func (tb *Tab) EvalAsync(expr string, out any) {
	tb.t.Helper()
	tb.eval(expr, out, chromedp.EvalAwaitPromise)
}

func (tb *Tab) eval(expr string, out any, opts ...chromedp.EvaluateOption) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, Step)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr, opts...))
	if err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
	if err := json.Unmarshal(raw, out); err != nil {
		tb.t.Fatalf("evaluate %s: %v", expr, err)
	}
}

// HiddenJS reports whether the element is hidden (by the hidden attribute
// or by being out of the layout).
func (tb *Tab) HiddenJS(css string) bool {
	tb.t.Helper()
	sel, _ := json.Marshal(css)
	var hidden bool
	tb.Eval(fmt.Sprintf(`(function(){var e=document.querySelector(%s);return !e || e.hidden || e.offsetParent === null;})()`, sel), &hidden)
	return hidden
}

// EvalString evaluates a string expression; "" if it fails.
func (tb *Tab) EvalString(expr string) string {
	ctx, cancel := context.WithTimeout(tb.ctx, Step)
	defer cancel()
	s, _ := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	return s
}

// Text is the trimmed text of the element.
func (tb *Tab) Text(css string) string {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, Step)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		tb.t.Fatalf("text of %s: %v", css, err)
	}
	return strings.TrimSpace(s)
}

// WaitText waits until the visible element's text contains want.
func (tb *Tab) WaitText(css, want string) {
	tb.t.Helper()
	sel, _ := json.Marshal(css)
	w, _ := json.Marshal(want)
	tb.WaitJS(fmt.Sprintf(`(function(){var e=document.querySelector(%s);return !!e && e.offsetParent !== null && e.textContent.indexOf(%s) >= 0;})()`, sel, w))
}

// Screenshot captures the tab's viewport as PNG.
func (tb *Tab) Screenshot() []byte {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, Step)
	defer cancel()
	b, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		tb.t.Fatal(err)
	}
	return b
}

// WaitDownload waits until a file of that name has been downloaded, and
// returns its content.
func WaitDownload(t testing.TB, name string) []byte {
	t.Helper()
	deadline := time.Now().Add(Step)
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
