package waitbench

import (
	"os"
	"testing"
)

// TestBenchmark runs the fixed days and writes the table of both
// estimates (docs/ESTIMATES.md has it):
//
//	go test ./waitbench -run TestBenchmark -v
func TestBenchmark(t *testing.T) {
	dir := t.TempDir()
	probes := map[string][]Probe{}
	var names []string
	for _, d := range Days() {
		ps, err := Run(d, dir)
		if err != nil {
			t.Fatal(err)
		}
		probes[d.Name] = ps
		names = append(names, d.Name)
	}
	all := Table(os.Stdout, names, probes)
	if all.New.MAES >= all.Old.MAES {
		t.Errorf("the forecast's mean error %.0f s is no better than the old formula's %.0f s", all.New.MAES, all.Old.MAES)
	}
}
