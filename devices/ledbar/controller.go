package ledbar

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/devices/ledbar/ledproto"
	"hallfloor/equipment"
	"hallfloor/errs"
)

// controller is one LED controller's driver. Only its own goroutine (Run)
// talks to the controller; Observe only leaves each bar's latest line under
// mu and wakes it.
type controller struct {
	cfg  config.LEDController
	enc  ledproto.Encoding
	opts Options
	log  *slog.Logger
	p    *devices.Peripheral
	all  *Bars
	wake chan struct{}

	order []*bar // its bars, in the hall file's order; fixed once New returns

	mu   sync.Mutex
	next int // where the search for a changed bar goes on, so no bar starves
}

// want leaves a bar's latest line; a line already wanted changes nothing.
func (c *controller) want(b *bar, text string, lines []string) {
	c.mu.Lock()
	changed := b.text != text
	b.text, b.lines = text, lines
	c.mu.Unlock()
	if changed {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
}

// Run keeps the controller showing the hall's lines until ctx ends.
func (c *controller) Run(ctx context.Context) {
	addr, stop, err := c.address()
	if err != nil {
		c.fault(equipment.ControllerUnreachable, err.Error())
		return
	}
	defer stop()
	if err := c.all.settle(ctx, c.opts.Hall); err != nil && ctx.Err() == nil {
		c.log.Error("LED bars: reading the hall", "err", err)
	}
	wait := c.opts.Backoff
	for ctx.Err() == nil {
		l, err := c.open(ctx, addr)
		if err != nil {
			if ctx.Err() == nil {
				c.fault(equipment.ControllerUnreachable, err.Error())
			}
		} else if c.session(ctx, l) {
			wait = c.opts.Backoff
		}
		if !sleep(ctx, wait) {
			return
		}
		wait = min(wait*2, c.opts.MaxBackoff)
	}
}

// session talks to the controller over one link until it fails or ctx
// ends, and reports whether the controller answered at all. The link is
// new, so nothing is known of what the bars show: every bar is sent its
// line again.
func (c *controller) session(ctx context.Context, l link) (answered bool) {
	defer l.Close()
	stop := context.AfterFunc(ctx, func() { l.Close() })
	defer stop()
	for _, b := range c.order {
		b.sent, b.refused = "", ""
	}
	r := bufio.NewReaderSize(l, ledproto.MaxLine)
	idle := time.NewTimer(0) // a new link is pinged first: a controller that answers is ok at once
	defer idle.Stop()
	for {
		b, text, req, ok := c.changed()
		if !ok {
			select {
			case <-ctx.Done():
				return answered
			case <-c.wake:
				continue
			case <-idle.C:
				req = ledproto.Request{Verb: ledproto.Ping}
			}
		}
		line, err := req.Encode(c.enc)
		if err != nil {
			// The text cannot be sent at all: the bar's problem, not the link's.
			c.took(b, text, ledproto.Answer{Reason: "unsendable", Detail: errs.ReasonOf(err)})
			continue
		}
		a, err := c.exchange(l, r, req, line)
		if err != nil {
			if ctx.Err() == nil {
				c.lost(err)
			}
			return answered
		}
		answered = true
		c.answers()
		if b != nil && a.Reason == ledproto.ErrBusy {
			// Busy is not a refusal: the line goes again after a while.
			if !sleep(ctx, c.opts.Backoff) {
				return answered
			}
		} else if b != nil {
			c.took(b, text, a)
		}
		idle.Reset(c.opts.Idle)
	}
}

// changed finds a bar whose line the controller does not have yet, going
// on from the last bar sent so that a window calling again and again does
// not keep the others waiting.
func (c *controller) changed() (*bar, string, ledproto.Request, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i := range c.order {
		b := c.order[(c.next+i)%len(c.order)]
		if b.text != "" && b.text != b.sent && b.text != b.refused {
			c.next = (c.next + i + 1) % len(c.order)
			return b, b.text, ledproto.Request{Verb: ledproto.Show, Bar: b.addr, Lines: slices.Clone(b.lines)}, true
		}
	}
	return nil, "", ledproto.Request{}, false
}

// linkError is why a request got no answer, as the hall words it.
type linkError struct {
	reason, detail string
}

func (e *linkError) Error() string { return e.reason + ": " + e.detail }

// exchange sends one request and reads its answer, within the timeout.
func (c *controller) exchange(l link, r *bufio.Reader, req ledproto.Request, b []byte) (ledproto.Answer, error) {
	if err := l.SetDeadline(time.Now().Add(c.opts.Timeout)); err != nil {
		return ledproto.Answer{}, &linkError{equipment.ControllerUnreachable, err.Error()}
	}
	what := req.Verb
	if req.Verb == ledproto.Show {
		what = fmt.Sprintf("%s %d", req.Verb, req.Bar)
	}
	if _, err := l.Write(b); err != nil {
		return ledproto.Answer{}, c.linkErr(err, what)
	}
	line, err := r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		return ledproto.Answer{}, &linkError{equipment.ControllerGarbled, fmt.Sprintf("%s: no line end in %d bytes", what, len(line))}
	}
	if err != nil {
		return ledproto.Answer{}, c.linkErr(err, what)
	}
	a, err := ledproto.ParseAnswer(line)
	if err != nil {
		return ledproto.Answer{}, &linkError{equipment.ControllerGarbled, strings.TrimSpace(string(line))}
	}
	return a, nil
}

// linkErr tells a controller that said nothing in time from a link that
// broke.
func (c *controller) linkErr(err error, what string) error {
	if errors.Is(err, os.ErrDeadlineExceeded) {
		return &linkError{equipment.ControllerSilent, c.opts.Timeout.String() + ", " + what}
	}
	return &linkError{equipment.ControllerUnreachable, what + ": " + err.Error()}
}

// lost reports the link's failure; the next link sends every line again.
func (c *controller) lost(err error) {
	var le *linkError
	if !errors.As(err, &le) {
		le = &linkError{equipment.ControllerUnreachable, err.Error()}
	}
	c.fault(le.reason, le.detail)
}

func (c *controller) fault(reason, detail string) {
	c.p.SetState("online", false)
	c.p.Report(equipment.Fault, equipment.Finding{Reason: reason, Detail: detail})
}

// answers marks the controller ok; only a change reaches the journal.
func (c *controller) answers() {
	c.p.SetState("online", true)
	c.p.Report(equipment.OK, equipment.Finding{Reason: equipment.ControllerAnswers})
}

// took books a bar's answer to its text: shown, or refused. A refused
// line is not sent again until it changes or the link is made again, so a
// bar the controller does not have does not hold up the others.
func (c *controller) took(b *bar, text string, a ledproto.Answer) {
	if !a.OK {
		b.refused = text
		detail := strings.TrimSpace(a.Reason + " " + a.Detail)
		b.p.Report(equipment.Fault, equipment.Finding{Reason: equipment.LEDRefused, Detail: detail})
		return
	}
	b.sent = text
	b.p.Did("shown", text)
	b.p.Report(equipment.OK, equipment.Finding{Reason: equipment.LEDShown})
}

// sleep waits d or until ctx ends, and reports whether ctx is alive.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}
