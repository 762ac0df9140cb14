// Command hallload puts a hall under load and measures what its people
// would notice: how long after a clerk presses "next" every screen in the
// hall shows the call, and how many numbers per second the kiosks can take
// durably.
//
//	hallload [-url http://host:port] [-clients 1000] [-calls 200] [-every 50ms]
//	hallload -mode issue [-url …] [-duration 10s] [-workers 64]
//	hallload -flood 32 [-flood-staff 1002] …   (calls during a sign-in flood)
//	hallload -mode screens -spawn [-clients 10000]   (what idle screens cost)
//	hallload -mode year [-tickets 15000 -days 250] [-dir DIR]   (a big hall's year)
//	hallload -mode failover [-rounds 20] [-lease-ms 3000]   (two nodes, the leader killed under load)
//	hallload -mode follower-latency [-calls 200 -every 50ms -screens 50]   (a call seen on a follower's screens and the leader's)
//
// Without -url it runs the demo hall in this process on a random port with a
// fresh data directory, wired as `hallfloor serve` wires it, except that
// this one address may hold every connection; the demo hall's kiosk (this
// machine) issues as fast as the hall can. With -spawn that hall runs in a
// child process instead, so the load is a process apart from the server
// and the server's memory is its own. A hall given with -url must
// allow it in its hall file (server.connections.per_source and total), or
// the screens past its share are refused; list the load machine in
// server.kiosks and raise server.limits.kiosk_tickets_per_minute, or the
// hall refuses the numbers beyond a kiosk's rate as it would a flood.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"math"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

type options struct {
	URL      string
	Mode     string
	Clients  int
	Calls    int
	Every    time.Duration
	Window   string
	Service  string
	Staff    string
	Password string
	Settle   time.Duration
	Duration time.Duration
	Workers  int
	Dialers  int
	Profile  string
	// Flood sign-in clients run beside the calls; FloodStaff is the staff
	// number they guess at ("" for made-up ones).
	Flood      int
	FloodStaff string
	// Spawn runs the demo hall in a child process; Sources spreads the
	// screens over that many loopback source addresses.
	Spawn   bool
	Sources int
	// The failover mode: Rounds kills of the leader of two nodes whose
	// lease lasts LeaseMS, under Kiosks issuing and Calling windows; Bin is
	// a built hallfloor (built afresh when empty), NodeLog where the
	// nodes' output goes.
	Rounds  int
	LeaseMS int
	Kiosks  int
	Calling int
	Bin     string
	NodeLog string
	// The follower-latency mode: Screens WebSocket clients on each of two
	// nodes, Calls calls at the leader one every Every.
	Screens int
	// The year mode's big hall: Tickets a day on Windows windows for Days
	// days of service, progress every Progress days, the data in Dir.
	Tickets, Days, Windows, Progress int
	Dir                              string
}

