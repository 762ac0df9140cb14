// Package rs485sim is a set of Modbus RTU slaves on one simulated RS485
// bus: call buttons (呼叫器) with keys to press and a number display held in
// registers, and lock boards whose locks, when pulsed, open their doors
// unless jammed. Tests and the demo hall put it on the far end of a
// pseudo-terminal, so the transport talks to it through a real serial
// port. A device can be told to go silent or to corrupt the CRC of its
// answers, as a failing one does.
package rs485sim

import (
	"context"
	"encoding/binary"
	"io"
	"sync"
	"time"

	"hallfloor/devices/rs485/modbus"
)

// Bus is the simulated devices on one bus, each at its address.
type Bus struct {
	gap time.Duration

	mu      sync.Mutex
	units   map[byte]*Unit
	corrupt int // answers still to corrupt
	changed chan struct{}

	// Requests counts the requests each device answered or ignored, for
	// tests to wait on.
	requests map[byte]int
}

// New is an empty bus whose devices run at baud (the silence that ends a
// half-received frame follows from it).
func New(baud int) *Bus {
	return &Bus{gap: modbus.Silence(baud), units: map[byte]*Unit{}, requests: map[byte]int{}, changed: make(chan struct{})}
}

// Unit is one device: a caller or a lock board.
type Unit struct {
	bus     *Bus
	Address byte
	lockBox bool
	// Under bus.mu.
	inputs []bool   // keys, or door sensors: true is pressed or open
	caught []bool   // keys pressed since the last read
	coils  []bool   // locks energised
	jammed []bool   // locks that do not release
	regs   []uint16 // the display
	silent bool
	pulses []int // how often each lock was energised
}

// DisplayRegisters is how many holding registers a caller's display has:
// two ASCII characters each, so 16 characters.
const DisplayRegisters = 8

// AddCaller puts a caller with keys keys at addr.
func (b *Bus) AddCaller(addr byte, keys int) *Unit {
	u := &Unit{bus: b, Address: addr, inputs: make([]bool, keys), caught: make([]bool, keys), regs: make([]uint16, DisplayRegisters)}
	for i := range u.regs {
		u.regs[i] = 0x2020
	}
	b.add(u)
	return u
}

// AddLockBoard puts a lock board with locks locks and their door sensors at addr.
func (b *Bus) AddLockBoard(addr byte, locks int) *Unit {
	u := &Unit{bus: b, Address: addr, lockBox: true, inputs: make([]bool, locks), coils: make([]bool, locks),
		jammed: make([]bool, locks), pulses: make([]int, locks)}
	b.add(u)
	return u
}

func (b *Bus) add(u *Unit) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.units[u.Address] = u
}

// Unit is the device at addr, or nil.
func (b *Bus) Unit(addr byte) *Unit {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.units[addr]
}

// CorruptNext makes the next n answers on the bus go out with a bad CRC.
func (b *Bus) CorruptNext(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.corrupt = n
}

// Requests is how many requests have reached the device at addr.
func (b *Bus) Requests(addr byte) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.requests[addr]
}

// Changed is closed at the next request the bus takes, for tests to wait
// on without sleeping.
func (b *Bus) Changed() <-chan struct{} {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.changed
}

// Set sets input n (0-based): a key held down, a door open. A caller
// keeps a key's press until it has been read once, as callers do, so a
// tap between two polls is still a press.
func (u *Unit) Set(n int, on bool) bool {
	u.bus.mu.Lock()
	defer u.bus.mu.Unlock()
	if n < 0 || n >= len(u.inputs) {
		return false
	}
	u.inputs[n] = on
	if on && u.caught != nil {
		u.caught[n] = true
	}
	return true
}

// Input is input n's level.
func (u *Unit) Input(n int) bool {
	u.bus.mu.Lock()
	defer u.bus.mu.Unlock()
	return n >= 0 && n < len(u.inputs) && u.inputs[n]
}

// Coil is whether lock n is energised.
func (u *Unit) Coil(n int) bool {
	u.bus.mu.Lock()
	defer u.bus.mu.Unlock()
	return n >= 0 && n < len(u.coils) && u.coils[n]
}

// Pulses is how often lock n has been energised.
func (u *Unit) Pulses(n int) int {
	u.bus.mu.Lock()
	defer u.bus.mu.Unlock()
	if n < 0 || n >= len(u.pulses) {
		return 0
	}
	return u.pulses[n]
}

// Jam makes lock n hold its latch when energised: the door stays shut.
func (u *Unit) Jam(n int, jammed bool) {
	u.bus.mu.Lock()
	defer u.bus.mu.Unlock()
	if n >= 0 && n < len(u.jammed) {
		u.jammed[n] = jammed
	}
}

// Silence makes the device stop answering, or answer again.
func (u *Unit) Silence(silent bool) {
	u.bus.mu.Lock()
	defer u.bus.mu.Unlock()
	u.silent = silent
}

// Text is what a caller's display shows, trailing spaces trimmed.
func (u *Unit) Text() string {
	u.bus.mu.Lock()
	defer u.bus.mu.Unlock()
	b := make([]byte, 0, 2*len(u.regs))
	for _, r := range u.regs {
		b = binary.BigEndian.AppendUint16(b, r)
	}
	end := len(b)
	for end > 0 && (b[end-1] == ' ' || b[end-1] == 0) {
		end--
	}
	return string(b[:end])
}

// IsLockBoard reports whether the device is a lock board rather than a caller.
func (u *Unit) IsLockBoard() bool { return u.lockBox }

