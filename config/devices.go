package config

import (
	"fmt"
	"hallfloor/rating"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Devices is the hall's device map: which pin of the box does what. Pins are
// named as the board names them (GPIO17) or, on an I/O expander, as
// NAME:A0 … NAME:B7 where NAME is one of Expanders.
type Devices struct {
	// DebounceMS is how long an input must hold a new level before it counts;
	// 30 when 0. A press shorter than this is noise, not a clerk.
	DebounceMS int             `yaml:"debounce_ms"`
	Expanders  []Expander      `yaml:"expanders"`
	Windows    []WindowDevices `yaml:"windows"`
	Lockers    []LockerBank    `yaml:"lockers"`
	// The hardware beyond GPIO (peripherals.go).
	Kiosks         []KioskDevices  `yaml:"kiosks"`
	Buses          []Bus           `yaml:"buses"`
	LEDControllers []LEDController `yaml:"led_controllers"`
}

// Expander is an MCP23017 on the I²C bus, for banks with more doors than the
// board has pins.
type Expander struct {
	Name    string `yaml:"name"`
	Chip    string `yaml:"chip"`    // MCP23017
	Bus     string `yaml:"bus"`     // I²C bus name or number; the board's default when empty
	Address int    `yaml:"address"` // 0x20-0x27
}

// WindowDevices are the devices at one counter.
type WindowDevices struct {
	Window  string  `yaml:"window"`
	Buttons Buttons `yaml:"buttons"`
	// Lamp is the overtime (延时服务) lamp above the counter.
	Lamp *Pin `yaml:"lamp"`
	// Evaluator is the 好差评 key pad: five keys, 非常满意 first, 非常不满意 last.
	Evaluator []Pin `yaml:"evaluator"`
	// Display is the number display of an RS485 caller (呼叫器), named as
	// its bus and address: bus1@3.
	Display string `yaml:"display"`
	// LED is the window's LED bar on one of devices.led_controllers.
	LED *LEDBar `yaml:"led"`
}

// Buttons are a physical caller's keys; any of them may be missing.
type Buttons struct {
	Next   *Pin `yaml:"next"`
	Recall *Pin `yaml:"recall"`
	Skip   *Pin `yaml:"skip"`
	Pause  *Pin `yaml:"pause"`
}

// Actions lists the buttons present, in a fixed order.
func (b Buttons) Actions() []ButtonPin {
	var out []ButtonPin
	for _, a := range []ButtonPin{{"next", b.Next}, {"recall", b.Recall}, {"skip", b.Skip}, {"pause", b.Pause}} {
		if a.Pin != nil {
			out = append(out, a)
		}
	}
	return out
}

// ButtonPin is one button and its action.
type ButtonPin struct {
	Action string
	Pin    *Pin
}

// LockerBank is a cabinet of result-pickup compartments (取件密码箱).
type LockerBank struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	// PulseMS is how long the lock relay is energised to release a latch; 500 when 0.
	PulseMS int `yaml:"pulse_ms"`
	// ConfirmS is how long after a pulse the door sensor must report the door
	// open; longer means the lock failed. 5 when 0.
	ConfirmS float64 `yaml:"confirm_s"`
	// OpenLimitS is how long a door may stay open before the hall is alerted; 120 when 0.
	OpenLimitS   float64       `yaml:"open_limit_s"`
	Compartments []Compartment `yaml:"compartments"`
	// CardReader is the locker panel's 居民身份证 reader.
	CardReader *CardReader `yaml:"card_reader"`
}

// Pulse, Confirm and OpenLimit are the bank's timings with their defaults.
func (b LockerBank) Pulse() time.Duration   { return msOr(b.PulseMS, 500) }
func (b LockerBank) Confirm() time.Duration { return secOr(b.ConfirmS, 5) }
func (b LockerBank) OpenLimit() time.Duration {
	return secOr(b.OpenLimitS, 120)
}

// Debounce is the input debounce window with its default.
func (d Devices) Debounce() time.Duration { return msOr(d.DebounceMS, 30) }

func msOr(ms, def int) time.Duration {
	if ms <= 0 {
		ms = def
	}
	return time.Duration(ms) * time.Millisecond
}

func secOr(s, def float64) time.Duration {
	if s <= 0 {
		s = def
	}
	return time.Duration(s * float64(time.Second))
}

// Compartment is one door: a relay that releases its latch and a sensor that
// says whether it is open.
type Compartment struct {
	ID    string `yaml:"id"`
	Size  string `yaml:"size"` // S, M or L
	Relay Pin    `yaml:"relay"`
	Door  Pin    `yaml:"door"`
}

// Pin is a pin and how it is wired. In a hall file it is either just the
// name ("GPIO17") or {pin: GPIO17, active: high, pull: down}.
type Pin struct {
	Name string `yaml:"pin"`
	// Active is the level that means pressed, on or open: "high" or "low".
	// Empty means the role's usual wiring (see Wiring).
	Active string `yaml:"active"`
	// Pull is the input's internal resistor: "up", "down" or "float".
	Pull string `yaml:"pull"`
}

