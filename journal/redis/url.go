package redis

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// The schemes Open takes.
const (
	SchemeRedis    = "redis"
	SchemeTLS      = "rediss"
	SchemeSentinel = "redis+sentinel"
)

// maxWait bounds wait_ms: an append that waits longer for a replica holds
// up every command of the hall behind it.
const maxWait = 10 * time.Second

// Open connects to the Redis a URL names and makes a journal that closes
// the connection with itself. Two shapes:
//
//	redis://[user:password@]host:port/db?wait=N&wait_ms=M
//	rediss://…                    the same over TLS
//	redis+sentinel://[user:password@]host:port,host:port,…/master[/db]?wait=N&wait_ms=M
//
// The first is one Redis server, with go-redis's own options in the query
// beside wait and wait_ms (wait_replicas is an older spelling of wait).
// The second finds the primary of the master group named in the path
// through the Sentinels listed (port 26379 when left out), follows it
// across failovers, and takes the options in sentinelParams.
//
// wait=N sets Options.WaitReplicas: each append is acknowledged only once
// N replicas hold it. wait_ms=M sets Options.WaitTimeout, how long it waits
// for them (1000 when left out).
func Open(ctx context.Context, rawURL string, o Options) (*Journal, error) {
	scheme, _, ok := strings.Cut(rawURL, "://")
	if !ok {
		return nil, fmt.Errorf("journal: %q is not a URL: want redis://host:port/db or redis+sentinel://host:port,…/master/db", rawURL)
	}
	var rdb *goredis.Client
	var where string
	switch scheme {
	case SchemeRedis, SchemeTLS:
		opt, err := parseServerURL(rawURL, &o)
		if err != nil {
			return nil, err
		}
		rdb, where = goredis.NewClient(opt), "redis at "+opt.Addr
	case SchemeSentinel:
		fo, err := ParseSentinelURL(rawURL, &o)
		if err != nil {
			return nil, err
		}
		rdb = goredis.NewFailoverClient(fo)
		where = fmt.Sprintf("redis master %q through the sentinels %s", fo.MasterName, strings.Join(fo.SentinelAddrs, ","))
	default:
		return nil, fmt.Errorf("journal: scheme %q: want %s://, %s:// or %s://", scheme, SchemeRedis, SchemeTLS, SchemeSentinel)
	}
	if err := rdb.Ping(ctx).Err(); err != nil {
		rdb.Close()
		if scheme == SchemeSentinel {
			err = sentinelHint(ctx, rawURL, err)
		}
		return nil, fmt.Errorf("journal: %s: %w", where, err)
	}
	j, err := New(rdb, o)
	if err != nil {
		rdb.Close()
		return nil, err
	}
	j.owned = true
	return j, nil
}

// parseServerURL takes wait, wait_ms and wait_replicas out of a redis://
// URL's query into o and leaves the rest to go-redis.
func parseServerURL(rawURL string, o *Options) (*goredis.Options, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	q := u.Query()
	if q.Has("wait") && q.Has("wait_replicas") {
		return nil, fmt.Errorf("journal: URL query: wait and wait_replicas say the same; give one")
	}
	if q.Has("wait_replicas") {
		q["wait"] = q["wait_replicas"]
		q.Del("wait_replicas")
	}
	if err := takeWait(q, o); err != nil {
		return nil, err
	}
	u.RawQuery = q.Encode()
	opt, err := goredis.ParseURL(u.String())
	if err != nil {
		return nil, fmt.Errorf("journal: %w", err)
	}
	return opt, nil
}

// takeWait reads wait and wait_ms into o and deletes them from q.
func takeWait(q url.Values, o *Options) error {
	if v := q.Get("wait"); q.Has("wait") {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("journal: URL query: wait=%q is not a number of replicas (0 or more)", v)
		}
		o.WaitReplicas = n
	}
	if v := q.Get("wait_ms"); q.Has("wait_ms") {
		ms, err := strconv.Atoi(v)
		if err != nil || ms <= 0 || time.Duration(ms)*time.Millisecond > maxWait {
			return fmt.Errorf("journal: URL query: wait_ms=%q is not a timeout in milliseconds (1 to %d)", v, maxWait.Milliseconds())
		}
		if o.WaitReplicas == 0 {
			return fmt.Errorf("journal: URL query: wait_ms=%s without wait=N: there is nothing to wait for", v)
		}
		o.WaitTimeout = time.Duration(ms) * time.Millisecond
	}
	q.Del("wait")
	q.Del("wait_ms")
	return nil
}

