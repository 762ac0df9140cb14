package devices

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/equipment"
	"hallfloor/hall"
)

// fakeBus is a second transport, as an RS485 bus is beside GPIO: it claims
// the pins named with '@' and has the callers' displays. What a display
// shows is recorded; it can be made to fail.
type fakeBus struct {
	mu    sync.Mutex
	fail  error
	shown chan string
}

func (b *fakeBus) Claims(pin string) bool { return config.IsBusPin(pin) }
func (b *fakeBus) Input(ref config.PinRef) (Input, error) {
	return nil, errors.New("no inputs on this bus")
}
func (b *fakeBus) Output(ref config.PinRef) (Output, error) {
	return nil, errors.New("no outputs on this bus")
}
func (b *fakeBus) Close() error { return nil }

func (b *fakeBus) Display(name string) (Display, error) {
	if name != "bus1@3" {
		return nil, errors.New("no such caller")
	}
	return b, nil
}

func (b *fakeBus) Show(_ context.Context, text string) error {
	b.mu.Lock()
	err := b.fail
	b.mu.Unlock()
	if err == nil {
		b.shown <- text
	}
	return err
}

func (b *fakeBus) next(t *testing.T) string {
	t.Helper()
	select {
	case s := <-b.shown:
		return s
	case <-time.After(wait):
		t.Fatal("the display was shown nothing")
		return ""
	}
}

// currentNumber is what the hall would have a caller's display show.
func currentNumber(s *hall.State, w string) string {
	if win := s.Queue.Windows[w]; win != nil && win.Current != "" {
		return s.Queue.Tickets[win.Current].Number
	}
	return ""
}

func displayRig(t *testing.T, bus *fakeBus, display string) *rig {
	return startRig(t, func(o *Options, tr *fakeTransport) {
		o.Devices.Buses = []config.Bus{{Name: "bus1", Port: config.Sim}}
		o.Devices.Windows[0].Display = display
		o.Transport = Mux(tr, bus)
		o.Text = currentNumber
	})
}

// The caller's display follows the hall: blank, then the number called
// from a GPIO key, while the keys stay on the GPIO transport.
func TestDisplayFollowsCurrentNumber(t *testing.T) {
	bus := &fakeBus{shown: make(chan string, 64)}
	r := displayRig(t, bus, "bus1@3")
	if s := bus.next(t); s != "" {
		t.Fatalf("at start the display shows %q, want blank", s)
	}
	r.openWithTickets(2)
	r.press("GPIO17")
	if s := bus.next(t); s != "A001" {
		t.Fatalf("after the call the display shows %q", s)
	}
	r.expect("window:1:display", "shown")
	if h := r.health("window:1:display"); h.Kind != "display" || h.Status != equipment.OK || h.Pins[0] != "bus1@3" {
		t.Fatalf("display health %+v", h)
	}
}

// A display that fails is the display's fault, tried again, and ok when
// it shows.
func TestDisplayFaultAndRecovery(t *testing.T) {
	bus := &fakeBus{shown: make(chan string, 64), fail: errors.New("no answer")}
	r := displayRig(t, bus, "bus1@3")
	a := r.expect("window:1:display", equipment.Fault)
	if a.Finding.Reason != equipment.PinUndrivable || a.Finding.Pin != "bus1@3" {
		t.Fatalf("a failing display: %+v", a.Finding)
	}
	bus.mu.Lock()
	bus.fail = nil
	bus.mu.Unlock()
	r.clock.Advance(retryEvery)
	bus.next(t)
	r.expect("window:1:display", equipment.OK)
}

// A display the transport does not have is faulty from the start.
func TestDisplayMissing(t *testing.T) {
	r := displayRig(t, &fakeBus{shown: make(chan string, 1)}, "bus1@4")
	if a := r.expect("window:1:display", equipment.Fault); a.Finding.Reason != equipment.PinUnavailable {
		t.Fatalf("a missing display: %+v", a.Finding)
	}
}

// The mux sends a pin to the transport that claims it and the rest to the
// one that claims none.
func TestMuxRoutes(t *testing.T) {
	tr, bus := newFakeTransport(), &fakeBus{}
	m := Mux(tr, bus)
	if _, err := m.Input(config.PinRef{Pin: config.Pin{Name: "GPIO17"}, Role: config.RoleButton}); err != nil {
		t.Fatalf("a GPIO pin: %v", err)
	}
	if _, err := m.Input(config.PinRef{Pin: config.Pin{Name: "bus1@3:key1"}, Role: config.RoleButton}); err == nil {
		t.Fatal("a bus pin went to GPIO")
	}
	if _, err := m.(Displayer).Display("bus1@3"); err != nil {
		t.Fatalf("the bus's display: %v", err)
	}
	if _, err := Mux(bus).Input(config.PinRef{Pin: config.Pin{Name: "GPIO17"}}); err == nil {
		t.Fatal("a GPIO pin with no GPIO transport")
	}
}
