package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hallfloor/app"
	"hallfloor/archive"
	"hallfloor/config"
	hallpkg "hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/report"
	"hallfloor/room"
	"hallfloor/simday"
	"hallfloor/sms"
)

// The year mode simulates a big hall's days of service through the hall
// as `hallfloor serve` assembles it (app.Open: the engine on its SQLite
// journal, the daily figures recorded beside it, the retention at the hall
// file's default settings), with a fake clock that skips nights and
// weekends, and measures in that run the targets of a big hall's year:
// the monthly and yearly reports read from the daily figures, the
// writer's longest waits, the restarts after a clean stop and after
// kill -9, and what the data directory holds.

// The crash child is this binary run with yearChildEnv set to the data
// directory: it opens the hall there, writes crashEvents events, says
// "ready" and waits to be killed.
const (
	yearChildEnv  = "HALLLOAD_YEAR_CRASH_DIR"
	yearClockEnv  = "HALLLOAD_YEAR_CRASH_CLOCK"
	yearWinEnv    = "HALLLOAD_YEAR_CRASH_WINDOWS"
	crashEvents   = 4800 // fewer than the engine's 5,000 between snapshots: all to replay
	monthTarget   = 100 * time.Millisecond
	monthAllocMB  = 20
	yearTarget    = time.Second
	pauseTarget   = 10 * time.Millisecond
	cleanTarget   = 500 * time.Millisecond
	crashTarget   = time.Second
	reportRepeats = 3
)

// yearReport is what a year run measured.
type yearReport struct {
	Days, Tickets, Windows int
	From, To               time.Time // the first and the last day served
	Elapsed                time.Duration
	Commands               int
	Issued                 int
	Month, Year            reportRun
	Waits                  waits  // every command's
	Retaining              waits  // the commands while a turn of the retention ran
	Recording              waits  // the commands while the daily figures were recorded
	Longest                string // the command that waited longest, and when
	Rollover               time.Duration
	RetentionTurns         int
	Scrubbed, Archived     int
	Clean, Crash           time.Duration
	CrashEvents            int
	Disk                   disk
}

// reportRun is a report read from the daily figures, timed.
type reportRun struct {
	Label             string
	Recorded, Days    int // days recorded in the figures, of the period's
	Issued, SimIssued int // numbers the report counts, and the simulation issued in the period
	Best, Worst       time.Duration
	Alloc             uint64 // bytes allocated by the fastest run
	Partial           bool   // the period had not ended when read
}

type disk struct{ Total, Journal, Figures, Archive int64 }

// waits is a histogram of command waits in 10 µs steps up to 10 s.
type waits struct {
	n       int
	max     time.Duration
	buckets []int
}

const waitStep = 10 * time.Microsecond

func (w *waits) add(d time.Duration) {
	if w.buckets == nil {
		w.buckets = make([]int, int(10*time.Second/waitStep)+1)
	}
	w.n++
	w.max = max(w.max, d)
	w.buckets[min(int(d/waitStep), len(w.buckets)-1)]++
}

// quantile is the wait that p of the commands waited at most, to the step
// above.
func (w *waits) quantile(p float64) time.Duration {
	if w.n == 0 {
		return 0
	}
	want, seen := int(p*float64(w.n)+0.999999), 0
	for i, c := range w.buckets {
		if seen += c; seen >= max(want, 1) {
			return min(time.Duration(i+1)*waitStep, w.max)
		}
	}
	return w.max
}

// over counts the waits longer than d (to the step).
func (w *waits) over(d time.Duration) int {
	n := 0
	for i := int(d/waitStep) + 1; i < len(w.buckets); i++ {
		n += w.buckets[i]
	}
	return n
}

