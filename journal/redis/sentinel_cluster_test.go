package redis_test

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goredis "github.com/redis/go-redis/v9"
)

// The Redis set the Sentinel tests run on: a primary, one replica and three
// Sentinels (quorum 2), each a redis-server process of the test's own on a
// spare port in a temporary directory, never the Redis on 6379.
type redisSet struct {
	t         testing.TB
	dir       string
	master    string // the group's name in the Sentinels' monitor line
	primary   *redisProc
	replica   *redisProc
	sentinels []*redisProc
}

type redisProc struct {
	name string
	port int
	conf string
	cmd  *exec.Cmd
	args []string
}

func (p *redisProc) addr() string { return fmt.Sprintf("127.0.0.1:%d", p.port) }

// Sentinel settings small enough for a failover in a couple of seconds:
// the primary is taken for down after 500 ms without an answer.
const (
	downAfter       = 500 * time.Millisecond
	failoverTimeout = 2 * time.Second
)

// needRedisServer fails the test when redis-server is not on PATH: the test
// would prove nothing by passing without it.
func needRedisServer(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Fatalf("redis-server is not on PATH (bash scripts/test-deps installs it): %v", err)
	}
}

// sparePorts finds n free ports, held open together so they differ.
func sparePorts(t testing.TB, n int) []int {
	t.Helper()
	var ports []int
	var lns []net.Listener
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	for _, ln := range lns {
		ln.Close()
	}
	return ports
}

// startRedisSet starts the set and returns once the replica is in sync and
// every Sentinel knows the replica and the two other Sentinels, so that a
// failover can be agreed at once.
func startRedisSet(t testing.TB) *redisSet {
	t.Helper()
	needRedisServer(t)
	s := &redisSet{t: t, dir: t.TempDir(), master: "hall"}
	ports := sparePorts(t, 5)
	server := func(name string, port int, extra string) *redisProc {
		conf := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nlogfile %s\nsave \"\"\nappendonly no\n"+
			"repl-diskless-sync yes\nrepl-diskless-sync-delay 0\n%s",
			port, s.dir, filepath.Join(s.dir, name+".log"), extra)
		return s.start(name, port, conf)
	}
	s.primary = server("primary", ports[0], "dbfilename primary.rdb\n")
	s.replica = server("replica", ports[1], fmt.Sprintf("dbfilename replica.rdb\nreplicaof 127.0.0.1 %d\n", ports[0]))
	for i, port := range ports[2:] {
		name := fmt.Sprintf("sentinel%d", i+1)
		conf := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nlogfile %s\n"+
			"sentinel monitor %s 127.0.0.1 %d 2\n"+
			"sentinel down-after-milliseconds %s %d\n"+
			"sentinel failover-timeout %s %d\n"+
			"sentinel parallel-syncs %s 1\n",
			port, s.dir, filepath.Join(s.dir, name+".log"),
			s.master, ports[0], s.master, downAfter.Milliseconds(), s.master, failoverTimeout.Milliseconds(), s.master)
		s.sentinels = append(s.sentinels, s.start(name, port, conf, "--sentinel"))
	}
	t.Cleanup(func() {
		for _, p := range append([]*redisProc{s.primary, s.replica}, s.sentinels...) {
			s.kill(p)
		}
	})

	waitFor(t, 10*time.Second, "the replica in sync with the primary", func() (bool, string) {
		info := s.info(s.replica, "replication")
		return strings.Contains(info, "master_link_status:up"), info
	})
	for _, p := range s.sentinels {
		sc := goredis.NewSentinelClient(&goredis.Options{Addr: p.addr()})
		waitFor(t, 15*time.Second, p.name+" knowing the replica and the other sentinels", func() (bool, string) {
			others, err := sc.Sentinels(ctx, s.master).Result()
			if err != nil {
				return false, err.Error()
			}
			replicas, err := sc.Replicas(ctx, s.master).Result()
			if err != nil {
				return false, err.Error()
			}
			ok := len(others) == 2 && len(replicas) == 1 && !strings.Contains(replicas[0]["flags"], "down") &&
				replicas[0]["master-link-status"] == "ok"
			return ok, fmt.Sprintf("sentinels %v, replicas %v", others, replicas)
		})
		sc.Close()
	}
	return s
}

func (s *redisSet) start(name string, port int, conf string, args ...string) *redisProc {
	s.t.Helper()
	path := filepath.Join(s.dir, name+".conf")
	if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
		s.t.Fatal(err)
	}
	p := &redisProc{name: name, port: port, conf: path, args: args}
	s.run(p)
	return p
}

