// Package notify delivers the hall's outbox: it wakes when a message is
// queued (and every few seconds, for retries), opens each due message with
// the hall's sealer, hands it to the configured sms.Sender and records the
// outcome through the engine, so a sent message is journaled as sent and a
// failed one is tried again on the outbox's back-off. A crash between the
// send and its record sends the message again after the restart, under the
// same id, which a gateway uses to drop the repeat.
package notify

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/outbox"
	"hallfloor/sms"
)

// Hall is what the dispatcher needs of the engine.
type Hall interface {
	Do(ctx context.Context, cmd hall.Command, key string, reply engine.ReplyFunc) engine.Result
	Read(ctx context.Context, fn func(s *hall.State, setup *hall.Setup)) error
}

// Options configure a dispatcher.
type Options struct {
	Hall   Hall
	Sealer *sms.Sealer
	// Wording words each message when it is sent, from what the hall
	// decided; a message sealed whole by an older hallfloor needs none.
	Wording *sms.Wording
	Sender  sms.Sender // the log sender when nil
	Clock   func() time.Time
	Logger  *slog.Logger
	// Every is how often the outbox is looked at without a wake-up; 5 s.
	Every time.Duration
	// Timeout bounds one send; 15 s.
	Timeout time.Duration
}

// Dispatcher sends the outbox's messages, one at a time.
type Dispatcher struct {
	o Options
	*Waker
}

// New makes a dispatcher; subscribe its Observe to the engine and Run it.
func New(o Options) *Dispatcher {
	if o.Sender == nil {
		o.Sender = sms.LogSender{Log: o.Logger}
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Every <= 0 {
		o.Every = 5 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 15 * time.Second
	}
	return &Dispatcher{o: o, Waker: NewWaker((outbox.Queued{}).Type())}
}

// Run sends what is due, now (catching up after a restart) and whenever
// woken or the period passes, until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	d.Waker.Run(ctx, d.o.Every, d.Flush)
}

// Flush sends every message due now and returns how many were sent.
func (d *Dispatcher) Flush(ctx context.Context) int {
	var due []outbox.Message
	if err := d.o.Hall.Read(ctx, func(s *hall.State, _ *hall.Setup) { due = s.Outbox.Due(d.o.Clock()) }); err != nil {
		return 0
	}
	sent := 0
	for _, m := range due {
		if ctx.Err() != nil {
			break
		}
		if err := d.send(ctx, m); err != nil {
			d.o.Logger.Warn("sms not sent; will try again", "id", m.ID, "purpose", m.Purpose, "attempt", m.Attempts+1, "err", err)
			d.record(ctx, outbox.MarkFailed{ID: m.ID, Reason: err.Error()})
			continue
		}
		d.record(ctx, outbox.MarkSent{ID: m.ID})
		sent++
	}
	return sent
}

func (d *Dispatcher) send(ctx context.Context, m outbox.Message) error {
	env, text, err := d.o.Sealer.OpenEnvelope(m.ID, m.Sealed)
	if err != nil {
		return err // the hall's key changed; counted, then given up
	}
	msg := sms.Message{ID: m.ID, To: env.To, Text: text}
	if text == "" {
		if d.o.Wording == nil {
			return fmt.Errorf("notify: no wording for message %s", m.ID)
		}
		if msg, err = d.o.Wording.Word(m.ID, m.Purpose, m.Vars, env); err != nil {
			return err
		}
	}
	sctx, cancel := context.WithTimeout(ctx, d.o.Timeout)
	defer cancel()
	return d.o.Sender.Send(sctx, msg)
}

func (d *Dispatcher) record(ctx context.Context, cmd hall.Command) {
	if res := d.o.Hall.Do(ctx, cmd, "", nil); res.Err != nil && ctx.Err() == nil {
		d.o.Logger.Error("the outbox did not take a send result", "cmd", cmd, "err", res.Err)
	}
}