// sentinelParams are the query options of a redis+sentinel URL besides wait
// and wait_ms: durations as Go says them (500ms, 2s), counts as numbers.
//
// The retries are go-redis's: a command that fails on the network (the
// primary died, the new one is not yet promoted) is sent again after a
// backoff, up to max_retries times. A Sentinel journal defaults to 10
// retries between 100 ms and 1 s apart, about ten seconds in all, so that a
// failover of a few seconds is waited out rather than failing the hall's
// commits and its reload. Sending an append again is safe: the script
// recognises a batch already stored.
var sentinelParams = map[string]func(*goredis.FailoverOptions, string) error{
	"sentinel_username": func(f *goredis.FailoverOptions, v string) error { f.SentinelUsername = v; return nil },
	"sentinel_password": func(f *goredis.FailoverOptions, v string) error { f.SentinelPassword = v; return nil },
	"dial_timeout":      durationParam(func(f *goredis.FailoverOptions) *time.Duration { return &f.DialTimeout }),
	"read_timeout":      durationParam(func(f *goredis.FailoverOptions) *time.Duration { return &f.ReadTimeout }),
	"write_timeout":     durationParam(func(f *goredis.FailoverOptions) *time.Duration { return &f.WriteTimeout }),
	"min_retry_backoff": durationParam(func(f *goredis.FailoverOptions) *time.Duration { return &f.MinRetryBackoff }),
	"max_retry_backoff": durationParam(func(f *goredis.FailoverOptions) *time.Duration { return &f.MaxRetryBackoff }),
	"max_retries":       countParam(func(f *goredis.FailoverOptions) *int { return &f.MaxRetries }),
	"pool_size":         countParam(func(f *goredis.FailoverOptions) *int { return &f.PoolSize }),
}

func durationParam(field func(*goredis.FailoverOptions) *time.Duration) func(*goredis.FailoverOptions, string) error {
	return func(f *goredis.FailoverOptions, v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			return fmt.Errorf("%q is not a duration such as 500ms or 2s", v)
		}
		*field(f) = d
		return nil
	}
}

func countParam(field func(*goredis.FailoverOptions) *int) func(*goredis.FailoverOptions, string) error {
	return func(f *goredis.FailoverOptions, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return fmt.Errorf("%q is not a count (0 or more)", v)
		}
		*field(f) = n
		return nil
	}
}

// DefaultSentinelPort is where a Sentinel listens when its address says no
// port.
const DefaultSentinelPort = "26379"

// ParseSentinelURL reads a redis+sentinel URL into go-redis's failover
// options, and its wait and wait_ms into o. Every error names the part of
// the URL that is wrong.
func ParseSentinelURL(rawURL string, o *Options) (*goredis.FailoverOptions, error) {
	bad := func(part, format string, a ...any) error {
		return fmt.Errorf("journal: redis+sentinel URL, %s: %s", part, fmt.Sprintf(format, a...))
	}
	rest, ok := strings.CutPrefix(rawURL, SchemeSentinel+"://")
	if !ok {
		return nil, bad("scheme", "want %s://", SchemeSentinel)
	}
	rest, rawQuery, _ := strings.Cut(rest, "?")
	if i := strings.IndexByte(rawQuery, '#'); i >= 0 {
		return nil, bad("fragment", "%q has no meaning here", rawQuery[i:])
	}
	authority, path, _ := strings.Cut(rest, "/")
	fo := &goredis.FailoverOptions{
		MaxRetries:      10,
		MinRetryBackoff: 100 * time.Millisecond,
		MaxRetryBackoff: time.Second,
	}
	// The user and password are the Redis servers' (the primary's and
	// replicas'); the Sentinels' own go in the query.
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		u, err := url.Parse("redis://" + authority[:at+1] + "h")
		if err != nil || u.User == nil {
			return nil, bad("user and password", "%q cannot be read (percent-encode : @ / in them)", authority[:at])
		}
		fo.Username = u.User.Username()
		fo.Password, _ = u.User.Password()
		authority = authority[at+1:]
	}
	if authority == "" {
		return nil, bad("sentinels", "no address: want host:port,host:port,… before the master's name")
	}
	for _, a := range strings.Split(authority, ",") {
		addr, err := sentinelAddr(a)
		if err != nil {
			return nil, bad("sentinels", "%v", err)
		}
		fo.SentinelAddrs = append(fo.SentinelAddrs, addr)
	}
	parts := strings.Split(path, "/")
	if len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1] // a trailing slash
	}
	switch {
	case len(parts) == 0 || parts[0] == "":
		return nil, bad("master name", "missing: want …/master after the sentinels (the name in their `sentinel monitor` line)")
	case len(parts) > 2:
		return nil, bad("path", "%q: want /master or /master/db", "/"+path)
	}
	name, err := url.PathUnescape(parts[0])
	if err != nil || strings.ContainsAny(name, " \t\r\n") {
		return nil, bad("master name", "%q is not a Sentinel master's name", parts[0])
	}
	fo.MasterName = name
	if len(parts) == 2 {
		db, err := strconv.Atoi(parts[1])
		if err != nil || db < 0 {
			return nil, bad("db", "%q is not a database number", parts[1])
		}
		fo.DB = db
	}
	q, err := url.ParseQuery(rawQuery)
	if err != nil {
		return nil, bad("query", "%v", err)
	}
	if err := takeWait(q, o); err != nil {
		return nil, err
	}
	for k, vs := range q {
		set, ok := sentinelParams[k]
		if !ok {
			return nil, bad("query", "%s is not an option here (wait, wait_ms, %s)", k, strings.Join(sortedKeys(sentinelParams), ", "))
		}
		if len(vs) != 1 {
			return nil, bad("query", "%s is given %d times", k, len(vs))
		}
		if err := set(fo, vs[0]); err != nil {
			return nil, bad("query", "%s=%v", k, err)
		}
	}
	return fo, nil
}

