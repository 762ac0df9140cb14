package server_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"hallfloor/frontend/browsertest"
)

// TestDevicesPageInBrowser drives the simulated devices from /devices, whose
// script is a file of its own under the pages' Content-Security-Policy (a
// refused script would fail the tab): a held call button calls the next
// number, an unlock pulses the relay, and the door opens and shuts.
func TestDevicesPageInBrowser(t *testing.T) {
	h := startDevHall(t, true, 0)
	h.openWindow1(1)
	ws := h.dialWS()
	page := browsertest.Open(t, h.ts.URL+"/devices", 1600, 1000)
	page.WaitJS(`document.querySelectorAll('button[data-door]').length >= 12 && document.querySelector('[data-conn]').getAttribute('data-state') === 'online'`)
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
	page.Do(chromedp.Click(chromedp.CSS(`#box-L1-01 button[data-door]`)))
	h.expectActivity("locker:L1:01", "opened")
	page.WaitText(`#box-L1-01 span[data-door]`, "开")
	page.WaitText(`#box-L1-01 button[data-door]`, "关门")
	page.Do(chromedp.Click(chromedp.CSS(`#box-L1-01 button[data-door]`)))
	h.expectActivity("locker:L1:01", "closed")
	page.WaitText(`#box-L1-01 span[data-door]`, "关")
	page.WaitText(`#health tr[data-device="locker:L1:01"]`, "门关")
}
