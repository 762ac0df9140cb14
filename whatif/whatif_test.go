package whatif

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"hallfloor/config"
	"hallfloor/errs"
)

// every is n windows of each service in every hour of the normal day.
func every(n map[string]int) Roster {
	ro := Roster{}
	for h := 9; h <= 17; h++ {
		ro[strconv.Itoa(h)] = n
	}
	return ro
}

func TestFewerWindowsLongerWaits(t *testing.T) {
	r := New(config.Demo())
	ctx := context.Background()
	thin, err := r.Run(ctx, Request{Profile: "normal", Seed: 7, Roster: every(map[string]int{"A": 1, "B": 1, "C": 1, "Q": 1, "Z": 1})})
	if err != nil {
		t.Fatal(err)
	}
	wide, err := r.Run(ctx, Request{Profile: "normal", Seed: 7, Roster: every(map[string]int{"A": 3, "B": 1, "C": 1, "Q": 1, "Z": 1})})
	if err != nil {
		t.Fatal(err)
	}
	if thin.Tickets != wide.Tickets || thin.Tickets == 0 {
		t.Fatalf("the same day should have the same arrivals: %d and %d", thin.Tickets, wide.Tickets)
	}
	var thinA, wideA float64
	for i := range thin.Hours {
		thinA += thin.Hours[i].Services["A"].MeanMin
		wideA += wide.Hours[i].Services["A"].MeanMin
	}
	if !(thinA > wideA) || !(thin.WithinTarget <= wide.WithinTarget) {
		t.Errorf("one window of A: waits %.1f, within %.2f; three: %.1f, within %.2f", thinA, thin.WithinTarget, wideA, wide.WithinTarget)
	}
	if !(wide.IdleMinutes > thin.IdleMinutes) {
		t.Errorf("more windows should idle more: %.0f vs %.0f", wide.IdleMinutes, thin.IdleMinutes)
	}
}

func TestImpossibleRosterRefused(t *testing.T) {
	r := New(config.Demo())
	_, err := r.Run(context.Background(), Request{Profile: "quiet", Roster: Roster{"10": {"B": 3}}})
	e, ok := errs.As(err)
	if !ok || e.Reason != "whatif_too_many" || e.Args["hour"] != "10" || e.Args["service"] != "B" {
		t.Fatalf("three windows of B (the hall has two): %v", err)
	}
	if _, err := r.Run(context.Background(), Request{Profile: "quiet", Roster: Roster{"11": {"A": 5}}}); !errs.Is(errs.Invalid, err) {
		t.Fatalf("five windows of A (the hall has four serving it): %v", err)
	}
}

func TestSmallestKeepsP90UnderTarget(t *testing.T) {
	r := New(config.Demo())
	a, err := r.Smallest(context.Background(), Request{Profile: "quiet", Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range a.Hours {
		for sv, w := range h.Services {
			if w.P90Min > a.TargetMinutes {
				t.Errorf("%02d:00 %s: p90 %.1f over the target %.0f", h.Hour, sv, w.P90Min, a.TargetMinutes)
			}
		}
	}
	if a.Simulations < 2 || a.Simulations > r.MaxRuns {
		t.Errorf("%d simulations", a.Simulations)
	}
	t.Logf("roster %v in %d simulations", a.Roster, a.Simulations)
}

// TestSmallestSaysWhatItCannotMeet: on a Monday's peak, service C's two
// windows cannot keep its p90 under the target; the search adds windows
// elsewhere and names what stays over.
func TestSmallestSaysWhatItCannotMeet(t *testing.T) {
	r := New(config.Demo())
	r.MaxRuns = 12
	a, err := r.Smallest(context.Background(), Request{Profile: "monday-peak", Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if a.Simulations > r.MaxRuns {
		t.Errorf("%d simulations, capped at %d", a.Simulations, r.MaxRuns)
	}
	added := false
	for _, cells := range a.Roster {
		for _, n := range cells {
			added = added || n > 1
		}
	}
	if !added || len(a.Unmet) == 0 {
		t.Errorf("roster %v, unmet %v", a.Roster, a.Unmet)
	}
}

// TestRunStopsWhenCancelled: a what-if past its time ends with the
// context's error rather than running the day out.
func TestRunStopsWhenCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := New(config.Demo()).Run(ctx, Request{Profile: "quiet", Roster: Roster{"9": {"A": 1}}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled: %v", err)
	}
}
