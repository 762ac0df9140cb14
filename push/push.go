// Package push delivers the outbox's signed pushes: the ratings to the
// provincial 好差评 platform and the hall file's webhooks. It wakes when a
// push is queued (and every few seconds, for retries), posts each due one
// to its hook's address, signed, and records the answer through the engine:
// a delivery is journaled as delivered with the receiver's status, a
// failure is tried again on the outbox's back-off and, after its attempts,
// given up and left for the manager to see. A crash between the post and
// its record posts it again after the restart under the same delivery id,
// which the receiver uses to drop the repeat.
//
// Signature (docs/API.md, "Signed pushes"): X-Hallfloor-Signature is
// "t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">" with the hook's
// secret, the scheme of the SMS gateway's webhook; X-Hallfloor-Timestamp
// repeats t, X-Hallfloor-Delivery is the delivery's id and
// X-Hallfloor-Event its class and event type.
package push

import (
	"bytes"
	"context"
	"crypto/hmac"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/notify"
	"hallfloor/outbox"
	"hallfloor/sms"
)

// Hall is what the dispatcher needs of the engine.
type Hall interface {
	Do(ctx context.Context, cmd hall.Command, key string, reply engine.ReplyFunc) engine.Result
	Read(ctx context.Context, fn func(s *hall.State, setup *hall.Setup)) error
}

// Target is where a hook's pushes go and the secret signing them.
type Target struct {
	URL    string
	Secret []byte
}

// Options configure a dispatcher.
type Options struct {
	Hall    Hall
	Targets map[string]Target // by hook name
	Client  *http.Client      // a 15 s timeout when nil
	Clock   func() time.Time
	Logger  *slog.Logger
	// Every is how often the outbox is looked at without a wake-up; 5 s.
	Every time.Duration
}

// Dispatcher delivers the outbox's pushes, one at a time.
type Dispatcher struct {
	o Options
	*notify.Waker
}

// New makes a dispatcher; subscribe its Observe to the engine and Run it.
func New(o Options) *Dispatcher {
	if o.Client == nil {
		o.Client = &http.Client{Timeout: 15 * time.Second}
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
	return &Dispatcher{o: o, Waker: notify.NewWaker((outbox.PushQueued{}).Type())}
}

// Run delivers what is due, now (catching up after a restart) and whenever
// woken or the period passes, until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	d.Waker.Run(ctx, d.o.Every, d.Flush)
}

// Flush attempts every push due now and returns how many were delivered.
func (d *Dispatcher) Flush(ctx context.Context) int {
	var due []outbox.Push
	if err := d.o.Hall.Read(ctx, func(s *hall.State, _ *hall.Setup) { due = s.Outbox.DuePushes(d.o.Clock()) }); err != nil {
		return 0
	}
	delivered := 0
	for _, p := range due {
		if ctx.Err() != nil {
			break
		}
		status, err := d.post(ctx, p)
		if err != nil {
			d.o.Logger.Warn("push not delivered; will try again", "id", p.ID, "hook", p.Hook, "attempt", p.Attempts+1, "err", err)
			d.record(ctx, outbox.MarkPushFailed{ID: p.ID, Status: status, Reason: err.Error()})
			continue
		}
		d.record(ctx, outbox.MarkPushDelivered{ID: p.ID, Status: status})
		delivered++
	}
	return delivered
}

// errNoTarget is a push whose hook the hall file no longer names: counted,
// then given up, so the manager sees it.
var errNoTarget = errors.New("push: the hall file names no such hook")

func (d *Dispatcher) post(ctx context.Context, p outbox.Push) (int, error) {
	tg, ok := d.o.Targets[p.Hook]
	if !ok || tg.URL == "" {
		return 0, errNoTarget
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, tg.URL, bytes.NewReader(p.Body))
	if err != nil {
		return 0, err
	}
	ts := d.o.Clock().Unix()
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("X-Hallfloor-Delivery", p.ID)
	req.Header.Set("X-Hallfloor-Event", p.Class+"/"+p.Event)
	req.Header.Set("X-Hallfloor-Timestamp", strconv.FormatInt(ts, 10))
	req.Header.Set("X-Hallfloor-Signature", sms.Sign(tg.Secret, ts, p.Body))
	req.Header.Set("Idempotency-Key", p.ID)
	res, err := d.o.Client.Do(req)
	if err != nil {
		return 0, err
	}
	defer res.Body.Close()
	answer, _ := io.ReadAll(io.LimitReader(res.Body, 200))
	if res.StatusCode/100 != 2 {
		return res.StatusCode, fmt.Errorf("%s: %s", res.Status, strings.TrimSpace(string(answer)))
	}
	return res.StatusCode, nil
}

func (d *Dispatcher) record(ctx context.Context, cmd hall.Command) {
	if res := d.o.Hall.Do(ctx, cmd, "", nil); res.Err != nil && ctx.Err() == nil {
		d.o.Logger.Error("the outbox did not take a push's result", "cmd", cmd, "err", res.Err)
	}
}

// Verify checks a push's signature header against its body, as a receiver
// does: the HMAC with the secret, and a timestamp within tolerance of now,
// so a recorded push replayed later is refused.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	var ts int64
	var sig string
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts, _ = strconv.ParseInt(v, 10, 64)
		case "v1":
			sig = v
		}
	}
	if ts == 0 || sig == "" {
		return errors.New("push: no signature")
	}
	if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
		return errors.New("push: signed too long ago")
	}
	if !hmac.Equal([]byte(header), []byte(sms.Sign(secret, ts, body))) {
		return errors.New("push: bad signature")
	}
	return nil
}
