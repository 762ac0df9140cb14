// Package figures keeps the hall's daily figures in a SQLite file beside
// the journal (figures-<hall>.db): a reader of the journal, apart from the
// engine's writer, records each past day once, and the daily, monthly and
// yearly reports read those rows. Only the days not yet recorded (today)
// are read from the journal's events. The file holds nothing the journal
// does not: deleted, it is recorded again from the journal at the next
// start.
package figures

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"time"

	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/report"
	"hallfloor/room"

	_ "modernc.org/sqlite" // registers the "sqlite" driver
)

const schema = `
CREATE TABLE IF NOT EXISTS days (
	day         TEXT PRIMARY KEY, -- 2006-01-02, the hall's local day
	recorded_at INTEGER NOT NULL  -- unix nanoseconds
);
CREATE TABLE IF NOT EXISTS cells (
	day  TEXT NOT NULL,
	dim  INTEGER NOT NULL,
	key  TEXT NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (day, dim, key)
);
CREATE TABLE IF NOT EXISTS details (
	day  TEXT NOT NULL,
	seq  INTEGER NOT NULL,
	at   INTEGER NOT NULL,
	type TEXT NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (day, seq)
);
-- The follow-ups of the 差评 opened each day, and those closed that day,
-- one row a day: what a report counts without reading the details.
CREATE TABLE IF NOT EXISTS followups (
	day    TEXT PRIMARY KEY,
	opened BLOB NOT NULL,
	closed BLOB NOT NULL
);`

// Store is a hall's daily figures and the journal they are recorded from.
type Store struct {
	db    *sql.DB
	setup *hall.Setup
	hist  journal.Journal
}

// Open opens or creates the figures file at path; hist is the journal
// read to record days and today's live figures.
func Open(path string, setup *hall.Setup, hist journal.Journal) (*Store, error) {
	q := url.Values{"_pragma": {"journal_mode(WAL)", "synchronous(NORMAL)", "busy_timeout(5000)"}}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("figures: open %s: %w", path, err)
	}
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("figures: create schema in %s: %w", path, err)
	}
	return &Store{db: db, setup: setup, hist: hist}, nil
}

// Close closes the file.
func (s *Store) Close() error { return s.db.Close() }

// settle is how long after a day's end it is recorded: a command decided
// just before midnight may be committed just after it.
const settle = time.Minute

// errEnough stops a journal read once it has passed what it needs.
var errEnough = errors.New("read enough")

// yieldEvery is how many events a read decodes between two steps aside.
const yieldEvery = 256

