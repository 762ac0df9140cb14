package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// maxRows is how many rows one INSERT of a commit takes. A commit's events
// go in as few statements as that allows, and so do its answers: through
// database/sql a statement cost some 7 µs whatever its rows, once per event
// and once per answer, a fifth of an append's CPU.
const maxRows = 32

// The statements of a commit's inserts, up to VALUES, and one row of each.
const (
	eventsInsert  = `INSERT INTO events(seq, at, type, data) VALUES `
	repliesInsert = `INSERT OR REPLACE INTO replies(key, seq, at, body) VALUES `
	fourValues    = `(?, ?, ?, ?)`
)

// inserts are one INSERT's statements by how many rows they take, from 2
// to maxRows, each prepared when a commit first needs it (a single row
// goes through the statement the journal prepared at open).
type inserts struct {
	stmts [maxRows + 1]*sql.Stmt
}

// ready prepares what n rows take: maxRows at a time, then the rest. It
// runs before the commit's transaction, which holds the one connection.
func (in *inserts) ready(db *sql.DB, insert string, n int) error {
	for _, k := range []int{min(n, maxRows), n % maxRows} {
		if k < 2 || in.stmts[k] != nil {
			continue
		}
		q := insert + strings.TrimSuffix(strings.Repeat(fourValues+", ", k), ", ")
		st, err := db.Prepare(q)
		if err != nil {
			return fmt.Errorf("journal: prepare an insert of %d rows: %w", k, err)
		}
		in.stmts[k] = st
	}
	return nil
}

// exec inserts n rows in tx, maxRows at a time, one through one; row
// appends the values of row i.
func (in *inserts) exec(ctx context.Context, tx *sql.Tx, one *sql.Stmt, n int, row func(i int, to []any) []any) error {
	args := make([]any, 0, 4*min(n, maxRows))
	for from := 0; from < n; from += maxRows {
		k := min(maxRows, n-from)
		args = args[:0]
		for i := from; i < from+k; i++ {
			args = row(i, args)
		}
		st := one
		if k > 1 {
			st = in.stmts[k]
		}
		if _, err := tx.StmtContext(ctx, st).ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

func (in *inserts) close() {
	for _, st := range in.stmts {
		if st != nil {
			st.Close()
		}
	}
}
