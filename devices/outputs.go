package devices

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"hallfloor/equipment"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/locker"
	"hallfloor/room"
)

// maxPulses bounds the lock pulses waiting for one compartment. A release
// beyond it is not carried out and the compartment reports a fault: the
// writer must never wait on a relay, and a pulse silently dropped would
// leave an applicant at a shut door with nobody told.
const maxPulses = 8

// retryEvery is how long a failed output waits, on the devices' clock,
// before it is tried again.
const retryEvery = time.Second

// output is one lamp or lock relay. Only its own goroutine (runOutput)
// calls the transport's Output, so an output that hangs holds up itself and
// nothing else; the writer only leaves word in its mailbox.
type output struct {
	name, device string
	out          Output
	box          *compartment // the relay's compartment; nil for a lamp
	text         *textBox     // a display's text, and show the display; nil for others
	show         Display
	mail         mailbox

	// Under m.mu: the call in flight, which check watches against its
	// deadline, and the fault this output raised, until it works again.
	busy  time.Time // when the call began; zero when none is in flight
	allow time.Duration
	doing string
	late  bool
	fault equipment.Finding
}

// mailbox is an output's word from the hall. Its lock is held only to read
// or write these fields, never across a call, so Observe never waits.
type mailbox struct {
	mu sync.Mutex
	// lit is a lamp's latest desired state. A lamp is level state, so only
	// the last word counts: words that came while the lamp was busy are
	// not replayed one by one.
	lit bool
	// pulses are a relay's pulses waiting, in the order asked, each by the
	// sequence number of the release that asked (0: by hand). Unlike a
	// lamp's word, every one is a door someone is waiting at.
	pulses  []uint64
	pulsing bool // a pulse is taken and not yet done
	wake    chan struct{}
}

func newOutput(name, device string, out Output) *output {
	return &output{name: name, device: device, out: out, mail: mailbox{wake: make(chan struct{}, 1)}}
}

func (b *mailbox) signal() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

func (b *mailbox) setLamp(lit bool) {
	b.mu.Lock()
	changed := b.lit != lit
	b.lit = lit
	b.mu.Unlock()
	if changed {
		b.signal()
	}
}

func (b *mailbox) lamp() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.lit
}

// pushPulse queues a pulse unless the queue is full, or, with idleOnly,
// unless one is already waiting or running.
func (b *mailbox) pushPulse(seq uint64, idleOnly bool) bool {
	b.mu.Lock()
	ok := len(b.pulses) < maxPulses && (!idleOnly || len(b.pulses) == 0 && !b.pulsing)
	if ok {
		b.pulses = append(b.pulses, seq)
	}
	b.mu.Unlock()
	if ok {
		b.signal()
	}
	return ok
}

func (b *mailbox) nextPulse() (uint64, bool) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.pulses) == 0 {
		return 0, false
	}
	seq := b.pulses[0]
	b.pulses = b.pulses[1:]
	b.pulsing = true
	return seq, true
}

func (b *mailbox) donePulse() {
	b.mu.Lock()
	b.pulsing = false
	b.mu.Unlock()
}

// Observe is an engine subscriber. It runs inside the writer, so it only
// leaves word for the outputs' goroutines (each lamp's desired state, a
// lock pulse for each journaled release) and keeps the books: the lockers'
// alarms and alerts show on the compartments' health before the next
// command is decided, as they reach the screens. Nothing in it touches a
// device or waits for one.
func (m *Manager) Observe(s *hall.State, evs []room.Event) {
	m.setLamps(s)
	m.setDisplays(s)
	for _, ev := range evs {
		switch e := ev.Data.(type) {
		case locker.Released:
			if c := m.boxes[e.Comp]; c != nil {
				m.queuePulse(c, ev.Seq)
			}
		case locker.Alarm:
			if c := m.boxes[e.Comp]; c != nil {
				m.mu.Lock()
				m.mark(c.device, equipment.Alarm, equipment.Finding{Reason: equipment.DoorForced}, m.clock.Now())
				m.mu.Unlock()
			}
		case locker.LeftOpen:
			if c := m.boxes[e.Comp]; c != nil {
				m.mu.Lock()
				// A door forced open and then left open is still the alarm.
				if m.devices[c.device].Status != equipment.Alarm {
					m.mark(c.device, equipment.Alert, equipment.Finding{Reason: equipment.DoorLeftOpen}, m.clock.Now())
				}
				m.mu.Unlock()
			}
		}
	}
}

