// Package journal is the hall's durable memory: an append-only log of
// sequence-numbered events, the answers given to idempotent requests, and
// snapshots that shorten replay. Backends live in subpackages.
package journal

import (
	"context"
	"errors"
	"time"
)

// Record is one journaled event.
type Record struct {
	Seq  uint64
	At   time.Time
	Type string
	Data []byte // JSON payload
}

// Reply is the answer given to a request with an idempotency key, kept so a
// repeat gets the same answer.
type Reply struct {
	Key  string
	Seq  uint64 // the hall's sequence number when it was answered
	At   time.Time
	Body []byte
}

// Batch is what one commit makes durable: the events of a group of commands
// and their idempotent replies.
type Batch struct {
	Records []Record
	Replies []Reply
}

// Snapshot is the hall's state as of Seq, encoded by the engine; the journal
// keeps its bytes exactly as given and judges nothing of them.
type Snapshot struct {
	Seq  uint64
	Data []byte
}

// KeepSnapshots is how many snapshots a journal keeps, the newest ones: if
// the newest cannot be read (a torn write, a build that encodes the state
// differently), start-up falls back to an older one rather than replaying
// the whole journal.
const KeepSnapshots = 3

// ErrGap is returned by Append when a batch does not continue the journal
// exactly: another writer got there first, or a retry repeated a commit.
var ErrGap = errors.New("journal: batch does not follow the last sequence number")

// ErrNotLeader is returned by Append when the node no longer holds the
// hall's writing lease: another node writes the hall now, and nothing of
// the batch was stored.
var ErrNotLeader = errors.New("journal: this node does not hold the hall's writing lease")

// Checker is a journal that can tell cheaply whether what it appends still
// reaches the store the hall will restore from at its next start: a SQLite
// file deleted or replaced under the open handle takes appends into a file
// no one will ever read again. The engine asks before each commit and
// /healthz on each call.
type Checker interface {
	Check() error
}

// Journal stores a hall's history. Append is durable when it returns nil.
type Journal interface {
	// Append commits a batch whose records continue the log without a gap.
	Append(ctx context.Context, b Batch) error
	// Replay calls fn for each record after seq, in order.
	Replay(ctx context.Context, after uint64, fn func(Record) error) error
	// SeqBefore returns the sequence number of the last record stamped
	// before t, or 0: where a read of history from t starts, so a report on
	// last month does not read the hall's whole past.
	SeqBefore(ctx context.Context, t time.Time) (uint64, error)
	// Tail returns up to n of the latest records, oldest first.
	Tail(ctx context.Context, n int) ([]Record, error)
	// Replies returns the replies given since t; ForgetReplies deletes
	// those given before t, which can no longer be repeated.
	Replies(ctx context.Context, since time.Time) ([]Reply, error)
	ForgetReplies(ctx context.Context, before time.Time) error
	// SaveSnapshot stores the state as of seq, replacing one of the same
	// seq, and deletes all but the KeepSnapshots of highest seq.
	// LoadSnapshots returns those kept, newest (highest seq) first; none is
	// an empty result, not an error.
	SaveSnapshot(ctx context.Context, seq uint64, state []byte) error
	LoadSnapshots(ctx context.Context) ([]Snapshot, error)
	Close() error
}
