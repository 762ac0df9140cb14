// Package whatif answers a manager's "what if we staffed the hall like
// this": a day profile run through the simulator with a roster of windows
// per service per hour, and the smallest such roster that keeps every
// service's p90 wait under the hall's target.
//
// A roster {"9": {"A": 2}} opens, from 09:00 to 10:00, two of the hall's
// windows that serve A: first those whose first service is A, then the
// others serving it, in the hall file's order, each window counted once in
// an hour (services taken in the hall file's order). An opened window
// serves all its services, as it does in the hall. A service asking for
// more windows than are left for it that hour is refused, naming both.
package whatif

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"time"

	"hallfloor/config"
	"hallfloor/errs"
	"hallfloor/server"
	"hallfloor/simulate"
)

// Roster is the windows per service per hour: hour (0-23) → service →
// windows.
type Roster map[string]map[string]int

// Request is a what-if to run.
type Request struct {
	Profile string `json:"profile"`
	Seed    uint64 `json:"seed"`
	Roster  Roster `json:"roster"`
}

// Answer is a what-if's figures.
type Answer struct {
	Profile string   `json:"profile"`
	Seed    uint64   `json:"seed"`
	Roster  Roster   `json:"roster"`
	Hours   []Hour   `json:"hours"`
	Service []string `json:"services"`
	// TargetMinutes is the hall's wait target (alerts.wait_target_minutes).
	TargetMinutes float64 `json:"target_minutes"`
	// OvertimeMinutes is how long the hall kept serving past the
	// profile's closing (the last window's close, less closing).
	OvertimeMinutes float64 `json:"overtime_minutes"`
	// IdleMinutes is the windows' open time with nobody served at them:
	// rostered minutes (and overtime) less the services' minutes.
	IdleMinutes float64 `json:"idle_minutes"`
	// WithinTarget is the share of the day's numbers called within the
	// target; a number never called was not.
	WithinTarget float64 `json:"within_target"`
	Tickets      int     `json:"tickets"`
	// Simulations is how many days were simulated for the answer.
	Simulations int `json:"simulations"`
	// Unmet are, for a search, the hours and services ("10:00 C") still
	// over the target when it stopped: no window was left to add there,
	// or the search ran out of simulations.
	Unmet []string `json:"unmet,omitempty"`
}

// Hour is an hour's arrivals and, per service, the waits of the numbers
// issued in it (a number never called waited until the day's end).
type Hour struct {
	Hour     int                     `json:"hour"`
	Arrivals int                     `json:"arrivals"`
	Services map[string]ServiceWaits `json:"services"`
}

// ServiceWaits are a service's waits in an hour, in minutes.
type ServiceWaits struct {
	Arrivals int     `json:"arrivals"`
	Windows  int     `json:"windows"`
	MeanMin  float64 `json:"mean_min"`
	P90Min   float64 `json:"p90_min"`
}

// Runner runs what-ifs on one hall.
type Runner struct {
	Hall *config.Hall
	// MaxRuns caps the simulations of a search for the smallest roster.
	MaxRuns int
}

// New is a runner on hall h, its searches capped at 30 simulations.
func New(h *config.Hall) *Runner { return &Runner{Hall: h, MaxRuns: 30} }

func (r *Runner) target() time.Duration { return r.Hall.Setup().Alerts.WaitTarget }

// windowHours translates a roster into each window's open hours.
func (r *Runner) windowHours(p *simulate.Profile, ro Roster) (map[string][]string, error) {
	out := map[string][]string{}
	for hs, services := range ro {
		h, err := strconv.Atoi(hs)
		if err != nil || !slices.Contains(p.Hours(), h) {
			return nil, errs.Bad("roster", "whatif_bad_hour", "hour", hs)
		}
		used := map[string]bool{}
		for _, sv := range r.Hall.Services {
			n := services[sv.Code]
			if n < 0 {
				return nil, errs.Bad("roster", "whatif_bad_count", "hour", hs, "service", sv.Code)
			}
			for _, w := range r.candidates(sv.Code) {
				if n == 0 {
					break
				}
				if !used[w] {
					used[w], n = true, n-1
					out[w] = append(out[w], fmt.Sprintf("%02d:00-%02d:00", h, h+1))
				}
			}
			if n > 0 {
				return nil, errs.Bad("roster", "whatif_too_many", "hour", hs, "service", sv.Code, "asked", strconv.Itoa(services[sv.Code]))
			}
		}
		for sv := range services {
			if !slices.ContainsFunc(r.Hall.Services, func(s config.Service) bool { return s.Code == sv }) {
				return nil, errs.Bad("roster", "no_service", "service", sv)
			}
		}
	}
	return out, nil
}

