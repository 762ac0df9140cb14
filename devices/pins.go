package devices

import (
	"fmt"
	"sync"

	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/devices/v3/mcp23xxx"
	"periph.io/x/host/v3"

	"hallfloor/config"
)

// pinSource finds the pins the hall file names. Real and simulated pins are
// both gpio.PinIO, so everything above this takes one code path. A second
// transport (an RS485 bus of call buttons) would be another source.
type pinSource interface {
	pin(name string) (gpio.PinIO, error)
	close()
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

func (b *boardPins) pin(name string) (gpio.PinIO, error) {
	exp, port, bit, ok := config.SplitExpanderPin(name)
	if !ok {
		p := gpioreg.ByName(name)
		if p == nil {
			return nil, fmt.Errorf("the board has no pin %s", name)
		}
		return p, nil
	}
	dev, err := b.expander(exp)
	if err != nil {
		return nil, err
	}
	if port >= len(dev.Pins) || bit >= len(dev.Pins[port]) {
		return nil, fmt.Errorf("expander %s has no pin %s", exp, name)
	}
	return dev.Pins[port][bit], nil
}

func (b *boardPins) expander(name string) (*mcp23xxx.Dev, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if d := b.opened[name]; d != nil {
		return d, nil
	}
	e, ok := b.expanders[name]
	if !ok {
		return nil, fmt.Errorf("no expander %s", name)
	}
	bus, err := i2creg.Open(e.Bus)
	if err != nil {
		return nil, fmt.Errorf("expander %s: I²C bus %q: %w", name, e.Bus, err)
	}
	d, err := mcp23xxx.NewI2C(bus, mcp23xxx.MCP23017, uint16(e.Address))
	if err != nil {
		bus.Close()
		return nil, fmt.Errorf("expander %s at %#x: %w", name, e.Address, err)
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

func levelName(l gpio.Level) string {
	if l == gpio.High {
		return "high"
	}
	return "low"
}

// ParseLevel reads a level as the API writes it: "high" or "low".
func ParseLevel(s string) (gpio.Level, bool) {
	switch s {
	case "high":
		return gpio.High, true
	case "low":
		return gpio.Low, true
	}
	return gpio.Low, false
}
