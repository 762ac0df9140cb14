package rs485_test

import (
	"encoding/json"
	"testing"

	"github.com/chromedp/chromedp"

	"hallfloor/frontend/browsertest"
	"hallfloor/queue"
)

// The /devices page drives the simulated bus as it drives simulated pins:
// a click on window 6's call key (bus1@3:key1) calls the next number, and
// the caller and its board are listed healthy among the devices.
func TestDevicesPagePressesBusKey(t *testing.T) {
	b := startBusHall(t)
	tk := b.openWindow6()
	ws := b.screen()
	page := browsertest.Open(t, b.h.URL+"/devices", 1600, 1000)
	page.WaitJS(`!document.getElementById('sim-signin').hidden`)
	page.Do(
		chromedp.SetValue(chromedp.CSS("#staff"), "admin"),
		chromedp.SetValue(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS(`#sim-signin button[type=submit]`)),
	)
	page.WaitJS(`document.querySelector('#window-6 button[data-pin="bus1@3:key1"]') !== null`)
	page.WaitText(`#health tr[data-device="bus:bus1@3"]`, "正常")
	page.WaitText(`#health tr[data-device="bus:bus1@10"]`, "bus1@10:door1")
	page.Do(chromedp.Click(chromedp.CSS(`#window-6 button[data-pin="bus1@3:key1"]`)))
	var called queue.TicketCalled
	json.Unmarshal(nextOfType(t, ws, "ticket.called"), &called)
	if called.Window != "6" || called.Ticket.Number != tk.Number {
		t.Fatalf("called %+v, want %s at window 6", called, tk.Number)
	}
	caller := b.h.Buses.Sim().Unit("bus1@3")
	b.until("the caller's display", func() bool { return caller.Text() == tk.Number })
	page.WaitText(`#health tr[data-device="window:6:display"]`, tk.Number)
}
