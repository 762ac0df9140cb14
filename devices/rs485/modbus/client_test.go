package modbus_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/creack/pty"
	"go.bug.st/serial"

	"hallfloor/devices/rs485/modbus"
	"hallfloor/devices/rs485/rs485sim"
)

// line is a master on a real serial port (the slave side of a
// pseudo-terminal) and simulated devices on the master side.
func line(t *testing.T, retries int) (*modbus.Client, *rs485sim.Bus) {
	t.Helper()
	master, tty, err := pty.Open()
	if err != nil {
		t.Fatal(err)
	}
	p, err := serial.Open(tty.Name(), &serial.Mode{BaudRate: 9600, DataBits: 8})
	tty.Close()
	if err != nil {
		t.Fatal(err)
	}
	sim := rs485sim.New(9600)
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); sim.Serve(ctx, master) }()
	t.Cleanup(func() { stop(); p.Close(); master.Close(); <-done })
	return modbus.NewClient(p, modbus.ClientOptions{Baud: 9600, Timeout: 500 * time.Millisecond, Retries: retries}), sim
}

func TestCRC(t *testing.T) {
	// Read 1 holding register at 0 from device 1: 01 03 00 00 00 01, CRC 84 0A.
	f := modbus.ReadRequest(1, modbus.ReadHoldingRegisters, 0, 1).Encode()
	if got := f[len(f)-2:]; got[0] != 0x84 || got[1] != 0x0A {
		t.Fatalf("CRC % x, want 84 0a", got)
	}
	if _, err := modbus.Decode(append(f[:len(f)-1:len(f)-1], 0x0B)); !errors.Is(err, modbus.ErrCRC) {
		t.Fatalf("a frame with a bad CRC decoded: %v", err)
	}
}

func TestClientOverPseudoTerminal(t *testing.T) {
	ctx := context.Background()
	c, sim := line(t, 2)
	caller := sim.AddCaller(3, 4)
	board := sim.AddLockBoard(10, 4)
	board.Jam(0, true)

	caller.Set(1, true)
	bits, err := c.ReadBits(ctx, 3, modbus.ReadDiscreteInputs, 0, 4)
	if err != nil || bits[0] || !bits[1] || bits[2] {
		t.Fatalf("keys %v, %v: want key 2 alone down", bits, err)
	}
	if err := c.WriteCoil(ctx, 10, 2, true); err != nil {
		t.Fatal(err)
	}
	coils, err := c.ReadBits(ctx, 10, modbus.ReadCoils, 0, 4)
	if err != nil || !coils[2] || coils[0] {
		t.Fatalf("coils %v, %v: want lock 3 alone on", coils, err)
	}
	if doors, err := c.ReadBits(ctx, 10, modbus.ReadDiscreteInputs, 0, 4); err != nil || !doors[2] {
		t.Fatalf("doors %v, %v: lock 3 energised must open door 3", doors, err)
	}
	if err := c.WriteRegisters(ctx, 3, 0, []uint16{0x4130, 0x3132}); err != nil {
		t.Fatal(err)
	}
	if regs, err := c.ReadRegisters(ctx, 3, 0, 2); err != nil || regs[0] != 0x4130 || regs[1] != 0x3132 {
		t.Fatalf("registers %x, %v", regs, err)
	}
	if got := caller.Text(); got != "A012" {
		t.Fatalf("display %q, want A012", got)
	}
	// A caller has no coils: it refuses, and a refusal is not retried.
	var ex *modbus.Exception
	before := sim.Requests(3)
	if err := c.WriteCoil(ctx, 3, 0, true); !errors.As(err, &ex) || ex.Code != modbus.IllegalDataAddress {
		t.Fatalf("want an illegal data address refusal, got %v", err)
	}
	if n := sim.Requests(3) - before; n != 1 {
		t.Fatalf("a refusal was asked %d times", n)
	}
	// A function the device does not know: it answers, at the line's
	// silence, that it is illegal.
	if _, err := c.Do(ctx, modbus.Frame{Address: 3, Function: 0x07}); !errors.As(err, &ex) || ex.Code != modbus.IllegalFunction {
		t.Fatalf("want an illegal function refusal, got %v", err)
	}
	// A jammed lock is energised but holds its latch: the door stays shut.
	if err := c.WriteCoil(ctx, 10, 0, true); err != nil || !board.Coil(0) || board.Input(0) || board.Pulses(0) != 1 {
		t.Fatalf("jammed lock 1: %v, on %v, door open %v", err, board.Coil(0), board.Input(0))
	}
}

func TestClientRetriesCorruptAnswer(t *testing.T) {
	ctx := context.Background()
	c, sim := line(t, 2)
	sim.AddCaller(3, 4).Set(0, true)
	sim.CorruptNext(1)
	bits, err := c.ReadBits(ctx, 3, modbus.ReadDiscreteInputs, 0, 4)
	if err != nil || !bits[0] {
		t.Fatalf("after one corrupt answer the retry must read the keys: %v, %v", bits, err)
	}
	if c.BadFrames.Load() != 1 || sim.Requests(3) != 2 {
		t.Fatalf("bad frames %d, requests %d: want the corrupt answer refused and asked again", c.BadFrames.Load(), sim.Requests(3))
	}
	sim.CorruptNext(3)
	if _, err := c.ReadBits(ctx, 3, modbus.ReadDiscreteInputs, 0, 4); !errors.Is(err, modbus.ErrCRC) {
		t.Fatalf("three corrupt answers: want ErrCRC, got %v", err)
	}
}

func TestClientSilentDevice(t *testing.T) {
	ctx := context.Background()
	c, sim := line(t, 1)
	u := sim.AddCaller(3, 4)
	u.Silence(true)
	if _, err := c.ReadBits(ctx, 3, modbus.ReadDiscreteInputs, 0, 4); !errors.Is(err, modbus.ErrNoAnswer) {
		t.Fatalf("a silent device: want ErrNoAnswer, got %v", err)
	}
	if n := sim.Requests(3); n != 2 {
		t.Fatalf("a silent device was asked %d times, want 2 (one retry)", n)
	}
	u.Silence(false)
	if _, err := c.ReadBits(ctx, 3, modbus.ReadDiscreteInputs, 0, 4); err != nil {
		t.Fatalf("the device answers again: %v", err)
	}
}
