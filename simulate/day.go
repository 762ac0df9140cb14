package simulate

import (
	"context"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"hallfloor/app"
	"hallfloor/booking"
	"hallfloor/config"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/report"
	"hallfloor/room"
	"hallfloor/simday"
	"hallfloor/sms"
)

// Options is a day to simulate.
type Options struct {
	Hall    *config.Hall
	Profile *Profile
	Seed    uint64
	// Data is the directory for the day's journal; it must be empty or
	// not exist yet, since the day starts from a new hall.
	Data string
	// Issued, if set, is shown the hall's state right after each ticket
	// is issued (id), as Look is every LookEvery of the day: where another
	// estimate reads what the kiosk's reads. They must not keep st.
	Issued func(id string, st *hall.State, setup *hall.Setup)
	Look   func(now time.Time, st *hall.State, setup *hall.Setup)
}

// LookEvery is how often Options.Look is shown the hall.
const LookEvery = 5 * time.Minute

// Day is a simulated day: its report, the estimate-vs-actual row of every
// ticket issued, and the hall's state at the end of it.
type Day struct {
	Report  report.Report
	Tickets []Ticket
	// State is the hall's state (JSON) once the day's last window closed,
	// at End.
	State []byte
	End   time.Time
}

// Ticket is a ticket's estimate at issue against its real wait.
type Ticket struct {
	Number   string
	Service  string
	Kind     string // walk_in, priority or appointment
	IssuedAt time.Time
	// Estimate is the wait the kiosk showed at issue (the queue's
	// EstimatedWait, read from the state right after the issue).
	Estimate time.Duration
	// CalledAt is the first call; zero if the day ended before it.
	CalledAt time.Time
	NoShow   bool
}

// Wait is the real wait: from issue to the first call (-1 if never called).
func (t Ticket) Wait() time.Duration {
	if t.CalledAt.IsZero() {
		return -1
	}
	return t.CalledAt.Sub(t.IssuedAt)
}

// step is how far the fake clock moves between two looks at the hall.
const step = 30 * time.Second

// Run simulates the day. The same options (seed included) give the same
// day, event for event.
func Run(ctx context.Context, o Options) (*Day, error) {
	if err := o.Profile.fit(o.Hall); err != nil {
		return nil, err
	}
	loc := o.Hall.Setup().Location()
	date := time.Date(o.Profile.date.Year(), o.Profile.date.Month(), o.Profile.date.Day(), 0, 0, 0, 0, loc)
	clock := simday.NewClock(date.Add(o.Profile.opens - time.Hour))
	ids := rand.New(rand.NewPCG(o.Seed, 0x1d))
	a, err := app.Open(ctx, app.Options{Hall: o.Hall, Data: o.Data, Sim: true, Clock: clock.Now, Sender: discard{}, Quiet: true,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), NewID: func() string { return drawID(ids) }})
	if err != nil {
		return nil, err
	}
	defer a.Close()
	s := newSim(a, o, date, clock)
	s.ctx = ctx
	a.Engine.Subscribe(func(_ *hall.State, evs []room.Event) { s.events = append(s.events, evs...) })
	a.Start()
	s.run()
	if s.err != nil {
		return nil, s.err
	}
	d := &Day{Tickets: s.rows(), End: clock.Now()}
	p, _ := report.Day(date.Format(time.DateOnly), loc)
	b := report.NewBuilder(a.Engine.Setup(), p, clock.Now())
	for _, e := range s.events {
		b.Add(e)
	}
	d.Report = b.Report(o.Hall.Hall.Name)
	if d.State, err = StateJSON(ctx, a); err != nil {
		return nil, err
	}
	return d, nil
}

// StateJSON is the hall's state as its snapshots hold it.
func StateJSON(ctx context.Context, a *app.App) ([]byte, error) {
	var b []byte
	var merr error
	err := a.Engine.Read(ctx, func(s *hall.State, _ *hall.Setup) { b, merr = jsonMarshal(s) })
	if err != nil {
		return nil, err
	}
	return b, merr
}

// drawID is a ticket id of the form the engine's random ones have, drawn
// from the day's seed.
func drawID(r *rand.Rand) string {
	var b [10]byte
	for i := range b {
		b[i] = byte(r.UintN(256))
	}
	return strings.ToLower(base32.StdEncoding.EncodeToString(b[:]))
}

// discard takes the hall's messages and sends none.
type discard struct{}

func (discard) Send(context.Context, sms.Message) error { return nil }

