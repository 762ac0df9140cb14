package ledbar

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/devices/ledbar/ledproto"
	"hallfloor/devices/ledbar/ledsim"
	"hallfloor/display"
	"hallfloor/engine"
	"hallfloor/equipment"
	"hallfloor/hall"
	"hallfloor/journal/sqlite"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/room"
)

const testHall = `
hall: {name: LED测试大厅, demo: true}
calendar: {always_open: true}
services: [{code: A, name: 社会民生, kind: intake}]
windows: [{id: "1", services: [A]}, {id: "2", services: [A]}]
staff: [{id: "1001", name: 王丽娟, role: clerk, password: demo}]
devices:
  led_controllers: [{name: led1, address: "%s", encoding: %s}]
  windows:
    - {window: "1", led: {controller: led1, address: 1}}
    - {window: "2", led: {controller: led1, address: 2, width: 32}}
`

const wait = 10 * time.Second // a deadline for what must happen, not a measure of speed

var clerk = room.Actor{Staff: "1001"}

// rig is a hall on a real engine and SQLite journal, its devices, and its
// LED bars driven over real TCP to a simulated controller.
type rig struct {
	t      *testing.T
	eng    *engine.Engine
	m      *devices.Manager
	bars   *Bars
	sim    *ledsim.Controller
	events chan room.Event
	ctx    context.Context
	// Set before start: the hall's clock and a change to its hall file.
	clock func() time.Time
	tune  func(*config.Hall)
}

// newRig starts the hall; address is the controller's ("" for the rig's
// simulator, started by the test).
func newRig(t *testing.T, address, encoding string) *rig {
	t.Helper()
	r := &rig{t: t}
	if address == "" {
		enc, err := ledproto.ParseEncoding(encoding)
		if err != nil {
			t.Fatal(err)
		}
		if r.sim, err = ledsim.Start("127.0.0.1:0", enc); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { r.sim.Close() })
		address = r.sim.Addr()
	}
	r.start(address, encoding)
	return r
}

