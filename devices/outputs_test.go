package devices

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/equipment"
	"hallfloor/hall"
	"hallfloor/locker"
	"hallfloor/queue"
	"hallfloor/room"
)

// serving lights window 1's lamp while a ticket is being served there, so
// that the ordinary calls of a window switch it on and off.
func serving(o *Options, _ *fakeTransport) {
	o.Lamp = func(s *hall.State, w string) bool {
		return s.Queue.Windows[w] != nil && s.Queue.Windows[w].Current != ""
	}
}

// expectCall waits for a call to an output to begin.
func (r *rig) expectCall(o *fakeOutput) fakeCall {
	r.t.Helper()
	select {
	case c := <-o.calls:
		return c
	case <-time.After(wait):
		r.t.Fatalf("nothing called output %s", o.name)
		return fakeCall{}
	}
}

// A lamp whose output hangs (a stuck I²C expander) holds up nothing: with
// the lamp stuck in its first switch, a clerk's calls at its window all go
// through the hall, the lamp is reported faulty once its deadline has
// passed on the devices' clock, and when it answers again it is ok and
// takes the latest state only.
func TestStuckLampDoesNotHoldUpTheHall(t *testing.T) {
	r := startRig(t, serving)
	lamp := r.tr.output("GPIO24")
	lamp.block()
	t.Cleanup(lamp.release)
	clerk := room.Actor{Staff: "1001"}
	r.openWithTickets(4)
	r.do(queue.CallNext{Window: "1", Actor: clerk})
	if c := r.expectCall(lamp); !c.on {
		t.Fatal("the first call switched the lamp off")
	}

	// The lamp is now stuck in Set. Were it driven from the writer, the
	// next command would never be answered; the guard below fails the test
	// instead of hanging it.
	done := make(chan error, 1)
	go func() {
		for _, cmd := range []hall.Command{
			queue.Recall{Window: "1", Actor: clerk},
			queue.Finish{Window: "1", Actor: clerk},
			queue.CallNext{Window: "1", Actor: clerk},
			queue.Skip{Window: "1", Actor: clerk},
			queue.CallNext{Window: "1", Actor: clerk},
			queue.Finish{Window: "1", Actor: clerk},
		} {
			if res := r.eng.Do(r.ctx, cmd, "", nil); res.Err != nil {
				done <- fmt.Errorf("%T: %w", cmd, res.Err)
				return
			}
		}
		done <- nil
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(wait):
		t.Fatal("the hall stalled behind a stuck lamp")
	}
	if c := lamp.completed(); len(c) != 0 {
		t.Fatalf("the stuck lamp completed %v", c)
	}
	if h := r.health("window:1:lamp"); h.Status != equipment.OK {
		t.Fatalf("a lamp within its deadline is %s", h.Status)
	}

	r.clock.Advance(deadline)
	a := r.expect("window:1:lamp", equipment.Fault)
	if f := a.Finding; f.Reason != equipment.OutputLate || f.Pin != "GPIO24" {
		t.Fatalf("the fault says %+v", f)
	}
	r.expectReport("window:1:lamp", equipment.Fault)
	if h := r.health("window:1:lamp"); h.Status != equipment.Fault || h.Problems != 1 {
		t.Fatalf("health %+v", h)
	}
	// Still stuck, and still nothing waits on it: the hall takes more.
	r.do(queue.CallNext{Window: "1", Actor: clerk})
	r.do(queue.Finish{Window: "1", Actor: clerk})

	lamp.release()
	r.expect("window:1:lamp", equipment.OK)
	r.expectReport("window:1:lamp", equipment.OK)
	r.expect("window:1:lamp", "off")
	// The stuck switch on, then straight to the last word (off): the words
	// in between are not replayed.
	if c := lamp.completed(); !slices.Equal(c, []fakeCall{{on: true}, {on: false}}) {
		t.Fatalf("the lamp was switched %v", c)
	}
	if h := r.health("window:1:lamp"); h.Status != equipment.OK || h.State["on"] {
		t.Fatalf("health %+v", h)
	}
}

