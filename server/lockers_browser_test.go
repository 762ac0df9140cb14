package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// The lockers' pages in a real headless Chromium against the demo hall with
// its simulated locker bank.

const lockerChromium = "/usr/bin/chromium"

// lockerBrowser starts a headless Chromium for the test; each page is a tab.
func lockerBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(lockerChromium); err != nil {
		t.Fatalf("browser tests need Chromium at %s (apt-get install chromium): %v", lockerChromium, err)
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(lockerChromium),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("lang", "zh-CN"),
	)
	ctx, cancel := chromedp.NewContext(alloc)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first action starts the browser, which lives as long as ctx.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	return ctx
}

type lockerTab struct {
	t   *testing.T
	ctx context.Context
	mu  sync.Mutex
	js  []string
}

func openLockerTab(t *testing.T, browser context.Context, url string) *lockerTab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatal(err)
	}
	tb := &lockerTab{t: t, ctx: ctx}
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
	tb.do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(url))
	return tb
}

const lockerStep = 20 * time.Second

func (tb *lockerTab) do(steps ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	ctx, cancel := context.WithTimeout(tb.ctx, lockerStep)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		tb.t.Fatalf("browser: %v", err)
	}
}

// waitText waits until the visible element's text contains want.
func (tb *lockerTab) waitText(css, want string) {
	tb.t.Helper()
	sel, _ := json.Marshal(css)
	w, _ := json.Marshal(want)
	expr := fmt.Sprintf(`(function(){var e=document.querySelector(%s);return !!e && e.offsetParent !== null && e.textContent.indexOf(%s) >= 0;})()`, sel, w)
	ctx, cancel := context.WithTimeout(tb.ctx, lockerStep)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](expr, chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		page, _ := chromedp.Run(tb.ctx, chromedp.Evaluate[string](`document.body.innerText.slice(0, 800)`))
		tb.t.Fatalf("waiting for %q in %s: %v\npage: %s", want, css, err, page)
	}
}

// TestLockerPagesDepositAndPickup: a clerk deposits from the locker page,
// the simulated door opens and shuts, the code is read from the outbox, the
// applicant types it at the bank's panel, the door is released, opens and
// shuts, and the pickup is recorded.
func TestLockerPagesDepositAndPickup(t *testing.T) {
	h := startLockHall(t, nil)
	browser := lockerBrowser(t)

	admin := openLockerTab(t, browser, h.ts.URL+"/lockers?case=2026-0500")
	admin.do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "1001"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signin button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#deposit")),
	)
	// The case number came with the address (the counter's button).
	admin.waitText(`[data-comp="L1/01"]`, "01")
	admin.do(
		chromedp.SendKeys(chromedp.CSS("#d-what"), "营业执照"),
		chromedp.SendKeys(chromedp.CSS("#d-name"), "张三"),
		chromedp.SendKeys(chromedp.CSS("#d-id"), applicantID),
		chromedp.SendKeys(chromedp.CSS("#d-phone"), "13800138000"),
		chromedp.Click(chromedp.CSS("#deposit button[type=submit]")),
	)
	admin.waitText("#deposit-result", "L1-01")
	if m := h.event("locker.released"); !strings.Contains(string(m.Data), `"comp":"L1/01"`) {
		t.Fatalf("released %s", m.Data)
	}

	// The clerk opens the simulated door, puts the licence in, shuts it.
	h.door("01", true)
	h.event("locker.door_opened")
	h.door("01", false)
	h.event("locker.stored")
	admin.waitText("#deposit-result", "取件码已发送")
	admin.waitText(`[data-comp="L1/01"]`, "2026-0500")
	<-h.sent

	// The demo hall's outbox shows the text, code included.
	a := h.call("GET", "/api/v1/outbox", h.token("admin"), nil)
	m := regexp.MustCompile(`取件码 (\d{6})`).FindStringSubmatch(string(a.body))
	if a.code != 200 || m == nil {
		t.Fatalf("outbox: %d %s", a.code, a.body)
	}
	code := m[1]

	panel := openLockerTab(t, browser, h.ts.URL+"/locker/L1")
	panel.waitText("#title", "L1")
	// A wrong code first: one message, no hint of which part was wrong.
	press := func(s string) {
		for _, c := range s {
			panel.do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#keypad [data-k="%c"]`, c))))
		}
	}
	press(applicantID)
	press("000000")
	panel.do(chromedp.Click(chromedp.CSS("#submit")))
	panel.waitText("#error", "身份证号或取件码不正确")

	press(code)
	for len(h.acts) > 0 { // what the devices did before the pickup
		<-h.acts
	}
	panel.do(chromedp.Click(chromedp.CSS("#submit")))
	panel.waitText("#opened-comp", "01")
	// The simulated lock relay pulses for the journaled release.
	if m := h.event("locker.released"); !strings.Contains(string(m.Data), `"purpose":"pickup"`) {
		t.Fatalf("released %s", m.Data)
	}
	h.activity("locker:L1:01", "pulse")
	h.door("01", true)
	panel.waitText("#opened-msg", "请取出物品并关好柜门")
	h.door("01", false)
	panel.waitText("#opened-msg", "取件完成")

	a = h.call("GET", "/api/v1/lockers/receipts", h.token("admin"), nil)
	if a.code != 200 || !strings.Contains(string(a.body), `"kind":"picked_up"`) || !strings.Contains(string(a.body), "2026-0500") {
		t.Fatalf("receipts: %d %s", a.code, a.body)
	}
	admin.waitText(`[data-comp="L1/01"]`, "空闲")
}
