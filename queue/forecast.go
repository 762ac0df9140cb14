package queue

import (
	"cmp"
	"math"
	"slices"
	"time"
)

// WaitRange is a wait as the kiosk and the ticket page show it: a likely
// length and the range the real wait should fall in, with Uncertain set
// when the hall knows too little yet (few services finished today, no
// window open for the service, a window paused) to trust it.
type WaitRange struct {
	MidS      int  `json:"mid_s"`
	LowS      int  `json:"low_s"`
	HighS     int  `json:"high_s"`
	Uncertain bool `json:"uncertain"`
}

// Forecast is the hall's lines played forward from one moment: every
// open window calls as the calling policy would, at its own recent pace
// per service, the tickets now waiting and those the last half hour's
// arrivals say are still to come until the session's end. It answers the
// wait of every ticket waiting and of a ticket taken now for each service.
type Forecast struct {
	now     time.Time
	tickets map[string]projected // waiting ticket id → its projected call
	service map[string]projected // service → a ticket taken now
	stats   map[string]paceStats
}

type projected struct {
	at    time.Time
	calls int // calls made before it, on the windows that could call it
	ok    bool
}

// paceStats are a service's figures for the forecast's range.
type paceStats struct {
	cv       float64 // spread of its service lengths, sd over mean
	mixCV    float64 // the widest spread among the services its windows serve
	finished int     // services finished today
	open     int     // open windows serving it
	paused   bool    // one of them is paused: nobody knows for how long
}

// Tuning of the forecast, each from how halls behave.
const (
	// arrivalLook is how far back the arrival rates are taken: long enough
	// to count a few tickets, short enough to follow a peak.
	arrivalLook = 30 * time.Minute
	// paceHalfLife weights a window's services by recency: a clerk slows
	// after lunch, a queue of simple cases speeds them up.
	paceHalfLife = 45 * time.Minute
	// pacePrior is how many services of the service's mean a window's own
	// pace starts from, so one quick case does not halve its estimates.
	pacePrior = 3
	// typicalPause is how long a paused window is taken to stay away when
	// it has been paused for less: a 暂离 is a few minutes, a meeting more.
	typicalPause = 10 * time.Minute
	// skipS is how long a call nobody answers holds a window: the recalls,
	// then 过号.
	skipS = 60
	// servicePrior is how many services of the hall file's figure a
	// service's mean starts from.
	servicePrior = 5
	// modelErr is the forecast's own relative error beyond the spread of
	// service lengths: arrivals, no-shows and pace it cannot know.
	modelErr = 0.25
	// thinData is how few services finished today leave the range uncertain.
	thinData = 5
)

// NewForecast plays the hall forward from now.
func (s *State) NewForecast(setup *Setup, now time.Time) *Forecast {
	return s.NewForecastWith(setup, now, nil)
}

// Booked is an appointment (预约) still to check in: at its slot it takes
// a ticket that goes ahead of the walk-ins, as every appointment does.
type Booked struct {
	Service string
	At      time.Time
}

// NewForecastWith plays the hall forward from now with the appointments
// still to check in. A non-nil booked says the hall knows them all: the
// check-ins are then not also expected from the last half hour's
// arrivals, which would count them twice.
func (s *State) NewForecastWith(setup *Setup, now time.Time, booked []Booked) *Forecast {
	f := &Forecast{now: now, tickets: map[string]projected{}, service: map[string]projected{}, stats: map[string]paceStats{}}
	p := newPlay(s, setup, now, f, booked)
	p.run()
	return f
}

// Ticket is the forecast wait of a waiting ticket, from the forecast's moment.
func (f *Forecast) Ticket(s *State, setup *Setup, t *Ticket) WaitRange {
	if t.Status != Waiting {
		return WaitRange{}
	}
	pr, ok := f.tickets[t.ID]
	if !ok || !pr.ok {
		return f.fallback(s.EstimatedWait(setup, t), t.Service)
	}
	return f.rangeOf(pr, t.Service)
}

// Service is the forecast wait of a ticket taken now for the service.
func (f *Forecast) Service(s *State, setup *Setup, service string) WaitRange {
	if s.Services[service] == nil {
		return WaitRange{}
	}
	pr, ok := f.service[service]
	if !ok || !pr.ok {
		return f.fallback(s.ServiceWait(setup, service), service)
	}
	return f.rangeOf(pr, service)
}

