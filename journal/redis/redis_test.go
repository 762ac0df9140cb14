package redis_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"hallfloor/journal"
	"hallfloor/journal/journaltest"
	"hallfloor/journal/redis"
)

var ctx = context.Background()

// redisAddr is the Redis the tests use: HALLFLOOR_TEST_REDIS (host:port or
// a redis:// URL), or the local one.
func redisOptions(t testing.TB) *goredis.Options {
	t.Helper()
	addr := os.Getenv("HALLFLOOR_TEST_REDIS")
	if addr == "" {
		addr = "127.0.0.1:6379"
	}
	if strings.Contains(addr, "://") {
		o, err := goredis.ParseURL(addr)
		if err != nil {
			t.Fatalf("HALLFLOOR_TEST_REDIS: %v", err)
		}
		return o
	}
	return &goredis.Options{Addr: addr}
}

// client connects to the test Redis, or fails the test saying how to get
// one: a Redis test that passes without Redis would test nothing.
func client(t testing.TB) *goredis.Client {
	t.Helper()
	o := redisOptions(t)
	rdb := goredis.NewClient(o)
	pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	if err := rdb.Ping(pctx).Err(); err != nil {
		rdb.Close()
		t.Fatalf("no Redis on %s: start one, or run bash .ci/run (%v)", o.Addr, err)
	}
	t.Cleanup(func() { rdb.Close() })
	return rdb
}

// newHall is a hall id of the test's own, whose keys are deleted when the
// test ends.
func newHall(t testing.TB, rdb *goredis.Client) string {
	t.Helper()
	var b [8]byte
	rand.Read(b[:])
	hall := "test-" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		keys := hallKeys(t, rdb, hall)
		if len(keys) > 0 {
			if err := rdb.Del(ctx, keys...).Err(); err != nil {
				t.Errorf("deleting the test's keys: %v", err)
			}
		}
	})
	return hall
}

func hallKeys(t testing.TB, rdb *goredis.Client, hall string) []string {
	t.Helper()
	var keys []string
	iter := rdb.Scan(ctx, 0, redis.KeyPrefix(hall)+"*", 1000).Iterator()
	for iter.Next(ctx) {
		keys = append(keys, iter.Val())
	}
	if err := iter.Err(); err != nil {
		t.Fatalf("scanning the test's keys: %v", err)
	}
	slices.Sort(keys)
	return keys
}

func open(t testing.TB, rdb goredis.UniversalClient, o redis.Options) *redis.Journal {
	t.Helper()
	j, err := redis.New(rdb, o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	return j
}

func TestJournal(t *testing.T) {
	rdb := client(t)
	journaltest.Run(t, func(t *testing.T) journal.Journal {
		return open(t, rdb, redis.Options{Hall: newHall(t, rdb)})
	})
}

// Pruning deletes a snapshot's data with its entry in the index, so the
// hash does not grow for ever.
func TestSnapshotsPruned(t *testing.T) {
	rdb := client(t)
	hall := newHall(t, rdb)
	j := open(t, rdb, redis.Options{Hall: hall})
	for _, seq := range []uint64{10, 20, 30, 40, 50} {
		if err := j.SaveSnapshot(ctx, seq, fmt.Appendf(nil, `{"seq":%d}`, seq)); err != nil {
			t.Fatal(err)
		}
	}
	p := redis.KeyPrefix(hall)
	kept, err := rdb.ZRange(ctx, p+"snaps", 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	stored, err := rdb.HKeys(ctx, p+"snapdata").Result()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(stored)
	if want := []string{"30", "40", "50"}; !slices.Equal(kept, want) || !slices.Equal(stored, want) {
		t.Fatalf("kept snapshots %v with data for %v, want %v", kept, stored, want)
	}
}

// Every key of a hall carries the hall's id as its hash tag, so a Redis
// Cluster keeps them in one slot, where one script may touch them all.
func TestKeysShareTheHallsHashTag(t *testing.T) {
	rdb := client(t)
	hall := newHall(t, rdb)
	j := open(t, rdb, redis.Options{Hall: hall})
	err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 2),
		Replies: []journal.Reply{{Key: "k", Seq: 2, At: journaltest.Base, Body: []byte(`{}`)}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.SaveSnapshot(ctx, 2, []byte(`{}`)); err != nil {
		t.Fatal(err)
	}
	keys := hallKeys(t, rdb, hall)
	if len(keys) < 6 {
		t.Fatalf("the hall's keys: %v", keys)
	}
	for _, k := range keys {
		_, rest, _ := strings.Cut(k, "{")
		tag, _, _ := strings.Cut(rest, "}")
		if tag != hall {
			t.Errorf("key %q has hash tag %q, want %q", k, tag, hall)
		}
	}
}

// A second journal on the same hall, as after a restart or on another
// node, reads what the first stored and continues it.
func TestReopen(t *testing.T) {
	rdb := client(t)
	hall := newHall(t, rdb)
	j := open(t, rdb, redis.Options{Hall: hall})
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 10)}); err != nil {
		t.Fatal(err)
	}
	other := open(t, client(t), redis.Options{Hall: hall})
	journaltest.SameRecords(t, journaltest.All(t, other, 0), journaltest.Records(1, 10))
	if err := other.Append(ctx, journal.Batch{Records: journaltest.Records(11, 1)}); err != nil {
		t.Fatalf("append after reopening: %v", err)
	}
	// Another hall on the same Redis is untouched by this one.
	if got := journaltest.All(t, open(t, rdb, redis.Options{Hall: newHall(t, rdb)}), 0); len(got) != 0 {
		t.Fatalf("a new hall holds %v", journaltest.Seqs(got))
	}
}