func (m *Manager) setLamps(s *hall.State) {
	for w, o := range m.lamps {
		o.mail.setLamp(m.opts.Lamp != nil && m.opts.Lamp(s, w))
	}
}

// queuePulse asks a compartment's relay for a pulse. A refusal is a fault:
// report only books it, and the hall hears of it from the devices' job
// queue, not from the writer.
func (m *Manager) queuePulse(c *compartment, seq uint64) {
	if c.relay == nil {
		m.mu.Lock()
		m.report(c.device, equipment.Fault, equipment.Finding{Reason: equipment.NoLockRelay}, m.clock.Now())
		m.mu.Unlock()
		return
	}
	if !c.relay.mail.pushPulse(seq, false) {
		m.mu.Lock()
		m.outputFault(c.relay, equipment.Finding{Reason: equipment.LockBacklog, Pin: c.relay.name, Detail: strconv.FormatUint(seq, 10)}, m.clock.Now())
		m.mu.Unlock()
	}
}

// Unlock pulses a compartment's lock relay by hand; its door sensor must
// then report the door open within the bank's confirm time. The hall pulses
// through its journal (a locker.released event, see Observe); this is the
// pulse alone, for maintenance and tests. It is refused while the door is
// open or a pulse is waiting or running.
func (m *Manager) Unlock(bank, box string) error {
	c := m.boxes[locker.Key(bank, box)]
	if c == nil {
		return errs.R(errs.NotFound, "no_compartment", "comp", bank+"/"+box)
	}
	if c.relay == nil {
		return errs.R(errs.Conflict, "locker_no_relay", "comp", bank+"/"+box)
	}
	m.mu.Lock()
	open := c.open
	m.mu.Unlock()
	if open {
		return errs.R(errs.Conflict, "locker_already_open", "comp", bank+"/"+box)
	}
	if !c.relay.mail.pushPulse(0, true) {
		return errs.R(errs.Conflict, "locker_door_busy", "comp", bank+"/"+box)
	}
	return nil
}

func (m *Manager) runOutput(ctx context.Context, o *output) {
	if o.text != nil {
		m.runDisplay(ctx, o)
	} else if o.box != nil {
		m.runRelay(ctx, o)
	} else {
		m.runLamp(ctx, o)
	}
}

// runLamp keeps a lamp at its latest desired state.
func (m *Manager) runLamp(ctx context.Context, o *output) {
	lit := false // the transport gave it switched off
	for {
		want := o.mail.lamp()
		if want == lit {
			select {
			case <-ctx.Done():
				return
			case <-o.mail.wake:
			}
			continue
		}
		at, err := m.set(ctx, o, want)
		if err == nil {
			lit = want
			continue
		}
		// Try again after a while, or at the next word, with the latest word.
		if !m.sleepUntil(ctx, at.Add(retryEvery), o.mail.wake) {
			return
		}
	}
}

// runRelay carries out a relay's pulses one after the other.
func (m *Manager) runRelay(ctx context.Context, o *output) {
	for {
		seq, ok := o.mail.nextPulse()
		if !ok {
			select {
			case <-ctx.Done():
				return
			case <-o.mail.wake:
			}
			continue
		}
		m.pulse(ctx, o, seq)
		o.mail.donePulse()
		if ctx.Err() != nil {
			return
		}
	}
}

