package redis_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/journal/redis"
)

func TestParseSentinelURL(t *testing.T) {
	var o redis.Options
	fo, err := redis.ParseSentinelURL("redis+sentinel://hall:s%40cret@10.0.0.5:26380,10.0.0.6,[::1]:26381/mymaster/3?wait=1&wait_ms=250&sentinel_password=pw&dial_timeout=2s&max_retries=4", &o)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"10.0.0.5:26380", "10.0.0.6:26379", "[::1]:26381"}; !slices.Equal(fo.SentinelAddrs, want) {
		t.Errorf("sentinels %v, want %v", fo.SentinelAddrs, want)
	}
	if fo.MasterName != "mymaster" || fo.DB != 3 || fo.Username != "hall" || fo.Password != "s@cret" ||
		fo.SentinelPassword != "pw" || fo.DialTimeout != 2*time.Second || fo.MaxRetries != 4 {
		t.Errorf("failover options %+v", fo)
	}
	if o.WaitReplicas != 1 || o.WaitTimeout != 250*time.Millisecond {
		t.Errorf("wait %d for %v, want 1 for 250ms", o.WaitReplicas, o.WaitTimeout)
	}

	// Without a db, database 0; without wait, no waiting; a failover's few
	// seconds are retried through by default.
	o = redis.Options{}
	fo, err = redis.ParseSentinelURL("redis+sentinel://s1:26379/hall/", &o)
	if err != nil {
		t.Fatal(err)
	}
	if fo.DB != 0 || fo.MasterName != "hall" || o.WaitReplicas != 0 || fo.MaxRetries < 5 || fo.MaxRetryBackoff < 500*time.Millisecond {
		t.Errorf("defaults: %+v, wait %d", fo, o.WaitReplicas)
	}
}

// Every wrong URL is refused with the part that is wrong named.
func TestSentinelURLRefused(t *testing.T) {
	for _, c := range []struct{ url, part string }{
		{"redis+sentinel:///mymaster", "sentinels"},
		{"redis+sentinel://s1:26379,,s2/mymaster", "sentinels"},
		{"redis+sentinel://s1:port/mymaster", "sentinels"},
		{"redis+sentinel://s1:70000/mymaster", "sentinels"},
		{"redis+sentinel://s1:26379", "master name"},
		{"redis+sentinel://s1:26379/", "master name"},
		{"redis+sentinel://s1:26379/mymaster/zero", "db"},
		{"redis+sentinel://s1:26379/mymaster/-1", "db"},
		{"redis+sentinel://s1:26379/mymaster/0/1", "path"},
		{"redis+sentinel://s1:26379/mymaster/0?wait=one", "wait="},
		{"redis+sentinel://s1:26379/mymaster/0?wait=-1", "wait="},
		{"redis+sentinel://s1:26379/mymaster/0?wait=1&wait_ms=0", "wait_ms="},
		{"redis+sentinel://s1:26379/mymaster/0?wait=1&wait_ms=60000", "wait_ms="},
		{"redis+sentinel://s1:26379/mymaster/0?wait_ms=500", "without wait"},
		{"redis+sentinel://s1:26379/mymaster/0?waits=1", "waits is not an option"},
		{"redis+sentinel://s1:26379/mymaster/0?dial_timeout=5", "dial_timeout="},
		{"redis+sentinel://s1:26379/mymaster/0?max_retries=x", "max_retries="},
		{"redis+sentinel://s1:26379/mymaster/0?max_retries=1&max_retries=2", "2 times"},
		{"redis+sentinel://s1:26379/mymaster/0?wait=%zz", "query"},
		{"redis+sentinel://u:p%zz@s1:26379/mymaster", "user and password"},
	} {
		_, err := redis.ParseSentinelURL(c.url, &redis.Options{})
		if err == nil || !strings.Contains(err.Error(), c.part) {
			t.Errorf("%s: %v, want an error naming %q", c.url, err, c.part)
		}
	}
}

// A plain URL's wait and wait_ms are refused as the Sentinel URL's are,
// before any connection is tried.
func TestServerURLWaitRefused(t *testing.T) {
	for _, c := range []struct{ url, part string }{
		{"redis://127.0.0.1:1/0?wait=x", "wait="},
		{"redis://127.0.0.1:1/0?wait=1&wait_ms=x", "wait_ms="},
		{"redis://127.0.0.1:1/0?wait_ms=10", "without wait"},
		{"redis://127.0.0.1:1/0?wait=1&wait_replicas=1", "wait_replicas"},
		{"redis+cluster://127.0.0.1:1/0", "scheme"},
		{"127.0.0.1:6379", "not a URL"},
	} {
		_, err := redis.Open(ctx, c.url, redis.Options{Hall: "h"})
		if err == nil || !strings.Contains(err.Error(), c.part) {
			t.Errorf("%s: %v, want an error naming %q", c.url, err, c.part)
		}
	}
}

// The hall logs where its journal is; the passwords stay out of the log.
func TestRedacted(t *testing.T) {
	cases := [][2]string{
		{"redis+sentinel://hall:s3cret@[::1]:26379,h2/hall/0?wait=1&sentinel_password=pw",
			"redis+sentinel://hall:xxxxx@[::1]:26379,h2/hall/0?sentinel_password=xxxxx&wait=1"},
		{"redis://:s3cret@10.0.0.5:6379/0", "redis://:xxxxx@10.0.0.5:6379/0"},
		{"redis://10.0.0.5:6379/0?password=s3cret", "redis://10.0.0.5:6379/0?password=xxxxx"},
		{"redis+sentinel://s1,s2/hall", "redis+sentinel://s1,s2/hall"},
	}
	for _, c := range cases {
		if got := redis.Redacted(c[0]); got != c[1] {
			t.Errorf("Redacted(%q) = %q, want %q", c[0], got, c[1])
		}
	}
}
