package gpio

import (
	"periph.io/x/conn/v3/gpio"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/gpio/gpiotest"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/errs"
)

// Sim is the hall's device map on simulated pins (periph's gpiotest), for a
// machine without GPIO: the same watchers and drivers run on them, and a
// person or a test drives the inputs through Drive. It is the transport's
// devices.Simulator.
type Sim struct {
	devices.SimPins[*simPin]
	registered []string
}

// simPin is a gpiotest pin that rests at its role's idle level: a key not
// pressed, a door shut. (gpiotest would otherwise take the pull's level,
// which for a pulled-up door sensor means "open".)
type simPin struct {
	*gpiotest.Pin
	ref    config.PinRef
	rest   gpio.Level
	active gpio.Level
}

func (p *simPin) In(pull gpio.Pull, edge gpio.Edge) error {
	err := p.Pin.In(pull, edge)
	p.Pin.Out(p.rest)
	return err
}

// simEdges is how many edges a simulated input holds until its watcher
// takes them; a burst of bounces fits.
const simEdges = 64

// NewSim makes a simulated pin for every pin of the device map and registers
// it with periph under its configured name where that name is free (on a box
// with real GPIO and -sim, the real pins keep their names and are not touched).
func NewSim(d config.Devices) *Sim {
	s := &Sim{}
	for i, ref := range d.GPIOPins() {
		high, _ := ref.Pin.Wiring(ref.Role)
		active := gpio.Level(high)
		p := &simPin{
			Pin:    &gpiotest.Pin{N: ref.Pin.Name, Num: i, EdgesChan: make(chan gpio.Level, simEdges)},
			ref:    ref,
			rest:   !active,
			active: active,
		}
		p.Pin.L = p.rest
		s.Add(ref.Pin.Name, p)
		if gpioreg.ByName(ref.Pin.Name) == nil && gpioreg.Register(p) == nil {
			s.registered = append(s.registered, ref.Pin.Name)
		}
	}
	return s
}

func (s *Sim) pin(name string) (wire, error) {
	if p, ok := s.Get(name); ok {
		return onBoard(p), nil
	}
	return wire{}, errs.R(errs.NotFound, "no_pin", "pin", name)
}

func (s *Sim) close() {
	for _, n := range s.registered {
		gpioreg.Unregister(n)
	}
	s.registered = nil
}

// Info is the pin as the device page shows it.
func (p *simPin) Info() devices.PinInfo {
	l := p.Read()
	info := devices.RefInfo(p.ref)
	info.Level, info.Active, info.ActiveLevel = devices.Level(l).String(), l == p.active, devices.Level(p.active).String()
	return info
}

// Drive sets a simulated input to a level by delivering an edge, exactly as
// a wire would: the pin's watcher sees the edge, reads the level and
// debounces it.
func (s *Sim) Drive(name string, level devices.Level) error {
	p, err := s.Input(name)
	if err != nil {
		return err
	}
	select {
	case p.EdgesChan <- gpio.Level(level):
		return nil
	default:
		return errs.R(errs.Conflict, "pin_busy", "pin", name)
	}
}