// Replay reads in pages; a journal longer than a page comes back whole and
// in order.
func TestReplayAcrossPages(t *testing.T) {
	rdb := client(t)
	j := open(t, rdb, redis.Options{Hall: newHall(t, rdb)})
	in := journaltest.Records(1, 1300)
	for i := 0; i < len(in); i += 100 {
		if err := j.Append(ctx, journal.Batch{Records: in[i : i+100]}); err != nil {
			t.Fatal(err)
		}
	}
	journaltest.SameRecords(t, journaltest.All(t, j, 0), in)
	journaltest.SameRecords(t, journaltest.All(t, j, 511), in[511:])
	rs, err := j.Tail(ctx, 600)
	if err != nil {
		t.Fatal(err)
	}
	journaltest.SameRecords(t, rs, in[700:])
}

// The very batch sent again, as go-redis does when an answer is lost, is
// taken as already stored: nil, and nothing twice.
func TestRepeatedAppendIsIdempotent(t *testing.T) {
	rdb := client(t)
	j := open(t, rdb, redis.Options{Hall: newHall(t, rdb)})
	reps := []journal.Reply{{Key: "k", Seq: 3, At: journaltest.Base, Body: []byte(`{"ticket":"A001"}`)}}
	b := journal.Batch{Records: journaltest.Records(1, 3), Replies: reps}
	for i := range 3 {
		if err := j.Append(ctx, b); err != nil {
			t.Fatalf("append %d of the same batch: %v", i+1, err)
		}
	}
	journaltest.SameRecords(t, journaltest.All(t, j, 0), journaltest.Records(1, 3))
	got, err := j.Replies(ctx, time.Time{})
	if err != nil || len(got) != 1 {
		t.Fatalf("replies %+v, %v", got, err)
	}
	// Once the journal has moved on, the old batch is a gap, not a repeat.
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(4, 1)}); err != nil {
		t.Fatal(err)
	}
	if err := j.Append(ctx, b); !errors.Is(err, journal.ErrGap) {
		t.Fatalf("the old batch after the journal moved on: %v, want ErrGap", err)
	}
	// A batch ending at the last seq with a record that differs anywhere is
	// not a repeat.
	for i := range 4 {
		changed := journaltest.Records(1, 4)
		changed[i].At = changed[i].At.Add(time.Nanosecond)
		if err := j.Append(ctx, journal.Batch{Records: changed}); !errors.Is(err, journal.ErrGap) {
			t.Fatalf("batch with record %d restamped: %v, want ErrGap", i+1, err)
		}
		changed = journaltest.Records(1, 4)
		changed[i].Type = "ticket.called"
		if err := j.Append(ctx, journal.Batch{Records: changed}); !errors.Is(err, journal.ErrGap) {
			t.Fatalf("batch with record %d of another type: %v, want ErrGap", i+1, err)
		}
	}
	journaltest.SameRecords(t, journaltest.All(t, j, 0), journaltest.Records(1, 4))
}