func main() {
	var o options
	flag.StringVar(&o.URL, "url", "", "a running hallfloor, e.g. http://127.0.0.1:8081; empty runs the demo hall in this process")
	flag.StringVar(&o.Mode, "mode", "call", "call: screens and calls; issue: durable ticket issue throughput; screens: what idle screens cost the server; year: a big hall's year simulated through the engine and journal; failover: two nodes, the leader killed under load; follower-latency: a call seen on a follower's screens against the leader's")
	flag.IntVar(&o.Clients, "clients", 1000, "WebSocket screens to connect (call mode)")
	flag.IntVar(&o.Calls, "calls", 200, "calls to make from the window (call mode)")
	flag.DurationVar(&o.Every, "every", 50*time.Millisecond, "pace of the calls (call mode)")
	flag.StringVar(&o.Window, "window", "1", "window to call from")
	flag.StringVar(&o.Service, "service", "A", "service the window calls (its numbers are issued first)")
	flag.StringVar(&o.Staff, "staff", "1001", "clerk who signs on at the window")
	flag.StringVar(&o.Password, "password", "demo", "the clerk's password")
	flag.DurationVar(&o.Settle, "settle", 10*time.Second, "how long screens may take to get the last call before it counts as missed")
	flag.DurationVar(&o.Duration, "duration", 10*time.Second, "how long to issue tickets (issue mode)")
	flag.IntVar(&o.Workers, "workers", 64, "kiosks issuing at once (issue mode)")
	flag.IntVar(&o.Dialers, "dialers", 64, "screens connecting at once")
	flag.IntVar(&o.Flood, "flood", 0, "clients sending wrong sign-ins during the calls (call mode), each from its own loopback address")
	flag.StringVar(&o.FloodStaff, "flood-staff", "", "staff number the flood guesses at; empty for made-up numbers")
	flag.BoolVar(&o.Spawn, "spawn", false, "run the demo hall in a child process rather than in this one")
	flag.IntVar(&o.Sources, "sources", 1, "loopback source addresses the screens connect from (127.0.0.1 on), for a hall that limits connections per address")
	flag.IntVar(&o.Tickets, "tickets", 15000, "numbers issued a day (year mode)")
	flag.IntVar(&o.Days, "days", 250, "days of service to simulate, weekdays from 2025-01-01 (year mode)")
	flag.IntVar(&o.Windows, "windows", 40, "windows of the big hall (year mode)")
	flag.IntVar(&o.Progress, "progress", 10, "print progress every this many days (year mode)")
	flag.StringVar(&o.Dir, "dir", "", "data directory to keep (year mode; must be empty or new); empty uses a temporary one")
	flag.StringVar(&o.Profile, "cpuprofile", "", "write a CPU profile of the run (the in-process hall included) to this file; with -spawn the hall's goes to this file.hall")
	if isYearChild() {
		if err := yearChild(); err != nil {
			fmt.Fprintln(os.Stderr, "hallload year child:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) == 2 && os.Args[1] == childFlag {
		if err := serveChild(); err != nil {
			fmt.Fprintln(os.Stderr, "hallload child:", err)
			os.Exit(1)
		}
		return
	}
	flag.IntVar(&o.Rounds, "rounds", 20, "times the leader is killed (failover mode)")
	flag.IntVar(&o.LeaseMS, "lease-ms", 3000, "the nodes' writing lease (failover mode; server.ha.lease_ms)")
	flag.IntVar(&o.Kiosks, "kiosks", 16, "kiosks issuing numbers (failover mode)")
	flag.IntVar(&o.Calling, "calling", 8, "windows calling, 1 to 8 (failover mode)")
	flag.StringVar(&o.Bin, "bin", "", "a built hallfloor binary (failover mode); empty builds one")
	flag.StringVar(&o.NodeLog, "node-log", "", "file for the nodes' output (failover and follower-latency modes); empty discards it")
	flag.IntVar(&o.Screens, "screens", 50, "WebSocket screens on each node (follower-latency mode; its calls are -calls, one every -every)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "hallload:", err)
		os.Exit(1)
	}
}

// run carries out one load run and prints its summary to out. It fails when
// the run could not be carried out, or when a call-mode run saw a screen
// miss or misorder an event.
func run(ctx context.Context, o options, out io.Writer) error {
	if err := raiseFileLimit(); err != nil {
		fmt.Fprintln(out, "warning: cannot raise the open-file limit:", err)
	}
	if o.Profile != "" {
		f, err := os.Create(o.Profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	if o.Mode == "year" {
		_, err := runYear(ctx, o, out)
		return err
	}
	if o.Mode == "failover" {
		return failoverMode(ctx, o, out)
	}
	if o.Mode == "follower-latency" {
		return followerLatencyMode(ctx, o, out)
	}
	base := strings.TrimRight(o.URL, "/")
	where := base
	var memOf func() (mem, error)
	measured := ""
	switch {
	case base == "" && o.Spawn:
		profile := ""
		if o.Profile != "" {
			profile = o.Profile + ".hall"
		}
		c, err := startChild(profile)
		if err != nil {
			return fmt.Errorf("start the demo hall in a child process: %w", err)
		}
		defer c.stop()
		base, where = c.URL, c.URL+" (demo hall in a child process)"
		memOf, measured = c.mem, "the hall's process"
	case base == "":
		log := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
		h, err := startHall(log)
		if err != nil {
			return fmt.Errorf("start the demo hall: %w", err)
		}
		defer h.stop()
		base, where = h.URL, h.URL+" (demo hall in this process)"
		memOf = func() (mem, error) { return readMem(), nil }
		measured = "this process, the screens' side included"
	}
	switch o.Mode {
	case "call":
		r, err := runCalls(ctx, base, o)
		if err != nil {
			return err
		}
		r.print(out, where, o)
		return r.check()
	case "issue":
		r, err := runIssue(ctx, base, o)
		if err != nil {
			return err
		}
		r.print(out, where, o)
		return r.check()
	case "screens":
		r, err := runIdle(ctx, base, o, memOf)
		if err != nil {
			return err
		}
		if memOf != nil {
			r.Measured = measured
		}
		r.print(out, where)
		return nil
	}
	return fmt.Errorf("unknown -mode %q (call, issue, screens, year, failover or follower-latency)", o.Mode)
}

// raiseFileLimit lifts the soft open-file limit to the hard one: a thousand
// screens are a thousand sockets on each side when the hall runs in this
// process.
func raiseFileLimit() error {
	var l syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &l); err != nil {
		return err
	}
	if l.Cur >= l.Max {
		return nil
	}
	l.Cur = l.Max
	return syscall.Setrlimit(syscall.RLIMIT_NOFILE, &l)
}

// callReport is what the screens saw of the calls.
type callReport struct {
	Screens     int
	Calls       int
	Setup       time.Duration // connecting every screen until its snapshot is in
	Latencies   []time.Duration
	LastScreen  []time.Duration // per call: until the last screen had it
	Request     []time.Duration // per call: the clerk's request until its answer
	Missed      int             // (screen, call) pairs never delivered
	Gaps        uint64          // sequence numbers skipped on some screen
	OutOfOrder  int
	Dropped     int // screens whose connection ended early
	DropReasons []string
	Elapsed     time.Duration // first call to last answer
	Flood       string        // how the sign-in flood was answered, if any
}

func runCalls(ctx context.Context, base string, o options) (*callReport, error) {
	if o.Clients < 1 || o.Calls < 1 {
		return nil, errors.New("-clients and -calls must be at least 1")
	}
	a := newAPI(base, 16)
	r := &callReport{Screens: o.Clients, Calls: o.Calls}

	start := time.Now()
	ss, err := connectScreens(ctx, base, o.Clients, max(1, o.Dialers), o.Sources)
	if err != nil {
		return nil, err
	}
	defer ss.close()
	r.Setup = time.Since(start)

	if err := a.login(ctx, o.Staff, o.Password); err != nil {
		return nil, err
	}
	if err := a.openWindow(ctx, o.Window, o.Staff); err != nil {
		return nil, err
	}
	if _, err := issueN(ctx, a, o.Service, o.Calls); err != nil {
		return nil, err
	}
	// Each call says which ticket the clerk's screen shows as current.
	current, err := a.current(ctx, o.Window)
	if err != nil {
		return nil, err
	}

	// The calls, at a steady pace: call i goes out at start + i×every, or at
	// once if the previous answer came later than that.
	if o.Flood > 0 {
		f := startFlood(ctx, base, o.Flood, o.FloodStaff)
		time.Sleep(time.Second) // the flood under way before the first call
		defer func() { r.Flood = f.end() }()
	}
	sent := make(map[string]time.Time, o.Calls)
	order := make([]string, 0, o.Calls)
	before := ss.called.Load()
	callStart := time.Now()
	for i := range o.Calls {
		if wait := time.Until(callStart.Add(time.Duration(i) * o.Every)); wait > 0 {
			select {
			case <-time.After(wait):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		t0 := time.Now()
		id, err := a.call(ctx, o.Window, current)
		if err != nil {
			return nil, fmt.Errorf("call %d: %w", i+1, err)
		}
		current = id
		r.Request = append(r.Request, time.Since(t0))
		sent[id] = t0
		order = append(order, id)
	}
	r.Elapsed = time.Since(callStart)

	// Wait until every screen has every call, or the settling time is up.
	want := before + int64(o.Clients*o.Calls)
	deadline := time.Now().Add(o.Settle)
	for ss.called.Load() < want && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}

	last := make([]time.Duration, len(order))
	for _, s := range ss.list {
		s.mu.Lock()
		for i, id := range order {
			at, ok := s.calledAt[id]
			if !ok {
				r.Missed++
				continue
			}
			d := at.Sub(sent[id])
			r.Latencies = append(r.Latencies, d)
			last[i] = max(last[i], d)
		}
		r.Gaps += s.gaps
		r.OutOfOrder += s.outOfOrder
		if s.err != nil {
			r.Dropped++
			if len(r.DropReasons) < 5 {
				r.DropReasons = append(r.DropReasons, s.err.Error())
			}
		}
		s.mu.Unlock()
	}
	r.LastScreen = last
	return r, nil
}

// issueN takes n numbers for the service, sixteen kiosks at a time.
func issueN(ctx context.Context, a *api, service string, n int) ([]string, error) {
	ids := make([]string, n)
	var next atomic.Int64
	var mu sync.Mutex
	var first error
	var wg sync.WaitGroup
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	for range 16 {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				id, err := a.issue(ctx, service, "hallload-"+run+"-"+strconv.Itoa(i))
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("issue a %s number: %w", service, err)
					}
					mu.Unlock()
					return
				}
				ids[i] = id
			}
		})
	}
	wg.Wait()
	return ids, first
}

