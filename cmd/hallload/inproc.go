package main

import (
	"context"
	"log/slog"
	"net"
	"os"

	"golang.org/x/crypto/bcrypt"

	"hallfloor/app"
	"hallfloor/config"
)

// hall is a hallfloor running inside this process, assembled exactly as
// `hallfloor serve` assembles the demo hall (simulated devices, pages,
// outbox, timed jobs), on a fresh data directory.
type hall struct {
	URL  string
	stop func()
}

// loadHall is the demo hall (whose kiosk, this machine, issues as fast as
// the hall can) with 1002's password kept as a bcrypt hash, as a real hall
// keeps every password, so a flood guessing at 1002 costs what it would
// cost in a real hall.
func loadHall() *config.Hall {
	h := config.Demo()
	// Every simulated screen and kiosk comes from this one address: the
	// share of connections per address is for a hall's real clients.
	h.Server.Connections.PerSource, h.Server.Connections.Total = 1<<20, 1<<20
	if s := h.FindStaff("1002"); s != nil {
		hash, _ := bcrypt.GenerateFromPassword([]byte(s.Password), bcrypt.DefaultCost)
		s.PasswordHash, s.Password = string(hash), ""
	}
	return h
}

func startHall(log *slog.Logger) (*hall, error) {
	data, err := os.MkdirTemp("", "hallload-")
	if err != nil {
		return nil, err
	}
	a, err := app.Open(context.Background(), app.Options{Hall: loadHall(), Data: data, Logger: log, Sim: true})
	if err != nil {
		os.RemoveAll(data)
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		a.Close()
		os.RemoveAll(data)
		return nil, err
	}
	a.Start()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- a.Serve(ctx, ln) }()
	stop := func() {
		cancel()
		if err := <-served; err != nil {
			log.Warn("in-process hall stopped", "err", err)
		}
		os.RemoveAll(data)
	}
	return &hall{URL: app.URL(ln), stop: stop}, nil
}
