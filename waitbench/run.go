package waitbench

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal/sqlite"
	"hallfloor/queue"
	"hallfloor/room"
	"hallfloor/simday"
)

// Probe is one estimate a citizen saw, and the wait they really had from
// that moment until their number was called.
type Probe struct {
	Day, Service, Ticket string
	At                   time.Duration // after the ticket's issue: 0, 5 min, 10 min…
	OldS                 int           // today's formula
	New                  queue.WaitRange
	RealS                int
}

// step is how far the fake clock moves between two looks at the hall.
const step = 5 * time.Second

// every is how often a waiting ticket's estimate is taken again.
const every = 5 * time.Minute

// HallFile is the day's hall: its services and windows, open 08:30–12:00.
func (d Day) HallFile() *config.Hall {
	h := simday.Hall(1)
	h.Hall.ID = "bench"
	h.Calendar = config.Calendar{Weekly: map[string][]string{}}
	for _, wd := range []string{"mon", "tue", "wed", "thu", "fri"} {
		h.Calendar.Weekly[wd] = []string{"08:30-12:00"}
	}
	h.Services, h.Windows = nil, nil
	for _, sv := range d.Services {
		h.Services = append(h.Services, config.Service{Code: sv.Code, Name: "业务" + sv.Code, NameEN: "Service " + sv.Code,
			Kind: queue.Intake, ServiceMinutes: sv.MeanMin})
	}
	for _, w := range d.Windows {
		h.Windows = append(h.Windows, config.Window{ID: w.ID, Name: w.ID + "号窗口", Services: w.Services, Weights: w.Weights})
	}
	if ps := h.Validate(); len(ps) > 0 {
		panic(fmt.Sprintf("waitbench: day %s's hall is invalid: %v", d.Name, ps))
	}
	return h
}

// Date is the day's date: a Monday for the Monday peak, a Wednesday else.
func (d Day) Date() time.Time {
	if d.Monday {
		return time.Date(2025, 1, 6, 0, 0, 0, 0, simday.Location)
	}
	return time.Date(2025, 1, 8, 0, 0, 0, 0, simday.Location)
}

type counter struct {
	w       Window
	staff   room.Actor
	current string
	noShow  bool
	busy    time.Time // when its current citizen is done (or skipped)
	paused  time.Time // when its pause ends; zero when not paused
	pauses  int
	closed  bool
}

type waiting struct {
	service string
	issued  time.Time
	next    time.Time
	probes  []Probe
}

