package engine_test

import (
	"bytes"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/queue"
	"hallfloor/room"
)

func TestIdempotentRequests(t *testing.T) {
	h := newHall(t)
	issue := queue.IssueTicket{Service: "A"}

	first := h.do(issue, "kiosk-1/req-1")
	if first.Err != nil || first.Repeat {
		t.Fatalf("first request: %+v", first)
	}
	if len(first.Events) == 0 || len(first.Body) == 0 {
		t.Fatalf("first request: no events or no body: %+v", first)
	}
	before := h.state()

	again := h.do(issue, "kiosk-1/req-1")
	if again.Err != nil || !again.Repeat {
		t.Fatalf("repeat: %+v", again)
	}
	if !bytes.Equal(again.Body, first.Body) {
		t.Fatalf("repeat answered %s, first %s", again.Body, first.Body)
	}
	if len(again.Events) != 0 {
		t.Fatalf("repeat produced events %v", again.Events)
	}
	if got := h.state(); got != before {
		t.Fatalf("repeat changed the state %s", diff(before, got))
	}
	// The key, not the command, makes the repeat: same key, other command.
	if res := h.do(queue.IssueTicket{Service: "B"}, "kiosk-1/req-1"); !res.Repeat || !bytes.Equal(res.Body, first.Body) {
		t.Fatalf("same key, other command: %+v", res)
	}
	// Another key is another request.
	other := h.do(issue, "kiosk-1/req-2")
	if other.Repeat || bytes.Equal(other.Body, first.Body) {
		t.Fatalf("another key: %+v", other)
	}

	// A command without a reply is idempotent too.
	open := h.e.Do(context.Background(), queue.OpenWindow{Window: "1", Actor: clerk("1001")}, "counter-1/open", nil)
	if open.Err != nil {
		t.Fatalf("open window with a key and no reply: %v", open.Err)
	}
	if res := h.e.Do(context.Background(), queue.OpenWindow{Window: "1", Actor: clerk("1001")}, "counter-1/open", nil); res.Err != nil || !res.Repeat {
		t.Fatalf("repeated open: %+v", res)
	}

	// A refused command is not remembered: once the hall allows it, the
	// same key runs it.
	call := queue.CallNext{Window: "2", Actor: clerk("1002")}
	if res := h.do(call, "counter-2/call-1"); !errs.Is(errs.Conflict, res.Err) || errs.ReasonOf(res.Err) != "window_closed" {
		t.Fatalf("call at a closed window: %+v", res)
	}
	h.must(queue.OpenWindow{Window: "2", Actor: clerk("1002")})
	called := h.do(call, "counter-2/call-1")
	if called.Err != nil || called.Repeat || len(called.Events) == 0 {
		t.Fatalf("call after the window opened: %+v", called)
	}

	// Replies are journaled: a repeat after a restart still repeats.
	h.clock.Advance(time.Hour)
	h = h.restart()
	h.must(hall.Tick{}) // whatever the hour made due
	before = h.state()
	for _, key := range []string{"kiosk-1/req-1", "counter-2/call-1"} {
		res := h.do(issue, key)
		if res.Err != nil || !res.Repeat || len(res.Events) != 0 {
			t.Fatalf("%s after restart: %+v", key, res)
		}
	}
	if res := h.do(issue, "kiosk-1/req-1"); !bytes.Equal(res.Body, first.Body) {
		t.Fatalf("after restart the repeat answers %s, first %s", res.Body, first.Body)
	}
	if got := h.state(); got != before {
		t.Fatalf("repeats after restart changed the state %s", diff(before, got))
	}
	h.stop()

	rs := records(t, h.path)
	if n := countType(rs, "ticket.issued"); n != 2 {
		t.Fatalf("journal holds %d issued tickets, want 2 (req-1 and req-2)", n)
	}
	if n := countType(rs, "window.opened"); n != 2 {
		t.Fatalf("journal holds %d window openings, want 2", n)
	}
	if n := countType(rs, "ticket.called"); n != 1 {
		t.Fatalf("journal holds %d calls, want 1", n)
	}
}

