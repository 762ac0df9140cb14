package devices

import (
	"context"
	"time"

	"hallfloor/config"
)

// The devices reach their hardware through a Transport. GPIO pins and
// MCP23017 expanders are one (package devices/gpio); an RS485 bus of call
// buttons and lock boards would be another package beside it, implementing
// the same few methods, with nothing here changed. A transport only moves
// levels: what a key press or a door means is decided here and in the hall.

// Transport reaches the inputs and outputs of the hall file's device map.
type Transport interface {
	// Input finds an input of the device map: a key, a door sensor.
	Input(ref config.PinRef) (Input, error)
	// Output finds an output of the device map (a lamp, a lock relay) and
	// switches it off.
	Output(ref config.PinRef) (Output, error)
	// Close lets go of the hardware. The devices call it once, after every
	// Watch and every output call has returned.
	Close() error
}

// Input is one input as its transport has settled it: debounced where a
// wire bounces, or as a bus node reports it.
type Input interface {
	// Active is the settled level now: pressed, open.
	Active() bool
	// Watch tells to of every settled change and of the input's own health
	// until ctx ends. It runs on a goroutine of its own, so a slow read
	// holds up this input only.
	Watch(ctx context.Context, to InputEvents)
}

// InputEvents hears what an input tells.
type InputEvents interface {
	// Changed is a settled change of level: active means pressed, open.
	Changed(active bool)
	// Health says, with an error, that the input cannot be read (an
	// expander that stopped answering, a bus node gone quiet), and with nil
	// that it can again. The device shows a fault meanwhile.
	Health(err error)
}

// Output is one output: a lamp or a lock relay.
type Output interface {
	// Set switches the output on or off. It may be slow or never return (a
	// stuck I²C bus): the devices call it on a goroutine of the output's
	// own, watch it against a deadline and report an overrun as a fault, so
	// it holds up nothing else.
	Set(ctx context.Context, on bool) error
}

// Pulser is an output that times a pulse itself, as a lock board on a bus
// does when told to open lock 3. An output without it is pulsed with Set:
// on, the bank's pulse time on the devices' clock, off.
type Pulser interface {
	Pulse(ctx context.Context, d time.Duration) error
}

// Simulator is a transport's stand-in for hardware, on a machine without
// it: the /devices page and tests drive its inputs and watch its outputs.
// A transport that has one says so with a Simulator() Simulator method.
type Simulator interface {
	// Pins lists every simulated pin in the order of the hall file.
	Pins() []PinInfo
	Pin(name string) (PinInfo, bool)
	// Drive sets an input to a level as a wire would; the transport settles
	// it like any other.
	Drive(name string, level Level) error
}

// PinInfo is a simulated pin, its role and its level, for the device page.
type PinInfo struct {
	Name        string `json:"name"`
	Role        string `json:"role"`
	Window      string `json:"window,omitempty"`
	Action      string `json:"action,omitempty"`
	Score       int    `json:"score,omitempty"`
	Bank        string `json:"bank,omitempty"`
	Compartment string `json:"compartment,omitempty"`
	Level       string `json:"level"`
	// Active is whether the level means pressed, on or open.
	Active      bool   `json:"active"`
	ActiveLevel string `json:"active_level"`
	Input       bool   `json:"input"`
}

// Level is a wire's level, as the device page and the API name it.
type Level bool

const (
	Low  Level = false
	High Level = true
)

func (l Level) String() string {
	if l == High {
		return "high"
	}
	return "low"
}

// ParseLevel reads a level as the API writes it: "high" or "low".
func ParseLevel(s string) (Level, bool) {
	switch s {
	case "high":
		return High, true
	case "low":
		return Low, true
	}
	return Low, false
}
