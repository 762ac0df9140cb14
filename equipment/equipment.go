// Package equipment is the room of the hall's devices' health: the last word
// of each call button, lamp, evaluator, lock relay and door sensor, as the
// devices layer reported it. Reports are journaled like every other event,
// so an alarm is traceable and reaches the screens in order with the calls.
package equipment

import (
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

// Command is a request to the equipment room.
type Command interface{ equipmentCommand() }

// Report records what the devices layer saw about one device.
type Report struct {
	Device string // e.g. "locker:L1:03"
	Kind   string // ok, alarm, alert, fault
	Detail string
}

func (Report) equipmentCommand() {}

// Reported is a device's report, as journaled.
type Reported struct {
	Device string `json:"device"`
	Kind   string `json:"kind"`
	Detail string `json:"detail,omitempty"`
}

func (Reported) Type() string { return "device.reported" }

func init() { room.Register[Reported]() }

// Health is the last report of a device that ever reported.
type Health struct {
	Status string    `json:"status"` // ok, alarm, alert, fault
	Detail string    `json:"detail,omitempty"`
	Since  time.Time `json:"since"`
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
	if utf8.RuneCountInString(c.Detail) > maxDetail {
		return room.Outcome{}, errs.Bad("detail", "too_long", "max", maxDetail)
	}
	// A device that is fine and says so again changes nothing worth keeping.
	if h := s.Devices[dev]; c.Kind == OK && (h == nil || h.Status == OK) {
		return room.Outcome{}, nil
	}
	return room.Outcome{Events: []room.Payload{Reported{Device: dev, Kind: c.Kind, Detail: c.Detail}}}, nil
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
	h.Status, h.Detail, h.Since = p.Kind, p.Detail, e.At
	if p.Kind != OK {
		h.Reports++
	}
}
