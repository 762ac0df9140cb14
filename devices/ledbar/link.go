package ledbar

import (
	"context"
	"io"
	"net"
	"os"
	"time"

	"go.bug.st/serial"
)

// link is a connection to a controller: a TCP connection or a serial line.
// A deadline bounds every read and write until it is moved.
type link interface {
	io.ReadWriteCloser
	SetDeadline(t time.Time) error
}

// open connects to the controller at addr: a serial device or host:port.
func (c *controller) open(ctx context.Context, addr string) (link, error) {
	if c.cfg.Serial() {
		baud := c.cfg.Baud
		if baud == 0 {
			baud = 9600
		}
		p, err := serial.Open(addr, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
		if err != nil {
			return nil, err
		}
		return &serialLink{Port: p}, nil
	}
	d := net.Dialer{Timeout: c.opts.Timeout, KeepAlive: 30 * time.Second}
	return d.DialContext(ctx, "tcp", addr)
}

// serialLink gives a serial port the deadline of a network connection. The
// port's read timeout is the time left to the deadline, and a read that
// times out says so instead of reading nothing. A write goes to the
// kernel's buffer and does not wait for the line (no flow control).
type serialLink struct {
	serial.Port
	deadline time.Time
}

func (s *serialLink) SetDeadline(t time.Time) error {
	s.deadline = t
	return nil
}

func (s *serialLink) Read(b []byte) (int, error) {
	left := time.Until(s.deadline)
	if s.deadline.IsZero() {
		left = serial.NoTimeout
	} else if left <= 0 {
		return 0, os.ErrDeadlineExceeded
	}
	if err := s.SetReadTimeout(left); err != nil {
		return 0, err
	}
	n, err := s.Port.Read(b)
	if n == 0 && err == nil {
		return 0, os.ErrDeadlineExceeded
	}
	return n, err
}
