package server_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
	"hallfloor/devices/escpos/escposim"
)

// kioskTicket is the answer to a kiosk's ticket.
type kioskTicket struct {
	ticket
	Consult *struct {
		Text string `json:"text"`
		Name string `json:"name"`
	} `json:"consult"`
	Slip struct {
		Kiosk  string `json:"kiosk"`
		Status string `json:"status"`
		Why    string `json:"why"`
		Fault  *struct {
			ZH string `json:"zh"`
			EN string `json:"en"`
		} `json:"fault"`
	} `json:"slip"`
}

func (h *demoHall) kioskIssue(service, kiosk string) kioskTicket {
	h.t.Helper()
	var tk kioskTicket
	h.must(201, "POST", "/api/v1/tickets", "", map[string]any{"service": service, "kiosk": kiosk}).into(h.t, &tk)
	return tk
}

func simPrinter(t *testing.T, h *demoHall, kiosk string) *escposim.Printer {
	t.Helper()
	for _, p := range h.run.SimPrinters() {
		if p.Kiosk == kiosk {
			return p.Printer
		}
	}
	t.Fatalf("kiosk %s has no simulated printer", kiosk)
	return nil
}

func waitSlips(t *testing.T, p *escposim.Printer, n int) []escposim.Slip {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	slips, err := p.Wait(ctx, n)
	if err != nil {
		t.Fatalf("%d slips of %d: %v", len(slips), n, err)
	}
	return slips
}

// The demo hall's kiosk K1 prints the slip of the ticket it issued on its
// printer (the fake one, over TCP): the number, the service, the hall and
// the QR code of the ticket's page with its holder key.
func TestKioskSlipPrints(t *testing.T) {
	h := startHall(t, "")
	fake := simPrinter(t, h, "K1")
	tk := h.kioskIssue("A", "K1")
	if tk.Number == "" || tk.Slip.Kiosk != "K1" || (tk.Slip.Status != "printed" && tk.Slip.Status != "queued") {
		t.Fatalf("answer %+v", tk)
	}
	slip := waitSlips(t, fake, 1)[0]
	lines := slip.Lines()
	if slip.Largest() != tk.Number || !slip.Cut {
		t.Fatalf("printed %q (cut %v), want %s", lines, slip.Cut, tk.Number)
	}
	for _, want := range []string{"演示政务服务中心", "社会民生"} {
		if !slices.ContainsFunc(lines, func(l string) bool { return strings.HasPrefix(l, want) }) {
			t.Errorf("no line %q in %q", want, lines)
		}
	}
	if qrs := slip.QRs(); len(qrs) != 1 || qrs[0] != h.url+"/t/"+tk.ID+"?k="+tk.Key {
		t.Fatalf("QR %q, want the ticket page %s/t/%s?k=%s", qrs, h.url, tk.ID, tk.Key)
	}
	// A ticket taken without a kiosk prints nothing and says nothing of a slip.
	plain := h.must(201, "POST", "/api/v1/tickets", "", map[string]any{"service": "A"}).json(t)
	if _, ok := plain["slip"]; ok {
		t.Fatalf("a ticket without a kiosk: %v", plain)
	}
	if n := len(fake.Slips()); n != 1 {
		t.Fatalf("%d slips printed", n)
	}
	// A 咨询号's slip says where to wait for the department, as its answer does.
	z := h.kioskIssue("S", "K1")
	if z.Consult == nil || z.Consult.Text == "" || z.Consult.Name == "" {
		t.Fatalf("the consultation's answer %+v", z)
	}
	if got := waitSlips(t, fake, 2)[1]; got.Largest() != z.Number || !slices.Contains(got.Lines(), z.Consult.Text) {
		t.Fatalf("the consultation's slip %q, want %q", got.Lines(), z.Consult.Text)
	}
}

// A printer's fault shows in the devices' health and in the kiosk's
// answer: the ticket is issued, its slip not printed, the fault worded.
func TestKioskSlipPrinterFault(t *testing.T) {
	h := startHall(t, "")
	fake := simPrinter(t, h, "K1")
	fake.SetFaults(escposim.Faults{PaperOut: true})
	h.waitDevice("kiosk:K1:printer", "fault", "paper_out")
	tk := h.kioskIssue("A", "K1")
	if tk.Number == "" || tk.Slip.Status != "not_printed" || tk.Slip.Why != "printer_fault" || tk.Slip.Fault == nil ||
		tk.Slip.Fault.ZH != "打印机缺纸" || tk.Slip.Fault.EN == "" {
		t.Fatalf("answer %+v", tk)
	}
	// The ticket is the hall's all the same.
	if got := h.ticket(tk.ID); got.Number != tk.Number || got.Status != "waiting" {
		t.Fatalf("ticket %+v", got)
	}
	fake.SetFaults(escposim.Faults{})
	h.waitDevice("kiosk:K1:printer", "ok", "printer_ready")
	if tk := h.kioskIssue("A", "K1"); tk.Slip.Status == "not_printed" {
		t.Fatalf("after the paper was changed: %+v", tk.Slip)
	}
	waitSlips(t, fake, 1)
}

// waitDevice waits for /api/v1/devices to show device with status and
// reason (the printer's driver asks its status every few seconds).
func (h *demoHall) waitDevice(device, status, reason string) {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		var d struct {
			Devices []struct {
				Device  string
				Status  string
				Finding struct{ Reason string }
				Said    *struct{ ZH string }
			}
		}
		h.must(200, "GET", "/api/v1/devices", "", nil).into(h.t, &d)
		for _, x := range d.Devices {
			if x.Device == device && x.Status == status && x.Finding.Reason == reason {
				return
			}
		}
		if time.Now().After(deadline) {
			h.t.Fatalf("%s never showed %s %s: %+v", device, status, reason, d.Devices)
		}
		time.Sleep(50 * time.Millisecond) // polling a condition, not waiting out a race
	}
}

