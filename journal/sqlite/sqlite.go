// Package sqlite keeps a hall's journal in one SQLite file, the default,
// zero-setup store: WAL with synchronous=FULL, so a committed batch survives
// a killed process or a power cut.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"time"

	"hallfloor/journal"

	_ "modernc.org/sqlite" // registers the "sqlite" driver; pure Go, no cgo
)

const schema = `
CREATE TABLE IF NOT EXISTS events (
	seq  INTEGER PRIMARY KEY,
	at   INTEGER NOT NULL, -- unix nanoseconds
	type TEXT NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS events_at ON events(at);
CREATE TABLE IF NOT EXISTS replies (
	key  TEXT PRIMARY KEY,
	seq  INTEGER NOT NULL,
	at   INTEGER NOT NULL,
	body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS replies_at ON replies(at);
CREATE TABLE IF NOT EXISTS snapshots (
	seq  INTEGER PRIMARY KEY,
	data BLOB NOT NULL -- empty; once the first part of the snapshot
);
CREATE TABLE IF NOT EXISTS snapshot_parts (
	seq  INTEGER NOT NULL,
	part INTEGER NOT NULL, -- from 1; the snapshot is its row's data, then these in order
	data BLOB NOT NULL,
	PRIMARY KEY (seq, part)
);`

// ErrReadOnly is an append through a handle opened to read.
var ErrReadOnly = errors.New("journal: opened to read only")

// Journal is a journal.Journal in a SQLite file.
type Journal struct {
	db    *sql.DB
	lock  *os.File  // held while the journal is open for writing; nil read-only
	files *identity // the files the writer opened; nil read-only
	// The writer's statements, parsed once: parsing them again for every
	// commit cost a tenth of a durable ticket's time. Nil read-only.
	lastSeq, insertEvent, insertReply *sql.Stmt
	ckpt                              *checkpointer // nil read-only
	// events and replies insert many rows at once (rows.go).
	events, replies inserts
	// last is the seq of the last event this writer committed, 0 when not
	// known (before its first append, after a failed one): then it is
	// read from the file. Reading it for every commit cost a tenth of
	// the commit's CPU, and the lock keeps any other writer out.
	last uint64
}

var _ journal.Journal = (*Journal)(nil)

// Open opens or creates the journal at path for the hall's writer. It holds
// an exclusive lock on path+".lock" until Close, so a second hallfloor on
// the same data directory is refused at start instead of appending beside
// the first: each would then decide from a state missing the other's events.
func Open(path string) (*Journal, error) {
	lock, err := lockFile(path)
	if err != nil {
		return nil, err
	}
	db, err := open(path, url.Values{"_pragma": {"journal_mode(WAL)", "synchronous(FULL)", "busy_timeout(5000)", "foreign_keys(ON)",
		fmt.Sprintf("wal_autocheckpoint(%d)", writerCheckpointPages)}})
	if err == nil {
		if _, err = db.Exec(schema + retentionSchema); err != nil {
			db.Close()
			err = fmt.Errorf("journal: create schema in %s: %w", path, err)
		}
	}
	j := &Journal{db: db, lock: lock}
	if err == nil {
		if j.files, err = watchFiles(path); err != nil {
			db.Close()
		}
	}
	if err == nil {
		if err = j.prepare(); err != nil {
			db.Close()
		}
	}
	if err == nil {
		if j.ckpt, err = startCheckpointer(path); err != nil {
			db.Close()
			err = fmt.Errorf("journal: open %s to checkpoint: %w", path, err)
		}
	}
	if err != nil {
		lock.Close()
		return nil, err
	}
	return j, nil
}

// prepare parses the statements every commit runs.
func (j *Journal) prepare() error {
	for _, st := range []struct {
		to  **sql.Stmt
		sql string
	}{
		{&j.lastSeq, `SELECT COALESCE(MAX(seq), 0) FROM events`},
		{&j.insertEvent, `INSERT INTO events(seq, at, type, data) VALUES (?, ?, ?, ?)`},
		{&j.insertReply, `INSERT OR REPLACE INTO replies(key, seq, at, body) VALUES (?, ?, ?, ?)`},
	} {
		stmt, err := j.db.Prepare(st.sql)
		if err != nil {
			return fmt.Errorf("journal: prepare %q: %w", st.sql, err)
		}
		*st.to = stmt
	}
	return nil
}

