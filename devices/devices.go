// Package devices is the hall-facing side of its hardware: the clerks' call
// buttons, the overtime lamps, the 好差评 evaluator keys and the pickup
// lockers' lock relays and door sensors. Settled inputs become the hall's
// commands, the hall's events drive the outputs, and every device's health
// and activity is kept for the /devices page and reported to the hall. The
// wires themselves are a Transport's business (package devices/gpio for
// GPIO pins and MCP23017 expanders, simulated or real), so a second
// transport is a package beside it.
//
// The engine's writer only leaves word for the devices' own goroutines and
// keeps their books; it never touches a device or waits for one, so an
// output that hangs (a stuck I²C expander, a slow bus) holds up that output
// only, and is reported as a fault.
package devices

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"
	"unicode/utf8"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/equipment"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/locker"
)

// Clock tells the time; pulses, door limits and output deadlines read it,
// so tests can move it by hand.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Hall is what the devices need of the hall engine (*engine.Engine).
type Hall interface {
	Do(ctx context.Context, cmd hall.Command, key string, reply engine.ReplyFunc) engine.Result
	Read(ctx context.Context, fn func(s *hall.State, setup *hall.Setup)) error
}

// LampFunc says whether a window's overtime lamp is lit in a state of the
// hall. It runs inside the engine's writer (from Observe): it must be quick
// and must not keep s.
type LampFunc func(s *hall.State, window string) bool

// RatingHook receives a settled press of an evaluator key: the window and
// the 好差评 score (5 非常满意 … 1 非常不满意). The rating command plugs in
// here; until it does, presses are only recorded as device activity.
type RatingHook func(ctx context.Context, window string, score int)

// DoorHook receives every settled change of a locker door. The hall's
// lockers hear of it anyway (as locker.DoorChanged); the hook is for
// whoever else wants to watch.
type DoorHook func(ctx context.Context, bank, compartment string, open bool)

// Options configure the devices of a hall.
type Options struct {
	Devices config.Devices
	// Transport reaches the pins of the device map (see devices/gpio). It
	// may be nil only when the map names no pins.
	Transport Transport
	Hall      Hall
	Clock     Clock // the system clock if nil
	Logger    *slog.Logger
	Lamp      LampFunc
	// Text is what each window's caller display shows (devices.windows[].display).
	Text   TextFunc
	Rating RatingHook
	Door   DoorHook
	// Observe, if set, is told every activity as it happens. It runs under
	// the devices' lock: it must be quick and must not call back.
	Observe func(Activity)
	// Deadline bounds each call to an output (a lamp switched, a relay
	// energised or let go); an output that has not answered by then is
	// reported faulty while the call goes on. 2s when 0.
	Deadline time.Duration
	// Tick is how often the devices look at their clock: relay pulses,
	// door timers, output deadlines; 20ms when 0.
	Tick time.Duration
}

// Activity is one thing a device did or reported.
type Activity struct {
	At     time.Time `json:"at"`
	Device string    `json:"device"`
	// What: pressed, released, key, opened, closed, pulse, on, off,
	// shown, rejected, alarm, alert, fault, ok.
	What string `json:"what"`
	// Detail names the action, key or pin of a press or a pulse; a report's
	// activity carries its Finding instead.
	Detail  string             `json:"detail,omitempty"`
	Finding *equipment.Finding `json:"finding,omitempty"`
	// Refusal is why the hall refused a key's press, for display to word.
	Refusal error `json:"-"`
}

// Health is a device as the manager sees it now.
type Health struct {
	Device      string   `json:"device"`
	Kind        string   `json:"kind"` // caller, lamp, evaluator, compartment
	Window      string   `json:"window,omitempty"`
	Bank        string   `json:"bank,omitempty"`
	Compartment string   `json:"compartment,omitempty"`
	Size        string   `json:"size,omitempty"`
	Pins        []string `json:"pins"`
	// Status is ok, alarm, alert or fault: the last word the device has
	// given the hall.
	Status  string            `json:"status"`
	Finding equipment.Finding `json:"finding"`
	// Problems counts the alarms, alerts and faults raised since start.
	Problems int             `json:"problems"`
	Last     *Activity       `json:"last_activity,omitempty"`
	State    map[string]bool `json:"state,omitempty"` // on; door_open, relay_on
}

// Device names. They are also the keys of queue.State.Devices.
func callerID(w string) string    { return "window:" + w + ":caller" }
func lampID(w string) string      { return "window:" + w + ":lamp" }
func evaluatorID(w string) string { return "window:" + w + ":evaluator" }
func boxID(b, c string) string    { return "locker:" + b + ":" + c }

