// Package gpio is the devices' GPIO transport: the box's own pins and
// MCP23017 expanders on its I²C bus, through periph, with inputs debounced
// in our own code (periph's gpioutil.Debounce does not debounce). On a
// machine without GPIO, or when asked, the same watchers and drivers run on
// simulated pins (gpiotest), registered with periph under the hall file's
// names, for the /devices page to press and open. What a press or a door
// means is package devices' business; this package only moves levels.
package gpio

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"periph.io/x/conn/v3/gpio"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/errs"
)

// Clock tells the time the debounce goes by, so tests can move it by hand.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Options configure the GPIO transport.
type Options struct {
	Devices config.Devices
	// Sim runs on simulated pins even on a machine with GPIO.
	Sim bool
	// FallBack lets a machine without GPIO run on simulated pins (the demo
	// hall). Without it, and without Sim, Open refuses such a machine: a
	// real hall must not answer its buttons and locks from a simulator
	// nobody asked for.
	FallBack bool
	Clock    Clock // the system clock if nil
	Logger   *slog.Logger
	// Poll bounds how long a watcher waits for an edge before it looks at
	// its context and the clock again; 100ms when 0.
	Poll time.Duration
}

// Transport is the device map on GPIO pins, real or simulated. It is a
// devices.Transport.
type Transport struct {
	src    pinSource // nil when the map names no pins
	sim    *Sim
	window time.Duration
	poll   time.Duration
	clock  Clock

	mu     sync.Mutex
	inputs []*input // for tests, to know what a watcher has seen
}

var _ devices.Transport = (*Transport)(nil)

// Open finds the GPIO of the machine for the device map. With Options.Sim,
// or on a machine without GPIO when Options.FallBack allows it, the pins
// are simulated; on a machine without GPIO otherwise it fails with
// ErrNoGPIO, naming the pins. A device map that names no pins needs
// neither.
func Open(o Options) (*Transport, error) {
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	t := &Transport{window: o.Devices.Debounce(), poll: o.Poll, clock: o.Clock}
	if t.poll <= 0 {
		t.poll = 100 * time.Millisecond
	}
	if len(o.Devices.GPIOPins()) == 0 {
		return t, nil
	}
	sim := o.Sim
	if !sim {
		ok, err := hasGPIO()
		switch {
		case err != nil:
			return nil, errs.Wrap(err, "devices: periph")
		case !ok && !o.FallBack:
			return nil, noGPIO(o.Devices)
		case !ok:
			o.Logger.Warn("no GPIO on this machine: the devices run on simulated pins (see /devices)")
			sim = true
		}
	}
	if sim {
		t.sim = NewSim(o.Devices)
		t.src = t.sim
	} else {
		t.src = newBoardPins(o.Devices)
	}
	return t, nil
}

// ErrNoGPIO is Open finding no GPIO on the machine for a device map that
// names pins, with no simulation asked for.
var ErrNoGPIO = errors.New("no GPIO on this machine")

// noGPIO says which pins are missing and how to run without them.
func noGPIO(d config.Devices) error {
	var names []string
	seen := map[string]bool{}
	for _, p := range d.GPIOPins() {
		if !seen[p.Pin.Name] {
			seen[p.Pin.Name] = true
			names = append(names, p.Pin.Name)
		}
	}
	return fmt.Errorf("%w, but the hall file's devices name pins %s: run on the machine they are wired to, "+
		"or start with -simulate-devices to run them on simulated pins (the dashboard and /devices then say so)", ErrNoGPIO, strings.Join(names, ", "))
}

// Simulator is the simulated pins, or nil when the pins are real.
func (t *Transport) Simulator() devices.Simulator {
	if t.sim == nil {
		return nil // not a nil *Sim, which would pass for a simulator
	}
	return t.sim
}

func (t *Transport) wire(name string) (wire, error) {
	if t.src == nil {
		return wire{}, errs.R(errs.NotFound, "no_pin", "pin", name)
	}
	return t.src.pin(name)
}

