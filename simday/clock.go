// Package simday holds simulated days of a service hall driven through
// its engine: a big hall's hall file, a fake clock, and a day of numbers
// issued at the kiosks and served at every window, with every kind of
// event a hall's day has (no-shows, transfers, pauses, cancellations,
// ratings with 差评 and their follow-ups, overtime and its
// confirmations). The report and writer benchmarks and `hallload -mode
// year` run the same days.
package simday

import (
	"sync"
	"time"
)

// Clock is a fake clock, set and advanced by the simulation; nights and
// weekends pass in an instant.
type Clock struct {
	mu  sync.Mutex
	now time.Time
}

// NewClock is a clock showing t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now is the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Set sets the clock to t.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance moves the clock on by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}
