package config

import (
	"errors"
	"testing"
	"time"
)

// Unset, the connection bounds have their defaults; set, they are taken
// as given, a share per address never above the total.
func TestConnectionBounds(t *testing.T) {
	var c Connections
	if c.HeaderTimeout() != 10*time.Second || c.RequestTimeout() != 20*time.Second || c.IdleTimeout() != 20*time.Second {
		t.Fatalf("default timeouts %v %v %v", c.HeaderTimeout(), c.RequestTimeout(), c.IdleTimeout())
	}
	if ps, total := c.Caps(); ps != 64 || total != 1000 {
		t.Fatalf("default caps %d %d", ps, total)
	}
	h, err := Parse(hallYAML([]string{"server: {connections: {header_timeout_s: 2, request_timeout_s: 5, idle_timeout_s: 7, per_source: 500, total: 100}}"}))
	if err != nil {
		t.Fatal(err)
	}
	c = h.Server.Connections
	if c.HeaderTimeout() != 2*time.Second || c.RequestTimeout() != 5*time.Second || c.IdleTimeout() != 7*time.Second {
		t.Fatalf("timeouts %v %v %v", c.HeaderTimeout(), c.RequestTimeout(), c.IdleTimeout())
	}
	if ps, total := c.Caps(); ps != 100 || total != 100 {
		t.Fatalf("caps %d %d, want the share cut to the total", ps, total)
	}
}

func TestConnectionBoundsNamedWhenWrong(t *testing.T) {
	for yaml, key := range map[string]string{
		"server: {connections: {idle_timeout_s: -1}}":                        "server.connections.idle_timeout_s",
		"server: {connections: {request_timeout_s: 4000}}":                   "server.connections.request_timeout_s",
		"server: {connections: {per_source: -2}}":                            "server.connections.per_source",
		"server: {connections: {total: -2}}":                                 "server.connections.total",
		"server: {connections: {header_timeout_s: 30}}":                      "server.connections.header_timeout_s",
		"server: {connections: {header_timeout_s: 9, request_timeout_s: 3}}": "server.connections.header_timeout_s",
		"server: {connections: {read_timeout_s: 3}}":                         "server.connections.read_timeout_s",
	} {
		_, err := Parse(hallYAML([]string{yaml}))
		var ps Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Key != key {
			t.Errorf("%s: %v, want one problem at %s", yaml, err, key)
		}
	}
}
