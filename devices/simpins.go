package devices

import (
	"hallfloor/config"
	"hallfloor/errs"
)

// SimPins are a simulator's pins by name, in the order of the hall file:
// a transport's simulator embeds them for its Pins and Pin.
type SimPins[P interface{ Info() PinInfo }] struct {
	byName map[string]P
	order  []string
}

// Add lists a pin under its name, unless one is listed there already.
func (s *SimPins[P]) Add(name string, p P) {
	if s.byName == nil {
		s.byName = map[string]P{}
	}
	if _, ok := s.byName[name]; !ok {
		s.byName[name] = p
		s.order = append(s.order, name)
	}
}

// Get is the pin of that name.
func (s *SimPins[P]) Get(name string) (P, bool) {
	p, ok := s.byName[name]
	return p, ok
}

// Pins lists every simulated pin in the order of the hall file.
func (s *SimPins[P]) Pins() []PinInfo {
	out := make([]PinInfo, 0, len(s.order))
	for _, n := range s.order {
		out = append(out, s.byName[n].Info())
	}
	return out
}

// Pin is one simulated pin.
func (s *SimPins[P]) Pin(name string) (PinInfo, bool) {
	p, ok := s.byName[name]
	if !ok {
		return PinInfo{}, false
	}
	return p.Info(), true
}

// RefInfo is what a simulated pin says of its place in the hall file;
// the simulator adds its level.
func RefInfo(ref config.PinRef) PinInfo {
	return PinInfo{
		Name: ref.Pin.Name, Role: string(ref.Role), Window: ref.Window, Action: ref.Action,
		Score: ref.Score, Bank: ref.Bank, Compartment: ref.Box, Input: ref.Role.Input(),
	}
}

// Input is the input of that name, for Drive: not found, or an output,
// is refused by name.
func (s *SimPins[P]) Input(name string) (P, error) {
	p, ok := s.byName[name]
	switch {
	case !ok:
		return p, errs.R(errs.NotFound, "no_pin", "pin", name)
	case !p.Info().Input:
		return p, errs.R(errs.Conflict, "pin_is_output", "pin", name)
	}
	return p, nil
}