// Run drives the day through a fresh engine and SQLite journal in dir and
// returns every estimate taken.
func Run(d Day, dir string) ([]Probe, error) {
	setup := d.HallFile().Setup()
	j, err := sqlite.Open(filepath.Join(dir, d.Name+".db"))
	if err != nil {
		return nil, err
	}
	defer j.Close()
	date := d.Date()
	clock := simday.NewClock(date.Add(Opens - time.Minute))
	n := 0
	e, err := engine.Open(context.Background(), engine.Options{Setup: setup, Journal: j, Clock: clock.Now,
		NewID:  func() string { n++; return fmt.Sprintf("t%05d", n) },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer func() { cancel(); e.Wait() }()
	go e.Run(ctx)
	r := &runner{d: d, e: e, clock: clock, rng: rand.New(rand.NewPCG(d.Seed, 2025)), waits: map[string]*waiting{}}
	return r.run(date)
}

type runner struct {
	d     Day
	e     *engine.Engine
	clock *simday.Clock
	rng   *rand.Rand
	waits map[string]*waiting
	out   []Probe
	times []time.Time // of the arrivals, in order
}

func (r *runner) do(cmd hall.Command) ([]room.Event, error) {
	res := r.e.Do(context.Background(), cmd, "", nil)
	return res.Events, res.Err
}

// arrivals are the day's walk-ins, in order: a Poisson stream per service
// shaped by the profile, thinned from the profile's peak.
func (r *runner) arrivals(date time.Time) []queue.IssueTicket {
	type arr struct {
		at time.Time
		c  queue.IssueTicket
	}
	var all []arr
	peak := slices.Max(r.d.Profile)
	span := IssueEnds - Opens
	for _, sv := range r.d.Services {
		rate := sv.PerHour * peak / time.Hour.Seconds()
		for t := 0.0; ; {
			t += r.rng.ExpFloat64() / rate
			at := time.Duration(t * float64(time.Second))
			if at >= span {
				break
			}
			q := min(int(at/(15*time.Minute)), len(r.d.Profile)-1)
			if r.rng.Float64() > r.d.Profile[q]/peak {
				continue
			}
			c := queue.IssueTicket{Service: sv.Code}
			if r.rng.Float64() < sv.Priority {
				c.Priority, c.Actor = true, room.Actor{Staff: "m1", Role: room.Manager}
			}
			all = append(all, arr{date.Add(Opens + at), c})
		}
	}
	slices.SortStableFunc(all, func(a, b arr) int { return a.at.Compare(b.at) })
	out := make([]queue.IssueTicket, len(all))
	r.times = make([]time.Time, len(all))
	for i, a := range all {
		out[i], r.times[i] = a.c, a.at
	}
	return out
}

func (r *runner) run(date time.Time) ([]Probe, error) {
	open := date.Add(Opens)
	cs := make([]*counter, len(r.d.Windows))
	for i, w := range r.d.Windows {
		cs[i] = &counter{w: w, staff: room.Actor{Staff: fmt.Sprintf("c%d", i+1), Role: room.Clerk}}
		r.clock.Set(open.Add(-time.Minute))
		if _, err := r.do(queue.OpenWindow{Window: w.ID, Actor: cs[i].staff}); err != nil {
			return nil, fmt.Errorf("open window %s: %w", w.ID, err)
		}
	}
	arrivals := r.arrivals(date)
	next := 0
	for now := open; ; now = now.Add(step) {
		r.clock.Set(now)
		for next < len(arrivals) && !r.times[next].After(now) {
			evs, err := r.do(arrivals[next])
			if err != nil {
				return nil, fmt.Errorf("issue: %w", err)
			}
			for _, ev := range evs {
				if p, ok := ev.Data.(queue.TicketIssued); ok {
					r.waits[p.Ticket.ID] = &waiting{service: p.Ticket.Service, issued: ev.At, next: ev.At}
				}
			}
			next++
		}
		r.probe(now)
		for _, c := range cs {
			if err := r.window(c, now, open); err != nil {
				return nil, err
			}
		}
		if next == len(arrivals) && len(r.waits) == 0 && r.idle(cs) {
			break
		}
		if now.Sub(open) > 12*time.Hour {
			return nil, fmt.Errorf("day %s: still waiting at %s", r.d.Name, now)
		}
	}
	return r.out, nil
}

func (r *runner) idle(cs []*counter) bool {
	for _, c := range cs {
		if c.current != "" {
			return false
		}
	}
	return true
}

// probe takes the estimates due now: a ticket's first at its issue, then
// every five minutes while it waits.
func (r *runner) probe(now time.Time) {
	due := false
	for _, w := range r.waits {
		due = due || !w.next.After(now)
	}
	if !due {
		return
	}
	r.e.Read(context.Background(), func(s *hall.State, setup *hall.Setup) {
		f := s.Queue.NewForecast(setup.Queue, now)
		for id, w := range r.waits {
			if w.next.After(now) {
				continue
			}
			t := s.Queue.Tickets[id]
			w.probes = append(w.probes, Probe{Day: r.d.Name, Service: w.service, Ticket: id, At: now.Sub(w.issued),
				OldS: int(s.Queue.EstimatedWait(setup.Queue, t).Seconds()), New: f.Ticket(s.Queue, setup.Queue, t)})
			w.next = w.next.Add(every)
		}
	})
}

// called ends a ticket's wait: each of its estimates gets the real wait.
func (r *runner) called(evs []room.Event) {
	for _, ev := range evs {
		p, ok := ev.Data.(queue.TicketCalled)
		if !ok {
			continue
		}
		w := r.waits[p.Ticket.ID]
		if w == nil {
			continue
		}
		for _, pr := range w.probes {
			pr.RealS = int(ev.At.Sub(w.issued.Add(pr.At)).Seconds())
			r.out = append(r.out, pr)
		}
		delete(r.waits, p.Ticket.ID)
	}
}

// window is one look at a counter: its citizen done or gone, a pause
// begun or ended, its clerk leaving, or the next number called.
func (r *runner) window(c *counter, now, open time.Time) error {
	if c.closed || now.Before(c.busy) {
		return nil
	}
	if !c.paused.IsZero() {
		if now.Before(c.paused) {
			return nil
		}
		c.paused = time.Time{}
		if _, err := r.do(queue.Resume{Window: c.w.ID, Actor: c.staff}); err != nil {
			return fmt.Errorf("resume %s: %w", c.w.ID, err)
		}
	}
	if c.current != "" && c.noShow {
		if _, err := r.do(queue.Skip{Window: c.w.ID, Actor: c.staff}); err != nil {
			return fmt.Errorf("skip at %s: %w", c.w.ID, err)
		}
		c.current, c.noShow = "", false
	}
	leaving := c.w.ClosesAt > 0 && !now.Before(open.Add(c.w.ClosesAt))
	pausing := c.pauses < len(c.w.Pauses) && !now.Before(open.Add(c.w.Pauses[c.pauses][0]))
	if leaving || pausing {
		if c.current != "" {
			if _, err := r.do(queue.Finish{Window: c.w.ID, Actor: c.staff}); err != nil {
				return fmt.Errorf("finish at %s: %w", c.w.ID, err)
			}
			c.current = ""
		}
		if leaving {
			c.closed = true
			_, err := r.do(queue.CloseWindow{Window: c.w.ID, Actor: c.staff})
			return err
		}
		if _, err := r.do(queue.Pause{Window: c.w.ID, Actor: c.staff, Reason: "暂离"}); err != nil {
			return fmt.Errorf("pause %s: %w", c.w.ID, err)
		}
		c.paused = now.Add(c.w.Pauses[c.pauses][1])
		c.pauses++
		return nil
	}
	evs, err := r.do(queue.CallNext{Window: c.w.ID, Actor: c.staff, Current: c.current})
	if err != nil {
		return fmt.Errorf("call at %s: %w", c.w.ID, err)
	}
	r.called(evs)
	c.current = ""
	for _, ev := range evs {
		if p, ok := ev.Data.(queue.TicketCalled); ok {
			c.current = p.Ticket.ID
			sv := r.service(p.Ticket.Service)
			if r.rng.Float64() < sv.NoShow {
				c.noShow, c.busy = true, now.Add(time.Duration(40+r.rng.IntN(40))*time.Second)
			} else {
				c.busy = now.Add(r.length(sv, cmp.Or(c.w.Speed, 1)))
			}
		}
	}
	return nil
}

func (r *runner) service(code string) Service {
	for _, sv := range r.d.Services {
		if sv.Code == code {
			return sv
		}
	}
	return Service{Code: code, MeanMin: 5, CV: 0.5}
}

// length draws a service's length: lognormal of the service's mean and
// spread, scaled by the clerk's speed.
func (r *runner) length(sv Service, speed float64) time.Duration {
	sigma := math.Sqrt(math.Log(1 + sv.CV*sv.CV))
	mu := math.Log(sv.MeanMin*60) - sigma*sigma/2
	s := math.Exp(mu+sigma*r.rng.NormFloat64()) * speed
	return time.Duration(max(s, 30) * float64(time.Second))
}

// RunAll runs every benchmark day in dir: their names in order, and each
// day's estimates.
func RunAll(dir string) ([]string, map[string][]Probe, error) {
	probes := map[string][]Probe{}
	var names []string
	for _, d := range Days() {
		ps, err := Run(d, dir)
		if err != nil {
			return nil, nil, err
		}
		probes[d.Name] = ps
		names = append(names, d.Name)
	}
	return names, probes, nil
}
