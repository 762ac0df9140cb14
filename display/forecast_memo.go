package display

import (
	"time"

	"hallfloor/hall"
	"hallfloor/queue"
)

// The forecast plays the whole hall forward (some 2 ms in a hall of a
// thousand waiting), and every view of a ticket, a window's list and the
// hall board wants one. Between two events the hall does not change, so
// the views built at one sequence number within memoFor of each other
// share one forecast: a hundred phones asking for their ticket after a
// call cost one play, not a hundred.

// memoFor is how long a forecast serves views of an unchanged hall: a
// wait shown in minutes does not move in a second.
const memoFor = time.Second

// forecastMemo is the last forecast made, with what it was made from.
type forecastMemo struct {
	q   *queue.State
	seq uint64
	at  time.Time
	f   *queue.Forecast
}

// forecast is the hall's forecast at now, with the appointments still to
// check in: the last one made, when it was made from the same state at
// the same sequence number less than memoFor before now, else a new one.
func (h *Hall) forecast(s *hall.State, now time.Time) *queue.Forecast {
	if m := h.memo.Load(); m != nil && m.q == s.Queue && m.seq == s.Seq && !now.Before(m.at) && now.Sub(m.at) < memoFor {
		return m.f
	}
	f := s.Queue.NewForecastWith(h.Setup.Queue, now, s.Booked(h.Setup, now))
	h.memo.Store(&forecastMemo{q: s.Queue, seq: s.Seq, at: now, f: f})
	return f
}
