// Package app assembles a whole hall from a hall file and a data
// directory: the journal, the engine, the HTTP server and its pages, the
// devices, the SMS outbox and the timed jobs, started and stopped in the
// right order. `hallfloor serve` and the load command run the same
// assembly, so what is measured is what runs in a hall.
package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"hallfloor/archive"
	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/devices/gpio"
	"hallfloor/devices/rs485"
	"hallfloor/display"
	"hallfloor/engine"
	"hallfloor/figures"
	"hallfloor/frontend"
	"hallfloor/hall"
	"hallfloor/journal"
	redisjournal "hallfloor/journal/redis"
	"hallfloor/journal/sqlite"
	"hallfloor/notify"
	"hallfloor/push"
	"hallfloor/rating"
	"hallfloor/schedule"
	"hallfloor/server"
	"hallfloor/sms"
	"hallfloor/uploads"
)

// UploadsDir is where a hall's uploaded files live in its data directory.
func UploadsDir(data string) string { return filepath.Join(data, "uploads") }

// Options say which hall to run, and where.
type Options struct {
	Hall *config.Hall
	Data string // directory for the journal and the hall's secret
	// Journal is where the hall's journal lives: "sqlite" (or empty) for a
	// file in Data, or a redis://host:port/db or
	// redis+sentinel://host:port,…/master/db URL, whose keys are prefixed
	// with the hall's id.
	Journal string
	Logger  *slog.Logger
	// Sim runs the devices on simulated pins even where the machine has
	// GPIO. Without it only the demo hall falls back to simulated pins on
	// a machine without GPIO; a real hall refuses to open there.
	Sim bool

	// For tests and tools. Clock replaces the system clock of the hall's
	// rules, its answers and its outbox; with it set, the timed jobs are
	// left to the engine's minute ticker, because cron's timers follow the
	// real clock. Sender replaces the hall file's SMS sender. DeviceActivity
	// is told each device's activity as it happens.
	Clock  func() time.Time
	Sender sms.Sender
	// NewID replaces the random ticket ids, so that a simulated day seeded
	// the same gives the same ids.
	NewID func() string
	// Quiet runs the writer alone: no device, outbox, push, retention or
	// figures loop acts on the hall beside it, and time's jobs (hall.Tick)
	// are the caller's to issue. A simulation sets it, so
	// only its own commands move the hall, at the moments of its own
	// clock, and the same seed gives the same day whatever the machine's
	// load (a message delivered, or a device's report, would otherwise be
	// journaled when the real clock allows).
	Quiet          bool
	DeviceActivity func(devices.Activity)

	// WhatIf runs the managers' what-ifs of a roster (a whatif.Runner);
	// nil for none.
	WhatIf server.WhatIf

	// City is the sign-in of the city's managers, for a hall run as one
	// of a city's (see OpenCity); nil for a hall alone.
	City *server.CitySignIn
}

// App is an assembled hall.
type App struct {
	Hall    *config.Hall
	Engine  *engine.Engine
	Server  *server.Server
	Devices *devices.Manager
	// Buses are the device map's RS485 buses (their simulator for tests).
	Buses *rs485.Transport

	log     *slog.Logger
	clock   func() time.Time
	history journal.Journal
	figures *figures.Store
	outbox  *notify.Dispatcher
	pushes  *push.Dispatcher
	sched   *schedule.Scheduler
	cancel  context.CancelFunc
	running []chan struct{}
	quiet   bool // the writer alone (Options.Quiet)
	closers []func() error
	// retention runs the archive beside the writer; nil on Redis, whose
	// journal is kept by Redis's own means.
	retention func(context.Context)
	retainNow func(context.Context) (archive.Result, error)
	retaining sync.Mutex // one turn of the retention at a time
	// redis is the journal when it is in Redis; ha runs the node's part
	// of a hall of several nodes (see ha.go), nil for a node alone.
	redis *redisjournal.Journal
	ha    *haNode
	// devHall is the hall the devices press into: the engine, or on a
	// hall of several nodes the leader's whenever this node follows.
	devHall devices.Hall
	// fakePrinters are the kiosks' simulated slip printers (printers.go).
	fakePrinters []SimPrinter
}

