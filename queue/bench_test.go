package queue_test

import (
	"strconv"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/room"
)

// benchLine is the length of a busy morning's line at one service: the
// figure the rules must stay quick at.
const benchLine = 500

// benchHall is the demo hall with window 1 (service A) open and benchLine
// tickets waiting for A, built through the hall aggregate like the engine
// does: decide, apply, react.
type benchHall struct {
	setup *hall.Setup
	state *hall.State
	now   time.Time
	next  int
}

func newBenchHall(b *testing.B) *benchHall {
	b.Helper()
	setup := config.Demo().Setup()
	h := &benchHall{
		setup: setup,
		state: hall.NewState(setup),
		now:   time.Date(2025, 3, 10, 9, 0, 0, 0, setup.Location()),
	}
	h.mustDo(b, queue.OpenWindow{Window: "1", Actor: room.Actor{Staff: "1001", Role: room.Clerk}})
	for range benchLine {
		h.mustDo(b, h.issue())
	}
	return h
}

// do is the engine's work for one command without the journal.
func (h *benchHall) do(cmd hall.Command) (room.Outcome, error) {
	// A few milliseconds a command: millions of them stay within the
	// morning, as the aggregate starts a new day at midnight.
	h.now = h.now.Add(5 * time.Millisecond)
	out, _, err := h.state.Run(h.setup, cmd, room.Env{Now: h.now})
	return out, err
}

func (h *benchHall) mustDo(b *testing.B, cmd hall.Command) room.Outcome {
	out, err := h.do(cmd)
	if err != nil {
		b.Fatalf("%T: %v", cmd, err)
	}
	return out
}

// call is the clerk at window 1 pressing 呼叫 on what the screen shows.
func (h *benchHall) call() queue.CallNext {
	return queue.CallNext{Window: "1", Actor: room.Actor{Staff: "1001", Role: room.Clerk}, Current: h.state.Queue.Windows["1"].Current}
}

// issue is a kiosk taking an A number with an ID card, so the
// one-waiting-ticket check runs too.
func (h *benchHall) issue() queue.IssueTicket {
	h.next++
	n := strconv.Itoa(h.next)
	return queue.IssueTicket{ID: "t" + n, Service: "A", IDHash: "id" + n}
}

// BenchmarkIssue takes numbers at a service whose line holds between
// benchLine and twice that; every benchLine numbers, as many are called off
// the clock.
func BenchmarkIssue(b *testing.B) {
	h := newBenchHall(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		h.mustDo(b, h.issue())
		if i++; i%benchLine == 0 {
			b.StopTimer()
			for range benchLine {
				h.mustDo(b, h.call())
			}
			b.StartTimer()
		}
	}
}

// BenchmarkCall calls from window 1 while between benchLine and twice that
// wait; each call also finishes the ticket before it. Every benchLine calls,
// as many numbers are issued off the clock.
func BenchmarkCall(b *testing.B) {
	h := newBenchHall(b)
	for range benchLine {
		h.mustDo(b, h.issue())
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if out := h.mustDo(b, h.call()); out.Ticket == "" {
			b.Fatal("nobody was called")
		}
		if i++; i%benchLine == 0 {
			b.StopTimer()
			for range benchLine {
				h.mustDo(b, h.issue())
			}
			b.StartTimer()
		}
	}
}

// BenchmarkIssueAndCall is one number in and one call out: the steady state
// of a busy hall, the line staying at benchLine.
func BenchmarkIssueAndCall(b *testing.B) {
	h := newBenchHall(b)
	b.ReportAllocs()
	for b.Loop() {
		h.mustDo(b, h.issue())
		h.mustDo(b, h.call())
	}
}
