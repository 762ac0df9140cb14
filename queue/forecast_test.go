package queue

import (
	"fmt"
	"testing"
	"time"

	"hallfloor/calendar"
)

// oneWindow is a hall of one window serving A (5 minutes a service), open
// 09:00–12:00 on Mondays.
func oneWindow() *Setup {
	cal := &calendar.Calendar{Location: shanghai}
	cal.Weekly[time.Monday] = []calendar.Session{{Start: 9 * 60, End: 12 * 60}}
	return NewSetup(Setup{
		Location: shanghai, PriorityRun: 3, Calendar: cal,
		Services: []Service{{Code: "A", Kind: Intake, ServiceTime: 5 * time.Minute}},
		Windows:  []WindowSetup{{ID: "1", Services: []string{"A"}}},
	})
}

// served has the window serve n citizens of five minutes each, so the
// forecast has a day's pace to go on.
func (h *hall) served(window string, n int) {
	h.t.Helper()
	for range n {
		h.issue("A")
		h.call(window)
		h.advance(5 * time.Minute)
		h.must(Finish{Window: window, Actor: clerk("s" + window)})
	}
}

// near is a forecast within 5 % of want: the no-shows the forecast
// expects (a few in a hundred until the day shows otherwise) take a
// skip's minute instead of a service.
func near(got, want int) bool { return got >= want*95/100 && got <= want }

func (h *hall) forecast(t *Ticket) WaitRange {
	return h.s.NewForecast(h.setup, h.now).Ticket(h.s, h.setup, t)
}

// Three waiting before one window of five-minute services: the fourth is
// called in fifteen minutes, and the range holds it.
func TestForecastPlaysTheLineAtTheWindowsPace(t *testing.T) {
	h := newHall(t, oneWindow())
	h.open("1")
	h.served("1", 6)
	for range 3 {
		h.issue("A")
	}
	last := h.issue("A")
	r := h.forecast(last)
	if !near(r.MidS, 15*60) {
		t.Fatalf("forecast %d s, want 900 s (three five-minute services, less the expected no-shows)", r.MidS)
	}
	if r.LowS >= r.MidS || r.HighS <= r.MidS {
		t.Fatalf("range %d–%d s does not hold its middle %d s", r.LowS, r.HighS, r.MidS)
	}
	if r.Uncertain {
		t.Fatal("six services done at a steady pace is not thin data")
	}
}

// A paused window calls nobody until it is back: the wait counts the
// pause, and says it is uncertain, since nobody knows when the clerk returns.
func TestForecastWaitsOutAPause(t *testing.T) {
	h := newHall(t, oneWindow())
	h.open("1")
	h.served("1", 6)
	a := h.issue("A")
	before := h.forecast(a)
	h.must(Pause{Window: "1", Actor: clerk("s1"), Reason: "暂离"})
	paused := h.forecast(a)
	if !near(paused.MidS, int(typicalPause.Seconds())) || before.MidS != 0 {
		t.Fatalf("forecast %d s before the pause, %d s during it; want 0 and %v", before.MidS, paused.MidS, typicalPause)
	}
	if !paused.Uncertain {
		t.Fatal("a paused window's wait is not marked uncertain")
	}
}

// Priority numbers go first: one issued after a walk-in is forecast to be
// called before it, and the walk-in's wait grows by a service.
func TestForecastPutsPriorityAhead(t *testing.T) {
	h := newHall(t, oneWindow())
	h.open("1")
	h.served("1", 6)
	h.call("1") // nobody waits: the window idles
	h.issue("A")
	h.call("1") // serving one just called
	walkIn := h.issue("A")
	alone := h.forecast(walkIn)
	p := h.issuePriority("A")
	behind := h.forecast(walkIn)
	first := h.forecast(p)
	if first.MidS >= behind.MidS {
		t.Fatalf("priority forecast %d s, walk-in %d s: the priority ticket should go first", first.MidS, behind.MidS)
	}
	if !near(behind.MidS-alone.MidS, 300) {
		t.Fatalf("the walk-in's wait grew by %d s with a priority ticket ahead, want a service's 300 s", behind.MidS-alone.MidS)
	}
}

