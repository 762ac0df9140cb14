package figures

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"hallfloor/engine"
	"hallfloor/journal"
	"hallfloor/report"
)

// Tail is how long after a period its details may still complete it.
const Tail = report.Tail

// Assemble gathers a period's figures as of now: the cells of its
// recorded days and their follow-ups, closed then or in the weeks after,
// and, for the days not recorded yet (today), the same read from the
// journal. With details it also reads the details the rating statistics
// and the overtime register list one by one.
func (s *Store) Assemble(ctx context.Context, p report.Period, now time.Time, details bool) (*report.Assembler, error) {
	a := report.NewAssembler(s.setup, p, now)
	end := p.To.Add(Tail)
	before := p.From.AddDate(0, 0, -1)
	recorded, err := s.recorded(ctx, before.Format(time.DateOnly), end.Format(time.DateOnly))
	if err != nil {
		return nil, err
	}
	if err := s.cells(ctx, a, p); err != nil {
		return nil, err
	}
	if err := s.followUps(ctx, a, p, end); err != nil {
		return nil, err
	}
	var recs []journal.Record
	if details {
		if recs, err = s.details(ctx, before, end); err != nil {
			return nil, err
		}
	}
	today := s.setup.Queue.Day(now)
	for d := before; d.Before(end); d = d.AddDate(0, 0, 1) {
		date := d.Format(time.DateOnly)
		if date > today {
			break
		}
		if recorded[date] {
			continue
		}
		// A day outside the period gives it details and follow-ups'
		// closings, never figures: only those are read.
		read := s.readDay
		if d.Before(p.From) || !d.Before(p.To) {
			read = s.readDetails
		}
		live, err := read(ctx, date, now)
		if err != nil {
			return nil, err
		}
		if err := a.AddFigures(live.figures); err != nil {
			return nil, err
		}
		for _, e := range live.events {
			a.AddFollowUpEvent(e)
		}
		for _, rec := range live.details {
			if details && !rec.At.After(end) {
				recs = append(recs, rec)
			}
		}
	}
	slices.SortFunc(recs, func(x, y journal.Record) int { return cmp.Compare(x.Seq, y.Seq) })
	for _, rec := range recs {
		ev, err := engine.DecodeRecord(rec)
		if err != nil {
			return nil, err
		}
		a.AddDetail(ev)
	}
	return a, nil
}

// cells adds the cells of the period's recorded days.
func (s *Store) cells(ctx context.Context, a *report.Assembler, p report.Period) error {
	rows, err := s.db.QueryContext(ctx, `SELECT day, dim, key, data FROM cells WHERE day >= ? AND day < ?`,
		p.From.Format(time.DateOnly), p.To.Format(time.DateOnly))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var day, key string
		var dim int
		var data []byte
		if err := rows.Scan(&day, &dim, &key, &data); err != nil {
			return err
		}
		if err := a.AddCell(day, report.CellKey{Dim: report.Dim(dim), Key: key}, data); err != nil {
			return fmt.Errorf("figures: cell %s %d %q: %w", day, dim, key, err)
		}
	}
	return rows.Err()
}

// followUps adds the follow-ups opened in the period's recorded days and
// their closings recorded by end, day by day.
func (s *Store) followUps(ctx context.Context, a *report.Assembler, p report.Period, end time.Time) error {
	// The days after the period are read for their closings only.
	rows, err := s.db.QueryContext(ctx, `SELECT day, CASE WHEN day < ? THEN opened ELSE x'00' END, closed
		FROM followups WHERE day >= ? AND day <= ? ORDER BY day`,
		p.To.Format(time.DateOnly), p.From.Format(time.DateOnly), end.Format(time.DateOnly))
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var day string
		var opened, closed []byte
		if err := rows.Scan(&day, &opened, &closed); err != nil {
			return err
		}
		opens, err := report.DecodeFollowUps(opened)
		if err != nil {
			return fmt.Errorf("figures: follow-ups of %s: %w", day, err)
		}
		cs, err := report.DecodeFollowUps(closed)
		if err != nil {
			return fmt.Errorf("figures: follow-ups closed on %s: %w", day, err)
		}
		for _, f := range opens {
			a.AddFollowUp(f)
		}
		for _, c := range cs {
			a.CloseFollowUp(c.ID, c.ClosedAt)
		}
	}
	return rows.Err()
}

// details are the recorded details stamped from the day before the period
// to its tail's end.
func (s *Store) details(ctx context.Context, from, to time.Time) ([]journal.Record, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, at, type, data FROM details
		WHERE day >= ? AND day <= ? AND at <= ? ORDER BY seq`,
		from.Format(time.DateOnly), to.Format(time.DateOnly), to.UnixNano())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []journal.Record
	for rows.Next() {
		var rec journal.Record
		var at int64
		if err := rows.Scan(&rec.Seq, &at, &rec.Type, &rec.Data); err != nil {
			return nil, err
		}
		rec.At = time.Unix(0, at) // as the journal gives it
		out = append(out, rec)
	}
	return out, rows.Err()
}

// RecordedDays says how many of the period's days are recorded, of how
// many it has: those not recorded are read from the journal's events.
func (s *Store) RecordedDays(ctx context.Context, p report.Period) (recorded, days int, err error) {
	loc := s.setup.Location()
	first, last := p.From.In(loc), p.To.In(loc).Add(-time.Nanosecond)
	got, err := s.recorded(ctx, first.Format(time.DateOnly), last.Format(time.DateOnly))
	if err != nil {
		return 0, 0, err
	}
	for d := first; d.Before(p.To); d = d.AddDate(0, 0, 1) {
		days++
	}
	return len(got), days, nil
}