// fallback is the old figure, wide and uncertain: nobody open serves the
// service, so the forecast cannot say who will.
func (f *Forecast) fallback(d time.Duration, service string) WaitRange {
	mid := int(d.Seconds())
	return WaitRange{MidS: mid, LowS: mid / 2, HighS: mid*2 + 300, Uncertain: true}
}

// rangeOf spreads a projected call into a range: the sum of k services
// shared among windows varies as the service's spread over √k, and the
// forecast's own errors (arrivals, no-shows, pace) add modelErr more. The
// play gives the wait's mean; the figure shown is its median, which a
// citizen's real wait is as likely to exceed as to fall short of: waits
// are sums of lognormal lengths, skewed long, so the median is below the
// mean, and the more so the fewer services each window has to do first
// and the wider the lengths of any service at its windows.
func (f *Forecast) rangeOf(pr projected, service string) WaitRange {
	mean := max(pr.at.Sub(f.now).Seconds(), 0)
	st := f.stats[service]
	k := float64(max(pr.calls, 1))
	cv := max(st.cv, st.mixCV)
	rel := math.Sqrt(cv*cv/k + modelErr*modelErr)
	perWindow := max(k/float64(max(st.open, 1)), 1)
	mid := mean / math.Sqrt(1+cv*cv/perWindow)
	low := mean*(1-1.2*rel) - 60
	high := mean*(1+1.5*rel) + 120
	r := WaitRange{MidS: int(math.Round(mid)), LowS: int(math.Round(max(low, 0))), HighS: int(math.Round(high))}
	// Uncertain on the service's own spread: a wide service at a shared
	// window widens the range, but says nothing of how much is known.
	own := math.Sqrt(st.cv*st.cv/k + modelErr*modelErr)
	r.Uncertain = st.finished < thinData || st.open == 0 || st.paused || own > 0.45
	return r
}

// item is a ticket in the played lines: a real one waiting, one the
// arrival rates expect, or a marker for a ticket taken now (it takes no
// window time, so the markers of every service share one play).
type item struct {
	id       string
	service  string
	queued   time.Time
	order    uint64
	first    bool
	marker   bool
	expected bool
}

type playLine struct {
	items  []item
	at     int
	weight float64
}

type playWindow struct {
	id    string
	free  time.Time
	lines []*playLine
	run   int
}

type play struct {
	s     *State
	setup *Setup
	now   time.Time
	f     *Forecast
	wins  []*playWindow
	pace  map[string]float64 // window|service → expected seconds a call holds it
	calls map[string]int     // service → calls made so far on windows serving it
	dur   func(window, service string) float64
	// pending counts the tickets waiting and the markers not yet called:
	// once none is left, the expected arrivals after them matter to nobody.
	pending int
}