// run starts the process and waits until it answers PING.
func (s *redisSet) run(p *redisProc) {
	s.t.Helper()
	p.cmd = exec.Command("redis-server", append([]string{p.conf}, p.args...)...)
	if err := p.cmd.Start(); err != nil {
		s.t.Fatalf("starting %s: %v", p.name, err)
	}
	c := goredis.NewClient(&goredis.Options{Addr: p.addr(), MaxRetries: -1})
	defer c.Close()
	waitFor(s.t, 10*time.Second, p.name+" answering on "+p.addr(), func() (bool, string) {
		err := c.Ping(ctx).Err()
		return err == nil, fmt.Sprint(err, "; log: ", s.log(p))
	})
}

// kill stops a process as a power cut would: SIGKILL, no shutdown save.
func (s *redisSet) kill(p *redisProc) {
	if p.cmd == nil {
		return
	}
	p.cmd.Process.Kill()
	p.cmd.Wait()
	p.cmd = nil
}

func (s *redisSet) log(p *redisProc) string {
	b, _ := os.ReadFile(filepath.Join(s.dir, p.name+".log"))
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return string(b)
}

func (s *redisSet) info(p *redisProc, section string) string {
	c := goredis.NewClient(&goredis.Options{Addr: p.addr(), MaxRetries: -1})
	defer c.Close()
	info, err := c.Info(ctx, section).Result()
	if err != nil {
		return err.Error()
	}
	return info
}

// url is the journal's URL through the three Sentinels.
func (s *redisSet) url(query string) string {
	addrs := make([]string, len(s.sentinels))
	for i, p := range s.sentinels {
		addrs[i] = p.addr()
	}
	u := "redis+sentinel://" + strings.Join(addrs, ",") + "/" + s.master + "/0"
	if query != "" {
		u += "?" + query
	}
	return u
}

// masterAddr is the primary the first Sentinel that answers names.
func (s *redisSet) masterAddr() string {
	for _, p := range s.sentinels {
		if p.cmd == nil {
			continue
		}
		sc := goredis.NewSentinelClient(&goredis.Options{Addr: p.addr(), MaxRetries: -1})
		a, err := sc.GetMasterAddrByName(ctx, s.master).Result()
		sc.Close()
		if err == nil && len(a) == 2 {
			return net.JoinHostPort(a[0], a[1])
		}
	}
	return ""
}

// failOver breaks the replica's link as a network blip would, kills the
// primary with SIGKILL a moment later while the hall is writing, and waits
// for the Sentinels to promote the replica. With restart the killed
// primary's process comes back, as its supervisor would bring it, and the
// Sentinels make it the new primary's replica. ackedSince counts what the
// hall had acknowledged since a time.
func (s *redisSet) failOver(ackedSince func(time.Time) int, restart bool) (killed time.Time, promoted time.Duration) {
	t := s.t
	t.Helper()
	// The replica's link drops and the primary goes on alone until it dies
	// a moment later: what it acknowledged meanwhile only it holds, unless
	// each append waited for the replica. The primary takes no new
	// connection (maxclients below those it has), so the replica, which
	// would reconnect at once, stays cut off as behind a broken network;
	// the writer and the Sentinels keep the connections they have.
	blip := time.Now()
	pc := goredis.NewClient(&goredis.Options{Addr: s.primary.addr(), MaxRetries: -1})
	for _, cmd := range [][]any{{"CONFIG", "SET", "maxclients", "1"}, {"CLIENT", "KILL", "TYPE", "replica"}} {
		if err := pc.Do(ctx, cmd...).Err(); err != nil {
			t.Fatalf("breaking the replica's link: %v: %v", cmd, err)
		}
	}
	pc.Close()
	lonely := time.NewTimer(300 * time.Millisecond)
	waitFor(t, 5*time.Second, "20 more appends or 300 ms", func() (bool, string) {
		select {
		case <-lonely.C:
			return true, ""
		default:
		}
		return ackedSince(blip) >= 20, ""
	})
	s.kill(s.primary)
	killed = time.Now()

	waitFor(t, 20*time.Second, "the Sentinels to promote the replica", func() (bool, string) {
		a := s.masterAddr()
		return a == s.replica.addr(), "master is " + a
	})
	promoted = time.Since(killed)
	if restart {
		s.run(s.primary)
	}
	return killed, promoted
}

// waitFor polls cond until it holds, failing the test with cond's last word
// after d: the processes run on their own clocks, so the test can only look.
func waitFor(t testing.TB, d time.Duration, what string, cond func() (bool, string)) {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(d)
	for {
		ok, last := cond()
		if ok {
			return
		}
		select {
		case <-deadline:
			t.Fatalf("waited %v for %s: %s", d, what, last)
		case <-tick.C:
		}
	}
}
