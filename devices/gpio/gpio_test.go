package gpio

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal/sqlite"
	"hallfloor/queue"
	"hallfloor/room"
)

const testHall = `
hall: {name: 测试大厅, demo: true}
calendar: {always_open: true}
services:
  - {code: A, name: 社会民生, kind: intake}
windows:
  - {id: "1", services: [A]}
staff:
  - {id: "1001", name: 王丽娟, role: clerk, password: demo}
devices:
  debounce_ms: 30
  windows:
    - window: "1"
      buttons: {next: GPIO17, recall: GPIO27, skip: GPIO22, pause: GPIO23}
      lamp: GPIO24
      evaluator: [GPIO5, GPIO6, GPIO13, GPIO19, GPIO26]
  lockers:
    - id: L1
      pulse_ms: 500
      confirm_s: 5
      open_limit_s: 60
      compartments:
        - {id: "01", size: S, relay: GPIO20, door: GPIO21}
        - {id: "02", size: M, relay: GPIO16, door: GPIO12}
`

func parseHall(t *testing.T, text string) *config.Hall {
	t.Helper()
	cfg, err := config.Parse([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// keyCounter is the real engine, with every key press the devices send
// counted on the way.
type keyCounter struct {
	*engine.Engine
	pressed chan struct{} // a signal per key
	mu      sync.Mutex
	keys    []queue.PressKey
}

func (h *keyCounter) Do(ctx context.Context, cmd hall.Command, key string, reply engine.ReplyFunc) engine.Result {
	if k, ok := cmd.(queue.PressKey); ok {
		h.mu.Lock()
		h.keys = append(h.keys, k)
		h.mu.Unlock()
		h.pressed <- struct{}{}
	}
	return h.Engine.Do(ctx, cmd, key, reply)
}

func (h *keyCounter) sent() []queue.PressKey {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]queue.PressKey(nil), h.keys...)
}

// rig is a hall with a real engine on a SQLite journal and its devices on
// simulated pins, with one clock for the debounce and the devices that the
// test moves.
type rig struct {
	t      *testing.T
	tr     *Transport
	m      *devices.Manager
	eng    *engine.Engine
	hall   *keyCounter
	clock  *fakeClock
	acts   chan devices.Activity
	events chan room.Event

	mu  sync.Mutex
	log []devices.Activity
}

const wait = 10 * time.Second // a deadline for things that must happen, not a measure of speed

func newRig(t *testing.T) *rig {
	t.Helper()
	cfg := parseHall(t, testHall)
	j, err := sqlite.Open(filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	eng, err := engine.Open(ctx, engine.Options{Setup: cfg.Setup(), Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, eng: eng, hall: &keyCounter{Engine: eng, pressed: make(chan struct{}, 100)}, clock: &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)},
		acts: make(chan devices.Activity, 4096), events: make(chan room.Event, 4096)}
	log := slog.New(slog.NewTextHandler(t.Output(), nil))
	r.tr, err = Open(Options{Devices: cfg.Devices, Sim: true, Clock: r.clock, Poll: 5 * time.Millisecond, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	r.m, err = devices.New(devices.Options{
		Devices: cfg.Devices, Transport: r.tr, Hall: r.hall, Clock: r.clock, Tick: 2 * time.Millisecond, Logger: log,
		Observe: func(a devices.Activity) {
			r.mu.Lock()
			r.log = append(r.log, a)
			r.mu.Unlock()
			select { // never block the devices
			case r.acts <- a:
			default:
			}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	eng.Subscribe(r.m.Observe)
	eng.Subscribe(func(_ *hall.State, evs []room.Event) {
		for _, ev := range evs {
			select {
			case r.events <- ev:
			default:
			}
		}
	})
	engDone, devDone := make(chan struct{}), make(chan struct{})
	go func() { eng.Run(ctx); close(engDone) }()
	go func() { r.m.Run(ctx); close(devDone) }()
	t.Cleanup(func() {
		cancel()
		<-devDone
		<-engDone
	})
	return r
}

// expectKey waits for the devices to send a key.
func (r *rig) expectKey() {
	r.t.Helper()
	select {
	case <-r.hall.pressed:
	case <-time.After(wait):
		r.t.Fatal("the devices sent no key")
	}
}

func (r *rig) input(pin string) *input {
	r.tr.mu.Lock()
	defer r.tr.mu.Unlock()
	for _, in := range r.tr.inputs {
		if in.name == pin {
			return in
		}
	}
	r.t.Fatalf("no input %s", pin)
	return nil
}

// drive sets a simulated input and waits until its watcher has taken the
// edge, so that the test's next move of the clock comes after it.
func (r *rig) drive(pin string, l gpio.Level) {
	r.t.Helper()
	in := r.input(pin)
	before := in.changes.Load()
	if err := r.tr.sim.Drive(pin, devices.Level(l)); err != nil {
		r.t.Fatal(err)
	}
	deadline := time.After(wait)
	for in.changes.Load() == before {
		select {
		case <-deadline:
			r.t.Fatalf("the watcher of %s never took the edge to %s", pin, l)
		case <-time.After(time.Millisecond):
		}
	}
}

// settle waits until the watcher of pin has looked at the clock again.
func (r *rig) settle(pin string) {
	r.t.Helper()
	settle(r.t, r.input(pin))
}

// settle waits until a watcher has gone round twice more, so it has read
// the pin and the clock since the caller last moved either.
func settle(t *testing.T, in *input) {
	t.Helper()
	target := in.loops.Load() + 2
	deadline := time.After(wait)
	for in.loops.Load() < target {
		select {
		case <-deadline:
			t.Fatalf("the watcher of %s stopped", in.name)
		case <-time.After(time.Millisecond):
		}
	}
}

// expect waits for the device's next activity of the kind.
func (r *rig) expect(device, what string) devices.Activity {
	r.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case a := <-r.acts:
			if a.Device == device && a.What == what {
				return a
			}
		case <-deadline:
			r.t.Fatalf("no %s from %s; seen %v", what, device, r.seen())
		}
	}
}

func (r *rig) seen() []devices.Activity {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]devices.Activity(nil), r.log...)
}

func (r *rig) count(device, what string) int {
	n := 0
	for _, a := range r.seen() {
		if a.Device == device && a.What == what {
			n++
		}
	}
	return n
}

func (r *rig) expectEvent(typ string) room.Event {
	r.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case ev := <-r.events:
			if ev.Data.Type() == typ {
				return ev
			}
		case <-deadline:
			r.t.Fatalf("no %s event", typ)
		}
	}
}

