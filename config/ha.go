package config

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// HA is how several nodes run one hall on a shared Redis journal (see the
// README's "Two nodes"). One node at a time holds the hall's writing lease
// and decides commands; the others follow the journal, serve their own
// screens and pass commands on to it. Without Advertise the node runs the
// hall alone, as it always has.
type HA struct {
	// LeaseMS is how long the writing lease lasts without being renewed
	// (default 3000); the holder renews it every third of that. It is the
	// longest a dead leader keeps the hall from writing, and the shortest a
	// leader may be paused (a stalled disk, a frozen VM) before another
	// node takes over.
	LeaseMS int `yaml:"lease_ms"`
	// Advertise is this node's own address as the other nodes reach it
	// (http://10.0.0.11:8080); it is stored beside the lease, so the
	// followers know where to pass commands. Each node's hall file names
	// its own.
	Advertise string `yaml:"advertise"`
	// Nodes are every node's address as the hall's pages reach them; a page
	// whose node fails tries the next.
	Nodes []string `yaml:"nodes"`
}

// DefaultLease is the writing lease without LeaseMS.
const DefaultLease = 3 * time.Second

// On says whether the hall runs on several nodes.
func (h HA) On() bool { return strings.TrimSpace(h.Advertise) != "" }

// Lease is LeaseMS, or its default.
func (h HA) Lease() time.Duration {
	if h.LeaseMS == 0 {
		return DefaultLease
	}
	return time.Duration(h.LeaseMS) * time.Millisecond
}

func (h HA) validate(add func(key, format string, args ...any)) {
	// Under a few hundred milliseconds a garbage collection or a busy Redis
	// costs the lease; over a minute a dead leader stops the hall that long.
	if h.LeaseMS != 0 && (h.LeaseMS < 300 || h.LeaseMS > 60000) {
		add("server.ha.lease_ms", "%d must be 0 (default %d) or between 300 and 60000", h.LeaseMS, DefaultLease.Milliseconds())
	}
	check := func(key, v string) {
		u, err := url.Parse(v)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
			add(key, "%q must be a node's address, like http://10.0.0.11:8080", v)
		}
	}
	if h.On() {
		check("server.ha.advertise", h.Advertise)
	}
	for i, n := range h.Nodes {
		check(fmt.Sprintf("server.ha.nodes[%d]", i), n)
	}
	if len(h.Nodes) > 0 && !h.On() {
		add("server.ha.advertise", "is needed with server.ha.nodes: the node's own address, for the other nodes")
	}
}