// Open builds the hall, restoring it from its journal. Nothing runs until
// Start.
func Open(ctx context.Context, o Options) (a *App, err error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	a = &App{Hall: o.Hall, log: o.Logger, clock: o.Clock, quiet: o.Quiet}
	if a.clock == nil {
		a.clock = time.Now
	}
	// Held apart from the result, which a failed return sets to nil.
	opened := a
	defer func() {
		if err != nil {
			opened.closeAll()
		}
	}()
	if err := os.MkdirAll(o.Data, 0o750); err != nil {
		return nil, err
	}
	j, hist, err := a.openJournal(ctx, o)
	if err != nil {
		return nil, err
	}
	// A hall with a history keeps its secret: a new one would be made
	// silently and break everything the old one protected.
	load := server.LoadKeys
	if past, err := j.Tail(ctx, 1); err != nil {
		return nil, err
	} else if len(past) > 0 {
		load = server.LoadExistingKeys
	}
	keys, err := load(o.Data)
	if err != nil {
		return nil, err
	}

	several := o.Hall.Server.HA.On()
	if several && a.redis == nil {
		return nil, errors.New("server.ha runs a hall on several nodes sharing a Redis journal: start with -journal redis://…")
	}
	eng, err := engine.Open(ctx, engine.Options{Setup: o.Hall.Setup(), Journal: j, Logger: o.Logger, Clock: o.Clock, NewID: o.NewID, Follower: several,
		OwnTicks: o.Quiet})
	if err != nil {
		return nil, err
	}
	a.Engine = eng
	srvOpts := server.Options{Hall: o.Hall}
	if a.redis != nil {
		if srvOpts.Epoch, err = a.redis.Epoch(ctx); err != nil {
			return nil, err
		}
	}
	if several {
		a.ha = newHANode(a, a.redis, o.Hall.Server.HA)
		srvOpts = server.Options{Hall: haServer(o.Hall), Leader: a.redis.Leader, Self: o.Hall.Server.HA.Advertise,
			Nodes: o.Hall.Server.HA.Nodes, Epoch: srvOpts.Epoch}
	}
	a.history = hist
	if a.figures, err = a.openFigures(o); err != nil {
		return nil, err
	}
	pins, err := gpio.Open(gpio.Options{Devices: o.Hall.Devices, Sim: o.Sim, FallBack: o.Hall.Hall.Demo, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	buses, err := rs485.Open(rs485.Options{Devices: o.Hall.Devices, Sim: o.Sim, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	a.devHall = eng
	if several {
		a.devHall = &server.DeviceHall{Engine: eng, Leader: a.redis.Leader, Self: o.Hall.Server.HA.Advertise, Keys: keys}
	}
	devs, err := devices.New(devices.Options{Devices: o.Hall.Devices, Transport: devices.Mux(pins, buses), Hall: a.devHall, Logger: o.Logger,
		Lamp:   func(s *hall.State, w string) bool { return s.Overtime.In(w) },
		Rating: a.rateByKey, Observe: o.DeviceActivity, Text: display.CallerNumber})
	if err != nil {
		return nil, err
	}
	buses.Attach(devs)
	a.Devices, a.Buses = devs, buses
	eng.Subscribe(devs.Observe)
	if err := addLEDs(o, eng, devs); err != nil {
		return nil, err
	}
	if err := a.openPrinters(o.Hall.Devices, devs, &srvOpts); err != nil {
		return nil, err
	}
	tail, err := j.Tail(ctx, 4096)
	if err != nil {
		return nil, err
	}
	// The applicants' uploaded materials live beside the journal, by
	// content hash.
	files, err := uploads.Open(UploadsDir(o.Data), uploads.Limits{})
	if err != nil {
		return nil, err
	}
	srvOpts.Engine, srvOpts.Keys, srvOpts.Logger, srvOpts.Backlog = eng, keys, o.Logger, tail
	srvOpts.Devices, srvOpts.Pages, srvOpts.History, srvOpts.Figures, srvOpts.Clock = devs, frontend.Handler(), hist, a.figures, o.Clock
	srvOpts.Uploads, srvOpts.City, srvOpts.WhatIf = files, o.City, o.WhatIf
	srv, err := server.New(srvOpts)
	if err != nil {
		return nil, err
	}
	a.Server = srv
	if err := a.openCardReaders(devs, srv); err != nil {
		return nil, err
	}
	// SMS leave through the outbox: queued in the journal, sent by the
	// configured sender, confirmed back into the journal.
	sender := o.Sender
	if sender == nil {
		if sender, err = o.Hall.SMSSender(); err != nil {
			return nil, err
		}
	}
	// On several nodes only the leader's senders read what is due.
	var sends interface {
		notify.Hall
		push.Hall
	} = eng
	if several {
		sends = leadingOnly{eng}
	}
	a.outbox = notify.New(notify.Options{Hall: sends, Sealer: srv.Sealer(), Wording: o.Hall.SMSWording(), Sender: sender, Logger: o.Logger, Clock: o.Clock})
	eng.Subscribe(a.outbox.Observe)
	// The signed pushes (the 好差评 platform, the webhooks) leave through
	// the same outbox, each to its hook's address.
	targets := map[string]push.Target{}
	for name, tg := range o.Hall.PushTargets() {
		targets[name] = push.Target{URL: tg.URL, Secret: tg.Secret}
	}
	a.pushes = push.New(push.Options{Hall: sends, Targets: targets, Logger: o.Logger, Clock: o.Clock})
	eng.Subscribe(a.pushes.Observe)
	if o.Clock == nil {
		a.sched, err = schedule.New(schedule.Options{Calendar: o.Hall.CalendarSetup(), Logger: o.Logger,
			Send: func(ctx context.Context, cmd hall.Command) error {
				if !eng.Leading() {
					return nil // the leader's clock runs the hall's jobs; their events come here
				}
				return eng.Do(ctx, cmd, "", nil).Err
			}})
		if err != nil {
			return nil, err
		}
	}
	return a, nil
}

// openJournal opens the writer's journal and the handle reports read
// history through.
func (a *App) openJournal(ctx context.Context, o Options) (writer, history journal.Journal, err error) {
	switch {
	case o.Journal == "" || o.Journal == "sqlite":
		path := JournalFile(o.Hall, o.Data)
		j, err := sqlite.Open(path)
		if err != nil {
			return nil, nil, err
		}
		a.closers = append(a.closers, j.Close)
		now := o.Clock
		if now == nil {
			now = time.Now
		}
		a.retention = func(ctx context.Context) { a.keepRetention(ctx, j, o.Data, now) }
		a.retainNow = func(ctx context.Context) (archive.Result, error) { return a.retain(ctx, j, o.Data, now()) }
		// Reports read history through a handle of their own, beside the
		// writer's, so a long report does not hold up a commit; read-only,
		// so it needs no share of the lock the writer's handle holds.
		hist, err := sqlite.OpenReadOnly(path)
		if err != nil {
			return nil, nil, err
		}
		a.closers = append(a.closers, hist.Close)
		return j, hist, nil
	case strings.HasPrefix(o.Journal, "redis://"), strings.HasPrefix(o.Journal, "rediss://"),
		strings.HasPrefix(o.Journal, "redis+sentinel://"):
		j, err := redisjournal.Open(ctx, o.Journal, redisjournal.Options{Hall: hallID(o.Hall)})
		if err != nil {
			return nil, nil, err
		}
		a.closers = append(a.closers, j.Close)
		a.redis = j
		// The client's pool serves the writer and the reports side by side.
		return j, j, nil
	}
	return nil, nil, fmt.Errorf("journal %q: want sqlite, redis://host:port/db or redis+sentinel://host:port,…/master/db", o.Journal)
}

// rateByKey takes a rating from a window's five evaluator keys; the keys
// cannot say why, and the ratings room knows it.
func (a *App) rateByKey(ctx context.Context, window string, score int) {
	cmd := rating.PressLevel{Window: window, Level: score}
	if res := a.devHall.Do(ctx, cmd, "", nil); res.Err != nil {
		a.log.Info("evaluator key not taken", "window", window, "score", score, "err", res.Err)
	}
}

// Start runs the engine, the timed jobs, the devices and the outbox.
func (a *App) Start() {
	ctx, cancel := context.WithCancel(context.Background())
	a.cancel = cancel
	go a.Engine.Run(ctx)
	if a.quiet {
		return
	}
	if a.sched != nil {
		a.sched.Start()
	}
	a.run(func() { a.Devices.Run(ctx) })
	a.run(func() { a.outbox.Run(ctx) })
	a.run(func() { a.pushes.Run(ctx) })
	if a.retention != nil {
		a.run(func() { a.retention(ctx) })
	}
	a.run(func() { a.recordFigures(ctx, a.figures, a.clock) })
	if a.ha != nil {
		a.run(func() { a.ha.run(ctx) })
	}
}

func (a *App) run(f func()) {
	done := make(chan struct{})
	a.running = append(a.running, done)
	go func() { f(); close(done) }()
}

// Serve answers HTTP on ln until ctx ends or serving fails, then stops the
// hall: screens are told first, then requests drain, then the writer
// takes its last snapshot.
func (a *App) Serve(ctx context.Context, ln net.Listener) error {
	return serve(ctx, ln, a.Server, a.Hall.Server.Connections, a.log, a.Server.Close, a.Close)
}

// serve answers HTTP with h on ln until ctx ends or serving fails; then
// the screens are told (tell), requests drain and the halls stop (stop).
func serve(ctx context.Context, ln net.Listener, h http.Handler, conns config.Connections, log *slog.Logger, tell, stop func()) error {
	hs := httpServer(h, conns, log)
	perSource, total := conns.Caps()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(limitConnections(ln, perSource, total, log)) }()
	var err error
	select {
	case err = <-errc:
	case <-ctx.Done():
		log.Info("shutting down")
	}
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	tell()
	hs.Shutdown(shut)
	stop()
	if errors.Is(err, http.ErrServerClosed) {
		err = nil
	}
	return err
}

// Close disconnects the screens, stops whatever runs and closes the
// journal.
func (a *App) Close() {
	if a.Server != nil {
		a.Server.Close()
	}
	if a.cancel != nil {
		if a.sched != nil {
			a.sched.Stop()
		}
		a.cancel()
		a.Engine.Wait()
		for _, done := range a.running {
			<-done
		}
		a.cancel = nil
	}
	a.closeAll()
}

func (a *App) closeAll() {
	for i := len(a.closers) - 1; i >= 0; i-- {
		if err := a.closers[i](); err != nil {
			a.log.Warn("closing", "err", err)
		}
	}
	a.closers = nil
}

func hallID(h *config.Hall) string {
	if h.Hall.ID != "" {
		return h.Hall.ID
	}
	return "hall"
}

// URL is how to reach a listener from this machine, for the log.
func URL(ln net.Listener) string {
	if t, ok := ln.Addr().(*net.TCPAddr); ok {
		if t.IP.IsUnspecified() {
			return fmt.Sprintf("http://localhost:%d", t.Port)
		}
		return fmt.Sprintf("http://%s", t)
	}
	return ln.Addr().String()
}