// start runs the hall with its controller at address.
func (r *rig) start(address, encoding string) {
	t := r.t
	t.Helper()
	r.events = make(chan room.Event, 4096)
	ctx, cancel := context.WithCancel(context.Background())
	r.ctx = ctx
	cfg := hallFile(t, address, encoding)
	if r.tune != nil {
		r.tune(cfg)
	}
	j, err := sqlite.Open(filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	if r.eng, err = engine.Open(ctx, engine.Options{Setup: cfg.Setup(), Journal: j, Clock: r.clock}); err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(t.Output(), nil))
	if r.m, err = devices.New(devices.Options{Devices: cfg.Devices, Hall: r.eng, Logger: log}); err != nil {
		t.Fatal(err)
	}
	r.bars, err = New(Options{Devices: cfg.Devices, Manager: r.m, Hall: r.eng, Setup: r.eng.Setup(), Logger: log,
		Timeout: time.Second, Idle: 200 * time.Millisecond, Backoff: 10 * time.Millisecond, MaxBackoff: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	r.eng.Subscribe(r.m.Observe)
	r.eng.Subscribe(r.bars.Observe)
	r.eng.Subscribe(func(_ *hall.State, evs []room.Event) {
		for _, ev := range evs {
			select {
			case r.events <- ev:
			default:
			}
		}
	})
	engDone, devDone := make(chan struct{}), make(chan struct{})
	go func() { r.eng.Run(ctx); close(engDone) }()
	go func() { r.m.Run(ctx); close(devDone) }()
	t.Cleanup(func() { cancel(); <-devDone; <-engDone })
}

// callNext is the clerk's call key at window 1, the screen showing the
// ticket now served.
func (r *rig) callNext() {
	r.t.Helper()
	var current string
	if err := r.eng.Read(context.Background(), func(s *hall.State, _ *hall.Setup) { current = s.Queue.Windows["1"].Current }); err != nil {
		r.t.Fatal(err)
	}
	r.do(queue.CallNext{Window: "1", Actor: clerk, Current: current})
}

// hallFile is the test hall with its controller at address.
func hallFile(t *testing.T, address, encoding string) *config.Hall {
	t.Helper()
	cfg, err := config.Parse(fmt.Appendf(nil, testHall, address, encoding))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func (r *rig) do(cmd hall.Command) {
	r.t.Helper()
	if res := r.eng.Do(context.Background(), cmd, "", nil); res.Err != nil {
		r.t.Fatalf("%T: %v", cmd, res.Err)
	}
}

// led is what the window's bar should show now, as its web screen words it.
func (r *rig) led(window string, width int) display.LED {
	r.t.Helper()
	var led display.LED
	err := r.eng.Read(context.Background(), func(s *hall.State, setup *hall.Setup) {
		v, _ := (&display.Hall{Setup: setup}).Window(s, window)
		led = display.WindowLED(v, width)
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return led
}

// waitFor waits until cond holds, looking again at each change of the
// simulator and every few milliseconds for the devices' health.
func (r *rig) waitFor(what string, cond func() bool) {
	r.t.Helper()
	deadline := time.After(wait)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		var changed <-chan struct{}
		if r.sim != nil {
			changed = r.sim.Changed()
		}
		select {
		case <-changed:
		case <-tick.C:
		case <-deadline:
			r.t.Fatalf("never: %s", what)
		}
	}
}

// waitShows waits until the bar shows the window's line.
func (r *rig) waitShows(bar int, led display.LED) {
	r.t.Helper()
	r.waitFor(fmt.Sprintf("bar %d shows %q (it shows %q)", bar, led.Text, r.sim.Lines(bar)), func() bool {
		return slices.Equal(r.sim.Lines(bar), led.Lines)
	})
}

// expectReport waits for the hall to journal a report of the device.
func (r *rig) expectReport(device, kind, reason string) equipment.Reported {
	r.t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case ev := <-r.events:
			if p, ok := ev.Data.(equipment.Reported); ok && p.Device == device && p.Kind == kind && p.Reason == reason {
				return p
			}
		case <-deadline:
			r.t.Fatalf("no %s report (%s) of %s journaled", kind, reason, device)
		}
	}
}

func (r *rig) health(device string) devices.Health {
	r.t.Helper()
	for _, h := range r.m.Health() {
		if h.Device == device {
			return h
		}
	}
	r.t.Fatalf("no device %s", device)
	return devices.Health{}
}

// A call in the hall puts its line on the window's bar, in GB18030 over
// TCP, and /devices shows the controller online and what each bar shows.
func TestCallShowsOnTheBar(t *testing.T) {
	r := newRig(t, "", "GB18030")
	r.waitShows(2, display.LED{Lines: []string{"2号窗口 暂停办理"}})
	r.do(queue.OpenWindow{Window: "1", Actor: clerk})
	r.waitShows(1, r.led("1", 16))
	r.do(queue.IssueTicket{Service: "A"})
	r.callNext()
	want := r.led("1", 16)
	if want.Text != display.CallText("A001", "1") {
		t.Fatalf("the window's line is %q", want.Text)
	}
	r.waitShows(1, want)
	if got := r.sim.Text(1); !strings.Contains(got, "A001") || !strings.HasSuffix(got, "号窗口办理") {
		t.Fatalf("bar 1 reads %q", got)
	}
	r.do(queue.Recall{Window: "1", Actor: clerk})
	r.do(queue.Finish{Window: "1", Actor: clerk})
	r.do(queue.Pause{Window: "1", Actor: clerk, Reason: "午休"})
	r.waitShows(1, display.LED{Lines: []string{"1号窗口 暂停服务"}})

	r.waitFor("the bar's health shows its text", func() bool {
		h := r.health(BarDevice("led1", 1))
		return h.Last != nil && h.Last.What == "shown" && h.Last.Detail == "1号窗口 暂停服务"
	})
	ctl := r.health(ControllerDevice("led1"))
	if ctl.Kind != KindController || ctl.Status != equipment.OK || !ctl.State["online"] {
		t.Fatalf("controller health %+v", ctl)
	}
	if b := r.health(BarDevice("led1", 2)); b.Kind != KindBar || b.Window != "2" || b.Status != equipment.OK {
		t.Fatalf("bar 2 health %+v", b)
	}
}

// A controller that stops answering is a fault the hall journals; when it
// answers again it is ok, and every bar is sent its present line again,
// the ones that did not change too.
func TestSilentControllerFaultsAndComesBack(t *testing.T) {
	r := newRig(t, "", "UTF-8")
	r.do(queue.OpenWindow{Window: "1", Actor: clerk})
	r.waitShows(1, r.led("1", 16))
	r.waitShows(2, r.led("2", 32))

	r.sim.Set(ledsim.Mode{Silent: true})
	r.do(queue.IssueTicket{Service: "A"})
	r.callNext()
	rep := r.expectReport(ControllerDevice("led1"), equipment.Fault, equipment.ControllerSilent)
	if !strings.Contains(rep.Detail, "1s") {
		t.Fatalf("silence reported as %+v", rep)
	}
	if h := r.health(ControllerDevice("led1")); h.Status != equipment.Fault || h.State["online"] {
		t.Fatalf("a silent controller's health %+v", h)
	}
	if got := r.sim.Text(1); strings.Contains(got, "A001") {
		t.Fatal("a silent controller showed the call")
	}

	r.sim.Blank() // it lost its power: the bars show nothing
	r.sim.Set(ledsim.Mode{})
	r.expectReport(ControllerDevice("led1"), equipment.OK, equipment.ControllerAnswers)
	r.waitShows(1, r.led("1", 16))
	r.waitShows(2, r.led("2", 32))
	if got := r.sim.Text(1); !strings.Contains(got, "A001") {
		t.Fatalf("bar 1 reads %q after the controller came back", got)
	}
	r.waitFor("the controller online again", func() bool {
		h := r.health(ControllerDevice("led1"))
		return h.Status == equipment.OK && h.State["online"]
	})
}

// A controller whose network went away is reconnected, and shows every
// bar's line again.
func TestDroppedLinkIsMadeAgain(t *testing.T) {
	r := newRig(t, "", "GB18030")
	r.do(queue.OpenWindow{Window: "1", Actor: clerk})
	r.waitShows(1, r.led("1", 16))
	before := r.sim.Shows(2)
	r.sim.Drop()
	r.waitFor("bar 2 sent its line again", func() bool { return r.sim.Shows(2) > before })
	r.waitShows(2, r.led("2", 32))
}

// A burst of changes while the controller is away ends with the latest
// line, sent once: the lines in between are never queued.
func TestBurstEndsWithTheLatestLine(t *testing.T) {
	r := newRig(t, "", "GB18030")
	r.do(queue.OpenWindow{Window: "1", Actor: clerk})
	r.waitShows(1, r.led("1", 16))
	r.sim.Set(ledsim.Mode{Silent: true})
	r.expectReport(ControllerDevice("led1"), equipment.Fault, equipment.ControllerSilent)
	for range 20 {
		r.do(queue.IssueTicket{Service: "A"})
	}
	for range 12 {
		r.callNext()
		r.do(queue.Recall{Window: "1", Actor: clerk})
	}
	want := r.led("1", 16)
	if want.Text != display.CallText("A012", "1") {
		t.Fatalf("the window's line is %q", want.Text)
	}
	before := r.sim.Shows(1)
	r.sim.Set(ledsim.Mode{})
	r.waitShows(1, want)
	r.expectReport(ControllerDevice("led1"), equipment.OK, equipment.ControllerAnswers)
	if n := r.sim.Shows(1) - before; n != 1 {
		t.Fatalf("bar 1 was sent %d lines after the burst, want the latest alone", n)
	}
}

// While the controller is up, calls one after the other end with the
// latest line on the bar.
func TestBurstWhileConnected(t *testing.T) {
	r := newRig(t, "", "GB18030")
	r.do(queue.OpenWindow{Window: "1", Actor: clerk})
	for range 30 {
		r.do(queue.IssueTicket{Service: "A"})
	}
	for range 30 {
		r.callNext()
	}
	want := r.led("1", 16)
	if want.Text != display.CallText("A030", "1") {
		t.Fatalf("the window's line is %q", want.Text)
	}
	r.waitShows(1, want)
}

// A bar the controller refuses is that bar's fault, journaled, and ok
// again once it shows; the controller itself answers, so it stays ok.
func TestRefusedBar(t *testing.T) {
	r := newRig(t, "", "GB18030")
	r.waitShows(1, r.led("1", 16))
	r.sim.Set(ledsim.Mode{Refuse: ledproto.ErrNoBar})
	r.do(queue.OpenWindow{Window: "1", Actor: clerk})
	rep := r.expectReport(BarDevice("led1", 1), equipment.Fault, equipment.LEDRefused)
	if rep.Detail != "no_bar" {
		t.Fatalf("refusal reported as %+v", rep)
	}
	if h := r.health(ControllerDevice("led1")); h.Status != equipment.OK {
		t.Fatalf("the controller answers, yet %+v", h)
	}
	r.sim.Set(ledsim.Mode{})
	r.do(queue.Pause{Window: "1", Actor: clerk, Reason: "午休"})
	r.expectReport(BarDevice("led1", 1), equipment.OK, equipment.LEDShown)
	r.waitShows(1, r.led("1", 16))
}

// A controller nobody answers at is unreachable, a fault the hall journals.
func TestUnreachableController(t *testing.T) {
	sim, err := ledsim.Start("127.0.0.1:0", ledproto.GB18030)
	if err != nil {
		t.Fatal(err)
	}
	addr := sim.Addr()
	sim.Close() // nothing listens there now
	r := newRig(t, addr, "GB18030")
	rep := r.expectReport(ControllerDevice("led1"), equipment.Fault, equipment.ControllerUnreachable)
	if !strings.Contains(rep.Detail, "refused") {
		t.Fatalf("unreachable reported as %+v", rep)
	}
}

// A controller at address "sim" runs the simulator in-process, as the demo
// hall does.
func TestSimAddressRunsTheSimulator(t *testing.T) {
	r := newRig(t, config.Sim, "GB18030")
	r.waitFor("the simulator running", func() bool { return r.bars.Sim("led1") != nil })
	r.sim = r.bars.Sim("led1")
	r.waitShows(2, r.led("2", 32))
}

// A busy controller is asked again: the bar is not at fault, and shows its
// line once the controller takes it.
func TestBusyControllerIsAskedAgain(t *testing.T) {
	r := newRig(t, "", "GB18030")
	r.waitShows(1, r.led("1", 16))
	r.sim.Set(ledsim.Mode{Refuse: ledproto.ErrBusy})
	r.do(queue.OpenWindow{Window: "1", Actor: clerk})
	before := r.sim.Shows(1)
	r.waitFor("the controller asked again", func() bool { return r.sim.Counts().Refusals >= 3 })
	if n := r.sim.Shows(1); n != before {
		t.Fatalf("a busy controller showed %d lines", n-before)
	}
	r.sim.Set(ledsim.Mode{})
	r.waitShows(1, r.led("1", 16))
	if h := r.health(BarDevice("led1", 1)); h.Status != equipment.OK || h.Problems != 0 {
		t.Fatalf("a bar of a busy controller: %+v", h)
	}
}

// Overtime (延时服务) puts its words before the window's line on the bar.
func TestOvertimeOnTheBar(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	now := time.Date(2026, 3, 2, 11, 50, 0, 0, loc) // a Monday morning
	r := &rig{t: t, clock: func() time.Time { mu.Lock(); defer mu.Unlock(); return now }}
	r.tune = func(h *config.Hall) {
		h.Calendar = config.Calendar{Weekly: map[string][]string{"mon": {"09:00-12:00"}}}
	}
	enc := ledproto.GB18030
	if r.sim, err = ledsim.Start("127.0.0.1:0", enc); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.sim.Close() })
	r.start(r.sim.Addr(), enc.Name)
	r.do(queue.OpenWindow{Window: "1", Actor: clerk})
	r.do(queue.IssueTicket{Service: "A"})
	r.do(queue.IssueTicket{Service: "A"})
	r.callNext()
	mu.Lock()
	now = time.Date(2026, 3, 2, 12, 0, 30, 0, loc) // the session is over, A002 still waits
	mu.Unlock()
	r.do(overtime.Check{})
	want := r.led("1", 16)
	if !strings.HasPrefix(want.Text, display.OvertimeText+" ") {
		t.Fatalf("the window's line in overtime is %q", want.Text)
	}
	r.waitShows(1, want)
}

// A controller answering outside the protocol is garbled, a fault named
// with what it said.
func TestGarbledController(t *testing.T) {
	r := newRig(t, "", "GB18030")
	r.waitShows(1, r.led("1", 16))
	r.sim.Set(ledsim.Mode{Garbled: true})
	r.do(queue.OpenWindow{Window: "1", Actor: clerk})
	if rep := r.expectReport(ControllerDevice("led1"), equipment.Fault, equipment.ControllerGarbled); rep.Detail != "HELLO?" {
		t.Fatalf("garbled reported as %+v", rep)
	}
	r.sim.Set(ledsim.Mode{})
	r.expectReport(ControllerDevice("led1"), equipment.OK, equipment.ControllerAnswers)
	r.waitShows(1, r.led("1", 16))
}