// Only the kiosk prints: a request from an address that is not the
// kiosk's issues the ticket and says the slip was not printed, and a kiosk
// the hall file does not name prints nothing either. A kiosk whose printer
// is on the network prints there.
func TestKioskSlipOnlyFromTheKiosk(t *testing.T) {
	fake, err := escposim.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	hall := config.Demo()
	hall.Devices.Kiosks = []config.KioskDevices{
		{ID: "K1", Printer: &config.Printer{Address: fake.Addr()}},
		{ID: "K2", Address: "10.9.9.9", Printer: &config.Printer{Address: "127.0.0.1:1"}},
	}
	run := apptest.Start(t, app.Options{Hall: hall})
	h := &demoHall{client: client{t, run.URL}, t: t, run: run}
	if tk := h.kioskIssue("A", "K2"); tk.Number == "" || tk.Slip.Status != "not_printed" || tk.Slip.Why != "not_this_kiosk" {
		t.Fatalf("from another address: %+v", tk)
	}
	if tk := h.kioskIssue("A", "K9"); tk.Number == "" || tk.Slip.Why != "no_kiosk" {
		t.Fatalf("an unknown kiosk: %+v", tk)
	}
	tk := h.kioskIssue("B", "K1")
	if got := waitSlips(t, fake, 1); got[0].Largest() != tk.Number {
		t.Fatalf("printed %q, want %s", got[0].Lines(), tk.Number)
	}
	var raw map[string]json.RawMessage
	h.must(201, "POST", "/api/v1/tickets", "", map[string]any{"service": "A", "kiosk": "K1"}, "Idempotency-Key", "tap-1").into(t, &raw)
	again := h.must(201, "POST", "/api/v1/tickets", "", map[string]any{"service": "A", "kiosk": "K1"}, "Idempotency-Key", "tap-1")
	if again.header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("the repeat was not replayed: %s", again)
	}
	// The repeat of a tap prints no second slip.
	waitSlips(t, fake, 2)
	if n := len(fake.Slips()); n != 2 {
		t.Fatalf("%d slips for two tickets", n)
	}
}

// The devices page's bench gives the demo's fake printer its faults and
// shows the last slip it printed, to a manager only.
func TestSimPrinterBench(t *testing.T) {
	h := startHall(t, "")
	h.must(401, "GET", "/api/v1/sim/printers", "", nil)
	admin := h.login("admin")
	var list []struct {
		Kiosk  string
		Faults struct {
			CoverOpen bool `json:"cover_open"`
		}
		Slips int
	}
	h.must(200, "GET", "/api/v1/sim/printers", admin, nil).into(t, &list)
	if len(list) != 1 || list[0].Kiosk != "K1" || list[0].Slips != 0 {
		t.Fatalf("printers %+v", list)
	}
	h.must(404, "GET", "/api/v1/sim/printers/K1/slip", admin, nil)
	h.must(202, "POST", "/api/v1/sim/printers/K1", admin, map[string]bool{"cover_open": true})
	h.waitDevice("kiosk:K1:printer", "fault", "cover_open")
	if tk := h.kioskIssue("A", "K1"); tk.Slip.Why != "printer_fault" || tk.Slip.Fault == nil || tk.Slip.Fault.ZH != "打印机盖未关闭" {
		t.Fatalf("with the cover open: %+v", tk.Slip)
	}
	h.must(202, "POST", "/api/v1/sim/printers/K1", admin, map[string]bool{})
	h.waitDevice("kiosk:K1:printer", "ok", "printer_ready")
	tk := h.kioskIssue("A", "K1")
	waitSlips(t, simPrinter(t, h, "K1"), 1)
	var last struct {
		N     int
		Lines []string
		PNG   string
	}
	h.must(200, "GET", "/api/v1/sim/printers/K1/slip", admin, nil).into(t, &last)
	if last.N != 1 || !slices.Contains(last.Lines, tk.Number) || !strings.HasPrefix(last.PNG, "data:image/png;base64,") {
		t.Fatalf("last slip %d %q %.40s", last.N, last.Lines, last.PNG)
	}
	h.must(404, "POST", "/api/v1/sim/printers/K9", admin, map[string]bool{})
}

// In a city, a hall's slip links the ticket's page under the hall's own
// path, as its kiosk page does.
func TestKioskSlipInACity(t *testing.T) {
	c := apptest.StartCity(t, nil)
	east := c.Halls[1]
	var fake *escposim.Printer
	for _, p := range east.SimPrinters() {
		if p.Kiosk == "K1" {
			fake = p.Printer
		}
	}
	if fake == nil {
		t.Fatal("the east hall's kiosk K1 has no simulated printer")
	}
	cl := client{t, c.URL}
	var tk kioskTicket
	cl.must(201, "POST", "/h/east/api/v1/tickets", "", map[string]any{"service": "A", "kiosk": "K1"}).into(t, &tk)
	slip := waitSlips(t, fake, 1)[0]
	if want := c.URL + "/h/east/t/" + tk.ID + "?k=" + tk.Key; len(slip.QRs()) != 1 || slip.QRs()[0] != want {
		t.Fatalf("QR %q, want %s", slip.QRs(), want)
	}
	if !slices.Contains(slip.Lines(), "东区政务服务中心") {
		t.Fatalf("lines %q", slip.Lines())
	}
}