// Input sets a pin up as an input of its role: its pull, and edge
// detection where the driver has it.
func (t *Transport) Input(ref config.PinRef) (devices.Input, error) {
	w, err := t.wire(ref.Pin.Name)
	if err != nil {
		return nil, err
	}
	high, pull := ref.Pin.Wiring(ref.Role)
	// Edges wake the watcher at once where the driver has them; where it
	// has not (an expander without its interrupt line), the watcher polls.
	if err := w.In(pullOf(pull), gpio.BothEdges); err != nil {
		if err := w.In(pullOf(pull), gpio.NoEdge); err != nil {
			return nil, err
		}
	}
	in := &input{name: ref.Pin.Name, pin: w, active: gpio.Level(high), poll: t.poll, clock: t.clock}
	l, err := w.level()
	in.deb = newDebouncer(t.window, err == nil && l == in.active)
	t.mu.Lock()
	t.inputs = append(t.inputs, in)
	t.mu.Unlock()
	return in, nil
}

// Output sets a pin up as an output of its role, switched off.
func (t *Transport) Output(ref config.PinRef) (devices.Output, error) {
	w, err := t.wire(ref.Pin.Name)
	if err != nil {
		return nil, err
	}
	high, _ := ref.Pin.Wiring(ref.Role)
	out := &output{pin: w, active: gpio.Level(high)}
	if err := w.Out(!out.active); err != nil {
		return nil, err
	}
	return out, nil
}

// Close lets go of the expanders and of the simulated pins' names.
func (t *Transport) Close() error {
	if t.src != nil {
		t.src.close()
	}
	return nil
}

// output is a lamp or relay pin.
type output struct {
	pin    wire
	active gpio.Level
}

// Set drives the pin. periph's Out takes no context: a write to a stuck
// expander returns when its I²C bus gives up, and until then the devices
// report it overdue.
func (o *output) Set(_ context.Context, on bool) error {
	l := !o.active
	if on {
		l = o.active
	}
	return o.pin.Out(l)
}

// input is a watched, debounced input pin.
type input struct {
	name   string
	pin    wire
	active gpio.Level
	poll   time.Duration
	clock  Clock

	mu  sync.Mutex
	deb *debouncer

	// changes counts raw level changes the watcher has taken, and loops its
	// turns, for tests to know an edge has been seen before they move the
	// clock.
	changes atomic.Int64
	loops   atomic.Int64
}

func (in *input) Active() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.deb.stable
}

func (in *input) sample(active bool, now time.Time) (bool, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.deb.sample(active, now)
}

func (in *input) deadline() (time.Time, bool) {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.deb.deadline()
}

// Watch follows the pin until ctx ends. It never waits for an edge without
// a limit (WaitForEdge(-1) returns at once on Linux's GPIO driver), and it
// reads the level after every wait, edge or not, so a pin without edge
// detection is polled on the same path. A read that fails is the input's
// fault, told once, and told over at the next good read.
func (in *input) Watch(ctx context.Context, to devices.InputEvents) {
	l, _ := in.pin.level()
	last := l == in.active
	failing := false
	for ctx.Err() == nil {
		in.loops.Add(1)
		wait := in.poll
		if dl, pending := in.deadline(); pending {
			wait = min(max(dl.Sub(in.clock.Now()), time.Millisecond), in.poll)
		}
		start := time.Now()
		edge := in.pin.WaitForEdge(wait)
		l, err := in.pin.level()
		switch {
		case err != nil:
			if !failing {
				failing = true
				to.Health(err)
			}
		default:
			if failing {
				failing = false
				to.Health(nil)
			}
			active := l == in.active
			if active != last {
				last = active
				in.changes.Add(1)
			}
			if level, changed := in.sample(active, in.clock.Now()); changed {
				to.Changed(level)
			}
		}
		if !edge && time.Since(start) < wait/2 {
			// The pin cannot wait for edges and returned at once: pace the polling.
			t := time.NewTimer(wait - time.Since(start))
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			t.Stop()
		}
	}
}