func (r *rig) do(cmd hall.Command) {
	r.t.Helper()
	if res := r.eng.Do(context.Background(), cmd, "", nil); res.Err != nil {
		r.t.Fatalf("%T: %v", cmd, res.Err)
	}
}

func (r *rig) openWithTickets(n int) {
	r.do(queue.OpenWindow{Window: "1", Actor: room.Actor{Staff: "1001"}})
	for range n {
		r.do(queue.IssueTicket{Service: "A"})
	}
}

func (r *rig) waiting() int {
	var n int
	r.eng.Read(context.Background(), func(s *hall.State, _ *hall.Setup) { n = s.Queue.Waiting("A") })
	return n
}

func (r *rig) level(pin string) gpio.Level {
	p, ok := r.tr.sim.Pin(pin)
	if !ok {
		r.t.Fatalf("no pin %s", pin)
	}
	l, _ := devices.ParseLevel(p.Level)
	return gpio.Level(l)
}

const window = 30 * time.Millisecond

// bounce presses window 1's call key with a bouncing contact: five edges at
// one instant, ending pressed (active low), then settled.
func (r *rig) bounce() {
	for _, l := range []gpio.Level{gpio.Low, gpio.High, gpio.Low, gpio.High, gpio.Low} {
		r.drive("GPIO17", l)
	}
	r.clock.Advance(window)
	r.expect("window:1:caller", "pressed")
}

// unbounce lets go of it, bouncing too.
func (r *rig) unbounce() {
	for _, l := range []gpio.Level{gpio.High, gpio.Low, gpio.High} {
		r.drive("GPIO17", l)
	}
	r.clock.Advance(window)
	r.expect("window:1:caller", "released")
}

func TestBouncingPressIsOneKey(t *testing.T) {
	r := newRig(t)
	r.bounce()
	r.unbounce()
	if n := r.count("window:1:caller", "pressed"); n != 1 {
		t.Fatalf("%d presses from one bouncing press", n)
	}
	// One settled press, so one key: a second would have needed a second press.
	r.expectKey()
	if k := r.hall.sent(); len(k) != 1 || k[0] != (queue.PressKey{Window: "1", Key: "call"}) {
		t.Fatalf("one bouncing press sent %v", k)
	}
}

func TestBouncingPressCallsOnce(t *testing.T) {
	r := newRig(t)
	r.openWithTickets(2)
	r.bounce()
	ev := r.expectEvent("ticket.called")
	if c := ev.Data.(queue.TicketCalled); c.Window != "1" || c.Ticket.Number != "A001" {
		t.Fatalf("called %+v", c)
	}
	r.unbounce()
	if n := r.waiting(); n != 1 {
		t.Fatalf("%d tickets still wait, want 1: the press called more than once", n)
	}
}

