// Package equipment is the room of the hall's devices' health: the last word
// of each call button, lamp, evaluator, lock relay and door sensor, as the
// devices layer reported it. Reports are journaled like every other event,
// so an alarm is traceable and reaches the screens in order with the calls.
package equipment

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
	"hallfloor/room"
)

// Report kinds. A door sensor or a relay tells what it saw; the hall keeps
// the last word per device so a manager sees what still needs a look.
const (
	OK    = "ok"    // back to normal (door closed again, relay confirmed)
	Alarm = "alarm" // something happened that nobody commanded (door forced)
	Alert = "alert" // something went on too long (door left open)
	Fault = "fault" // the device did not do what it was told
)

// Finding is what a report says about a device: a reason code that display
// words for every face, Chinese first, and what the words name. It is
// comparable, so the devices layer can tell whether a device says the same
// thing again.
type Finding struct {
	Reason string `json:"reason,omitempty"`
	// Pin is the pin concerned, where there is one.
	Pin string `json:"pin,omitempty"`
	// Detail is what the words need beyond the pin (a time, a count, what
	// the output was doing), or what a driver said (an error), as it said it.
	Detail string `json:"detail,omitempty"`
}

// The reasons a device's report gives.
const (
	PinUnavailable  = "pin_unavailable"   // the transport has no such pin; Detail its error
	PinUnreadable   = "pin_unreadable"    // an input cannot be read; Detail the error
	PinReadable     = "pin_readable"      // the input reads again
	PinUndrivable   = "pin_undrivable"    // an output cannot be driven; Detail what it did and the error
	OutputLate      = "output_late"       // an output did not answer in time; Detail the time and what it did
	OutputRecovered = "output_recovered"  // the output answers again
	DoorForced      = "door_forced"       // a door opened without a command
	DoorLeftOpen    = "door_left_open"    // a door stands open too long
	DoorClosed      = "door_closed"       // the door is shut again
	DoorOpened      = "door_opened"       // the door opened on command
	DoorNotOpened   = "door_not_opened"   // the door did not open after the pulse; Detail the time waited
	DoorAlreadyOpen = "door_already_open" // a release refused: the door is open
	NoLockRelay     = "no_lock_relay"     // a release refused: no working relay
	LockBacklog     = "lock_backlog"      // releases piled up and one was dropped; Detail the count and event

	// An LED bars' controller and its bars (devices/ledbar).
	ControllerUnreachable = "controller_unreachable" // no connection to the controller; Detail the error
	ControllerSilent      = "controller_silent"      // the controller did not answer in time; Detail the time and the request
	ControllerGarbled     = "controller_garbled"     // the controller answered what the protocol has no word for; Detail the answer
	ControllerAnswers     = "controller_answers"     // the controller answers again
	LEDRefused            = "led_refused"            // the controller refused a bar's text; Detail its reason
	LEDShown              = "led_shown"              // the bar shows its text again

	// A device on an RS485 bus; Pin names it (bus1@3), Detail what the bus said.
	DeviceSilent   = "device_silent"   // it stopped answering
	DeviceAnswers  = "device_answers"  // it answers again
	BadFrame       = "bad_frame"       // its answers come garbled (bad CRC, wrong length)
	DeviceRefused  = "device_refused"  // it answers with a Modbus exception
	BusUnavailable = "bus_unavailable" // the bus's serial port cannot be opened; Pin names the bus
)

// Reasons are every reason a report may give, for the words' test.
var Reasons = []string{PinUnavailable, PinUnreadable, PinReadable, PinUndrivable, OutputLate, OutputRecovered,
	DoorForced, DoorLeftOpen, DoorClosed, DoorOpened, DoorNotOpened, DoorAlreadyOpen, NoLockRelay, LockBacklog,
	ControllerUnreachable, ControllerSilent, ControllerGarbled, ControllerAnswers, LEDRefused, LEDShown,
	DeviceSilent, DeviceAnswers, BadFrame, DeviceRefused, BusUnavailable}

// Command is a request to the equipment room.
type Command interface{ equipmentCommand() }

// Report records what the devices layer saw about one device.
type Report struct {
	Device string // e.g. "locker:L1:03"
	Kind   string // ok, alarm, alert, fault
	Finding
}

func (Report) equipmentCommand() {}

// Reported is a device's report, as journaled.
type Reported struct {
	Device string `json:"device"`
	Kind   string `json:"kind"`
	Finding
}

func (Reported) Type() string { return "device.reported" }

func init() { room.Register[Reported]() }

// Health is the last report of a device that ever reported.
type Health struct {
	Status string `json:"status"` // ok, alarm, alert, fault
	Finding
	Since time.Time `json:"since"`
	// Reports counts the alarms, alerts and faults the device has raised.
	Reports int `json:"reports"`
}

// State is the health of every device that ever reported.
type State struct {
	Devices map[string]*Health `json:"devices,omitempty"`
}

// NewState is a hall whose devices have said nothing yet.
func NewState() *State {
	s := &State{}
	s.Adopt()
	return s
}

// Adopt fills in the map a state restored from a snapshot may lack.
func (s *State) Adopt() {
	if s.Devices == nil {
		s.Devices = map[string]*Health{}
	}
}

const (
	maxDevice = 64
	maxDetail = 200
)

// Decide checks a report.
func Decide(s *State, cmd Command) (room.Outcome, error) {
	c, ok := cmd.(Report)
	if !ok {
		return room.Outcome{}, errs.Internalf("unknown_command", "equipment: unknown command %T", cmd)
	}
	dev := strings.TrimSpace(c.Device)
	if dev == "" || utf8.RuneCountInString(dev) > maxDevice {
		return room.Outcome{}, errs.Bad("device", "device_name", "max", maxDevice)
	}
	switch c.Kind {
	case OK, Alarm, Alert, Fault:
	default:
		return room.Outcome{}, errs.Bad("kind", "device_kind", "kind", c.Kind)
	}
	if c.Reason != "" && !slices.Contains(Reasons, c.Reason) {
		return room.Outcome{}, errs.Bad("reason", "device_reason", "reason", c.Reason)
	}
	if utf8.RuneCountInString(c.Detail) > maxDetail || utf8.RuneCountInString(c.Pin) > maxDevice {
		return room.Outcome{}, errs.Bad("detail", "too_long", "max", maxDetail)
	}
	// A device that is fine and says so again changes nothing worth keeping.
	if h := s.Devices[dev]; c.Kind == OK && (h == nil || h.Status == OK) {
		return room.Outcome{}, nil
	}
	return room.Outcome{Events: []room.Payload{Reported{Device: dev, Kind: c.Kind, Finding: c.Finding}}}, nil
}

// Apply changes the health by one event.
func (s *State) Apply(e room.Event) {
	p, ok := e.Data.(Reported)
	if !ok {
		return
	}
	h := s.Devices[p.Device]
	if h == nil {
		h = &Health{}
		s.Devices[p.Device] = h
	}
	h.Status, h.Finding, h.Since = p.Kind, p.Finding, e.At
	if p.Kind != OK {
		h.Reports++
	}
}
