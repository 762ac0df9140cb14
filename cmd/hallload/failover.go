package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/journal"
	redisjournal "hallfloor/journal/redis"
	"hallfloor/journal/redis/redisproc"
	"hallfloor/queue"
	"hallfloor/server"
)

// The failover mode runs the demo hall on two `hallfloor serve` processes
// sharing one Redis journal (a redis-server of its own, on a spare port)
// and one secret.key, with kiosks issuing numbers and windows calling them
// through both nodes, each retrying a refused or unanswered request with
// the same Idempotency-Key at the other node, as a hall's terminals do. It
// kills the leader with SIGKILL, round after round, restarting it as a
// follower each time, and measures the time from each kill to the first
// command the new leader accepted. At the end it reads the journal and
// counts the acknowledged tickets and calls that are not in it and the
// numbers issued twice: both must be 0.

// cluster is a Redis and two hall nodes on it.
type cluster struct {
	bin   string
	dir   string
	redis *redisproc.Server
	nodes [2]*haProc
	log   io.Writer // the nodes' output, or nowhere
}

type haProc struct {
	base  string // http://127.0.0.1:port
	addr  string
	data  string
	hall  string
	cmd   *exec.Cmd
	done  chan struct{}
	alive bool
}

// startCluster starts Redis and two nodes whose lease lasts leaseMS.
func startCluster(bin, dir string, leaseMS int, log io.Writer) (*cluster, error) {
	if log == nil {
		log = io.Discard
	}
	rdir := filepath.Join(dir, "redis")
	if err := os.MkdirAll(rdir, 0o750); err != nil {
		return nil, err
	}
	r, err := redisproc.Start(rdir)
	if err != nil {
		return nil, err
	}
	c := &cluster{bin: bin, dir: dir, redis: r, log: log}
	var bases []string
	for i := range c.nodes {
		port, err := redisproc.SparePort()
		if err != nil {
			c.stop()
			return nil, err
		}
		addr := "127.0.0.1:" + strconv.Itoa(port)
		c.nodes[i] = &haProc{base: "http://" + addr, addr: addr, data: filepath.Join(dir, fmt.Sprintf("node%d", i))}
		bases = append(bases, "http://"+addr)
	}
	for _, n := range c.nodes {
		if err := os.MkdirAll(n.data, 0o750); err != nil {
			c.stop()
			return nil, err
		}
		n.hall = filepath.Join(n.data, "hall.yaml")
		ha := fmt.Sprintf("  ha: {lease_ms: %d, advertise: %q, nodes: [%q, %q]}\n", leaseMS, n.base, bases[0], bases[1])
		yaml := strings.Replace(string(config.DemoFile()), "\nserver:\n", "\nserver:\n"+ha, 1)
		if err := os.WriteFile(n.hall, []byte(yaml), 0o640); err != nil {
			c.stop()
			return nil, err
		}
	}
	// One secret for both: a sign-in made at one node is good at the other.
	if _, err := server.LoadKeys(c.nodes[0].data); err != nil {
		c.stop()
		return nil, err
	}
	key, err := os.ReadFile(filepath.Join(c.nodes[0].data, server.SecretFile))
	if err == nil {
		err = os.WriteFile(filepath.Join(c.nodes[1].data, server.SecretFile), key, 0o600)
	}
	if err != nil {
		c.stop()
		return nil, err
	}
	for i := range c.nodes {
		if err := c.start(i); err != nil {
			c.stop()
			return nil, err
		}
	}
	return c, nil
}

// start runs node i and waits until it answers.
func (c *cluster) start(i int) error {
	n := c.nodes[i]
	n.cmd = exec.Command(c.bin, "serve", "-addr", n.addr, "-data", n.data, "-config", n.hall, "-journal", c.redis.URL())
	n.cmd.Stdout, n.cmd.Stderr = c.log, c.log
	if err := n.cmd.Start(); err != nil {
		return err
	}
	n.done, n.alive = make(chan struct{}), true
	go func(cmd *exec.Cmd, done chan struct{}) { cmd.Wait(); close(done) }(n.cmd, n.done)
	hc := &http.Client{Timeout: time.Second}
	for deadline := time.Now().Add(30 * time.Second); ; {
		resp, err := hc.Get(n.base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		select {
		case <-n.done:
			n.alive = false
			return fmt.Errorf("node %d stopped at start", i)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("node %d does not answer", i)
		}
	}
}

// kill ends node i with SIGKILL and waits until it is gone.
func (c *cluster) kill(i int) {
	n := c.nodes[i]
	if !n.alive {
		return
	}
	n.cmd.Process.Signal(syscall.SIGKILL)
	<-n.done
	n.alive = false
}

// signal sends node i a signal (SIGSTOP, SIGCONT).
func (c *cluster) signal(i int, s syscall.Signal) error { return c.nodes[i].cmd.Process.Signal(s) }

// stop ends the nodes (SIGTERM, so they give the lease back) and Redis.
func (c *cluster) stop() {
	for _, n := range c.nodes {
		if n == nil || !n.alive {
			continue
		}
		n.cmd.Process.Signal(syscall.SIGCONT)
		n.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-n.done:
		case <-time.After(10 * time.Second):
			n.cmd.Process.Kill()
			<-n.done
		}
		n.alive = false
	}
	c.redis.Stop()
}

