package waitbench

import (
	"os"
	"testing"
)

// TestBenchmark runs the fixed days and writes the table of both
// estimates (docs/ESTIMATES.md has it):
//
//	go test ./waitbench -run TestBenchmark -v
//
// Over all the days the forecast meets the targets: a mean error at least
// 30 % below the old formula's, and at least 80 % of real waits inside
// the range shown, and so on each day.
func TestBenchmark(t *testing.T) {
	names, probes, err := RunAll(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	all := Table(os.Stdout, names, probes)
	if all.New.MAES > 0.7*all.Old.MAES {
		t.Errorf("over all days the forecast's mean error is %.0f s, the old formula's %.0f s: less than 30 %% lower", all.New.MAES, all.Old.MAES)
	}
	if all.New.Inside < 0.8 {
		t.Errorf("over all days %.0f %% of real waits fell inside the range, want 80 %%", 100*all.New.Inside)
	}
	for _, d := range names {
		s := Rate(probes[d])
		if s.New.MAES > 0.7*s.Old.MAES {
			t.Errorf("%s: the forecast's mean error %.0f s is not 30 %% below the old formula's %.0f s", d, s.New.MAES, s.Old.MAES)
		}
		if s.New.Inside < 0.8 {
			t.Errorf("%s: %.0f %% of real waits inside the range, want 80 %%", d, 100*s.New.Inside)
		}
	}
}

// The same seed gives the same day: the benchmark's figures are the
// same on every run and every machine.
func TestDaysAreSeeded(t *testing.T) {
	d := Days()[0]
	a, err := Run(d, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	b, err := Run(d, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("two runs of %s took %d and %d estimates", d.Name, len(a), len(b))
	}
	for i := range a {
		if a[i] != b[i] {
			t.Fatalf("estimate %d differs between two runs of %s: %+v and %+v", i, d.Name, a[i], b[i])
		}
	}
}
