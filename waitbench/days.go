// Package waitbench measures the wait a hall shows its citizens against
// the wait they really had: seeded mornings of a hall driven through its
// real engine and journal with a fake clock, each ticket's estimate taken
// when it is issued and every five minutes while it waits, for the old
// formula (people ahead × mean service ÷ open windows) and for the
// queue's forecast.
package waitbench

import "time"

// Service is a service of a benchmark day: how long it takes and how its
// citizens behave.
type Service struct {
	Code string
	// MeanMin is its mean length in minutes; CV the spread (sd over mean)
	// of its lognormal lengths.
	MeanMin, CV float64
	// PerHour is its walk-in arrivals an hour, shaped by the day's Profile.
	PerHour float64
	// NoShow is the share of its citizens gone when called; Priority the
	// share a guide issues as priority (老弱病残孕).
	NoShow, Priority float64
}

// Window is a counter of a benchmark day.
type Window struct {
	ID       string
	Services []string
	Weights  map[string]float64
	// Speed scales its clerk's service lengths (1.3 is slower).
	Speed float64
	// ClosesAt, if set, is when its clerk leaves for the day (after the
	// citizen being served), from the opening.
	ClosesAt time.Duration
	// Pauses are 暂离 from the opening: at, for how long.
	Pauses [][2]time.Duration
}

// Day is one seeded benchmark morning.
type Day struct {
	Name     string
	Seed     uint64
	Monday   bool
	Services []Service
	Windows  []Window
	// Profile scales arrivals by the quarter hour from the opening; the
	// last figure holds for the rest of the morning.
	Profile []float64
}

// Opens and IssueEnds bound a benchmark morning: numbers are issued from
// 08:30 to 12:00; the windows serve who still waits after it.
const (
	Opens     = 8*time.Hour + 30*time.Minute
	IssueEnds = 12 * time.Hour
)

func flat() []float64 { return []float64{1} }

func std() []Service {
	return []Service{
		{Code: "A", MeanMin: 6, CV: 0.5, PerHour: 16, NoShow: 0.05, Priority: 0.05},
		{Code: "B", MeanMin: 10, CV: 0.6, PerHour: 8, NoShow: 0.08, Priority: 0.05},
		{Code: "C", MeanMin: 4, CV: 0.4, PerHour: 15, NoShow: 0.04},
	}
}

func stdWindows() []Window {
	return []Window{
		{ID: "1", Services: []string{"A", "C"}, Speed: 1},
		{ID: "2", Services: []string{"A", "B"}, Speed: 1.2},
		{ID: "3", Services: []string{"B", "C"}, Speed: 0.9, Weights: map[string]float64{"B": 2}},
		{ID: "4", Services: []string{"A"}, Speed: 1.1},
		{ID: "5", Services: []string{"B"}, Speed: 1, Pauses: [][2]time.Duration{{90 * time.Minute, 12 * time.Minute}}},
	}
}

// Days are the benchmark's fixed days.
func Days() []Day {
	quiet := std()
	for i := range quiet {
		quiet[i].PerHour /= 2
	}
	monday := std()
	wide := std()
	wide[1].CV, wide[1].MeanMin = 1.2, 12
	closing := stdWindows()
	closing[0].ClosesAt = 75 * time.Minute
	closing[3].ClosesAt = 90 * time.Minute
	return []Day{
		{Name: "quiet", Seed: 1, Services: quiet, Windows: stdWindows(), Profile: flat()},
		{Name: "normal", Seed: 2, Services: std(), Windows: stdWindows(), Profile: []float64{0.6, 0.9, 1.1, 1.2, 1.2, 1.1, 1, 1, 0.9, 0.9, 0.8}},
		// 周一上午: the week's people come at once, then thin out.
		{Name: "monday-peak", Seed: 3, Monday: true, Services: monday, Windows: stdWindows(),
			Profile: []float64{1.6, 1.9, 1.8, 1.5, 1.2, 1, 0.9, 0.8, 0.7, 0.6, 0.6}},
		{Name: "window-closes", Seed: 4, Services: std(), Windows: closing, Profile: []float64{0.9, 1, 1, 1}},
		{Name: "wide-service", Seed: 5, Services: wide, Windows: stdWindows(), Profile: []float64{0.8, 1, 1.1, 1, 0.9}},
	}
}
