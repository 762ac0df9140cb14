package config

import (
	"time"

	"hallfloor/hall"
)

// Alerts are the manager's thresholds: every dashboard flags the same
// things because the server decides them from these.
type Alerts struct {
	// WaitTargetMinutes is how long a citizen may wait before the service
	// is flagged (default 30).
	WaitTargetMinutes float64 `yaml:"wait_target_minutes"`
	// IdleMinutes is how long a window may stand idle while people wait
	// for its services before it is flagged (default 5).
	IdleMinutes float64 `yaml:"idle_minutes"`
	// ForecastProfile names the kind of day (a profile of simulate: normal,
	// quiet, monday-peak, or a file) whose shape the wait forecast follows;
	// empty follows the day's own recent arrivals.
	ForecastProfile string `yaml:"forecast_profile"`
	// Shape is that profile's arrivals, which the server's start loads:
	// the profiles live outside the hall file's package.
	Shape hall.Shape `yaml:"-"`
}

func (a Alerts) validate(add func(key, format string, args ...any)) {
	if a.WaitTargetMinutes < 0 || a.WaitTargetMinutes > 24*60 {
		add("alerts.wait_target_minutes", "%v must be between 0 (default 30) and 1440", a.WaitTargetMinutes)
	}
	if a.IdleMinutes < 0 || a.IdleMinutes > 24*60 {
		add("alerts.idle_minutes", "%v must be between 0 (default 5) and 1440", a.IdleMinutes)
	}
}

func (a Alerts) setup() hall.Alerts {
	return hall.Alerts{
		WaitTarget: time.Duration(a.WaitTargetMinutes * float64(time.Minute)),
		IdleAfter:  time.Duration(a.IdleMinutes * float64(time.Minute)),
		Shape:      a.Shape,
	}
}
