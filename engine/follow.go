package engine

import (
	"context"
	"errors"
	"fmt"

	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/room"
)

// When several nodes run one hall, one of them writes it (it holds the
// writing lease) and the others follow: their engines decide nothing, and
// take the events the writer journaled, in order, applying them to their
// state and handing them to their subscribers (the node's own screens and
// devices) exactly as the writer did after its commit. A follower that
// takes the lease over reads the journal to its end first, and the
// idempotent answers with it, so a command repeated after a failover gets
// the first answer, not a second ticket.

// NoLeader is the refusal of a command on an engine that does not write
// the hall: no node can take it here, now.
func NoLeader() error { return errs.R(errs.Unavailable, "no_leader") }

// Leading says whether this engine writes the hall. Safe from any
// goroutine.
func (e *Engine) Leading() bool { return e.leading.Load() }

// OnStepDown registers fn to be told, on a goroutine of its own, that the
// engine stopped writing because the journal refused it as no longer the
// leader. Call before Run.
func (e *Engine) OnStepDown(fn func()) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.stepDown = fn
}

// StepDown stops the engine writing, at once: from now on it refuses
// every command with NoLeader. The node's lease was lost.
func (e *Engine) StepDown() {
	e.leadMu.Lock()
	defer e.leadMu.Unlock()
	e.deposed++
	if e.leading.Swap(false) {
		e.log.Warn("this node no longer writes the hall; it follows the journal")
	}
}

// Follow applies records another node journaled, in order, as a follower.
// Records the state already holds are passed over; one that does not
// follow the state (the tail skipped something) brings the state up to the
// journal's end instead.
func (e *Engine) Follow(ctx context.Context, recs []journal.Record) error {
	if e.Leading() {
		return errors.New("engine: the hall's writer follows no one")
	}
	return e.inWriter(ctx, func() error { return e.follow(ctx, recs) })
}

// Lead makes the engine the hall's writer: it reads the journal to its end
// (what the last writer stored after the follower's last record) and the
// idempotent answers, then decides commands again. The node holds the
// lease, whose fence refuses any append of the old writer from now on.
//
// A StepDown while Lead is under way (the lease was lost meanwhile) wins:
// Lead then returns an error and the engine does not lead.
func (e *Engine) Lead(ctx context.Context) error {
	e.leadMu.Lock()
	deposed := e.deposed
	e.leadMu.Unlock()
	return e.inWriter(ctx, func() error {
		if err := e.catchUp(ctx); err != nil {
			return err
		}
		if err := e.loadReplies(ctx); err != nil {
			return err
		}
		e.leadMu.Lock()
		if e.deposed != deposed {
			e.leadMu.Unlock()
			return errors.New("engine: the lease was lost before the hall was caught up")
		}
		e.leading.Store(true)
		e.leadMu.Unlock()
		e.lost = false
		e.log.Info("this node writes the hall", "seq", e.state.Seq)
		e.rollover()
		return nil
	})
}

// inWriter runs fn inside the writer (or here, before Run) and returns its
// error.
func (e *Engine) inWriter(ctx context.Context, fn func() error) error {
	var ferr error
	if err := e.Read(ctx, func(*hall.State, *hall.Setup) { ferr = fn() }); err != nil {
		return err
	}
	return ferr
}

// follow applies recs. In the writer.
func (e *Engine) follow(ctx context.Context, recs []journal.Record) error {
	if e.Leading() {
		// A tail still under way when the engine took over: what it
		// brings, the engine has.
		return errors.New("engine: the hall's writer follows no one")
	}
	var applied []journal.Record
	var evs []room.Event
	for _, r := range recs {
		if r.Seq <= e.state.Seq {
			continue
		}
		if r.Seq != e.state.Seq+1 {
			e.publishFollowed(applied, evs)
			return e.catchUp(ctx)
		}
		ev, err := DecodeRecord(r)
		if err != nil {
			return err
		}
		ev.At = ev.At.In(e.setup.Location())
		e.state.Apply(ev)
		applied = append(applied, r)
		evs = append(evs, ev)
	}
	e.publishFollowed(applied, evs)
	return nil
}

// catchUp applies what the journal holds after the state. In the writer.
func (e *Engine) catchUp(ctx context.Context) error {
	var recs []journal.Record
	err := e.journal.Replay(ctx, e.state.Seq, func(r journal.Record) error {
		recs = append(recs, r)
		return nil
	})
	if err != nil {
		return fmt.Errorf("engine: read the journal to its end: %w", err)
	}
	for len(recs) > 0 {
		n := min(len(recs), maxBatch)
		if err := e.follow(ctx, recs[:n]); err != nil {
			return err
		}
		recs = recs[n:]
	}
	return nil
}

// publishFollowed hands followed events on as the writer hands on its
// commits.
func (e *Engine) publishFollowed(recs []journal.Record, evs []room.Event) {
	if len(evs) == 0 {
		return
	}
	e.snaps.feed(recs)
	for _, fn := range e.subscribers {
		fn(e.state, evs)
	}
}

// notLeader answers a refused append of an engine that lost the lease.
func (e *Engine) notLeader() {
	e.StepDown()
	e.mu.Lock()
	fn := e.stepDown
	e.mu.Unlock()
	if fn != nil {
		go fn()
	}
}