// A stuck relay keeps the releases asked of it, in order, up to its bound;
// one more is a fault, not a wait, and not a silent loss. The hall goes on.
func TestLockPulsesWaitInOrder(t *testing.T) {
	r := startRig(t, nil)
	relay := r.tr.output("GPIO20")
	relay.block()
	t.Cleanup(relay.release)
	release := func(seq uint64) {
		// As the writer would: Observe with a journaled release.
		r.m.Observe(hall.NewState(r.eng.Setup()), []room.Event{{Seq: seq, Data: locker.Released{Comp: "L1/01", Purpose: locker.ForService}}})
	}
	release(100)
	r.expectCall(relay) // 100 is under way, and stuck
	for seq := range uint64(maxPulses) {
		release(101 + seq)
	}
	if h := r.health("locker:L1:01"); h.Status != equipment.OK {
		t.Fatalf("a full queue, not yet over, is %s", h.Status)
	}
	release(200) // one too many
	a := r.expect("locker:L1:01", equipment.Fault)
	if f := a.Finding; f.Reason != equipment.LockBacklog || f.Detail != "200" {
		t.Fatalf("the fault says %+v", f)
	}
	r.expectReport("locker:L1:01", equipment.Fault)
	r.openWithTickets(1) // the hall is not held up

	relay.release()
	var order []string
	for range maxPulses + 1 {
		order = append(order, r.expect("locker:L1:01", "pulse").Detail)
		r.clock.Advance(500 * time.Millisecond)
		r.expect("locker:L1:01", "off")
	}
	for i, d := range order {
		if want := fmt.Sprintf("event %d", 100+i); !strings.HasSuffix(d, want) {
			t.Fatalf("pulses in the order %v", order)
		}
	}
	if h := r.health("locker:L1:01"); h.Status != equipment.OK {
		t.Fatalf("a relay that works again is %s: %+v", h.Status, h.Finding)
	}
}

// An output that fails is a fault; it is tried again and, when it works,
// reported ok.
func TestFailingLampIsFaultUntilItWorks(t *testing.T) {
	r := startRig(t, serving)
	lamp := r.tr.output("GPIO24")
	lamp.failWith(errors.New("i2c: remote I/O error"))
	r.openWithTickets(1)
	r.do(queue.CallNext{Window: "1", Actor: room.Actor{Staff: "1001"}})
	a := r.expect("window:1:lamp", equipment.Fault)
	if f := a.Finding; f.Reason != equipment.PinUndrivable || !strings.Contains(f.Detail, "remote I/O error") {
		t.Fatalf("the fault says %+v", f)
	}
	r.expectReport("window:1:lamp", equipment.Fault)
	lamp.failWith(nil)
	r.clock.Advance(retryEvery)
	r.expect("window:1:lamp", "on")
	r.expect("window:1:lamp", equipment.OK)
	r.expectReport("window:1:lamp", equipment.OK)
}

// A lock board that times its own pulses is told the pulse, once.
func TestBoardTimesItsOwnPulse(t *testing.T) {
	r := startRig(t, func(_ *Options, tr *fakeTransport) { tr.pulser = true })
	if err := r.m.Unlock("L1", "01"); err != nil {
		t.Fatal(err)
	}
	r.expect("locker:L1:01", "pulse")
	if c := r.tr.output("GPIO20").completed(); !slices.Equal(c, []fakeCall{{on: true, pulse: 500 * time.Millisecond}}) {
		t.Fatalf("the board was told %v", c)
	}
	r.press("GPIO21") // opened on command: no fault
	r.expect("locker:L1:01", "opened")
	r.clock.Advance(10 * time.Second)
	r.release("GPIO21")
	r.expect("locker:L1:01", "closed")
	if h := r.health("locker:L1:01"); h.Status != equipment.OK {
		t.Fatalf("health %+v", h)
	}
}
