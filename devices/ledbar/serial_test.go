package ledbar

import (
	"testing"

	"github.com/creack/pty"

	"hallfloor/devices/ledbar/ledproto"
	"hallfloor/devices/ledbar/ledsim"
	"hallfloor/equipment"
	"hallfloor/queue"
)

// A controller on a serial line: the driver opens the device as a real
// serial port (a pseudo-terminal's end), the simulator answers on the
// other end; calls show, and a controller gone quiet on the line is silent.
func TestSerialController(t *testing.T) {
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	r := &rig{t: t, sim: ledsim.New(ledproto.GB18030)}
	go r.sim.Serve(ptmx)
	t.Cleanup(func() { r.sim.Close() })
	// Once the driver let go of its end, the last end of the line closes
	// and the simulator's read ends.
	t.Cleanup(func() { tty.Close() })
	r.start(tty.Name(), "GB18030")

	r.waitShows(2, r.led("2", 32))
	r.do(queue.OpenWindow{Window: "1", Actor: clerk})
	r.do(queue.IssueTicket{Service: "A"})
	r.callNext()
	r.waitShows(1, r.led("1", 16))

	r.sim.Set(ledsim.Mode{Silent: true})
	r.expectReport(ControllerDevice("led1"), equipment.Fault, equipment.ControllerSilent)
	r.sim.Set(ledsim.Mode{})
	r.expectReport(ControllerDevice("led1"), equipment.OK, equipment.ControllerAnswers)
}
