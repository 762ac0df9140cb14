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
	pins       map[string]*simPin
	order      []string
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
	s := &Sim{pins: map[string]*simPin{}}
	for i, ref := range d.Pins() {
		high, _ := ref.Pin.Wiring(ref.Role)
		active := gpio.Level(high)
		p := &simPin{
			Pin:    &gpiotest.Pin{N: ref.Pin.Name, Num: i, EdgesChan: make(chan gpio.Level, simEdges)},
			ref:    ref,
			rest:   !active,
			active: active,
		}
		p.Pin.L = p.rest
		s.pins[ref.Pin.Name] = p
		s.order = append(s.order, ref.Pin.Name)
		if gpioreg.ByName(ref.Pin.Name) == nil && gpioreg.Register(p) == nil {
			s.registered = append(s.registered, ref.Pin.Name)
		}
	}
	return s
}

func (s *Sim) pin(name string) (wire, error) {
	if p := s.pins[name]; p != nil {
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

// Pins lists every simulated pin in the order of the hall file.
func (s *Sim) Pins() []devices.PinInfo {
	out := make([]devices.PinInfo, 0, len(s.order))
	for _, n := range s.order {
		out = append(out, s.pins[n].info())
	}
	return out
}

// Pin is one simulated pin.
func (s *Sim) Pin(name string) (devices.PinInfo, bool) {
	p := s.pins[name]
	if p == nil {
		return devices.PinInfo{}, false
	}
	return p.info(), true
}

func (p *simPin) info() devices.PinInfo {
	l := p.Read()
	return devices.PinInfo{
		Name: p.ref.Pin.Name, Role: string(p.ref.Role), Window: p.ref.Window, Action: p.ref.Action,
		Score: p.ref.Score, Bank: p.ref.Bank, Compartment: p.ref.Box,
		Level: devices.Level(l).String(), Active: l == p.active, ActiveLevel: devices.Level(p.active).String(), Input: p.ref.Role.Input(),
	}
}

// Drive sets a simulated input to a level by delivering an edge, exactly as
// a wire would: the pin's watcher sees the edge, reads the level and
// debounces it.
func (s *Sim) Drive(name string, level devices.Level) error {
	p := s.pins[name]
	if p == nil {
		return errs.R(errs.NotFound, "no_pin", "pin", name)
	}
	if !p.ref.Role.Input() {
		return errs.R(errs.Conflict, "pin_is_output", "pin", name)
	}
	select {
	case p.EdgesChan <- gpio.Level(level):
		return nil
	default:
		return errs.R(errs.Conflict, "pin_busy", "pin", name)
	}
}
