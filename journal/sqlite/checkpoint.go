package sqlite

import (
	"database/sql"
	"net/url"
	"sync"
	"time"
)

// The write-ahead log is copied back into the database file (a checkpoint)
// from a connection of its own. Left to SQLite, a checkpoint runs after the
// commit that takes the log past 1,000 pages, in the connection that
// committed: the writer's, so now and then a command waited while
// megabytes were written back and synced, and a big hall's snapshot set one
// off every time. Here the writer's connection checkpoints only as a
// backstop (writerCheckpointPages), and a PASSIVE checkpoint, which never
// holds the write lock, runs beside it after commits, at most every
// checkpointGap.

// writerCheckpointPages is the log's size, in pages, past which the
// writer's own connection checkpoints after all, should the checkpointer
// fall behind (64 MB of 4 KiB pages).
const writerCheckpointPages = 16384

// checkpointGap is the least time between two checkpoints: each syncs the
// log and the database file, and a busy hall commits thousands of times a
// second.
const checkpointGap = 200 * time.Millisecond

// checkpointer runs the checkpoints on its own connection.
type checkpointer struct {
	db    *sql.DB
	nudge chan struct{}
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
	err   error // of closing
}

// startCheckpointer opens the checkpointer's connection to path and starts it.
func startCheckpointer(path string) (*checkpointer, error) {
	db, err := open(path, url.Values{"_pragma": {"synchronous(FULL)", "busy_timeout(5000)"}})
	if err != nil {
		return nil, err
	}
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, err
	}
	c := &checkpointer{db: db, nudge: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	go c.run()
	return c, nil
}

// committed tells the checkpointer the log has grown. It never blocks; a
// read-only handle has no checkpointer, and nothing to tell it.
func (c *checkpointer) committed() {
	if c == nil {
		return
	}
	select {
	case c.nudge <- struct{}{}:
	default:
	}
}

func (c *checkpointer) run() {
	defer close(c.done)
	gap := time.NewTimer(0)
	defer gap.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-c.nudge:
		}
		// A failed checkpoint leaves the log longer, nothing else: the next
		// one, or the writer's backstop, copies what this one did not.
		var busy, log, done int
		c.db.QueryRow(`PRAGMA wal_checkpoint(PASSIVE)`).Scan(&busy, &log, &done)
		gap.Reset(checkpointGap)
		select {
		case <-c.stop:
			return
		case <-gap.C:
		}
	}
}

// close stops the checkpointer and closes its connection; the writer's
// close then checkpoints what is left. Closing again does nothing.
func (c *checkpointer) close() error {
	c.once.Do(func() {
		close(c.stop)
		<-c.done
		c.err = c.db.Close()
	})
	return c.err
}
