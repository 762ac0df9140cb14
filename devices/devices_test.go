package devices

import (
	"context"
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/equipment"
	"hallfloor/errs"
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

// recordingHall is the real engine, with every command the devices send
// and every read they make counted on the way.
type recordingHall struct {
	*engine.Engine
	sent chan hall.Command

	mu    sync.Mutex
	reads int
}

func (h *recordingHall) Do(ctx context.Context, cmd hall.Command, key string, reply engine.ReplyFunc) engine.Result {
	select {
	case h.sent <- cmd:
	default:
	}
	return h.Engine.Do(ctx, cmd, key, reply)
}

func (h *recordingHall) Read(ctx context.Context, fn func(s *hall.State, setup *hall.Setup)) error {
	h.mu.Lock()
	h.reads++
	h.mu.Unlock()
	return h.Engine.Read(ctx, fn)
}

func (h *recordingHall) readCount() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.reads
}

// rig is a hall with a real engine on a SQLite journal and its devices on
// the fake transport, with a clock for the devices that the test moves.
type rig struct {
	t      *testing.T
	m      *Manager
	eng    *engine.Engine
	hall   *recordingHall
	tr     *fakeTransport
	clock  *fakeClock
	acts   chan Activity
	events chan room.Event
	ctx    context.Context
	cancel context.CancelFunc

	mu  sync.Mutex
	log []Activity
}

const wait = 10 * time.Second // a deadline for things that must happen, not a measure of speed

const deadline = 2 * time.Second // the rig's output deadline

// newRig builds the hall and its devices; start runs them. tune may change
// the options and prepare the transport before the devices are made.
func newRig(t *testing.T, tune func(*Options, *fakeTransport)) *rig {
	t.Helper()
	cfg, err := config.Parse([]byte(testHall))
	if err != nil {
		t.Fatal(err)
	}
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
	r := &rig{t: t, eng: eng, hall: &recordingHall{Engine: eng, sent: make(chan hall.Command, 1000)},
		tr: newFakeTransport(), clock: &fakeClock{now: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)},
		acts: make(chan Activity, 4096), events: make(chan room.Event, 4096), ctx: ctx, cancel: cancel}
	o := Options{
		Devices: cfg.Devices, Transport: r.tr, Hall: r.hall, Clock: r.clock, Deadline: deadline, Tick: time.Millisecond,
		Logger: slog.New(slog.NewTextHandler(t.Output(), nil)),
		Observe: func(a Activity) {
			r.mu.Lock()
			r.log = append(r.log, a)
			r.mu.Unlock()
			select { // never block the devices
			case r.acts <- a:
			default:
			}
		},
	}
	if tune != nil {
		tune(&o, r.tr)
	}
	m, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	r.m = m
	eng.Subscribe(m.Observe)
	eng.Subscribe(func(_ *hall.State, evs []room.Event) {
		for _, ev := range evs {
			select {
			case r.events <- ev:
			default:
			}
		}
	})
	engDone := make(chan struct{})
	go func() { eng.Run(ctx); close(engDone) }()
	t.Cleanup(func() {
		cancel()
		<-engDone
	})
	return r
}

// start runs the devices and waits until every input is watched.
func (r *rig) start() *rig {
	r.t.Helper()
	devDone := make(chan struct{})
	go func() { r.m.Run(r.ctx); close(devDone) }()
	r.t.Cleanup(func() { r.cancel(); <-devDone })
	deadline := time.After(wait)
	for _, in := range r.m.inputs {
		select {
		case <-in.in.(*fakeInput).ready:
		case <-deadline:
			r.t.Fatal("the devices never watched their inputs")
		}
	}
	return r
}

func startRig(t *testing.T, tune func(*Options, *fakeTransport)) *rig {
	return newRig(t, tune).start()
}

func (r *rig) press(pin string)   { r.tr.input(pin).set(true) }
func (r *rig) release(pin string) { r.tr.input(pin).set(false) }

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

// expectReport waits for the hall to journal a report of the device.
func (r *rig) expectReport(device, kind string) equipment.Reported {
	r.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case ev := <-r.events:
			if p, ok := ev.Data.(equipment.Reported); ok && p.Device == device && p.Kind == kind {
				return p
			}
		case <-deadline:
			r.t.Fatalf("no %s report of %s journaled", kind, device)
		}
	}
}

