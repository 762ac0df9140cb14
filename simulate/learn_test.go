package simulate_test

import (
	"context"
	"math"
	"testing"

	"hallfloor/config"
	"hallfloor/simulate"
)

// A profile learned from a day's journal gives back that day's figures,
// and a day simulated from it issues about as many numbers.
func TestLearnFromTheJournal(t *testing.T) {
	h, d, dir := runDay(t, "normal", 4)
	p, err := simulate.LearnJournal(context.Background(), h, dir)
	if err != nil {
		t.Fatal(err)
	}
	if p.Date != "2026-11-04" || p.Opens != "09:00" || p.IssueUntil != "17:00" {
		t.Errorf("learned the day %s from %s to %s", p.Date, p.Opens, p.IssueUntil)
	}
	// B's times were drawn with a mean of 10 minutes, a spread of 0.6.
	if b := p.ServiceTimes["B"]; math.Abs(b.Mean-10) > 2.5 || math.Abs(b.Spread-0.6) > 0.2 {
		t.Errorf("learned B's service times as %+v", b)
	}
	if p.NoShow <= 0 || p.Recall <= 0 || p.Priority <= 0 || len(p.Roster) != len(h.Windows) {
		t.Errorf("learned %+v", p)
	}
	again, err := simulate.Run(context.Background(), simulate.Options{Hall: h, Profile: p, Seed: 9, Data: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if n, m := float64(len(again.Tickets)), float64(len(d.Tickets)); math.Abs(n-m) > 0.25*m {
		t.Errorf("the learned day issued %v numbers, the day it learned from %v", n, m)
	}
	if _, err := simulate.LearnJournal(context.Background(), config.Demo(), t.TempDir()); err == nil {
		t.Error("learned from no journal")
	}
}