// win is what the simulation knows of a window's clerk.
type win struct {
	id, staff string
	services  []string
	open      bool
	current   string    // the ticket called, "" when idle
	until     time.Time // busy until: serving, waiting for a no-show, paused
	phase     int       // what happens at until
	comes     bool      // the citizen recalled comes
}

const (
	idle = iota
	serving
	recalling // recalled once; the citizen comes or not at until
	absent    // nobody came: skipped at until
	paused
)

type arrival struct {
	at      time.Time
	service string
	kind    string
	booking string
}

type sim struct {
	a     *app.App
	o     Options
	p     *Profile
	date  time.Time
	clock Clock
	// at is the clock's time at a time of the profile's day; until, if
	// set, ends the day there with the windows still working.
	at      func(time.Time) time.Time
	until   time.Time
	rng     *rand.Rand
	windows []*win
	walkIns []string // services a kiosk issues for
	booked  map[string]bool
	pending []arrival
	tickets map[string]*Ticket
	order   []string
	events  []room.Event
	guide   room.Actor
	// lastCalled is the ticket the last command called.
	lastCalled string
	err        error
	// ctx, once done, ends the day where it is, with its error.
	ctx context.Context
}

// Clock is the hall's clock as a simulation moves it: only forwards.
type Clock interface {
	Now() time.Time
	Set(time.Time)
}

func newSim(a *app.App, o Options, date time.Time, clock Clock) *sim {
	s := &sim{a: a, o: o, p: o.Profile, date: date, clock: clock, rng: rand.New(rand.NewPCG(o.Seed, 0x5e)),
		at:      func(t time.Time) time.Time { return t },
		tickets: map[string]*Ticket{}, booked: map[string]bool{}}
	setup := a.Engine.Setup()
	for _, sv := range o.Hall.Services {
		if setup.Consults.ForService(sv.Code) == nil {
			s.walkIns = append(s.walkIns, sv.Code)
		}
	}
	for _, b := range o.Hall.Bookings.Services {
		s.booked[b.Service] = true
	}
	for i, w := range o.Hall.Windows {
		s.windows = append(s.windows, &win{id: w.ID, staff: clerkOf(o.Hall, w.ID, i), services: w.Services})
	}
	s.guide = room.Actor{Staff: "sim-guide", Role: room.Guide}
	for _, st := range o.Hall.Staff {
		if st.Role == config.Guide {
			s.guide = room.Actor{Staff: st.ID, Role: room.Guide}
			break
		}
	}
	return s
}

// clerkOf is the clerk who works window w: the hall's i-th clerk when it
// lists enough, else one named after the window.
func clerkOf(h *config.Hall, w string, i int) string {
	n := 0
	for _, st := range h.Staff {
		if st.Role == config.Clerk {
			if n == i {
				return st.ID
			}
			n++
		}
	}
	return "sim-" + w
}

// do runs a command; a refusal is part of a day, not a failure.
func (s *sim) set(t time.Time) { s.clock.Set(s.at(t)) }

func (s *sim) do(cmd hall.Command) bool {
	res := s.a.Engine.Do(context.Background(), cmd, "", nil)
	if res.Err != nil {
		return false
	}
	for _, e := range res.Events {
		switch p := e.Data.(type) {
		case queue.TicketIssued:
			s.issued(p.Ticket.ID, e.At)
		case queue.TicketCalled:
			s.lastCalled = p.Ticket.ID
			if t := s.tickets[p.Ticket.ID]; t != nil && t.CalledAt.IsZero() {
				t.CalledAt = e.At
			}
		}
	}
	return true
}

// issued records a ticket as the kiosk shows it: its number and the wait
// estimated for it, read right after the issue.
func (s *sim) issued(id string, at time.Time) {
	t := &Ticket{IssuedAt: at}
	s.a.Engine.Read(context.Background(), func(st *hall.State, setup *hall.Setup) {
		if s.o.Issued != nil {
			s.o.Issued(id, st, setup)
		}
		if q := st.Queue.Tickets[id]; q != nil {
			t.Number, t.Service = q.Number, q.Service
			t.Estimate = st.Queue.EstimatedWait(setup.Queue, q)
			switch {
			case q.Via == queue.ViaBooking:
				t.Kind = "appointment"
			case q.Priority:
				t.Kind = "priority"
			default:
				t.Kind = "walk_in"
			}
		}
	})
	if t.Number == "" {
		return // a ticket the day already moved on from
	}
	s.tickets[id] = t
	s.order = append(s.order, id)
}

func (s *sim) rows() []Ticket {
	out := make([]Ticket, 0, len(s.order))
	for _, id := range s.order {
		out = append(out, *s.tickets[id])
	}
	return out
}

