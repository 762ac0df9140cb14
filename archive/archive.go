// Package archive moves a hall's old events out of its journal into a
// compressed file per month in the data directory, and erases the
// applicants' personal data from what is kept past its own retention,
// while the counts stay. It runs beside the hall's writer, in turns of a
// batch each, so no turn holds a commit up for long. The months stay
// readable for audits (hallfloor audit).
//
// Only events at or below the oldest snapshot the journal keeps leave it
// or change: whichever snapshot start-up finds sound covers them, so a
// hall never needs one of them to start; should none be sound, the
// journal refuses to replay from its floor and the hall does not start
// from a partial history.
package archive

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"hallfloor/journal"
	"hallfloor/journal/sqlite"
)

// Batch is how many events one turn reads, archives or rewrites. Each turn
// of a delete or a rewrite is a transaction on the writer's connection, so
// the hall's next commit waits for it: a small batch keeps that wait short,
// and the hourly run takes as many turns as it needs. Turns of 500 events
// held a big hall's commands up to 177 ms during a retention turn in
// `hallload -mode year`, at a p99 of 9.4 ms against 4.1 ms outside them.
const Batch = 100

// Options say what to keep.
type Options struct {
	Dir      string // the archive directory, e.g. data/archive
	Hall     string // the hall's id, in the files' names
	Location *time.Location
	Journal  time.Duration // events older leave the journal
	Personal time.Duration // personal data older is erased
	Archive  time.Duration // a month's archive is deleted this long after the month; 0 never
}

// Result is what one run did.
type Result struct {
	Archived int      // events moved to the archive
	Scrubbed int      // events in the journal that lost personal data
	Months   []string // the months written to
	Deleted  []string // the months whose archive was deleted
}

// Run archives and erases what is due at now.
func Run(ctx context.Context, j *sqlite.Journal, o Options, now time.Time) (Result, error) {
	var res Result
	if err := os.MkdirAll(o.Dir, 0o750); err != nil {
		return res, err
	}
	bound, err := coverable(ctx, j)
	if err != nil || bound == 0 {
		return res, err
	}
	old, err := j.SeqBefore(ctx, now.Add(-o.Journal))
	if err != nil {
		return res, err
	}
	if err := archive(ctx, j, o, min(bound, old), &res); err != nil {
		return res, err
	}
	personal, err := j.SeqBefore(ctx, now.Add(-o.Personal))
	if err != nil {
		return res, err
	}
	if err := scrub(ctx, j, min(bound, personal), &res); err != nil {
		return res, err
	}
	return res, expire(o, now, &res)
}

// expire deletes the archives of the months that ended more than
// o.Archive before now.
func expire(o Options, now time.Time, res *Result) error {
	if o.Archive <= 0 {
		return nil
	}
	months, err := Months(o.Dir, o.Hall)
	if err != nil {
		return err
	}
	for _, mo := range months {
		start, err := time.ParseInLocation("2006-01", mo, o.Location)
		if err != nil || now.Before(start.AddDate(0, 1, 0).Add(o.Archive)) {
			continue
		}
		m := Month{Dir: o.Dir, Hall: o.Hall, Month: mo}
		// The manifest first: a month without one is no month, whatever
		// bytes are left.
		if err := os.Remove(m.Manifest()); err != nil {
			return err
		}
		if err := os.Remove(m.Data()); err != nil && !os.IsNotExist(err) {
			return err
		}
		res.Deleted = append(res.Deleted, mo)
	}
	return nil
}

// coverable is the highest seq that may leave the journal or change: at or
// below the oldest snapshot kept, and below the journal's last event, which
// says where appends go on and which snapshot is past the journal.
func coverable(ctx context.Context, j *sqlite.Journal) (uint64, error) {
	snap, err := j.OldestSnapshot(ctx)
	if err != nil || snap == 0 {
		return 0, err
	}
	tail, err := j.Tail(ctx, 1)
	if err != nil || len(tail) == 0 {
		return 0, err
	}
	return min(snap, tail[0].Seq-1), nil
}

// archive moves the events up to upTo to their months' archives, then out
// of the journal.
func archive(ctx context.Context, j *sqlite.Journal, o Options, upTo uint64, res *Result) error {
	done, err := lastArchived(o.Dir, o.Hall)
	if err != nil {
		return err
	}
	// A run cut short after its archive was written and before the events
	// left the journal: they are archived, and only leave now.
	if err := drop(ctx, j, done); err != nil {
		return err
	}
	after, _, err := j.Floor(ctx)
	if err != nil {
		return err
	}
	after = max(after, done)
	for after < upTo {
		recs, err := j.Events(ctx, after, upTo, Batch)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			break
		}
		if err := write(o, recs, res); err != nil {
			return err
		}
		after = recs[len(recs)-1].Seq
		if err := drop(ctx, j, after); err != nil {
			return err
		}
		res.Archived += len(recs)
	}
	return nil
}

// write appends recs, stripped of personal data, to their months.
func write(o Options, recs []journal.Record, res *Result) error {
	start := 0
	for i := range recs {
		mo := recs[i].At.In(o.Location).Format("2006-01")
		if i+1 < len(recs) && recs[i+1].At.In(o.Location).Format("2006-01") == mo {
			continue
		}
		part := recs[start : i+1]
		start = i + 1
		clean := make([]journal.Record, len(part))
		for k, r := range part {
			r.Data, _ = Scrub(r.Type, r.Data)
			clean[k] = r
		}
		if err := (Month{Dir: o.Dir, Hall: o.Hall, Month: mo}).appendEvents(clean); err != nil {
			return fmt.Errorf("archive %s: %w", mo, err)
		}
		if n := len(res.Months); n == 0 || res.Months[n-1] != mo {
			res.Months = append(res.Months, mo)
		}
	}
	return nil
}

// drop deletes the events up to upTo from the journal, a batch a turn.
func drop(ctx context.Context, j *sqlite.Journal, upTo uint64) error {
	if upTo == 0 {
		return nil
	}
	for {
		n, err := j.DropEvents(ctx, upTo, Batch)
		if err != nil || n == 0 {
			return err
		}
	}
}

// scrub erases personal data from the journal's events up to upTo.
func scrub(ctx context.Context, j *sqlite.Journal, upTo uint64, res *Result) error {
	archived, after, err := j.Floor(ctx)
	if err != nil {
		return err
	}
	after = max(after, archived)
	for after < upTo {
		recs, err := j.Events(ctx, after, upTo, Batch)
		if err != nil {
			return err
		}
		if len(recs) == 0 {
			return nil
		}
		var changed []journal.Record
		for _, r := range recs {
			if d, ok := Scrub(r.Type, r.Data); ok {
				r.Data = d
				changed = append(changed, r)
			}
		}
		after = recs[len(recs)-1].Seq
		if err := j.Rewrite(ctx, after, changed); err != nil {
			return err
		}
		res.Scrubbed += len(changed)
	}
	return nil
}

// DirOf is the archive directory in a hall's data directory.
func DirOf(data string) string { return filepath.Join(data, "archive") }