// candidates are the windows serving sv: those it is first for first.
func (r *Runner) candidates(sv string) []string {
	var first, other []string
	for _, w := range r.Hall.Windows {
		switch i := slices.Index(w.Services, sv); {
		case i == 0:
			first = append(first, w.ID)
		case i > 0:
			other = append(other, w.ID)
		}
	}
	return append(first, other...)
}

func (r *Runner) profile(name string) (*simulate.Profile, error) {
	if !slices.Contains(simulate.Profiles(), name) {
		return nil, errs.Bad("profile", "whatif_no_profile", "profile", name)
	}
	return simulate.LoadProfile(name)
}

// Run simulates the request's day with its roster.
func (r *Runner) Run(ctx context.Context, req Request) (*Answer, error) {
	p, err := r.profile(req.Profile)
	if err != nil {
		return nil, err
	}
	return r.run(ctx, p, req)
}

func (r *Runner) run(ctx context.Context, p *simulate.Profile, req Request) (*Answer, error) {
	wh, err := r.windowHours(p, req.Roster)
	if err != nil {
		return nil, err
	}
	if len(wh) == 0 {
		return nil, errs.Bad("roster", "whatif_empty")
	}
	day, err := p.WithRoster(wh)
	if err != nil {
		return nil, errs.Wrap(err, "roster")
	}
	dir, err := os.MkdirTemp("", "whatif-")
	if err != nil {
		return nil, errs.Wrap(err, "a directory for the simulation")
	}
	defer os.RemoveAll(dir)
	d, err := simulate.Run(ctx, simulate.Options{Hall: r.Hall, Profile: day, Seed: req.Seed, Data: dir})
	if err != nil {
		return nil, errs.Wrap(err, "simulate")
	}
	return r.figures(p, req, wh, d), nil
}

func (r *Runner) figures(p *simulate.Profile, req Request, wh map[string][]string, d *simulate.Day) *Answer {
	target := r.target()
	a := &Answer{Profile: req.Profile, Seed: req.Seed, Roster: req.Roster, TargetMinutes: target.Minutes(), Simulations: 1}
	for _, sv := range r.Hall.Services {
		a.Service = append(a.Service, sv.Code)
	}
	loc := r.Hall.Setup().Location()
	waits := map[int]map[string][]float64{}
	within := 0
	for _, t := range d.Tickets {
		h := t.IssuedAt.In(loc).Hour()
		w := t.Wait()
		if w < 0 {
			w = d.End.Sub(t.IssuedAt)
		} else if w <= target {
			within++
		}
		if waits[h] == nil {
			waits[h] = map[string][]float64{}
		}
		waits[h][t.Service] = append(waits[h][t.Service], w.Minutes())
	}
	a.Tickets = len(d.Tickets)
	if a.Tickets > 0 {
		a.WithinTarget = float64(within) / float64(a.Tickets)
	}
	for _, h := range p.Hours() {
		hr := Hour{Hour: h, Services: map[string]ServiceWaits{}}
		for _, sv := range a.Service {
			ws := waits[h][sv]
			sw := ServiceWaits{Arrivals: len(ws), Windows: req.Roster[strconv.Itoa(h)][sv], MeanMin: mean(ws), P90Min: p90(ws)}
			hr.Arrivals += len(ws)
			hr.Services[sv] = sw
		}
		a.Hours = append(a.Hours, hr)
	}
	closes := d.End.In(loc)
	midnight := time.Date(closes.Year(), closes.Month(), closes.Day(), 0, 0, 0, 0, loc)
	a.OvertimeMinutes = math.Max(0, closes.Sub(midnight).Minutes()-p.ClosesAt())
	open := 0.0
	for _, spans := range wh {
		for _, s := range spans {
			h, _ := strconv.Atoi(s[:2])
			open += math.Min(60, p.ClosesAt()-float64(h*60))
		}
	}
	busy := 0.0
	for _, w := range d.Report.Windows {
		busy += w.Service.AvgS * float64(w.Service.Count) / 60
	}
	a.IdleMinutes = math.Max(0, open+a.OvertimeMinutes-busy)
	return a
}

func mean(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := 0.0
	for _, x := range v {
		s += x
	}
	return round(s / float64(len(v)))
}

// p90 is the nearest-rank 90th percentile.
func p90(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	sort.Float64s(s)
	return round(s[int(math.Ceil(0.9*float64(len(s))))-1])
}

