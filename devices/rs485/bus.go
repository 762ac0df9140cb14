package rs485

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/devices/rs485/modbus"
	"hallfloor/equipment"
)

// bus is one RS485 line and its devices. One goroutine (run) owns the
// line: it polls the devices in turn and carries out the writes others
// ask for between two requests, so one request is in flight at a time.
type bus struct {
	cfg     config.Bus
	client  *modbus.Client // nil when the port did not open
	closer  io.Closer
	openErr error
	units   []*unit
	jobs    chan job
	stopped chan struct{} // closed when the bus's goroutine has ended
}

// job is a write to a device, carried out by the bus's goroutine.
type job struct {
	do   func(ctx context.Context, c *modbus.Client) error
	done chan error
}

func (b *bus) attach(port modbus.Port, closer io.Closer, err error) {
	if err != nil {
		b.openErr = err
		return
	}
	b.client = modbus.NewClient(port, modbus.ClientOptions{Baud: b.cfg.BaudRate(), Timeout: b.cfg.Timeout(), Retries: b.cfg.RetryCount()})
	b.closer = closer
}

// submit has the bus's goroutine carry out a write, and waits for it.
func (b *bus) submit(ctx context.Context, do func(ctx context.Context, c *modbus.Client) error) error {
	if b.client == nil {
		return b.openErr
	}
	j := job{do: do, done: make(chan error, 1)}
	select {
	case b.jobs <- j:
	case <-ctx.Done():
		return ctx.Err()
	case <-b.stopped:
		return errStopped
	}
	select {
	case err := <-j.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// errStopped is a write that came after the bus stopped: the locks were
// let go as it stopped.
var errStopped = errors.New("rs485: the bus has stopped")

// run owns the line until ctx ends, and lets every lock go as it ends, so
// a pulse cut short by the hall's stop does not leave a latch held open.
func (b *bus) run(ctx context.Context) {
	defer close(b.stopped)
	if b.client == nil {
		for _, u := range b.units {
			u.report(equipment.Fault, equipment.Finding{Reason: equipment.BusUnavailable, Pin: b.cfg.Name, Detail: b.openErr.Error()})
		}
		<-ctx.Done()
		return
	}
	b.letGo(ctx)
	defer b.letGo(context.WithoutCancel(ctx))
	tick := time.NewTicker(b.cfg.PollEvery())
	defer tick.Stop()
	for ctx.Err() == nil {
		for _, u := range b.units {
			b.serve(ctx)
			if u.due(time.Now()) {
				u.poll(ctx, b.client)
			}
		}
		b.wait(ctx, tick.C)
	}
}

// letGo switches every lock off at start: a lock left energised by a
// server that stopped mid-pulse holds its latch open and heats its coil.
func (b *bus) letGo(ctx context.Context) {
	for _, u := range b.units {
		for c := range u.coils {
			if err := b.client.WriteCoil(ctx, byte(u.addr), uint16(c), false); err != nil {
				break // the poll reports a device that does not answer
			}
		}
	}
}

// serve carries out the writes waiting now.
func (b *bus) serve(ctx context.Context) {
	for {
		select {
		case j := <-b.jobs:
			j.done <- j.do(ctx, b.client)
		default:
			return
		}
	}
}

// wait carries out writes as they come until the next poll is due.
func (b *bus) wait(ctx context.Context, tick <-chan time.Time) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-b.jobs:
			j.done <- j.do(ctx, b.client)
		case <-tick:
			return
		}
	}
}

// unit is one device on the bus: a caller or a lock board.
type unit struct {
	bus       *bus
	addr      int
	name      string // bus1@3
	pins      []config.PinRef
	lockBoard bool
	display   bool
	bits      int // discrete inputs polled: keys or door sensors
	coils     int
	inputs    map[int]*input // by discrete input
	periph    *devices.Peripheral

	// The bus goroutine's own.
	fault     error
	next      time.Time // when a silent device is asked again
	badFrames int64
}

func (u *unit) due(now time.Time) bool { return u.fault == nil || !now.Before(u.next) }

// poll reads the device's inputs (a caller with only a display is asked
// for its first register, to know it answers) and settles what changed.
func (u *unit) poll(ctx context.Context, c *modbus.Client) {
	before := c.BadFrames.Load()
	var bits []bool
	var err error
	if u.bits > 0 {
		bits, err = c.ReadBits(ctx, byte(u.addr), modbus.ReadDiscreteInputs, 0, uint16(u.bits))
	} else {
		_, err = c.ReadRegisters(ctx, byte(u.addr), 0, 1)
	}
	if ctx.Err() != nil {
		return
	}
	if n := c.BadFrames.Load() - before; n > 0 && err == nil {
		u.badFrames += n
		u.did("bad_frame", fmt.Sprintf("%d refused, asked again", u.badFrames))
	}
	u.answered(err, time.Now())
	if err != nil {
		return
	}
	for bit, in := range u.inputs {
		in.settle(bits[bit])
	}
}

// answered keeps the device's health: a device that stops answering, or
// answers garbled, is faulty, on its inputs and as itself; the next good
// answer makes it ok again.
func (u *unit) answered(err error, now time.Time) {
	if err == nil {
		if u.fault != nil {
			u.fault = nil
			u.report(equipment.OK, equipment.Finding{Reason: equipment.DeviceAnswers, Pin: u.name})
			u.tellInputs(nil)
		}
		return
	}
	u.next = now.Add(silentEvery)
	if u.fault != nil && u.fault.Error() == err.Error() {
		return
	}
	u.fault = err
	u.report(equipment.Fault, equipment.Finding{Reason: reasonOf(err), Pin: u.name, Detail: err.Error()})
	u.tellInputs(err)
}

// reasonOf names why a device failed to answer.
func reasonOf(err error) string {
	var ex *modbus.Exception
	switch {
	case errors.Is(err, modbus.ErrNoAnswer):
		return equipment.DeviceSilent
	case errors.As(err, &ex):
		return equipment.DeviceRefused
	}
	return equipment.BadFrame
}

func (u *unit) tellInputs(err error) {
	for _, in := range u.inputs {
		in.setHealth(err)
	}
}

func (u *unit) report(kind string, f equipment.Finding) {
	if u.periph != nil {
		u.periph.Report(kind, f)
	}
}

func (u *unit) did(what, detail string) {
	if u.periph != nil {
		u.periph.Did(what, detail)
	}
}
