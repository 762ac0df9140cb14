package server_test

import (
	"context"
	"strconv"
	"testing"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
	"hallfloor/server"
	"hallfloor/whatif"
)

func whatIfHall(t *testing.T, w server.WhatIf) (client, string) {
	t.Helper()
	h := config.Demo()
	if w == nil {
		w = whatif.New(h)
	}
	run := apptest.Start(t, app.Options{Hall: h, WhatIf: w})
	c := client{t, run.URL}
	return c, c.login("admin")
}

// allDay is n windows of each service in every hour of the normal day.
func allDay(a int) map[string]map[string]int {
	ro := map[string]map[string]int{}
	for h := 9; h <= 17; h++ {
		ro[strconv.Itoa(h)] = map[string]int{"A": a, "B": 1, "C": 1, "Q": 1, "Z": 1}
	}
	return ro
}

func TestWhatIfAPI(t *testing.T) {
	c, admin := whatIfHall(t, nil)
	var thin, wide whatif.Answer
	c.must(200, "POST", "/api/v1/whatif", admin, map[string]any{"profile": "normal", "seed": 5, "roster": allDay(1)}).into(t, &thin)
	c.must(200, "POST", "/api/v1/whatif", admin, map[string]any{"profile": "normal", "seed": 5, "roster": allDay(3)}).into(t, &wide)
	sum := func(a whatif.Answer) (s float64) {
		for _, h := range a.Hours {
			s += h.Services["A"].P90Min
		}
		return s
	}
	if !(sum(thin) > sum(wide)) || thin.Tickets != wide.Tickets {
		t.Errorf("one window of A: p90s sum %.1f; three: %.1f (tickets %d, %d)", sum(thin), sum(wide), thin.Tickets, wide.Tickets)
	}
	if thin.TargetMinutes != 30 || len(thin.Hours) != 9 || thin.Hours[0].Hour != 9 {
		t.Errorf("target %.0f, hours %v", thin.TargetMinutes, thin.Hours)
	}

	r := c.req("POST", "/api/v1/whatif", admin, map[string]any{"profile": "quiet", "roster": map[string]map[string]int{"14": {"C": 3}}})
	m := r.json(t)["error"].(map[string]any)
	args, _ := m["args"].(map[string]any)
	if r.status != 400 || m["reason"] != "whatif_too_many" || args["hour"] != "14" || args["service"] != "C" {
		t.Errorf("three windows of C at 14:00: %d %s", r.status, r.body)
	}

	var small whatif.Answer
	c.must(200, "POST", "/api/v1/whatif/smallest", admin, map[string]any{"profile": "quiet", "seed": 2}).into(t, &small)
	for _, h := range small.Hours {
		for sv, w := range h.Services {
			if w.P90Min > small.TargetMinutes {
				t.Errorf("smallest roster: %02d:00 %s p90 %.1f over %.0f", h.Hour, sv, w.P90Min, small.TargetMinutes)
			}
		}
	}
	if len(small.Roster) == 0 {
		t.Error("the smallest roster is empty")
	}

	var choices struct {
		Profiles []string       `json:"profiles"`
		Hours    []int          `json:"hours"`
		Windows  map[string]int `json:"windows"`
	}
	c.must(200, "GET", "/api/v1/whatif", admin, nil).into(t, &choices)
	if len(choices.Profiles) < 3 || choices.Windows["A"] != 4 || choices.Windows["B"] != 2 || len(choices.Hours) == 0 {
		t.Errorf("choices: %+v", choices)
	}

	clerk := c.login("1001")
	c.must(403, "POST", "/api/v1/whatif", clerk, map[string]any{"profile": "quiet", "roster": allDay(1)})
}

// TestWhatIfOneAtATime: a second what-if while one runs is told to come
// back later.
func TestWhatIfOneAtATime(t *testing.T) {
	started, release := make(chan struct{}), make(chan struct{})
	c, admin := whatIfHall(t, blocking{started, release})
	done := make(chan int)
	go func() {
		r := c.req("POST", "/api/v1/whatif", admin, map[string]any{"profile": "quiet"})
		done <- r.status
	}()
	<-started
	r := c.req("POST", "/api/v1/whatif", admin, map[string]any{"profile": "quiet"})
	close(release)
	if r.status != 429 || r.header.Get("Retry-After") == "" {
		t.Errorf("while one runs: %d %s", r.status, r.body)
	}
	if s := <-done; s != 200 {
		t.Errorf("the first: %d", s)
	}
}

// blocking is a what-if that runs until released.
type blocking struct{ started, release chan struct{} }

func (blocking) Choices() any { return nil }

func (b blocking) Answer(context.Context, bool, server.WhatIfRequest) (any, error) {
	close(b.started)
	<-b.release
	return map[string]int{}, nil
}
