//go:build linux

package escpos_test

import (
	"os"
	"testing"
	"time"

	"github.com/creack/pty"
	"golang.org/x/sys/unix"

	"hallfloor/devices/escpos/escposim"
	"hallfloor/equipment"
)

// rawTTY makes the terminal pass bytes as they are, as a printer's device
// does: no echo, no line editing, no newline translation.
func rawTTY(t *testing.T, f *os.File) {
	t.Helper()
	fd := int(f.Fd())
	tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	tio.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	tio.Oflag &^= unix.OPOST
	tio.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	tio.Cflag &^= unix.CSIZE | unix.PARENB
	tio.Cflag |= unix.CS8
	tio.Cc[unix.VMIN], tio.Cc[unix.VTIME] = 1, 0
	if err := unix.IoctlSetTermios(fd, unix.TCSETS, tio); err != nil {
		t.Fatal(err)
	}
}

// A device file that talks back (here a pseudo-terminal standing for a
// bidirectional /dev/usb/lp0, the fake printer at its far end) is asked
// its status as a networked printer is, and prints.
func TestPrinterDeviceFileReadsStatus(t *testing.T) {
	far, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	defer far.Close()
	defer tty.Close()
	rawTTY(t, tty)
	fake, err := escposim.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer fake.Close()
	go fake.Serve(far)

	r := newRig(t, tty.Name(), 5*time.Second)
	if err := r.print("C003"); err != nil {
		t.Fatal(err)
	}
	if got := waitSlips(t, fake, 1)[0].Largest(); got != "C003" {
		t.Fatalf("printed %q", got)
	}
	fake.SetFaults(escposim.Faults{CoverOpen: true})
	r.expect(equipment.CoverOpen)
}
