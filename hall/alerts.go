package hall

import "time"

// Alerts are the manager's thresholds, from the hall file.
type Alerts struct {
	// WaitTarget is how long a citizen may wait before the dashboard
	// flags the service.
	WaitTarget time.Duration
	// IdleAfter is how long a window may stand idle while people wait for
	// its services before it is flagged.
	IdleAfter time.Duration
}

// Default alert thresholds.
const (
	DefaultWaitTarget = 30 * time.Minute
	DefaultIdleAfter  = 5 * time.Minute
)

func (a Alerts) withDefaults() Alerts {
	if a.WaitTarget <= 0 {
		a.WaitTarget = DefaultWaitTarget
	}
	if a.IdleAfter <= 0 {
		a.IdleAfter = DefaultIdleAfter
	}
	return a
}
