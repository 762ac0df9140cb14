package app

import (
	"context"
	"net/netip"
	"net/url"
	"slices"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal"
	redisjournal "hallfloor/journal/redis"
)

// A hall of several nodes (server.ha in the hall file, a Redis journal):
// each node starts as a follower, tailing the journal into its engine and
// its screens, and tries for the writing lease; the one that takes it
// reads the journal to its end and writes, renewing the lease every third
// of its time. A leader whose renewal fails, or whose append the lease
// refuses, stops writing at once, tells its screens to reconnect (they
// resume where they were, here or at another node) and follows again. On
// a clean stop the leader gives the lease back after its last commit, so
// a follower takes over without waiting for it to lapse.

// haNode runs one node's part.
type haNode struct {
	a     *App
	j     *redisjournal.Journal
	lease *redisjournal.Lease
	ttl   time.Duration
	lost  chan struct{} // the engine's journal refused it as no leader
}

func newHANode(a *App, j *redisjournal.Journal, c config.HA) *haNode {
	n := &haNode{a: a, j: j, lease: j.Lease(c.Advertise, c.Lease()), ttl: c.Lease(), lost: make(chan struct{}, 1)}
	a.Engine.OnStepDown(func() {
		select {
		case n.lost <- struct{}{}:
		default:
		}
	})
	return n
}

// pollEvery is how often a follower tries for the lease: a tenth of its
// time, so a follower takes a lapsed lease within that.
func (n *haNode) pollEvery() time.Duration { return max(n.ttl/10, 20*time.Millisecond) }

func (n *haNode) run(ctx context.Context) {
	for ctx.Err() == nil {
		if !n.follow(ctx) {
			break
		}
		n.lead(ctx)
	}
	// The engine stops with the same ctx; its last commit is made when it
	// has, and only then may another node write.
	n.a.Engine.Wait()
	n.release()
}

func (n *haNode) release() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := n.lease.Release(ctx); err != nil {
		n.a.log.Warn("the lease is left to lapse", "err", err)
	}
}

// follow tails the journal into the engine until the node takes the
// lease (true) or ctx ends (false).
func (n *haNode) follow(ctx context.Context) bool {
	// The tail stops on its own within a read of the stream: the engine
	// passes over what it already holds, and refuses to follow once it
	// leads, so the lease's time is not spent waiting for it.
	fctx, stop := context.WithCancel(ctx)
	go n.tail(fctx)
	defer stop()
	t := time.NewTicker(n.pollEvery())
	defer t.Stop()
	for {
		ok, err := n.lease.Acquire(ctx)
		if err != nil && ctx.Err() == nil {
			n.a.log.Warn("cannot try for the lease", "err", err)
		}
		if ok {
			n.a.log.Info("took the hall's writing lease", "node", n.a.Hall.Server.HA.Advertise)
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
		}
	}
}

// tail applies the journal's new records to the engine as they come,
// starting again from the engine's seq when Redis fails under it.
func (n *haNode) tail(ctx context.Context) {
	for ctx.Err() == nil {
		var seq uint64
		if err := n.a.Engine.Read(ctx, func(s *hall.State, _ *hall.Setup) { seq = s.Seq }); err != nil {
			return
		}
		err := n.j.Follow(ctx, seq, func(recs []journal.Record) error { return n.a.Engine.Follow(ctx, recs) })
		if ctx.Err() != nil {
			return
		}
		n.a.log.Warn("following the journal failed; following again", "err", err)
		select {
		case <-ctx.Done():
		case <-time.After(n.pollEvery()):
		}
	}
}

// lead has the engine read the journal to its end and write, renewing the
// lease from the moment it was taken (catching up may take longer than the
// lease), until it is lost or ctx ends.
func (n *haNode) lead(ctx context.Context) {
	t := time.NewTicker(n.ttl / 3)
	defer t.Stop()
	held := time.Now() // the lease lasts ttl from the moment it was set
	lctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ready := make(chan error, 1)
	go func() { ready <- n.a.Engine.Lead(lctx) }()
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-ready:
			if err != nil {
				if ctx.Err() == nil {
					n.a.log.Error("took the lease but cannot read the journal to its end; giving it back", "err", err)
				}
				n.release()
				return
			}
			n.a.log.Info("writing the hall", "after_taking_the_lease", time.Since(held).Round(time.Millisecond))
			continue
		case <-n.lost:
			n.stepDown("the journal refused an append: another node holds the lease")
			return
		case <-t.C:
		}
		sent := time.Now()
		rctx, cancel := context.WithTimeout(ctx, n.ttl/3)
		ok, err := n.lease.Renew(rctx)
		cancel()
		switch {
		case ok:
			held = sent
		case err == nil:
			n.stepDown("another node holds the lease, or none")
			return
		case time.Since(held) >= n.ttl-n.ttl/3:
			// Unconfirmed for most of its time: the lease may lapse before
			// the next try, and another node take it.
			n.stepDown("the lease could not be renewed: " + err.Error())
			return
		}
	}
}

func (n *haNode) stepDown(why string) {
	n.a.Engine.StepDown() // also when Lead is still under way: it then does not lead
	n.a.log.Warn("this node stopped writing the hall", "why", why)
	// The screens reconnect and resume with ?since, here as a follower's
	// or at another node.
	n.a.Server.Hub().DisconnectAll()
}

// leadingOnly lets the outbox's senders read the hall only while this
// node writes it, so an SMS or a push leaves from one node, not from each.
type leadingOnly struct{ *engine.Engine }

func (l leadingOnly) Read(ctx context.Context, fn func(s *hall.State, setup *hall.Setup)) error {
	if !l.Leading() {
		return engine.NoLeader()
	}
	return l.Engine.Read(ctx, fn)
}

// haServer is the hall file as the server takes it on several nodes: the
// nodes' pages may open each other's WebSocket, and a node's address is a
// proxy whose X-Forwarded-For is believed, so that a forwarded request is
// limited and its Idempotency-Key scoped by its caller's address, as it
// would be at the leader itself.
func haServer(h *config.Hall) *config.Hall {
	c := h.Server.HA
	if !c.On() {
		return h
	}
	out := *h
	out.Server.AllowedOrigins = slices.Clone(h.Server.AllowedOrigins)
	out.Server.TrustedProxies = slices.Clone(h.Server.TrustedProxies)
	for _, node := range append([]string{c.Advertise}, c.Nodes...) {
		u, err := url.Parse(node)
		if err != nil {
			continue
		}
		origin := u.Scheme + "://" + u.Host
		if !slices.Contains(out.Server.AllowedOrigins, origin) {
			out.Server.AllowedOrigins = append(out.Server.AllowedOrigins, origin)
		}
		if ip, err := netip.ParseAddr(u.Hostname()); err == nil && !slices.Contains(out.Server.TrustedProxies, ip.String()) {
			out.Server.TrustedProxies = append(out.Server.TrustedProxies, ip.String())
		}
	}
	return &out
}
