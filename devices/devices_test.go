package devices

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/equipment"
	"hallfloor/hall"
	"hallfloor/journal/sqlite"
	"hallfloor/locker"
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

// rig is a hall with a real engine on a SQLite journal and its devices on
// simulated pins, with a clock for the devices that the test moves.
type rig struct {
	t      *testing.T
	m      *Manager
	eng    *engine.Engine
	clock  *fakeClock
	acts   chan Activity
	events chan room.Event

	mu  sync.Mutex
	log []Activity
}

const wait = 10 * time.Second // a deadline for things that must happen, not a measure of speed

func newRig(t *testing.T, tune func(*Options)) *rig {
	t.Helper()
	hall, err := config.Parse([]byte(testHall))
	if err != nil {
		t.Fatal(err)
	}
	j, err := sqlite.Open(filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	ctx, cancel := context.WithCancel(context.Background())
	eng, err := engine.Open(ctx, engine.Options{Setup: hall.Setup(), Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, eng: eng, clock: &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)},
		acts: make(chan Activity, 1000), events: make(chan room.Event, 1000)}
	o := Options{
		Devices: hall.Devices, Hall: eng, Clock: r.clock, Sim: true, Poll: 5 * time.Millisecond, Tick: 2 * time.Millisecond,
		Observe: func(a Activity) {
			r.mu.Lock()
			r.log = append(r.log, a)
			r.mu.Unlock()
			r.acts <- a
		},
	}
	if tune != nil {
		tune(&o)
	}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	r.m = m
	eng.Subscribe(m.Observe)
	eng.Subscribe(func(_ *hall.State, evs []room.Event) {
		for _, ev := range evs {
			r.events <- ev
		}
	})
	engDone, devDone := make(chan struct{}), make(chan struct{})
	go func() { eng.Run(ctx); close(engDone) }()
	go func() { m.Run(ctx); close(devDone) }()
	t.Cleanup(func() {
		cancel()
		<-devDone
		<-engDone
	})
	return r
}