// Check says whether the path still names the files the journal opened, so
// that a commit is made where the next start will find it.
func (j *Journal) Check() error {
	if j.files == nil {
		return nil
	}
	return j.files.check()
}

// OpenReadOnly opens an existing journal to read it beside the writer, for
// reports and backups. It takes no lock: WAL lets it read a consistent
// state while the writer goes on, and it cannot write.
func OpenReadOnly(path string) (*Journal, error) {
	db, err := open(path, url.Values{"mode": {"ro"}, "_pragma": {"busy_timeout(5000)"}})
	if err != nil {
		return nil, err
	}
	// sql.Open connects only when first used, and mode=ro refuses a missing
	// file then: connect now, so the caller hears of it where it named it.
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, fmt.Errorf("journal: open %s to read: %w", path, err)
	}
	return &Journal{db: db}, nil
}

// open opens the file with the URI parameters q (SQLite's, and the
// driver's _pragma, run on every connection).
func open(path string, q url.Values) (*sql.DB, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("journal: open %s: %w", path, err)
	}
	// One connection a handle: the engine is the only writer, and SQLite
	// serialises writers anyway; a second connection would only contend
	// for SQLite's lock.
	db.SetMaxOpenConns(1)
	return db, nil
}

// Close closes the file, then lets go of the lock, so the next writer finds
// the journal complete.
func (j *Journal) Close() error {
	var cerr error
	if j.ckpt != nil {
		cerr = j.ckpt.close()
	}
	for _, st := range []*sql.Stmt{j.lastSeq, j.insertEvent, j.insertReply} {
		if st != nil {
			st.Close()
		}
	}
	j.events.close()
	j.replies.close()
	err := j.db.Close()
	if err == nil {
		err = cerr
	}
	if j.lock != nil {
		if lerr := j.lock.Close(); err == nil {
			err = lerr
		}
	}
	return err
}

// Append commits the batch in one transaction, after checking that its first
// record follows the last one stored.
func (j *Journal) Append(ctx context.Context, b journal.Batch) error {
	if j.insertEvent == nil {
		return ErrReadOnly
	}
	last, err := j.append(ctx, b)
	if err != nil {
		last = 0 // whatever the file holds now, read it the next time
	}
	j.last = last
	return err
}

// append commits the batch and returns the seq of the last event stored.
func (j *Journal) append(ctx context.Context, b journal.Batch) (uint64, error) {
	if err := j.Check(); err != nil {
		return 0, err
	}
	if err := j.events.ready(j.db, eventsInsert, len(b.Records)); err != nil {
		return 0, err
	}
	if err := j.replies.ready(j.db, repliesInsert, len(b.Replies)); err != nil {
		return 0, err
	}
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("journal: begin: %w", err)
	}
	defer tx.Rollback()
	last := j.last
	if len(b.Records) > 0 {
		if last == 0 {
			if err := tx.StmtContext(ctx, j.lastSeq).QueryRowContext(ctx).Scan(&last); err != nil {
				return 0, fmt.Errorf("journal: last seq: %w", err)
			}
		}
		if b.Records[0].Seq != last+1 {
			return 0, fmt.Errorf("%w: have %d, batch starts at %d", journal.ErrGap, last, b.Records[0].Seq)
		}
		for i, r := range b.Records {
			// A hole inside the batch is a gap too: replay would skip it.
			if want := last + 1 + uint64(i); r.Seq != want {
				return 0, fmt.Errorf("%w: event %d where %d belongs", journal.ErrGap, r.Seq, want)
			}
		}
		if err := j.events.exec(ctx, tx, j.insertEvent, len(b.Records), func(i int, to []any) []any {
			r := b.Records[i]
			return append(to, int64(r.Seq), r.At.UnixNano(), r.Type, r.Data)
		}); err != nil {
			return 0, fmt.Errorf("journal: append events %d to %d: %w", b.Records[0].Seq, b.Records[len(b.Records)-1].Seq, err)
		}
		last = b.Records[len(b.Records)-1].Seq
	}
	if err := j.replies.exec(ctx, tx, j.insertReply, len(b.Replies), func(i int, to []any) []any {
		r := b.Replies[i]
		// A command answered without a body (nil) is still answered: store an
		// empty body, since the column refuses NULL.
		body := r.Body
		if body == nil {
			body = []byte{}
		}
		return append(to, r.Key, int64(r.Seq), r.At.UnixNano(), body)
	}); err != nil {
		return 0, fmt.Errorf("journal: store replies: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("journal: commit: %w", err)
	}
	j.ckpt.committed()
	return last, nil
}

