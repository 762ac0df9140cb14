package server_test

import (
	"encoding/json"
	"testing"
	"time"

	"hallfloor/devices"
	"hallfloor/display"
	"hallfloor/equipment"
	"hallfloor/frontend/browsertest"
)

// The demo hall's LED bars run on the simulated controller: a call at
// window 1 shows on its bar, and /devices lists the controller online and
// each bar with the line it shows, worded as the window's screen words it.
func TestDemoLEDBarsOnDevices(t *testing.T) {
	h := startDevHall(t, true, 0)
	h.openWindow1(1)
	if code, b := h.call("POST", "/api/v1/windows/1/call", h.login("1001"), nil); code != 200 {
		t.Fatalf("call: %d %s", code, b)
	}
	want := display.CallText("A001", "1")
	deadline := time.Now().Add(10 * time.Second) // a deadline for what must happen, not a measure of speed
	for {
		bar, ctl := h.ledDevices()
		if bar.Last != nil && bar.Last.What == "shown" && bar.Last.Detail == want {
			if ctl.Kind != "led_controller" || ctl.Status != equipment.OK || !ctl.State["online"] || bar.Kind != "led_bar" || bar.Window != "1" {
				t.Fatalf("controller %+v, bar %+v", ctl, bar)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("bar 1 never showed %q: %+v", want, bar)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// ledDevices are window 1's bar and its controller as GET /api/v1/devices
// lists them.
func (h *devHall) ledDevices() (bar, ctl devices.Health) {
	h.tb.Helper()
	code, b := h.call("GET", "/api/v1/devices", "", nil)
	if code != 200 {
		h.tb.Fatalf("devices: %d %s", code, b)
	}
	var v struct {
		Devices []devices.Health `json:"devices"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		h.tb.Fatal(err)
	}
	for _, d := range v.Devices {
		switch d.Device {
		case "led:led1:1":
			bar = d
		case "led:led1":
			ctl = d
		}
	}
	return bar, ctl
}

// /devices words the controller and the bars, and shows what a bar shows.
func TestLEDBarsOnTheDevicesPage(t *testing.T) {
	h := startDevHall(t, true, 0)
	h.openWindow1(1)
	page := browsertest.Open(t, h.ts.URL+"/devices", 1600, 1000)
	page.WaitText(`#health tr[data-device="led:led1"]`, "LED控制器")
	page.WaitText(`#health tr[data-device="led:led1"]`, "正常")
	if code, b := h.call("POST", "/api/v1/windows/1/call", h.login("1001"), nil); code != 200 {
		t.Fatalf("call: %d %s", code, b)
	}
	page.WaitText(`#health tr[data-device="led:led1:1"]`, "LED条屏")
	page.WaitText(`#health tr[data-device="led:led1:1"]`, "显示 "+display.CallText("A001", "1"))
}