// UnmarshalYAML accepts the short and the long form, refusing unknown keys
// as the rest of the hall file does.
func (p *Pin) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		p.Name = n.Value
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: a pin is a name or {pin, active, pull}", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: %s must be a plain value", v.Line, k.Value)
		}
		switch k.Value {
		case "pin":
			p.Name = v.Value
		case "active":
			p.Active = v.Value
		case "pull":
			p.Pull = v.Value
		default:
			return fmt.Errorf("line %d: field %s not found in type config.Pin", k.Line, k.Value)
		}
	}
	return nil
}

// PinRole is what a pin is for; it decides the pin's direction and usual wiring.
type PinRole string

const (
	RoleButton    PinRole = "button"
	RoleLamp      PinRole = "lamp"
	RoleEvaluator PinRole = "evaluator"
	RoleRelay     PinRole = "relay"
	RoleDoor      PinRole = "door"
)

// Input reports whether pins of the role are read (rather than driven).
func (r PinRole) Input() bool { return r == RoleButton || r == RoleEvaluator || r == RoleDoor }

// Wiring is a pin's effective active level and pull: what the hall file says,
// else the usual wiring of its role. Keys switch to ground against a pull-up
// (active low); a door's reed contact is closed while the door is shut, so
// an open door reads high; lamps and relays are driven high to switch on.
func (p Pin) Wiring(r PinRole) (activeHigh bool, pull string) {
	switch p.Active {
	case "high":
		activeHigh = true
	case "low":
		activeHigh = false
	default:
		activeHigh = r != RoleButton && r != RoleEvaluator
	}
	pull = p.Pull
	if pull == "" && r.Input() {
		pull = "up"
	}
	return activeHigh, pull
}

// EvaluatorLevels are the 好差评 levels of the evaluator's keys, in order:
// the ratings room's own list.
var EvaluatorLevels = rating.Levels

// LockerSizes are the compartment sizes a bank may have.
var LockerSizes = []string{"S", "M", "L"}

var (
	boardPinRE    = regexp.MustCompile(`^GPIO([0-9]{1,2})$`)
	expanderPinRE = regexp.MustCompile(`^([0-9A-Za-z_-]{1,16}):([AB])([0-7])$`)
)

// boardPins is the GPIO range of a Raspberry-Pi-class 40-pin header.
const boardPins = 28

// PinRef is one pin of the device map with what it is for.
type PinRef struct {
	Key    string // where the hall file names it, e.g. devices.windows[0].buttons.next
	Pin    Pin
	Role   PinRole
	Window string // button, lamp, evaluator
	Action string // button: next, recall, skip, pause
	Score  int    // evaluator key: 5 … 1
	Bank   string // relay, door
	Box    string // relay, door: the compartment
}

// Pins lists every pin of the device map, in file order.
func (d Devices) Pins() []PinRef {
	var out []PinRef
	for i, w := range d.Windows {
		key := fmt.Sprintf("devices.windows[%d]", i)
		for _, b := range w.Buttons.Actions() {
			out = append(out, PinRef{Key: key + ".buttons." + b.Action, Pin: *b.Pin, Role: RoleButton, Window: w.Window, Action: b.Action})
		}
		if w.Lamp != nil {
			out = append(out, PinRef{Key: key + ".lamp", Pin: *w.Lamp, Role: RoleLamp, Window: w.Window})
		}
		for j, k := range w.Evaluator {
			score := 0
			if j < len(EvaluatorLevels) {
				score = EvaluatorLevels[j].Value
			}
			out = append(out, PinRef{Key: fmt.Sprintf("%s.evaluator[%d]", key, j), Pin: k, Role: RoleEvaluator, Window: w.Window, Score: score})
		}
	}
	for i, b := range d.Lockers {
		for j, c := range b.Compartments {
			key := fmt.Sprintf("devices.lockers[%d].compartments[%d]", i, j)
			out = append(out,
				PinRef{Key: key + ".relay", Pin: c.Relay, Role: RoleRelay, Bank: b.ID, Box: c.ID},
				PinRef{Key: key + ".door", Pin: c.Door, Role: RoleDoor, Bank: b.ID, Box: c.ID})
		}
	}
	return out
}

// SplitExpanderPin parses NAME:A0 … NAME:B7 into the expander's name, its
// port (0 for A, 1 for B) and the bit.
func SplitExpanderPin(name string) (expander string, port, bit int, ok bool) {
	m := expanderPinRE.FindStringSubmatch(name)
	if m == nil {
		return "", 0, 0, false
	}
	bit, _ = strconv.Atoi(m[3])
	if m[2] == "B" {
		port = 1
	}
	return m[1], port, bit, true
}