func newPlay(s *State, setup *Setup, now time.Time, f *Forecast, booked []Booked) *play {
	p := &play{s: s, setup: setup, now: now, f: f, pace: map[string]float64{}, calls: map[string]int{}}
	normal := map[string]*playLine{}
	prio := map[string]*playLine{}
	var maxOrder uint64
	for _, sv := range setup.Services {
		normal[sv.Code], prio[sv.Code] = &playLine{}, &playLine{}
	}
	for _, t := range s.Tickets {
		maxOrder = max(maxOrder, t.Order)
	}
	add := func(l *playLine, ids []string) {
		for _, id := range ids {
			t := s.Tickets[id]
			l.items = append(l.items, item{id: id, service: t.Service, queued: t.QueuedAt, order: t.Order, first: t.First()})
		}
		p.pending += len(ids)
	}
	for code, st := range s.Services {
		if normal[code] == nil {
			continue
		}
		add(normal[code], st.Line)
		add(prio[code], st.Priority)
	}
	p.expect(normal, prio, &maxOrder, booked != nil)
	p.book(prio, booked, &maxOrder)
	for code, l := range normal {
		maxOrder++
		// The marker of a ticket taken now joins its line after the
		// tickets waiting, before those expected later.
		i, _ := slices.BinarySearchFunc(l.items, now, func(it item, t time.Time) int {
			if it.queued.After(t) {
				return 1
			}
			return -1
		})
		l.items = slices.Insert(l.items, i, item{service: code, queued: now, order: maxOrder, marker: true})
		p.pending++
	}
	durations := p.learn()
	p.dur = durations
	for _, ws := range setup.Windows {
		w := s.Windows[ws.ID]
		if w == nil || w.State == Closed {
			continue
		}
		pw := &playWindow{id: ws.ID, free: now, run: w.PriorityRun}
		maxWeight := 1.0
		for _, code := range ws.Services {
			wt := ws.weight(code)
			maxWeight = max(maxWeight, wt)
			pw.lines = append(pw.lines, &playLine{items: prio[code].items, weight: wt}, &playLine{items: normal[code].items, weight: wt})
			st := f.stats[code]
			st.open++
			f.stats[code] = st
		}
		// The window's own line: only it calls those.
		own := &playLine{weight: maxWeight}
		add(own, w.Line)
		pw.lines = append(pw.lines, own)
		switch w.State {
		case Serving:
			if t := s.Tickets[w.Current]; t != nil {
				d := durations(ws.ID, t.Service)
				elapsed := now.Sub(t.CalledAt).Seconds()
				// A service running long has a while yet to go: lengths
				// spread, and one past its mean is likely a long one.
				pw.free = now.Add(secs(residual(d, f.stats[t.Service].cv, elapsed)))
			}
		case Paused:
			pw.free = maxTime(now.Add(2*time.Minute), w.Since.Add(typicalPause))
			for _, code := range ws.Services {
				st := f.stats[code]
				st.paused = true
				f.stats[code] = st
			}
		}
		p.wins = append(p.wins, pw)
	}
	// A ticket waits on its windows' other services too: a window that
	// also serves a service of wide lengths makes its wait as uncertain.
	for _, ws := range setup.Windows {
		if w := s.Windows[ws.ID]; w == nil || w.State == Closed {
			continue
		}
		widest := 0.0
		for _, code := range ws.Services {
			widest = max(widest, f.stats[code].cv)
		}
		for _, code := range ws.Services {
			st := f.stats[code]
			st.mixCV = max(st.mixCV, widest)
			f.stats[code] = st
		}
	}
	return p
}

// book adds the appointments still to check in to their services'
// priority lines, each at its slot.
func (p *play) book(prio map[string]*playLine, booked []Booked, order *uint64) {
	for _, b := range slices.SortedFunc(slices.Values(booked), func(a, b Booked) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Service, b.Service))
	}) {
		l := prio[b.Service]
		if l == nil {
			continue
		}
		*order++
		it := item{service: b.Service, queued: maxTime(b.At, p.now), order: *order, first: true, expected: true}
		i, _ := slices.BinarySearchFunc(l.items, it.queued, func(x item, t time.Time) int { return x.queued.Compare(t) })
		l.items = slices.Insert(l.items, i, it)
	}
}