func TestShortTapIgnored(t *testing.T) {
	r := newRig(t)
	r.drive("GPIO17", gpio.Low)
	r.clock.Advance(window / 2)
	r.drive("GPIO17", gpio.High)
	r.clock.Advance(time.Second)
	r.settle("GPIO17")
	// Then a real press, so the test knows the watcher has seen everything before it.
	r.drive("GPIO27", gpio.Low)
	r.clock.Advance(window)
	r.expect("window:1:caller", "pressed")
	for _, a := range r.seen() {
		if a.What == "pressed" && a.Detail == "next" {
			t.Fatalf("a tap shorter than the debounce window was taken as a press: %v", r.seen())
		}
	}
}

// holdKey holds window 1's call key for 50s on the clock and lets go.
func (r *rig) holdKey() {
	r.drive("GPIO17", gpio.Low)
	r.clock.Advance(window)
	r.expect("window:1:caller", "pressed")
	for range 5 {
		r.clock.Advance(10 * time.Second)
		r.settle("GPIO17")
	}
	r.drive("GPIO17", gpio.High)
	r.clock.Advance(window)
	r.expect("window:1:caller", "released")
}

func TestHeldKeyIsOneKey(t *testing.T) {
	r := newRig(t)
	r.holdKey()
	if n := r.count("window:1:caller", "pressed"); n != 1 {
		t.Fatalf("a key held for 50s pressed %d times", n)
	}
	r.expectKey()
	if k := r.hall.sent(); len(k) != 1 {
		t.Fatalf("a key held for 50s sent %v", k)
	}
}

func TestHeldKeyCallsOnce(t *testing.T) {
	r := newRig(t)
	r.openWithTickets(3)
	r.holdKey()
	r.expectEvent("ticket.called")
	if n := r.waiting(); n != 2 {
		t.Fatalf("%d tickets wait, want 2", n)
	}
}

// A door on a simulated pin is seen, debounced, by the devices.
func TestDoorOnSimulatedPin(t *testing.T) {
	r := newRig(t)
	r.drive("GPIO21", gpio.High) // door 01 opens (reed contact: open reads high)
	r.clock.Advance(window)
	r.expect("locker:L1:01", "opened")
	r.expectEvent("locker.alarm")
}

// The devices' pulse drives the relay's simulated pin high, then low.
func TestRelayPulseOnSimulatedPin(t *testing.T) {
	r := newRig(t)
	if err := r.m.Unlock("L1", "02"); err != nil {
		t.Fatal(err)
	}
	r.expect("locker:L1:02", "pulse")
	if l := r.level("GPIO16"); l != gpio.High {
		t.Fatalf("relay pin is %s during the pulse", l)
	}
	r.clock.Advance(500 * time.Millisecond)
	r.expect("locker:L1:02", "off")
	if l := r.level("GPIO16"); l != gpio.Low {
		t.Fatalf("relay pin is %s after the pulse", l)
	}
}

// An active-low lamp is lit by driving its pin low, and starts off (high).
func TestActiveLowOutput(t *testing.T) {
	cfg := parseHall(t, strings.Replace(testHall, "lamp: GPIO24", "lamp: {pin: GPIO24, active: low}", 1))
	tr, err := Open(Options{Devices: cfg.Devices, Sim: true})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	var ref config.PinRef
	for _, p := range cfg.Devices.Pins() {
		if p.Role == config.RoleLamp {
			ref = p
		}
	}
	out, err := tr.Output(ref)
	if err != nil {
		t.Fatal(err)
	}
	if p, _ := tr.sim.Pin("GPIO24"); p.Level != "high" || p.Active {
		t.Fatalf("an active-low lamp starts %+v, want high (off)", p)
	}
	if err := out.Set(context.Background(), true); err != nil {
		t.Fatal(err)
	}
	if p, _ := tr.sim.Pin("GPIO24"); p.Level != "low" || !p.Active {
		t.Fatalf("an active-low lamp switched on reads %+v", p)
	}
}

