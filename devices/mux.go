package devices

import (
	"errors"

	"hallfloor/config"
	"hallfloor/errs"
)

// A hall can mix transports: its windows' keys on GPIO and a locker bank on
// an RS485 bus, say. Mux puts them behind one Transport, so the devices
// see one device map whatever reaches each pin.

// Claimer is a transport that reaches only some pins of the map, those it
// claims by name (an RS485 bus: names with '@').
type Claimer interface {
	Claims(pin string) bool
}

// Mux is one transport over several: a pin goes to the first transport
// that claims it, or else to the first that is not a Claimer (GPIO).
func Mux(ts ...Transport) Transport { return &mux{parts: ts} }

type mux struct{ parts []Transport }

func (x *mux) route(name string) (Transport, error) {
	var fallback Transport
	for _, t := range x.parts {
		c, ok := t.(Claimer)
		switch {
		case ok && c.Claims(name):
			return t, nil
		case !ok && fallback == nil:
			fallback = t
		}
	}
	if fallback == nil {
		return nil, errs.R(errs.NotFound, "no_pin", "pin", name)
	}
	return fallback, nil
}

func (x *mux) Input(ref config.PinRef) (Input, error) {
	t, err := x.route(ref.Pin.Name)
	if err != nil {
		return nil, err
	}
	return t.Input(ref)
}

func (x *mux) Output(ref config.PinRef) (Output, error) {
	t, err := x.route(ref.Pin.Name)
	if err != nil {
		return nil, err
	}
	return t.Output(ref)
}

func (x *mux) Display(name string) (Display, error) {
	t, err := x.route(name)
	if err != nil {
		return nil, err
	}
	d, ok := t.(Displayer)
	if !ok {
		return nil, errs.R(errs.NotFound, "no_display", "display", name)
	}
	return d.Display(name)
}

func (x *mux) Close() error {
	var all []error
	for _, t := range x.parts {
		all = append(all, t.Close())
	}
	return errors.Join(all...)
}

// Simulator is the simulated parts' pins as one simulator, or nil when
// every part is real hardware.
func (x *mux) Simulator() Simulator {
	var sims simMux
	for _, t := range x.parts {
		if s, ok := t.(interface{ Simulator() Simulator }); ok {
			if sim := s.Simulator(); sim != nil {
				sims = append(sims, sim)
			}
		}
	}
	if len(sims) == 0 {
		return nil
	}
	return sims
}

type simMux []Simulator

func (s simMux) Pins() []PinInfo {
	var out []PinInfo
	for _, sim := range s {
		out = append(out, sim.Pins()...)
	}
	return out
}

func (s simMux) Pin(name string) (PinInfo, bool) {
	for _, sim := range s {
		if p, ok := sim.Pin(name); ok {
			return p, true
		}
	}
	return PinInfo{}, false
}

func (s simMux) Drive(name string, level Level) error {
	for _, sim := range s {
		if _, ok := sim.Pin(name); ok {
			return sim.Drive(name, level)
		}
	}
	return errs.R(errs.NotFound, "no_pin", "pin", name)
}