func (r *rig) input(pin string) *input {
	for _, in := range r.m.inputs {
		if in.ref.Pin.Name == pin {
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
	if err := r.m.Sim().Drive(pin, l); err != nil {
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
	in := r.input(pin)
	target := in.loops.Load() + 2
	deadline := time.After(wait)
	for in.loops.Load() < target {
		select {
		case <-deadline:
			r.t.Fatalf("the watcher of %s stopped", pin)
		case <-time.After(time.Millisecond):
		}
	}
}

// expect waits for the device's next activity of the kind.
func (r *rig) expect(device, what string) Activity {
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

func (r *rig) seen() []Activity {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Activity(nil), r.log...)
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

// expectEvent waits for the next event of the type.
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

// openWithTickets signs clerk 1001 on at window 1 and issues n tickets.
func (r *rig) openWithTickets(n int) {
	r.do(queue.OpenWindow{Window: "1", Actor: room.Actor{Staff: "1001"}})
	for range n {
		r.do(queue.IssueTicket{Service: "A"})
	}
}

func (r *rig) waiting() int {
	var n int
	r.eng.Read(context.Background(), func(s *hall.State, _ *hall.Setup) { n = s.Waiting("A") })
	return n
}

const window = 30 * time.Millisecond

func TestBouncingPressCallsOnce(t *testing.T) {
	r := newRig(t, nil)
	r.openWithTickets(2)
	// The key bounces: five edges at one instant, ending pressed (active low).
	for _, l := range []gpio.Level{gpio.Low, gpio.High, gpio.Low, gpio.High, gpio.Low} {
		r.drive("GPIO17", l)
	}
	r.clock.Advance(window)
	r.expect("window:1:caller", "pressed")
	ev := r.expectEvent("ticket.called")
	if c := ev.Data.(queue.TicketCalled); c.Window != "1" || c.Ticket.Number != "A001" {
		t.Fatalf("called %+v", c)
	}
	// Bouncing on release too, then settled.
	for _, l := range []gpio.Level{gpio.High, gpio.Low, gpio.High} {
		r.drive("GPIO17", l)
	}
	r.clock.Advance(window)
	r.expect("window:1:caller", "released")
	if n := r.count("window:1:caller", "pressed"); n != 1 {
		t.Fatalf("%d presses from one bouncing press", n)
	}
	if n := r.waiting(); n != 1 {
		t.Fatalf("%d tickets still wait, want 1: the press called more than once", n)
	}
}

func TestShortTapIgnored(t *testing.T) {
	r := newRig(t, nil)
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

func TestHeldKeyCallsOnce(t *testing.T) {
	r := newRig(t, nil)
	r.openWithTickets(3)
	r.drive("GPIO17", gpio.Low)
	r.clock.Advance(window)
	r.expect("window:1:caller", "pressed")
	r.expectEvent("ticket.called")
	for range 5 {
		r.clock.Advance(10 * time.Second)
		r.settle("GPIO17")
	}
	r.drive("GPIO17", gpio.High)
	r.clock.Advance(window)
	r.expect("window:1:caller", "released")
	if n := r.count("window:1:caller", "pressed"); n != 1 {
		t.Fatalf("a key held for 50s pressed %d times", n)
	}
	if n := r.waiting(); n != 2 {
		t.Fatalf("%d tickets wait, want 2", n)
	}
}

func TestPauseKeyToggles(t *testing.T) {
	r := newRig(t, nil)
	r.openWithTickets(0)
	press := func() {
		r.drive("GPIO23", gpio.Low)
		r.clock.Advance(window)
		r.expect("window:1:caller", "pressed")
		r.drive("GPIO23", gpio.High)
		r.clock.Advance(window)
		r.expect("window:1:caller", "released")
	}
	press()
	if p := r.expectEvent("window.paused").Data.(queue.WindowPaused); p.Reason != pauseReason {
		t.Fatalf("paused with %q", p.Reason)
	}
	press()
	r.expectEvent("window.resumed")
}

func TestButtonAtClosedWindowIsRejected(t *testing.T) {
	r := newRig(t, nil)
	r.drive("GPIO17", gpio.Low)
	r.clock.Advance(window)
	a := r.expect("window:1:caller", "rejected")
	if !strings.Contains(a.Detail, "closed") {
		t.Fatalf("rejection says %q", a.Detail)
	}
}

func TestEvaluatorKeyReachesRatingHook(t *testing.T) {
	ratings := make(chan [2]any, 10)
	r := newRig(t, func(o *Options) {
		o.Rating = func(_ context.Context, window string, score int) { ratings <- [2]any{window, score} }
	})
	r.drive("GPIO6", gpio.Low) // the second key: 满意
	r.clock.Advance(window)
	if a := r.expect("window:1:evaluator", "key"); a.Detail != "4 满意" {
		t.Fatalf("key activity %q", a.Detail)
	}
	select {
	case got := <-ratings:
		if got != [2]any{"1", 4} {
			t.Fatalf("rating hook got %v", got)
		}
	case <-time.After(wait):
		t.Fatal("the rating hook was not called")
	}
	h := r.health("window:1:evaluator")
	if h.Last == nil || h.Last.What != "key" {
		t.Fatalf("evaluator health %+v", h)
	}
}

func (r *rig) health(device string) Health {
	for _, h := range r.m.Health() {
		if h.Device == device {
			return h
		}
	}
	r.t.Fatalf("no device %s", device)
	return Health{}
}

func (r *rig) level(pin string) gpio.Level {
	p, ok := r.m.Sim().Pin(pin)
	if !ok {
		r.t.Fatalf("no pin %s", pin)
	}
	l, _ := ParseLevel(p.Level)
	return l
}

// The lockers' rules decide that an opening nobody commanded is an alarm;
// the devices report the door and show the verdict on the compartment.
func TestUnexpectedDoorOpeningRaisesAlarm(t *testing.T) {
	r := newRig(t, nil)
	r.drive("GPIO21", gpio.High) // door 01 opens; nothing released it
	r.clock.Advance(window)
	a := r.expect("locker:L1:01", equipment.Alarm)
	ev := r.expectEvent("locker.alarm")
	if p := ev.Data.(locker.Alarm); p.Comp != "L1/01" {
		t.Fatalf("journaled %+v", p)
	}
	if h := r.health("locker:L1:01"); h.Status != equipment.Alarm || h.Detail != a.Detail || h.Problems != 1 {
		t.Fatalf("health %+v", h)
	}
	var open bool
	r.eng.Read(context.Background(), func(s *hall.State, _ *hall.Setup) { open = s.Lockers.Compartments["L1/01"].DoorOpen })
	if !open {
		t.Fatal("the lockers do not know the door is open")
	}
	r.drive("GPIO21", gpio.Low)
	r.clock.Advance(window)
	r.expect("locker:L1:01", equipment.OK)
	r.expectEvent("locker.door_closed")
	for _, a := range r.seen() {
		if a.What == equipment.Alarm && a.Device != "locker:L1:01" {
			t.Fatalf("alarm on %s", a.Device)
		}
	}
}

func TestPulseWithoutDoorIsFault(t *testing.T) {
	r := newRig(t, nil)
	if err := r.m.Unlock("L1", "02"); err != nil {
		t.Fatal(err)
	}
	if l := r.level("GPIO16"); l != gpio.High {
		t.Fatalf("relay pin is %s during the pulse", l)
	}
	if err := r.m.Unlock("L1", "02"); err == nil {
		t.Fatal("a second unlock during the pulse was accepted")
	}
	r.clock.Advance(500 * time.Millisecond)
	r.expect("locker:L1:02", "off")
	if l := r.level("GPIO16"); l != gpio.Low {
		t.Fatalf("relay pin is %s after the pulse", l)
	}
	r.clock.Advance(5 * time.Second)
	r.expect("locker:L1:02", equipment.Fault)
	if p := r.expectEvent("device.reported").Data.(equipment.Reported); p.Device != "locker:L1:02" || p.Kind != equipment.Fault {
		t.Fatalf("journaled %+v", p)
	}
	if h := r.health("locker:L1:02"); h.Status != equipment.Fault || h.Problems != 1 {
		t.Fatalf("health %+v", h)
	}
	// The next unlock works: the door opens on command and the fault clears.
	if err := r.m.Unlock("L1", "02"); err != nil {
		t.Fatal(err)
	}
	r.drive("GPIO12", gpio.High)
	r.clock.Advance(window)
	r.expect("locker:L1:02", equipment.OK)
}

// A release journaled by the lockers pulses the relay; the door then opens
// on command (no alarm), and its closing completes the release.
func TestRelayFollowsJournaledRelease(t *testing.T) {
	r := newRig(t, nil)
	res := r.eng.Do(context.Background(), locker.Open{Comp: "L1/01", By: "9001"}, "", nil)
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	r.expect("locker:L1:01", "pulse")
	if l := r.level("GPIO20"); l != gpio.High {
		t.Fatalf("relay pin is %s after the release", l)
	}
	r.drive("GPIO21", gpio.High)
	r.clock.Advance(window)
	r.expect("locker:L1:01", "opened")
	if p := r.expectEvent("locker.door_opened").Data.(locker.DoorOpened); p.Purpose != locker.ForService {
		t.Fatalf("opened for %q", p.Purpose)
	}
	r.clock.Advance(10 * time.Second) // past the pulse and the confirm time
	r.expect("locker:L1:01", "off")
	r.drive("GPIO21", gpio.Low)
	r.clock.Advance(window)
	r.expectEvent("locker.door_closed")
	for _, a := range r.seen() {
		if a.Device == "locker:L1:01" && (a.What == equipment.Alarm || a.What == equipment.Fault) {
			t.Fatalf("a commanded opening raised %s", a.What)
		}
	}
}

// A door the lockers find left open shows as an alert on its health.
func TestLeftOpenShowsOnHealth(t *testing.T) {
	hall, err := config.Parse([]byte(testHall))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Options{Devices: hall.Devices, Sim: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m.src.close()
	m.Observe(&queue.State{}, []room.Event{{Seq: 1, Data: locker.LeftOpen{Comp: "L1/02"}}})
	h := m.Health()
	for _, d := range h {
		if d.Device == "locker:L1:02" && d.Status == equipment.Alert {
			return
		}
	}
	t.Fatalf("health %+v", h)
}

func TestUnlockRefusals(t *testing.T) {
	r := newRig(t, nil)
	if err := r.m.Unlock("L1", "99"); err == nil {
		t.Fatal("unknown compartment unlocked")
	}
	r.drive("GPIO21", gpio.High)
	r.clock.Advance(window)
	r.expect("locker:L1:01", "opened")
	if err := r.m.Unlock("L1", "01"); err == nil {
		t.Fatal("an open door was unlocked again")
	}
}

// The lamp driver, tested on its own: a LampFunc decides from the window's
// state; the overtime state will bind here.
func TestLampFollowsBinding(t *testing.T) {
	hall, err := config.Parse([]byte(testHall))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Options{Devices: hall.Devices, Sim: true,
		Lamp: func(s *hall.State, w string) bool { return s.Windows[w].State == queue.Paused }})
	if err != nil {
		t.Fatal(err)
	}
	defer m.src.close()
	lamp := func() gpio.Level { p, _ := m.Sim().Pin("GPIO24"); l, _ := ParseLevel(p.Level); return l }
	if lamp() != gpio.Low {
		t.Fatal("lamp lit before any state")
	}
	st := &queue.State{Windows: map[string]*queue.Window{"1": {State: queue.Paused}}}
	m.Observe(st, nil)
	if lamp() != gpio.High {
		t.Fatal("lamp dark though its binding says on")
	}
	if h := m.Health(); !h[1].State["on"] || h[1].Device != "window:1:lamp" {
		t.Fatalf("health %+v", h[1])
	}
	st.Windows["1"].State = queue.Serving
	m.Observe(st, nil)
	if lamp() != gpio.Low {
		t.Fatal("lamp lit though its binding says off")
	}

	// Without a binding (overtime is not yet part of the hall) lamps stay dark.
	m2, err := New(Options{Devices: hall.Devices, Sim: true})
	if err != nil {
		t.Fatal(err)
	}
	defer m2.src.close()
	m2.Observe(&queue.State{Windows: map[string]*queue.Window{"1": {State: queue.Paused}}}, nil)
	if p, _ := m2.Sim().Pin("GPIO24"); p.Active {
		t.Fatal("lamp lit without a binding")
	}
}

// An active-low lamp is lit by driving its pin low.
func TestActiveLowOutput(t *testing.T) {
	hall, err := config.Parse([]byte(strings.Replace(testHall, "lamp: GPIO24", "lamp: {pin: GPIO24, active: low}", 1)))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Options{Devices: hall.Devices, Sim: true, Lamp: func(*hall.State, string) bool { return true }})
	if err != nil {
		t.Fatal(err)
	}
	defer m.src.close()
	if p, _ := m.Sim().Pin("GPIO24"); p.Level != "high" {
		t.Fatalf("an active-low lamp starts %s, want high (off)", p.Level)
	}
	m.Observe(&queue.State{}, nil)
	if p, _ := m.Sim().Pin("GPIO24"); p.Level != "low" || !p.Active {
		t.Fatalf("an active-low lamp switched on reads %+v", p)
	}
}

func TestSimPinsRegisteredAndListed(t *testing.T) {
	hall, err := config.Parse([]byte(testHall))
	if err != nil {
		t.Fatal(err)
	}
	m, err := New(Options{Devices: hall.Devices, Sim: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := gpioreg.ByName("GPIO17"); p == nil || p.Name() != "GPIO17" {
		t.Fatalf("simulated GPIO17 not registered with periph: %v", p)
	}
	pins := m.Sim().Pins()
	if len(pins) != 4+1+5+4 {
		t.Fatalf("%d pins listed", len(pins))
	}
	want := PinInfo{Name: "GPIO17", Role: "button", Window: "1", Action: "next", Level: "high", ActiveLevel: "low", Input: true}
	if pins[0] != want {
		t.Fatalf("first pin %+v, want %+v", pins[0], want)
	}
	door := pins[len(pins)-1]
	if door.Role != "door" || door.Bank != "L1" || door.Compartment != "02" || door.Level != "low" || door.Active {
		t.Fatalf("a door starts %+v, want shut", door)
	}
	if err := m.Sim().Drive("GPIO24", gpio.High); err == nil {
		t.Fatal("an output was driven from outside")
	}
	if err := m.Sim().Drive("GPIO99", gpio.High); err == nil {
		t.Fatal("an unknown pin was driven")
	}
	m.src.close()
	if p := gpioreg.ByName("GPIO17"); p != nil {
		t.Fatal("simulated pins stay registered after close")
	}
}