func TestSimPinsRegisteredAndListed(t *testing.T) {
	cfg := parseHall(t, testHall)
	tr, err := Open(Options{Devices: cfg.Devices, Sim: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := gpioreg.ByName("GPIO17"); p == nil || p.Name() != "GPIO17" {
		t.Fatalf("simulated GPIO17 not registered with periph: %v", p)
	}
	sim := tr.Simulator()
	if sim == nil {
		t.Fatal("no simulator on simulated pins")
	}
	pins := sim.Pins()
	if len(pins) != 4+1+5+4 {
		t.Fatalf("%d pins listed", len(pins))
	}
	want := devices.PinInfo{Name: "GPIO17", Role: "button", Window: "1", Action: "next", Level: "high", ActiveLevel: "low", Input: true}
	if pins[0] != want {
		t.Fatalf("first pin %+v, want %+v", pins[0], want)
	}
	door := pins[len(pins)-1]
	if door.Role != "door" || door.Bank != "L1" || door.Compartment != "02" || door.Level != "low" || door.Active {
		t.Fatalf("a door starts %+v, want shut", door)
	}
	if err := sim.Drive("GPIO24", devices.High); err == nil {
		t.Fatal("an output was driven from outside")
	}
	if err := sim.Drive("GPIO99", devices.High); err == nil {
		t.Fatal("an unknown pin was driven")
	}
	tr.Close()
	if p := gpioreg.ByName("GPIO17"); p != nil {
		t.Fatal("simulated pins stay registered after close")
	}
}

// A device map without pins needs no GPIO and has no simulator.
func TestNoPinsNoSimulator(t *testing.T) {
	tr, err := Open(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Simulator() != nil {
		t.Fatal("a simulator for no pins")
	}
	if _, err := tr.Input(config.PinRef{Pin: config.Pin{Name: "GPIO17"}, Role: config.RoleButton}); err == nil {
		t.Fatal("a pin from an empty device map")
	}
}

// events records what a watcher tells.
type events struct {
	changes chan bool
	health  chan error
}

func (e events) Changed(active bool) { e.changes <- active }
func (e events) Health(err error)    { e.health <- err }

// A read that fails (an expander that stopped answering) is told once as
// the input's health, not taken for a level, and told over when reads work
// again.
func TestWatcherTellsFailedReads(t *testing.T) {
	cfg := parseHall(t, testHall)
	tr, err := Open(Options{Devices: cfg.Devices, Sim: true, Poll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	p, _ := tr.sim.pin("GPIO17")
	var failing atomic.Bool
	read := p.level
	p.level = func() (gpio.Level, error) {
		if failing.Load() {
			return gpio.Low, errors.New("i2c: no ack") // low would read as pressed
		}
		return read()
	}
	clock := &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	in := &input{name: "GPIO17", pin: p, active: gpio.Low, poll: time.Millisecond, clock: clock, deb: newDebouncer(window, false)}
	ev := events{changes: make(chan bool, 10), health: make(chan error, 10)}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { in.Watch(ctx, ev); close(done) }()
	defer func() { cancel(); <-done }()

	failing.Store(true)
	select {
	case err := <-ev.health:
		if err == nil || !strings.Contains(err.Error(), "no ack") {
			t.Fatalf("health %v", err)
		}
	case <-time.After(wait):
		t.Fatal("a failing read was not told")
	}
	for range 3 { // the watcher goes on reading, and failing, meanwhile
		clock.Advance(window)
		settle(t, in)
	}
	failing.Store(false)
	select {
	case err := <-ev.health:
		if err != nil {
			t.Fatalf("health after recovery %v", err)
		}
	case <-time.After(wait):
		t.Fatal("a read that works again was not told")
	}
	if len(ev.health) != 0 || len(ev.changes) != 0 {
		t.Fatalf("told more: %d health, %d changes", len(ev.health), len(ev.changes))
	}
}

// TestNoGPIOWithoutFallBack: on a machine without GPIO a device map with
// pins is refused unless simulation is asked for (Sim) or allowed
// (FallBack, the demo hall); the refusal names the pins and the flag.
func TestNoGPIOWithoutFallBack(t *testing.T) {
	if ok, err := hasGPIO(); err != nil || ok {
		t.Skipf("this machine has GPIO (or periph fails: %v)", err)
	}
	cfg := config.Demo()
	quiet := slog.New(slog.DiscardHandler)
	_, err := Open(Options{Devices: cfg.Devices, Logger: quiet})
	if !errors.Is(err, ErrNoGPIO) {
		t.Fatalf("opened without GPIO: %v", err)
	}
	for _, want := range []string{"GPIO17", "io6:B0", "-simulate-devices"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not name %s", err, want)
		}
	}
	for _, o := range []Options{{Devices: cfg.Devices, FallBack: true, Logger: quiet}, {Devices: cfg.Devices, Sim: true, Logger: quiet}} {
		tr, err := Open(o)
		if err != nil || tr.Simulator() == nil {
			t.Fatalf("Open(FallBack %v, Sim %v): %v, simulator %v", o.FallBack, o.Sim, err, tr != nil && tr.Simulator() != nil)
		}
		tr.Close()
	}
	// A map without pins needs no GPIO at all.
	if _, err := Open(Options{Logger: quiet}); err != nil {
		t.Fatalf("no pins: %v", err)
	}
}