// Replay streams the records after seq.
func (j *Journal) Replay(ctx context.Context, after uint64, fn func(journal.Record) error) error {
	if err := j.checkFloor(ctx, after); err != nil {
		return err
	}
	rows, err := j.db.QueryContext(ctx, `SELECT seq, at, type, data FROM events WHERE seq > ? ORDER BY seq`, int64(after))
	if err != nil {
		return fmt.Errorf("journal: replay: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SeqBefore finds the last record stamped before t through the index on
// the time stamp.
func (j *Journal) SeqBefore(ctx context.Context, t time.Time) (uint64, error) {
	var seq int64
	err := j.db.QueryRowContext(ctx, `SELECT seq FROM events WHERE at < ? ORDER BY at DESC, seq DESC LIMIT 1`, t.UnixNano()).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("journal: seq before %v: %w", t, err)
	}
	return uint64(seq), nil
}

// Tail returns the latest n records, oldest first.
func (j *Journal) Tail(ctx context.Context, n int) ([]journal.Record, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT seq, at, type, data FROM (SELECT * FROM events ORDER BY seq DESC LIMIT ?) ORDER BY seq`, n)
	if err != nil {
		return nil, fmt.Errorf("journal: tail: %w", err)
	}
	return scanRecords(rows)
}

// scanRecords reads every row of a query of records and closes it.
func scanRecords(rows *sql.Rows) ([]journal.Record, error) {
	defer rows.Close()
	var out []journal.Record
	for rows.Next() {
		r, err := scanRecord(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func scanRecord(rows *sql.Rows) (journal.Record, error) {
	var r journal.Record
	var seq, at int64
	if err := rows.Scan(&seq, &at, &r.Type, &r.Data); err != nil {
		return r, fmt.Errorf("journal: read event: %w", err)
	}
	r.Seq, r.At = uint64(seq), time.Unix(0, at)
	return r, nil
}

// Replies returns the replies given since t.
func (j *Journal) Replies(ctx context.Context, since time.Time) ([]journal.Reply, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT key, seq, at, body FROM replies WHERE at >= ?`, since.UnixNano())
	if err != nil {
		return nil, fmt.Errorf("journal: replies: %w", err)
	}
	defer rows.Close()
	var out []journal.Reply
	for rows.Next() {
		var r journal.Reply
		var seq, at int64
		if err := rows.Scan(&r.Key, &seq, &at, &r.Body); err != nil {
			return nil, fmt.Errorf("journal: read reply: %w", err)
		}
		r.Seq, r.At = uint64(seq), time.Unix(0, at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// BackupTo writes a consistent copy of the journal to a new file at path,
// while the hall goes on: SQLite's VACUUM INTO reads one snapshot of the
// database (WAL lets the writer continue meanwhile) and writes it compacted.
func (j *Journal) BackupTo(ctx context.Context, path string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("journal: backup %s: the file exists; choose a new one", path)
	}
	if _, err := j.db.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return fmt.Errorf("journal: backup to %s: %w", path, err)
	}
	return nil
}

// forgetBatch is how many replies one deletion takes: a few milliseconds
// of the one connection, after which an append waiting for it goes first.
const forgetBatch = 500

// ForgetReplies deletes the replies given before t, in small transactions
// of forgetBatch rows each. A day of a big hall's answers deleted at once
// held the file for half a second, and every append waited for it.
func (j *Journal) ForgetReplies(ctx context.Context, before time.Time) error {
	for {
		res, err := j.db.ExecContext(ctx, `DELETE FROM replies WHERE rowid IN
			(SELECT rowid FROM replies WHERE at < ? LIMIT ?)`, before.UnixNano(), forgetBatch)
		if err != nil {
			return fmt.Errorf("journal: forget replies: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n < forgetBatch {
			return err
		}
	}
}

// snapshotPart is how much of a snapshot one transaction writes. A big
// hall's snapshot is several megabytes; written in one transaction it held
// the one connection for tens of milliseconds, and the commands waiting to
// append waited as long. In parts, an append waits for one part at most.
const snapshotPart = 256 << 10

// SaveSnapshot stores a snapshot and keeps the last journal.KeepSnapshots.
// The parts go in first, each in a transaction of its own; the snapshot's
// row, which holds none of it, goes in last, so a snapshot is either whole
// or not there: parts with no row (a save cut short) are never read. The
// parts of the snapshots no longer kept, or of a save cut short, are then
// deleted one at a time too: freeing a part's pages means reading them, and
// a snapshot's worth in one transaction held the connection for 30 ms.
// Old replies stay in the file; Replies only returns those since the time
// asked for.
func (j *Journal) SaveSnapshot(ctx context.Context, seq uint64, state []byte) error {
	// A snapshot of the same seq is replaced: take its row away first, so it
	// never meets the parts of this one, which then go as leftovers do.
	if _, err := j.db.ExecContext(ctx, `DELETE FROM snapshots WHERE seq = ?`, int64(seq)); err != nil {
		return fmt.Errorf("journal: save snapshot: %w", err)
	}
	if err := j.dropLeftoverParts(ctx); err != nil {
		return err
	}
	for part := 1; len(state) > 0; part++ {
		n := min(len(state), snapshotPart)
		if _, err := j.db.ExecContext(ctx, `INSERT INTO snapshot_parts(seq, part, data) VALUES (?, ?, ?)`,
			int64(seq), part, state[:n]); err != nil {
			return fmt.Errorf("journal: save snapshot part %d: %w", part, err)
		}
		state = state[n:]
		j.ckpt.committed()
	}
	err := j.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO snapshots(seq, data) VALUES (?, x'')`, int64(seq)); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM snapshots WHERE seq NOT IN (SELECT seq FROM snapshots ORDER BY seq DESC LIMIT ?)`,
			journal.KeepSnapshots)
		return err
	})
	if err != nil {
		return fmt.Errorf("journal: save snapshot: %w", err)
	}
	return j.dropLeftoverParts(ctx)
}

