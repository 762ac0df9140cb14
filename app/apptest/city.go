package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"hallfloor/app"
	"hallfloor/config"
)

// City is a running city.
type City struct {
	*app.City
	HTTP *httptest.Server
	URL  string
}

// DemoCity is a city of two halls: the demo hall and an east hall made
// from it with its own id (east) and names, and the city manager c01,
// password "demo".
func DemoCity() *config.City {
	east := config.Demo()
	east.Hall.ID, east.Hall.Name, east.Hall.NameEN = "east", "东区政务服务中心", "East District Service Centre"
	c := &config.City{Halls: []*config.Hall{config.Demo(), east},
		Staff: []config.Staff{{ID: "c01", Name: "市级管理员", Role: config.CityManager, Password: "demo"}}}
	c.City.Name, c.City.NameEN, c.City.Demo = "演示市", "Demo City", true
	return c
}

// StartCity opens and starts a city (DemoCity when nil) on a fresh data
// directory with simulated pins, served on a random local port and
// stopped when the test ends.
func StartCity(tb testing.TB, c *config.City) *City {
	tb.Helper()
	if c == nil {
		c = DemoCity()
	}
	if ps := c.Validate(); len(ps) > 0 {
		tb.Fatal(ps)
	}
	a, err := app.OpenCity(context.Background(), app.CityOptions{City: c, Data: tb.TempDir(), Sim: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	a.Start()
	ts := httptest.NewServer(a.Server)
	tb.Cleanup(func() {
		a.Server.Close()
		ts.CloseClientConnections()
		ts.Close()
		a.Close()
	})
	return &City{City: a, HTTP: ts, URL: ts.URL}
}
