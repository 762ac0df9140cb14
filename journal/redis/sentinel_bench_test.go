package redis_test

import (
	"fmt"
	"os/exec"
	"slices"
	"testing"
	"time"

	"hallfloor/journal"
	"hallfloor/journal/journaltest"
	"hallfloor/journal/redis"
)

// skipWithoutRedisServer: the benchmarks start their own processes and, as
// figures rather than proofs, are left out where there is no redis-server.
func skipWithoutRedisServer(b *testing.B) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		b.Skip("redis-server is not on PATH")
	}
}

// BenchmarkSentinelAppend is one commit of the hall through Sentinel to a
// primary with one replica, acknowledged at once or only once the replica
// holds it (wait=1): what WAIT 1 costs each commit.
func BenchmarkSentinelAppend(b *testing.B) {
	skipWithoutRedisServer(b)
	set := startRedisSet(b, 1)
	for _, wait := range []int{0, 1} {
		for _, n := range []int{1, 16} {
			b.Run(fmt.Sprintf("wait=%d/events=%d", wait, n), func(b *testing.B) {
				query := ""
				if wait > 0 {
					query = fmt.Sprintf("wait=%d&wait_ms=1000", wait)
				}
				j, err := redis.Open(ctx, set.url(query), redis.Options{Hall: fmt.Sprintf("bench-%d-%d", wait, n)})
				if err != nil {
					b.Fatal(err)
				}
				defer j.Close()
				seq := uint64(0)
				if rs, err := j.Tail(ctx, 1); err != nil {
					b.Fatal(err)
				} else if len(rs) == 1 {
					seq = rs[0].Seq
				}
				var took []time.Duration
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					start := time.Now()
					if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(seq+1, n)}); err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(start))
					seq += uint64(n)
				}
				slices.Sort(took)
				b.ReportMetric(float64(took[len(took)/2].Microseconds()), "p50-µs")
				b.ReportMetric(float64(took[len(took)*99/100].Microseconds()), "p99-µs")
				b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "events/s")
			})
		}
	}
}

// BenchmarkSentinelFailover kills the primary once per iteration, each on
// a fresh set, and reports how long the Sentinels took to promote the
// replica and how long until the first append was acknowledged again:
// without WAIT that is the promotion; with wait=1 and one replica, also
// the old primary's return as the new one's replica; with two, the other
// replica following the new primary.
func BenchmarkSentinelFailover(b *testing.B) {
	skipWithoutRedisServer(b)
	for _, c := range []struct {
		name, query string
		replicas    int
		restart     bool
	}{
		{"wait=0", "", 1, false},
		{"wait=1", "wait=1&wait_ms=500", 1, true},
		{"wait=1/replicas=2", "wait=1&wait_ms=500", 2, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			var promoted, firstAck []time.Duration
			for b.Loop() {
				r := runFailover(b, c.query, c.replicas, c.restart)
				promoted = append(promoted, r.promoted)
				firstAck = append(firstAck, r.firstAck)
			}
			for _, m := range []struct {
				unit string
				ds   []time.Duration
			}{{"promoted-ms", promoted}, {"first-ack-ms", firstAck}} {
				slices.Sort(m.ds)
				b.ReportMetric(float64(m.ds[len(m.ds)/2].Milliseconds()), "p50-"+m.unit)
				b.ReportMetric(float64(m.ds[len(m.ds)-1].Milliseconds()), "max-"+m.unit)
			}
		})
	}
}
