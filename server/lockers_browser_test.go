package server_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"hallfloor/frontend/browsertest"
)

// The lockers' pages in a real headless Chromium against the demo hall with
// its simulated locker bank.

// TestLockerPagesDepositAndPickup: a clerk deposits from the locker page,
// the simulated door opens and shuts, the code is read from the outbox, the
// applicant types it at the bank's panel, the door is released, opens and
// shuts, and the pickup is recorded.
func TestLockerPagesDepositAndPickup(t *testing.T) {
	h := startLockHall(t, nil)

	admin := browsertest.Open(t, h.ts.URL+"/lockers?case=2026-0500", 1280, 900)
	admin.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "1001"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signin button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#deposit")),
	)
	// The case number came with the address (the counter's button).
	admin.WaitText(`[data-comp="L1/01"]`, "01")
	// An event at one door redraws that card only: another card keeps its
	// node, so a click begun on it lands.
	var marked bool
	admin.Eval(`(window.__card5 = document.querySelector('[data-comp="L1/05"]')) !== null`, &marked)
	admin.Do(
		chromedp.SendKeys(chromedp.CSS("#d-what"), "营业执照"),
		chromedp.SendKeys(chromedp.CSS("#d-name"), "张三"),
		chromedp.SendKeys(chromedp.CSS("#d-id"), applicantID),
		chromedp.SendKeys(chromedp.CSS("#d-phone"), "13800138000"),
		chromedp.Click(chromedp.CSS("#deposit button[type=submit]")),
	)
	admin.WaitText("#deposit-result", "L1-01")
	if m := h.event("locker.released"); !strings.Contains(string(m.Data), `"comp":"L1/01"`) {
		t.Fatalf("released %s", m.Data)
	}

	// The clerk opens the simulated door, puts the licence in, shuts it.
	h.door("01", true)
	h.event("locker.door_opened")
	h.door("01", false)
	h.event("locker.stored")
	admin.WaitText("#deposit-result", "取件码已发送")
	admin.WaitText(`[data-comp="L1/01"]`, "2026-0500")
	admin.WaitJS(`window.__card5 === document.querySelector('[data-comp="L1/05"]') && window.__card5.isConnected`)
	<-h.sent

	// The demo hall's outbox shows the text, code included.
	a := h.call("GET", "/api/v1/outbox", h.login("admin"), nil)
	m := regexp.MustCompile(`取件码 (\d{6})`).FindStringSubmatch(string(a.body))
	if a.code != 200 || m == nil {
		t.Fatalf("outbox: %d %s", a.code, a.body)
	}
	code := m[1]

	panel := browsertest.Open(t, h.ts.URL+"/locker/L1", 1280, 900)
	panel.WaitText("#title", "L1")
	// A wrong code first: one message, no hint of which part was wrong.
	press := func(s string) {
		for _, c := range s {
			panel.Do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#keypad [data-k="%c"]`, c))))
		}
	}
	press(applicantID)
	press("000000")
	panel.Do(chromedp.Click(chromedp.CSS("#submit")))
	panel.WaitText("#error", "身份证号或取件码不正确")

	// Nothing typed stays on the panel: the ID number is typed again.
	press(applicantID)
	press(code)
	for len(h.acts) > 0 { // what the devices did before the pickup
		<-h.acts
	}
	panel.Do(chromedp.Click(chromedp.CSS("#submit")))
	panel.WaitText("#opened-comp", "01")
	// The simulated lock relay pulses for the journaled release.
	if m := h.event("locker.released"); !strings.Contains(string(m.Data), `"purpose":"pickup"`) {
		t.Fatalf("released %s", m.Data)
	}
	h.activity("locker:L1:01", "pulse")
	h.door("01", true)
	panel.WaitText("#opened-msg", "请取出物品并关好柜门")
	h.door("01", false)
	panel.WaitText("#opened-msg", "取件完成")

	a = h.call("GET", "/api/v1/lockers/receipts", h.login("admin"), nil)
	if a.code != 200 || !strings.Contains(string(a.body), `"kind":"picked_up"`) || !strings.Contains(string(a.body), "2026-0500") {
		t.Fatalf("receipts: %d %s", a.code, a.body)
	}
	admin.WaitText(`[data-comp="L1/01"]`, "空闲")
}