// expect adds the tickets the last half hour's arrivals say will come,
// evenly spaced, until the session's end: after it no number is issued,
// and the windows serve who already waits. With the appointments known
// (bookingsKnown), their check-ins are left out of the rates.
func (p *play) expect(normal, prio map[string]*playLine, order *uint64, bookingsKnown bool) {
	cal := p.setup.Calendar
	end := p.now.Add(2 * time.Hour) // an always-open hall: two hours ahead
	look := arrivalLook
	if !cal.AlwaysOpen {
		start, e, open := cal.Current(p.now)
		if !open {
			return
		}
		end = e
		// Early in a session, its arrivals so far are over less time.
		look = min(look, max(p.now.Sub(start), 5*time.Minute))
	}
	type key struct {
		service string
		first   bool
	}
	counts := map[key]int{}
	from := p.now.Add(-look)
	for _, t := range p.s.Tickets {
		if t.IssuedAt.Before(from) || t.IssuedAt.After(p.now) || t.Target != "" || (bookingsKnown && t.Via == ViaBooking) {
			continue
		}
		counts[key{t.Service, t.First()}]++
	}
	keys := make([]key, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b key) int {
		return cmp.Or(cmp.Compare(a.service, b.service), boolCmp(a.first, b.first))
	})
	for _, k := range keys {
		l := normal[k.service]
		if k.first {
			l = prio[k.service]
		}
		if l == nil {
			continue
		}
		gap := look / time.Duration(counts[k])
		for at := p.now.Add(gap / 2); at.Before(end); at = at.Add(gap) {
			*order++
			l.items = append(l.items, item{service: k.service, queued: at, order: *order, first: k.first, expected: true})
		}
	}
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// learn fills the services' spreads and returns how long a call of a
// service holds a window: the window's own recent pace (recent services
// weigh more), drawn toward the service's live mean when it has done few,
// with the service's no-shows taking a skip's time instead.
func (p *play) learn() func(window, service string) float64 {
	type acc struct{ w, sum float64 }
	own := map[string]*acc{}
	type svAcc struct {
		n, noShow  int
		sum, sumSq float64
		skipSum    float64
	}
	svs := map[string]*svAcc{}
	speed := map[string][2]float64{} // window → sum of ratios, count
	for _, t := range p.s.Tickets {
		if t.Status == Called && !t.CalledAt.IsZero() {
			// A service still running past the hall file's figure is a
			// long one the finished ones do not show yet: counted at what
			// it has run so far, or the morning's first hour, when the
			// short ones finish first, looks quicker than it is.
			if sv := p.setup.Service(t.Service); sv != nil {
				if e := p.now.Sub(t.CalledAt).Seconds(); e > sv.ServiceTime.Seconds() {
					k := t.Window + "|" + t.Service
					o := own[k]
					if o == nil {
						o = &acc{}
						own[k] = o
					}
					o.w++
					o.sum += e
				}
			}
			continue
		}
		if t.CalledAt.IsZero() || t.FinishedAt.IsZero() {
			continue
		}
		a := svs[t.Service]
		if a == nil {
			a = &svAcc{}
			svs[t.Service] = a
		}
		d := t.FinishedAt.Sub(t.CalledAt).Seconds()
		switch t.Status {
		case Done:
			a.n++
			a.sum += d
			a.sumSq += d * d
			k := t.Window + "|" + t.Service
			o := own[k]
			if o == nil {
				o = &acc{}
				own[k] = o
			}
			wt := math.Exp2(-p.now.Sub(t.FinishedAt).Seconds() / paceHalfLife.Seconds())
			o.w += wt
			o.sum += wt * d
			// The clerk's own speed over every service they did, as a
			// ratio to the hall file's figure: a clerk slow on A is slow
			// on B too, before they have done many of B.
			if sv := p.setup.Service(t.Service); sv != nil && sv.ServiceTime > 0 {
				sp := speed[t.Window]
				sp[0] += d / sv.ServiceTime.Seconds()
				sp[1]++
				speed[t.Window] = sp
			}
		case NoShow:
			a.noShow++
			a.skipSum += d
		}
	}
	noShow := map[string]float64{}
	skip := map[string]float64{}
	for code, st := range p.s.Services {
		a := svs[code]
		if a == nil {
			a = &svAcc{}
		}
		cv := 0.5 // until the day shows otherwise
		if a.n >= 2 {
			mean := a.sum / float64(a.n)
			sd := math.Sqrt(max(a.sumSq/float64(a.n)-mean*mean, 0))
			if mean > 0 {
				// Drawn toward the prior while few are known.
				cv = (sd/mean*float64(a.n) + 0.5*pacePrior) / float64(a.n+pacePrior)
			}
		}
		ps := p.f.stats[code]
		ps.cv, ps.finished = cv, st.Served
		p.f.stats[code] = ps
		noShow[code] = (float64(a.noShow) + 0.5) / float64(a.n+a.noShow+10)
		skip[code] = skipS
		if a.noShow > 0 {
			skip[code] = a.skipSum / float64(a.noShow)
		}
	}
	return func(window, service string) float64 {
		key := window + "|" + service
		if d, ok := p.pace[key]; ok {
			return d
		}
		mean := 300.0
		if sv := p.setup.Service(service); sv != nil {
			mean = sv.ServiceTime.Seconds()
		}
		if st := p.s.Services[service]; st != nil {
			// The day's own mean, drawn toward the hall file's figure
			// while few are done: steadier than the live guess, which
			// one long case moves by a fifth.
			mean = (st.ServiceS + servicePrior*mean) / (float64(st.Served) + servicePrior)
		}
		cfg := mean
		if sv := p.setup.Service(service); sv != nil {
			cfg = sv.ServiceTime.Seconds()
		}
		// The window's prior: the service's mean, or the hall file's
		// figure at the clerk's own speed, as the day says more of the one
		// or the other.
		sp := speed[window]
		prior := (mean*pacePrior + cfg*sp[0]) / (pacePrior + sp[1])
		d := prior
		if o := own[key]; o != nil {
			d = (o.sum + pacePrior*prior) / (o.w + pacePrior)
		}
		q := noShow[service]
		d = (1-q)*d + q*skip[service]
		p.pace[key] = d
		return d
	}
}

