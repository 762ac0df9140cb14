// Package devices is the hall's hardware edge: the clerks' call buttons, the
// overtime lamps, the 好差评 evaluator keys and the pickup lockers' lock
// relays and door sensors, on GPIO through periph (directly or through
// MCP23017 expanders). Inputs are debounced here and turned into the
// engine's commands; outputs follow the hall's state; the door sensors are
// watched as the truth about each locker door. On a machine without GPIO
// the same code runs on simulated pins (see Sim).
package devices

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"periph.io/x/conn/v3/gpio"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/equipment"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/locker"
	"hallfloor/queue"
	"hallfloor/room"
)

// Clock tells the time; debounce, pulses and door limits read it, so tests
// can move it by hand.
type Clock interface{ Now() time.Time }

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Hall is what the devices need of the hall engine (*engine.Engine).
type Hall interface {
	Do(ctx context.Context, cmd hall.Command, key string, reply engine.ReplyFunc) engine.Result
	Read(ctx context.Context, fn func(s *hall.State, setup *hall.Setup)) error
}

// LampFunc says whether a window's overtime lamp is lit in a state of the
// hall. It is the binding point for 延时服务: until overtime is part of the
// hall's state, no LampFunc is given and lamps stay dark.
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
	Hall    Hall
	Clock   Clock // the system clock if nil
	Logger  *slog.Logger
	// Sim runs on simulated pins even on a machine with GPIO.
	Sim    bool
	Lamp   LampFunc
	Rating RatingHook
	Door   DoorHook
	// Observe, if set, is told every activity as it happens. It runs under
	// the devices' lock: it must be quick and must not call back.
	Observe func(Activity)
	// Poll bounds how long a watcher waits for an edge before it looks at
	// its context and the clock again; 100ms when 0.
	Poll time.Duration
	// Tick is how often relay pulses and door timers are checked; 20ms when 0.
	Tick time.Duration
}

// Activity is one thing a device did or reported.
type Activity struct {
	At     time.Time `json:"at"`
	Device string    `json:"device"`
	// What: pressed, released, key, opened, closed, pulse, on, off,
	// rejected, alarm, alert, fault, ok.
	What   string `json:"what"`
	Detail string `json:"detail,omitempty"`
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
	Status string `json:"status"`
	Detail string `json:"detail,omitempty"`
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
	hall    Hall
	clock   Clock
	log     *slog.Logger
	opts    Options
	src     pinSource
	sim     *Sim
	window  time.Duration
	poll    time.Duration
	tick    time.Duration
	jobs    jobQueue
	started atomic.Bool

	mu      sync.Mutex
	devices map[string]*Health
	order   []string
	inputs  []*input
	lamps   map[string]*output // by window
	boxes   map[string]*compartment
	boxList []*compartment
	pending []Activity // problems found while setting up, reported on Run
}

type input struct {
	ref    config.PinRef
	pin    gpio.PinIO
	active gpio.Level
	device string
	deb    *debouncer
	// changes counts raw level changes the watcher has taken (for tests to
	// know an edge has been seen before they move the clock).
	changes atomic.Int64
	loops   atomic.Int64
}

type output struct {
	name   string
	pin    gpio.PinIO
	active gpio.Level
	on     bool
	device string
}

type compartment struct {
	bank, id, device string
	relay            *output
	pulse, confirm   time.Duration
	relayOff         time.Time // when the running pulse ends
	expect           time.Time // until when an opening is commanded
	open             bool
}