// A request is repeated within a day; after that the key is forgotten,
// whether or not the hall restarted in between.
func TestIdempotencyKeyExpires(t *testing.T) {
	tests := []struct {
		name    string
		later   time.Duration
		restart bool
		repeat  bool
	}{
		{"an hour later", time.Hour, false, true},
		{"an hour later, after a restart", time.Hour, true, true},
		{"23 hours later", 23 * time.Hour, false, true},
		{"23 hours later, after a restart", 23 * time.Hour, true, true},
		{"25 hours later", 25 * time.Hour, false, false},
		{"25 hours later, after a restart", 25 * time.Hour, true, false},
		{"40 hours later", 40 * time.Hour, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHall(t)
			first := h.do(queue.IssueTicket{Service: "A"}, "k")
			// Something happens every hour, as in a hall that is open.
			for range int(tt.later / time.Hour) {
				h.clock.Advance(time.Hour)
				h.must(hall.Tick{})
			}
			if tt.restart {
				h = h.restart()
			}
			res := h.do(queue.IssueTicket{Service: "A"}, "k")
			if res.Err != nil {
				t.Fatal(res.Err)
			}
			if res.Repeat != tt.repeat {
				t.Fatalf("repeat %v, want %v", res.Repeat, tt.repeat)
			}
			if tt.repeat != bytes.Equal(res.Body, first.Body) {
				t.Fatalf("answered %s; first answer %s", res.Body, first.Body)
			}
		})
	}
}

// Two requests with one key in the same commit: the second repeats the first.
func TestIdempotentRequestsInOneBatch(t *testing.T) {
	h := newHall(t)
	const n = 32
	results := make([]engine.Result, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { results[i] = h.do(queue.IssueTicket{Service: "A"}, "same") })
	}
	wg.Wait()
	fresh := 0
	for _, r := range results {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		if !r.Repeat {
			fresh++
		}
		if !bytes.Equal(r.Body, results[0].Body) {
			t.Fatalf("answers differ: %s and %s", r.Body, results[0].Body)
		}
	}
	if fresh != 1 {
		t.Fatalf("%d requests ran, want 1", fresh)
	}
	h.read(func(s *hall.State) {
		if s.Queue.Services["A"].Issued != 1 {
			t.Fatalf("issued %d", s.Queue.Services["A"].Issued)
		}
	})
}

