package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// The follower-latency mode measures what a screen on a follower costs a
// call against a screen on the leader: two nodes on one Redis journal,
// Screens WebSocket clients on each, and one window calling the numbers
// of a line one after the other at the leader. For each call and each
// screen it takes the time from the call's request leaving the counter to
// the call's frame arriving at the screen; the leader's screens get the
// frame when the leader has committed the event, the follower's when its
// tail of the journal (XREAD BLOCK) has brought it and it has applied it.

// followerLatencyResult is one run's figures.
type followerLatencyResult struct {
	Calls, Screens   int
	Every            time.Duration
	Leader, Follower []time.Duration
	Missed           int // frames a screen never got
}

// followerLatencyTarget is the issue's: a follower's screens p99 within
// 20 ms of the leader's.
const followerLatencyTarget = 20 * time.Millisecond

func runFollowerLatency(ctx context.Context, c *cluster, calls, screens int, every time.Duration) (followerLatencyResult, error) {
	r := followerLatencyResult{Calls: calls, Screens: screens, Every: every}
	lead, err := c.waitLeader(ctx, 20*time.Second)
	if err != nil {
		return r, err
	}
	leader, follower := c.nodes[lead].base, c.nodes[1-lead].base
	a := newAPI(leader, 4)
	defer a.close()
	if err := a.login(ctx, "1001", "demo"); err != nil {
		return r, err
	}
	if err := a.openWindow(ctx, "1", "1001"); err != nil {
		return r, err
	}
	// One service, one window: the calls take the line in its order, so
	// the i-th call is of the i-th number issued.
	numbers := make([]string, calls)
	for i := range numbers {
		var out struct {
			Number string `json:"number"`
		}
		if err := a.post(ctx, "/api/v1/tickets", map[string]string{"service": "A"}, 201, &out, "Idempotency-Key", fmt.Sprintf("latency-%d", i)); err != nil {
			return r, err
		}
		numbers[i] = out.Number
	}
	var mu sync.Mutex
	sent := map[string]time.Time{}
	var wg sync.WaitGroup
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	for _, base := range []string{leader, follower} {
		into := &r.Leader
		if base == follower {
			into = &r.Follower
		}
		for i := range screens {
			// Spread over loopback addresses, as a hall's screens come
			// from many boxes: a node limits connections per address.
			d := websocket.Dialer{HandshakeTimeout: 10 * time.Second,
				NetDialContext: (&net.Dialer{LocalAddr: loopback(i % 16)}).DialContext}
			conn, resp, err := d.DialContext(ctx, "ws"+strings.TrimPrefix(base, "http")+"/ws", nil)
			if err != nil {
				if resp != nil {
					err = fmt.Errorf("%w (HTTP %d)", err, resp.StatusCode)
				}
				return r, fmt.Errorf("screen %d on %s: %w", i, base, err)
			}
			defer conn.Close()
			wg.Go(func() {
				seen := 0
				for seen < calls && sctx.Err() == nil {
					conn.SetReadDeadline(time.Now().Add(10 * time.Second))
					_, b, err := conn.ReadMessage()
					at := time.Now()
					if err != nil {
						break
					}
					var m struct {
						Type string `json:"type"`
						Data struct {
							Ticket struct {
								Number string `json:"number"`
							} `json:"ticket"`
						} `json:"data"`
					}
					if json.Unmarshal(b, &m) != nil || m.Type != "ticket.called" {
						continue
					}
					mu.Lock()
					if t0, ok := sent[m.Data.Ticket.Number]; ok {
						*into = append(*into, at.Sub(t0))
						seen++
					}
					mu.Unlock()
				}
				mu.Lock()
				r.Missed += calls - seen
				mu.Unlock()
			})
		}
	}
	current := ""
	tick := time.NewTicker(every)
	defer tick.Stop()
	for _, n := range numbers {
		mu.Lock()
		sent[n] = time.Now()
		mu.Unlock()
		id, err := a.call(ctx, "1", current)
		if err != nil {
			return r, err
		}
		current = id
		select {
		case <-ctx.Done():
			return r, ctx.Err()
		case <-tick.C:
		}
	}
	wg.Wait()
	return r, nil
}

func p99(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, max(0, (len(s)*99+99)/100-1))]
}

func (r followerLatencyResult) print(out io.Writer) {
	fmt.Fprintf(out, "follower latency: %d calls at the leader, one every %v; %d screens on each node\n", r.Calls, r.Every, r.Screens)
	fmt.Fprintf(out, "  call sent → frame at a screen on the leader    %s  (%d frames)\n", quantiles(r.Leader), len(r.Leader))
	fmt.Fprintf(out, "  call sent → frame at a screen on the follower  %s  (%d frames)\n", quantiles(r.Follower), len(r.Follower))
	fmt.Fprintf(out, "  follower p99 − leader p99: %v   target ≤ %v; frames missed: %d\n",
		round(p99(r.Follower)-p99(r.Leader)), followerLatencyTarget, r.Missed)
}

// complete says whether every screen saw every call.
func (r followerLatencyResult) complete() error {
	if r.Missed > 0 {
		return fmt.Errorf("%d call frames never reached their screens", r.Missed)
	}
	return nil
}

func (r followerLatencyResult) check() error {
	if err := r.complete(); err != nil {
		return err
	}
	if d := p99(r.Follower) - p99(r.Leader); d > followerLatencyTarget {
		return fmt.Errorf("the follower's screens' p99 is %v past the leader's, more than %v", round(d), followerLatencyTarget)
	}
	return nil
}