// tick runs the hall's timed rules when they are due, as its minute
// ticker would, so that what the day does never hangs on the real clock.
func (s *sim) tick() {
	due := false
	s.a.Engine.Read(context.Background(), func(st *hall.State, setup *hall.Setup) { due = hall.Due(st, setup, s.clock.Now()) })
	if due {
		s.do(hall.Tick{})
	}
}

func (s *sim) run() {
	opens, issues, closes := s.date.Add(s.p.opens), s.date.Add(s.p.issues), s.date.Add(s.p.closes)
	s.set(opens.Add(-30 * time.Minute))
	s.tick()
	s.plan(opens, issues)
	for now := opens; ; now = now.Add(step) {
		if !s.until.IsZero() && !now.Before(s.until) {
			return
		}
		if s.ctx != nil && s.ctx.Err() != nil {
			s.err = s.ctx.Err()
			return
		}
		s.set(now)
		s.tick()
		if !now.Before(issues) {
			s.pending = nil
		}
		for len(s.pending) > 0 && !s.pending[0].at.After(now) {
			s.arrive(s.pending[0])
			s.pending = s.pending[1:]
		}
		if s.o.Look != nil && now.Sub(opens)%LookEvery == 0 {
			s.a.Engine.Read(context.Background(), func(st *hall.State, setup *hall.Setup) { s.o.Look(s.at(now), st, setup) })
		}
		busy := false
		for _, w := range s.windows {
			s.window(w, now, now.Before(closes) && s.p.open(w.id, now.Sub(s.date)))
			busy = busy || w.open
		}
		if !now.Before(closes) && !busy {
			break
		}
		if now.Sub(closes) > 3*time.Hour {
			s.err = fmt.Errorf("simulate: the windows were still working three hours after %s", s.p.Closes)
			return
		}
	}
	s.tick()
}

// plan draws the day's arrivals: for each service and quarter hour a
// Poisson number of walk-ins at times spread over it; some are priority
// numbers a guide issues, some booked an appointment for the slot they
// come to.
func (s *sim) plan(opens, issues time.Time) {
	for q := opens; q.Before(issues); q = q.Add(15 * time.Minute) {
		var quarter []arrival
		for _, sv := range s.walkIns {
			for range poisson(s.rng, s.p.rate(sv, q.Sub(s.date))) {
				a := arrival{at: q.Add(time.Duration(s.rng.Int64N(int64(15 * time.Minute)))).Truncate(time.Second), service: sv, kind: "walk_in"}
				switch u := s.rng.Float64(); {
				case s.booked[sv] && u < s.p.Appointments:
					a.kind = "appointment"
				case u < s.p.Appointments+s.p.Priority:
					a.kind = "priority"
				}
				quarter = append(quarter, a)
			}
		}
		slices.SortStableFunc(quarter, func(x, y arrival) int { return x.at.Compare(y.at) })
		s.pending = append(s.pending, quarter...)
	}
	// Appointments are booked before the day, for the slot each comes to.
	s.set(opens.Add(-20 * time.Minute))
	s.tick()
	for i := range s.pending {
		a := &s.pending[i]
		if a.kind != "appointment" {
			continue
		}
		a.booking = fmt.Sprintf("SIM%05d", i)
		start := s.at(a.at.Truncate(30 * time.Minute).Add(30 * time.Minute))
		if !s.do(booking.Book{Code: a.booking, Service: a.service, Start: start, IDHash: fmt.Sprintf("%064x", s.rng.Uint64()),
			Name: "预约申请人", Phone: fmt.Sprintf("139%08d", s.rng.IntN(1e8)), Channel: booking.Online}) {
			a.kind, a.booking = "walk_in", "" // the slot was full: they come anyway
		}
	}
}

func (s *sim) arrive(a arrival) {
	switch a.kind {
	case "appointment":
		if s.do(booking.CheckIn{Code: a.booking}) {
			return
		}
		s.do(queue.IssueTicket{Service: a.service}) // too early or late for the slot: a walk-in
	case "priority":
		s.do(queue.IssueTicket{Service: a.service, Priority: true, Actor: s.guide})
	default:
		s.do(queue.IssueTicket{Service: a.service})
	}
}