func yearHallOptions(h *config.Hall, dir string, clock func() time.Time) app.Options {
	return app.Options{Hall: h, Data: dir, Sim: true, Clock: clock, Sender: discardSMS{},
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
}

// discardSMS takes the hall's messages and sends none.
type discardSMS struct{}

func (discardSMS) Send(context.Context, sms.Message) error { return nil }

func runYear(ctx context.Context, o options, out io.Writer) (*yearReport, error) {
	if o.Tickets < 1 || o.Days < 1 || o.Windows < 1 {
		return nil, errors.New("-tickets, -days and -windows must be at least 1")
	}
	dir := o.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "hallload-year-")
		if err != nil {
			return nil, err
		}
		defer os.RemoveAll(d)
		dir = d
	} else if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("-dir %s is not empty: the year starts from a new hall", dir)
	}
	h := simday.Hall(o.Windows)
	clock := simday.NewClock(simday.First.Add(7 * time.Hour))
	r := &yearReport{Days: o.Days, Tickets: o.Tickets, Windows: o.Windows}
	fmt.Fprintf(out, "hallload year: %d days of service of %d numbers on %d windows from %s, through the hall as `hallfloor serve` assembles it, data in %s\n",
		o.Days, o.Tickets, o.Windows, simday.First.Format(time.DateOnly), dir)

	a, err := app.Open(ctx, yearHallOptions(h, dir, clock.Now))
	if err != nil {
		return nil, err
	}
	a.Start()
	stopped := false
	defer func() {
		if !stopped {
			a.Close()
		}
	}()
	sim := simday.New(a.Engine, a.Engine.Setup(), clock)
	sim.Personal = true
	var retaining, recording atomic.Bool
	var bg sync.WaitGroup
	var mu sync.Mutex // guards what the background turns report
	var bgErr error
	sim.Wait = func(cmd hallpkg.Command, d time.Duration, first bool) {
		r.Commands++
		if d > r.Waits.max {
			r.Longest = fmt.Sprintf("%T at %s", cmd, clock.Now().Format("2006-01-02 15:04:05"))
		}
		r.Waits.add(d)
		if retaining.Load() {
			r.Retaining.add(d)
		}
		if recording.Load() {
			r.Recording.add(d)
		}
		if first {
			r.Rollover = max(r.Rollover, d)
		}
	}
	// As the hall runs them beside the writer: the retention's turn each
	// hour, and the daily figures of the day before in the morning.
	sim.Hourly = func(now time.Time) {
		if now.Hour() == int(simday.Opens/time.Hour) {
			recording.Store(true)
			bg.Go(func() {
				defer recording.Store(false)
				if _, err := a.RecordFigures(ctx); err != nil {
					mu.Lock()
					bgErr = errors.Join(bgErr, fmt.Errorf("daily figures: %w", err))
					mu.Unlock()
				}
			})
		}
		if !retaining.CompareAndSwap(false, true) {
			return // the last turn is still running
		}
		bg.Go(func() {
			defer retaining.Store(false)
			res, err := a.KeepRetention(ctx)
			mu.Lock()
			defer mu.Unlock()
			r.RetentionTurns++
			r.Scrubbed += res.Scrubbed
			r.Archived += res.Archived
			if err != nil {
				bgErr = errors.Join(bgErr, fmt.Errorf("retention: %w", err))
			}
		})
	}
	every := max(o.Progress, 1)
	start := time.Now()
	next := sim.Days(simday.First, o.Days, o.Tickets, func(i int, date time.Time) {
		if r.From.IsZero() {
			r.From = date
		}
		r.To = date
		if (i+1)%every == 0 || i+1 == o.Days {
			d, _ := measureDisk(h, dir)
			fmt.Fprintf(out, "  day %d/%d %s  %s elapsed  commands %d, wait max %s p99 %s  journal %s, figures %s, archive %s\n",
				i+1, o.Days, date.Format(time.DateOnly), time.Since(start).Round(time.Second), r.Commands,
				round(r.Waits.max), round(r.Waits.quantile(0.99)), mb(d.Journal), mb(d.Figures), mb(d.Archive))
		}
	})
	bg.Wait()
	r.Elapsed = time.Since(start)
	if bgErr != nil {
		return nil, bgErr
	}
	// The next morning: the last day recorded, the retention's turn.
	now := next.Add(simday.Opens - time.Hour)
	clock.Set(now)
	if _, err := a.RecordFigures(ctx); err != nil {
		return nil, err
	}
	if _, err := a.KeepRetention(ctx); err != nil {
		return nil, err
	}
	for _, n := range sim.Issued {
		r.Issued += n
	}

	// The reports, read from the daily figures as the hall's report pages
	// read them.
	loc := simday.Location
	monthP, partial := pastMonth(r.From, now, loc)
	if r.Month, err = timeReport(ctx, a, monthP, now, sim.Issued); err != nil {
		return nil, err
	}
	r.Month.Partial = partial
	yearP, _ := report.Year(strconv.Itoa(r.From.Year()), loc)
	if r.Year, err = timeReport(ctx, a, yearP, now, sim.Issued); err != nil {
		return nil, err
	}
	r.Year.Partial = !now.After(yearP.To)

	// A clean stop, as at a signal: the writer's last snapshot; then the
	// directory, and the start on it.
	a.Close()
	stopped = true
	if r.Disk, err = measureDisk(h, dir); err != nil {
		return nil, err
	}
	t0 := time.Now()
	b, err := app.Open(ctx, yearHallOptions(h, dir, clock.Now))
	if err != nil {
		return nil, fmt.Errorf("restart after a clean stop: %w", err)
	}
	r.Clean = time.Since(t0)
	b.Close()

	// kill -9: a child process writes events, and is killed before any
	// snapshot holds them.
	if r.CrashEvents, err = crashChild(ctx, dir, o.Windows, now.Add(time.Hour)); err != nil {
		return nil, fmt.Errorf("the hall killed with -9: %w", err)
	}
	t0 = time.Now()
	c, err := app.Open(ctx, yearHallOptions(h, dir, clock.Now))
	if err != nil {
		return nil, fmt.Errorf("restart after kill -9: %w", err)
	}
	r.Crash = time.Since(t0)
	c.Close()

	r.print(out)
	return r, nil
}

