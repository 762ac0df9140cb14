package redis

// # Several nodes, one writer
//
// The hall's writing lease is one key beside its journal, …lease, holding
// "<random token> <advertised address>" and expiring after the lease's
// time. A node takes it with SET NX PX, renews it every third of that with
// a compare-and-extend script, and gives it back on a clean stop with a
// compare-and-delete, so it never extends or deletes a lease another node
// took meanwhile.
//
// The lease alone cannot keep a paused leader from writing: a process
// stopped (SIGSTOP, a frozen VM, a long pause) past its lease wakes up
// believing it still leads, and may append before its next renewal tells it
// otherwise. The conditional append on the expected sequence catches that
// only if the new leader has already written: if it has taken the lease
// but not yet appended, the old leader's batch would follow the journal
// exactly and be stored, an event of a leader that is no more. So the
// append script itself checks the lease: once a node holds it, each of its
// appends carries the lease key and the value the node set, and the script
// stores nothing (journal.ErrNotLeader) unless the key still holds that
// value. The check and the write are one script, so no other node can take
// the lease between them; the sequence check stays beside it, for two
// appends of one leader that do not follow.
//
// …epoch is the journal's identity: a random id made once, with the first
// node that asks. A screen resuming after seq N says the epoch it saw; in
// another epoch (the keys deleted and the hall started afresh, another
// Redis) its N means nothing, and it gets a fresh snapshot instead.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"hallfloor/journal"
)

// Lease is a node's claim on the hall's writing lease.
type Lease struct {
	j     *Journal
	key   string
	value string // "<token> <address>"
	ttl   time.Duration
}

// Lease makes this node's claim, to be taken with Acquire; address is where
// the other nodes pass commands while it holds it.
func (j *Journal) Lease(address string, ttl time.Duration) *Lease {
	var b [16]byte
	rand.Read(b[:])
	return &Lease{j: j, key: KeyPrefix(j.o.Hall) + "lease", value: hex.EncodeToString(b[:]) + " " + address, ttl: ttl}
}

// TTL is how long the lease lasts unrenewed.
func (l *Lease) TTL() time.Duration { return l.ttl }

// Acquire takes the lease if no node holds it, and from then on every
// append of the journal is fenced by it. It says whether it took it.
func (l *Lease) Acquire(ctx context.Context) (bool, error) {
	ok, err := l.j.rdb.SetNX(ctx, l.key, l.value, l.ttl).Result()
	if err != nil {
		return false, fmt.Errorf("journal: take the lease: %w", err)
	}
	if ok {
		l.j.fence.Store(l)
	}
	return ok, nil
}

// renewScript extends the lease if it is still the caller's.
// KEYS: lease. ARGV: value, ttl in ms.
var renewScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('PEXPIRE', KEYS[1], ARGV[2])
end
return 0
`)

// Renew extends the lease by its time; false when another node holds it
// or none does (it expired).
func (l *Lease) Renew(ctx context.Context) (bool, error) {
	n, err := renewScript.Run(ctx, l.j.rdb, []string{l.key}, l.value, l.ttl.Milliseconds()).Int64()
	if err != nil {
		return false, fmt.Errorf("journal: renew the lease: %w", err)
	}
	return n == 1, nil
}

// releaseScript deletes the lease if it is still the caller's.
var releaseScript = goredis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
	return redis.call('DEL', KEYS[1])
end
return 0
`)

// Release gives the lease back, if this node still holds it, so a follower
// takes over at once instead of after the lease's time.
func (l *Lease) Release(ctx context.Context) error {
	if err := releaseScript.Run(ctx, l.j.rdb, []string{l.key}, l.value).Err(); err != nil {
		return fmt.Errorf("journal: release the lease: %w", err)
	}
	return nil
}

// Leader is the address of the node that holds the hall's lease, or ""
// when none does.
func (j *Journal) Leader(ctx context.Context) (string, error) {
	v, err := j.rdb.Get(ctx, KeyPrefix(j.o.Hall)+"lease").Result()
	if errors.Is(err, goredis.Nil) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("journal: the lease: %w", err)
	}
	_, addr, _ := strings.Cut(v, " ")
	return addr, nil
}

// Epoch is the journal's identity, made on the first call of any node.
func (j *Journal) Epoch(ctx context.Context) (string, error) {
	key := KeyPrefix(j.o.Hall) + "epoch"
	var b [12]byte
	rand.Read(b[:])
	// SET NX then GET: whichever node came first, all read its id.
	if err := j.rdb.SetNX(ctx, key, hex.EncodeToString(b[:]), 0).Err(); err != nil {
		return "", fmt.Errorf("journal: epoch: %w", err)
	}
	id, err := j.rdb.Get(ctx, key).Result()
	if err != nil {
		return "", fmt.Errorf("journal: epoch: %w", err)
	}
	return id, nil
}

// followBlock is how long one read of the stream waits for more, so a
// follower that is stopped notices within that.
const followBlock = 500 * time.Millisecond

// Follow calls fn with each batch of records the journal gains after seq,
// in order, as they are appended, until ctx ends or fn fails.
func (j *Journal) Follow(ctx context.Context, after uint64, fn func([]journal.Record) error) error {
	last := strconv.FormatUint(after, 10) + "-0"
	for ctx.Err() == nil {
		res, err := j.rdb.XRead(ctx, &goredis.XReadArgs{Streams: []string{j.k.events, last}, Count: replayPage, Block: followBlock}).Result()
		if errors.Is(err, goredis.Nil) {
			continue // nothing new within the block
		}
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			return fmt.Errorf("journal: follow: %w", err)
		}
		for _, s := range res {
			recs := make([]journal.Record, 0, len(s.Messages))
			for _, m := range s.Messages {
				r, err := decodeRecord(m)
				if err != nil {
					return err
				}
				recs = append(recs, r)
				last = m.ID
			}
			if err := fn(recs); err != nil {
				return err
			}
		}
	}
	return ctx.Err()
}
