package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"time"

	"hallfloor/config"
	"hallfloor/server"
	"hallfloor/sms"
)

// CityOptions say which city to run, and where. Each hall keeps its data
// in Data/{hall id}/ (its journal file and its secret), or its keys under
// the Redis prefix of its id; the city's own secret, which signs its
// managers in, is in Data/city/.
type CityOptions struct {
	City    *config.City
	Data    string
	Journal string
	Logger  *slog.Logger
	Sim     bool
	// For tests, as Options' are.
	Clock  func() time.Time
	Sender sms.Sender
}

// City is an assembled city: its halls, each run as it would run alone,
// and the server of the city's level in front of them.
type City struct {
	Config *config.City
	Halls  []*App
	Server *server.City
	log    *slog.Logger
}

// OpenCity builds every hall of the city, restoring each from its own
// journal. A hall that cannot open stops the city from opening: a city
// missing a hall would show its managers a city that is not there.
func OpenCity(ctx context.Context, o CityOptions) (c *City, err error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	c = &City{Config: o.City, log: o.Logger}
	opened := c
	defer func() {
		if err != nil {
			opened.Close()
		}
	}()
	dir := filepath.Join(o.Data, "city")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, err
	}
	keys, err := server.LoadKeys(dir)
	if err != nil {
		return nil, err
	}
	signIn := server.NewCitySignIn(o.City, keys.Token)
	var servers []*server.Server
	for _, h := range o.City.Halls {
		if h.Server.HA.On() {
			return nil, fmt.Errorf("hall %s: server.ha is for a hall alone on its nodes; a city's halls each run on one node", h.Hall.ID)
		}
		a, err := Open(ctx, Options{Hall: h, Data: filepath.Join(o.Data, h.Hall.ID), Journal: o.Journal,
			Logger: o.Logger.With("hall", h.Hall.ID), Sim: o.Sim, Clock: o.Clock, Sender: o.Sender, City: signIn})
		if err != nil {
			return nil, fmt.Errorf("hall %s: %w", h.Hall.ID, err)
		}
		c.Halls = append(c.Halls, a)
		servers = append(servers, a.Server)
	}
	c.Server = server.NewCity(server.CityOptions{City: o.City, SignIn: signIn, Halls: servers, Clock: o.Clock})
	return c, nil
}

// Start runs every hall.
func (c *City) Start() {
	for _, a := range c.Halls {
		a.Start()
	}
}

// Serve answers HTTP for the whole city on ln until ctx ends, then stops
// every hall as a hall alone stops. The connection limits are the first
// hall's: one listener takes the city's connections.
func (c *City) Serve(ctx context.Context, ln net.Listener) error {
	if len(c.Halls) == 0 {
		return errors.New("a city of no halls")
	}
	return serve(ctx, ln, c.Server, c.Halls[0].Hall.Server.Connections, c.log, c.Server.Close, c.Close)
}

// Close stops every hall.
func (c *City) Close() {
	for _, a := range c.Halls {
		a.Close()
	}
	c.Halls = nil
}
