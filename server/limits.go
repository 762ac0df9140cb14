package server

import (
	"math"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"hallfloor/config"
	"hallfloor/display"
	"hallfloor/errs"
)

// What one source address may ask of the hall. These are limits on abuse
// from one machine, not rations: the rates are far above what a queue of
// people at one kiosk, panel or terminal can reach, and a kiosk the hall
// file lists gets more.

// source is where a request comes from: its address, and whether the hall
// file lists it as one of the hall's kiosks.
type source struct {
	addr  netip.Addr
	kiosk bool
}

// key names the source in a limiter. An IPv6 machine is free to choose
// among the 2^64 addresses of its network, so it is its /64 that counts.
func (s source) key() string {
	if s.addr.Is6() {
		p, _ := s.addr.Prefix(64)
		return p.String()
	}
	return s.addr.String()
}

// sources finds the source of a request.
type sources struct {
	kiosks, proxies []netip.Prefix
}

func newSources(c config.Server) (*sources, error) {
	kiosks, err := config.ParsePrefixes(c.Kiosks)
	if err != nil {
		return nil, err
	}
	proxies, err := config.ParsePrefixes(c.TrustedProxies)
	if err != nil {
		return nil, err
	}
	return &sources{kiosks: kiosks, proxies: proxies}, nil
}

// of is the request's source: the peer's address, or, when the peer is a
// proxy the hall file trusts, the nearest untrusted address it forwarded
// for. X-Forwarded-For from anyone else is ignored, since anyone can send it.
func (s *sources) of(r *http.Request) source {
	addr := peerAddr(r.RemoteAddr)
	if s.trusted(addr) {
		hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
		for i := len(hops) - 1; i >= 0; i-- {
			hop, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
			if err != nil {
				break // a garbled hop: trust nothing before it
			}
			addr = hop.Unmap()
			if !s.trusted(addr) {
				break
			}
		}
	}
	return source{addr: addr, kiosk: within(s.kiosks, addr)}
}

func (s *sources) trusted(a netip.Addr) bool { return within(s.proxies, a) }

func within(ps []netip.Prefix, a netip.Addr) bool {
	for _, p := range ps {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

func peerAddr(remote string) netip.Addr {
	ap, err := netip.ParseAddrPort(remote)
	if err != nil {
		a, _ := netip.ParseAddr(remote)
		return a.Unmap()
	}
	return ap.Addr().Unmap()
}

// limiter is a token bucket per key (a source, usually). Memory stays
// bounded: a bucket idle long enough to be full again is forgotten, since a
// new one would be the same; past max keys the oldest-looking go first.
type limiter struct {
	mu      sync.Mutex
	buckets map[string]*bucket
	max     int
}

type bucket struct {
	lim  *rate.Limiter
	full time.Time // when the bucket is full again if nothing is taken
}

// maxSources is how many sources a limiter remembers: a few MB at most.
const maxSources = 1 << 16

func newLimiter() *limiter { return &limiter{buckets: map[string]*bucket{}, max: maxSources} }

// take spends one try from key's bucket, which refills perMinute a minute
// and holds burst; it returns 0 when the try may go ahead, else how long
// until it may.
func (l *limiter) take(key string, perMinute, burst int, now time.Time) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	every := rate.Limit(float64(perMinute) / 60)
	b := l.buckets[key]
	if b == nil {
		if len(l.buckets) >= l.max {
			l.evict(now)
		}
		b = &bucket{lim: rate.NewLimiter(every, burst)}
		l.buckets[key] = b
	}
	r := b.lim.ReserveN(now, 1)
	if d := r.DelayFrom(now); !r.OK() || d > 0 {
		r.CancelAt(now)
		return max(d, time.Second)
	}
	// From empty, the bucket is full after burst refills.
	deficit := float64(burst) - b.lim.TokensAt(now)
	b.full = now.Add(time.Duration(deficit / float64(every) * float64(time.Second)))
	return 0
}

// evict forgets the full buckets, then, if sources are still too many,
// any until a quarter of the room is free: under a flood from more sources
// than the limit remembers, some get a fresh bucket, which is the price of
// bounded memory.
func (l *limiter) evict(now time.Time) {
	for k, b := range l.buckets {
		if !now.Before(b.full) {
			delete(l.buckets, k)
		}
	}
	for k := range l.buckets {
		if len(l.buckets) < l.max*3/4 {
			break
		}
		delete(l.buckets, k)
	}
}

// size is how many sources the limiter remembers.
func (l *limiter) size() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}

// burstOf is the burst a per-minute rate allows: a third of a minute's
// worth, and at least five, so a person who retries at once is not
// refused.
func burstOf(perMinute int) int { return max(5, perMinute/3) }

// tooMany refuses a request for wait: retry_s for machines (and the
// Retry-After header), wait and wait_en for people.
func tooMany(reason string, wait time.Duration) error {
	words := display.Wait(wait)
	return errs.R(errs.Busy, reason, "retry_s", strconv.Itoa(int(math.Ceil(wait.Seconds()))),
		"wait", words.ZH, "wait_en", words.EN)
}

// limits are the server's limiters per source.
type limits struct {
	sources               *sources
	conf                  config.Limits
	issue, pickup, signin *limiter
	lookup                *limiter // case lookups by number and phone
	envelope              *limiter // the applicants' envelope pages, uploads and bookings
}

// Sign-ins a minute from one source: a terminal signs in a few times a
// day; a third of a minute's worth may come at once.
const signinsPerMinute = 30

func newLimits(c config.Server) (*limits, error) {
	src, err := newSources(c)
	if err != nil {
		return nil, err
	}
	return &limits{sources: src, conf: c.Limits, issue: newLimiter(), pickup: newLimiter(), signin: newLimiter(),
		lookup: newLimiter(), envelope: newLimiter()}, nil
}

// admit spends one try of the request's source in l, or refuses the
// request with reason and how long to wait.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, l *limiter, src source, perMinute int, reason string) bool {
	if wait := l.take(src.key(), perMinute, burstOf(perMinute), s.clock()); wait > 0 {
		s.metrics.httpErrors.WithLabelValues(string(errs.Busy)).Inc()
		s.fail(w, r, tooMany(reason, wait))
		return false
	}
	return true
}

// admitIssue limits anonymous numbers per source; a listed kiosk gets more.
func (s *Server) admitIssue(w http.ResponseWriter, r *http.Request) bool {
	src := s.limits.sources.of(r)
	return s.admit(w, r, s.limits.issue, src, s.limits.conf.TicketRate(src.kiosk), "issue_too_many")
}

// admitPickup limits a locker panel's pickup tries per source.
func (s *Server) admitPickup(w http.ResponseWriter, r *http.Request) bool {
	src := s.limits.sources.of(r)
	return s.admit(w, r, s.limits.pickup, src, s.limits.conf.PickupRate(src.kiosk), "pickup_too_many")
}

// admitSignin limits sign-ins per source, before any password is looked at.
func (s *Server) admitSignin(w http.ResponseWriter, r *http.Request) (source, bool) {
	src := s.limits.sources.of(r)
	return src, s.admit(w, r, s.limits.signin, src, signinsPerMinute, "signin_too_many")
}

// limitPickups wraps the panel's pickup: a source that tries too often is
// refused before its try reaches the lockers.
func (s *Server) limitPickups(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.admitPickup(w, r) {
			h(w, r)
		}
	}
}
