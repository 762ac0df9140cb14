package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestMain lets the test binary be the child process that -spawn starts,
// and the hall the year mode kills.
func TestMain(m *testing.M) {
	if isYearChild() {
		if err := yearChild(); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	if len(os.Args) == 2 && os.Args[1] == childFlag {
		if err := serveChild(); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	if haBinDir != "" {
		os.RemoveAll(haBinDir) // the hallfloor built for the failover tests
	}
	os.Exit(code)
}

// TestScreensRunMeasuresTheHall connects idle screens to a hall in a child
// process from several loopback addresses and reads that process's memory:
// a reader per screen is all it may hold (a writer ending just then may
// still be counted, hence the margin).
func TestScreensRunMeasuresTheHall(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	o := options{Mode: "screens", Clients: 40, Dialers: 8, Spawn: true, Sources: 4}
	var out bytes.Buffer
	if err := run(ctx, o, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	var g float64
	i := strings.Index(out.String(), "per screen")
	if i >= 0 {
		line, _, _ := strings.Cut(out.String()[i:], "\n")
		fields := strings.Fields(line)
		if len(fields) >= 2 {
			g, _ = strconv.ParseFloat(fields[len(fields)-2], 64)
		}
	}
	if !strings.Contains(out.String(), "the hall's process") || g < 1 || g >= 1.5 {
		t.Fatalf("summary does not show the hall's memory with one goroutine per idle screen:\n%s", out.String())
	}
}

// TestCallRunDeliversEveryCall runs the load command small against the demo
// hall in process: every screen must get every call, in sequence. It checks
// delivery, never speed.
func TestCallRunDeliversEveryCall(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	o := options{Mode: "call", Clients: 20, Calls: 10, Every: time.Millisecond,
		Window: "1", Service: "A", Staff: "1001", Password: "demo", Settle: 30 * time.Second, Dialers: 8}
	var out bytes.Buffer
	if err := run(ctx, o, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "(200 deliveries)") || !strings.Contains(out.String(), "missed 0, sequence gaps 0, out of order 0, connections ended 0") {
		t.Fatalf("summary does not show 20×10 deliveries without loss:\n%s", out.String())
	}
}

// TestSecondCallRunOnOneHall runs the load command twice against one running
// hall: the first run leaves window 1 serving its last call, and the second
// must say so in its first call (the hall refuses a call made on a stale
// screen), then deliver every call as the first did.
func TestSecondCallRunOnOneHall(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	h, err := startHall(slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer h.stop()
	o := options{URL: h.URL, Mode: "call", Clients: 5, Calls: 5, Every: time.Millisecond,
		Window: "1", Service: "A", Staff: "1001", Password: "demo", Settle: 30 * time.Second, Dialers: 4}
	for i := range 2 {
		var out bytes.Buffer
		if err := run(ctx, o, &out); err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, out.String())
		}
		if !strings.Contains(out.String(), "(25 deliveries)") {
			t.Fatalf("run %d does not show 5×5 deliveries:\n%s", i+1, out.String())
		}
	}
}

// TestCallReportCountsLoss makes sure the check that the run above relies on
// can fail: a report with any loss is an error.
func TestCallReportCountsLoss(t *testing.T) {
	for _, r := range []callReport{{Missed: 1}, {Gaps: 1}, {OutOfOrder: 1}, {Dropped: 1}} {
		if r.check() == nil {
			t.Errorf("report %+v passed the check", r)
		}
	}
	if err := (&callReport{}).check(); err != nil {
		t.Errorf("a clean report failed: %v", err)
	}
}

func TestIssueRunIssuesDurably(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	o := options{Mode: "issue", Workers: 4, Duration: 200 * time.Millisecond, Service: "A"}
	var out bytes.Buffer
	if err := run(ctx, o, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), " 0 failed") {
		t.Fatalf("summary shows failures:\n%s", out.String())
	}
}

func TestPeek(t *testing.T) {
	tests := []struct {
		name string
		msg  string
		want header
	}{
		{"snapshot", `{"type":"snapshot","seq":41,"hall":{"seq":41}}`, header{Type: "snapshot", Seq: 41, Prev: 40}},
		{"call", `{"type":"ticket.called","seq":42,"prev":41,"at":"2025-03-10T09:00:00+08:00","data":{"ticket":{"id":"abc","number":"A001","service":"A"},"window":"1"}}`,
			header{Type: "ticket.called", Seq: 42, Prev: 41, Ticket: "abc"}},
		{"other event", `{"type":"ticket.finished","seq":43,"data":{"ticket":{"id":"abc"}}}`, header{Type: "ticket.finished", Seq: 43, Prev: 42}},
		// After private events the seq skips; prev says nothing was missed.
		{"after private events", `{"type":"ticket.finished","seq":48,"prev":43,"data":{}}`, header{Type: "ticket.finished", Seq: 48, Prev: 43}},
		// Not in the server's field order: the full decode takes over.
		{"reordered", `{"seq":44,"prev":40,"type":"ticket.called","data":{"ticket":{"id":"xyz"}}}`, header{Type: "ticket.called", Seq: 44, Prev: 40, Ticket: "xyz"}},
		{"spaced", `{ "type": "ticket.called", "seq": 45, "data": {"ticket": {"id": "q"}}}`, header{Type: "ticket.called", Seq: 45, Prev: 44, Ticket: "q"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := peek([]byte(tt.msg))
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("peek = %+v, want %+v", got, tt.want)
			}
		})
	}
	if _, err := peek([]byte(`{"type":`)); err == nil {
		t.Error("a cut-off message was read without error")
	}
}

