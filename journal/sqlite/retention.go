package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"hallfloor/journal"
)

// The retention table says how far the journal's prefix has been taken
// away: "archived", the last seq moved to the archive and deleted, and
// "scrubbed", the last seq whose personal data was erased in place. Each is
// raised in the same transaction as the change it stands for.
const retentionSchema = `
CREATE TABLE IF NOT EXISTS retention (
	what TEXT PRIMARY KEY,
	upto INTEGER NOT NULL
);`

// ErrArchived is returned by the writer's Replay asked for events from
// before the journal's floor: a hall restored from them would start from
// a partial or altered history.
var ErrArchived = errors.New("journal: the events asked for were archived or erased")

// Floor is the highest seq up to which events have left the journal or
// lost their personal data: a hall must restore from a snapshot at or past
// it.
func (j *Journal) Floor(ctx context.Context) (archived, scrubbed uint64, err error) {
	rows, err := j.db.QueryContext(ctx, `SELECT what, upto FROM retention`)
	if err != nil {
		// A journal opened read-only, written by a build before retention.
		if strings.Contains(err.Error(), "no such table") {
			return 0, 0, nil
		}
		return 0, 0, fmt.Errorf("journal: retention floor: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var what string
		var upto int64
		if err := rows.Scan(&what, &upto); err != nil {
			return 0, 0, fmt.Errorf("journal: retention floor: %w", err)
		}
		switch what {
		case "archived":
			archived = uint64(upto)
		case "scrubbed":
			scrubbed = uint64(upto)
		}
	}
	return archived, scrubbed, rows.Err()
}

// checkFloor refuses a writer's replay from before the floor. Readers of
// history (reports) may read what is left; the writer may not rebuild the
// hall from it.
func (j *Journal) checkFloor(ctx context.Context, after uint64) error {
	if j.lock == nil {
		return nil
	}
	archived, scrubbed, err := j.Floor(ctx)
	if err != nil {
		return err
	}
	if floor := max(archived, scrubbed); after < floor {
		return fmt.Errorf("%w: events up to %d were moved to the archive (up to %d) or lost their personal data (up to %d), "+
			"and the hall would replay from %d; it can start only from a sound snapshot at or past %d. "+
			"Restore the data directory from a backup", ErrArchived, floor, archived, scrubbed, after+1, floor)
	}
	return nil
}

// OldestSnapshot is the seq of the oldest snapshot kept, 0 with none.
// Events at or below it are covered by every snapshot kept, so whichever
// of them start-up finds sound, it needs none of those events.
func (j *Journal) OldestSnapshot(ctx context.Context) (uint64, error) {
	var seq sql.NullInt64
	if err := j.db.QueryRowContext(ctx, `SELECT MIN(seq) FROM snapshots`).Scan(&seq); err != nil {
		return 0, fmt.Errorf("journal: oldest snapshot: %w", err)
	}
	return uint64(seq.Int64), nil
}

// Events returns up to limit records after seq after and at most upTo, in
// order: one batch of an archive or a scrub, read without holding up the
// writer for longer than the batch.
func (j *Journal) Events(ctx context.Context, after, upTo uint64, limit int) ([]journal.Record, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT seq, at, type, data FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?`,
		int64(after), int64(upTo), limit)
	if err != nil {
		return nil, fmt.Errorf("journal: events: %w", err)
	}
	return scanRecords(rows)
}

// DropEvents deletes the events up to upTo, which the caller has made
// durable elsewhere, at most limit of them, and raises the archived floor
// to upTo in the same transaction; it returns how many it deleted. A
// caller deletes a long prefix in turns, so that no turn holds the writer
// up for long.
func (j *Journal) DropEvents(ctx context.Context, upTo uint64, limit int) (int, error) {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("journal: begin: %w", err)
	}
	defer tx.Rollback()
	if err := raiseFloor(ctx, tx, "archived", upTo); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM events WHERE seq IN (SELECT seq FROM events WHERE seq <= ? ORDER BY seq LIMIT ?)`,
		int64(upTo), limit)
	if err != nil {
		return 0, fmt.Errorf("journal: drop events: %w", err)
	}
	n, _ := res.RowsAffected()
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("journal: drop events: %w", err)
	}
	return int(n), nil
}

// Rewrite replaces the data of the records given (same seq, new data) and
// raises the scrubbed floor to upTo, in one transaction: the records up to
// upTo not given were looked at and needed no change.
func (j *Journal) Rewrite(ctx context.Context, upTo uint64, recs []journal.Record) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("journal: begin: %w", err)
	}
	defer tx.Rollback()
	if err := raiseFloor(ctx, tx, "scrubbed", upTo); err != nil {
		return err
	}
	for _, r := range recs {
		if _, err := tx.ExecContext(ctx, `UPDATE events SET data = ? WHERE seq = ?`, r.Data, int64(r.Seq)); err != nil {
			return fmt.Errorf("journal: rewrite event %d: %w", r.Seq, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("journal: rewrite: %w", err)
	}
	return nil
}

// raiseFloor sets a floor to upTo unless it is higher already.
func raiseFloor(ctx context.Context, tx *sql.Tx, what string, upTo uint64) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO retention(what, upto) VALUES (?, ?)
		ON CONFLICT(what) DO UPDATE SET upto = MAX(upto, excluded.upto)`, what, int64(upTo))
	if err != nil {
		return fmt.Errorf("journal: raise the %s floor: %w", what, err)
	}
	return nil
}
