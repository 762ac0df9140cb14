package config

import "time"

// Connections bound what one client can hold of the server: how long a
// request may take to arrive, how long a kept-alive connection may sit
// idle, and how many connections one address and all together may have
// open. Without them, a client trickling a body a byte a second, or
// opening connections and sending nothing, holds a descriptor each for
// ever, and enough of them starve the hall's own screens and counters.
type Connections struct {
	// HeaderTimeoutS is how long a request's line and headers may take to
	// arrive (default 10 seconds).
	HeaderTimeoutS int `yaml:"header_timeout_s"`
	// RequestTimeoutS is how long a whole request, its body included, may
	// take to arrive (default 20 seconds; no body of the hall's is more
	// than 64 KiB). WebSocket connections (the screens) are not bound by
	// it: they keep themselves alive with pings.
	RequestTimeoutS int `yaml:"request_timeout_s"`
	// IdleTimeoutS is how long a kept-alive connection may wait for its
	// next request (default 20 seconds).
	IdleTimeoutS int `yaml:"idle_timeout_s"`
	// PerSource is how many connections one network address may have
	// open at once (default 64: a PC with several of the hall's pages
	// open uses a dozen or two). Behind a reverse proxy every client has
	// the proxy's address: raise it there.
	PerSource int `yaml:"per_source"`
	// Total is how many connections the server keeps open at once
	// (default 1000, under the common limit of 1,024 open files); more
	// wait to be accepted.
	Total int `yaml:"total"`
}

// The defaults of Connections.
const (
	DefaultHeaderTimeout  = 10 * time.Second
	DefaultRequestTimeout = 20 * time.Second
	DefaultIdleTimeout    = 20 * time.Second
	DefaultPerSource      = 64
	DefaultTotal          = 1000
)

// HeaderTimeout is HeaderTimeoutS, or its default.
func (c Connections) HeaderTimeout() time.Duration {
	return seconds(c.HeaderTimeoutS, DefaultHeaderTimeout)
}

// RequestTimeout is RequestTimeoutS, or its default.
func (c Connections) RequestTimeout() time.Duration {
	return seconds(c.RequestTimeoutS, DefaultRequestTimeout)
}

// IdleTimeout is IdleTimeoutS, or its default.
func (c Connections) IdleTimeout() time.Duration {
	return seconds(c.IdleTimeoutS, DefaultIdleTimeout)
}

// Caps are PerSource and Total, or their defaults; never more per source
// than in all.
func (c Connections) Caps() (perSource, total int) {
	perSource, total = c.PerSource, c.Total
	if perSource == 0 {
		perSource = DefaultPerSource
	}
	if total == 0 {
		total = DefaultTotal
	}
	return min(perSource, total), total
}

func seconds(n int, def time.Duration) time.Duration {
	if n == 0 {
		return def
	}
	return time.Duration(n) * time.Second
}

func (c Connections) validate(add func(key, format string, args ...any)) {
	for _, t := range []struct {
		key string
		v   int
		def time.Duration
	}{
		{"header_timeout_s", c.HeaderTimeoutS, DefaultHeaderTimeout},
		{"request_timeout_s", c.RequestTimeoutS, DefaultRequestTimeout},
		{"idle_timeout_s", c.IdleTimeoutS, DefaultIdleTimeout},
	} {
		if t.v < 0 || t.v > 3600 {
			add("server.connections."+t.key, "%d must be between 0 (default %d) and 3600 seconds", t.v, int(t.def.Seconds()))
		}
	}
	if c.PerSource < 0 {
		add("server.connections.per_source", "must be 0 (default %d) or more", DefaultPerSource)
	}
	if c.Total < 0 {
		add("server.connections.total", "must be 0 (default %d) or more", DefaultTotal)
	}
	if h, r := c.HeaderTimeout(), c.RequestTimeout(); h > r {
		add("server.connections.header_timeout_s", "%v is longer than request_timeout_s (%v), which includes the headers", h, r)
	}
}
