package queue_test

import (
	"strconv"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/queue"
)

// benchLine is the length of a busy morning's line at one service: the
// figure the rules must stay quick at.
const benchLine = 500

// benchHall is the demo hall with window 1 (service A) open and benchLine
// tickets waiting for A, built through Decide and Apply like the engine does.
type benchHall struct {
	setup *queue.Setup
	state *queue.State
	now   time.Time
	next  int
}

func newBenchHall(b *testing.B) *benchHall {
	b.Helper()
	setup := config.Demo().QueueSetup()
	h := &benchHall{
		setup: setup,
		state: queue.NewState(setup),
		now:   time.Date(2025, 3, 10, 9, 0, 0, 0, setup.Location),
	}
	if ev := queue.Rollover(h.state, setup, h.now); ev != nil {
		h.apply(ev)
	}
	h.mustDo(b, queue.OpenWindow{Window: "1", Actor: queue.Actor{Staff: "1001"}})
	for range benchLine {
		h.mustDo(b, h.issue())
	}
	return h
}

func (h *benchHall) apply(p queue.Payload) {
	h.state.Apply(queue.Event{Seq: h.state.Seq + 1, At: h.now, Data: p})
}

// do is the engine's work for one command without the journal: decide, then
// apply what was decided.
func (h *benchHall) do(cmd queue.Command) (queue.Outcome, error) {
	h.now = h.now.Add(time.Second)
	out, err := queue.Decide(h.state, h.setup, cmd, h.now)
	if err != nil {
		return out, err
	}
	for _, p := range out.Events {
		h.apply(p)
	}
	return out, nil
}

func (h *benchHall) mustDo(b *testing.B, cmd queue.Command) queue.Outcome {
	out, err := h.do(cmd)
	if err != nil {
		b.Fatalf("%T: %v", cmd, err)
	}
	return out
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
	call := queue.CallNext{Window: "1", Actor: queue.Actor{Staff: "1001"}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		h.mustDo(b, h.issue())
		if i++; i%benchLine == 0 {
			b.StopTimer()
			for range benchLine {
				h.mustDo(b, call)
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
	call := queue.CallNext{Window: "1", Actor: queue.Actor{Staff: "1001"}}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if out := h.mustDo(b, call); out.Ticket == "" {
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
	call := queue.CallNext{Window: "1", Actor: queue.Actor{Staff: "1001"}}
	b.ReportAllocs()
	for b.Loop() {
		h.mustDo(b, h.issue())
		h.mustDo(b, call)
	}
}
