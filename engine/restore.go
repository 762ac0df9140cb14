package engine

import (
	"context"
	"encoding/json"
	"fmt"

	"hallfloor/journal"
	"hallfloor/queue"
)

// Load rebuilds a hall's state from a journal.
func Load(ctx context.Context, j journal.Journal, setup *queue.Setup) (*queue.State, error) {
	snaps, err := j.LoadSnapshots(ctx)
	if err != nil {
		return nil, err
	}
	st := queue.NewState(setup)
	var seq uint64
	if len(snaps) > 0 {
		seq = snaps[0].Seq
		st = &queue.State{}
		if err := json.Unmarshal(snaps[0].Data, st); err != nil {
			return nil, fmt.Errorf("engine: snapshot %d unreadable: %w", seq, err)
		}
		st.Adopt(setup)
	}
	err = j.Replay(ctx, seq, func(r journal.Record) error {
		ev, err := DecodeRecord(r)
		if err != nil {
			return err
		}
		// The journal keeps the instant, not the zone: stamp it as the
		// engine stamped it live, so a replayed state is the same to the byte.
		ev.At = ev.At.In(setup.Location)
		st.Apply(ev)
		return nil
	})
	return st, err
}

// DecodeRecord turns a journal record into an event.
func DecodeRecord(r journal.Record) (queue.Event, error) {
	p, err := queue.Decode(r.Type, r.Data)
	if err != nil {
		return queue.Event{}, fmt.Errorf("engine: event %d: %w", r.Seq, err)
	}
	return queue.Event{Seq: r.Seq, At: r.At, Data: p}, nil
}
