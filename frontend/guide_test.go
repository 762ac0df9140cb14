package frontend_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// At the kiosk in guide mode a priority number needs a guide's sign-in:
// the box is off until the guide signs in, a wrong password is worded in
// Chinese, and the number issued with it is a priority one. The plain
// kiosk has no priority at all.
func TestGuideSignsInForAPriorityNumber(t *testing.T) {
	h := startHall(t)
	plain := openTab(t, h.url("/kiosk"), 1080, 1920)
	plain.WaitJS(`document.querySelector('button.svc[data-service="A"]') !== null`)
	var hidden bool
	plain.Eval(`document.getElementById('guide-row').hidden`, &hidden)
	if !hidden {
		t.Fatal("the plain kiosk offers priority")
	}

	k := openTab(t, h.url("/kiosk?mode=guide"), 1080, 1920)
	k.WaitJS(`document.querySelector('button.svc[data-service="A"]') !== null && !document.getElementById('guide-row').hidden`)
	var disabled bool
	k.Eval(`document.getElementById('priority').disabled`, &disabled)
	if !disabled {
		t.Fatal("priority can be ticked before a guide signs in")
	}
	k.Do(
		chromedp.SendKeys(chromedp.CSS("#guide-staff"), "2001"),
		chromedp.SendKeys(chromedp.CSS("#guide-password"), "wrong"),
		chromedp.Click(chromedp.CSS("#guide-go")),
	)
	k.WaitText("#guide-error", "工号或密码不正确")
	var cleared string
	k.Eval(`document.getElementById('guide-password').value = ''`, &cleared)
	k.Do(
		chromedp.SendKeys(chromedp.CSS("#guide-password"), "demo"),
		chromedp.Click(chromedp.CSS("#guide-go")),
	)
	k.WaitJS(`!document.getElementById('guide-who').hidden && !document.getElementById('priority').disabled`)
	k.Do(
		chromedp.Click(chromedp.CSS("#priority")),
		chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)),
	)
	k.WaitText("#slip-number", "A001")
	var tk struct {
		ID       string `json:"id"`
		Priority bool   `json:"priority"`
	}
	k.Eval(`window.__hf.kiosk.last()`, &tk)
	if !tk.Priority {
		t.Fatalf("the guide's number is not priority: %+v", tk)
	}
	k.WaitText("#slip-service", "优先")
}