// Manager runs the devices of one hall.
type Manager struct {
	hall     Hall
	clock    Clock
	log      *slog.Logger
	opts     Options
	tr       Transport
	sim      Simulator
	deadline time.Duration
	tick     time.Duration
	jobs     jobQueue

	// Fixed once New returns, so Observe reads them without a lock.
	inputs   []*input
	outputs  []*output
	lamps    map[string]*output // by window
	displays map[string]*output // by window
	boxes    map[string]*compartment

	// mu guards the devices' health and state. It is never held across a
	// call to the hardware or to the hall, so whoever takes it (the writer
	// too, in Observe) waits only for bookkeeping.
	mu      sync.Mutex
	devices map[string]*Health
	order   []string
	boxList []*compartment
	pending []Activity // problems found while setting up, reported on Run
	running bool       // Run has reported what was pending
	drivers []Driver   // the peripherals' drivers, started by Run
}

type input struct {
	ref    config.PinRef
	device string
	in     Input
	fault  equipment.Finding // the fault this input raised, until it can be read again (m.mu)
}

type compartment struct {
	bank, id, device string
	relay            *output // nil when the transport could not give it
	pulse, confirm   time.Duration
	// Under m.mu:
	expect time.Time // until when an opening is commanded
	open   bool
}

// New prepares the devices of the hall file: it asks the transport for
// every pin, which sets inputs up and switches every output off. A pin that
// cannot be had makes its device faulty; the rest of the hall runs on.
func New(o Options) (*Manager, error) {
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	m := &Manager{
		hall: o.Hall, clock: o.Clock, log: o.Logger, opts: o, tr: o.Transport,
		deadline: o.Deadline, tick: o.Tick,
		devices: map[string]*Health{}, lamps: map[string]*output{}, displays: map[string]*output{}, boxes: map[string]*compartment{},
	}
	if m.deadline <= 0 {
		m.deadline = 2 * time.Second
	}
	if m.tick <= 0 {
		m.tick = 20 * time.Millisecond
	}
	m.jobs.wake = make(chan struct{}, 1)
	refs := o.Devices.Pins()
	if len(refs) == 0 && !hasDisplays(o.Devices) {
		return m, nil
	}
	if m.tr == nil {
		return nil, errs.Internalf("no_transport", "devices: the device map names %d pins but no transport reaches them", len(refs))
	}
	if s, ok := m.tr.(interface{ Simulator() Simulator }); ok {
		m.sim = s.Simulator()
	}
	m.declare(o.Devices)
	now := m.clock.Now()
	for _, ref := range refs {
		m.attach(ref, now)
	}
	m.attachDisplays(o.Devices, now)
	return m, nil
}

// declare lists the devices of the hall file, before their pins are found.
func (m *Manager) declare(d config.Devices) {
	add := func(h *Health) {
		h.Status = equipment.OK
		m.devices[h.Device] = h
		m.order = append(m.order, h.Device)
	}
	for _, w := range d.Windows {
		if acts := w.Buttons.Actions(); len(acts) > 0 {
			h := &Health{Device: callerID(w.Window), Kind: "caller", Window: w.Window}
			for _, a := range acts {
				h.Pins = append(h.Pins, a.Pin.Name)
			}
			add(h)
		}
		if w.Lamp != nil {
			add(&Health{Device: lampID(w.Window), Kind: "lamp", Window: w.Window, Pins: []string{w.Lamp.Name},
				State: map[string]bool{"on": false}})
		}
		if len(w.Evaluator) > 0 {
			h := &Health{Device: evaluatorID(w.Window), Kind: "evaluator", Window: w.Window}
			for _, k := range w.Evaluator {
				h.Pins = append(h.Pins, k.Name)
			}
			add(h)
		}
	}
	for _, b := range d.Lockers {
		for _, c := range b.Compartments {
			id := boxID(b.ID, c.ID)
			add(&Health{Device: id, Kind: "compartment", Bank: b.ID, Compartment: c.ID, Size: c.Size,
				Pins: []string{c.Relay.Name, c.Door.Name}, State: map[string]bool{"door_open": false, "relay_on": false}})
			box := &compartment{bank: b.ID, id: c.ID, device: id, pulse: b.Pulse(), confirm: b.Confirm()}
			m.boxes[locker.Key(b.ID, c.ID)] = box
			m.boxList = append(m.boxList, box)
		}
	}
}

