package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/engine"
	"hallfloor/frontend"
	"hallfloor/journal/sqlite"
	"hallfloor/queue"
	"hallfloor/schedule"
	"hallfloor/server"
)

// hall is a hallfloor running inside this process, wired as `hallfloor
// serve` wires the demo hall, on a fresh data directory.
type hall struct {
	URL  string
	stop func()
}

func startHall(log *slog.Logger) (*hall, error) {
	data, err := os.MkdirTemp("", "hallload-")
	if err != nil {
		return nil, err
	}
	cleanup := []func(){func() { os.RemoveAll(data) }}
	undo := func() {
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
	}
	h, err := startHallIn(data, log, &cleanup)
	if err != nil {
		undo()
		return nil, err
	}
	h.stop = undo
	return h, nil
}

func startHallIn(data string, log *slog.Logger, cleanup *[]func()) (*hall, error) {
	cfg := config.Demo()
	keys, err := server.LoadKeys(data)
	if err != nil {
		return nil, err
	}
	id := cfg.Hall.ID
	if id == "" {
		id = "hall"
	}
	j, err := sqlite.Open(filepath.Join(data, "hall-"+id+".db"))
	if err != nil {
		return nil, err
	}
	*cleanup = append(*cleanup, func() { j.Close() })
	hist, err := sqlite.Open(filepath.Join(data, "hall-"+id+".db"))
	if err != nil {
		return nil, err
	}
	*cleanup = append(*cleanup, func() { hist.Close() })
	ctx := context.Background()
	eng, err := engine.Open(ctx, engine.Options{Setup: cfg.QueueSetup(), Journal: j, Logger: log})
	if err != nil {
		return nil, err
	}
	// The demo hall's devices on simulated pins, as on a machine without
	// GPIO: their lamps follow every event, so they are part of the load.
	devs, err := devices.New(devices.Options{Devices: cfg.Devices, Hall: eng, Logger: log, Sim: true})
	if err != nil {
		return nil, err
	}
	eng.Subscribe(devs.Observe)
	tail, err := j.Tail(ctx, 4096)
	if err != nil {
		return nil, err
	}
	srv, err := server.New(server.Options{Engine: eng, Hall: cfg, Keys: keys, Logger: log, Backlog: tail,
		Devices: devs, Pages: frontend.Handler(), History: hist})
	if err != nil {
		return nil, err
	}
	sched, err := schedule.New(schedule.Options{Calendar: cfg.CalendarSetup(), Logger: log,
		Send: func(ctx context.Context, cmd queue.Command) error { return eng.Do(ctx, cmd, "", nil).Err }})
	if err != nil {
		return nil, err
	}
	runCtx, cancelRun := context.WithCancel(context.Background())
	go eng.Run(runCtx)
	sched.Start()
	devsDone := make(chan struct{})
	go func() { devs.Run(runCtx); close(devsDone) }()
	*cleanup = append(*cleanup, func() { sched.Stop(); cancelRun(); eng.Wait(); <-devsDone })

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	*cleanup = append(*cleanup, func() {
		srv.Close()
		shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		hs.Shutdown(shut)
		if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Warn("in-process hall stopped", "err", err)
		}
	})
	return &hall{URL: fmt.Sprintf("http://%s", ln.Addr())}, nil
}