// Eight clerks call at once from a long line: every ticket is called once,
// by one window.
func TestConcurrentCalls(t *testing.T) {
	h := newHall(t)
	setup := h.setup
	for i, w := range demoWindows {
		h.must(queue.OpenWindow{Window: w, Actor: clerk("100" + string(rune('1'+i)))})
	}
	services := []string{"A", "B", "C", "Q", "Z"}
	const tickets = 2000
	var issue sync.WaitGroup
	var issueErr atomic.Value
	for g := range 8 {
		issue.Go(func() {
			for i := g; i < tickets; i += 8 {
				if res := h.do(queue.IssueTicket{Service: services[i%len(services)]}, ""); res.Err != nil {
					issueErr.Store(res.Err)
					return
				}
			}
		})
	}
	issue.Wait()
	if err, _ := issueErr.Load().(error); err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	calledBy := map[string]string{}
	var dups []string
	var wrong []string
	var calls sync.WaitGroup
	for i, w := range demoWindows {
		staff := "100" + string(rune('1'+i))
		calls.Go(func() {
			// The clerk's screen shows the ticket the last call called.
			current := ""
			for {
				res := h.e.Do(context.Background(), queue.CallNext{Window: w, Actor: clerk(staff), Current: current}, "", nil)
				if res.Err != nil {
					t.Error(res.Err)
					return
				}
				n := 0
				current = ""
				for _, ev := range res.Events {
					c, ok := ev.Data.(queue.TicketCalled)
					if !ok {
						continue
					}
					n++
					current = c.Ticket.ID
					mu.Lock()
					if prev, ok := calledBy[c.Ticket.ID]; ok {
						dups = append(dups, c.Ticket.Number+" by "+prev+" and "+c.Window)
					}
					calledBy[c.Ticket.ID] = c.Window
					if c.Window != w || !setup.Queue.Window(w).Serves(c.Ticket.Service) {
						wrong = append(wrong, c.Ticket.Number+" at "+c.Window)
					}
					mu.Unlock()
				}
				if n == 0 {
					return // nobody left for this window
				}
			}
		})
	}
	calls.Wait()
	if len(dups) > 0 {
		t.Fatalf("tickets called twice: %v", dups)
	}
	if len(wrong) > 0 {
		t.Fatalf("tickets called at a wrong window: %v", wrong)
	}
	if len(calledBy) != tickets {
		t.Fatalf("%d tickets called, want %d", len(calledBy), tickets)
	}
	perWindow := map[string]int{}
	for _, w := range calledBy {
		perWindow[w]++
	}
	h.read(func(s *hall.State) {
		for id, tk := range s.Queue.Tickets {
			if tk.Status != queue.Done {
				t.Errorf("ticket %s (%s) is %s", tk.Number, id, tk.Status)
			}
		}
		for _, w := range demoWindows {
			if s.Queue.Windows[w].Served != perWindow[w] {
				t.Errorf("window %s served %d, called %d", w, s.Queue.Windows[w].Served, perWindow[w])
			}
		}
	})
	h.stop()

	rs := records(t, h.path)
	ids := map[string]bool{}
	for i, r := range rs {
		if r.Seq != uint64(i+1) {
			t.Fatalf("journal record %d has seq %d", i, r.Seq)
		}
		if r.Type != "ticket.called" {
			continue
		}
		ev, err := engine.DecodeRecord(r)
		if err != nil {
			t.Fatal(err)
		}
		id := ev.Data.(queue.TicketCalled).Ticket.ID
		if ids[id] {
			t.Fatalf("journal calls %s twice", id)
		}
		ids[id] = true
	}
	if len(ids) != tickets {
		t.Fatalf("journal holds %d calls, want %d", len(ids), tickets)
	}
}

// A refused command leaves the hall and its journal as they were.
func TestRefusedCommandChangesNothing(t *testing.T) {
	h := newHall(t)
	h.must(queue.OpenWindow{Window: "1", Actor: clerk("1001")})
	h.must(queue.IssueTicket{Service: "A", IDHash: "x"})
	before := h.state()
	bad := []hall.Command{
		queue.IssueTicket{Service: "nope"},
		queue.IssueTicket{Service: "A", IDHash: "x"},
		queue.CallNext{Window: "1", Actor: clerk("1002")},
		queue.CallNext{Window: "1", Actor: clerk("1001"), Current: "tk99999"}, // a stale screen
		queue.CallNext{Window: "3", Actor: clerk("1003")},
		queue.Finish{Window: "1", Actor: clerk("1001")},
		queue.Pause{Window: "1", Actor: clerk("1001")},
		queue.CancelTicket{Ticket: "nope"},
		queue.Transfer{Window: "1", Actor: clerk("1001"), ToService: "B"},
	}
	for _, cmd := range bad {
		res := h.do(cmd, "bad-key")
		if res.Err == nil {
			t.Fatalf("%T %+v accepted", cmd, cmd)
		}
		if errs.KindOf(res.Err) == errs.Internal {
			t.Fatalf("%T: bad input answered as an internal error: %v", cmd, res.Err)
		}
		if len(res.Events) != 0 || res.Body != nil {
			t.Fatalf("%T refused with events or a body: %+v", cmd, res)
		}
	}
	if got := h.state(); got != before {
		t.Fatalf("refused commands changed the state %s", diff(before, got))
	}
	h.stop()
	if rs := records(t, h.path); len(rs) != 3 {
		t.Fatalf("journal holds %d events, want 3 (day, window, ticket)", len(rs))
	}
}

