package queue

import (
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
)

// Device report kinds. A door sensor or a relay tells what it saw; the hall
// keeps the last word per device so a manager sees what still needs a look.
const (
	DeviceOK    = "ok"    // back to normal (door closed again, relay confirmed)
	DeviceAlarm = "alarm" // something happened that nobody commanded (door forced)
	DeviceAlert = "alert" // something went on too long (door left open)
	DeviceFault = "fault" // the device did not do what it was told
)

// ReportDevice records what the device layer saw about one device. It is a
// command like any other so that alarms are journaled, traceable and pushed
// to screens in order with the calls.
type ReportDevice struct {
	Device string // e.g. "locker:L1:03"
	Kind   string // ok, alarm, alert, fault
	Detail string
}

func (ReportDevice) command() {}

// DeviceReported is a device's report, as journaled.
type DeviceReported struct {
	Device string `json:"device"`
	Kind   string `json:"kind"`
	Detail string `json:"detail,omitempty"`
}

func (DeviceReported) Type() string { return "device.reported" }

// DeviceHealth is the last report of a device that ever reported.
type DeviceHealth struct {
	Status string    `json:"status"` // ok, alarm, alert, fault
	Detail string    `json:"detail,omitempty"`
	Since  time.Time `json:"since"`
	// Reports counts the alarms, alerts and faults the device has raised.
	Reports int `json:"reports"`
}

func decideReportDevice(s *State, c ReportDevice) (Outcome, error) {
	dev := strings.TrimSpace(c.Device)
	if dev == "" || utf8.RuneCountInString(dev) > 64 {
		return Outcome{}, errs.Field("device", "a device is named by 1-64 characters")
	}
	switch c.Kind {
	case DeviceOK, DeviceAlarm, DeviceAlert, DeviceFault:
	default:
		return Outcome{}, errs.Field("kind", "%q must be ok, alarm, alert or fault", c.Kind)
	}
	if utf8.RuneCountInString(c.Detail) > 200 {
		return Outcome{}, errs.Field("detail", "the detail is longer than 200 characters")
	}
	// A device that is fine and says so again changes nothing worth keeping.
	if h := s.Devices[dev]; c.Kind == DeviceOK && (h == nil || h.Status == DeviceOK) {
		return Outcome{}, nil
	}
	return Outcome{Events: []Payload{DeviceReported{Device: dev, Kind: c.Kind, Detail: c.Detail}}}, nil
}

func (s *State) applyDeviceReported(p DeviceReported, at time.Time) {
	if s.Devices == nil {
		s.Devices = map[string]*DeviceHealth{}
	}
	h := s.Devices[p.Device]
	if h == nil {
		h = &DeviceHealth{}
		s.Devices[p.Device] = h
	}
	h.Status, h.Detail, h.Since = p.Kind, p.Detail, at
	if p.Kind != DeviceOK {
		h.Reports++
	}
}