func (r *callReport) check() error {
	if r.Missed > 0 || r.Gaps > 0 || r.OutOfOrder > 0 || r.Dropped > 0 {
		return fmt.Errorf("screens lost events: %d missed calls, %d sequence gaps, %d out of order, %d connections ended",
			r.Missed, r.Gaps, r.OutOfOrder, r.Dropped)
	}
	return nil
}

func (r *callReport) print(w io.Writer, where string, o options) {
	fmt.Fprintf(w, "hallload call: %s\n", where)
	fmt.Fprintf(w, "  screens      %d connected with snapshots in %s\n", r.Screens, round(r.Setup))
	fmt.Fprintf(w, "  calls        %d from window %s every %s, done in %s (%.1f calls/s)\n",
		r.Calls, o.Window, o.Every, round(r.Elapsed), float64(r.Calls)/r.Elapsed.Seconds())
	fmt.Fprintf(w, "  call request %s\n", quantiles(r.Request))
	fmt.Fprintf(w, "  call→screen  %s   (%d deliveries)\n", quantiles(r.Latencies), len(r.Latencies))
	fmt.Fprintf(w, "  call→all     %s   (until the last screen had it)\n", quantiles(r.LastScreen))
	if r.Flood != "" {
		fmt.Fprintf(w, "  flood        %d clients: %s\n", o.Flood, r.Flood)
	}
	fmt.Fprintf(w, "  missed %d, sequence gaps %d, out of order %d, connections ended %d\n",
		r.Missed, r.Gaps, r.OutOfOrder, r.Dropped)
	for _, s := range r.DropReasons {
		fmt.Fprintf(w, "    ended: %s\n", s)
	}
}

