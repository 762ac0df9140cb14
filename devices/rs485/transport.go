package rs485

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"slices"
	"sync"
	"time"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/devices/rs485/modbus"
	"hallfloor/errs"
)

// Options configure the RS485 transport.
type Options struct {
	Devices config.Devices
	// Sim runs every bus on simulated devices, whatever its port says; a
	// bus whose port is "sim" always does.
	Sim    bool
	Logger *slog.Logger
	// Open opens a real bus's port; OpenSerial when nil.
	Open func(b config.Bus) (modbus.Port, io.Closer, error)
}

// Transport is the device map's pins on RS485 buses: the bus devices'
// keys and door sensors polled, their locks switched, their displays
// written. It is a devices.Transport, and a devices.Claimer of the pins
// named with '@'.
type Transport struct {
	buses []*bus
	named map[string]*bus
	sim   *Sim
	log   *slog.Logger

	closing  sync.Once
	closeErr error
}

var (
	_ devices.Transport = (*Transport)(nil)
	_ devices.Claimer   = (*Transport)(nil)
	_ devices.Displayer = (*Transport)(nil)
)

// silentEvery is how often a device that stopped answering is asked
// again: each try costs the bus its timeouts, which the devices that do
// answer must not wait for at every poll.
const silentEvery = time.Second

// Open sets up every bus the device map uses. A bus whose port cannot be
// opened is not an error here: its devices report the fault, and the rest
// of the hall runs on.
func Open(o Options) (*Transport, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Open == nil {
		o.Open = OpenSerial
	}
	t := &Transport{named: map[string]*bus{}, log: o.Logger}
	units := unitsOf(o.Devices)
	for _, cfg := range o.Devices.Buses {
		us := units[cfg.Name]
		if len(us) == 0 {
			continue
		}
		b := &bus{cfg: cfg, units: us, jobs: make(chan job), stopped: make(chan struct{})}
		for _, u := range us {
			u.bus = b
		}
		if o.Sim || cfg.Port == config.Sim {
			t.simulate(b)
		} else {
			port, closer, err := o.Open(cfg)
			b.attach(port, closer, err)
		}
		if b.openErr != nil {
			for _, u := range us {
				for _, in := range u.inputs {
					in.health = b.openErr
				}
			}
			t.log.Warn("rs485: bus unavailable", "bus", cfg.Name, "err", b.openErr)
		}
		t.buses = append(t.buses, b)
		t.named[cfg.Name] = b
	}
	return t, nil
}

// simTimeout is the least time simulated devices are given to answer. They
// run in the server's own process, so a server busy with a flood of
// commands answers for them late; that is not a device gone silent.
const simTimeout = time.Second

// simulate puts a bus's devices on the simulator, on a pseudo-terminal.
func (t *Transport) simulate(b *bus) {
	b.cfg.TimeoutMS = max(b.cfg.TimeoutMS, int(simTimeout/time.Millisecond))
	if t.sim == nil {
		t.sim = newSim()
	}
	sb := t.sim.add(b)
	l, err := openSim(b.cfg, sb)
	if err != nil {
		b.attach(nil, nil, err)
		return
	}
	b.attach(l, l, nil)
}

// unitsOf gathers the bus devices of the device map, by bus, in address
// order, with their inputs and outputs.
func unitsOf(d config.Devices) map[string][]*unit {
	all := map[string]*unit{}
	get := func(bus string, addr int) *unit {
		name := config.BusUnit(bus, addr)
		if all[name] == nil {
			all[name] = &unit{addr: addr, name: name, inputs: map[int]*input{}}
		}
		return all[name]
	}
	for _, ref := range d.BusPins() {
		bp, ok := config.SplitBusPin(ref.Pin.Name)
		if !ok {
			continue // validation has refused it
		}
		u := get(bp.Bus, bp.Address)
		u.pins = append(u.pins, ref)
		switch bp.Item {
		case config.BusLock:
			u.lockBoard = true
			u.coils = max(u.coils, bp.N)
		case config.BusDoor:
			u.lockBoard = true
			fallthrough
		default:
			// Every input is there before the poller runs, which reads
			// the map without a lock.
			u.bits = max(u.bits, bp.N)
			if u.inputs[bp.N-1] == nil {
				u.inputs[bp.N-1] = &input{name: ref.Pin.Name}
			}
		}
	}
	for _, w := range d.Windows {
		if bus, addr, ok := config.SplitBusUnit(w.Display); ok {
			get(bus, addr).display = true
		}
	}
	out := map[string][]*unit{}
	for name, u := range all {
		bus, _, _ := config.SplitBusUnit(name)
		out[bus] = append(out[bus], u)
	}
	for _, us := range out {
		slices.SortFunc(us, func(a, b *unit) int { return a.addr - b.addr })
	}
	return out
}

