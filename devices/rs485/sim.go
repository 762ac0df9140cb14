package rs485

import (
	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/devices/rs485/rs485sim"
)

// Sim is the simulated buses' devices as the /devices page and tests
// drive them: a key held down or let go, a door opened or shut by hand,
// under the hall file's pin names. It is the transport's
// devices.Simulator. A bus pin's level is the bit the device reports:
// high is pressed or open.
type Sim struct {
	devices.SimPins[*simPin]
	buses map[string]*rs485sim.Bus
}

type simPin struct {
	ref  config.PinRef
	bp   config.BusPin
	unit *rs485sim.Unit
}

func newSim() *Sim { return &Sim{buses: map[string]*rs485sim.Bus{}} }

// add puts a bus's devices on a simulated bus, each as the device map
// makes it: a caller with its keys and display, a lock board with its
// locks and doors.
func (s *Sim) add(b *bus) *rs485sim.Bus {
	sb := rs485sim.New(b.cfg.BaudRate())
	s.buses[b.cfg.Name] = sb
	for _, u := range b.units {
		var su *rs485sim.Unit
		if u.lockBoard {
			su = sb.AddLockBoard(byte(u.addr), max(u.bits, u.coils))
		} else {
			su = sb.AddCaller(byte(u.addr), u.bits)
		}
		for _, ref := range u.pins {
			bp, _ := config.SplitBusPin(ref.Pin.Name)
			s.Add(ref.Pin.Name, &simPin{ref: ref, bp: bp, unit: su})
		}
	}
	return sb
}

// Bus is a simulated bus, for tests to make its devices misbehave.
func (s *Sim) Bus(name string) *rs485sim.Bus { return s.buses[name] }

// Unit is the simulated device at a bus and address (bus1@3), or nil.
func (s *Sim) Unit(name string) *rs485sim.Unit {
	bus, addr, ok := config.SplitBusUnit(name)
	if !ok || s.buses[bus] == nil {
		return nil
	}
	return s.buses[bus].Unit(byte(addr))
}

// Info is the pin as the device page shows it: a key's or door's input
// bit, a lock's coil.
func (p *simPin) Info() devices.PinInfo {
	on := p.unit.Input(p.bp.N - 1)
	if p.bp.Item == config.BusLock {
		on = p.unit.Coil(p.bp.N - 1)
	}
	info := devices.RefInfo(p.ref)
	info.Level, info.Active, info.ActiveLevel = devices.Level(on).String(), on, devices.High.String()
	return info
}

// Drive holds a simulated key down (high) or lets it go (low), or opens
// or shuts a door by hand; the device reports it at the next poll.
func (s *Sim) Drive(name string, level devices.Level) error {
	p, err := s.Input(name)
	if err != nil {
		return err
	}
	p.unit.Set(p.bp.N-1, level == devices.High)
	return nil
}
