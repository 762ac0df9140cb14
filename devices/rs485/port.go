package rs485

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/creack/pty"
	"go.bug.st/serial"

	"hallfloor/config"
	"hallfloor/devices/rs485/modbus"
	"hallfloor/devices/rs485/rs485sim"
)

// A bus's port is a serial device opened with go.bug.st/serial at the
// bus's rate, parity and stop bits. A simulated bus is the same: its
// devices (package rs485sim) answer on the master side of a
// pseudo-terminal and the transport opens the other side as its serial
// port, so the simulator exercises the real port code.

// port is an open serial line with what closes it.
type port interface {
	modbus.Port
	io.Closer
}

// OpenSerial opens a bus's serial device.
func OpenSerial(b config.Bus) (modbus.Port, io.Closer, error) {
	p, err := openSerial(b.Port, b)
	if err != nil {
		return nil, nil, err
	}
	return p, p, nil
}

func openSerial(path string, b config.Bus) (port, error) {
	mode := &serial.Mode{BaudRate: b.BaudRate(), DataBits: 8, Parity: parityOf(b.ParityMode()), StopBits: serial.OneStopBit}
	if b.Stop() == 2 {
		mode.StopBits = serial.TwoStopBits
	}
	p, err := serial.Open(path, mode)
	if err != nil {
		// The driver's own words: they reach /devices as the bus devices'
		// finding, after the words for a port that cannot be opened.
		return nil, fmt.Errorf("serial port %s: %w", path, err)
	}
	return p, nil
}

// parities are the hall file's parities as the serial port takes them.
var parities = map[string]serial.Parity{"N": serial.NoParity, "E": serial.EvenParity, "O": serial.OddParity}

func parityOf(p string) serial.Parity { return parities[p] }

// simLine is a simulated bus: its devices on the far side of a
// pseudo-terminal, served until the line is closed.
type simLine struct {
	port
	master *os.File
	stop   context.CancelFunc
	done   chan struct{}
}

// openSim starts sim's devices on a pseudo-terminal and opens its other
// side as the bus's serial port.
func openSim(b config.Bus, sim *rs485sim.Bus) (*simLine, error) {
	master, tty, err := pty.Open()
	if err != nil {
		return nil, fmt.Errorf("a pseudo-terminal for the simulated devices: %w", err)
	}
	p, err := openSerial(tty.Name(), b)
	// The serial port holds its own descriptor of the terminal.
	tty.Close()
	if err != nil {
		master.Close()
		return nil, err
	}
	ctx, stop := context.WithCancel(context.Background())
	l := &simLine{port: p, master: master, stop: stop, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		sim.Serve(ctx, master)
	}()
	return l, nil
}

func (l *simLine) Close() error {
	l.stop()
	err := l.port.Close()
	l.master.Close()
	<-l.done
	return err
}