// Claims reports whether a pin of the map is on a bus: its name has '@'.
func (t *Transport) Claims(pin string) bool { return config.IsBusPin(pin) }

func (t *Transport) unit(busName string, addr int, what string) (*unit, error) {
	b := t.named[busName]
	if b == nil {
		return nil, errs.R(errs.NotFound, "no_bus", "bus", busName, "pin", what)
	}
	for _, u := range b.units {
		if u.addr == addr {
			return u, nil
		}
	}
	return nil, errs.R(errs.NotFound, "no_pin", "pin", what)
}

func (t *Transport) pin(ref config.PinRef) (config.BusPin, *unit, error) {
	bp, ok := config.SplitBusPin(ref.Pin.Name)
	if !ok {
		return bp, nil, errs.R(errs.NotFound, "no_pin", "pin", ref.Pin.Name)
	}
	u, err := t.unit(bp.Bus, bp.Address, ref.Pin.Name)
	return bp, u, err
}

// Input is a key or door sensor of a bus device: discrete input N-1.
func (t *Transport) Input(ref config.PinRef) (devices.Input, error) {
	bp, u, err := t.pin(ref)
	if err != nil {
		return nil, err
	}
	if bp.Item == config.BusLock {
		return nil, errs.R(errs.Conflict, "pin_is_output", "pin", ref.Pin.Name)
	}
	in := u.inputs[bp.N-1]
	if in == nil {
		return nil, errs.R(errs.NotFound, "no_pin", "pin", ref.Pin.Name)
	}
	return in, nil
}

// Output is a lock of a lock board: coil N-1, pulsed to release the latch.
func (t *Transport) Output(ref config.PinRef) (devices.Output, error) {
	bp, u, err := t.pin(ref)
	if err != nil {
		return nil, err
	}
	if bp.Item != config.BusLock {
		return nil, errs.R(errs.Conflict, "pin_is_input", "pin", ref.Pin.Name)
	}
	return &lock{unit: u, coil: uint16(bp.N - 1)}, nil
}

// Display is a caller's number display, named as its bus and address.
func (t *Transport) Display(name string) (devices.Display, error) {
	bus, addr, ok := config.SplitBusUnit(name)
	if !ok {
		return nil, errs.R(errs.NotFound, "no_display", "display", name)
	}
	u, err := t.unit(bus, addr, name)
	if err != nil {
		return nil, err
	}
	return &display{unit: u}, nil
}

// Simulator is the simulated buses' devices, or nil when every bus is real.
func (t *Transport) Simulator() devices.Simulator {
	if t.sim == nil {
		return nil
	}
	return t.sim
}

// Sim is the simulated devices, for tests; nil when every bus is real.
func (t *Transport) Sim() *Sim { return t.sim }

// Attach lists every bus device among the hall's devices, so its health
// shows on /devices and reaches the journal, and has the devices run the
// buses' pollers. Call it once, before the devices' Run.
func (t *Transport) Attach(m *devices.Manager) {
	for _, b := range t.buses {
		for _, u := range b.units {
			h := devices.Health{Device: unitID(u.name), Kind: "bus_device"}
			for _, p := range u.pins {
				h.Pins = append(h.Pins, p.Pin.Name)
			}
			u.periph = m.AddPeripheral(h)
		}
	}
	m.AddDriver(t)
}

// unitID is a bus device's name among the hall's devices.
func unitID(unit string) string { return "bus:" + unit }

// Run polls every bus until ctx ends.
func (t *Transport) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for _, b := range t.buses {
		wg.Go(func() { b.run(ctx) })
	}
	wg.Wait()
}

// Close lets go of the serial ports; closing again does nothing.
func (t *Transport) Close() error {
	t.closing.Do(func() {
		var all []error
		for _, b := range t.buses {
			if b.closer != nil {
				all = append(all, b.closer.Close())
			}
		}
		t.closeErr = errors.Join(all...)
	})
	return t.closeErr
}
