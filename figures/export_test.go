package figures

import (
	"context"
	"fmt"
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
		// A follow-up of a copied day is another follow-up.
		{`INSERT OR REPLACE INTO followups(day, id, staff, window, service, deadline)
			SELECT ?, id || '@' || ?, staff, window, service, deadline + ? FROM followups WHERE day = ?`, []any{to, to, int64(shift), from}},
		{`INSERT OR REPLACE INTO followup_closings(day, id, at)
			SELECT ?, c.id || '@' || date(f.day, ?), c.at + ? FROM followup_closings c JOIN followups f ON f.id = c.id WHERE c.day = ?`,
			[]any{to, fmt.Sprintf("%+d days", int(shift.Hours()/24)), int64(shift), from}},
		{`INSERT OR REPLACE INTO days(day, recorded_at) VALUES (?, ?)`, []any{to, time.Now().UnixNano()}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}
