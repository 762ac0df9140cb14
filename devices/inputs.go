package devices

import (
	"context"
	"fmt"
	"time"

	"hallfloor/config"
	"hallfloor/equipment"
	"hallfloor/locker"
	"hallfloor/rating"
)

// inputEvents is how an input's transport reaches the manager.
type inputEvents struct {
	m  *Manager
	in *input
}

func (e inputEvents) Changed(active bool) { e.m.changed(e.in, active, e.m.clock.Now()) }
func (e inputEvents) Health(err error)    { e.m.inputHealth(e.in, err, e.m.clock.Now()) }

// changed is a settled change of an input: the transport has debounced it,
// so every call here is one press, one release, one door movement.
func (m *Manager) changed(in *input, active bool, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	ref := in.ref
	switch ref.Role {
	case config.RoleButton:
		if !active {
			m.activity(Activity{At: now, Device: in.device, What: "released", Detail: ref.Action})
			return
		}
		m.activity(Activity{At: now, Device: in.device, What: "pressed", Detail: ref.Action})
		m.jobs.push(func(ctx context.Context) { m.press(ctx, ref.Window, ref.Action) })
	case config.RoleEvaluator:
		if !active {
			return
		}
		m.activity(Activity{At: now, Device: in.device, What: "key", Detail: scoreName(ref.Score)})
		if hook := m.opts.Rating; hook != nil {
			m.jobs.push(func(ctx context.Context) { hook(ctx, ref.Window, ref.Score) })
		}
	case config.RoleDoor:
		m.door(m.boxes[locker.Key(ref.Bank, ref.Box)], active, now)
		m.pushDoor(ref.Bank, ref.Box, active)
		if hook := m.opts.Door; hook != nil {
			m.jobs.push(func(ctx context.Context) { hook(ctx, ref.Bank, ref.Box, active) })
		}
	}
}

// inputHealth is an input's own word on whether it can be read.
func (m *Manager) inputHealth(in *input, err error, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err != nil {
		in.fault = equipment.Finding{Reason: equipment.PinUnreadable, Pin: in.ref.Pin.Name, Detail: err.Error()}
		m.report(in.device, equipment.Fault, in.fault, now)
		return
	}
	if in.fault != (equipment.Finding{}) {
		m.clear(in.device, in.fault, equipment.Finding{Reason: equipment.PinReadable, Pin: in.ref.Pin.Name}, now)
		in.fault = equipment.Finding{}
	}
}

func scoreName(score int) string {
	if name := rating.LevelName(score); name != "" {
		return fmt.Sprintf("%d %s", score, name)
	}
	return fmt.Sprint(score)
}

// pushDoor tells the lockers what a door sensor says; the lockers decide
// what it means. The caller holds m.mu.
func (m *Manager) pushDoor(bank, box string, open bool) {
	if m.hall == nil {
		return
	}
	cmd := locker.DoorChanged{Comp: locker.Key(bank, box), Open: open}
	m.jobs.push(func(ctx context.Context) {
		if res := m.hall.Do(ctx, cmd, "", nil); res.Err != nil && ctx.Err() == nil {
			m.log.Error("devices: the lockers did not take a door report", "bank", bank, "compartment", box, "err", res.Err)
		}
	})
}

// door is a settled change of a door sensor; the caller holds m.mu.
func (m *Manager) door(c *compartment, open bool, now time.Time) {
	c.open = open
	m.devices[c.device].State["door_open"] = open
	if !open {
		m.activity(Activity{At: now, Device: c.device, What: "closed"})
		if st := m.devices[c.device].Status; st == equipment.Alarm || st == equipment.Alert {
			m.report(c.device, equipment.OK, equipment.Finding{Reason: equipment.DoorClosed}, now)
		}
		return
	}
	m.activity(Activity{At: now, Device: c.device, What: "opened"})
	// Whether an opening was commanded is the lockers' rule (locker.Alarm,
	// mirrored by Observe); here only the lock's own fault clears.
	if !c.expect.IsZero() {
		c.expect = time.Time{}
		if m.devices[c.device].Status == equipment.Fault {
			m.report(c.device, equipment.OK, equipment.Finding{Reason: equipment.DoorOpened}, now)
		}
	}
}