// Subscribers see every committed event once, in order.
func TestSubscribersSeeEveryEventInOrder(t *testing.T) {
	var mu sync.Mutex
	var seqs []uint64
	path := t.TempDir() + "/hall.db"
	clock := newClock(time.Date(2025, 3, 10, 9, 0, 0, 0, shanghai))
	h := startHallThen(t, path, demoSetup(), clock, &seqIDs{}, func(e *engine.Engine) {
		e.Subscribe(func(_ *hall.State, evs []room.Event) {
			mu.Lock()
			defer mu.Unlock()
			for _, ev := range evs {
				seqs = append(seqs, ev.Seq)
			}
		})
	})
	h.must(queue.OpenWindow{Window: "1", Actor: clerk("1001")})
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 20 {
				h.do(queue.IssueTicket{Service: "A"}, "")
			}
		})
	}
	wg.Wait()
	h.must(queue.CallNext{Window: "1", Actor: clerk("1001")})
	var last uint64
	h.read(func(s *hall.State) { last = s.Seq })
	mu.Lock()
	defer mu.Unlock()
	if len(seqs) == 0 || seqs[0] != 1 || seqs[len(seqs)-1] != last {
		t.Fatalf("subscriber saw %d events, ending at %v; hall at %d", len(seqs), seqs[len(seqs)-1:], last)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] != seqs[i-1]+1 {
			t.Fatalf("subscriber saw %d after %d", seqs[i], seqs[i-1])
		}
	}
}

// flaky is the real journal with a switch that makes appends fail: a full
// disk cannot be had on demand.
type flaky struct {
	journal.Journal
	fail atomic.Bool
}

func (f *flaky) Append(ctx context.Context, b journal.Batch) error {
	if f.fail.Load() {
		return errors.New("disk full")
	}
	return f.Journal.Append(ctx, b)
}

// When the journal cannot record a command, the command fails and the hall
// shows nothing of it; the next command carries on from the journal.
func TestJournalFailureChangesNothing(t *testing.T) {
	var f *flaky
	h := newHall(t, func(o *engine.Options) {
		f = &flaky{Journal: o.Journal}
		o.Journal = f
	})
	h.must(queue.OpenWindow{Window: "1", Actor: clerk("1001")})
	h.must(queue.IssueTicket{Service: "A"})
	before := h.state()

	f.fail.Store(true)
	res := h.do(queue.CallNext{Window: "1", Actor: clerk("1001")}, "call-1")
	if res.Err == nil || errs.KindOf(res.Err) != errs.Internal {
		t.Fatalf("call with a broken journal: %+v", res)
	}
	if got := h.state(); got != before {
		t.Fatalf("an unjournaled call shows in the state %s", diff(before, got))
	}
	f.fail.Store(false)

	// The key was not remembered, and the call goes through now.
	res = h.do(queue.CallNext{Window: "1", Actor: clerk("1001")}, "call-1")
	if res.Err != nil || res.Repeat || len(res.Events) != 1 || res.Events[0].Data.Type() != "ticket.called" {
		t.Fatalf("call after the journal recovered: %+v", res)
	}
	h.must(hall.Tick{})
	after := h.state()
	h = h.restart()
	if got := h.state(); got != after {
		t.Fatalf("restart after a failed append differs %s", diff(after, got))
	}
}

// After shutdown, commands are refused rather than lost.
func TestShutdownRefusesCommands(t *testing.T) {
	h := newHall(t)
	h.must(queue.IssueTicket{Service: "A"})
	h.cancel()
	h.e.Wait()
	if res := h.do(queue.IssueTicket{Service: "A"}, ""); res.Err == nil {
		t.Fatalf("command accepted after shutdown: %+v", res)
	}
	if err := h.e.Read(context.Background(), func(*hall.State, *hall.Setup) {}); err == nil {
		t.Fatal("read accepted after shutdown")
	}
}
