package escpos_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"hallfloor/devices"
	"hallfloor/devices/escpos"
	"hallfloor/devices/escpos/escposim"
	"hallfloor/equipment"
)

const device = "kiosk:K1:printer"

// rig is a printer's driver run with the devices, its reports watched.
type rig struct {
	t       *testing.T
	m       *devices.Manager
	printer *escpos.Printer
	reports chan equipment.Finding
	cancel  context.CancelFunc
	done    chan struct{}
}

func newRig(t *testing.T, address string, timeout time.Duration) *rig {
	r := &rig{t: t, reports: make(chan equipment.Finding, 64), done: make(chan struct{})}
	m, err := devices.New(devices.Options{Observe: func(a devices.Activity) {
		if a.Device == device && a.Finding != nil {
			select {
			case r.reports <- *a.Finding:
			default:
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	r.m = m
	p, err := escpos.New(escpos.Options{Address: address, Peripheral: m.AddPeripheral(devices.Health{Device: device, Kind: "printer"}),
		Poll: 10 * time.Millisecond, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	r.printer = p
	m.AddDriver(p)
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	go func() { m.Run(ctx); close(r.done) }()
	t.Cleanup(func() { cancel(); <-r.done })
	return r
}

// expect waits for the printer's report of reason.
func (r *rig) expect(reason string) {
	r.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case f := <-r.reports:
			if f.Reason == reason {
				return
			}
		case <-deadline:
			r.t.Fatalf("no %s report; health %+v", reason, r.m.Health())
		}
	}
}

func (r *rig) health() devices.Health {
	for _, h := range r.m.Health() {
		if h.Device == device {
			return h
		}
	}
	r.t.Fatalf("no %s among the devices", device)
	return devices.Health{}
}

// print queues a slip and waits for its outcome.
func (r *rig) print(number string) error {
	s := demoSlip()
	s.Number = number
	done, err := r.printer.Print(s)
	if err != nil {
		return err
	}
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		r.t.Fatal("the slip neither printed nor failed")
		return nil
	}
}

func waitSlips(t *testing.T, fake *escposim.Printer, n int) []escposim.Slip {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	slips, err := fake.Wait(ctx, n)
	if err != nil {
		t.Fatalf("%d slips of %d: %v", len(slips), n, err)
	}
	return slips
}

// Over TCP: a slip prints; the printer's faults become the device's
// health, and a slip is refused while one lasts, printed again after.
func TestPrinterOverTCP(t *testing.T) {
	fake, err := escposim.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	r := newRig(t, fake.Addr(), 5*time.Second)
	if err := r.print("A001"); err != nil {
		t.Fatal(err)
	}
	if got := waitSlips(t, fake, 1)[0].Largest(); got != "A001" {
		t.Fatalf("printed %q", got)
	}
	if h := r.health(); h.Status != equipment.OK || h.Last == nil || h.Last.Detail != "A001" {
		t.Fatalf("health %+v", h)
	}

	for _, c := range []struct {
		faults escposim.Faults
		reason string
	}{
		{escposim.Faults{PaperOut: true}, equipment.PaperOut},
		{escposim.Faults{CoverOpen: true}, equipment.CoverOpen},
		{escposim.Faults{Offline: true}, equipment.PrinterOffline},
	} {
		fake.SetFaults(c.faults)
		r.expect(c.reason)
		if h := r.health(); h.Status != equipment.Fault || h.Finding.Reason != c.reason || h.State["online"] {
			t.Fatalf("%s: health %+v", c.reason, h)
		}
		var fe *escpos.FaultError
		if err := r.print("A002"); !errors.As(err, &fe) || fe.Finding.Reason != c.reason {
			t.Fatalf("%s: a slip while faulty gave %v", c.reason, err)
		}
		fake.SetFaults(escposim.Faults{})
		r.expect(equipment.PrinterReady)
	}

	fake.SetFaults(escposim.Faults{PaperLow: true})
	r.expect(equipment.PaperLow)
	if h := r.health(); h.Status != equipment.Alert || !h.State["paper_low"] {
		t.Fatalf("paper low: health %+v", h)
	}
	if err := r.print("A003"); err != nil {
		t.Fatalf("paper low refused a slip: %v", err)
	}
	if got := waitSlips(t, fake, 2)[1].Largest(); got != "A003" {
		t.Fatalf("printed %q", got)
	}
}

// A printer that stops answering, or that is not there, is offline.
func TestPrinterSilentOrGone(t *testing.T) {
	fake, err := escposim.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, fake.Addr(), 300*time.Millisecond)
	fake.SetFaults(escposim.Faults{Silent: true})
	// The driver waits its timeout for an answer, then calls the printer offline.
	r.expect(equipment.PrinterOffline)
	if err := fake.Close(); err != nil {
		t.Fatal(err)
	}
	var fe *escpos.FaultError
	if err := r.print("A004"); !errors.As(err, &fe) || fe.Finding.Reason != equipment.PrinterOffline {
		t.Fatalf("a slip to no printer gave %v", err)
	}
}

// A device file that cannot read back (here a plain file standing for a
// write-only /dev/usb/lp0) is written to, its status taken as ready.
func TestPrinterDeviceFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lp0")
	if err := os.WriteFile(path, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	r := newRig(t, path, 5*time.Second)
	if err := r.print("B007"); err != nil {
		t.Fatal(err)
	}
	r.cancel()
	<-r.done
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	slips, err := escposim.Parse(b)
	if err != nil || len(slips) != 1 || slips[0].Largest() != "B007" || !slips[0].Cut {
		t.Fatalf("the file holds %+v (%v)", slips, err)
	}
}

func TestTarget(t *testing.T) {
	for in, want := range map[string]string{
		"10.0.0.7": "tcp 10.0.0.7:9100", "10.0.0.7:9101": "tcp 10.0.0.7:9101", "printer.local": "tcp printer.local:9100",
		"fe80::7": "tcp [fe80::7]:9100", "[fe80::7]:9100": "tcp [fe80::7]:9100", "/dev/usb/lp0": "file /dev/usb/lp0",
	} {
		if n, a := escpos.Target(in); n+" "+a != want {
			t.Errorf("Target(%q) = %s %s, want %s", in, n, a, want)
		}
	}
}
