package redis_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal/redis"
	"hallfloor/queue"
	"hallfloor/room"
)

// A hall issuing tickets from four kiosks on a journal through Sentinel
// with wait=1 loses its Redis primary: every number a kiosk printed is in
// the promoted replica's journal, and no number was printed twice. A kiosk
// whose press failed presses again with the same idempotency key, as the
// kiosk page does, so a press the journal stored without acknowledging it
// prints the number it was given rather than a second one.
func TestSentinelFailoverIssuesNoNumberTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("starts five redis-server processes and kills one")
	}
	r := issueThroughFailover(t, "wait=1&wait_ms=500", true)
	if r.lost > 0 || r.twice > 0 {
		t.Fatalf("with WAIT 1, %d of %d printed numbers lost, %d printed twice", r.lost, r.printed, r.twice)
	}
}

// Without WAIT the same failover loses the numbers the primary
// acknowledged alone, and the hall, reloaded from the promoted replica,
// prints them again for the next people.
func TestSentinelFailoverWithoutWaitIssuesNumbersTwice(t *testing.T) {
	if testing.Short() {
		t.Skip("starts five redis-server processes and kills one")
	}
	r := issueThroughFailover(t, "", false)
	if r.lost == 0 {
		t.Fatal("without WAIT, no printed number was lost: the scenario did not cut the replica off")
	}
}

type ticketsResult struct{ printed, lost, twice int }

// issueThroughFailover runs the hall through the primary's death and
// compares the numbers printed with the promoted replica's journal.
func issueThroughFailover(t *testing.T, query string, restart bool) ticketsResult {
	set := startRedisSet(t, 1)
	j, err := redis.Open(ctx, set.url(query), redis.Options{Hall: "sentinel-hall"})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// A Monday morning, open hours; each reading of the clock a millisecond
	// on, so the run does not depend on when the test runs.
	base := time.Date(2025, 3, 10, 9, 0, 0, 0, loc)
	var ticks atomic.Int64
	clock := func() time.Time { return base.Add(time.Duration(ticks.Add(1)) * time.Millisecond) }
	var ids atomic.Int64
	setup := config.Demo().Setup()
	e, err := engine.Open(ctx, engine.Options{Setup: setup, Journal: j, Clock: clock,
		NewID: func() string { return fmt.Sprintf("tk%06d", ids.Add(1)) }})
	if err != nil {
		t.Fatal(err)
	}
	rctx, stopEngine := context.WithCancel(ctx)
	go e.Run(rctx)
	defer func() { stopEngine(); e.Wait() }()

	reply := func(s *hall.State, _ *hall.Setup, out room.Outcome) any {
		return map[string]string{"number": s.Queue.Tickets[out.Ticket].Number}
	}
	var mu sync.Mutex
	printed := map[string]string{} // idempotency key → number
	var printedAt []time.Time
	failures := 0
	kctx, stopKiosks := context.WithCancel(ctx)
	var kiosks sync.WaitGroup
	services := []string{"A", "B", "C", "Q"}
	for k := range 4 {
		kiosks.Go(func() {
			for i := 0; kctx.Err() == nil; i++ {
				key := fmt.Sprintf("kiosk%d-%d", k, i)
				cmd := queue.IssueTicket{Service: services[(k+i)%len(services)]}
				for kctx.Err() == nil {
					res := e.Do(kctx, cmd, key, reply)
					if res.Err != nil {
						mu.Lock()
						failures++
						mu.Unlock()
						continue
					}
					var b struct{ Number string }
					if err := json.Unmarshal(res.Body, &b); err != nil || b.Number == "" {
						t.Errorf("press %s answered %s (%v)", key, res.Body, err)
						return
					}
					mu.Lock()
					printed[key] = b.Number
					printedAt = append(printedAt, time.Now())
					mu.Unlock()
					break
				}
			}
		})
	}
	stopped := false
	stop := func() {
		if !stopped {
			stopped = true
			stopKiosks()
			kiosks.Wait()
		}
	}
	defer stop()
	printedSince := func(t time.Time) int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, at := range printedAt {
			if at.After(t) {
				n++
			}
		}
		return n
	}

	waitFor(t, 20*time.Second, "200 tickets printed", func() (bool, string) {
		n := printedSince(time.Time{})
		return n >= 200, fmt.Sprintf("%d printed", n)
	})
	killed, promoted, primary := set.failOver(printedSince, restart)
	waitFor(t, 30*time.Second, "100 tickets printed after the failover", func() (bool, string) {
		n := printedSince(killed)
		return n >= 100, fmt.Sprintf("%d printed", n)
	})
	stop()

	// The promoted replica's journal, read from it directly, as the next
	// start of the hall would.
	nc := goredis.NewClient(&goredis.Options{Addr: primary})
	defer nc.Close()
	nj, err := redis.New(nc, redis.Options{Hall: "sentinel-hall"})
	if err != nil {
		t.Fatal(err)
	}
	st, err := engine.Load(ctx, noSnapshot{nj}, setup)
	if err != nil {
		t.Fatal(err)
	}
	held := map[string]int{} // number → tickets holding it
	for _, tk := range st.Queue.Tickets {
		held[tk.Number]++
	}
	for n, c := range held {
		if c > 1 {
			t.Errorf("number %s is held by %d tickets in one journal", n, c)
		}
	}
	// A number printed for two presses was given twice: once by the dead
	// primary, once again after the reload.
	r := ticketsResult{printed: len(printed)}
	byNumber := map[string]string{}
	for key, n := range printed {
		if _, ok := byNumber[n]; ok {
			r.twice++
		}
		byNumber[n] = key
	}
	// A press is lost when the journal holds no ticket of its number, or
	// when its number was printed for another press too: the journal's one
	// ticket of that number is at most one of theirs.
	for _, n := range printed {
		if held[n] == 0 {
			r.lost++
		}
	}
	r.lost += r.twice
	t.Logf("%s: %d tickets printed, %d in the journal, %d presses refused and pressed again; replica promoted %v after the primary's death; "+
		"%d printed numbers lost, %d printed twice", query, len(printed), len(st.Queue.Tickets), failures, promoted.Round(time.Millisecond), r.lost, r.twice)
	return r
}
