package engine_test

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/journal/sqlite"
	"hallfloor/room"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// fakeClock is the engine's clock in tests; the writer goroutine reads it
// while the test moves it.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock(t time.Time) *fakeClock { return &fakeClock{now: t} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// seqIDs hands out ticket ids in order, so a run is reproducible.
type seqIDs struct {
	mu sync.Mutex
	n  int
}

func (s *seqIDs) Next() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.n++
	return fmt.Sprintf("tk%05d", s.n)
}

func demoSetup() *hall.Setup { return config.Demo().Setup() }

// liveHall is a running engine on a SQLite journal.
type liveHall struct {
	t       *testing.T
	path    string
	setup   *hall.Setup
	clock   *fakeClock
	ids     *seqIDs
	journal journal.Journal
	e       *engine.Engine
	cancel  context.CancelFunc
	stopped bool
}

// startHall opens the journal at path and runs an engine on it.
func startHall(t *testing.T, path string, setup *hall.Setup, clock *fakeClock, ids *seqIDs, opts ...func(*engine.Options)) *liveHall {
	t.Helper()
	return startHallThen(t, path, setup, clock, ids, nil, opts...)
}

// startHallThen is startHall with a hook that runs before the writer starts,
// where subscribers register.
func startHallThen(t *testing.T, path string, setup *hall.Setup, clock *fakeClock, ids *seqIDs, before func(*engine.Engine), opts ...func(*engine.Options)) *liveHall {
	t.Helper()
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	o := engine.Options{Setup: setup, Journal: j, Clock: clock.Now, NewID: ids.Next}
	for _, opt := range opts {
		opt(&o)
	}
	e, err := engine.Open(context.Background(), o)
	if err != nil {
		j.Close()
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	h := &liveHall{t: t, path: path, setup: setup, clock: clock, ids: ids, journal: j, e: e, cancel: cancel}
	if before != nil {
		before(e)
	}
	go e.Run(ctx)
	t.Cleanup(h.stop)
	return h
}

func newHall(t *testing.T, opts ...func(*engine.Options)) *liveHall {
	t.Helper()
	path := filepath.Join(t.TempDir(), "hall.db")
	return startHall(t, path, demoSetup(), newClock(time.Date(2025, 3, 10, 9, 0, 0, 0, shanghai)), &seqIDs{}, opts...)
}

// stop shuts the engine down (it snapshots on the way) and closes the file.
func (h *liveHall) stop() {
	if h.stopped {
		return
	}
	h.stopped = true
	h.cancel()
	h.e.Wait()
	if err := h.journal.Close(); err != nil {
		h.t.Errorf("close journal: %v", err)
	}
}

// restart stops the engine and opens a new one on the same file.
func (h *liveHall) restart(opts ...func(*engine.Options)) *liveHall {
	h.t.Helper()
	h.stop()
	return startHall(h.t, h.path, h.setup, h.clock, h.ids, opts...)
}

// ticketReply answers with the ticket the command was about.
func ticketReply(s *hall.State, _ *hall.Setup, out room.Outcome) any {
	r := map[string]any{"seq": s.Seq, "ticket": out.Ticket}
	if t := s.Queue.Tickets[out.Ticket]; t != nil {
		r["number"] = t.Number
		r["status"] = t.Status
	}
	return r
}

func (h *liveHall) do(cmd hall.Command, key string) engine.Result {
	h.t.Helper()
	return h.e.Do(context.Background(), cmd, key, ticketReply)
}

func (h *liveHall) must(cmd hall.Command) engine.Result {
	h.t.Helper()
	res := h.do(cmd, "")
	if res.Err != nil {
		h.t.Fatalf("%T %+v: %v", cmd, cmd, res.Err)
	}
	return res
}

// state is the committed state as JSON, read inside the writer.
func (h *liveHall) state() string {
	h.t.Helper()
	return stateJSON(h.t, h.e)
}

func stateJSON(t testing.TB, e *engine.Engine) string {
	t.Helper()
	var b []byte
	var merr error
	err := e.Read(context.Background(), func(s *hall.State, _ *hall.Setup) {
		b, merr = json.Marshal(s)
	})
	if err != nil {
		t.Fatal(err)
	}
	if merr != nil {
		t.Fatal(merr)
	}
	return string(b)
}

// read runs fn on the committed state.
func (h *liveHall) read(fn func(s *hall.State)) {
	h.t.Helper()
	if err := h.e.Read(context.Background(), func(s *hall.State, _ *hall.Setup) { fn(s) }); err != nil {
		h.t.Fatal(err)
	}
}

// records returns every event in the journal at path, read through a
// journal of its own.
func records(t *testing.T, path string) []journal.Record {
	t.Helper()
	j, err := sqlite.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	var out []journal.Record
	if err := j.Replay(context.Background(), 0, func(r journal.Record) error {
		out = append(out, r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func countType(rs []journal.Record, typ string) int {
	n := 0
	for _, r := range rs {
		if r.Type == typ {
			n++
		}
	}
	return n
}

func clerk(id string) room.Actor { return room.Actor{Staff: id, Role: room.Clerk} }

// diff shows where two JSON texts part, for failure messages.
func diff(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-300)
	return fmt.Sprintf("at byte %d:\nwant …%s…\ngot  …%s…", i, want[from:min(len(want), i+200)], got[from:min(len(got), i+200)])
}