// dropper stands between the client and Redis and, once armed, swallows
// the next answer Redis gives and cuts the connection: the command ran, the
// client never heard.
type dropper struct {
	ln    net.Listener
	up    string
	armed atomic.Bool
	drops atomic.Int32
	mu    sync.Mutex
	conns []net.Conn
}

func newDropper(t *testing.T, upstream string) *dropper {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	d := &dropper{ln: ln, up: upstream}
	go d.serve()
	t.Cleanup(func() {
		ln.Close()
		d.mu.Lock()
		defer d.mu.Unlock()
		for _, c := range d.conns {
			c.Close()
		}
	})
	return d
}

func (d *dropper) serve() {
	for {
		c, err := d.ln.Accept()
		if err != nil {
			return
		}
		u, err := net.Dial("tcp", d.up)
		if err != nil {
			c.Close()
			continue
		}
		d.mu.Lock()
		d.conns = append(d.conns, c, u)
		d.mu.Unlock()
		go func() { io.Copy(u, c); u.Close() }()
		go func() {
			defer c.Close()
			buf := make([]byte, 64<<10)
			for {
				n, err := u.Read(buf)
				if n > 0 && d.armed.CompareAndSwap(true, false) {
					d.drops.Add(1)
					u.Close()
					return
				}
				if n > 0 {
					if _, werr := c.Write(buf[:n]); werr != nil {
						return
					}
				}
				if err != nil {
					return
				}
			}
		}()
	}
}

// The append's answer is lost on the way back: go-redis sends the script
// again, which finds its batch stored and answers as if it had just stored
// it. The hall sees one success and one copy of its events.
func TestAppendRetriedAfterLostAnswer(t *testing.T) {
	d := newDropper(t, redisOptions(t).Addr)
	o := redisOptions(t)
	o.Addr = d.ln.Addr().String()
	rdb := goredis.NewClient(o)
	t.Cleanup(func() { rdb.Close() })
	if err := rdb.Ping(ctx).Err(); err != nil {
		t.Fatalf("no Redis on %s: start one, or run bash .ci/run (%v)", redisOptions(t).Addr, err)
	}
	hall := newHall(t, client(t))
	j := open(t, rdb, redis.Options{Hall: hall})
	// The first append loads the script, so the next one is a single
	// EVALSHA.
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 1)}); err != nil {
		t.Fatal(err)
	}
	d.armed.Store(true)
	b := journal.Batch{Records: journaltest.Records(2, 3),
		Replies: []journal.Reply{{Key: "kiosk-7", Seq: 4, At: journaltest.Base, Body: []byte(`{"number":"A002"}`)}}}
	if err := j.Append(ctx, b); err != nil {
		t.Fatalf("append whose first answer was lost: %v", err)
	}
	if d.drops.Load() != 1 {
		t.Fatalf("the proxy dropped %d answers, want 1", d.drops.Load())
	}
	journaltest.SameRecords(t, journaltest.All(t, j, 0), journaltest.Records(1, 4))
	if reps, err := j.Replies(ctx, time.Time{}); err != nil || len(reps) != 1 || string(reps[0].Body) != `{"number":"A002"}` {
		t.Fatalf("replies %+v, %v", reps, err)
	}
}

// Two writers on one hall, both believing they are next: exactly one
// batch goes in each round, the other writer is told ErrGap.
func TestWritersRace(t *testing.T) {
	rdb := client(t)
	hall := newHall(t, rdb)
	js := []*redis.Journal{open(t, rdb, redis.Options{Hall: hall}), open(t, client(t), redis.Options{Hall: hall})}
	last := uint64(0)
	var want []journal.Record
	for round := range 50 {
		batches := make([][]journal.Record, len(js))
		errsOf := make([]error, len(js))
		start := make(chan struct{})
		var wg sync.WaitGroup
		for w := range js {
			rs := journaltest.Records(last+1, 1+w)
			for i := range rs {
				rs[i].Data = fmt.Appendf(nil, `{"writer":%d,"round":%d}`, w, round)
			}
			batches[w] = rs
			wg.Go(func() {
				<-start
				errsOf[w] = js[w].Append(ctx, journal.Batch{Records: rs})
			})
		}
		close(start)
		wg.Wait()
		won := -1
		for w, err := range errsOf {
			switch {
			case err == nil && won >= 0:
				t.Fatalf("round %d: both writers' batches went in", round)
			case err == nil:
				won = w
			case !errors.Is(err, journal.ErrGap):
				t.Fatalf("round %d: writer %d: %v", round, w, err)
			}
		}
		if won < 0 {
			t.Fatalf("round %d: neither writer's batch went in: %v", round, errsOf)
		}
		want = append(want, batches[won]...)
		last += uint64(len(batches[won]))
	}
	journaltest.SameRecords(t, journaltest.All(t, js[0], 0), want)
}

