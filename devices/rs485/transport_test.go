package rs485

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/equipment"
)

// events records what an input tells, for a test to wait on.
type events chan any

type health struct{ err error }

func (e events) Changed(active bool) { e <- active }
func (e events) Health(err error)    { e <- health{err} }

// next waits for the next word of the input, with a generous deadline.
func (e events) next(t *testing.T) any {
	t.Helper()
	select {
	case v := <-e:
		return v
	case <-time.After(10 * time.Second):
		t.Fatal("the input said nothing")
		return nil
	}
}

// openBus runs the transport of a device map on its simulated bus (the
// simulated devices on a pseudo-terminal, the transport on its serial
// port) until the test ends.
func openBus(t *testing.T, d config.Devices) *Transport {
	t.Helper()
	tr, err := Open(Options{Devices: d})
	if err != nil {
		t.Fatal(err)
	}
	if tr.Sim() == nil {
		t.Fatal("a bus on port sim must be simulated")
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); tr.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		<-done
		if err := tr.Close(); err != nil {
			t.Error(err)
		}
	})
	return tr
}

// callerMap is a caller at address 3 of a simulated bus.
func callerMap() config.Devices {
	return config.Devices{
		Buses: []config.Bus{{Name: "bus1", Port: config.Sim, Retries: 2, PollMS: 10}},
		Windows: []config.WindowDevices{{Window: "1", Display: "bus1@3", Buttons: config.Buttons{
			Next: &config.Pin{Name: "bus1@3:key1"}, Skip: &config.Pin{Name: "bus1@3:key3"}}}},
	}
}

// watch starts watching the caller's next key.
func watch(t *testing.T, tr *Transport) (devices.Input, events) {
	t.Helper()
	in, err := tr.Input(callerMap().Pins()[0])
	if err != nil {
		t.Fatal(err)
	}
	ev := make(events, 64)
	ctx, stop := context.WithCancel(context.Background())
	t.Cleanup(stop)
	go in.Watch(ctx, ev)
	return in, ev
}

func TestKeyPressReported(t *testing.T) {
	tr := openBus(t, callerMap())
	in, ev := watch(t, tr)
	caller := tr.Sim().Unit("bus1@3")
	if err := tr.Sim().Drive("bus1@3:key1", devices.High); err != nil {
		t.Fatal(err)
	}
	if v := ev.next(t); v != true {
		t.Fatalf("key 1 held down: the input said %v", v)
	}
	if !in.Active() || !caller.Input(0) {
		t.Fatal("the key reads pressed")
	}
	if p, ok := tr.Sim().Pin("bus1@3:key1"); !ok || !p.Active || p.Role != "button" || p.Window != "1" || p.Action != "next" {
		t.Fatalf("the simulator lists the key as %+v", p)
	}
	tr.Sim().Drive("bus1@3:key1", devices.Low)
	if v := ev.next(t); v != false {
		t.Fatalf("key 1 let go: the input said %v", v)
	}
	// Key 3 is another input: its press is not key 1's.
	tr.Sim().Drive("bus1@3:key3", devices.High)
	waitPolls(t, tr, "bus1", 3, 3)
	select {
	case v := <-ev:
		t.Fatalf("key 3 pressed: key 1 said %v", v)
	default:
	}
}

// waitPolls waits until the device at addr has been asked n more times.
func waitPolls(t *testing.T, tr *Transport, bus string, addr byte, n int) {
	t.Helper()
	sb := tr.Sim().Bus(bus)
	want := sb.Requests(addr) + n
	deadline := time.After(10 * time.Second)
	for sb.Requests(addr) < want {
		select {
		case <-sb.Changed():
		case <-deadline:
			t.Fatalf("device %d was not polled", addr)
		}
	}
}

func TestCorruptFrameRejectedAndRetried(t *testing.T) {
	tr := openBus(t, callerMap())
	_, ev := watch(t, tr)
	client := tr.named["bus1"].client
	tr.Sim().Bus("bus1").CorruptNext(1)
	tr.Sim().Drive("bus1@3:key1", devices.High)
	// The one corrupt answer is refused and asked again: the press comes
	// through, and the input never turns faulty.
	if v := ev.next(t); v != true {
		t.Fatalf("the key press after a corrupt answer: the input said %v", v)
	}
	if n := client.BadFrames.Load(); n != 1 {
		t.Fatalf("%d frames refused, want the 1 corrupt one", n)
	}
}

func TestSilentDeviceFaultyThenOK(t *testing.T) {
	tr := openBus(t, callerMap())
	_, ev := watch(t, tr)
	caller := tr.Sim().Unit("bus1@3")
	caller.Silence(true)
	v := ev.next(t)
	if h, ok := v.(health); !ok || h.err == nil {
		t.Fatalf("a silent caller: its key said %v, want a fault", v)
	}
	// Pressed while silent: the press is read once the caller answers.
	tr.Sim().Drive("bus1@3:key1", devices.High)
	caller.Silence(false)
	if v := ev.next(t); v != (health{nil}) {
		t.Fatalf("the caller answers again: its key said %v, want ok", v)
	}
	if v := ev.next(t); v != true {
		t.Fatalf("then the press: %v", v)
	}
}

