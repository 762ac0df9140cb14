package queue

import "time"

// HourCount is one local hour of the hall's day: numbers issued in it,
// tickets whose latest call fell in it, and services finished in it.
type HourCount struct {
	Hour     int `json:"hour"`
	Issued   int `json:"issued"`
	Called   int `json:"called"`
	Finished int `json:"finished"`
}

// Hourly counts today's tickets by the local hour they were issued, last
// called and finished; all 24 hours are present, so a chart fills no gaps.
func (s *State) Hourly(setup *Setup) []HourCount {
	out := make([]HourCount, 24)
	for h := range out {
		out[h].Hour = h
	}
	hour := func(t time.Time) (int, bool) {
		if t.IsZero() || setup.Day(t) != s.Day {
			return 0, false
		}
		return t.In(setup.Location).Hour(), true
	}
	for _, t := range s.Tickets {
		if h, ok := hour(t.IssuedAt); ok {
			out[h].Issued++
		}
		if h, ok := hour(t.CalledAt); ok {
			out[h].Called++
		}
		if h, ok := hour(t.FinishedAt); ok && t.Status == Done {
			out[h].Finished++
		}
	}
	return out
}
