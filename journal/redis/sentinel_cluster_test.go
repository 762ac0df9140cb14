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

// The Redis set the Sentinel tests run on: a primary, one replica or more
// and three Sentinels (quorum 2), each a redis-server process of the test's own on a
// spare port in a temporary directory, never the Redis on 6379.
type redisSet struct {
	t         testing.TB
	dir       string
	master    string // the group's name in the Sentinels' monitor line
	primary   *redisProc
	replicas  []*redisProc
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

// startRedisSet starts the set and returns once the replicas are in sync
// and every Sentinel knows them and the two other Sentinels, so that a
// failover can be agreed at once.
func startRedisSet(t testing.TB, replicas int) *redisSet {
	t.Helper()
	needRedisServer(t)
	s := &redisSet{t: t, dir: t.TempDir(), master: "hall"}
	ports := sparePorts(t, 1+replicas+3)
	server := func(name string, port int, extra string) *redisProc {
		conf := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nlogfile %s\nsave \"\"\nappendonly no\n"+
			"repl-diskless-sync yes\nrepl-diskless-sync-delay 0\n%s",
			port, s.dir, filepath.Join(s.dir, name+".log"), extra)
		return s.start(name, port, conf)
	}
	s.primary = server("primary", ports[0], "dbfilename primary.rdb\n")
	for i, port := range ports[1 : 1+replicas] {
		name := fmt.Sprintf("replica%d", i+1)
		s.replicas = append(s.replicas, server(name, port, fmt.Sprintf("dbfilename %s.rdb\nreplicaof 127.0.0.1 %d\n", name, ports[0])))
	}
	for i, port := range ports[1+replicas:] {
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
	t.Cleanup(s.stop)

	for _, r := range s.replicas {
		waitFor(t, 10*time.Second, r.name+" in sync with the primary", func() (bool, string) {
			info := s.info(r, "replication")
			return strings.Contains(info, "master_link_status:up"), info
		})
	}
	for _, p := range s.sentinels {
		sc := goredis.NewSentinelClient(&goredis.Options{Addr: p.addr()})
		waitFor(t, 15*time.Second, p.name+" knowing the replicas and the other sentinels", func() (bool, string) {
			others, err := sc.Sentinels(ctx, s.master).Result()
			if err != nil {
				return false, err.Error()
			}
			known, err := sc.Replicas(ctx, s.master).Result()
			if err != nil {
				return false, err.Error()
			}
			ok := len(others) == 2 && len(known) == replicas
			for _, r := range known {
				ok = ok && !strings.Contains(r["flags"], "down") && r["master-link-status"] == "ok"
			}
			return ok, fmt.Sprintf("sentinels %v, replicas %v", others, known)
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

// stop kills every process of the set.
func (s *redisSet) stop() {
	for _, p := range append(append([]*redisProc{s.primary}, s.replicas...), s.sentinels...) {
		s.kill(p)
	}
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

// failOver breaks the replicas' links as a network blip would, kills the
// primary with SIGKILL a moment later while the hall is writing, and waits
// for the Sentinels to promote a replica, whose address it returns. With
// restart the killed primary's process comes back, as its supervisor would
// bring it, and the Sentinels make it the new primary's replica. ackedSince
// counts what the hall had acknowledged since a time.
func (s *redisSet) failOver(ackedSince func(time.Time) int, restart bool) (killed time.Time, promoted time.Duration, primary string) {
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

	old := s.primary.addr()
	waitFor(t, 20*time.Second, "the Sentinels to promote a replica", func() (bool, string) {
		primary = s.masterAddr()
		return primary != "" && primary != old, "master is " + primary
	})
	promoted = time.Since(killed)
	if restart {
		s.run(s.primary)
	}
	return killed, promoted, primary
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