// leader is the node that says it leads, or -1.
func (c *cluster) leader(ctx context.Context) int {
	for i, n := range c.nodes {
		if !n.alive {
			continue
		}
		var out struct {
			Leads bool `json:"leads"`
		}
		a := newAPI(n.base, 1)
		// A paused node answers nothing; it does not lead.
		qctx, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
		err := a.get(qctx, "/api/v1/nodes", &out)
		cancel()
		a.close()
		if err == nil && out.Leads {
			return i
		}
	}
	return -1
}

// waitLeader waits until a node leads.
func (c *cluster) waitLeader(ctx context.Context, within time.Duration) (int, error) {
	for deadline := time.Now().Add(within); time.Now().Before(deadline); {
		if i := c.leader(ctx); i >= 0 {
			return i, nil
		}
		select {
		case <-ctx.Done():
			return -1, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
	return -1, errors.New("no node leads")
}

// ledger is what the hall acknowledged to the kiosks and windows.
type ledger struct {
	mu       sync.Mutex
	tickets  map[string]string // id → number
	calls    map[[2]string]bool
	accepted int
	retries  int
	watch    time.Time // the first acceptance after it is noted
	first    time.Time
}

func newLedger() *ledger {
	return &ledger{tickets: map[string]string{}, calls: map[[2]string]bool{}}
}

func (l *ledger) ok() {
	now := time.Now()
	l.accepted++
	if !l.watch.IsZero() && l.first.IsZero() && now.After(l.watch) {
		l.first = now
	}
}

// watchFrom starts looking for the first acceptance after t.
func (l *ledger) watchFrom(t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.watch, l.first = t, time.Time{}
}

func (l *ledger) firstAfterWatch() time.Time {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.first
}

func (l *ledger) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.accepted
}

// terminal is a kiosk or a counter that speaks to both nodes, moving to
// the other one when its node refuses with 503 or does not answer.
type terminal struct {
	apis [2]*api
	at   int
	l    *ledger
}

func newTerminal(c *cluster, l *ledger, start int) *terminal {
	t := &terminal{at: start % 2, l: l}
	for i, n := range c.nodes {
		t.apis[i] = newAPI(n.base, 2)
		t.apis[i].client.Timeout = 10 * time.Second
	}
	return t
}

func (t *terminal) close() {
	for _, a := range t.apis {
		a.close()
	}
}

// retriable is a failure a terminal tries again, at the other node.
func retriable(err error) bool {
	var ae *apiError
	if errors.As(err, &ae) {
		return ae.Status == http.StatusServiceUnavailable || ae.Status >= 500
	}
	return err != nil
}

// send posts with the key until a node answers other than with a failure
// to retry; ctx's end leaves the command unacknowledged.
func (t *terminal) send(ctx context.Context, path, key string, body any, want int, out any) error {
	for {
		err := t.apis[t.at].post(ctx, path, body, want, out, "Idempotency-Key", key)
		if !retriable(err) || ctx.Err() != nil {
			return err
		}
		t.l.mu.Lock()
		t.l.retries++
		t.l.mu.Unlock()
		t.at = 1 - t.at
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

var kioskServices = []string{"A", "B", "C", "Q", "Z", "A", "B", "A"}

// haKiosk issues numbers until ctx ends.
func haKiosk(ctx context.Context, c *cluster, l *ledger, k int, every time.Duration) {
	t := newTerminal(c, l, k)
	defer t.close()
	for n := 0; ctx.Err() == nil; n++ {
		var out struct {
			ID     string `json:"id"`
			Number string `json:"number"`
		}
		key := fmt.Sprintf("kiosk-%d-%d", k, n)
		err := t.send(ctx, "/api/v1/tickets", key, map[string]string{"service": kioskServices[k%len(kioskServices)]}, http.StatusCreated, &out)
		if err == nil {
			l.mu.Lock()
			l.tickets[out.ID] = out.Number
			l.ok()
			l.mu.Unlock()
		}
		select {
		case <-ctx.Done():
		case <-time.After(every):
		}
	}
}

// haWindow signs a clerk on at window w and calls until ctx ends.
func haWindow(ctx context.Context, c *cluster, l *ledger, w int, every time.Duration) error {
	t := newTerminal(c, l, w)
	defer t.close()
	win, staff := strconv.Itoa(w), strconv.Itoa(1000+w)
	var signIn struct {
		Token string `json:"token"`
	}
	if err := t.send(ctx, "/api/v1/login", "login-"+win, map[string]string{"staff": staff, "password": "demo"}, http.StatusOK, &signIn); err != nil {
		return fmt.Errorf("window %s: sign in: %w", win, err)
	}
	for _, a := range t.apis {
		a.token = signIn.Token // the same token is good at both nodes
	}
	err := t.send(ctx, "/api/v1/windows/"+win+"/open", "open-"+win, nil, http.StatusOK, nil)
	var ae *apiError
	if err != nil && !(errors.As(err, &ae) && ae.Reason() == "already_signed_on") {
		return fmt.Errorf("window %s: open: %w", win, err)
	}
	current := ""
	for n := 0; ctx.Err() == nil; n++ {
		var out struct {
			Ticket *struct {
				ID string `json:"id"`
			} `json:"ticket"`
		}
		err := t.send(ctx, "/api/v1/windows/"+win+"/call", fmt.Sprintf("call-%s-%d", win, n), map[string]string{"current": current}, http.StatusOK, &out)
		switch {
		case err == nil && out.Ticket != nil:
			current = out.Ticket.ID
			l.mu.Lock()
			l.calls[[2]string{win, current}] = true
			l.ok()
			l.mu.Unlock()
		case err == nil:
			current = ""
		case ctx.Err() == nil:
			// Refused (nobody waiting, a stale screen): read the window.
			if cur, err := t.apis[t.at].current(ctx, win); err == nil {
				current = cur
			}
		}
		select {
		case <-ctx.Done():
		case <-time.After(every):
		}
	}
	return nil
}

// audit reads the journal: the acknowledged tickets and calls missing from
// it, and the numbers issued to more than one ticket.
func audit(ctx context.Context, c *cluster, l *ledger) (lost, twice, issued int, err error) {
	j, err := redisjournal.Open(ctx, c.redis.URL(), redisjournal.Options{Hall: "demo"})
	if err != nil {
		return 0, 0, 0, err
	}
	defer j.Close()
	number := map[string]string{}    // id → number
	holders := map[string][]string{} // day+number → ids
	called := map[[2]string]bool{}
	err = j.Replay(ctx, 0, func(r journal.Record) error {
		ev, err := engine.DecodeRecord(r)
		if err != nil {
			return err
		}
		switch e := ev.Data.(type) {
		case queue.TicketIssued:
			number[e.Ticket.ID] = e.Ticket.Number
			k := ev.At.Format("2006-01-02") + " " + e.Ticket.Number
			holders[k] = append(holders[k], e.Ticket.ID)
		case queue.TicketCalled:
			called[[2]string{e.Window, e.Ticket.ID}] = true
		}
		return nil
	})
	if err != nil {
		return 0, 0, 0, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	for id, n := range l.tickets {
		if number[id] != n {
			lost++
		}
	}
	for k := range l.calls {
		if !called[k] {
			lost++
		}
	}
	for _, ids := range holders {
		if len(ids) > 1 {
			twice++
		}
	}
	return lost, twice, len(number), nil
}

// failoverResult is what a run of kills measured.
type failoverResult struct {
	Rounds    int
	LeaseMS   int
	Takeovers []time.Duration // from each kill to the first command accepted
	Tickets   int             // acknowledged
	Calls     int             // acknowledged
	Retries   int
	Issued    int // tickets in the journal
	Lost      int
	Twice     int
}

// runFailover kills the leader rounds times under load.
func runFailover(ctx context.Context, c *cluster, rounds, kiosks, windows int, log func(string, ...any)) (failoverResult, error) {
	r := failoverResult{Rounds: rounds}
	l := newLedger()
	lctx, stopLoad := context.WithCancel(ctx)
	var wg sync.WaitGroup
	errc := make(chan error, windows)
	for k := range kiosks {
		wg.Go(func() { haKiosk(lctx, c, l, k, 100*time.Millisecond) })
	}
	for w := 1; w <= windows; w++ {
		wg.Go(func() {
			if err := haWindow(lctx, c, l, w, 150*time.Millisecond); err != nil {
				errc <- err
			}
		})
	}
	stop := func() { stopLoad(); wg.Wait() }
	// Under load before the first kill, and between kills.
	settle := func() error {
		from := l.count()
		for deadline := time.Now().Add(20 * time.Second); l.count() < from+50; {
			if time.Now().After(deadline) {
				return errors.New("the hall accepts no commands")
			}
			select {
			case err := <-errc:
				return err
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(20 * time.Millisecond):
			}
		}
		return nil
	}
	for round := range rounds {
		if err := settle(); err != nil {
			stop()
			return r, err
		}
		lead, err := c.waitLeader(ctx, 10*time.Second)
		if err != nil {
			stop()
			return r, err
		}
		c.kill(lead)
		killed := time.Now()
		l.watchFrom(killed)
		var first time.Time
		for deadline := killed.Add(30 * time.Second); first.IsZero(); first = l.firstAfterWatch() {
			if time.Now().After(deadline) {
				stop()
				return r, fmt.Errorf("round %d: no command accepted within 30 s of the kill", round+1)
			}
			time.Sleep(5 * time.Millisecond) // polling the ledger, not waiting for an outcome
		}
		d := first.Sub(killed)
		r.Takeovers = append(r.Takeovers, d)
		log("round %d: killed node %d; first command accepted after %v", round+1, lead, d.Round(time.Millisecond))
		if err := c.start(lead); err != nil {
			stop()
			return r, err
		}
	}
	if err := settle(); err != nil {
		stop()
		return r, err
	}
	stop()
	l.mu.Lock()
	r.Tickets, r.Calls, r.Retries = len(l.tickets), len(l.calls), l.retries
	l.mu.Unlock()
	var err error
	r.Lost, r.Twice, r.Issued, err = audit(ctx, c, l)
	return r, err
}

// quantile of sorted durations.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.999999) - 1
	return s[max(0, min(i, len(s)-1))]
}

func (r failoverResult) print(out io.Writer) {
	fmt.Fprintf(out, "two nodes on one Redis journal, lease %d ms, leader killed with SIGKILL %d times under load\n", r.LeaseMS, r.Rounds)
	fmt.Fprintf(out, "  acknowledged: %d tickets, %d calls (%d retries at the other node); %d tickets in the journal\n", r.Tickets, r.Calls, r.Retries, r.Issued)
	fmt.Fprintf(out, "  lost: %d acknowledged tickets or calls not in the journal; numbers issued twice: %d\n", r.Lost, r.Twice)
	fmt.Fprintf(out, "  kill → first command accepted: min %v, p50 %v, p99 %v, max %v\n",
		quantile(r.Takeovers, 0).Round(time.Millisecond), quantile(r.Takeovers, 0.5).Round(time.Millisecond),
		quantile(r.Takeovers, 0.99).Round(time.Millisecond), quantile(r.Takeovers, 1).Round(time.Millisecond))
}

func (r failoverResult) check() error {
	if r.Lost > 0 || r.Twice > 0 {
		return fmt.Errorf("%d acknowledged commands lost, %d numbers issued twice", r.Lost, r.Twice)
	}
	return nil
}

// buildHallfloor builds the hallfloor binary into dir.
func buildHallfloor(dir string) (string, error) {
	bin := filepath.Join(dir, "hallfloor")
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = "/usr/local/go/bin/go"
	}
	out, err := exec.Command(goTool, "build", "-o", bin, "hallfloor/cmd/hallfloor").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("go build: %v\n%s", err, out)
	}
	return bin, nil
}

// failoverMode is -mode failover.
func failoverMode(ctx context.Context, o options, out io.Writer) error {
	return withCluster(o, func(c *cluster) error {
		r, err := runFailover(ctx, c, o.Rounds, o.Kiosks, o.Calling, func(f string, a ...any) { fmt.Fprintf(out, f+"\n", a...) })
		if err != nil {
			return err
		}
		r.LeaseMS = o.LeaseMS
		r.print(out)
		return r.check()
	})
}

// followerLatencyMode is -mode follower-latency.
func followerLatencyMode(ctx context.Context, o options, out io.Writer) error {
	return withCluster(o, func(c *cluster) error {
		r, err := runFollowerLatency(ctx, c, o.Calls, o.Screens, o.Every)
		if err != nil {
			return err
		}
		r.print(out)
		return r.check()
	})
}

// withCluster runs fn on two nodes of o's binary (built when -bin is
// empty) and lease, their output to -node-log.
func withCluster(o options, fn func(c *cluster) error) error {
	dir, err := os.MkdirTemp("", "hallload-failover-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	bin := o.Bin
	if bin == "" {
		if bin, err = buildHallfloor(dir); err != nil {
			return err
		}
	}
	var nodeLog io.Writer
	if o.NodeLog != "" {
		f, err := os.Create(o.NodeLog)
		if err != nil {
			return err
		}
		defer f.Close()
		nodeLog = f
	}
	c, err := startCluster(bin, dir, o.LeaseMS, nodeLog)
	if err != nil {
		return err
	}
	defer c.stop()
	return fn(c)
}
