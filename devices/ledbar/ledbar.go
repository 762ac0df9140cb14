// Package ledbar drives the LED bars over the windows through their
// controllers, which sit on the hall's network (host:port) or on a serial
// line, and speak the line protocol of package ledproto.
//
// The bars follow the hall: the engine tells Observe of every commit, which
// words each window's line as its web screen does (display.WindowLED) and
// leaves it in the bar's one slot; only the latest line of a bar counts, so
// a burst of calls never queues up. Each controller has a goroutine of its
// own that connects, sends what changed, waits for each answer, pings a
// quiet link, and on losing the controller reconnects with backoff and
// sends every bar its line again: a controller that lost its power or its
// network shows the right thing when it returns. The controller's and the
// bars' health show on /devices as peripherals; a controller that does not
// answer is a fault the hall journals.
package ledbar

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/devices/ledbar/ledproto"
	"hallfloor/display"
	"hallfloor/hall"
	"hallfloor/room"
)

// Kinds of the peripherals on /devices.
const (
	KindController = "led_controller"
	KindBar        = "led_bar"
)

// ControllerDevice and BarDevice name a controller and one of its bars
// among the devices.
func ControllerDevice(name string) string   { return "led:" + name }
func BarDevice(name string, bar int) string { return "led:" + name + ":" + strconv.Itoa(bar) }

// Reader reads the hall's state (*engine.Engine): the bars start from it.
type Reader interface {
	Read(ctx context.Context, fn func(s *hall.State, setup *hall.Setup)) error
}

// Options configure the LED bars of a hall.
type Options struct {
	Devices config.Devices
	// Manager lists the controllers and bars among the devices and runs
	// their drivers.
	Manager *devices.Manager
	Hall    Reader
	// Setup is the hall's setup, to view a window as its screen does.
	Setup  *hall.Setup
	Logger *slog.Logger
	// Timeout bounds one request: writing it and reading its answer. A
	// controller that has not answered by then is silent. 2s when 0.
	Timeout time.Duration
	// Idle is how long a quiet link waits before it pings the controller,
	// so a dead one is noticed before the next call. 10s when 0.
	Idle time.Duration
	// Backoff is the first wait before connecting again; it doubles up to
	// MaxBackoff, and starts again once the controller answers. 250ms and
	// 30s when 0.
	Backoff, MaxBackoff time.Duration
}

// Bars are the hall's LED bars, by window.
type Bars struct {
	view     display.Hall
	ctls     []*controller
	byWindow map[string]*bar
	sims     simulators
}

// New lists every controller of the hall file and its bars among the
// devices and hands their drivers to the manager, which runs them. A hall
// without controllers gets Bars that do nothing.
func New(o Options) (*Bars, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	o.Timeout = orDefault(o.Timeout, 2*time.Second)
	o.Idle = orDefault(o.Idle, 10*time.Second)
	o.Backoff = orDefault(o.Backoff, 250*time.Millisecond)
	o.MaxBackoff = max(orDefault(o.MaxBackoff, 30*time.Second), o.Backoff)
	b := &Bars{view: display.Hall{Setup: o.Setup}, byWindow: map[string]*bar{}}
	byName := map[string]*controller{}
	for _, cc := range o.Devices.LEDControllers {
		enc, err := ledproto.ParseEncoding(cc.Encoding)
		if err != nil {
			return nil, err
		}
		c := &controller{cfg: cc, enc: enc, opts: o, log: o.Logger.With("led_controller", cc.Name),
			wake: make(chan struct{}, 1), all: b}
		c.p = o.Manager.AddPeripheral(devices.Health{Device: ControllerDevice(cc.Name), Kind: KindController,
			State: map[string]bool{"online": false}})
		byName[cc.Name] = c
		b.ctls = append(b.ctls, c)
	}
	for _, w := range o.Devices.Windows {
		if w.LED == nil {
			continue
		}
		c := byName[w.LED.Controller]
		if c == nil {
			continue // the hall file's check names it
		}
		br := &bar{addr: w.LED.Address, width: w.LED.Cells(), ctl: c}
		br.p = o.Manager.AddPeripheral(devices.Health{Device: BarDevice(c.cfg.Name, br.addr), Kind: KindBar, Window: w.Window})
		c.order = append(c.order, br)
		b.byWindow[w.Window] = br
	}
	for _, c := range b.ctls {
		o.Manager.AddDriver(c)
	}
	return b, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

// Observe is an engine subscriber: it words each bar's line from the state
// just committed and leaves it for the bar's controller. It runs inside the
// writer, so it only computes and leaves word; the controllers' own
// goroutines do the talking.
func (b *Bars) Observe(s *hall.State, _ []room.Event) { b.follow(s) }

func (b *Bars) follow(s *hall.State) {
	for w, br := range b.byWindow {
		if v, ok := b.view.Window(s, w); ok {
			led := display.WindowLED(v, br.width)
			br.ctl.want(br, led.Text, led.Lines)
		}
	}
}

// bar is one window's LED bar.
type bar struct {
	addr, width int
	ctl         *controller
	p           *devices.Peripheral

	// Under ctl.mu: the latest line the hall wants shown.
	lines []string
	text  string
	// The driver's own: what the controller was sent and took, or refused,
	// on the present link ("" when not known).
	sent, refused string
}

// settle reads the hall once, so the bars start from its present state
// whatever was committed before Observe was subscribed.
func (b *Bars) settle(ctx context.Context, r Reader) error {
	if r == nil {
		return nil
	}
	return r.Read(ctx, func(s *hall.State, _ *hall.Setup) { b.follow(s) })
}

var _ devices.Driver = (*controller)(nil)
