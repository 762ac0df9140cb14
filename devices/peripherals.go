package devices

import (
	"context"
	"maps"

	"hallfloor/equipment"
)

// A peripheral is a device of the hall beyond the pin map: a kiosk's slip
// printer, an ID-card reader, an LED bar's controller. Its driver runs on
// its own (a printer is asked for its status, a controller is written to),
// and tells the devices how it is through its Peripheral, so it shows on
// /devices beside the buttons and the doors and its faults reach the hall's
// journal like theirs.

// Peripheral is the devices' handle on one peripheral, for its driver. Its
// methods may be called from any goroutine, before Run too: a report made
// before Run reaches the hall when Run starts.
type Peripheral struct {
	m      *Manager
	device string
}

// AddPeripheral lists a peripheral among the devices, ok until its driver
// says otherwise. A device already listed keeps its entry: the same handle
// is given again.
func (m *Manager) AddPeripheral(h Health) *Peripheral {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.devices[h.Device] == nil {
		h.Status = equipment.OK
		h.State = maps.Clone(h.State)
		m.devices[h.Device] = &h
		m.order = append(m.order, h.Device)
	}
	return &Peripheral{m: m, device: h.Device}
}

// Device is the peripheral's device name.
func (p *Peripheral) Device() string { return p.device }

// Report tells the hall how the peripheral is: a fault it found (no paper,
// no answer), or ok again with what it found. Only a change reaches the
// journal.
func (p *Peripheral) Report(kind string, f equipment.Finding) {
	m := p.m
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	if !m.running {
		m.pending = append(m.pending, Activity{At: now, Device: p.device, What: kind, Finding: &f})
		return
	}
	m.report(p.device, kind, f, now)
}

// Status is the peripheral's last word: ok, alarm, alert or fault, and its
// finding.
func (p *Peripheral) Status() (string, equipment.Finding) {
	m := p.m
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.devices[p.device]
	return d.Status, d.Finding
}

// Did records what the peripheral did (printed, read, shown) as its last
// activity, for /devices; detail names it. Nothing is journaled.
func (p *Peripheral) Did(what, detail string) {
	m := p.m
	m.mu.Lock()
	defer m.mu.Unlock()
	m.activity(Activity{At: m.clock.Now(), Device: p.device, What: what, Detail: detail})
}

// SetState sets one of the peripheral's state flags shown on /devices
// (paper_low, online).
func (p *Peripheral) SetState(key string, on bool) {
	m := p.m
	m.mu.Lock()
	defer m.mu.Unlock()
	d := m.devices[p.device]
	if d.State == nil {
		d.State = map[string]bool{}
	}
	d.State[key] = on
}

// Driver is a peripheral's driver: it runs until ctx ends.
type Driver interface {
	Run(ctx context.Context)
}

// AddDriver has Run start a peripheral's driver on a goroutine of its own
// and wait for it before letting go of the hardware. It must be called
// before Run.
func (m *Manager) AddDriver(d Driver) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.drivers = append(m.drivers, d)
}
