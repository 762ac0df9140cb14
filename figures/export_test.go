package figures

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"hallfloor/report"
)

// CopyDay copies the recorded rows of one day to another, shifting the
// details' times and order, so a benchmark can read a year of rows
// recorded from a few simulated days.
func (s *Store) CopyDay(ctx context.Context, from, to string, seqShift uint64) error {
	loc := s.setup.Location()
	a, err := report.Day(from, loc)
	if err != nil {
		return err
	}
	b, err := report.Day(to, loc)
	if err != nil {
		return err
	}
	shift := b.From.Sub(a.From)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`INSERT OR REPLACE INTO cells(day, dim, key, data) SELECT ?, dim, key, data FROM cells WHERE day = ?`, []any{to, from}},
		{`INSERT OR REPLACE INTO details(day, seq, at, type, data) SELECT ?, seq + ?, at + ?, type, data FROM details WHERE day = ?`,
			[]any{to, seqShift, int64(shift), from}},
		{`INSERT OR REPLACE INTO days(day, recorded_at) VALUES (?, ?)`, []any{to, time.Now().UnixNano()}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return err
		}
	}
	if err := copyFollowUps(ctx, tx, from, to, shift); err != nil {
		return err
	}
	return tx.Commit()
}

// copyFollowUps copies a day's follow-ups as other follow-ups (their ids
// marked with the day copied to), shifted in time.
func copyFollowUps(ctx context.Context, tx *sql.Tx, from, to string, shift time.Duration) error {
	var opened, closed []byte
	err := tx.QueryRowContext(ctx, `SELECT opened, closed FROM followups WHERE day = ?`, from).Scan(&opened, &closed)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	} else if err != nil {
		return err
	}
	var blobs [][]byte
	for _, b := range [][]byte{opened, closed} {
		fs, err := report.DecodeFollowUps(b)
		if err != nil {
			return err
		}
		for i := range fs {
			f := &fs[i]
			f.ID += "@" + to
			if f.Day != "" {
				f.Day = to
			}
			for _, t := range []*time.Time{&f.Deadline, &f.ClosedAt} {
				if !t.IsZero() {
					*t = t.Add(shift)
				}
			}
		}
		blobs = append(blobs, report.EncodeFollowUps(fs))
	}
	_, err = tx.ExecContext(ctx, `INSERT OR REPLACE INTO followups(day, opened, closed) VALUES (?, ?, ?)`, to, blobs[0], blobs[1])
	return err
}
