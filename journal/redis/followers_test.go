package redis_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/journal/redis"
	"hallfloor/queue"
	"hallfloor/room"
)

// Two engines on one journal: the follower sees every event the leader
// commits and decides nothing; when the leader's lease lapses the follower
// takes it, reads the journal's end and writes on, answering a repeated
// request with the leader's first answer; the old leader, which believes
// it still leads, stores nothing more and steps down.
func TestFollowerTakesOverFromTheLeader(t *testing.T) {
	url := ownRedis(t)
	setup := config.Demo().Setup()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	clock := &testClock{now: time.Date(2025, 3, 10, 9, 0, 0, 0, loc)}
	const ttl = 300 * time.Millisecond
	type node struct {
		j     *redis.Journal
		e     *engine.Engine
		lease *redis.Lease
		seen  chan []room.Event
	}
	start := func(follower bool) *node {
		j := openOn(t, url)
		e, err := engine.Open(ctx, engine.Options{Setup: setup, Journal: j, Clock: clock.Now, Follower: follower})
		if err != nil {
			t.Fatal(err)
		}
		n := &node{j: j, e: e, lease: j.Lease("http://node", ttl), seen: make(chan []room.Event, 64)}
		e.Subscribe(func(_ *hall.State, evs []room.Event) { n.seen <- evs })
		rctx, cancel := context.WithCancel(ctx)
		go e.Run(rctx)
		t.Cleanup(func() { cancel(); e.Wait() })
		return n
	}
	reply := func(s *hall.State, _ *hall.Setup, out room.Outcome) any {
		return map[string]any{"number": s.Queue.Tickets[out.Ticket].Number}
	}
	a := start(false)
	if ok, err := a.lease.Acquire(ctx); !ok || err != nil {
		t.Fatalf("lease: %v %v", ok, err)
	}
	b := start(true)
	fctx, stopFollowing := context.WithCancel(ctx)
	following := make(chan error, 1)
	go func() {
		following <- b.j.Follow(fctx, 0, func(rs []journal.Record) error { return b.e.Follow(fctx, rs) })
	}()

	first := a.e.Do(ctx, queue.IssueTicket{Service: "A"}, "kiosk-1", reply)
	if first.Err != nil {
		t.Fatal(first.Err)
	}
	if evs := <-b.seen; evs[0].Seq != first.Events[0].Seq {
		t.Fatalf("follower saw seq %d first, want %d", evs[0].Seq, first.Events[0].Seq)
	}
	if res := b.e.Do(ctx, queue.IssueTicket{Service: "A"}, "", reply); !errs.Is(errs.Unavailable, res.Err) || errs.ReasonOf(res.Err) != "no_leader" {
		t.Fatalf("the follower decided: %v", res.Err)
	}

	// The leader stops renewing; the follower takes the lease when it lapses.
	for deadline := time.Now().Add(5 * time.Second); ; {
		ok, err := b.lease.Acquire(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the lease never lapsed")
		}
	}
	// The new leader keeps its lease as a node does, renewing it every
	// third of its time: a slow machine must not let it lapse mid-test.
	rctx, stopRenewing := context.WithCancel(ctx)
	defer stopRenewing()
	go func() {
		every := time.NewTicker(ttl / 3)
		defer every.Stop()
		for {
			select {
			case <-rctx.Done():
				return
			case <-every.C:
				b.lease.Renew(rctx)
			}
		}
	}()
	stopFollowing()
	if err := <-following; !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	steppedDown := make(chan struct{})
	a.e.OnStepDown(func() { close(steppedDown) })
	// The old leader's command, decided while it still believes it leads,
	// is refused and stores nothing.
	if res := a.e.Do(ctx, queue.IssueTicket{Service: "A"}, "", reply); !errs.Is(errs.Unavailable, res.Err) {
		t.Fatalf("the old leader's command: %v", res.Err)
	}
	<-steppedDown
	if a.e.Leading() {
		t.Fatal("the old leader still leads")
	}
	if err := b.e.Lead(ctx); err != nil {
		t.Fatal(err)
	}
	again := b.e.Do(ctx, queue.IssueTicket{Service: "A"}, "kiosk-1", reply)
	if again.Err != nil || !again.Repeat || string(again.Body) != string(first.Body) {
		t.Fatalf("the repeat after the failover: %+v, want %s again", again, first.Body)
	}
	next := b.e.Do(ctx, queue.IssueTicket{Service: "A"}, "kiosk-2", reply)
	if next.Err != nil || string(next.Body) != `{"number":"A002"}` {
		t.Fatalf("the new leader's ticket: %s %v", next.Body, next.Err)
	}
	if tail, _ := b.j.Tail(ctx, 1); tail[0].Seq != next.Events[len(next.Events)-1].Seq {
		t.Fatalf("journal ends at %d", tail[0].Seq)
	}
}