// window is a look at a window's clerk at now: opening and closing as
// rostered, calling, serving, recalling, skipping, transferring, pausing.
func (s *sim) window(w *win, now time.Time, rostered bool) {
	actor := room.Actor{Staff: w.staff, Role: room.Clerk}
	if now.Before(w.until) {
		return
	}
	switch w.phase {
	case serving:
		// A citizen in the wrong line is sent on to another service.
		if to := s.other(w.current); to != "" && s.rng.Float64() < s.p.Transfer {
			s.do(queue.Transfer{Window: w.id, Actor: actor, ToService: to})
		} else if s.do(queue.Finish{Window: w.id, Actor: actor}) {
			s.rate(w.id)
		}
		w.current, w.phase = "", idle
	case recalling:
		s.do(queue.Recall{Window: w.id, Actor: actor})
		if w.comes {
			s.serve(w, now)
			return
		}
		w.phase, w.until = absent, now.Add(time.Minute)
		return
	case absent:
		if s.do(queue.Skip{Window: w.id, Actor: actor}) {
			if t := s.tickets[w.current]; t != nil {
				t.NoShow = true
			}
		}
		w.current, w.phase = "", idle
	case paused:
		s.do(queue.Resume{Window: w.id, Actor: actor})
		w.phase = idle
	}
	switch {
	case !rostered && w.open:
		s.do(queue.CloseWindow{Window: w.id, Actor: actor})
		w.open = false
		return
	case !rostered:
		return
	case !w.open:
		if s.do(queue.OpenWindow{Window: w.id, Actor: actor}) {
			w.open = true
		}
		return
	}
	if s.rng.Float64() < s.p.Pauses.PerHour*step.Hours() {
		if s.do(queue.Pause{Window: w.id, Actor: actor, Reason: "暂离"}) {
			w.phase, w.until = paused, now.Add(s.exp(s.p.Pauses.Minutes))
			return
		}
	}
	s.lastCalled = ""
	if !s.do(queue.CallNext{Window: w.id, Actor: actor}) || s.lastCalled == "" {
		return // nobody waits for this window
	}
	w.current = s.lastCalled
	// Who is called and does not come is recalled after a minute, or
	// skipped after two; some come once recalled.
	away, recall := s.rng.Float64() < s.p.NoShow, s.rng.Float64() < s.p.Recall
	switch {
	case recall:
		w.phase, w.until, w.comes = recalling, now.Add(time.Minute), !away
	case away:
		w.phase, w.until = absent, now.Add(2*time.Minute)
	default:
		s.serve(w, now)
	}
}

// other is a service other than ticket's, drawn for a transfer.
func (s *sim) other(ticket string) string {
	t := s.tickets[ticket]
	if t == nil || len(s.walkIns) < 2 {
		return ""
	}
	for {
		if sv := s.walkIns[s.rng.IntN(len(s.walkIns))]; sv != t.Service {
			return sv
		}
	}
}

// serve has the citizen at the window for a service time drawn from the
// service's lognormal.
func (s *sim) serve(w *win, now time.Time) {
	w.phase, w.until = serving, now.Add(s.serviceTime(w.current))
}

func (s *sim) serviceTime(ticket string) time.Duration {
	sv := ""
	if t := s.tickets[ticket]; t != nil {
		sv = t.Service
	}
	st, ok := s.p.ServiceTimes[sv]
	if !ok {
		st = ServiceTime{Mean: 5, Spread: 0.5}
		for _, c := range s.o.Hall.Services {
			if c.Code == sv && c.ServiceMinutes > 0 {
				st.Mean = c.ServiceMinutes
			}
		}
	}
	// A lognormal of mean m has mu = ln m - sigma²/2.
	mu := math.Log(st.Mean) - st.Spread*st.Spread/2
	minutes := math.Exp(mu + st.Spread*s.rng.NormFloat64())
	return max(30*time.Second, time.Duration(minutes*float64(time.Minute)).Truncate(time.Second))
}

// rate is the applicant at the evaluator: most rate, mostly well, a few
// give a 差评 with a reason.
func (s *sim) rate(w string) {
	switch n := s.rng.IntN(100); {
	case n < 2:
		s.do(rating.Rate{Channel: rating.ChannelEvaluator, Window: w, Level: 1 + s.rng.IntN(2), Reason: "等候时间过长"})
	case n < 80:
		s.do(rating.Rate{Channel: rating.ChannelEvaluator, Window: w, Level: 3 + s.rng.IntN(3)})
	}
}

// exp is an exponential duration of mean minutes.
func (s *sim) exp(minutes float64) time.Duration {
	return max(time.Minute, time.Duration(s.rng.ExpFloat64()*minutes*float64(time.Minute)).Truncate(time.Second))
}

// poisson draws a Poisson number of mean m (Knuth's; m is small).
func poisson(r *rand.Rand, m float64) int {
	if m <= 0 {
		return 0
	}
	l, k, p := math.Exp(-m), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func jsonMarshal(v any) ([]byte, error) { return json.Marshal(v) }
