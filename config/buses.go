package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// RS485 buses in the device map. A bus device's pins are named after the
// bus, the device's Modbus address and the item on it:
//
//	bus1@3:key1    a caller's key 1 (discrete input 0 of the device at address 3)
//	bus1@10:lock3  a lock board's lock 3 (coil 2, pulsed to release the latch)
//	bus1@10:door3  the same board's door sensor 3 (discrete input 2)
//
// and a caller's number display is its bus and address alone: bus1@3.

// Bus items, as pin names spell them.
const (
	BusKey  = "key"
	BusLock = "lock"
	BusDoor = "door"
)

// MaxBusItem is the highest item number on one bus device: no caller has
// more keys nor a lock board more locks.
const MaxBusItem = 64

// Modbus addresses a device on a bus can have: 0 is the broadcast, above
// 247 reserved.
const (
	MinBusAddress = 1
	MaxBusAddress = 247
)

var (
	busPinRE  = regexp.MustCompile(`^([0-9A-Za-z_-]{1,16})@([0-9]{1,3}):(key|lock|door)([0-9]{1,2})$`)
	busUnitRE = regexp.MustCompile(`^([0-9A-Za-z_-]{1,16})@([0-9]{1,3})$`)
)

// BusPin is a pin on a bus device, parsed.
type BusPin struct {
	Bus     string
	Address int
	Item    string // key, lock or door
	N       int    // 1-based, as the hall file numbers it
}

// Unit names the bus device the pin is on: bus1@3.
func (p BusPin) Unit() string { return BusUnit(p.Bus, p.Address) }

// BusUnit names a device on a bus: bus1@3.
func BusUnit(bus string, address int) string { return bus + "@" + strconv.Itoa(address) }

// IsBusPin reports whether a pin name means a bus device rather than a wire.
func IsBusPin(name string) bool { return strings.Contains(name, "@") }

// SplitBusPin parses BUS@ADDRESS:ITEMn. It checks the form only, not the
// ranges: validation names what is out of range.
func SplitBusPin(name string) (BusPin, bool) {
	m := busPinRE.FindStringSubmatch(name)
	if m == nil {
		return BusPin{}, false
	}
	addr, _ := strconv.Atoi(m[2])
	n, _ := strconv.Atoi(m[4])
	return BusPin{Bus: m[1], Address: addr, Item: m[3], N: n}, true
}

// SplitBusUnit parses BUS@ADDRESS, as a caller's display is named.
func SplitBusUnit(s string) (bus string, address int, ok bool) {
	m := busUnitRE.FindStringSubmatch(s)
	if m == nil {
		return "", 0, false
	}
	address, _ = strconv.Atoi(m[2])
	return m[1], address, true
}

// GPIOPins lists the pins of the device map that are wires: board and
// expander pins, not bus devices.
func (d Devices) GPIOPins() []PinRef { return d.pinsWhere(false) }

// BusPins lists the pins of the device map that are on RS485 buses.
func (d Devices) BusPins() []PinRef { return d.pinsWhere(true) }

func (d Devices) pinsWhere(onBus bool) []PinRef {
	var out []PinRef
	for _, p := range d.Pins() {
		if IsBusPin(p.Pin.Name) == onBus {
			out = append(out, p)
		}
	}
	return out
}

// FindBus is the bus of that name, or nil.
func (d Devices) FindBus(name string) *Bus {
	for i := range d.Buses {
		if d.Buses[i].Name == name {
			return &d.Buses[i]
		}
	}
	return nil
}

// The bus's settings with their defaults.
func (b Bus) BaudRate() int {
	if b.Baud <= 0 {
		return 9600
	}
	return b.Baud
}

func (b Bus) ParityMode() string {
	if b.Parity == "" {
		return "N"
	}
	return b.Parity
}

func (b Bus) Stop() int {
	if b.StopBits <= 0 {
		return 1
	}
	return b.StopBits
}

func (b Bus) Timeout() time.Duration   { return msOr(b.TimeoutMS, 100) }
func (b Bus) PollEvery() time.Duration { return msOr(b.PollMS, 50) }

func (b Bus) RetryCount() int {
	if b.Retries <= 0 {
		return 2
	}
	return b.Retries
}

// baudRates are the rates RS485 call buttons and lock boards are set to.
var baudRates = []int{1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200}