// sentinelAddr is one Sentinel's host:port, with the default port when left
// out.
func sentinelAddr(a string) (string, error) {
	if a == "" {
		return "", fmt.Errorf("an empty address in the list")
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		// No port: a bare host, or a bare IPv6 address in brackets.
		host, port = strings.TrimSuffix(strings.TrimPrefix(a, "["), "]"), DefaultSentinelPort
		if strings.ContainsAny(host, "[]") || (strings.Contains(host, ":") && !strings.HasPrefix(a, "[")) {
			return "", fmt.Errorf("%q is not host:port", a)
		}
	}
	if host == "" {
		return "", fmt.Errorf("%q has no host", a)
	}
	if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
		return "", fmt.Errorf("%q: port %q is not a port number", a, port)
	}
	return net.JoinHostPort(host, port), nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// sentinelHint says which of the two go-redis folds into "all sentinels
// are unreachable" it was: no Sentinel answers, or they answer and know no
// master of that name (a typo in the URL, or a Sentinel file without it).
func sentinelHint(ctx context.Context, rawURL string, err error) error {
	fo, perr := ParseSentinelURL(rawURL, &Options{})
	if perr != nil {
		return err
	}
	for _, addr := range fo.SentinelAddrs {
		sc := goredis.NewSentinelClient(&goredis.Options{Addr: addr, Username: fo.SentinelUsername,
			Password: fo.SentinelPassword, MaxRetries: -1, DialTimeout: time.Second})
		_, serr := sc.GetMasterAddrByName(ctx, fo.MasterName).Result()
		sc.Close()
		if errors.Is(serr, goredis.Nil) {
			return fmt.Errorf("the Sentinel at %s knows no master named %q (the URL's master name must be the one in their `sentinel monitor` line): %w", addr, fo.MasterName, err)
		}
	}
	return err
}

// Redacted is a journal URL fit for a log: the password before the hosts
// and a sentinel_password in the query replaced by xxxxx. A URL too
// malformed to say where they are is not shown at all.
func Redacted(rawURL string) string {
	scheme, rest, ok := strings.Cut(rawURL, "://")
	if !ok {
		return "(a journal URL that cannot be read)"
	}
	rest, rawQuery, hasQuery := strings.Cut(rest, "?")
	authority, path, hasPath := strings.Cut(rest, "/")
	if at := strings.LastIndexByte(authority, '@'); at >= 0 {
		user, _, hasPassword := strings.Cut(authority[:at], ":")
		if hasPassword {
			user += ":xxxxx"
		}
		authority = user + authority[at:]
	}
	out := scheme + "://" + authority
	if hasPath {
		out += "/" + path
	}
	if hasQuery {
		q, err := url.ParseQuery(rawQuery)
		if err != nil {
			return out + "?(a query that cannot be read)"
		}
		for _, k := range []string{"sentinel_password", "password"} {
			if q.Has(k) {
				q.Set(k, "xxxxx")
			}
		}
		out += "?" + q.Encode()
	}
	return out
}
