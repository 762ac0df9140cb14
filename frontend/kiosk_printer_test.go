package frontend_test

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hallfloor/config"
	"hallfloor/devices/escpos/escposim"
)

// waitPrinter waits until the devices show kiosk K1's printer with status.
func (h *testHall) waitPrinter(status string) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var d struct {
			Devices []struct{ Device, Status string }
		}
		h.call(200, "GET", "/api/v1/devices", "", nil, &d)
		for _, x := range d.Devices {
			if x.Device == "kiosk:K1:printer" && x.Status == status {
				return
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("the printer never showed %s: %+v", status, d.Devices)
		}
		time.Sleep(50 * time.Millisecond) // polling a condition
	}
}

// A kiosk whose printer is out of paper still issues the ticket and shows
// it, with its words for a slip that did not print (Chinese first, then in
// English); once the paper is in, its next slip prints and the words go.
func TestKioskSlipPrinterOutOfPaper(t *testing.T) {
	fake, err := escposim.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	fake.SetFaults(escposim.Faults{PaperOut: true})
	h := startHallWith(t, func(c *config.Hall) {
		c.Devices.Kiosks = []config.KioskDevices{{ID: "K1", Printer: &config.Printer{Address: fake.Addr()}}}
	}, nil)
	h.waitPrinter("fault")

	kiosk := takeFirstA(t, h.url("/kiosk?kiosk=K1"))
	kiosk.WaitText("#slip-noslip", "打印机缺纸 · 凭条未能打印，请到服务台取号")
	if kiosk.HiddenJS("#print") {
		t.Fatal("a slip not printed leaves no way to print it from the browser")
	}
	var set bool
	kiosk.Eval(`HF.setLang('en'), true`, &set) // the slip covers the page's toggle
	kiosk.WaitText("#slip-noslip", "The printer is out of paper · The slip did not print: please ask at the service desk")
	kiosk.Do(chromedp.Click(chromedp.CSS("#done")))

	fake.SetFaults(escposim.Faults{})
	h.waitPrinter("ok")
	kiosk.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)))
	kiosk.WaitText("#slip-number", "A002")
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	slips, err := fake.Wait(ctx, 1)
	if err != nil || slips[0].Largest() != "A002" {
		t.Fatalf("printed %+v (%v)", slips, err)
	}
	kiosk.WaitJS(`document.getElementById('slip-noslip').hidden && document.getElementById('print').hidden`)
}

// On /devices a manager gives the demo's fake printer a fault with a tick
// and sees the slips it printed drawn.
func TestDevicesPagePrinterBench(t *testing.T) {
	h := startHall(t)
	tb := openTab(t, h.url("/devices"), 1600, 1000)
	tb.WaitJS(`!document.getElementById('sim-signin').hidden`)
	tb.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#sim-signin button[type=submit]")),
	)
	tb.WaitText("#sim-printers h3", "自助机 K1 的打印机")
	tb.Do(chromedp.Click(chromedp.CSS(`[data-printer="K1"] [data-fault="cover_open"]`)))
	h.waitPrinter("fault")
	tb.Do(chromedp.Click(chromedp.CSS(`[data-printer="K1"] [data-fault="cover_open"]`)))
	h.waitPrinter("ok")
	h.call(201, "POST", "/api/v1/tickets", "", map[string]string{"service": "A", "kiosk": "K1"}, nil)
	tb.WaitText(`[data-printer="K1"] [data-count]`, "已打印 1 张")
	tb.WaitJS(`document.querySelector('[data-printer="K1"] img.slip').src.indexOf('data:image/png;base64,') === 0`)
}
