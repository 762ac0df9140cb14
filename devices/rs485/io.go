package rs485

import (
	"context"
	"strings"
	"sync"

	"hallfloor/devices"
	"hallfloor/devices/rs485/modbus"
	"hallfloor/devices/rs485/rs485sim"
)

// input is a key or a door sensor of a bus device, as the polls read it.
// The device settles its own contacts (a caller debounces its keys, a lock
// board its reeds), so a polled level that differs from the last is a
// settled change.
type input struct {
	name string

	// tell orders what the watcher hears: the poller's changes and a
	// watcher's first word never cross. It is never taken under mu.
	tell sync.Mutex
	mu   sync.Mutex
	// level is the last level read; seen is the level the devices last
	// had of it (by Active or by a change told), so a change between the
	// two is owed to the watcher when it comes.
	level, seen bool
	to          devices.InputEvents
	health      error // the fault the input has, nil when it reads
	told        error // the health the watcher was last told
}

func (in *input) Active() bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.seen = in.level
	return in.level
}

// Watch hands the polls' news to the devices until ctx ends; the bus's
// goroutine does the reading.
func (in *input) Watch(ctx context.Context, to devices.InputEvents) {
	in.tell.Lock()
	in.mu.Lock()
	in.to = to
	in.told = nil
	in.mu.Unlock()
	in.flush()
	in.tell.Unlock()
	<-ctx.Done()
	in.mu.Lock()
	in.to = nil
	in.mu.Unlock()
}

func (in *input) settle(level bool) {
	in.tell.Lock()
	defer in.tell.Unlock()
	in.mu.Lock()
	in.level = level
	in.mu.Unlock()
	in.flush()
}

func (in *input) setHealth(err error) {
	in.tell.Lock()
	defer in.tell.Unlock()
	in.mu.Lock()
	in.health = err
	in.mu.Unlock()
	in.flush()
}

// flush tells the watcher what it has not heard; the caller holds tell.
func (in *input) flush() {
	in.mu.Lock()
	to, health, told := in.to, in.health, in.told
	change := to != nil && in.level != in.seen
	level := in.level
	if to != nil {
		in.seen, in.told = in.level, health
	}
	in.mu.Unlock()
	if to == nil {
		return
	}
	if health != told {
		to.Health(health)
	}
	if change {
		to.Changed(level)
	}
}

// lock is a lock board's lock: a coil that, energised, releases the latch.
// The devices pulse it with Set (on, the bank's pulse time on their clock,
// off, and off even when the hall stops): that way the pulse shows, and the
// door's confirm time runs, from the moment the coil is on, and a door
// read open during the pulse is the door that pulse opened.
type lock struct {
	unit *unit
	coil uint16
}

func (l *lock) Set(ctx context.Context, on bool) error {
	u := l.unit
	return u.bus.submit(ctx, func(ctx context.Context, c *modbus.Client) error {
		return c.WriteCoil(ctx, byte(u.addr), l.coil, on)
	})
}

// display is a caller's number display: rs485sim.DisplayRegisters holding
// registers from 0, two ASCII characters each, high byte first, padded
// with spaces.
type display struct{ unit *unit }

func (d *display) Show(ctx context.Context, text string) error {
	regs := DisplayRegisters(text)
	u := d.unit
	return u.bus.submit(ctx, func(ctx context.Context, c *modbus.Client) error {
		return c.WriteRegisters(ctx, byte(u.addr), 0, regs)
	})
}

// DisplayRegisters is text as a caller's display registers: ASCII, two
// characters a register, high byte first, padded with spaces and cut to
// the display's 16 characters. A character beyond ASCII shows as '?'.
func DisplayRegisters(text string) []uint16 {
	b := []byte(strings.Repeat(" ", 2*rs485sim.DisplayRegisters))
	i := 0
	for _, r := range text {
		if i == len(b) {
			break
		}
		if r < 0x20 || r > 0x7E {
			r = '?'
		}
		b[i] = byte(r)
		i++
	}
	return modbus.Uint16s(b)
}
