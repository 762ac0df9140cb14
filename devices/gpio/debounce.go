package gpio

import "time"

// debouncer turns raw readings of one input into settled levels. A level
// counts once it has held for the whole window, so a bounce, a spark on a
// long cable or a tap shorter than the window never becomes a press; a held
// key stays one press until it has been released for a whole window.
// periph's gpioutil.Debounce does not do this, hence our own.
type debouncer struct {
	window time.Duration
	stable bool      // the settled level: true means active (pressed, open)
	raw    bool      // the last raw reading
	since  time.Time // when raw last changed
}

func newDebouncer(window time.Duration, active bool) *debouncer {
	return &debouncer{window: window, stable: active, raw: active}
}

// sample feeds a raw reading taken at now. It reports the settled level and
// whether the settled level has just changed.
func (d *debouncer) sample(active bool, now time.Time) (bool, bool) {
	if active != d.raw {
		d.raw, d.since = active, now
	}
	if d.raw != d.stable && now.Sub(d.since) >= d.window {
		d.stable = d.raw
		return d.stable, true
	}
	return d.stable, false
}

// deadline is when the pending level, if any, will have held long enough.
func (d *debouncer) deadline() (time.Time, bool) {
	if d.raw == d.stable {
		return time.Time{}, false
	}
	return d.since.Add(d.window), true
}
