package hall

import (
	"math"
	"strconv"
	"time"

	"hallfloor/calendar"
	"hallfloor/queue"
)

// Shape is a kind of day's expected walk-ins per service per quarter hour
// of the day (index 0 is 00:00-00:15 in the hall's zone), from a profile
// the hall file names; the forecast follows its rise and fall while today's
// own arrivals set its level.
type Shape map[string][]float64

// Forecast tuning, each from how a hall's day goes.
const (
	forecastStep    = 15 * time.Minute
	forecastAhead   = 2 * time.Hour
	forecastWarnIn  = time.Hour        // an alert only for a crossing soon enough to act on
	forecastRecent  = 30 * time.Minute // the look-back of the arrival rate without a profile
	forecastMinSeen = 4                // arrivals seen today before their level outweighs the profile's
)

// ForecastStep is one quarter hour ahead: the people expected waiting and
// the expected wait of a ticket taken then (-1: no window serves it).
type ForecastStep struct {
	At      time.Time `json:"at"`
	Waiting float64   `json:"waiting"`
	WaitS   int       `json:"wait_s"`
}

// ServiceForecast is one service's next two hours.
type ServiceForecast struct {
	Service string         `json:"service"`
	Steps   []ForecastStep `json:"steps"`
}

// ForecastAt is every service's next two hours as a fluid line: the
// people waiting now, plus the arrivals expected each quarter hour, less
// what the windows open now serve at the service's live pace. A window
// serving three services gives each a third of its time, as the kiosk's
// estimate does.
func ForecastAt(s *State, setup *Setup, now time.Time) []ServiceForecast {
	q, qs := s.Queue, setup.Queue
	loc := setup.Location()
	out := []ServiceForecast{}
	for _, sv := range qs.Services {
		st := q.Services[sv.Code]
		if st == nil || setup.Consults.ForService(sv.Code) != nil {
			continue
		}
		capacity := 0.0
		for _, ws := range qs.Windows {
			if w := q.Windows[ws.ID]; w != nil && w.State != queue.Closed && ws.Serves(sv.Code) {
				capacity += 1 / float64(len(ws.Services))
			}
		}
		pace := st.AvgServiceS
		if pace <= 0 {
			pace = sv.ServiceTime.Seconds()
		}
		arrive := arrivals(q, setup.Alerts.Shape[sv.Code], sv.Code, now, loc)
		until := issuingUntil(qs.Calendar, now)
		waiting := float64(len(st.Line) + len(st.Priority))
		f := ServiceForecast{Service: sv.Code}
		for i := 0; ; i++ {
			at := now.Add(time.Duration(i) * forecastStep)
			wait := -1
			if capacity > 0 && pace > 0 {
				wait = int(math.Round(waiting * pace / capacity))
			}
			f.Steps = append(f.Steps, ForecastStep{At: at, Waiting: math.Round(waiting*10) / 10, WaitS: wait})
			if i*int(forecastStep) >= int(forecastAhead) {
				break
			}
			served := 0.0
			if pace > 0 {
				served = capacity * forecastStep.Seconds() / pace
			}
			// Nobody arrives once the session ends; the windows still serve
			// who already waits.
			share := min(max(float64(until.Sub(at))/float64(forecastStep), 0), 1)
			waiting = max(0, waiting+arrive(at)*share-served)
		}
		out = append(out, f)
	}
	return out
}

// issuingUntil is when the session of now ends and the kiosks stop
// issuing: now itself while the hall is shut, two hours ahead and more
// for a hall always open.
func issuingUntil(cal *calendar.Calendar, now time.Time) time.Time {
	if cal == nil || cal.AlwaysOpen {
		return now.Add(2 * forecastAhead)
	}
	if _, end, open := cal.Current(now); open {
		return end
	}
	return now
}

// arrivals is the expected walk-ins of the quarter hour from a moment.
// With a profile its shape is scaled by today's arrivals against what it
// expected so far (the profile's own level until a few have come);
// without one, the last half hour's rate holds.
func arrivals(q *queue.State, shape []float64, service string, now time.Time, loc *time.Location) func(time.Time) float64 {
	midnight := func(t time.Time) time.Time {
		y, m, d := t.In(loc).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, loc)
	}
	day := midnight(now)
	seen, recent := 0, 0
	for _, t := range q.Tickets {
		if t.Service != service || t.IssuedAt.Before(day) || t.IssuedAt.After(now) {
			continue
		}
		seen++
		if now.Sub(t.IssuedAt) <= forecastRecent {
			recent++
		}
	}
	if len(shape) == 0 {
		rate := float64(recent) * float64(forecastStep) / float64(forecastRecent)
		return func(time.Time) float64 { return rate }
	}
	quarter := func(t time.Time) int { return int(t.Sub(midnight(t)) / forecastStep) }
	expected := 0.0
	for i := 0; i < min(quarter(now), len(shape)); i++ {
		expected += shape[i]
	}
	expected += shape[min(quarter(now), len(shape)-1)] * float64(now.Sub(day)%forecastStep) / float64(forecastStep)
	scale := 1.0
	if expected > 0 {
		// Blend: the fewer seen, the more the profile's own level counts.
		w := min(float64(seen)/forecastMinSeen, 1)
		scale = (1 - w) + w*float64(seen)/expected
	}
	return func(t time.Time) float64 {
		i := quarter(t)
		if i < 0 || i >= len(shape) {
			return 0
		}
		return shape[i] * scale
	}
}

// forecastAlerts warn of a service whose wait the forecast sees crossing
// the target within the hour while it is still under it: time to open a
// window before the line is long. Once it is over, the wait alert says so.
func forecastAlerts(s *State, setup *Setup, now time.Time, longest map[string]time.Time) []Alert {
	var out []Alert
	target := setup.Alerts.WaitTarget
	for _, f := range ForecastAt(s, setup, now) {
		if since, ok := longest[f.Service]; ok && now.Sub(since) > target {
			continue
		}
		if f.Steps[0].WaitS > int(target.Seconds()) {
			continue
		}
		for _, st := range f.Steps[1:] {
			if st.At.Sub(now) > forecastWarnIn {
				break
			}
			if st.WaitS > int(target.Seconds()) {
				out = append(out, Alert{Kind: AlertWaitForecast, Level: "warn", Subject: f.Service, Since: st.At,
					Args: map[string]string{"service": f.Service, "at": st.At.In(setup.Location()).Format("15:04"),
						"target": strconv.Itoa(int(target.Minutes())), "minutes": strconv.Itoa(st.WaitS / 60)}})
				break
			}
		}
	}
	return out
}
