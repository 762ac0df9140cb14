package gpio

import (
	"sync"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/devices/v3/mcp23xxx"
	"periph.io/x/host/v3"

	"hallfloor/config"
	"hallfloor/errs"
)

// pinSource finds the pins the hall file names. Real and simulated pins are
// both gpio.PinIO, so the watchers and drivers take one code path on both.
type pinSource interface {
	pin(name string) (wire, error)
	close()
}

// wire is a pin with a read that can fail. periph's Read on an expander pin
// hides a failed I²C transfer as a low level, which would pass for a pressed
// key or a shut door; through a one-pin group the same read says it failed.
type wire struct {
	gpio.PinIO
	level func() (gpio.Level, error)
}

// onBoard is a pin whose Read cannot fail: the board's own, or a simulated one.
func onBoard(p gpio.PinIO) wire {
	return wire{PinIO: p, level: func() (gpio.Level, error) { return p.Read(), nil }}
}

// boardPins are the pins of the box itself and of MCP23017 expanders on its
// I²C bus.
type boardPins struct {
	expanders map[string]config.Expander
	mu        sync.Mutex
	opened    map[string]*mcp23xxx.Dev
	closers   []func() error
}

// hasGPIO initialises periph and reports whether the machine has GPIO pins
// at all. Without GPIO, host.Init succeeds and every lookup is nil, which
// must not pass for a working hall.
func hasGPIO() (bool, error) {
	if _, err := host.Init(); err != nil {
		return false, err
	}
	return len(gpioreg.All()) > 0, nil
}

func newBoardPins(d config.Devices) *boardPins {
	b := &boardPins{expanders: map[string]config.Expander{}, opened: map[string]*mcp23xxx.Dev{}}
	for _, e := range d.Expanders {
		b.expanders[e.Name] = e
	}
	return b
}

func (b *boardPins) pin(name string) (wire, error) {
	exp, port, bit, ok := config.SplitExpanderPin(name)
	if !ok {
		p := gpioreg.ByName(name)
		if p == nil {
			return wire{}, errs.R(errs.NotFound, "no_pin", "pin", name)
		}
		return onBoard(p), nil
	}
	dev, err := b.expander(exp)
	if err != nil {
		return wire{}, err
	}
	if port >= len(dev.Pins) || bit >= len(dev.Pins[port]) {
		return wire{}, errs.R(errs.NotFound, "no_pin", "pin", exp+":"+name)
	}
	w := onBoard(dev.Pins[port][bit])
	if g := dev.Group(port, []int{bit}); g != nil {
		grp := *g
		w.level = func() (gpio.Level, error) {
			v, err := grp.Read(0)
			return v&1 != 0, err
		}
	}
	return w, nil
}

func (b *boardPins) expander(name string) (*mcp23xxx.Dev, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if d := b.opened[name]; d != nil {
		return d, nil
	}
	e, ok := b.expanders[name]
	if !ok {
		return nil, errs.R(errs.NotFound, "no_expander", "expander", name)
	}
	bus, err := i2creg.Open(e.Bus)
	if err != nil {
		return nil, errs.Wrap(err, "expander %s: I²C bus %q", name, e.Bus)
	}
	d, err := mcp23xxx.NewI2C(bus, mcp23xxx.MCP23017, uint16(e.Address))
	if err != nil {
		bus.Close()
		return nil, errs.Wrap(err, "expander %s at %#x", name, e.Address)
	}
	b.opened[name] = d
	b.closers = append(b.closers, d.Close, bus.Close)
	return d, nil
}

func (b *boardPins) close() {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, c := range b.closers {
		c()
	}
	b.closers = nil
}

func pullOf(s string) gpio.Pull {
	switch s {
	case "up":
		return gpio.PullUp
	case "down":
		return gpio.PullDown
	case "float":
		return gpio.Float
	}
	return gpio.PullNoChange
}