// No number is issued after the session's end: late in a session the
// forecast expects no more arrivals, so no priority ticket is expected
// to jump ahead, while early on the morning's priority arrivals are.
func TestForecastExpectsNoArrivalsAfterTheSessionEnds(t *testing.T) {
	h := newHall(t, oneWindow())
	h.open("1")
	h.served("1", 6) // 09:00–09:30
	for range 2 {
		h.issuePriority("A") // a priority ticket every quarter hour, still waiting
		h.advance(15 * time.Minute)
	}
	walkIn := h.issue("A")
	mid := h.forecast(walkIn) // 10:00: priority tickets keep coming till noon
	h.now = time.Date(2025, 3, 10, 11, 59, 0, 0, shanghai)
	late := h.forecast(walkIn)
	// At 10:00 the last half hour's rate (2 in 30 minutes) says another
	// priority ticket comes by 10:10 and goes ahead; at 11:59 none can.
	if !near(late.MidS, 2*300) {
		t.Fatalf("at the session's end the walk-in waits %d s, want the two priority services ahead (600 s)", late.MidS)
	}
	if !near(mid.MidS, 3*300) {
		t.Fatalf("mid-session the walk-in waits %d s, want 900 s: the priority ticket expected by 10:10 goes first", mid.MidS)
	}
}

// A morning's first tickets, before any service is done, are forecast
// from the hall file's figure and marked uncertain.
func TestForecastIsUncertainOnThinData(t *testing.T) {
	h := newHall(t, oneWindow())
	h.open("1")
	h.issue("A")
	h.call("1")
	b := h.issue("A")
	r := h.forecast(b)
	if !r.Uncertain {
		t.Fatalf("forecast %+v with no service finished today is not uncertain", r)
	}
	// The hall file's 300 s for the one being served, shown as the
	// median of a length whose spread nobody knows yet: a little less.
	if r.MidS < 240 || r.MidS > 300 || r.HighS < 300 {
		t.Fatalf("forecast %+v, want a little under the hall file's 300 s, the range holding it", r)
	}
	// A service nobody serves now falls back to the old figure, uncertain.
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	h.must(CloseWindow{Window: "1", Actor: clerk("s1")})
	if r := h.forecast(b); !r.Uncertain || r.HighS <= r.MidS {
		t.Fatalf("forecast with no window open %+v, want uncertain and a wide range", r)
	}
}

// A service whose citizens are often gone when called goes faster: each
// of them holds the window only as long as the recalls and the 过号.
func TestForecastCountsNoShows(t *testing.T) {
	wait := func(gone int) int {
		h := newHall(t, oneWindow())
		h.open("1")
		h.served("1", 6)
		for range gone {
			h.issue("A")
			h.call("1")
			h.advance(time.Minute)
			h.must(Skip{Window: "1", Actor: clerk("s1")})
		}
		for range 3 {
			h.issue("A")
		}
		return h.forecast(h.issue("A")).MidS
	}
	always, often := wait(0), wait(6)
	// Six gone of twelve called: some two in five of those ahead are
	// expected gone, a minute each instead of five.
	if often >= always*80/100 {
		t.Fatalf("with half the called gone the wait is %d s, without %d s: no-shows should shorten it", often, always)
	}
}

// BenchmarkForecast is the forecast of a big hall's afternoon, as the hall
// view makes it for every screen: 40 windows of two services each, 3,000
// served today and 1,000 waiting.
//
//	go test ./queue -run '^$' -bench BenchmarkForecast
func BenchmarkForecast(b *testing.B) {
	var svs []Service
	for i := range 8 {
		svs = append(svs, Service{Code: string(rune('A' + i)), Kind: Intake, ServiceTime: time.Duration(4+i%4*2) * time.Minute})
	}
	var wins []WindowSetup
	for i := range 40 {
		wins = append(wins, WindowSetup{ID: fmt.Sprint(i + 1), Services: []string{svs[i%8].Code, svs[(i+3)%8].Code}})
	}
	h := newHall(b, NewSetup(Setup{Location: shanghai, Services: svs, Windows: wins}))
	h.bulk = true
	for _, w := range wins {
		h.open(w.ID)
	}
	for i := range 4000 {
		h.issue(svs[i%8].Code)
		h.advance(5 * time.Second)
		if i%4 != 3 {
			h.call(wins[i%40].ID)
		}
	}
	b.ResetTimer()
	for range b.N {
		h.s.NewForecast(h.setup, h.now)
	}
}

// A service past its mean runs on for a while yet, and longer when the
// service's lengths spread wide: their tail is long.
func TestResidualOfARunningService(t *testing.T) {
	if got := residual(300, 0.5, 0); got != 300 {
		t.Fatalf("a service just begun has %v s to go, want its mean 300 s", got)
	}
	narrow, wide := residual(300, 0.3, 600), residual(300, 1.2, 600)
	if narrow <= 0 || wide <= narrow {
		t.Fatalf("past twice its mean a narrow service has %.0f s to go, a wide one %.0f s: the wide one should have longer", narrow, wide)
	}
	if early := residual(300, 1.2, 60); early >= wide {
		t.Fatalf("a wide service has %.0f s to go a minute in and %.0f s ten minutes in: its tail should grow", early, wide)
	}
}