// dropLeftoverParts deletes, one by one, the parts no snapshot row holds.
func (j *Journal) dropLeftoverParts(ctx context.Context) error {
	for {
		res, err := j.db.ExecContext(ctx, `DELETE FROM snapshot_parts WHERE rowid =
			(SELECT rowid FROM snapshot_parts WHERE seq NOT IN (SELECT seq FROM snapshots) LIMIT 1)`)
		if err != nil {
			return fmt.Errorf("journal: delete old snapshot parts: %w", err)
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return err
		}
	}
}

// inTx runs fn in a transaction and commits it if fn succeeds.
func (j *Journal) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := j.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// LoadSnapshots returns the snapshots kept, newest first, each put back
// together from its parts.
func (j *Journal) LoadSnapshots(ctx context.Context) ([]journal.Snapshot, error) {
	rows, err := j.db.QueryContext(ctx, `SELECT s.seq, s.data, p.data FROM snapshots s
		LEFT JOIN snapshot_parts p ON p.seq = s.seq ORDER BY s.seq DESC, p.part`)
	if err != nil {
		return nil, fmt.Errorf("journal: load snapshots: %w", err)
	}
	defer rows.Close()
	var out []journal.Snapshot
	for rows.Next() {
		var seq int64
		var first, part []byte
		if err := rows.Scan(&seq, &first, &part); err != nil {
			return nil, fmt.Errorf("journal: read snapshot: %w", err)
		}
		if len(out) == 0 || out[len(out)-1].Seq != uint64(seq) {
			out = append(out, journal.Snapshot{Seq: uint64(seq), Data: first})
		}
		last := &out[len(out)-1]
		last.Data = append(last.Data, part...)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("journal: load snapshots: %w", err)
	}
	return out, nil
}
