package engine

import (
	"context"
	"log/slog"
	"runtime"
	"sync"

	"hallfloor/hall"
	"hallfloor/journal"
)

// snapshotter keeps a second copy of the hall, fed the records the writer
// committed, and encodes and saves the snapshots from it. Encoding a big
// hall's state takes a tenth of a second or more; done in the writer, every
// command arriving meanwhile waited for it. Here the writer only hands over
// the records it has just made durable, which it has encoded anyway, and
// never waits: the queue between them has no bound.
//
// The copy is rebuilt from the records exactly as a restart rebuilds the
// hall from the journal (decoded, stamped in the hall's zone, applied), so
// a snapshot holds the state a replay of the same events reaches, and it
// shares nothing with the writer's state that Apply could change under it.
type snapshotter struct {
	state   *hall.State // owned by run
	setup   *hall.Setup
	journal journal.Journal
	log     *slog.Logger
	every   int
	enc     snapshotEncoder // owned by run
	applied int             // records applied, owned by run

	mu      sync.Mutex
	queue   [][]journal.Record // committed, not yet applied to state
	closed  bool
	settled chan struct{} // closed and replaced each time run goes idle
	idleAt  uint64        // the seq of the state when run last went idle
	wake    chan struct{}
	done    chan struct{}
}

func newSnapshotter(st *hall.State, setup *hall.Setup, j journal.Journal, log *slog.Logger, every int) *snapshotter {
	return &snapshotter{
		state: st, setup: setup, journal: j, log: log, every: every,
		enc:     snapshotEncoder{yield: runtime.Gosched},
		idleAt:  st.Seq,
		settled: make(chan struct{}),
		wake:    make(chan struct{}, 1),
		done:    make(chan struct{}),
	}
}

// feed queues a committed batch. Called by the writer; it never blocks.
func (s *snapshotter) feed(recs []journal.Record) {
	if len(recs) == 0 {
		return
	}
	s.mu.Lock()
	s.queue = append(s.queue, recs)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// close lets run save a last snapshot of everything fed and return; it
// waits for that.
func (s *snapshotter) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
	<-s.done
}

// run applies what is fed and saves a snapshot every s.every events, and a
// last one at close, so a clean stop restarts without replaying anything.
func (s *snapshotter) run() {
	defer close(s.done)
	saved, since := s.state.Seq, 0
	for range s.wake {
		for {
			s.mu.Lock()
			batches, closed := s.queue, s.closed
			s.queue = nil
			if len(batches) == 0 {
				s.idleAt = s.state.Seq
				close(s.settled)
				s.settled = make(chan struct{})
			}
			s.mu.Unlock()
			if len(batches) == 0 {
				if closed {
					if s.state.Seq != saved {
						s.save()
					}
					return
				}
				break
			}
			for _, recs := range batches {
				since += s.apply(recs)
			}
			if s.due(since) {
				if s.save() {
					saved, since = s.state.Seq, 0
				}
			}
		}
	}
}

// ticketsPerEvent is how many of the state's tickets one event since the
// last snapshot stands for, at most, before the next is due.
const ticketsPerEvent = 5

// due says whether a snapshot is due after since events. Every s.every
// events as a rule; but a snapshot's cost grows with the tickets the state
// holds and a restart's with the events after it, so when the day holds
// more than ticketsPerEvent tickets for each of those events, the
// snapshot waits for more of them. A big hall's day (15,000 tickets) is
// snapshotted every 5,000 events still; a flood of 100,000 numbers
// waiting, every 20,000, which a restart replays in well under a second.
func (s *snapshotter) due(since int) bool {
	return since >= s.every && since*ticketsPerEvent >= len(s.state.Queue.Tickets)
}

// apply brings the copy up to date with one committed batch. It steps
// aside for the writer now and then, as the encoder does: after a snapshot
// it may have thousands of batches to catch up on.
func (s *snapshotter) apply(recs []journal.Record) int {
	for _, r := range recs {
		if s.applied++; s.applied%ticketsPerStep == 0 {
			runtime.Gosched()
		}
		if r.Seq <= s.state.Seq {
			continue // already in the state the copy was restored to
		}
		if r.Seq != s.state.Seq+1 && !s.reload(r.Seq) {
			continue
		}
		ev, err := DecodeRecord(r)
		if err != nil {
			// The writer encoded it a moment ago; this is a bug.
			panic(err)
		}
		ev.At = ev.At.In(s.setup.Location())
		s.state.Apply(ev)
	}
	return len(recs)
}

// reload rebuilds the copy from the journal when the records fed skip
// some (the writer reloaded its state after a refused append, or a
// follower's writer caught up from the journal), so a snapshot never holds
// a state that misses events. It says whether the copy now lacks the
// record of seq, which is then to be applied.
func (s *snapshotter) reload(seq uint64) bool {
	st, err := load(context.Background(), s.journal, s.setup, s.log)
	if err != nil {
		s.log.Error("snapshot copy cannot be rebuilt; it waits for the next record", "err", err)
		return false
	}
	s.state = st
	return st.Seq < seq
}

// save encodes the copy and stores it; a failure costs a longer replay at
// the next start, nothing else.
func (s *snapshotter) save() bool {
	data, err := s.enc.encode(s.state)
	if err == nil {
		err = s.journal.SaveSnapshot(context.Background(), s.state.Seq, data)
	}
	if err != nil {
		s.log.Error("snapshot failed; replay will be longer", "err", err)
		return false
	}
	return true
}

// caughtUp waits until run has applied everything up to seq, which the
// writer has fed, and saved the snapshot that made due.
func (s *snapshotter) caughtUp(seq uint64) {
	for {
		s.mu.Lock()
		ch, at := s.settled, s.idleAt
		s.mu.Unlock()
		if at >= seq {
			return
		}
		select {
		case <-ch:
		case <-s.done:
			return
		}
	}
}
