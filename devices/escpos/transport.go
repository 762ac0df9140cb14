package escpos

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"strings"
	"time"
)

// The printer's line: raw TCP (the "JetDirect" port 9100 of a networked
// printer) or the USB printer class device the kernel makes (/dev/usb/lp0).

// Port is the raw TCP port of networked printers.
const Port = "9100"

// Target is where address points: a device file (an absolute path) or a
// TCP host:port, 9100 when it names none.
func Target(address string) (network, addr string) {
	if strings.HasPrefix(address, "/") {
		return "file", address
	}
	if _, _, err := net.SplitHostPort(address); err != nil {
		return "tcp", net.JoinHostPort(strings.Trim(address, "[]"), Port)
	}
	return "tcp", address
}

// link is an open line to the printer. A device file that cannot take a
// read deadline (a printer that does not talk back, a usblp device without
// poll) is written to only: its status is not asked, since a read could
// block for ever.
type link struct {
	rw       io.ReadWriteCloser
	deadline interface {
		SetReadDeadline(time.Time) error
		SetWriteDeadline(time.Time) error
	}
	readable bool
	// timed: writes take a deadline. One that does not is bounded by
	// closing the line when it is late.
	timed bool
}

// errNoStatus says the line cannot read the printer's status.
var errNoStatus = errors.New("the printer's line gives no status")

// dial opens the line within timeout.
func dial(address string, timeout time.Duration) (*link, error) {
	network, addr := Target(address)
	if network == "tcp" {
		c, err := net.DialTimeout("tcp", addr, timeout)
		if err != nil {
			return nil, err
		}
		return &link{rw: c, deadline: c.(*net.TCPConn), readable: true, timed: true}, nil
	}
	f, err := os.OpenFile(addr, os.O_RDWR, 0)
	if err != nil {
		// A write-only printer device still prints.
		if f, err = os.OpenFile(addr, os.O_WRONLY, 0); err != nil {
			return nil, err
		}
		return &link{rw: f, deadline: f, timed: f.SetWriteDeadline(time.Time{}) == nil}, nil
	}
	l := &link{rw: f, deadline: f}
	l.readable = f.SetReadDeadline(time.Time{}) == nil
	l.timed = f.SetWriteDeadline(time.Time{}) == nil
	return l, nil
}

// write sends b whole within timeout. A device that takes no deadline
// (a printer driver without poll) is written to beside, and closed when
// the write is late, so that a stuck printer cannot hold the driver.
func (l *link) write(b []byte, timeout time.Duration) error {
	if l.timed {
		if err := l.deadline.SetWriteDeadline(time.Now().Add(timeout)); err != nil {
			return err
		}
		_, err := l.rw.Write(b)
		return err
	}
	done := make(chan error, 1)
	go func() {
		_, err := l.rw.Write(b)
		done <- err
	}()
	select {
	case err := <-done:
		return err
	case <-time.After(timeout):
		_ = l.rw.Close()
		return fmt.Errorf("the write of %d bytes did not end within %v", len(b), timeout)
	}
}

// status asks the printer its four status bytes, each within timeout.
func (l *link) status(timeout time.Duration) (Status, error) {
	var s Status
	if !l.readable {
		return s, errNoStatus
	}
	one := make([]byte, 1)
	for i := range s {
		n := byte(i + 1)
		if err := l.write(StatusQuery(n), timeout); err != nil {
			return s, err
		}
		if err := l.deadline.SetReadDeadline(time.Now().Add(timeout)); err != nil {
			return s, err
		}
		if _, err := io.ReadFull(l.rw, one); err != nil {
			return s, fmt.Errorf("no answer to DLE EOT %d: %w", n, err)
		}
		if !IsStatus(one[0]) {
			return s, fmt.Errorf("answer %#02x to DLE EOT %d is no status byte", one[0], n)
		}
		s[i] = one[0]
	}
	return s, nil
}

func (l *link) close() error { return l.rw.Close() }