func deviceOf(ref config.PinRef) string {
	switch ref.Role {
	case config.RoleButton:
		return callerID(ref.Window)
	case config.RoleLamp:
		return lampID(ref.Window)
	case config.RoleEvaluator:
		return evaluatorID(ref.Window)
	}
	return boxID(ref.Bank, ref.Box)
}

// attach asks the transport for one pin of the map.
func (m *Manager) attach(ref config.PinRef, now time.Time) {
	dev := deviceOf(ref)
	fail := func(err error) {
		f := equipment.Finding{Reason: equipment.PinUnavailable, Pin: ref.Pin.Name, Detail: err.Error()}
		m.pending = append(m.pending, Activity{At: now, Device: dev, What: equipment.Fault, Finding: &f})
	}
	if ref.Role.Input() {
		in, err := m.tr.Input(ref)
		if err != nil {
			fail(err)
			return
		}
		m.inputs = append(m.inputs, &input{ref: ref, device: dev, in: in})
		if ref.Role == config.RoleDoor {
			box := m.boxes[locker.Key(ref.Bank, ref.Box)]
			box.open = in.Active()
			m.devices[dev].State["door_open"] = box.open
		}
		return
	}
	out, err := m.tr.Output(ref)
	if err != nil {
		fail(err)
		return
	}
	o := newOutput(ref.Pin.Name, dev, out)
	m.outputs = append(m.outputs, o)
	if ref.Role == config.RoleLamp {
		m.lamps[ref.Window] = o
	} else {
		o.box = m.boxes[locker.Key(ref.Bank, ref.Box)]
		o.box.relay = o
	}
}

// Sim is the transport's simulator, or nil when the hardware is real.
func (m *Manager) Sim() Simulator { return m.sim }

// Simulated reports whether the devices run on a simulator.
func (m *Manager) Simulated() bool { return m.sim != nil }

// Health lists every device in the order of the hall file.
func (m *Manager) Health() []Health {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]Health, 0, len(m.order))
	for _, id := range m.order {
		h := *m.devices[id]
		h.Pins = slices.Clone(h.Pins)
		if h.Last != nil {
			a := *h.Last
			h.Last = &a
		}
		h.State = maps.Clone(h.State)
		out = append(out, h)
	}
	return out
}

// Run watches the inputs and keeps the outputs until ctx ends, then lets go
// of the hardware.
func (m *Manager) Run(ctx context.Context) {
	m.restore(ctx)
	m.mu.Lock()
	for _, a := range m.pending {
		m.report(a.Device, a.What, *a.Finding, a.At)
	}
	m.pending = nil
	m.running = true
	drivers := slices.Clone(m.drivers)
	m.mu.Unlock()
	var wg sync.WaitGroup
	for _, d := range drivers {
		wg.Go(func() { d.Run(ctx) })
	}
	for _, in := range m.inputs {
		wg.Go(func() { in.in.Watch(ctx, inputEvents{m, in}) })
	}
	for _, o := range m.outputs {
		wg.Go(func() { m.runOutput(ctx, o) })
	}
	wg.Go(func() { m.loop(ctx) })
	wg.Go(func() { m.jobs.run(ctx) })
	wg.Wait()
	if m.tr != nil {
		if err := m.tr.Close(); err != nil {
			m.log.Warn("devices: letting go of the hardware", "err", err)
		}
	}
}

// restore takes the devices' last journaled word, so that a fault raised
// before a restart is cleared by the next good news, and lights the lamps
// as the hall now is.
func (m *Manager) restore(ctx context.Context) {
	if m.hall == nil {
		return
	}
	err := m.hall.Read(ctx, func(s *hall.State, _ *hall.Setup) {
		m.setLamps(s)
		m.setDisplays(s)
		m.mu.Lock()
		defer m.mu.Unlock()
		for id, h := range s.Equipment.Devices {
			if d := m.devices[id]; d != nil {
				d.Status, d.Finding = h.Status, h.Finding
			}
		}
		now := m.clock.Now()
		for key, c := range m.boxes {
			if lc := s.Lockers.Compartments[key]; lc != nil && lc.DoorOpen && lc.Opened == "" && c.open {
				m.mark(c.device, equipment.Alarm, equipment.Finding{Reason: equipment.DoorForced}, now)
			}
		}
	})
	if err != nil {
		m.log.Error("devices: reading the hall", "err", err)
	}
	// The journal says what the doors were when the hall stopped; the sensors
	// say what they are. Tell the lockers, so a door shut while the hall was
	// down completes what it was opened for, and one forced open is an alarm.
	m.mu.Lock()
	for _, in := range m.inputs {
		if in.ref.Role == config.RoleDoor {
			c := m.boxes[locker.Key(in.ref.Bank, in.ref.Box)]
			c.open = in.in.Active()
			m.devices[c.device].State["door_open"] = c.open
			m.pushDoor(in.ref.Bank, in.ref.Box, c.open)
		}
	}
	m.mu.Unlock()
}