// issueReport is what the kiosks saw.
type issueReport struct {
	Workers  int
	Elapsed  time.Duration
	OK       int
	Failed   int
	Errors   []string
	Requests []time.Duration
}

func runIssue(ctx context.Context, base string, o options) (*issueReport, error) {
	if o.Workers < 1 || o.Duration <= 0 {
		return nil, errors.New("-workers must be at least 1 and -duration positive")
	}
	services := strings.Split(o.Service, ",")
	if o.Service == "A" {
		// The default: every service of the demo hall, as kiosks would.
		services = []string{"A", "B", "C", "Q", "Z"}
	}
	r := &issueReport{Workers: o.Workers}
	run := strconv.FormatInt(time.Now().UnixNano(), 36)
	lat := make([][]time.Duration, o.Workers)
	fails := make([]int, o.Workers)
	var mu sync.Mutex
	var wg sync.WaitGroup
	var n atomic.Int64
	stopAt := time.Now().Add(o.Duration)
	start := time.Now()
	kiosks := make([]issuer, o.Workers)
	for k := range kiosks {
		var err error
		if kiosks[k], err = newIssuer(base, o.Workers); err != nil {
			return nil, err
		}
	}
	for k, ks := range kiosks {
		wg.Go(func() {
			defer ks.close()
			for time.Now().Before(stopAt) && ctx.Err() == nil {
				i := n.Add(1)
				t0 := time.Now()
				_, err := ks.issue(ctx, services[int(i)%len(services)], "hallload-"+run+"-"+strconv.FormatInt(i, 10))
				if err != nil {
					fails[k]++
					mu.Lock()
					if len(r.Errors) < 5 {
						r.Errors = append(r.Errors, err.Error())
					}
					mu.Unlock()
					continue
				}
				lat[k] = append(lat[k], time.Since(t0))
			}
		})
	}
	wg.Wait()
	r.Elapsed = time.Since(start)
	for k := range o.Workers {
		r.Requests = append(r.Requests, lat[k]...)
		r.Failed += fails[k]
	}
	r.OK = len(r.Requests)
	return r, nil
}

func (r *issueReport) check() error {
	if r.Failed > 0 {
		return fmt.Errorf("%d ticket requests failed", r.Failed)
	}
	if r.OK == 0 {
		return errors.New("no ticket was issued")
	}
	return nil
}

func (r *issueReport) print(w io.Writer, where string, o options) {
	fmt.Fprintf(w, "hallload issue: %s\n", where)
	fmt.Fprintf(w, "  kiosks       %d issuing for %s\n", r.Workers, round(r.Elapsed))
	fmt.Fprintf(w, "  issued       %d durable tickets, %.0f tickets/s, %d failed\n",
		r.OK, float64(r.OK)/r.Elapsed.Seconds(), r.Failed)
	fmt.Fprintf(w, "  request      %s\n", quantiles(r.Requests))
	for _, s := range r.Errors {
		fmt.Fprintf(w, "    error: %s\n", s)
	}
}

// quantiles formats p50, p90, p99 and the maximum of ds.
func quantiles(ds []time.Duration) string {
	if len(ds) == 0 {
		return "no samples"
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	q := func(p float64) time.Duration {
		i := int(math.Ceil(p*float64(len(s)))) - 1
		return s[max(0, min(i, len(s)-1))]
	}
	return fmt.Sprintf("p50 %s  p90 %s  p99 %s  max %s",
		round(q(0.50)), round(q(0.90)), round(q(0.99)), round(s[len(s)-1]))
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	default:
		return d.Round(time.Microsecond)
	}
}