// New prepares the devices of the hall file: it finds every pin, sets inputs
// up and switches every output off. A pin that cannot be had makes its
// device faulty; the rest of the hall runs on. Without GPIO on the machine
// (or with Options.Sim) the pins are simulated.
func New(o Options) (*Manager, error) {
	if o.Clock == nil {
		o.Clock = systemClock{}
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	m := &Manager{
		hall: o.Hall, clock: o.Clock, log: o.Logger, opts: o,
		window: o.Devices.Debounce(), poll: o.Poll, tick: o.Tick,
		devices: map[string]*Health{}, lamps: map[string]*output{}, boxes: map[string]*compartment{},
	}
	if m.poll <= 0 {
		m.poll = 100 * time.Millisecond
	}
	if m.tick <= 0 {
		m.tick = 20 * time.Millisecond
	}
	m.jobs.wake = make(chan struct{}, 1)
	refs := o.Devices.Pins()
	if len(refs) == 0 {
		return m, nil
	}
	sim := o.Sim
	if !sim {
		ok, err := hasGPIO()
		switch {
		case err != nil:
			return nil, fmt.Errorf("devices: periph: %w", err)
		case !ok:
			m.log.Warn("no GPIO on this machine: the devices run on simulated pins (see /devices)")
			sim = true
		}
	}
	if sim {
		m.sim = NewSim(o.Devices)
		m.src = m.sim
	} else {
		m.src = newBoardPins(o.Devices)
	}
	m.declare(o.Devices)
	now := m.clock.Now()
	for _, ref := range refs {
		m.attach(ref, now)
	}
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
			m.boxes[b.ID+"/"+c.ID] = box
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

// attach finds a pin and sets it up for its role.
func (m *Manager) attach(ref config.PinRef, now time.Time) {
	dev := deviceOf(ref)
	fail := func(err error) {
		m.pending = append(m.pending, Activity{At: now, Device: dev, What: equipment.Fault,
			Detail: fmt.Sprintf("引脚 %s 不可用 (pin unavailable): %v", ref.Pin.Name, err)})
	}
	p, err := m.src.pin(ref.Pin.Name)
	if err != nil {
		fail(err)
		return
	}
	high, pull := ref.Pin.Wiring(ref.Role)
	active := gpio.Level(high)
	if ref.Role.Input() {
		// Edges wake the watcher at once where the driver has them; where it
		// has not (an expander without its interrupt line), the watcher polls.
		if err := p.In(pullOf(pull), gpio.BothEdges); err != nil {
			if err := p.In(pullOf(pull), gpio.NoEdge); err != nil {
				fail(err)
				return
			}
		}
		in := &input{ref: ref, pin: p, active: active, device: dev}
		in.deb = newDebouncer(m.window, p.Read() == active)
		m.inputs = append(m.inputs, in)
		if ref.Role == config.RoleDoor {
			box := m.boxes[ref.Bank+"/"+ref.Box]
			box.open = in.deb.stable
			m.devices[dev].State["door_open"] = box.open
		}
		return
	}
	out := &output{name: ref.Pin.Name, pin: p, active: active, device: dev}
	if err := p.Out(!active); err != nil {
		fail(err)
		return
	}
	if ref.Role == config.RoleLamp {
		m.lamps[ref.Window] = out
	} else {
		m.boxes[ref.Bank+"/"+ref.Box].relay = out
	}
}

// Sim is the simulator, or nil when the pins are real.
func (m *Manager) Sim() *Sim { return m.sim }

// Simulated reports whether the devices run on simulated pins.
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
		if h.State != nil {
			st := make(map[string]bool, len(h.State))
			for k, v := range h.State {
				st[k] = v
			}
			h.State = st
		}
		out = append(out, h)
	}
	return out
}

// Run watches the inputs and keeps the outputs until ctx ends, then lets go
// of the pins.
func (m *Manager) Run(ctx context.Context) {
	m.started.Store(true)
	m.restore(ctx)
	m.mu.Lock()
	for _, a := range m.pending {
		m.report(a.Device, a.What, a.Detail, a.At)
	}
	m.pending = nil
	m.mu.Unlock()
	var wg sync.WaitGroup
	for _, in := range m.inputs {
		wg.Add(1)
		go func() { defer wg.Done(); m.watch(ctx, in) }()
	}
	wg.Add(2)
	go func() { defer wg.Done(); m.ticker(ctx) }()
	go func() { defer wg.Done(); m.jobs.run(ctx) }()
	wg.Wait()
	if m.src != nil {
		m.src.close()
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
		m.mu.Lock()
		defer m.mu.Unlock()
		for id, h := range s.Equipment.Devices {
			if d := m.devices[id]; d != nil {
				d.Status, d.Detail = h.Status, h.Detail
			}
		}
		m.setLamps(s)
		now := m.clock.Now()
		for key, c := range m.boxes {
			if lc := s.Lockers.Compartments[key]; lc != nil && lc.DoorOpen && lc.Opened == "" && c.open {
				m.mark(c.device, equipment.Alarm, alarmDetail, now)
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
			m.pushDoor(in.ref.Bank, in.ref.Box, in.deb.stable)
		}
	}
	m.mu.Unlock()
}

// Observe is an engine subscriber: lamps follow the hall's state, lock
// relays pulse for each journaled release, and the lockers' alarms and
// alerts show on the compartment's health.
func (m *Manager) Observe(s *hall.State, evs []room.Event) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.setLamps(s)
	now := m.clock.Now()
	for _, ev := range evs {
		switch e := ev.Data.(type) {
		case locker.Released:
			if c := m.boxes[e.Comp]; c != nil {
				if err := m.pulse(c, now); err != nil {
					m.report(c.device, equipment.Fault, "开锁失败 (the lock was not released): "+err.Error(), now)
				}
			}
		case locker.Alarm:
			if c := m.boxes[e.Comp]; c != nil {
				m.mark(c.device, equipment.Alarm, alarmDetail, now)
			}
		case locker.LeftOpen:
			if c := m.boxes[e.Comp]; c != nil && m.devices[c.device].Status != equipment.Alarm {
				m.mark(c.device, equipment.Alert, "柜门打开时间过长 (door left open)", now)
			}
		}
	}
}

