package redis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/journal/redis"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// testClock is the engine's clock; the writer reads it while the test moves
// it.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// noSnapshot hides a journal's snapshots, so a load replays every event.
type noSnapshot struct{ journal.Journal }

func (noSnapshot) LoadSnapshots(context.Context) ([]journal.Snapshot, error) { return nil, nil }

func stateOf(t *testing.T, e *engine.Engine) string {
	t.Helper()
	var b []byte
	var merr error
	if err := e.Read(ctx, func(s *hall.State, _ *hall.Setup) { b, merr = json.Marshal(s) }); err != nil {
		t.Fatal(err)
	}
	if merr != nil {
		t.Fatal(merr)
	}
	return string(b)
}

// A hall run on Redis comes back exactly as it was: from its snapshot and
// the events after it, and from the events alone.
func TestEngineOnRedisRestoresItsState(t *testing.T) {
	rdb := client(t)
	hallID := newHall(t, rdb)
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	setup := config.Demo().Setup()
	clock := &testClock{now: time.Date(2025, 3, 10, 9, 0, 0, 0, loc)}
	var ids int
	newID := func() string { ids++; return fmt.Sprintf("tk%05d", ids) }

	start := func() (*engine.Engine, func()) {
		t.Helper()
		j := open(t, rdb, redis.Options{Hall: hallID})
		e, err := engine.Open(ctx, engine.Options{Setup: setup, Journal: j, Clock: clock.Now, NewID: newID})
		if err != nil {
			t.Fatal(err)
		}
		rctx, cancel := context.WithCancel(ctx)
		go e.Run(rctx)
		return e, func() { cancel(); e.Wait() }
	}
	reply := func(s *hall.State, _ *hall.Setup, out room.Outcome) any {
		return map[string]any{"seq": s.Seq, "ticket": out.Ticket}
	}

	r := rand.New(rand.NewPCG(20250310, 1))
	windows := []string{"1", "2", "3", "4", "5", "6", "7", "8"}
	services := []string{"A", "A", "B", "C", "Q", "Z"}
	// current is the ticket each clerk's screen shows, as the events tell it.
	current := map[string]string{}
	command := func() hall.Command {
		w := windows[r.IntN(len(windows))]
		actor := room.Actor{Staff: "100" + w, Role: room.Clerk}
		switch n := r.IntN(100); {
		case n < 35:
			c := queue.IssueTicket{Service: services[r.IntN(len(services))], Priority: r.IntN(10) == 0}
			if c.Priority {
				c.Actor = room.Actor{Staff: "2001", Role: room.Guide}
			}
			if r.IntN(3) == 0 {
				c.IDHash = fmt.Sprintf("id%02d", r.IntN(15))
			}
			return c
		case n < 42:
			return queue.OpenWindow{Window: w, Actor: actor}
		case n < 44:
			return queue.CloseWindow{Window: w, Actor: actor}
		case n < 70:
			return queue.CallNext{Window: w, Actor: actor, Current: current[w]}
		case n < 74:
			return queue.Recall{Window: w, Actor: actor}
		case n < 78:
			return queue.Skip{Window: w, Actor: actor}
		case n < 90:
			return queue.Finish{Window: w, Actor: actor}
		case n < 94:
			return queue.Pause{Window: w, Actor: actor, Reason: "午休"}
		case n < 98:
			return queue.Resume{Window: w, Actor: actor}
		}
		return rating.Rate{Channel: rating.ChannelEvaluator, Window: w, Level: 1 + r.IntN(5), Reason: "等候时间长"}
	}

	e, stop := start()
	done, repeats := 0, 0
	for round := range 3 {
		for range 150 {
			key := ""
			if r.IntN(4) == 0 {
				key = fmt.Sprintf("key-%d", r.IntN(40)) // some repeat an earlier request
			}
			res := e.Do(ctx, command(), key, reply)
			if res.Err == nil {
				done++
			}
			for _, ev := range res.Events {
				switch p := ev.Data.(type) {
				case queue.TicketCalled:
					current[p.Window] = p.Ticket.ID
				case queue.TicketFinished:
					current[p.Window] = ""
				case queue.TicketSkipped:
					current[p.Window] = ""
				}
			}
			if res.Repeat {
				repeats++
			}
			clock.Advance(time.Duration(r.IntN(30)) * time.Second)
		}
		want := stateOf(t, e)
		stop()
		// Load is how Open restores a hall; compared here rather than on a
		// running engine, which may at once record what time made due.
		j := open(t, rdb, redis.Options{Hall: hallID})
		for _, from := range []struct {
			name string
			j    journal.Journal
		}{{"its snapshot", j}, {"the first event", noSnapshot{j}}} {
			st, err := engine.Load(ctx, from.j, setup)
			if err != nil {
				t.Fatal(err)
			}
			b, err := json.Marshal(st)
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != want {
				t.Fatalf("round %d: restored from %s, the state differs: %s", round, from.name, diff(want, string(b)))
			}
		}
		if snaps, err := j.LoadSnapshots(ctx); err != nil || len(snaps) == 0 || snaps[0].Seq == 0 {
			t.Fatalf("round %d: no snapshot after stopping: %v, %v", round, snaps, err)
		}
		if round == 2 {
			// A damaged newest snapshot is passed over for the one before.
			snaps, err := j.LoadSnapshots(ctx)
			if err != nil || len(snaps) < 2 {
				t.Fatalf("snapshots after the rounds: %v, %v", snaps, err)
			}
			if err := j.SaveSnapshot(ctx, snaps[0].Seq, []byte("torn")); err != nil {
				t.Fatal(err)
			}
			st, err := engine.Load(ctx, j, setup)
			if err != nil {
				t.Fatalf("load past a damaged snapshot: %v", err)
			}
			if b, _ := json.Marshal(st); string(b) != want {
				t.Fatalf("restored past a damaged snapshot, the state differs: %s", diff(want, string(b)))
			}
		}
		e, stop = start()
	}
	stop()
	// The run did something worth restoring: most commands took, some
	// were repeats answered from the journal's replies.
	if done < 200 || repeats == 0 {
		t.Fatalf("only %d commands took and %d were repeats", done, repeats)
	}
}

// diff shows where two JSON texts part, for failure messages.
func diff(want, got string) string {
	i := 0
	for i < len(want) && i < len(got) && want[i] == got[i] {
		i++
	}
	from := max(0, i-200)
	return fmt.Sprintf("at byte %d:\nwant …%s…\ngot  …%s…", i, want[from:min(len(want), i+200)], got[from:min(len(got), i+200)])
}