func round(x float64) float64 { return math.Round(x*10) / 10 }

// Smallest searches for the smallest roster keeping every service's p90
// wait under the target in every hour: one window per service in each
// hour it has arrivals (or had them the hour before, for the numbers still
// waiting), then a window more, each round, where the wait is worst over
// the target, until all are under, no window is left to add, or MaxRuns
// days were simulated. The answer is the last roster tried and its
// figures; Simulations says how many days it took.
func (r *Runner) Smallest(ctx context.Context, req Request) (*Answer, error) {
	p, err := r.profile(req.Profile)
	if err != nil {
		return nil, err
	}
	ro := Roster{}
	for _, h := range p.Hours() {
		ro[strconv.Itoa(h)] = map[string]int{}
		for _, sv := range r.Hall.Services {
			if len(r.candidates(sv.Code)) > 0 {
				ro[strconv.Itoa(h)][sv.Code] = 1
			}
		}
	}
	req.Roster = ro
	a, err := r.run(ctx, p, req)
	if err != nil {
		return nil, err
	}
	// The day's arrivals are drawn before any window opens, so they are
	// the same whatever the roster: keep only the hours that need one.
	runs := 1
	ro = Roster{}
	for i, h := range a.Hours {
		hs := strconv.Itoa(h.Hour)
		ro[hs] = map[string]int{}
		for sv, w := range h.Services {
			if w.Arrivals > 0 || (i > 0 && a.Hours[i-1].Services[sv].Arrivals > 0) {
				ro[hs][sv] = 1
			}
		}
	}
	full := map[string]bool{} // hour/service with no window left to add
	for {
		req.Roster = ro
		if a, err = r.run(ctx, p, req); err != nil {
			return nil, err
		}
		runs++
		hs, sv := worst(a, full)
		if hs == "" || runs >= r.MaxRuns {
			break
		}
		for {
			ro[hs][sv]++
			if _, err := r.windowHours(p, ro); err == nil {
				break
			}
			ro[hs][sv]--
			full[hs+"/"+sv] = true
			// No window left there: the next worst, without a simulation.
			hs, sv = worst(a, full)
			if hs == "" {
				break
			}
		}
		if hs == "" {
			break
		}
	}
	a.Simulations = runs
	for _, h := range a.Hours {
		for _, code := range a.Service {
			if h.Services[code].P90Min > a.TargetMinutes {
				a.Unmet = append(a.Unmet, fmt.Sprintf("%d:00 %s", h.Hour, code))
			}
		}
	}
	return a, nil
}

// worst is the hour and service whose p90 wait is furthest over the
// target, of those not full; "" when none is over.
func worst(a *Answer, full map[string]bool) (hour, service string) {
	most := a.TargetMinutes
	for _, h := range a.Hours {
		for _, code := range a.Service {
			w := h.Services[code]
			if k := strconv.Itoa(h.Hour) + "/" + code; w.P90Min > most && !full[k] {
				hour, service, most = strconv.Itoa(h.Hour), code, w.P90Min
			}
		}
	}
	return hour, service
}

// Choices are what a roster may hold, for the what-if page: the
// profiles, the hours of each, the services and how many windows serve
// each, and the hall's wait target.
func (r *Runner) Choices() any {
	c := struct {
		Profiles      []string         `json:"profiles"`
		Hours         []int            `json:"hours"`
		ProfileHours  map[string][]int `json:"profile_hours"`
		Services      []string         `json:"services"`
		Windows       map[string]int   `json:"windows"`
		TargetMinutes float64          `json:"target_minutes"`
	}{Profiles: simulate.Profiles(), ProfileHours: map[string][]int{}, Windows: map[string]int{}, TargetMinutes: r.target().Minutes()}
	for _, name := range c.Profiles {
		if p, err := simulate.LoadProfile(name); err == nil {
			c.ProfileHours[name] = p.Hours()
			c.Hours = p.Hours()
		}
	}
	for _, sv := range r.Hall.Services {
		if n := len(r.candidates(sv.Code)); n > 0 {
			c.Services = append(c.Services, sv.Code)
			c.Windows[sv.Code] = n
		}
	}
	return c
}

// Answer is Run, or Smallest, for the server's POST /api/v1/whatif.
func (r *Runner) Answer(ctx context.Context, smallest bool, req server.WhatIfRequest) (any, error) {
	q := Request{Profile: req.Profile, Seed: req.Seed, Roster: req.Roster}
	if smallest {
		return r.Smallest(ctx, q)
	}
	return r.Run(ctx, q)
}