// mark shows on a device's health what the hall's rules decided about it;
// the journal already has it as the lockers' event, so it is not reported
// again. The caller holds m.mu.
func (m *Manager) mark(device, kind string, f equipment.Finding, now time.Time) {
	d := m.devices[device]
	if d == nil || d.Status == kind {
		return
	}
	d.Status, d.Finding = kind, f
	d.Problems++
	m.activity(Activity{At: now, Device: device, What: kind, Finding: &f})
}

// activity records what a device did; the caller holds m.mu.
func (m *Manager) activity(a Activity) {
	if d := m.devices[a.Device]; d != nil {
		d.Last = &a
	}
	if m.opts.Observe != nil {
		m.opts.Observe(a)
	}
}

// report changes a device's status and tells the hall, which journals it and
// shows it on every screen. Only a change is reported. The caller holds
// m.mu; the hall is told from the devices' job queue, never from the
// engine's writer.
func (m *Manager) report(device, kind string, f equipment.Finding, now time.Time) {
	d := m.devices[device]
	if d == nil || (d.Status == kind && (kind == equipment.OK || d.Finding == f)) {
		return
	}
	f.Detail = clip(f.Detail, maxDetail)
	d.Status, d.Finding = kind, f
	if kind != equipment.OK {
		d.Problems++
		m.log.Warn("device "+kind, "device", device, "reason", f.Reason, "pin", f.Pin, "detail", f.Detail)
	}
	m.activity(Activity{At: now, Device: device, What: kind, Finding: &f})
	if m.hall == nil {
		return
	}
	cmd := equipment.Report{Device: device, Kind: kind, Finding: f}
	m.jobs.push(func(ctx context.Context) {
		if res := m.hall.Do(ctx, cmd, "", nil); res.Err != nil && ctx.Err() == nil {
			m.log.Error("devices: the hall did not take a device report", "device", device, "err", res.Err)
		}
	})
}

// maxDetail is the longest detail the hall takes in a device report; a
// driver's error can be longer, and the report must not bounce for it.
const maxDetail = 200

func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-1]) + "…"
}

// clear reports a device ok again after a fault its part raised, unless
// something else has been said about the device since. The caller holds
// m.mu.
func (m *Manager) clear(device string, fault, news equipment.Finding, now time.Time) {
	if d := m.devices[device]; d != nil && d.Status == equipment.Fault && d.Finding == fault {
		m.report(device, equipment.OK, news, now)
	}
}

// loop is the devices' own clockwork: it looks at the clock for door
// timers and output deadlines.
func (m *Manager) loop(ctx context.Context) {
	t := time.NewTicker(m.tick)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			m.check(m.clock.Now())
		}
	}
}

// check watches the timers.
func (m *Manager) check(now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.boxList {
		if !c.expect.IsZero() && !now.Before(c.expect) {
			c.expect = time.Time{}
			m.report(c.device, equipment.Fault, equipment.Finding{Reason: equipment.DoorNotOpened, Detail: c.confirm.String()}, now)
		}
	}
	for _, o := range m.outputs {
		if !o.busy.IsZero() && !o.late && now.Sub(o.busy) >= o.allow {
			o.late = true
			m.outputFault(o, equipment.Finding{Reason: equipment.OutputLate, Pin: o.name, Detail: o.allow.String() + ", " + o.doing}, now)
		}
	}
}

// jobQueue runs the devices' calls into the hall in order, off the
// devices' lock: the engine's writer calls Observe, so nothing that holds
// the lock may wait on the engine.
type jobQueue struct {
	mu   sync.Mutex
	list []func(context.Context)
	wake chan struct{}
}

func (q *jobQueue) push(fn func(context.Context)) {
	q.mu.Lock()
	q.list = append(q.list, fn)
	q.mu.Unlock()
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

func (q *jobQueue) run(ctx context.Context) {
	for {
		q.mu.Lock()
		list := q.list
		q.list = nil
		q.mu.Unlock()
		for _, fn := range list {
			if ctx.Err() != nil {
				return
			}
			fn(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-q.wake:
		}
	}
}