// TestYearRunPrintsEveryTarget runs the year mode tiny (2 days of 200
// numbers on 8 windows): it prints each target's line with its figures,
// and its reports are read from daily figures that count every number
// the simulation issued.
func TestYearRunPrintsEveryTarget(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	dir := filepath.Join(t.TempDir(), "data")
	o := options{Mode: "year", Tickets: 200, Days: 2, Windows: 8, Progress: 1, Dir: dir}
	var out bytes.Buffer
	r, err := runYear(ctx, o, &out)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	num := `[0-9.]+(µs|ms|s)`
	for _, re := range []string{
		`monthly report of a past month +` + num + `, [0-9.]+ MB allocated .*target ≤ 100 ms, ≤ 20 MB`,
		`2025-01 from daily figures \(2 of its 31 days recorded\), 400 numbers \(the simulation issued 400\)`,
		`yearly report +` + num + `, .*target ≤ 1 s`,
		`2025 from daily figures \(2 of its 365 days recorded\), 400 numbers \(the simulation issued 400\)`,
		`longest pause of the writer +max ` + num + `, p99 ` + num + `, rollover ` + num + `; [0-9]+ of [0-9]+ commands over 10 ms.*target ≤ 10 ms`,
		`restart +clean stop ` + num + `, kill -9 ` + num + ` \(4[0-9]{3} events after the last snapshot\)`,
		`data directory +[0-9.]+ MB \([0-9]+ bytes\): journal [0-9.]+ MB, figures [0-9.]+ MB, archive [0-9.]+ MB`,
	} {
		if !regexp.MustCompile(re).MatchString(out.String()) {
			t.Errorf("no line matches %s in\n%s", re, out.String())
		}
	}
	if r.Issued != 400 || r.Month.Issued != 400 || r.Year.Issued != 400 || r.Month.Recorded != 2 {
		t.Errorf("issued %d; the month's report counts %d (%d days recorded), the year's %d", r.Issued, r.Month.Issued, r.Month.Recorded, r.Year.Issued)
	}
	if r.Waits.n != r.Commands || r.Commands < 400 || r.Clean <= 0 || r.Crash <= 0 {
		t.Errorf("%d commands, %d waits, restarts %s and %s", r.Commands, r.Waits.n, r.Clean, r.Crash)
	}
	// The figures file the reports read is the hall's, in the directory kept.
	if fi, err := os.Stat(filepath.Join(dir, "figures-big.db")); err != nil || fi.Size() == 0 || r.Disk.Figures == 0 {
		t.Errorf("figures-big.db: %v", err)
	}
}

// The year mode's histogram of waits gives its quantiles to the step above
// and the longest wait as it was.
func TestWaitsQuantiles(t *testing.T) {
	var w waits
	for i := 1; i <= 1000; i++ {
		w.add(time.Duration(i) * 10 * time.Microsecond)
	}
	w.add(20 * time.Second)
	if w.n != 1001 || w.max != 20*time.Second || w.over(10*time.Millisecond) != 1 || w.over(5*time.Millisecond) != 501 {
		t.Errorf("n %d, max %s, over 10 ms %d, over 5 ms %d", w.n, w.max, w.over(10*time.Millisecond), w.over(5*time.Millisecond))
	}
	if p50, p99 := w.quantile(0.5), w.quantile(0.99); p50 < 5*time.Millisecond || p50 > 5020*time.Microsecond || p99 < 9900*time.Microsecond || p99 > 9930*time.Microsecond {
		t.Errorf("p50 %s, p99 %s", p50, p99)
	}
}
