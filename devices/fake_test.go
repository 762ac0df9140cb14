package devices

import (
	"context"
	"errors"
	"sync"
	"time"

	"hallfloor/config"
)

// fakeTransport is a transport the test works by hand: its inputs change
// when the test says so, already settled, and its outputs record what they
// were set to and can be made to hang until the test lets them go. It is
// the one test double here: the hardware cannot exist in a test.
type fakeTransport struct {
	mu      sync.Mutex
	ins     map[string]*fakeInput
	outs    map[string]*fakeOutput
	missing map[string]bool // pins it cannot give
	pulser  bool            // outputs time their own pulses
	closed  bool
}

func newFakeTransport() *fakeTransport {
	return &fakeTransport{ins: map[string]*fakeInput{}, outs: map[string]*fakeOutput{}, missing: map[string]bool{}}
}

func (f *fakeTransport) input(name string) *fakeInput {
	f.mu.Lock()
	defer f.mu.Unlock()
	in := f.ins[name]
	if in == nil {
		in = &fakeInput{name: name, ready: make(chan struct{})}
		f.ins[name] = in
	}
	return in
}

func (f *fakeTransport) output(name string) *fakeOutput {
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.outs[name]
	if o == nil {
		o = &fakeOutput{name: name, calls: make(chan fakeCall, 1000)}
		f.outs[name] = o
	}
	return o
}

func (f *fakeTransport) Input(ref config.PinRef) (Input, error) {
	if f.missing[ref.Pin.Name] {
		return nil, errors.New("not wired")
	}
	return f.input(ref.Pin.Name), nil
}

func (f *fakeTransport) Output(ref config.PinRef) (Output, error) {
	if f.missing[ref.Pin.Name] {
		return nil, errors.New("not wired")
	}
	o := f.output(ref.Pin.Name)
	if f.pulser {
		return fakePulser{o}, nil
	}
	return o, nil
}

func (f *fakeTransport) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.closed = true
	return nil
}

type fakeInput struct {
	name   string
	mu     sync.Mutex
	active bool
	to     InputEvents
	ready  chan struct{} // closed once the devices watch it
}

func (i *fakeInput) Active() bool {
	i.mu.Lock()
	defer i.mu.Unlock()
	return i.active
}

func (i *fakeInput) Watch(ctx context.Context, to InputEvents) {
	i.mu.Lock()
	i.to = to
	i.mu.Unlock()
	close(i.ready)
	<-ctx.Done()
}

// set is a settled change, told as a transport tells it; the devices have
// taken it when set returns.
func (i *fakeInput) set(active bool) {
	i.mu.Lock()
	i.active = active
	to := i.to
	i.mu.Unlock()
	to.Changed(active)
}

// health is the input's word on whether it can be read.
func (i *fakeInput) health(err error) {
	i.mu.Lock()
	to := i.to
	i.mu.Unlock()
	to.Health(err)
}

type fakeCall struct {
	on    bool
	pulse time.Duration // for a pulse; 0 for Set
}

type fakeOutput struct {
	name  string
	calls chan fakeCall // every call as it begins

	mu   sync.Mutex
	gate chan struct{} // while not nil, calls wait until it is closed
	fail error
	done []fakeCall // calls that completed, in order
}

func (o *fakeOutput) do(ctx context.Context, c fakeCall) error {
	o.mu.Lock()
	gate := o.gate
	o.mu.Unlock()
	select {
	case o.calls <- c:
	default:
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.fail != nil {
		return o.fail
	}
	o.done = append(o.done, c)
	return nil
}

func (o *fakeOutput) Set(ctx context.Context, on bool) error { return o.do(ctx, fakeCall{on: on}) }

// block makes the output's calls hang until release, as a stuck I²C
// expander does.
func (o *fakeOutput) block() {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.gate = make(chan struct{})
}

func (o *fakeOutput) release() {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.gate != nil {
		close(o.gate)
		o.gate = nil
	}
}

func (o *fakeOutput) failWith(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.fail = err
}

func (o *fakeOutput) completed() []fakeCall {
	o.mu.Lock()
	defer o.mu.Unlock()
	return append([]fakeCall(nil), o.done...)
}

// on is the level the output was last set to.
func (o *fakeOutput) on() bool {
	c := o.completed()
	return len(c) > 0 && c[len(c)-1].on
}

// fakePulser is an output that times its own pulses, as a lock board on a
// bus does.
type fakePulser struct{ *fakeOutput }

func (p fakePulser) Pulse(ctx context.Context, d time.Duration) error {
	return p.do(ctx, fakeCall{on: true, pulse: d})
}