// read calls fn for each event stamped from about from until before to.
//
// It steps aside for the hall's writer every yieldEvery events, as the
// snapshotter does: reading a big hall's day (some 50,000 events) is a
// tenth of a second or more of one processor, and while the collector held
// the other, the commands behind it waited up to 100 ms in
// `hallload -mode year` when yesterday's figures were recorded at 08:00.
func (s *Store) read(ctx context.Context, from, to time.Time, fn func(journal.Record) error) error {
	after, err := s.hist.SeqBefore(ctx, from)
	if err != nil {
		return err
	}
	n := 0
	err = s.hist.Replay(ctx, after, func(rec journal.Record) error {
		if n++; n%yieldEvery == 0 {
			runtime.Gosched()
		}
		if !rec.At.Before(to) {
			return errEnough
		}
		if rec.At.Before(from) {
			return nil
		}
		return fn(rec)
	})
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

// day is one day read from the journal: its cells and its details, raw.
type day struct {
	figures report.DayFigures
	details []journal.Record
	events  []room.Event // the details, decoded
}

// readDay reads the events of date and of the day before (for overtime
// already running at midnight) into date's figures.
func (s *Store) readDay(ctx context.Context, date string, now time.Time) (*day, error) {
	r, err := report.NewRecorder(s.setup, date, now)
	if err != nil {
		return nil, err
	}
	p := r.Period()
	d := &day{}
	err = s.read(ctx, p.From.AddDate(0, 0, -1), p.To, func(rec journal.Record) error {
		ev, err := engine.DecodeRecord(rec)
		if err != nil {
			return err
		}
		r.Add(ev)
		if !rec.At.Before(p.From) && report.IsDetail(ev) {
			d.details = append(d.details, rec)
			d.events = append(d.events, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("figures: read %s from the journal: %w", date, err)
	}
	d.figures = r.Figures()
	return d, nil
}

// readDetails reads the details of date from the journal, decoding no
// other event: a report reads no more of a day outside its period.
func (s *Store) readDetails(ctx context.Context, date string, _ time.Time) (*day, error) {
	p, err := report.Day(date, s.setup.Location())
	if err != nil {
		return nil, err
	}
	d := &day{}
	err = s.read(ctx, p.From, p.To, func(rec journal.Record) error {
		if !report.MayBeDetail(rec.Type) {
			return nil
		}
		ev, err := engine.DecodeRecord(rec)
		if err != nil {
			return err
		}
		if report.IsDetail(ev) {
			d.details = append(d.details, rec)
			d.events = append(d.events, ev)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("figures: read %s's details from the journal: %w", date, err)
	}
	return d, nil
}

// RecordDay records date's figures from the journal, replacing any
// recorded before: recording a day again gives the same rows.
func (s *Store) RecordDay(ctx context.Context, date string, now time.Time) error {
	d, err := s.readDay(ctx, date, now)
	if err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []string{`DELETE FROM cells WHERE day = ?`, `DELETE FROM details WHERE day = ?`,
		`DELETE FROM followups WHERE day = ?`} {
		if _, err := tx.ExecContext(ctx, q, date); err != nil {
			return err
		}
	}
	for k, c := range d.figures.Cells {
		if _, err := tx.ExecContext(ctx, `INSERT INTO cells(day, dim, key, data) VALUES (?, ?, ?, ?)`,
			date, int(k.Dim), k.Key, c.Encode()); err != nil {
			return err
		}
	}
	for _, rec := range d.details {
		if _, err := tx.ExecContext(ctx, `INSERT INTO details(day, seq, at, type, data) VALUES (?, ?, ?, ?, ?)`,
			date, rec.Seq, rec.At.UnixNano(), rec.Type, rec.Data); err != nil {
			return err
		}
	}
	if err := insertFollowUps(ctx, tx, s.setup, date, d.events); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO days(day, recorded_at) VALUES (?, ?)`, date, now.UnixNano()); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("figures: record %s: %w", date, err)
	}
	return nil
}

// insertFollowUps keeps the day's follow-ups opened and closed.
func insertFollowUps(ctx context.Context, tx *sql.Tx, setup *hall.Setup, date string, events []room.Event) error {
	opened, closed := report.FollowUpFacts(setup, events)
	if len(opened)+len(closed) == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT OR REPLACE INTO followups(day, opened, closed) VALUES (?, ?, ?)`,
		date, report.EncodeFollowUps(opened), report.EncodeFollowUps(closed))
	return err
}

// CatchUp records every past day not yet recorded, from the journal's
// first day to the last day that has settled by now, and says how many.
func (s *Store) CatchUp(ctx context.Context, now time.Time) (int, error) {
	first, err := s.firstDay(ctx)
	if err != nil || first.IsZero() {
		return 0, err
	}
	recorded, err := s.recorded(ctx, "", "9999")
	if err != nil {
		return 0, err
	}
	n := 0
	for d := first; !d.AddDate(0, 0, 1).Add(settle).After(now); d = d.AddDate(0, 0, 1) {
		date := d.Format(time.DateOnly)
		if recorded[date] {
			continue
		}
		if err := s.RecordDay(ctx, date, now); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// firstDay is the start of the local day of the journal's first event.
func (s *Store) firstDay(ctx context.Context) (time.Time, error) {
	var first time.Time
	err := s.hist.Replay(ctx, 0, func(rec journal.Record) error {
		first = rec.At
		return errEnough
	})
	if err != nil && !errors.Is(err, errEnough) {
		return time.Time{}, err
	}
	if first.IsZero() {
		return first, nil
	}
	p, err := report.Day(s.setup.Queue.Day(first), s.setup.Location())
	return p.From, err
}

// recorded is the set of days in [from, to] already recorded.
func (s *Store) recorded(ctx context.Context, from, to string) (map[string]bool, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT day FROM days WHERE day >= ? AND day <= ?`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]bool{}
	for rows.Next() {
		var d string
		if err := rows.Scan(&d); err != nil {
			return nil, err
		}
		out[d] = true
	}
	return out, rows.Err()
}