// validateBuses adds every problem of devices.buses and returns the names
// of the buses, for the bus pins to be checked against.
func validateBuses(add func(key, format string, args ...any), buses []Bus) map[string]bool {
	names := map[string]bool{}
	ports := map[string]string{}
	for i, b := range buses {
		key := fmt.Sprintf("devices.buses[%d]", i)
		checkID(add, key+".name", b.Name, "bus", names)
		switch first, taken := ports[b.Port]; {
		case strings.TrimSpace(b.Port) == "":
			add(key+".port", "names no serial port: give the device (/dev/ttyUSB0) or %q for the simulator", Sim)
		case taken && b.Port != Sim:
			add(key+".port", "port %q is already the port of %s", b.Port, first)
		default:
			ports[b.Port] = key
		}
		if b.Baud != 0 && !intIn(baudRates, b.Baud) {
			add(key+".baud", "%d is not a serial rate; use one of %v (9600 when 0)", b.Baud, baudRates)
		}
		if p := b.Parity; p != "" && p != "N" && p != "E" && p != "O" {
			add(key+".parity", "%q must be N (none), E (even) or O (odd)", p)
		}
		if b.StopBits < 0 || b.StopBits > 2 {
			add(key+".stop_bits", "%d must be 1 or 2 (1 when 0)", b.StopBits)
		}
		if b.TimeoutMS < 0 || b.TimeoutMS > 5000 {
			add(key+".timeout_ms", "%d must be between 0 (default 100) and 5000", b.TimeoutMS)
		}
		if b.Retries < 0 || b.Retries > 10 {
			add(key+".retries", "%d must be between 0 (default 2) and 10", b.Retries)
		}
		if b.PollMS < 0 || b.PollMS > 10000 {
			add(key+".poll_ms", "%d must be between 0 (default 50) and 10000", b.PollMS)
		}
	}
	return names
}

func intIn(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// busItems is the item a pin of each role must name on a bus device.
var busItems = map[PinRole]string{
	RoleButton: BusKey, RoleEvaluator: BusKey, RoleRelay: BusLock, RoleDoor: BusDoor,
}

// busUnits remembers what each bus device is, so one address is not both
// a caller and a lock board.
type busUnits map[string]string // bus@address → "caller (key)" or "lock board (key)"

func (u busUnits) claim(add func(key, format string, args ...any), key, unit, kind, by string) {
	if first, ok := u[unit]; ok && !strings.HasPrefix(first, kind) {
		add(key, "%s is %s, so it cannot also be a %s", unit, first, kind)
		return
	}
	if _, ok := u[unit]; !ok {
		u[unit] = kind + " (" + by + ")"
	}
}

func unitKind(item string) string {
	if item == BusKey {
		return "caller"
	}
	return "lock board"
}

// checkBusPin checks a pin of the device map named on a bus device.
func checkBusPin(add func(key, format string, args ...any), p PinRef, buses map[string]bool, units busUnits) {
	name := p.Pin.Name
	bp, ok := SplitBusPin(name)
	switch {
	case !ok:
		add(p.Key, "unknown bus pin %q: name a bus, a device address and an item, as bus1@3:key1, bus1@10:lock3 or bus1@10:door3", name)
		return
	case !buses[bp.Bus]:
		add(p.Key, "pin %q is on bus %q, which devices.buses does not list", name, bp.Bus)
	case bp.Address < MinBusAddress || bp.Address > MaxBusAddress:
		add(p.Key, "pin %q: a device's address is between %d and %d", name, MinBusAddress, MaxBusAddress)
	}
	if bp.N < 1 || bp.N > MaxBusItem {
		add(p.Key, "pin %q: items are numbered 1 to %d", name, MaxBusItem)
	}
	if want := busItems[p.Role]; bp.Item != want {
		add(p.Key, "pin %q: a %s on a bus device is a %s (%s@%d:%s1)", name, p.Role, want, bp.Bus, bp.Address, want)
	}
	if p.Pin.Active != "" || p.Pin.Pull != "" {
		add(p.Key, "pin %q is on a bus device, which has no active level or pull to set", name)
	}
	units.claim(add, p.Key, bp.Unit(), unitKind(bp.Item), name)
}

// checkBusDisplay checks a window's caller display, named bus1@3.
func checkBusDisplay(add func(key, format string, args ...any), key, display string, buses map[string]bool, units busUnits) {
	bus, addr, ok := SplitBusUnit(display)
	switch {
	case !ok:
		add(key, "unknown display %q: name the caller's bus and address, as bus1@3", display)
		return
	case !buses[bus]:
		add(key, "display %q is on bus %q, which devices.buses does not list", display, bus)
	case addr < MinBusAddress || addr > MaxBusAddress:
		add(key, "display %q: a device's address is between %d and %d", display, MinBusAddress, MaxBusAddress)
	}
	units.claim(add, key, display, "caller", "display")
}
