package devices

import (
	"encoding/json"
	"fmt"

	"hallfloor/equipment"
	"hallfloor/hall"
	"hallfloor/locker"
	"hallfloor/queue"
	"hallfloor/rating"
)

// The devices' commands as they travel between the nodes of a hall: a
// follower's pins (a call key, a door sensor, an evaluator key, a device's
// own report) are decided by the leader, which takes them in this form.
// Only these four kinds: a node passes on what its devices press, not any
// command of the hall.

// commandKinds names each command the devices issue.
var commandKinds = map[string]func() hall.Command{
	"queue.PressKey":     func() hall.Command { return &queue.PressKey{} },
	"locker.DoorChanged": func() hall.Command { return &locker.DoorChanged{} },
	"equipment.Report":   func() hall.Command { return &equipment.Report{} },
	"rating.PressLevel":  func() hall.Command { return &rating.PressLevel{} },
}

type envelope struct {
	Kind    string          `json:"kind"`
	Command json.RawMessage `json:"command"`
}

// EncodeCommand is a device's command as JSON, named by its kind.
func EncodeCommand(cmd hall.Command) ([]byte, error) {
	var kind string
	switch cmd.(type) {
	case queue.PressKey:
		kind = "queue.PressKey"
	case locker.DoorChanged:
		kind = "locker.DoorChanged"
	case equipment.Report:
		kind = "equipment.Report"
	case rating.PressLevel:
		kind = "rating.PressLevel"
	default:
		return nil, fmt.Errorf("devices: %T is no device's command", cmd)
	}
	body, err := json.Marshal(cmd)
	if err != nil {
		return nil, err
	}
	return json.Marshal(envelope{Kind: kind, Command: body})
}

// DecodeCommand is EncodeCommand's reverse: the command, as the hall
// takes it (a value, not a pointer).
func DecodeCommand(b []byte) (hall.Command, error) {
	var e envelope
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, err
	}
	fresh, ok := commandKinds[e.Kind]
	if !ok {
		return nil, fmt.Errorf("devices: no device's command is called %q", e.Kind)
	}
	p := fresh()
	if err := json.Unmarshal(e.Command, p); err != nil {
		return nil, err
	}
	switch c := p.(type) {
	case *queue.PressKey:
		return *c, nil
	case *locker.DoorChanged:
		return *c, nil
	case *equipment.Report:
		return *c, nil
	case *rating.PressLevel:
		return *c, nil
	}
	return nil, fmt.Errorf("devices: %q decodes to %T", e.Kind, p)
}