func TestDisplayShowsText(t *testing.T) {
	tr := openBus(t, callerMap())
	d, err := tr.Display("bus1@3")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := d.Show(ctx, "A012"); err != nil {
		t.Fatal(err)
	}
	if got := tr.Sim().Unit("bus1@3").Text(); got != "A012" {
		t.Fatalf("the display shows %q", got)
	}
	if err := d.Show(ctx, ""); err != nil || tr.Sim().Unit("bus1@3").Text() != "" {
		t.Fatalf("cleared: %q, %v", tr.Sim().Unit("bus1@3").Text(), err)
	}
	if _, err := tr.Display("bus1@4"); err == nil {
		t.Fatal("no caller at address 4, yet a display")
	}
}

func TestDisplayRegisters(t *testing.T) {
	r := DisplayRegisters("A012")
	if len(r) != 8 || r[0] != 0x4130 || r[1] != 0x3132 || r[2] != 0x2020 || r[7] != 0x2020 {
		t.Fatalf("A012 as registers %04x", r)
	}
	if r := DisplayRegisters("号A1"); r[0] != 0x3F41 {
		t.Fatalf("a character beyond ASCII: %04x", r[0])
	}
}

// A tap between two polls is still a press: the caller keeps it until read.
func TestKeyTapBetweenPolls(t *testing.T) {
	d := callerMap()
	d.Buses[0].PollMS = 1000
	tr := openBus(t, d)
	_, ev := watch(t, tr)
	waitPolls(t, tr, "bus1", 3, 1)
	tr.Sim().Drive("bus1@3:key1", devices.High)
	tr.Sim().Drive("bus1@3:key1", devices.Low)
	if v := ev.next(t); v != true {
		t.Fatalf("a tap: %v", v)
	}
	if v := ev.next(t); v != false {
		t.Fatalf("then the release: %v", v)
	}
}

// A lock left on when the bus stops (a pulse cut short by the hall's stop)
// is let go, and a write after the stop is refused at once.
func TestStopLetsLocksGo(t *testing.T) {
	d := config.Devices{
		Buses: []config.Bus{{Name: "bus1", Port: config.Sim, PollMS: 10}},
		Lockers: []config.LockerBank{{ID: "L1", Compartments: []config.Compartment{
			{ID: "01", Size: "S", Relay: config.Pin{Name: "bus1@10:lock1"}, Door: config.Pin{Name: "bus1@10:door1"}}}}},
	}
	tr, err := Open(Options{Devices: d})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); tr.Run(ctx) }()
	out, err := tr.Output(d.Pins()[0])
	if err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := out.Set(wctx, true); err != nil {
		t.Fatal(err)
	}
	board := tr.Sim().Unit("bus1@10")
	if !board.Coil(0) || !board.Input(0) {
		t.Fatal("lock 1 energised must be on and open its door")
	}
	stop()
	<-done
	if board.Coil(0) {
		t.Fatal("the bus stopped with lock 1 still energised")
	}
	if err := out.Set(wctx, false); err != errStopped {
		t.Fatalf("a write after the stop: %v", err)
	}
}

// A bus whose serial port cannot be opened does not stop the hall: its
// devices' inputs are faulty and its writes fail at once.
func TestPortThatCannotOpen(t *testing.T) {
	d := callerMap()
	d.Buses[0].Port = filepath.Join(t.TempDir(), "ttyUSB9")
	tr, err := Open(Options{Devices: d})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if tr.Sim() != nil {
		t.Fatal("a real port is not simulated")
	}
	_, ev := watch(t, tr)
	if v := ev.next(t); v == (health{nil}) || v == true || v == false {
		t.Fatalf("a key on a bus with no port said %v, want a fault", v)
	}
	disp, err := tr.Display("bus1@3")
	if err != nil {
		t.Fatal(err)
	}
	if err := disp.Show(context.Background(), "A001"); err == nil || !strings.Contains(err.Error(), "ttyUSB9") {
		t.Fatalf("a display on a bus with no port: %v", err)
	}
	// Among the devices, the caller says why.
	acts := make(chan devices.Activity, 256)
	m, err := devices.New(devices.Options{Devices: d, Transport: tr, Observe: func(a devices.Activity) {
		select {
		case acts <- a:
		default:
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	tr.Attach(m)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); m.Run(ctx) }()
	defer func() { stop(); <-done }()
	for deadline := time.After(10 * time.Second); ; {
		select {
		case a := <-acts:
			if a.Device == "bus:bus1@3" && a.What == equipment.Fault {
				if a.Finding.Reason != equipment.BusUnavailable || a.Finding.Pin != "bus1" || !strings.Contains(a.Finding.Detail, "ttyUSB9") {
					t.Fatalf("the caller on a bus with no port: %+v", a.Finding)
				}
				return
			}
		case <-deadline:
			t.Fatal("the caller on a bus with no port reported nothing")
		}
	}
}
