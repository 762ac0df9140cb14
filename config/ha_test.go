package config

import (
	"errors"
	"testing"
	"time"
)

// Without server.ha a hall runs alone with the default lease; set, the
// lease and the addresses are taken as given.
func TestHASettings(t *testing.T) {
	h, err := Parse(hallYAML(nil))
	if err != nil {
		t.Fatal(err)
	}
	if h.Server.HA.On() || h.Server.HA.Lease() != 3*time.Second {
		t.Fatalf("default: on %v, lease %v", h.Server.HA.On(), h.Server.HA.Lease())
	}
	h, err = Parse(hallYAML([]string{"server: {ha: {lease_ms: 1500, advertise: 'http://10.0.0.11:8080', nodes: ['http://10.0.0.11:8080', 'http://10.0.0.12:8080']}}"}))
	if err != nil {
		t.Fatal(err)
	}
	if !h.Server.HA.On() || h.Server.HA.Lease() != 1500*time.Millisecond || len(h.Server.HA.Nodes) != 2 {
		t.Fatalf("%+v", h.Server.HA)
	}
}

func TestHASettingsNamedWhenWrong(t *testing.T) {
	for yaml, key := range map[string]string{
		"server: {ha: {lease_ms: 100, advertise: 'http://a:1'}}":        "server.ha.lease_ms",
		"server: {ha: {lease_ms: 120000, advertise: 'http://a:1'}}":     "server.ha.lease_ms",
		"server: {ha: {advertise: '10.0.0.11:8080'}}":                   "server.ha.advertise",
		"server: {ha: {advertise: 'http://a:1', nodes: ['ftp://b:2']}}": "server.ha.nodes[0]",
		"server: {ha: {nodes: ['http://b:2']}}":                         "server.ha.advertise",
	} {
		_, err := Parse(hallYAML([]string{yaml}))
		var ps Problems
		if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Key != key {
			t.Errorf("%s: %v, want one problem at %s", yaml, err, key)
		}
	}
}