// run calls, window by window as each comes free, until no window has
// anything left to call.
func (p *play) run() {
	for len(p.wins) > 0 && p.pending > 0 {
		i := 0
		for j, w := range p.wins {
			if w.free.Before(p.wins[i].free) {
				i = j
			}
		}
		w := p.wins[i]
		it, next := p.pick(w)
		if it == nil {
			if next.IsZero() {
				p.wins = slices.Delete(p.wins, i, i+1) // nothing more for it
				continue
			}
			w.free = next // idle until the next expected arrival
			continue
		}
		pr := projected{at: w.free, calls: p.calls[it.service], ok: true}
		if !it.expected {
			p.pending--
		}
		if it.marker {
			p.f.service[it.service] = pr
			continue // takes no window time
		}
		if !it.expected {
			p.f.tickets[it.id] = pr
		}
		for _, code := range p.setup.Window(w.id).Services {
			p.calls[code]++
		}
		w.free = w.free.Add(secs(p.dur(w.id, it.service)))
	}
}

// pick is the calling policy at the window's free time, over the played
// lines: priority first within the run's cap, then the longest weighted
// wait. With nothing queued yet, it says when the next expected ticket
// comes.
func (p *play) pick(w *playWindow) (*item, time.Time) {
	var prio, normal *playLine
	var prioScore, normalScore float64
	var next time.Time
	for _, l := range w.lines {
		for l.at < len(l.items) && l.items[l.at].taken() {
			l.at++
		}
		if l.at >= len(l.items) {
			continue
		}
		it := &l.items[l.at]
		if it.queued.After(w.free) {
			if next.IsZero() || it.queued.Before(next) {
				next = it.queued
			}
			continue
		}
		score := l.weight * w.free.Sub(it.queued).Seconds()
		if it.first {
			if prio == nil || score > prioScore || (score == prioScore && it.order < prio.items[prio.at].order) {
				prio, prioScore = l, score
			}
		} else if normal == nil || score > normalScore || (score == normalScore && it.order < normal.items[normal.at].order) {
			normal, normalScore = l, score
		}
	}
	var pick *playLine
	switch {
	case prio == nil && normal == nil:
		return nil, next
	case prio == nil:
		pick = normal
	case normal == nil || w.run < p.setup.PriorityRun:
		pick = prio
	default:
		pick = normal
	}
	it := &pick.items[pick.at]
	if it.first {
		w.run++
	} else {
		w.run = 0
	}
	out := *it
	it.take()
	return &out, time.Time{}
}

// Lines shared by several windows are the same backing items: an item
// called by one is marked so the others pass it.
func (it *item) taken() bool { return it.order == 0 }
func (it *item) take()       { it.order = 0 }

// residual is how long a service still runs that has run elapsed seconds,
// when lengths are lognormal with mean d and spread cv: the mean of what is
// left of the lengths longer than elapsed. Lengths spread wide have a long
// tail, so a service past its mean is expected to run on for a while, and
// longer the wider they spread.
func residual(d, cv, elapsed float64) float64 {
	if elapsed <= 0 || d <= 0 {
		return d
	}
	sigma2 := math.Log(1 + cv*cv)
	sigma := math.Sqrt(sigma2)
	mu := math.Log(d) - sigma2/2
	z := (mu - math.Log(elapsed)) / sigma
	tail := normCDF(z)
	if tail < 1e-9 {
		return d / 2 // far past any length seen: soon, but not now
	}
	return max(d*normCDF(z+sigma)/tail-elapsed, 0)
}

func normCDF(z float64) float64 { return 0.5 * math.Erfc(-z/math.Sqrt2) }

func secs(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// LastMoment is the latest time the state has seen: a ticket issued,
// called or finished, a window changing state. A view built without a
// clock (a replayed hall) forecasts from it.
func (s *State) LastMoment() time.Time {
	var last time.Time
	for _, t := range s.Tickets {
		last = maxTime(last, maxTime(t.IssuedAt, maxTime(t.CalledAt, t.FinishedAt)))
	}
	for _, w := range s.Windows {
		last = maxTime(last, w.Since)
	}
	return last
}
