// Package schedule runs the hall's timed jobs on its calendar, in its time
// zone (robfig/cron/v3): the day rollover at local midnight, the handover
// reminder half an hour before each session ends, the overtime check at
// each session end and the overdue follow-up check. A job only sends a
// command to the engine; what the command does is decided by the rules in
// queue from (state, now), so it is the same whether cron, the engine's
// minute ticker or a catch-up after a restart sent it.
package schedule

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/robfig/cron/v3"

	"hallfloor/calendar"
	"hallfloor/hall"
	"hallfloor/overtime"
	"hallfloor/rating"
)

// Sender gives a command to the hall's engine.
type Sender func(ctx context.Context, cmd hall.Command) error

// Options configure a scheduler.
type Options struct {
	Calendar *calendar.Calendar
	Send     Sender
	Logger   *slog.Logger
	// LockerExpiry is the locker expiry check (results left past their
	// retention), run every ten minutes once lockers exist; nil until then.
	LockerExpiry func(ctx context.Context, now time.Time)
}

// Job is one scheduled job, for the log and the tests.
type Job struct {
	Name string
	Spec string // cron spec in the hall's zone
}

// Scheduler runs the jobs.
type Scheduler struct {
	cron *cron.Cron
	o    Options
	jobs []Job
	ctx  context.Context
	stop context.CancelFunc
}

// New lays out the jobs for the calendar.
func New(o Options) (*Scheduler, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	loc := o.Calendar.Location
	if loc == nil {
		loc = time.UTC
	}
	ctx, stop := context.WithCancel(context.Background())
	s := &Scheduler{cron: cron.New(cron.WithLocation(loc)), o: o, ctx: ctx, stop: stop}
	add := func(name, spec string, run func()) error {
		if _, err := s.cron.AddFunc(spec, run); err != nil {
			return fmt.Errorf("schedule: job %s (%s): %w", name, spec, err)
		}
		s.jobs = append(s.jobs, Job{Name: name, Spec: spec})
		return nil
	}
	send := func(name string, cmd hall.Command) func() {
		return func() { s.send(name, cmd) }
	}
	if err := add("rollover", "0 0 * * *", send("rollover", hall.Tick{})); err != nil {
		return nil, err
	}
	// Just after midnight a deadline "by the end of the day" has passed.
	if err := add("followups", "1 0 * * *", send("followups", rating.CheckFollowUps{})); err != nil {
		return nil, err
	}
	for _, end := range SessionEnds(o.Calendar) {
		if err := add("overtime", spec(end), send("overtime", overtime.Check{})); err != nil {
			return nil, err
		}
		remind := end - calendar.Clock(overtime.HandoverLead/time.Minute)
		if remind >= 0 {
			if err := add("handover", spec(remind), send("handover", overtime.RemindHandover{})); err != nil {
				return nil, err
			}
		}
	}
	// A session's start or end opens or stops issuing numbers; a Tick then
	// tells every kiosk and screen at once instead of at the next minute.
	for _, at := range SessionStarts(o.Calendar) {
		if err := add("issuing", spec(at), send("issuing", hall.Tick{})); err != nil {
			return nil, err
		}
	}
	for _, at := range SessionEnds(o.Calendar) {
		if err := add("issuing", spec(at), send("issuing", hall.Tick{})); err != nil {
			return nil, err
		}
	}
	if o.LockerExpiry != nil {
		if err := add("lockers", "*/10 * * * *", func() { o.LockerExpiry(s.ctx, time.Now()) }); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func spec(c calendar.Clock) string { return fmt.Sprintf("%d %d * * *", int(c)%60, int(c)/60) }

// SessionEnds are the distinct times of day any session ends, in the
// weekly schedule or on a special day; the overtime check runs at each and
// the calendar decides whether it was a session end that day.
func SessionEnds(cal *calendar.Calendar) []calendar.Clock {
	return sessionTimes(cal, func(s calendar.Session) calendar.Clock { return s.End }, func(c calendar.Clock) bool { return c < 24*60 })
}

// SessionStarts are the distinct times of day any session starts, as
// SessionEnds; a start at midnight is the rollover's.
func SessionStarts(cal *calendar.Calendar) []calendar.Clock {
	return sessionTimes(cal, func(s calendar.Session) calendar.Clock { return s.Start }, func(c calendar.Clock) bool { return c > 0 })
}

// sessionTimes are the distinct times of day, in order, that at picks from
// every session of the calendar and keep accepts.
func sessionTimes(cal *calendar.Calendar, at func(calendar.Session) calendar.Clock, keep func(calendar.Clock) bool) []calendar.Clock {
	if cal.AlwaysOpen {
		return nil
	}
	var out []calendar.Clock
	add := func(ss []calendar.Session) {
		for _, s := range ss {
			if c := at(s); keep(c) && !slices.Contains(out, c) {
				out = append(out, c)
			}
		}
	}
	for _, ss := range cal.Weekly {
		add(ss)
	}
	for _, ss := range cal.Special {
		add(ss)
	}
	slices.Sort(out)
	return out
}

// Jobs lists the scheduled jobs.
func (s *Scheduler) Jobs() []Job { return slices.Clone(s.jobs) }

// Start runs what may have been missed while the hall was down (a Tick
// decides every overdue job at once) and then the schedule.
func (s *Scheduler) Start() {
	s.send("catch-up", hall.Tick{})
	s.send("catch-up", overtime.RemindHandover{})
	s.cron.Start()
}

// Stop ends the schedule and waits for a running job.
func (s *Scheduler) Stop() {
	s.stop()
	<-s.cron.Stop().Done()
}

func (s *Scheduler) send(name string, cmd hall.Command) {
	if err := s.o.Send(s.ctx, cmd); err != nil && s.ctx.Err() == nil {
		s.o.Logger.Error("scheduled job failed", "job", name, "err", err)
	}
}