// A service running far past the hall file's figure counts toward the
// window's pace as what it has run so far: in the morning's first hour
// the short ones finish first, and a pace from them alone is too quick.
func TestForecastCountsALongRunningService(t *testing.T) {
	h := newHall(t, oneWindow())
	h.open("1")
	h.served("1", 6)
	h.issue("A")
	h.call("1")
	h.advance(20 * time.Minute)
	first, second := h.issue("A"), h.issue("A")
	f := h.s.NewForecast(h.setup, h.now)
	gap := f.Ticket(h.s, h.setup, second).MidS - f.Ticket(h.s, h.setup, first).MidS
	if gap <= 300 {
		t.Fatalf("the second ticket waits %d s more than the first: a window whose service ran 20 minutes should be slower than its five-minute past", gap)
	}
}

// The figure shown is the wait's median, below the played mean since
// waits skew long; the range is around the mean and holds the median.
func TestForecastShowsTheMedian(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, shanghai)
	f := &Forecast{now: now, stats: map[string]paceStats{"A": {cv: 0.8, open: 1, finished: 20}}}
	r := f.rangeOf(projected{at: now.Add(10 * time.Minute), calls: 2, ok: true}, "A")
	if r.MidS >= 600 || r.MidS < 400 {
		t.Fatalf("a mean wait of 600 s over two wide services shows %d s, want its median, somewhat below", r.MidS)
	}
	if r.LowS >= r.MidS || r.HighS <= 600 {
		t.Fatalf("range %d–%d s should hold the median %d s and the mean 600 s", r.LowS, r.HighS, r.MidS)
	}
}

// An appointment due before a walk-in's turn goes ahead of it at its
// slot: the walk-in's wait grows by a service. One due after the walk-in
// is called changes nothing. And with the appointments known, a check-in
// of the last half hour is not also expected again from the arrivals.
func TestForecastCountsAppointmentsStillToCome(t *testing.T) {
	h := newHall(t, oneWindow())
	h.open("1")
	h.served("1", 6)
	h.issue("A")
	h.call("1")
	h.issue("A")
	walkIn := h.issue("A") // two services ahead: called in about ten minutes
	plain := h.s.NewForecastWith(h.setup, h.now, []Booked{}).Ticket(h.s, h.setup, h.s.Tickets[walkIn.ID])
	soon := h.s.NewForecastWith(h.setup, h.now, []Booked{{Service: "A", At: h.now.Add(2 * time.Minute)}}).Ticket(h.s, h.setup, h.s.Tickets[walkIn.ID])
	late := h.s.NewForecastWith(h.setup, h.now, []Booked{{Service: "A", At: h.now.Add(time.Hour)}}).Ticket(h.s, h.setup, h.s.Tickets[walkIn.ID])
	if grew := soon.MidS - plain.MidS; grew < 240 || grew > 330 {
		t.Fatalf("an appointment due in 2 minutes made the walk-in's wait grow by %d s (%d → %d), want about a service's 300 s", grew, plain.MidS, soon.MidS)
	}
	if late != plain {
		t.Fatalf("an appointment due in an hour changed the walk-in's wait: %+v, without it %+v", late, plain)
	}
}

// With the appointments known, the check-ins of the last half hour are
// not expected to go on arriving: the bookings say who is still to come.
func TestForecastDoesNotCountCheckInsTwice(t *testing.T) {
	h := newHall(t, oneWindow())
	h.open("1")
	h.served("1", 6)
	h.issue("A")
	h.call("1")
	for range 2 {
		h.issueVia("A", ViaBooking)
		h.advance(time.Minute)
	}
	walkIn := h.issue("A")
	rates := h.s.NewForecast(h.setup, h.now).Ticket(h.s, h.setup, h.s.Tickets[walkIn.ID])
	known := h.s.NewForecastWith(h.setup, h.now, []Booked{}).Ticket(h.s, h.setup, h.s.Tickets[walkIn.ID])
	if known.MidS >= rates.MidS {
		t.Fatalf("with no appointment left the walk-in waits %d s, with check-ins expected from the rates %d s: the first should be shorter", known.MidS, rates.MidS)
	}
}