// expectKey waits for the devices to send the hall a key press.
func (r *rig) expectKey() hall.Command {
	r.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case cmd := <-r.hall.sent:
			if _, ok := cmd.(queue.PressKey); ok {
				return cmd
			}
		case <-deadline:
			r.t.Fatal("the devices sent the hall no key")
			return nil
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

func (r *rig) health(device string) Health {
	for _, h := range r.m.Health() {
		if h.Device == device {
			return h
		}
	}
	r.t.Fatalf("no device %s", device)
	return Health{}
}

// Every key of a window's button set becomes the hall's PressKey for that
// window and key, and nothing else: the devices do not read the hall to
// find who is signed on or whether the window is paused.
func TestKeysSendPressKey(t *testing.T) {
	r := startRig(t, nil)
	r.openWithTickets(1)
	reads := r.hall.readCount()
	for _, tc := range []struct{ pin, key string }{
		{"GPIO17", "call"}, {"GPIO27", "recall"}, {"GPIO22", "skip"}, {"GPIO23", "pause"},
	} {
		r.press(tc.pin)
		cmd := r.expectKey()
		if want := (queue.PressKey{Window: "1", Key: tc.key}); cmd != want {
			t.Fatalf("%s sent %#v, want %#v", tc.pin, cmd, want)
		}
		r.release(tc.pin)
		r.expect("window:1:caller", "released")
	}
	if n := r.hall.readCount() - reads; n != 0 {
		t.Fatalf("the devices read the hall %d times to press its keys", n)
	}
}

// A refusal of a key shows on the caller's activity, where an installer
// looks.
func TestRefusedKeyShowsAsRejected(t *testing.T) {
	r := startRig(t, func(o *Options, _ *fakeTransport) {
		o.Hall = refusingHall{o.Hall}
	})
	r.press("GPIO17")
	if a := r.expect("window:1:caller", "rejected"); a.Detail != "next" || a.Refusal == nil || a.Refusal.Error() != "refused" {
		t.Fatalf("rejection says %q, %v", a.Detail, a.Refusal)
	}
}

// refusingHall refuses every key press and passes everything else on.
type refusingHall struct{ Hall }

func (h refusingHall) Do(ctx context.Context, cmd hall.Command, key string, reply engine.ReplyFunc) engine.Result {
	if _, ok := cmd.(queue.PressKey); ok {
		return engine.Result{Err: errors.New("refused")}
	}
	return h.Hall.Do(ctx, cmd, key, reply)
}

func TestKeyCallsNextTicket(t *testing.T) {
	r := startRig(t, nil)
	r.openWithTickets(2)
	r.press("GPIO17")
	ev := r.expectEvent("ticket.called")
	if c := ev.Data.(queue.TicketCalled); c.Window != "1" || c.Ticket.Number != "A001" || c.Staff != "1001" {
		t.Fatalf("called %+v", c)
	}
}

func TestPauseKeyToggles(t *testing.T) {
	r := startRig(t, nil)
	r.openWithTickets(0)
	press := func() {
		r.press("GPIO23")
		r.release("GPIO23")
	}
	press()
	r.expectEvent("window.paused") // with the reason the hall gives a key's pause
	press()
	r.expectEvent("window.resumed")
}

func TestButtonAtClosedWindowIsRejected(t *testing.T) {
	r := startRig(t, nil)
	r.press("GPIO17")
	a := r.expect("window:1:caller", "rejected")
	if errs.ReasonOf(a.Refusal) != "window_closed" {
		t.Fatalf("rejection says %v", a.Refusal)
	}
}

func TestEvaluatorKeyReachesRatingHook(t *testing.T) {
	ratings := make(chan [2]any, 10)
	r := startRig(t, func(o *Options, _ *fakeTransport) {
		o.Rating = func(_ context.Context, window string, score int) { ratings <- [2]any{window, score} }
	})
	r.press("GPIO6") // the second key: 满意
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
	if h := r.health("window:1:evaluator"); h.Last == nil || h.Last.What != "key" {
		t.Fatalf("evaluator health %+v", h)
	}
}

// The lockers' rules decide that an opening nobody commanded is an alarm;
// the devices report the door and show the verdict on the compartment.
func TestUnexpectedDoorOpeningRaisesAlarm(t *testing.T) {
	r := startRig(t, nil)
	r.press("GPIO21") // door 01 opens; nothing released it
	a := r.expect("locker:L1:01", equipment.Alarm)
	ev := r.expectEvent("locker.alarm")
	if p := ev.Data.(locker.Alarm); p.Comp != "L1/01" {
		t.Fatalf("journaled %+v", p)
	}
	if h := r.health("locker:L1:01"); h.Status != equipment.Alarm || h.Finding != *a.Finding || h.Finding.Reason != equipment.DoorForced || h.Problems != 1 || !h.State["door_open"] {
		t.Fatalf("health %+v", h)
	}
	var open bool
	r.eng.Read(context.Background(), func(s *hall.State, _ *hall.Setup) { open = s.Lockers.Compartments["L1/01"].DoorOpen })
	if !open {
		t.Fatal("the lockers do not know the door is open")
	}
	r.release("GPIO21")
	r.expect("locker:L1:01", equipment.OK)
	r.expectEvent("locker.door_closed")
	for _, a := range r.seen() {
		if a.What == equipment.Alarm && a.Device != "locker:L1:01" {
			t.Fatalf("alarm on %s", a.Device)
		}
	}
}

func TestPulseWithoutDoorIsFault(t *testing.T) {
	r := startRig(t, nil)
	relay := r.tr.output("GPIO16")
	if err := r.m.Unlock("L1", "02"); err != nil {
		t.Fatal(err)
	}
	if err := r.m.Unlock("L1", "02"); err == nil {
		t.Fatal("a second unlock while the first waits or runs was accepted")
	}
	r.expect("locker:L1:02", "pulse")
	if !relay.on() || !r.health("locker:L1:02").State["relay_on"] {
		t.Fatal("the relay is not energised during the pulse")
	}
	r.clock.Advance(500 * time.Millisecond)
	r.expect("locker:L1:02", "off")
	if relay.on() {
		t.Fatal("the relay is energised after the pulse")
	}
	r.clock.Advance(5 * time.Second)
	r.expect("locker:L1:02", equipment.Fault)
	r.expectReport("locker:L1:02", equipment.Fault)
	if h := r.health("locker:L1:02"); h.Status != equipment.Fault || h.Problems != 1 {
		t.Fatalf("health %+v", h)
	}
	// The next unlock works: the door opens on command and the fault clears.
	if err := r.m.Unlock("L1", "02"); err != nil {
		t.Fatal(err)
	}
	r.expect("locker:L1:02", "pulse")
	r.press("GPIO12")
	r.expect("locker:L1:02", equipment.OK)
}

// A release journaled by the lockers pulses the relay; the door then opens
// on command (no alarm), and its closing completes the release.
func TestRelayFollowsJournaledRelease(t *testing.T) {
	r := startRig(t, nil)
	r.do(locker.Open{Comp: "L1/01", Actor: room.Actor{Staff: "9001", Role: room.Manager}})
	r.expect("locker:L1:01", "pulse")
	if !r.tr.output("GPIO20").on() {
		t.Fatal("the relay is not energised after the release")
	}
	r.press("GPIO21")
	r.expect("locker:L1:01", "opened")
	if p := r.expectEvent("locker.door_opened").Data.(locker.DoorOpened); p.Purpose != locker.ForService {
		t.Fatalf("opened for %q", p.Purpose)
	}
	r.clock.Advance(10 * time.Second) // past the pulse and the confirm time
	r.expect("locker:L1:01", "off")
	r.release("GPIO21")
	r.expectEvent("locker.door_closed")
	for _, a := range r.seen() {
		if a.Device == "locker:L1:01" && (a.What == equipment.Alarm || a.What == equipment.Fault) {
			t.Fatalf("a commanded opening raised %s", a.What)
		}
	}
}

// A door the lockers find left open shows as an alert on its health.
func TestLeftOpenShowsOnHealth(t *testing.T) {
	r := startRig(t, nil)
	r.m.Observe(hall.NewState(r.eng.Setup()), []room.Event{{Seq: 1, Data: locker.LeftOpen{Comp: "L1/02"}}})
	r.expect("locker:L1:02", equipment.Alert)
	if h := r.health("locker:L1:02"); h.Status != equipment.Alert {
		t.Fatalf("health %+v", h)
	}
}

func TestUnlockRefusals(t *testing.T) {
	r := startRig(t, nil)
	if err := r.m.Unlock("L1", "99"); err == nil {
		t.Fatal("unknown compartment unlocked")
	}
	r.press("GPIO21")
	r.expect("locker:L1:01", "opened")
	if err := r.m.Unlock("L1", "01"); err == nil {
		t.Fatal("an open door was unlocked again")
	}
}

// The lamp follows its binding: a LampFunc decides from the window's state.
func TestLampFollowsBinding(t *testing.T) {
	r := startRig(t, func(o *Options, _ *fakeTransport) {
		o.Lamp = func(s *hall.State, w string) bool { return s.Queue.Windows[w].State == queue.Paused }
	})
	lamp := r.tr.output("GPIO24")
	r.openWithTickets(0)
	r.do(queue.Pause{Window: "1", Actor: room.Actor{Staff: "1001"}, Reason: "午休"})
	r.expect("window:1:lamp", "on")
	if !lamp.on() || !r.health("window:1:lamp").State["on"] {
		t.Fatal("lamp dark though its binding says on")
	}
	r.do(queue.Resume{Window: "1", Actor: room.Actor{Staff: "1001"}})
	r.expect("window:1:lamp", "off")
	if lamp.on() {
		t.Fatal("lamp lit though its binding says off")
	}
}

// Without a binding lamps stay dark.
func TestLampDarkWithoutBinding(t *testing.T) {
	r := startRig(t, nil)
	r.openWithTickets(0)
	r.do(queue.Pause{Window: "1", Actor: room.Actor{Staff: "1001"}, Reason: "午休"})
	// The rig's subscriber comes after the devices', so once it has the
	// event the devices have had their word.
	r.expectEvent("window.paused")
	if r.m.lamps["1"].mail.lamp() {
		t.Fatal("the lamp is asked to light without a binding")
	}
}

// A pin the transport cannot give makes its device faulty; the rest runs.
func TestUnavailablePinIsFault(t *testing.T) {
	r := startRig(t, func(_ *Options, tr *fakeTransport) { tr.missing["GPIO24"] = true })
	r.expectReport("window:1:lamp", equipment.Fault)
	if h := r.health("window:1:lamp"); h.Status != equipment.Fault || h.Finding.Reason != equipment.PinUnavailable || h.Finding.Pin != "GPIO24" {
		t.Fatalf("health %+v", h)
	}
	r.press("GPIO17")
	r.expect("window:1:caller", "pressed")
}

// An input that cannot be read is a fault until it can again.
func TestInputHealth(t *testing.T) {
	r := startRig(t, nil)
	door := r.tr.input("GPIO12")
	door.health(errors.New("i2c: no ack"))
	r.expectReport("locker:L1:02", equipment.Fault)
	if h := r.health("locker:L1:02"); h.Finding.Reason != equipment.PinUnreadable || h.Finding.Pin != "GPIO12" || !strings.Contains(h.Finding.Detail, "no ack") {
		t.Fatalf("health %+v", h)
	}
	door.health(nil)
	r.expectReport("locker:L1:02", equipment.OK)
}

// The hall stopped while a pickup's door stood open, and the applicant shut
// it while the hall was down. On start the devices report each door as the
// sensor sees it, so the lockers complete the pickup; a door found open
// with nothing released is an alarm.
func TestDoorsReportedOnStart(t *testing.T) {
	r := newRig(t, nil)
	// What the journal holds: an item stored in 01, its pickup released and
	// the door seen open; nothing about 02.
	item := locker.Item{Case: "C1", What: "证照", Name: "张三", IDHash: "id", CodeHash: "k", Clerk: "1001"}
	for _, cmd := range []locker.Command{
		locker.Deposit{Size: locker.Small, Item: item},
		locker.DoorChanged{Comp: "L1/01", Open: true},
		locker.DoorChanged{Comp: "L1/01", Open: false},
		locker.Pickup{Bank: "L1", Who: "id", CodeHash: "k"},
		locker.DoorChanged{Comp: "L1/01", Open: true},
	} {
		r.do(cmd)
	}
	// The sensors now: 01 shut, 02 (a medium) open.
	r.tr.input("GPIO12").active = true // before the devices run, nobody else looks
	r.start()
	seen := map[string]string{}
	deadline := time.After(wait)
	for seen["L1/01"] == "" || seen["L1/02"] == "" {
		select {
		case ev := <-r.events:
			switch p := ev.Data.(type) {
			case locker.PickedUp:
				seen[p.Comp] = ev.Data.Type()
			case locker.Alarm:
				seen[p.Comp] = ev.Data.Type()
			}
		case <-deadline:
			t.Fatalf("after start the lockers heard %v", seen)
		}
	}
	if seen["L1/01"] != "locker.picked_up" || seen["L1/02"] != "locker.alarm" {
		t.Fatalf("after start: %v", seen)
	}
}

func TestTransportClosedAfterRun(t *testing.T) {
	r := newRig(t, nil)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { r.m.Run(ctx); close(done) }()
	cancel()
	<-done
	r.tr.mu.Lock()
	defer r.tr.mu.Unlock()
	if !r.tr.closed {
		t.Fatal("the devices did not let go of the transport")
	}
}

// A driver's error longer than the hall takes still reaches the journal,
// shortened.
func TestLongFaultIsReported(t *testing.T) {
	r := startRig(t, func(o *Options, tr *fakeTransport) {
		o.Lamp = func(*hall.State, string) bool { return true } // lit from the start
		tr.output("GPIO24").failWith(errors.New(strings.Repeat("i2c: remote I/O error; ", 20)))
	})
	if p := r.expectReport("window:1:lamp", equipment.Fault); len([]rune(p.Detail)) != maxDetail {
		t.Fatalf("reported %d characters", len([]rune(p.Detail)))
	}
}
