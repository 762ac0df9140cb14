// Package apptest runs a whole hall for tests: assembled by package app
// exactly as `hallfloor serve` assembles it, served by an httptest server
// on a random local port, and stopped when the test ends.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"hallfloor/app"
	"hallfloor/config"
)

// Hall is a running hall.
type Hall struct {
	*app.App
	HTTP *httptest.Server
	URL  string
}

// Start opens and starts a hall. Unset options get test defaults: the demo
// hall, a fresh data directory, a silent log and simulated pins.
func Start(tb testing.TB, o app.Options) *Hall {
	tb.Helper()
	return StartWrapped(tb, o, nil)
}

// StartWrapped is Start with the server's handler wrapped, for a test that
// stands between the pages and the server (to cut the network, say).
func StartWrapped(tb testing.TB, o app.Options, wrap func(http.Handler) http.Handler) *Hall {
	tb.Helper()
	if o.Hall == nil {
		o.Hall = config.Demo()
	}
	if o.Data == "" {
		o.Data = tb.TempDir()
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	o.Sim = true
	a, err := app.Open(context.Background(), o)
	if err != nil {
		tb.Fatal(err)
	}
	a.Start()
	var handler http.Handler = a.Server
	if wrap != nil {
		handler = wrap(a.Server)
	}
	ts := httptest.NewServer(handler)
	h := &Hall{App: a, HTTP: ts, URL: ts.URL}
	tb.Cleanup(h.Stop)
	return h
}

// Stop ends the hall: screens are disconnected first, so the test server's
// close does not wait on their WebSockets. Stopping twice is harmless.
func (h *Hall) Stop() {
	if h.HTTP == nil {
		return
	}
	h.Server.Close()
	h.HTTP.CloseClientConnections()
	h.HTTP.Close()
	h.App.Close()
	h.HTTP = nil
}