const alarmDetail = "柜门在无开锁指令时被打开 (door opened without a command)"

// mark shows on a device's health what the hall's rules decided about it;
// the journal already has it as the lockers' event, so it is not reported
// again. The caller holds m.mu.
func (m *Manager) mark(device, kind, detail string, now time.Time) {
	d := m.devices[device]
	if d == nil || d.Status == kind {
		return
	}
	d.Status, d.Detail = kind, detail
	d.Problems++
	m.activity(Activity{At: now, Device: device, What: kind, Detail: detail})
}

func (m *Manager) setLamps(s *hall.State) {
	now := m.clock.Now()
	for w, out := range m.lamps {
		on := m.opts.Lamp != nil && m.opts.Lamp(s, w)
		if on != out.on {
			m.drive(out, on, now)
		}
	}
}

// drive switches an output; the caller holds m.mu.
func (m *Manager) drive(out *output, on bool, now time.Time) {
	l := !out.active
	if on {
		l = out.active
	}
	what := "off"
	if on {
		what = "on"
	}
	if err := out.pin.Out(l); err != nil {
		m.report(out.device, equipment.Fault, fmt.Sprintf("无法驱动引脚 %s (cannot drive pin): %v", out.name, err), now)
		return
	}
	out.on = on
	d := m.devices[out.device]
	if d.Kind == "lamp" {
		d.State["on"] = on
	} else {
		d.State["relay_on"] = on
	}
	m.activity(Activity{At: now, Device: out.device, What: what, Detail: out.name})
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
// shows it on every screen. Only a change is reported. The caller holds m.mu.
func (m *Manager) report(device, kind, detail string, now time.Time) {
	d := m.devices[device]
	if d == nil || (d.Status == kind && (kind == equipment.OK || d.Detail == detail)) {
		return
	}
	d.Status, d.Detail = kind, detail
	if kind != equipment.OK {
		d.Problems++
		m.log.Warn("device "+kind, "device", device, "detail", detail)
	}
	m.activity(Activity{At: now, Device: device, What: kind, Detail: detail})
	if m.hall == nil {
		return
	}
	cmd := equipment.Report{Device: device, Kind: kind, Detail: detail}
	m.jobs.push(func(ctx context.Context) {
		if res := m.hall.Do(ctx, cmd, "", nil); res.Err != nil {
			m.log.Error("devices: the hall did not take a device report", "device", device, "err", res.Err)
		}
	})
}

// watch follows one input until ctx ends. It never waits for an edge
// without a limit (WaitForEdge(-1) returns at once on Linux's GPIO driver),
// and it reads the level after every wait, edge or not, so a pin without
// edge detection is polled on the same path.
func (m *Manager) watch(ctx context.Context, in *input) {
	last := in.pin.Read() == in.active
	for ctx.Err() == nil {
		in.loops.Add(1)
		wait := m.poll
		m.mu.Lock()
		dl, pending := in.deb.deadline()
		m.mu.Unlock()
		if pending {
			wait = min(max(dl.Sub(m.clock.Now()), time.Millisecond), m.poll)
		}
		start := time.Now()
		edge := in.pin.WaitForEdge(wait)
		active := in.pin.Read() == in.active
		if active != last {
			last = active
			in.changes.Add(1)
		}
		m.sample(in, active, m.clock.Now())
		if !edge && time.Since(start) < wait/2 {
			// The pin cannot wait for edges and returned at once: pace the polling.
			t := time.NewTimer(wait - time.Since(start))
			select {
			case <-ctx.Done():
			case <-t.C:
			}
			t.Stop()
		}
	}
}

func (m *Manager) sample(in *input, active bool, now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	level, changed := in.deb.sample(active, now)
	if !changed {
		return
	}
	ref := in.ref
	switch ref.Role {
	case config.RoleButton:
		if !level {
			m.activity(Activity{At: now, Device: in.device, What: "released", Detail: ref.Action})
			return
		}
		m.activity(Activity{At: now, Device: in.device, What: "pressed", Detail: ref.Action})
		m.jobs.push(func(ctx context.Context) { m.press(ctx, ref.Window, ref.Action) })
	case config.RoleEvaluator:
		if !level {
			return
		}
		m.activity(Activity{At: now, Device: in.device, What: "key", Detail: scoreName(ref.Score)})
		if hook := m.opts.Rating; hook != nil {
			m.jobs.push(func(ctx context.Context) { hook(ctx, ref.Window, ref.Score) })
		}
	case config.RoleDoor:
		m.door(m.boxes[ref.Bank+"/"+ref.Box], level, now)
		m.pushDoor(ref.Bank, ref.Box, level)
		if hook := m.opts.Door; hook != nil {
			m.jobs.push(func(ctx context.Context) { hook(ctx, ref.Bank, ref.Box, level) })
		}
	}
}

func scoreName(score int) string {
	for _, l := range config.EvaluatorLevels {
		if l.Score == score {
			return fmt.Sprintf("%d %s", score, l.Name)
		}
	}
	return fmt.Sprint(score)
}

// press turns a settled button press into the window's key command; the
// hall decides who is signed on and whether the press is the bounce of the
// one before.
func (m *Manager) press(ctx context.Context, window, action string) {
	if m.hall == nil {
		return
	}
	keys := map[string]string{"next": queue.KeyCall, "recall": queue.KeyRecall, "skip": queue.KeySkip, "pause": queue.KeyPause}
	key, ok := keys[action]
	if !ok {
		return
	}
	cmd := queue.PressKey{Window: window, Key: key}
	if res := m.hall.Do(ctx, cmd, "", nil); res.Err != nil {
		m.mu.Lock()
		m.activity(Activity{At: m.clock.Now(), Device: callerID(window), What: "rejected", Detail: action + ": " + res.Err.Error()})
		m.mu.Unlock()
	}
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

// Unlock pulses a compartment's lock relay; its door sensor must then report
// the door open within the bank's confirm time. The hall pulses through its
// journal (a locker.released event, see Observe); this is the pulse itself.
func (m *Manager) Unlock(bank, box string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.boxes[bank+"/"+box]
	if c == nil {
		return errs.R(errs.NotFound, "no_compartment", "comp", bank+"/"+box)
	}
	return m.pulse(c, m.clock.Now())
}

// pulse energises a relay for the bank's pulse time; the caller holds m.mu.
func (m *Manager) pulse(c *compartment, now time.Time) error {
	bank, box := c.bank, c.id
	if c.relay == nil {
		return errs.R(errs.Conflict, "locker_no_relay", "comp", bank+"/"+box)
	}
	if c.open {
		return errs.R(errs.Conflict, "locker_already_open", "comp", bank+"/"+box)
	}
	if !c.relayOff.IsZero() {
		return errs.R(errs.Conflict, "locker_door_busy", "comp", bank+"/"+box)
	}
	m.drive(c.relay, true, now)
	if !c.relay.on {
		return errs.Internalf("relay_failed", "the lock relay of %s/%s did not switch", bank, box)
	}
	c.relayOff, c.expect = now.Add(c.pulse), now.Add(c.confirm)
	m.activity(Activity{At: now, Device: c.device, What: "pulse", Detail: c.pulse.String()})
	return nil
}

// door is a settled change of a door sensor; the caller holds m.mu.
func (m *Manager) door(c *compartment, open bool, now time.Time) {
	c.open = open
	m.devices[c.device].State["door_open"] = open
	if !open {
		m.activity(Activity{At: now, Device: c.device, What: "closed"})
		if st := m.devices[c.device].Status; st == equipment.Alarm || st == equipment.Alert {
			m.report(c.device, equipment.OK, "柜门已关闭 (door closed)", now)
		}
		return
	}
	m.activity(Activity{At: now, Device: c.device, What: "opened"})
	// Whether an opening was commanded is the lockers' rule (locker.Alarm,
	// mirrored by Observe); here only the lock's own fault clears.
	if !c.expect.IsZero() {
		c.expect = time.Time{}
		if m.devices[c.device].Status == equipment.Fault {
			m.report(c.device, equipment.OK, "开锁后柜门已打开 (door opened on command)", now)
		}
	}
}

func (m *Manager) ticker(ctx context.Context) {
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

// check ends relay pulses and watches the doors' timers.
func (m *Manager) check(now time.Time) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, c := range m.boxList {
		if !c.relayOff.IsZero() && !now.Before(c.relayOff) {
			c.relayOff = time.Time{}
			m.drive(c.relay, false, now)
		}
		if !c.expect.IsZero() && !now.Before(c.expect) {
			c.expect = time.Time{}
			m.report(c.device, equipment.Fault, fmt.Sprintf("开锁脉冲后 %v 内柜门未打开 (the door did not open after the lock pulse)", c.confirm), now)
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