// pastMonth is the last month over by now that the simulated days
// cover from its start, or else the month of the first day (not over), as
// a hall reads last month's report.
func pastMonth(from, now time.Time, loc *time.Location) (report.Period, bool) {
	first := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, loc)
	for m := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, loc); !m.Before(first); m = m.AddDate(0, -1, 0) {
		if !m.Before(from) && !m.AddDate(0, 1, 0).After(now) {
			p, _ := report.Month(m.Format("2006-01"), loc)
			return p, false
		}
	}
	p, _ := report.Month(from.Format("2006-01"), loc)
	return p, true
}

// timeReport reads the period's report from the daily figures
// reportRepeats times, and keeps the fastest.
func timeReport(ctx context.Context, a *app.App, p report.Period, now time.Time, issued map[string]int) (reportRun, error) {
	fig := a.Figures()
	rr := reportRun{Label: p.Label}
	var err error
	if rr.Recorded, rr.Days, err = fig.RecordedDays(ctx, p); err != nil {
		return rr, err
	}
	for day, n := range issued {
		if d, err := time.ParseInLocation(time.DateOnly, day, p.From.Location()); err == nil && !d.Before(p.From) && d.Before(p.To) {
			rr.SimIssued += n
		}
	}
	for i := range reportRepeats {
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		t0 := time.Now()
		as, err := fig.Assemble(ctx, p, now, false)
		if err != nil {
			return rr, err
		}
		rep := as.Report(a.Hall.Hall.Name)
		d := time.Since(t0)
		runtime.ReadMemStats(&after)
		rr.Issued = rep.Totals.Issued
		if i == 0 || d < rr.Best {
			rr.Best, rr.Alloc = d, after.TotalAlloc-before.TotalAlloc
		}
		rr.Worst = max(rr.Worst, d)
	}
	return rr, nil
}

func measureDisk(h *config.Hall, dir string) (disk, error) {
	var d disk
	files := func(path string) int64 {
		var n int64
		for _, p := range []string{path, path + "-wal", path + "-shm"} {
			if fi, err := os.Stat(p); err == nil {
				n += fi.Size()
			}
		}
		return n
	}
	d.Journal = files(app.JournalFile(h, dir))
	d.Figures = files(app.FiguresFile(h, dir))
	d.Archive = dirBytes(archive.DirOf(dir))
	d.Total = dirBytes(dir)
	return d, nil
}

func dirBytes(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, e fs.DirEntry, err error) error {
		if err == nil && !e.IsDir() {
			if fi, err := e.Info(); err == nil {
				n += fi.Size()
			}
		}
		return nil
	})
	return n
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/1e6) }

func met(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}