// validateDevices adds every problem of the device map.
func (h *Hall) validateDevices(add func(key, format string, args ...any)) {
	d := h.Devices
	if d.DebounceMS < 0 || d.DebounceMS > 1000 {
		add("devices.debounce_ms", "%d must be between 0 (default 30) and 1000", d.DebounceMS)
	}
	expanders := map[string]bool{}
	used := map[string]string{} // pin name → key that uses it
	for i, e := range d.Expanders {
		key := fmt.Sprintf("devices.expanders[%d]", i)
		checkID(add, key+".name", e.Name, "expander", expanders)
		if !strings.EqualFold(e.Chip, "MCP23017") {
			add(key+".chip", "%q is not supported; use MCP23017", e.Chip)
		}
		if e.Address < 0x20 || e.Address > 0x27 {
			add(key+".address", "%#x must be between 0x20 and 0x27", e.Address)
		}
	}
	if len(d.Expanders) > 0 {
		// The board's default I²C bus runs on these two pins.
		used["GPIO2"], used["GPIO3"] = "devices.expanders (I²C SDA)", "devices.expanders (I²C SCL)"
	}
	buses, units := validateBuses(add, d.Buses), busUnits{}
	windows := map[string]bool{}
	for i, w := range d.Windows {
		key := fmt.Sprintf("devices.windows[%d]", i)
		switch {
		case h.FindWindow(w.Window) == nil:
			add(key+".window", "no window %q in this hall", w.Window)
		case windows[w.Window]:
			add(key+".window", "window %q has devices listed earlier; list each window once", w.Window)
		}
		windows[w.Window] = true
		if n := len(w.Evaluator); n != 0 && n != len(EvaluatorLevels) {
			add(key+".evaluator", "an evaluator has 5 keys (非常满意 … 非常不满意), not %d", n)
		}
		if w.Display != "" {
			checkBusDisplay(add, key+".display", w.Display, buses, units)
		}
	}
	h.validateLEDs(add)
	banks := map[string]bool{}
	for i, b := range d.Lockers {
		key := fmt.Sprintf("devices.lockers[%d]", i)
		checkID(add, key+".id", b.ID, "locker bank", banks)
		if b.PulseMS < 0 || b.PulseMS > 10000 {
			add(key+".pulse_ms", "%d must be between 0 (default 500) and 10000", b.PulseMS)
		}
		if b.ConfirmS < 0 || b.ConfirmS > 600 {
			add(key+".confirm_s", "%v must be between 0 (default 5) and 600", b.ConfirmS)
		}
		if b.OpenLimitS < 0 || b.OpenLimitS > 86400 {
			add(key+".open_limit_s", "%v must be between 0 (default 120) and 86400", b.OpenLimitS)
		}
		if b.Confirm() < b.Pulse() {
			add(key+".confirm_s", "the door must be given at least the pulse time (%v) to open", b.Pulse())
		}
		if len(b.Compartments) == 0 {
			add(key+".compartments", "a locker bank needs at least one compartment")
		}
		boxes := map[string]bool{}
		for j, c := range b.Compartments {
			ck := fmt.Sprintf("%s.compartments[%d]", key, j)
			checkID(add, ck+".id", c.ID, "compartment of bank "+b.ID, boxes)
			if !contains(LockerSizes, c.Size) {
				add(ck+".size", "%q must be S, M or L", c.Size)
			}
		}
	}
	h.validateCardReaders(add)
	d.validateKiosks(add)
	for _, p := range d.Pins() {
		name := p.Pin.Name
		switch {
		case name == "":
			add(p.Key, "names no pin")
			continue
		case IsBusPin(name):
			checkBusPin(add, p, buses, units)
		case boardPinRE.MatchString(name):
			n, _ := strconv.Atoi(boardPinRE.FindStringSubmatch(name)[1])
			if n >= boardPins {
				add(p.Key, "unknown pin %q: the board has GPIO0 to GPIO%d", name, boardPins-1)
			}
		default:
			exp, _, _, ok := SplitExpanderPin(name)
			switch {
			case !ok:
				add(p.Key, "unknown pin %q: name a board pin (GPIO17) or an expander pin (NAME:A0 … NAME:B7)", name)
			case !expanders[exp]:
				add(p.Key, "pin %q is on expander %q, which devices.expanders does not list", name, exp)
			case p.Pin.Pull == "down":
				add(p.Key, "pin %q: the MCP23017 has pull-up resistors only", name)
			}
		}
		if first, ok := used[name]; ok {
			add(p.Key, "pin %q is already used by %s", name, first)
		} else {
			used[name] = p.Key
		}
		if a := p.Pin.Active; a != "" && a != "high" && a != "low" {
			add(p.Key, "active %q must be high or low", a)
		}
		switch pull := p.Pin.Pull; {
		case pull == "":
		case !p.Role.Input():
			add(p.Key, "a %s is an output; it has no pull", p.Role)
		case pull != "up" && pull != "down" && pull != "float":
			add(p.Key, "pull %q must be up, down or float", pull)
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}
