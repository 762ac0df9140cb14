package notify

import (
	"context"
	"time"

	"hallfloor/hall"
	"hallfloor/room"
)

// Waker is the loop an outbox's deliverer runs beside the writer: deliver
// what is due now (catching up after a restart), then again whenever an
// event of its type is committed or the period passes. The SMS and the
// signed pushes share it.
type Waker struct {
	typ  string
	wake chan struct{}
}

// NewWaker wakes on committed events of type typ.
func NewWaker(typ string) *Waker { return &Waker{typ: typ, wake: make(chan struct{}, 1)} }

// Observe is an engine subscriber; it never blocks the engine's writer.
func (w *Waker) Observe(_ *hall.State, evs []room.Event) {
	for _, ev := range evs {
		if ev.Data.Type() == w.typ {
			select {
			case w.wake <- struct{}{}:
			default:
			}
			return
		}
	}
}

// Run calls flush now, when woken and every period, until ctx ends.
func (w *Waker) Run(ctx context.Context, every time.Duration, flush func(context.Context) int) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		flush(ctx)
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		case <-t.C:
		}
	}
}