// pulse releases a compartment's latch once.
func (m *Manager) pulse(ctx context.Context, o *output, seq uint64) {
	c := o.box
	detail := fmt.Sprintf("%v, by hand", c.pulse)
	if seq > 0 {
		detail = fmt.Sprintf("%v, event %d", c.pulse, seq)
	}
	m.mu.Lock()
	open := c.open
	if open {
		m.report(c.device, equipment.Fault, equipment.Finding{Reason: equipment.DoorAlreadyOpen}, m.clock.Now())
	}
	m.mu.Unlock()
	if open {
		return
	}
	var on time.Time // when the relay took: the pulse is timed from then
	started := func(now time.Time) {
		on = now
		// The door must now open within the confirm time; a slow relay's
		// answer can come after the latch let go and the door opened.
		if !c.open {
			c.expect = now.Add(c.confirm)
		}
		m.activity(Activity{At: now, Device: c.device, What: "pulse", Detail: detail})
	}
	if p, ok := o.out.(Pulser); ok {
		m.call(ctx, o, "pulse", c.pulse, func(ctx context.Context) error { return p.Pulse(ctx, c.pulse) }, started)
		return
	}
	if _, err := m.set(ctx, o, true, started); err != nil {
		return
	}
	stopped := !m.sleepUntil(ctx, on.Add(c.pulse), nil)
	off := ctx
	if stopped {
		// Even when the hall stops: a relay left energised holds the latch
		// open and heats its coil.
		off = context.WithoutCancel(ctx)
	}
	for {
		at, err := m.set(off, o, false)
		if err == nil || stopped || !m.sleepUntil(ctx, at.Add(retryEvery), nil) {
			return
		}
	}
}

// set switches an output and records it.
func (m *Manager) set(ctx context.Context, o *output, on bool, then ...func(now time.Time)) (time.Time, error) {
	what := "off"
	if on {
		what = "on"
	}
	return m.call(ctx, o, what, 0, func(ctx context.Context) error { return o.out.Set(ctx, on) }, func(now time.Time) {
		key := "on"
		if o.box != nil {
			key = "relay_on"
		}
		m.devices[o.device].State[key] = on
		m.activity(Activity{At: now, Device: o.device, What: what, Detail: o.name})
		for _, fn := range then {
			fn(now)
		}
	})
}

// call makes one call to an output, on the output's goroutine. While it is
// in flight check watches it against the deadline (plus extra, for a call
// that takes time by design), so an output that does not answer is
// reported faulty even if it never does; a failed call is a fault too, and
// the next call that succeeds reports the device ok again. done runs under
// m.mu when the call succeeds. call returns when, on the devices' clock,
// the call ended, which is what a retry counts from.
func (m *Manager) call(ctx context.Context, o *output, doing string, extra time.Duration,
	fn func(context.Context) error, done func(now time.Time)) (time.Time, error) {
	m.mu.Lock()
	o.busy, o.allow, o.doing, o.late = m.clock.Now(), m.deadline+extra, doing, false
	m.mu.Unlock()
	err := fn(ctx)
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.clock.Now()
	o.busy = time.Time{}
	if err != nil {
		if ctx.Err() == nil {
			m.outputFault(o, equipment.Finding{Reason: equipment.PinUndrivable, Pin: o.name, Detail: doing + ": " + err.Error()}, now)
		}
		return now, err
	}
	done(now)
	if o.fault != (equipment.Finding{}) {
		m.clear(o.device, o.fault, equipment.Finding{Reason: equipment.OutputRecovered, Pin: o.name}, now)
		o.fault = equipment.Finding{}
	}
	return now, nil
}

// outputFault reports a fault of an output; the caller holds m.mu.
func (m *Manager) outputFault(o *output, f equipment.Finding, now time.Time) {
	o.fault = f
	m.report(o.device, equipment.Fault, f, now)
}

// sleepUntil waits until the devices' clock reaches t, wake fires or ctx
// ends, and reports whether ctx is still alive. It looks at the clock every
// tick rather than timing the wait once, so a clock moved by hand (tests)
// is followed like the real one.
func (m *Manager) sleepUntil(ctx context.Context, t time.Time, wake <-chan struct{}) bool {
	tk := time.NewTicker(m.tick)
	defer tk.Stop()
	for m.clock.Now().Before(t) {
		select {
		case <-ctx.Done():
			return false
		case <-wake:
			return true
		case <-tk.C:
		}
	}
	return ctx.Err() == nil
}