func (r *yearReport) print(w io.Writer) {
	fmt.Fprintf(w, "  simulated    %d days (%s to %s), %d numbers issued, %d commands, in %s; %d turns of the retention (%d events' personal data erased, %d archived)\n",
		r.Days, r.From.Format(time.DateOnly), r.To.Format(time.DateOnly), r.Issued, r.Commands, r.Elapsed.Round(time.Second),
		r.RetentionTurns, r.Scrubbed, r.Archived)
	period := func(rr reportRun) string {
		s := fmt.Sprintf("%s from daily figures (%d of its %d days recorded), %d numbers (the simulation issued %d)",
			rr.Label, rr.Recorded, rr.Days, rr.Issued, rr.SimIssued)
		if rr.Partial {
			s += ", the period not over"
		}
		return s
	}
	fmt.Fprintf(w, "  %-34s %s   target ≤ 100 ms, ≤ 20 MB   %s\n", "monthly report of a past month",
		fmt.Sprintf("%s, %.1f MB allocated (slowest of %d: %s)", round(r.Month.Best), float64(r.Month.Alloc)/1e6, reportRepeats, round(r.Month.Worst)),
		met(r.Month.Best <= monthTarget && r.Month.Alloc <= monthAllocMB*1e6))
	fmt.Fprintf(w, "  %-34s   %s\n", "", period(r.Month))
	fmt.Fprintf(w, "  %-34s %s   target ≤ 1 s   %s\n", "yearly report",
		fmt.Sprintf("%s, %.1f MB allocated (slowest of %d: %s)", round(r.Year.Best), float64(r.Year.Alloc)/1e6, reportRepeats, round(r.Year.Worst)),
		met(r.Year.Best <= yearTarget))
	fmt.Fprintf(w, "  %-34s   %s\n", "", period(r.Year))
	fmt.Fprintf(w, "  %-34s max %s, p99 %s, rollover %s; %d of %d commands over 10 ms   target ≤ 10 ms   %s\n",
		"longest pause of the writer", round(r.Waits.max), round(r.Waits.quantile(0.99)), round(r.Rollover), r.Waits.over(pauseTarget), r.Waits.n,
		met(r.Waits.max <= pauseTarget))
	fmt.Fprintf(w, "  %-34s   the longest: %s; while the retention ran: max %s, p99 %s (%d commands); while the daily figures were recorded: max %s, p99 %s (%d)\n",
		"", r.Longest, round(r.Retaining.max), round(r.Retaining.quantile(0.99)), r.Retaining.n,
		round(r.Recording.max), round(r.Recording.quantile(0.99)), r.Recording.n)
	fmt.Fprintf(w, "  %-34s clean stop %s, kill -9 %s (%d events after the last snapshot)   target ≤ 0.5 s / ≤ 1 s   %s\n",
		"restart", round(r.Clean), round(r.Crash), r.CrashEvents, met(r.Clean <= cleanTarget && r.Crash <= crashTarget))
	fmt.Fprintf(w, "  %-34s %s (%d bytes): journal %s, figures %s, archive %s (retention: journal %d days, personal data %d)   target stated\n",
		"data directory", mb(r.Disk.Total), r.Disk.Total, mb(r.Disk.Journal), mb(r.Disk.Figures), mb(r.Disk.Archive),
		config.DefaultJournalDays, config.DefaultPersonalDays)
	fmt.Fprintf(w, "  screens and HTTP: hallload -mode call | issue | screens (docs/PERFORMANCE.md)\n")
}

// crashChild runs this binary as a hall on dir at the clock's time, lets
// it write crashEvents events, then kills it with SIGKILL; it returns how
// many events the child wrote.
func crashChild(ctx context.Context, dir string, windows int, at time.Time) (int, error) {
	self, err := os.Executable()
	if err != nil {
		return 0, err
	}
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), yearChildEnv+"="+dir, yearClockEnv+"="+at.Format(time.RFC3339Nano), yearWinEnv+"="+strconv.Itoa(windows))
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		return 0, err
	}
	defer in.Close()
	outp, err := cmd.StdoutPipe()
	if err != nil {
		return 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, err
	}
	line, err := bufio.NewReader(outp).ReadString('\n')
	cmd.Process.Kill()
	cmd.Wait()
	n, ok := strings.CutPrefix(strings.TrimSpace(line), "ready ")
	if err != nil || !ok {
		return 0, fmt.Errorf("the child did not get ready: %q %v", line, err)
	}
	return strconv.Atoi(n)
}

// isYearChild says whether this process is the crash child.
func isYearChild() bool { return os.Getenv(yearChildEnv) != "" }

// yearChild is the crash child's side: the hall on the directory, each
// window calling after a number is issued for it, until crashEvents
// events are written; then "ready" and a wait for the kill.
func yearChild() error {
	ctx := context.Background()
	at, err := time.Parse(time.RFC3339Nano, os.Getenv(yearClockEnv))
	if err != nil {
		return err
	}
	windows, err := strconv.Atoi(os.Getenv(yearWinEnv))
	if err != nil {
		return err
	}
	h := simday.Hall(windows)
	clock := simday.NewClock(at.In(simday.Location))
	a, err := app.Open(ctx, yearHallOptions(h, os.Getenv(yearChildEnv), clock.Now))
	if err != nil {
		return err
	}
	a.Start()
	events := 0
	for _, w := range h.Windows {
		events += len(a.Engine.Do(ctx, queue.OpenWindow{Window: w.ID, Actor: room.Actor{Staff: "k" + w.ID, Role: room.Clerk}}, "", nil).Events)
	}
	current := map[string]string{}
	for i := 0; events < crashEvents-10; i++ {
		clock.Advance(time.Second)
		w := h.Windows[i%len(h.Windows)]
		events += len(a.Engine.Do(ctx, queue.IssueTicket{Service: w.Services[0]}, "", nil).Events)
		res := a.Engine.Do(ctx, queue.CallNext{Window: w.ID, Actor: room.Actor{Staff: "k" + w.ID, Role: room.Clerk}, Current: current[w.ID]}, "", nil)
		events += len(res.Events)
		for _, ev := range res.Events {
			if c, ok := ev.Data.(queue.TicketCalled); ok {
				current[c.Window] = c.Ticket.ID
			}
		}
	}
	fmt.Printf("ready %d\n", events)
	io.Copy(io.Discard, os.Stdin) // until killed, or the parent is gone
	return nil
}
