package waitbench

import (
	"fmt"
	"io"
	"math"
	"slices"
)

// Score is how well one estimate did over a set of probes.
type Score struct {
	N int
	// MAES and P90S are the mean and 90th-percentile absolute error, in
	// seconds; Inside is the share of real waits within the range shown.
	MAES, P90S, Inside float64
}

// Scores are both estimates' over the same probes.
type Scores struct {
	Old, New Score
	// NewUncertain is the share of the new estimates marked uncertain;
	// InsideSure and InsideUncertain the share of real waits inside the
	// range among those not marked and those marked.
	NewUncertain, InsideSure, InsideUncertain float64
}

// oldBand is the range the old figure is read as: a kiosk shows whole
// minutes, so a real wait within a minute of it is inside.
const oldBand = 60

// Rate scores the probes.
func Rate(ps []Probe) Scores {
	var old, new []float64
	var inOld, inNew, unc, inUnc int
	for _, p := range ps {
		eo := math.Abs(float64(p.OldS - p.RealS))
		en := math.Abs(float64(p.New.MidS - p.RealS))
		old, new = append(old, eo), append(new, en)
		if eo <= oldBand {
			inOld++
		}
		inside := p.RealS >= p.New.LowS && p.RealS <= p.New.HighS
		if inside {
			inNew++
		}
		if p.New.Uncertain {
			unc++
			if inside {
				inUnc++
			}
		}
	}
	n := len(ps)
	return Scores{Old: score(old, inOld), New: score(new, inNew), NewUncertain: share(unc, n),
		InsideSure: shareOrNaN(inNew-inUnc, n-unc), InsideUncertain: shareOrNaN(inUnc, unc)}
}

func score(errs []float64, inside int) Score {
	s := Score{N: len(errs), Inside: share(inside, len(errs))}
	if len(errs) == 0 {
		return s
	}
	sum := 0.0
	for _, e := range errs {
		sum += e
	}
	s.MAES = sum / float64(len(errs))
	slices.Sort(errs)
	s.P90S = errs[min(len(errs)-1, int(math.Ceil(0.9*float64(len(errs))))-1)]
	return s
}

// shareOrNaN is share, NaN (shown as —) for none.
func shareOrNaN(k, n int) float64 {
	if n == 0 {
		return math.NaN()
	}
	return share(k, n)
}

func pct(v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	return fmt.Sprintf("%.0f %%", 100*v)
}

func share(k, n int) float64 {
	if n == 0 {
		return 0
	}
	return float64(k) / float64(n)
}

// Table writes the scores per day and service, each day's and all days',
// as a Markdown table.
func Table(w io.Writer, days []string, probes map[string][]Probe) Scores {
	fmt.Fprintln(w, "| day | service | estimates | MAE old | MAE new | p90 old | p90 new | inside old (±1 min) | inside new (range) | uncertain | inside when sure / uncertain |")
	fmt.Fprintln(w, "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
	row := func(day, sv string, ps []Probe) Scores {
		s := Rate(ps)
		fmt.Fprintf(w, "| %s | %s | %d | %.0f s | %.0f s | %.0f s | %.0f s | %.0f %% | %.0f %% | %.0f %% | %s / %s |\n", day, sv, s.Old.N,
			s.Old.MAES, s.New.MAES, s.Old.P90S, s.New.P90S, 100*s.Old.Inside, 100*s.New.Inside, 100*s.NewUncertain,
			pct(s.InsideSure), pct(s.InsideUncertain))
		return s
	}
	var all []Probe
	for _, d := range days {
		ps := probes[d]
		all = append(all, ps...)
		var svs []string
		for _, p := range ps {
			if !slices.Contains(svs, p.Service) {
				svs = append(svs, p.Service)
			}
		}
		slices.Sort(svs)
		for _, sv := range svs {
			row(d, sv, slices.DeleteFunc(slices.Clone(ps), func(p Probe) bool { return p.Service != sv }))
		}
		row(d, "**all**", ps)
	}
	return row("**all days**", "**all**", all)
}
