package server_test

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/frontend/browsertest"
)

// TestOneLanguageOnEveryPage: the language chosen on one face is the
// language of every face, the frontend's and the server's own alike, kept
// under one storage key.
func TestOneLanguageOnEveryPage(t *testing.T) {
	run := apptest.Start(t, app.Options{})
	kiosk := browsertest.Open(t, run.URL+"/kiosk", 1080, 1920)
	kiosk.WaitText(".lead", "请选择办理的业务")
	kiosk.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	kiosk.WaitJS(`document.documentElement.lang === 'en'`)

	var devices *browsertest.Tab
	for _, p := range []struct{ path, css, want string }{
		{"/locker/L1", "#tab-pickup", "Collect"},
		{"/lockers", "h1", "Lockers"},
		{"/devices", "h1", "Devices"},
	} {
		tab := browsertest.Open(t, run.URL+p.path, 1280, 900)
		tab.WaitJS(`document.documentElement.lang === 'en' && document.title.indexOf('hallfloor') > 0`)
		tab.WaitText(p.css, p.want)
		tab.WaitText("[data-conn]", "Connected")
		tab.WaitText("[data-lang-toggle]", "中文")
		devices = tab
	}
	var keys []string
	devices.Eval(`Object.keys(localStorage)`, &keys)
	if !slices.Contains(keys, "hf.lang") || slices.ContainsFunc(keys, func(k string) bool { return k != "hf.lang" && k != "hf.voice" && k != "hf.target" }) {
		t.Errorf("localStorage holds %v; the language lives under hf.lang alone", keys)
	}

	// Back to Chinese from the devices page: a face opened next is Chinese.
	devices.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	devices.WaitText("h1", "设备")
	panel := browsertest.Open(t, run.URL+"/locker/L1", 1280, 900)
	panel.WaitText("#tab-pickup", "取件")
	panel.WaitJS(`document.documentElement.lang === 'zh-CN'`)
}

// TestDevicesPageInBrowser drives the simulated devices from /devices, whose
// script is a file of its own under the pages' Content-Security-Policy (a
// refused script would fail the tab): the page says the devices are
// simulated and offers no button before a manager signs in (a clerk is
// refused); then a held call button calls the next number, an unlock
// pulses the relay, and the door opens and shuts.
func TestDevicesPageInBrowser(t *testing.T) {
	h := startDevHall(t, true, 0)
	h.openWindow1(1)
	ws := h.dialWS()
	page := browsertest.Open(t, h.ts.URL+"/devices", 1600, 1000)
	page.WaitJS(`!document.getElementById('sim-notice').hidden && !document.getElementById('sim-signin').hidden && document.querySelector('[data-conn]').getAttribute('data-state') === 'online'`)
	page.WaitText("#sim-notice", "本大厅的设备是模拟设备")
	page.WaitText("#sim-demo", "admin")
	if n := page.EvalString(`String(document.querySelectorAll('button[data-pin], button[data-door]').length)`); n != "0" {
		t.Fatalf("%s simulator buttons before anyone signed in", n)
	}
	signIn := func(staff string) {
		page.Do(
			chromedp.SetValue(chromedp.CSS("#staff"), staff),
			chromedp.SetValue(chromedp.CSS("#password"), "demo"),
			chromedp.Click(chromedp.CSS(`#sim-signin button[type=submit]`)),
		)
	}
	signIn("1001")
	page.WaitText("#signin-error", "不是大厅管理员")
	signIn("admin")
	page.WaitJS(`document.querySelectorAll('button[data-door]').length >= 12 && document.getElementById('sim-signin').hidden`)
	page.WaitText("#mode", "模拟设备")
	page.WaitText(`#health tr[data-device="locker:L1:01"]`, "正常")

	page.Do(chromedp.Click(chromedp.CSS(`#window-1 button[data-pin="GPIO17"]`)))
	if m := nextOfType(t, ws, "ticket.called"); m.Type != "ticket.called" {
		t.Fatalf("got %s", m.Type)
	}

	// Without the spring latch the door stays shut until it is opened here.
	page.Do(chromedp.Click(chromedp.CSS("#spring")))
	page.Do(chromedp.Click(chromedp.CSS(`#box-L1-01 button.unlock`)))
	h.expectActivity("locker:L1:01", "pulse")
	// The relay lets go before the door is opened here, so the door's
	// closing is the compartment's last activity, whatever the machine's load.
	h.expectActivity("locker:L1:01", "off")
	page.Do(chromedp.Click(chromedp.CSS(`#box-L1-01 button[data-door]`)))
	h.expectActivity("locker:L1:01", "opened")
	page.WaitText(`#box-L1-01 span[data-door]`, "开")
	page.WaitText(`#box-L1-01 button[data-door]`, "关门")
	page.Do(chromedp.Click(chromedp.CSS(`#box-L1-01 button[data-door]`)))
	h.expectActivity("locker:L1:01", "closed")
	page.WaitText(`#box-L1-01 span[data-door]`, "关")
	page.WaitText(`#health tr[data-device="locker:L1:01"]`, "门关")

	// A card placed on kiosk K1's simulated reader is read, and shows
	// masked among its activity.
	page.WaitJS(`!document.getElementById('sim-cards').hidden && document.getElementById('card-place').value === 'kiosk:K1'`)
	page.Do(
		chromedp.SetValue(chromedp.CSS("#card-id"), "11010519491231002X"),
		chromedp.Click(chromedp.CSS(`#card-form button[type=submit]`)),
	)
	h.expectActivity("kiosk:K1:card_reader", "read")
	page.WaitText(`#health tr[data-device="kiosk:K1:card_reader"]`, "110105********002X")
}
