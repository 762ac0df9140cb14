package devices

import (
	"context"
	"testing"

	"hallfloor/equipment"
)

// countingDriver runs until its context ends and says it did.
type countingDriver struct{ started, stopped chan struct{} }

func (d countingDriver) Run(ctx context.Context) {
	close(d.started)
	<-ctx.Done()
	close(d.stopped)
}

// A peripheral's fault found before Run is journaled once Run starts; a
// fault afterwards goes straight to the hall; /devices lists it with its
// state; its driver runs with the devices and stops with them.
func TestPeripheralReportsReachTheHall(t *testing.T) {
	r := newRig(t, nil)
	p := r.m.AddPeripheral(Health{Device: "kiosk:K1:printer", Kind: "printer"})
	if again := r.m.AddPeripheral(Health{Device: "kiosk:K1:printer", Kind: "other"}); again.Device() != p.Device() {
		t.Fatalf("a second handle names %q", again.Device())
	}
	d := countingDriver{make(chan struct{}), make(chan struct{})}
	r.m.AddDriver(d)
	p.Report(equipment.Fault, equipment.Finding{Reason: equipment.PinUnreadable, Detail: "early"})
	r.start()
	<-d.started
	if got := r.expectReport("kiosk:K1:printer", equipment.Fault); got.Detail != "early" {
		t.Fatalf("the early fault journaled as %+v", got)
	}
	p.SetState("online", false)
	p.Report(equipment.OK, equipment.Finding{Reason: equipment.PinReadable})
	r.expectReport("kiosk:K1:printer", equipment.OK)
	p.Did("printed", "A001")
	h := r.health("kiosk:K1:printer")
	if h.Kind != "printer" || h.Status != equipment.OK || h.State["online"] || h.Last == nil || h.Last.Detail != "A001" {
		t.Fatalf("health %+v", h)
	}
	if st, _ := p.Status(); st != equipment.OK {
		t.Fatalf("status %s", st)
	}
	r.cancel()
	<-d.stopped
}