// Serve answers the requests that arrive on rw until ctx ends or rw
// fails. A request is read to its length; a silence of 3.5 characters
// drops what was half received, as a device resynchronises on a noisy line.
func (b *Bus) Serve(ctx context.Context, rw io.ReadWriter) {
	chunks := make(chan []byte)
	go func() {
		defer close(chunks)
		for {
			buf := make([]byte, 256)
			n, err := rw.Read(buf)
			if n > 0 {
				select {
				case chunks <- buf[:n]:
				case <-ctx.Done():
					return
				}
			}
			if err != nil {
				return
			}
		}
	}()
	var pending []byte
	for {
		var gap <-chan time.Time
		if len(pending) > 0 {
			gap = time.After(b.gap)
		}
		select {
		case <-ctx.Done():
			return
		case c, ok := <-chunks:
			if !ok {
				return
			}
			pending = b.take(rw, append(pending, c...))
		case <-gap:
			// A frame whose length the device cannot tell ends at the
			// silence; whatever else was half received is dropped.
			if modbus.RequestLength(pending) < 0 {
				b.answer(rw, pending)
			}
			pending = nil
		}
	}
}

// take answers every whole request at the front of buf and returns the rest.
func (b *Bus) take(w io.Writer, buf []byte) []byte {
	for {
		n := modbus.RequestLength(buf)
		if n <= 0 || len(buf) < n {
			return buf
		}
		b.answer(w, buf[:n])
		buf = buf[n:]
	}
}

// answer carries out one request and writes the device's answer. A frame
// with a bad CRC, one for a device not on the bus, one to a silent device
// and a broadcast get none.
func (b *Bus) answer(w io.Writer, raw []byte) {
	req, err := modbus.Decode(raw)
	if err != nil {
		return
	}
	b.mu.Lock()
	b.requests[req.Address]++
	close(b.changed)
	b.changed = make(chan struct{})
	u := b.units[req.Address]
	if u == nil || u.silent {
		b.mu.Unlock()
		return
	}
	data, code := u.do(req)
	ans := modbus.Frame{Address: req.Address, Function: req.Function, Data: data}
	if code != 0 {
		ans = modbus.Frame{Address: req.Address, Function: req.Function | 0x80, Data: []byte{code}}
	}
	out := ans.Encode()
	if b.corrupt > 0 {
		b.corrupt--
		out[len(out)-1] ^= 0x5A
	}
	b.mu.Unlock()
	w.Write(out)
}

// do carries out a request on the device; the caller holds bus.mu. It
// returns the answer's data, or an exception code.
func (u *Unit) do(req modbus.Frame) ([]byte, byte) {
	d := req.Data
	switch {
	case modbus.RequestLength([]byte{req.Address, req.Function}) < 0:
		return nil, modbus.IllegalFunction
	case len(d) < 4:
		return nil, modbus.IllegalDataValue
	}
	start, count := int(binary.BigEndian.Uint16(d)), int(binary.BigEndian.Uint16(d[2:]))
	switch req.Function {
	case modbus.ReadDiscreteInputs:
		return u.readInputs(start, count)
	case modbus.ReadCoils:
		return readBits(u.coils, start, count)
	case modbus.ReadHoldingRegisters:
		if count < 1 || count > modbus.MaxReadRegs || start+count > len(u.regs) {
			return nil, modbus.IllegalDataAddress
		}
		out := []byte{byte(2 * count)}
		for _, r := range u.regs[start : start+count] {
			out = binary.BigEndian.AppendUint16(out, r)
		}
		return out, 0
	case modbus.WriteSingleCoil:
		return u.writeCoil(start, count, d)
	case modbus.WriteMultipleRegisters:
		if len(d) < 5 || int(d[4]) != 2*count || len(d) != 5+2*count || count < 1 || count > modbus.MaxRegisters {
			return nil, modbus.IllegalDataValue
		}
		if start+count > len(u.regs) {
			return nil, modbus.IllegalDataAddress
		}
		copy(u.regs[start:], modbus.Uint16s(d[5:]))
		return d[:4], 0
	}
	return nil, modbus.IllegalFunction
}

// readInputs reads the inputs, with the keys pressed since the last read.
func (u *Unit) readInputs(start, count int) ([]byte, byte) {
	if u.caught == nil {
		return readBits(u.inputs, start, count)
	}
	bits := make([]bool, len(u.inputs))
	for i, on := range u.inputs {
		bits[i] = on || u.caught[i]
	}
	data, code := readBits(bits, start, count)
	if code == 0 {
		for i := start; i < start+count; i++ {
			u.caught[i] = false
		}
	}
	return data, code
}

func readBits(bits []bool, start, count int) ([]byte, byte) {
	if count < 1 || count > modbus.MaxBits || start+count > len(bits) {
		return nil, modbus.IllegalDataAddress
	}
	packed := modbus.PackBits(bits[start : start+count])
	return append([]byte{byte(len(packed))}, packed...), 0
}

// writeCoil energises or lets go of a lock. A lock energised releases its
// latch and the door springs open, unless the lock is jammed.
func (u *Unit) writeCoil(coil, value int, d []byte) ([]byte, byte) {
	if coil >= len(u.coils) {
		return nil, modbus.IllegalDataAddress
	}
	if value != 0xFF00 && value != 0 {
		return nil, modbus.IllegalDataValue
	}
	on := value == 0xFF00
	if on && !u.coils[coil] {
		u.pulses[coil]++
		if !u.jammed[coil] {
			u.inputs[coil] = true
		}
	}
	u.coils[coil] = on
	return d[:4], 0
}
