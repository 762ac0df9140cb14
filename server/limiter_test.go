package server

import (
	"fmt"
	"net/http/httptest"
	"testing"
	"time"

	"hallfloor/config"
)

// A limiter forgets a source once its bucket is full again, and never
// remembers more than its maximum, however many sources come.
func TestLimiterMemoryIsBounded(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	l := newLimiter()
	l.max = 100
	for i := range 1000 {
		if wait := l.take(fmt.Sprintf("10.0.%d.%d", i/256, i%256), 30, 10, now); wait != 0 {
			t.Fatalf("a new source's first try waits %s", wait)
		}
		if n := l.size(); n > l.max {
			t.Fatalf("%d sources remembered, max %d", n, l.max)
		}
	}
	// Busy sources are remembered: one that spent its burst is refused.
	for range 10 {
		l.take("203.0.113.9", 30, 10, now)
	}
	if wait := l.take("203.0.113.9", 30, 10, now); wait < time.Second {
		t.Fatalf("a source past its burst waits %s", wait)
	}
	// A minute on, every bucket is full again: when room is needed, all
	// those sources are forgotten, as a new bucket would be the same.
	l.max = l.size()
	l.take("198.51.100.1", 30, 10, now.Add(time.Minute))
	if n := l.size(); n != 1 {
		t.Fatalf("%d sources remembered after all but one were idle", n)
	}
}

// X-Forwarded-For is believed only from a proxy the hall file lists.
func TestSourceTrustsOnlyListedProxies(t *testing.T) {
	srcs, err := newSources(config.Server{TrustedProxies: []string{"10.0.0.1"}, Kiosks: []string{"192.168.5.0/24"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		remote, xff, want string
		kiosk             bool
	}{
		{"198.51.100.7:5000", "", "198.51.100.7", false},
		{"198.51.100.7:5000", "192.168.5.9", "198.51.100.7", false}, // not a proxy: ignored
		{"10.0.0.1:5000", "192.168.5.9", "192.168.5.9", true},
		{"10.0.0.1:5000", "1.2.3.4, 192.168.5.9", "192.168.5.9", true}, // the nearest untrusted hop
		{"10.0.0.1:5000", "192.168.5.9, 10.0.0.1", "192.168.5.9", true},
		{"10.0.0.1:5000", "garbage", "10.0.0.1", false},
		{"[2001:db8:1:2:3::9]:5000", "", "2001:db8:1:2::/64", false},
	} {
		r := httptest.NewRequest("POST", "/api/v1/tickets", nil)
		r.RemoteAddr = c.remote
		if c.xff != "" {
			r.Header.Set("X-Forwarded-For", c.xff)
		}
		s := srcs.of(r)
		if s.key() != c.want || s.kiosk != c.kiosk {
			t.Errorf("%s via %q: source %s kiosk %v, want %s %v", c.remote, c.xff, s.key(), s.kiosk, c.want, c.kiosk)
		}
	}
}
