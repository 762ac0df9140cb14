package devices

import (
	"context"
	"fmt"
	"time"

	"hallfloor/errs"
	"hallfloor/locker"
	"hallfloor/queue"
)

// output is one lamp or lock relay.
type output struct {
	name, device string
	out          Output
	box          *compartment // the relay's compartment; nil for a lamp
	on           bool
}

func newOutput(name, device string, out Output) *output {
	return &output{name: name, device: device, out: out}
}

// Observe is an engine subscriber: lamps follow the hall's state, lock
// relays pulse for each journaled release, and the lockers' alarms and
// alerts show on the compartment's health.
func (m *Manager) Observe(s *queue.State, evs []queue.Event) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.setLamps(s)
	now := m.clock.Now()
	for _, ev := range evs {
		switch e := ev.Data.(type) {
		case locker.Released:
			if c := m.boxes[e.Comp]; c != nil {
				if err := m.pulse(c, now); err != nil {
					m.report(c.device, queue.DeviceFault, "开锁失败 (the lock was not released): "+err.Error(), now)
				}
			}
		case locker.Alarm:
			if c := m.boxes[e.Comp]; c != nil {
				m.mark(c.device, queue.DeviceAlarm, alarmDetail, now)
			}
		case locker.LeftOpen:
			if c := m.boxes[e.Comp]; c != nil && m.devices[c.device].Status != queue.DeviceAlarm {
				m.mark(c.device, queue.DeviceAlert, "柜门打开时间过长 (door left open)", now)
			}
		}
	}
}

// setLamps lights the lamps as the state says; the caller holds m.mu.
func (m *Manager) setLamps(s *queue.State) {
	now := m.clock.Now()
	for w, o := range m.lamps {
		on := m.opts.Lamp != nil && m.opts.Lamp(s, w)
		if on != o.on {
			m.drive(o, on, now)
		}
	}
}

// drive switches an output; the caller holds m.mu.
func (m *Manager) drive(o *output, on bool, now time.Time) {
	what := "off"
	if on {
		what = "on"
	}
	if err := o.out.Set(context.Background(), on); err != nil {
		m.report(o.device, queue.DeviceFault, fmt.Sprintf("无法驱动引脚 %s (cannot drive pin): %v", o.name, err), now)
		return
	}
	o.on = on
	key := "on"
	if o.box != nil {
		key = "relay_on"
	}
	m.devices[o.device].State[key] = on
	m.activity(Activity{At: now, Device: o.device, What: what, Detail: o.name})
}

// Unlock pulses a compartment's lock relay; its door sensor must then report
// the door open within the bank's confirm time. The hall pulses through its
// journal (a locker.released event, see Observe); this is the pulse itself.
func (m *Manager) Unlock(bank, box string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.boxes[locker.Key(bank, box)]
	if c == nil {
		return errs.E(errs.NotFound, "no compartment %s in locker bank %s", box, bank)
	}
	return m.pulse(c, m.clock.Now())
}

// pulse energises a relay for the bank's pulse time; the caller holds m.mu.
func (m *Manager) pulse(c *compartment, now time.Time) error {
	bank, box := c.bank, c.id
	if c.relay == nil {
		return errs.E(errs.Conflict, "compartment %s/%s has no working lock relay", bank, box)
	}
	if c.open {
		return errs.E(errs.Conflict, "compartment %s/%s is already open", bank, box)
	}
	if !c.relayOff.IsZero() {
		return errs.E(errs.Conflict, "compartment %s/%s is being unlocked", bank, box)
	}
	m.drive(c.relay, true, now)
	if !c.relay.on {
		return errs.E(errs.Internal, "the lock relay of %s/%s did not switch", bank, box)
	}
	c.relayOff, c.expect = now.Add(c.pulse), now.Add(c.confirm)
	m.activity(Activity{At: now, Device: c.device, What: "pulse", Detail: c.pulse.String()})
	return nil
}
