package simulate

import (
	"sync/atomic"
	"time"

	"hallfloor/app"
)

// MorningLength is how much of a profile's day a demo morning has had.
const MorningLength = 2*time.Hour + 30*time.Minute

// Morning is the first hours of a profile's day, played in a hall just
// opened so that they end now: a newcomer's demo hall with windows
// serving, people waiting, calls, finished services and ratings.
type Morning struct {
	Profile *Profile
	Seed    uint64
	// Start is when, on the hall's clock, the morning began; Scale is how
	// much of the clock's time a minute of the profile's takes (1 unless
	// the hall's day began too recently to hold the morning, in the small
	// hours).
	Start time.Time
	Scale float64
}

// NewMorning is p's morning ending at now, in the hall's zone loc.
func NewMorning(p *Profile, seed uint64, now time.Time, loc *time.Location) Morning {
	now = now.In(loc)
	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, loc)
	span := max(0, min(MorningLength, now.Sub(midnight)-time.Second))
	return Morning{Profile: p, Seed: seed, Start: now.Add(-span), Scale: float64(span) / float64(MorningLength)}
}

// Play plays the morning through the running hall a, whose clock is
// clock, set to m.Start before the hall opened; it leaves the clock at
// the morning's end, and the windows working.
func (m Morning) Play(a *app.App, clock Clock) error {
	if err := m.Profile.fit(a.Hall); err != nil {
		return err
	}
	date := m.Start.Truncate(24 * time.Hour) // any midnight: the profile's hours count from it
	s := newSim(a, Options{Hall: a.Hall, Profile: m.Profile, Seed: m.Seed}, date, clock)
	opens := date.Add(m.Profile.opens)
	s.at = func(t time.Time) time.Time {
		return m.Start.Add(time.Duration(float64(t.Sub(opens)) * m.Scale))
	}
	s.until = opens.Add(MorningLength)
	s.run()
	s.set(s.until)
	return s.err
}

// BehindClock is the real clock running behind by an offset that a
// simulation shrinks: set back to a morning's start, it catches up with
// the real time as the morning is played, and is the real clock after.
type BehindClock struct{ behind atomic.Int64 }

// NewBehindClock is the real clock set back to t.
func NewBehindClock(t time.Time) *BehindClock {
	c := &BehindClock{}
	c.behind.Store(int64(max(0, time.Since(t))))
	return c
}

// Now is the real time less the offset.
func (c *BehindClock) Now() time.Time { return time.Now().Add(-time.Duration(c.behind.Load())) }

// Set moves the clock to t, never past the real time nor backwards.
func (c *BehindClock) Set(t time.Time) {
	d := max(0, time.Since(t))
	if d < time.Duration(c.behind.Load()) {
		c.behind.Store(int64(d))
	}
}