// With WaitReplicas above what the Redis has, an append is not
// acknowledged: the caller must not take it as durable.
func TestWaitReplicasFailsWithoutReplicas(t *testing.T) {
	rdb := client(t)
	replicas := connectedReplicas(t, rdb)
	hall := newHall(t, rdb)
	j := open(t, rdb, redis.Options{Hall: hall, WaitReplicas: replicas + 1, WaitTimeout: 50 * time.Millisecond})
	err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 1)})
	if err == nil || errors.Is(err, journal.ErrGap) || !strings.Contains(err.Error(), "replicas acknowledged") {
		t.Fatalf("append with %d replicas asked of %d: %v, want a replicas error", replicas+1, replicas, err)
	}
	// A gap is still a gap, not a wait.
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(5, 1)}); !errors.Is(err, journal.ErrGap) {
		t.Fatalf("gap with WaitReplicas: %v", err)
	}
	if replicas > 0 {
		j := open(t, rdb, redis.Options{Hall: hall, WaitReplicas: replicas})
		if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(2, 1)}); err != nil {
			t.Fatalf("append with %d replicas asked of %d: %v", replicas, replicas, err)
		}
	}
}

func TestNewAndOpenRefuse(t *testing.T) {
	rdb := client(t)
	if _, err := redis.New(rdb, redis.Options{}); err == nil {
		t.Error("New without a hall id")
	}
	cc := goredis.NewClusterClient(&goredis.ClusterOptions{Addrs: []string{"127.0.0.1:1"}})
	defer cc.Close()
	if _, err := redis.New(cc, redis.Options{Hall: "h", WaitReplicas: 1}); err == nil {
		t.Error("New with WaitReplicas on a cluster client")
	}
	for _, url := range []string{"http://127.0.0.1:6379", "redis://127.0.0.1:1/0?max_retries=-1", "redis://127.0.0.1:6379/0?wait_replicas=some",
		"redis://127.0.0.1:6379/0?no_such_option=1"} {
		if j, err := redis.Open(ctx, url, redis.Options{Hall: "h"}); err == nil {
			j.Close()
			t.Errorf("Open(%q) succeeded", url)
		}
	}
}

func TestOpenURL(t *testing.T) {
	rdb := client(t)
	o := rdb.Options()
	hall := newHall(t, rdb)
	j, err := redis.Open(ctx, fmt.Sprintf("redis://%s/%d", o.Addr, o.DB), redis.Options{Hall: hall})
	if err != nil {
		t.Fatal(err)
	}
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 2)}); err != nil {
		t.Fatal(err)
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	journaltest.SameRecords(t, journaltest.All(t, open(t, rdb, redis.Options{Hall: hall}), 0), journaltest.Records(1, 2))

	// wait in the URL asks for replicas as WaitReplicas does.
	replicas := connectedReplicas(t, rdb)
	j, err = redis.Open(ctx, fmt.Sprintf("redis://%s/%d?wait=%d&wait_ms=50&dial_timeout=2s", o.Addr, o.DB, replicas+1), redis.Options{Hall: hall})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(3, 1)}); err == nil || errors.Is(err, journal.ErrGap) {
		t.Fatalf("append asking for %d replicas of %d: %v", replicas+1, replicas, err)
	}
}

func connectedReplicas(t *testing.T, rdb *goredis.Client) int {
	t.Helper()
	info, err := rdb.Info(ctx, "replication").Result()
	if err != nil {
		t.Fatal(err)
	}
	replicas := 0
	for line := range strings.Lines(info) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "connected_slaves:"); ok {
			fmt.Sscan(v, &replicas)
		}
	}
	return replicas
}

func BenchmarkAppend(b *testing.B) {
	rdb := client(b)
	for _, n := range []int{1, 16} {
		b.Run(fmt.Sprintf("events=%d", n), func(b *testing.B) {
			journaltest.BenchAppend(b, open(b, rdb, redis.Options{Hall: newHall(b, rdb)}), n)
		})
	}
}
