package frontend_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"

	"hallfloor/equipment"
)

// Two dashboards show the alerts the server decided, worded as it words
// them: a paused window appears on both, in Chinese, and in English after
// the language is switched; a window that resumes leaves both.
func TestDashboardsShowTheServersAlerts(t *testing.T) {
	h := startHall(t)
	one := openTab(t, h.url("/dashboard"), 1920, 1080)
	two := openTab(t, h.url("/dashboard"), 1366, 768)
	tok := h.login("1003")
	h.act(tok, "3", "open", nil)
	h.act(tok, "3", "pause", map[string]string{"reason": "午间休息"})
	const zh = "3 号窗口暂停：午间休息"
	has := func(text string) string {
		return fmt.Sprintf(`Array.from(document.querySelectorAll('#alerts li')).some(function (li) { return li.textContent === %q; })`, text)
	}
	one.WaitJS(has(zh))
	two.WaitJS(has(zh))
	one.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	one.WaitJS(has("Window 3 paused: 午间休息"))
	h.act(tok, "3", "resume", nil)
	two.WaitJS(`!` + has(zh))
	one.WaitJS(`!` + has("Window 3 paused: 午间休息"))
}

// A device's report reaches the dashboard in the hall's words, Chinese
// first, not in the devices layer's: a lamp whose pin cannot be driven is
// an alert that names the pin, with the driver's error as it said it.
func TestDeviceAlertsInTheHallsWords(t *testing.T) {
	h := startHall(t)
	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	dash.WaitJS(`document.body.classList.contains('online')`)
	report := equipment.Report{Device: "window:1:lamp", Kind: equipment.Fault,
		Finding: equipment.Finding{Reason: equipment.PinUndrivable, Pin: "GPIO24", Detail: "on: i2c: remote I/O error"}}
	if res := h.eng.Do(context.Background(), report, "", nil); res.Err != nil {
		t.Fatal(res.Err)
	}
	has := func(text string) string {
		return fmt.Sprintf(`Array.from(document.querySelectorAll('#alerts li')).some(function (li) { return li.textContent === %q; })`, text)
	}
	dash.WaitJS(has("设备 window:1:lamp：无法驱动引脚 GPIO24：on: i2c: remote I/O error"))
	dash.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	dash.WaitJS(has("Device window:1:lamp: Pin GPIO24 cannot be driven: on: i2c: remote I/O error"))
}
