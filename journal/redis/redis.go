// Package redis keeps a hall's journal in Redis, for halls run by several
// nodes. Each hall's keys share the prefix "hallfloor:{<hall id>}:"; the
// braces are a hash tag, so in a Redis Cluster all of a hall's keys live in
// one slot and the append script may touch them together.
//
// The keys:
//
//	…seq         the last sequence number stored (a string)
//	…events      a stream of the records, entry id "<seq>-0", fields at, type, data
//	…events:at   a sorted set, by member, of "<at><seq>" (fixed-width hex), for SeqBefore
//	…replies     a hash of idempotency key → "<at><seq>body"
//	…replies:at  a sorted set, by member, of "<at><key>", for Replies and ForgetReplies
//	…snaps       a sorted set of the kept snapshots' sequence numbers; …snapdata holds them
//
// Times go into members as fixed-width hex of the nanoseconds, compared by
// byte: a sorted set's scores are doubles and would lose the nanoseconds.
//
// # Appending safely
//
// Redis replicates asynchronously and go-redis retries a command whose
// answer was lost, so an append is one Lua script that checks, atomically,
// that the batch starts right after the last stored sequence number and that
// its records follow one another, and only then stores the records and the
// replies; anything else is journal.ErrGap. A retry of a batch whose first
// attempt did commit finds the journal already ending at the batch's last
// sequence number with exactly the batch's records stored there: that is
// taken as the same batch, and Append returns nil instead of ErrGap, so a
// lost answer is neither a failure nor a second copy. (Two writers that
// produced byte-identical records, stamps to the nanosecond included, would
// look alike too; they would also have written the same history.)
//
// # Durability
//
// Redis acknowledges a write before it reaches the disk unless the server
// runs with `appendonly yes` and `appendfsync always`; without them a crash
// of the Redis machine loses what was acknowledged since the last fsync
// (about a second with `appendfsync everysec`, everything since the last
// RDB save without the append-only file). Replication is asynchronous:
// with Options.WaitReplicas > 0, each append is followed by WAIT on the same
// connection, and an append that fewer replicas acknowledged in time fails.
// (Should that connection break between the two, go-redis does not move the
// WAIT to another connection, where it would count nothing; the append
// fails.) The engine then refuses the batch and reloads the journal; since
// the primary did store the batch, the reload brings it back together with
// its idempotent replies, so a client retrying with its Idempotency-Key gets
// the first answer rather than a second ticket. Should the primary then
// fail over to a replica without the batch, the writer's next append does
// not follow the journal, is refused as a gap, and the engine reloads from
// what the new primary holds.
//
// # Sentinel
//
// Open takes a URL of the Sentinels that watch the hall's primary:
//
//	redis+sentinel://[user:password@]host:port,host:port,…/master[/db][?options]
//
// host:port are the Sentinels (26379 when the port is left out), master is
// the name of their `sentinel monitor` line, db the database (0), user and
// password the Redis servers' own. The options: wait=N and wait_ms=M (as on
// a redis:// URL: Options.WaitReplicas and Options.WaitTimeout, 1000 ms when
// left out, at most 10,000), sentinel_username and sentinel_password for the
// Sentinels, dial_timeout, read_timeout, write_timeout, min_retry_backoff,
// max_retry_backoff (durations: 500ms, 2s), max_retries and pool_size. Any
// other option, and any malformed part, is refused with the part named.
//
// The client asks the Sentinels for the primary, and asks again on every new
// connection and when they announce a new one, so after a failover the
// journal writes to the promoted replica by itself. A command that fails on
// the network meanwhile is sent again up to max_retries times (10 by
// default, 100 ms to 1 s apart: about ten seconds, longer than a failover
// with down-after-milliseconds of a few seconds), so the engine's reload
// after a refused batch waits the failover out rather than failing; sending
// an append again is safe, as above.
//
// What a failover loses (Sentinel promotes the replica with the most of the
// primary's stream, replica-priority being equal):
//
//   - wait=0: every append the primary acknowledged that the promoted
//     replica had not received when the primary died: on a healthy link the
//     last milliseconds; after the replica's link broke, everything since,
//     for as long as the Sentinels still take that replica (down-after ×10).
//     Worse than lost: the hall reloads from the promoted replica and gives
//     those sequence numbers, and the ticket numbers in them, to the next
//     commands. In one run of this package's test, a replica cut off a few
//     tens of milliseconds before the primary's death cost 503 of 1,248
//     printed ticket numbers, 372 of them printed again for other people.
//   - wait=N: an append returns nil only once N replicas hold it, so the
//     replica the Sentinels promote holds every acknowledged record (tested
//     with a primary killed by SIGKILL after its replica's link broke: 0
//     lost, no number given twice). An append whose WAIT timed out is
//     refused though the primary stored it; whether it survives depends on
//     the replica, and the engine's reload and the client's retry with its
//     key settle it either way. A primary cut off from its replicas
//     acknowledges nothing, so it cannot go on alone. Not covered: the
//     primary and every replica that held a record dying together (WAIT
//     counts replicas' memory, not their disks), and a replica holding the
//     record not being the one promoted (unequal replica-priority).
//   - With wait=N the primary needs N replicas to write at all: with one
//     replica and wait=1 the promoted replica has none, and every append is
//     refused (after wait_ms) until the old primary comes back as its
//     replica; Sentinel turns a returning old primary into a replica about
//     8 s after it is back. Run N+1 replicas to keep writing through a
//     failover.
//   - Disks: WAIT says nothing of them. Without `appendonly yes` a Redis
//     process that restarts comes back empty; a primary restarted by its
//     supervisor before the Sentinels took it for down (down-after-
//     milliseconds) stays primary, empty, and its replicas copy the empty
//     data set: the whole journal is gone. Run the primary and the replicas
//     with `appendonly yes` (`appendfsync always` for a power cut of every
//     machine at once, `everysec` losing up to about a second then), or
//     never restart a Redis process faster than down-after-milliseconds.
//
// Several nodes share a hall's journal, not its writing: one node runs the
// hall's engine at a time. A second one started by mistake cannot break the
// journal, since each of its appends that does not follow is refused and
// it reloads before deciding again, but the screens on one node would not
// see the events the other wrote.
//
// Several nodes may run one hall together under the writing lease of
// lease.go: the lease's holder writes, its appends fenced by the lease;
// the others follow the stream (Journal.Follow) and show what it wrote.
package redis

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	goredis "github.com/redis/go-redis/v9"

	"hallfloor/journal"
)

// Options configure a journal.
type Options struct {
	// Hall is the hall's id; its keys are under KeyPrefix(Hall).
	Hall string
	// WaitReplicas, when above 0, makes each append wait until that many
	// replicas have it, and fail otherwise.
	WaitReplicas int
	// WaitTimeout bounds that wait; 1 s when zero.
	WaitTimeout time.Duration
}

// KeyPrefix is where a hall's keys live.
func KeyPrefix(hall string) string { return "hallfloor:{" + hall + "}:" }

// Journal is a journal.Journal in Redis. Its methods may be called from
// several goroutines: reports read while the engine appends.
type Journal struct {
	rdb   goredis.UniversalClient
	owned bool
	o     Options
	k     keys
	// fence, once a lease is held (see lease.go), makes every append
	// conditional on the lease still being this node's.
	fence atomic.Pointer[Lease]
}

var _ journal.Journal = (*Journal)(nil)

type keys struct {
	seq, events, eventsAt, replies, repliesAt, snaps, snapData string
}

// replayPage is how many records one read of the stream brings; a report
// that stops early has not read the whole hall.
const replayPage = 512

// New makes a journal on a client the caller keeps and closes.
func New(rdb goredis.UniversalClient, o Options) (*Journal, error) {
	if o.Hall == "" {
		return nil, errors.New("journal: redis needs the hall's id for its keys")
	}
	if o.WaitReplicas > 0 {
		// WAIT counts the writes of its own connection, so it must follow
		// the append on the same one, of the primary that holds the hall.
		if _, ok := rdb.(*goredis.Client); !ok {
			return nil, errors.New("journal: waiting for replicas needs a client of one Redis primary")
		}
	}
	if o.WaitTimeout <= 0 {
		o.WaitTimeout = time.Second
	}
	p := KeyPrefix(o.Hall)
	return &Journal{rdb: rdb, o: o, k: keys{
		seq: p + "seq", events: p + "events", eventsAt: p + "events:at",
		replies: p + "replies", repliesAt: p + "replies:at",
		snaps: p + "snaps", snapData: p + "snapdata",
	}}, nil
}

// Close closes the connection if Open made it.
func (j *Journal) Close() error {
	if j.owned {
		return j.rdb.Close()
	}
	return nil
}

// appendScript stores a batch if and only if it continues the journal.
//
// KEYS: seq, events, events:at, replies, replies:at
// ARGV: record count, then per record seq, at (decimal ns), at-seq member,
// type, data; then per reply key, value.
//
// It answers {1} when stored, {2} when the batch is already there (a retry),
// {0, last stored seq} when it does not follow.
//
// With a sixth key, the writing lease, and its holder's value as the last
// ARGV (which the replies' loop passes over), it answers {3} and stores
// nothing unless the lease holds that value: see lease.go.
var appendScript = goredis.NewScript(`
if #KEYS > 5 and redis.call('GET', KEYS[6]) ~= ARGV[#ARGV] then
	return {3}
end
local n = tonumber(ARGV[1])
local last = tonumber(redis.call('GET', KEYS[1]) or '0')
local r = 2
if n > 0 then
	local first = tonumber(ARGV[r])
	for i = 0, n - 1 do
		if tonumber(ARGV[r + 5 * i]) ~= first + i then
			return {0, last}
		end
	end
	if first ~= last + 1 then
		if last ~= first + n - 1 then
			return {0, last}
		end
		local stored = redis.call('XRANGE', KEYS[2], ARGV[r], ARGV[r + 5 * (n - 1)])
		if #stored ~= n then
			return {0, last}
		end
		for i = 0, n - 1 do
			local f = stored[i + 1][2]
			local a = r + 5 * i
			if #f ~= 6 or f[1] ~= 'at' or f[2] ~= ARGV[a + 1] or f[3] ~= 'type' or f[4] ~= ARGV[a + 3]
				or f[5] ~= 'data' or f[6] ~= ARGV[a + 4] then
				return {0, last}
			end
		end
		-- Rewrite the last seq as it is: a write, so a WAIT that follows on
		-- this connection waits for the replicas to hold the batch too.
		redis.call('SET', KEYS[1], redis.call('GET', KEYS[1]))
		return {2}
	end
	for i = 0, n - 1 do
		local a = r + 5 * i
		redis.call('XADD', KEYS[2], ARGV[a] .. '-0', 'at', ARGV[a + 1], 'type', ARGV[a + 3], 'data', ARGV[a + 4])
		redis.call('ZADD', KEYS[3], 0, ARGV[a + 2])
	end
	redis.call('SET', KEYS[1], ARGV[r + 5 * (n - 1)])
	r = r + 5 * n
end
while r < #ARGV do
	local key, value = ARGV[r], ARGV[r + 1]
	local old = redis.call('HGET', KEYS[4], key)
	if old then
		redis.call('ZREM', KEYS[5], string.sub(old, 1, 16) .. key)
	end
	redis.call('HSET', KEYS[4], key, value)
	redis.call('ZADD', KEYS[5], 0, string.sub(value, 1, 16) .. key)
	r = r + 2
end
return {1}
`)

// Append stores the batch with one script, so it is all or nothing and no
// other writer can come between the check and the write.
func (j *Journal) Append(ctx context.Context, b journal.Batch) error {
	args := make([]any, 0, 1+5*len(b.Records)+2*len(b.Replies))
	args = append(args, len(b.Records))
	for _, r := range b.Records {
		at := nanos(r.At)
		args = append(args, strconv.FormatUint(r.Seq, 10), strconv.FormatInt(at, 10),
			stamp(at)+hex64(r.Seq), r.Type, r.Data)
	}
	for _, r := range b.Replies {
		// A command answered without a body is still answered; the value
		// always holds at least its stamp and seq.
		v := make([]byte, 0, 32+len(r.Body))
		v = append(v, stamp(nanos(r.At))...)
		v = append(v, hex64(r.Seq)...)
		v = append(v, r.Body...)
		args = append(args, r.Key, v)
	}
	ks := []string{j.k.seq, j.k.events, j.k.eventsAt, j.k.replies, j.k.repliesAt}
	if l := j.fence.Load(); l != nil {
		ks = append(ks, l.key)
		args = append(args, l.value)
	}

	var res []int64
	var err error
	if j.o.WaitReplicas > 0 {
		res, err = j.appendAndWait(ctx, ks, args)
	} else {
		res, err = appendScript.Run(ctx, j.rdb, ks, args...).Int64Slice()
	}
	if err != nil {
		return fmt.Errorf("journal: append: %w", err)
	}
	if len(res) == 0 {
		return fmt.Errorf("journal: append: empty answer from the script")
	}
	switch res[0] {
	case 1, 2:
		return nil
	case 3:
		return journal.ErrNotLeader
	}
	var last int64
	if len(res) > 1 {
		last = res[1]
	}
	first := uint64(0)
	if len(b.Records) > 0 {
		first = b.Records[0].Seq
	}
	return fmt.Errorf("%w: have %d, batch of %d starts at %d", journal.ErrGap, last, len(b.Records), first)
}

// appendAndWait runs the script and WAIT over one connection, so WAIT
// counts the append's write.
func (j *Journal) appendAndWait(ctx context.Context, ks []string, args []any) ([]int64, error) {
	conn := j.rdb.(*goredis.Client).Conn()
	defer conn.Close()
	res, err := appendScript.Run(ctx, conn, ks, args...).Int64Slice()
	if err != nil || len(res) == 0 || res[0] == 0 {
		return res, err
	}
	// go-redis sends a command again after a network error, but on this
	// connection only: once it is broken every try fails, after a backoff
	// of up to a second each. The deadline stops them soon after WAIT's own
	// timeout, so the engine hears of the failure and reloads from the new
	// primary instead of waiting the retries out.
	wctx, cancel := context.WithTimeout(ctx, j.o.WaitTimeout+time.Second)
	defer cancel()
	n, err := conn.Wait(wctx, j.o.WaitReplicas, j.o.WaitTimeout).Result()
	if err != nil {
		return nil, fmt.Errorf("waiting for replicas: %w", err)
	}
	if n < int64(j.o.WaitReplicas) {
		return nil, fmt.Errorf("%d of %d replicas acknowledged within %v", n, j.o.WaitReplicas, j.o.WaitTimeout)
	}
	return res, nil
}

// Replay reads the stream a page at a time from the record after seq.
func (j *Journal) Replay(ctx context.Context, after uint64, fn func(journal.Record) error) error {
	next := after + 1
	for {
		msgs, err := j.rdb.XRangeN(ctx, j.k.events, strconv.FormatUint(next, 10), "+", replayPage).Result()
		if err != nil {
			return fmt.Errorf("journal: replay: %w", err)
		}
		for _, m := range msgs {
			r, err := decodeRecord(m)
			if err != nil {
				return err
			}
			if err := fn(r); err != nil {
				return err
			}
			next = r.Seq + 1
		}
		if len(msgs) < replayPage {
			return nil
		}
	}
}

// Tail reads the stream backwards.
func (j *Journal) Tail(ctx context.Context, n int) ([]journal.Record, error) {
	if n <= 0 {
		return nil, nil
	}
	msgs, err := j.rdb.XRevRangeN(ctx, j.k.events, "+", "-", int64(n)).Result()
	if err != nil {
		return nil, fmt.Errorf("journal: tail: %w", err)
	}
	out := make([]journal.Record, len(msgs))
	for i, m := range msgs {
		r, err := decodeRecord(m)
		if err != nil {
			return nil, err
		}
		out[len(msgs)-1-i] = r
	}
	return out, nil
}

func decodeRecord(m goredis.XMessage) (journal.Record, error) {
	id, _, _ := strings.Cut(m.ID, "-")
	seq, err := strconv.ParseUint(id, 10, 64)
	if err != nil {
		return journal.Record{}, fmt.Errorf("journal: event id %q: %w", m.ID, err)
	}
	at, err := strconv.ParseInt(fmt.Sprint(m.Values["at"]), 10, 64)
	if err != nil {
		return journal.Record{}, fmt.Errorf("journal: event %d stamp: %w", seq, err)
	}
	typ, _ := m.Values["type"].(string)
	data, _ := m.Values["data"].(string)
	return journal.Record{Seq: seq, At: time.Unix(0, at), Type: typ, Data: []byte(data)}, nil
}

// SeqBefore takes the greatest "<at><seq>" member below t's stamp: the
// latest record stamped before t, the highest seq among equal stamps.
func (j *Journal) SeqBefore(ctx context.Context, t time.Time) (uint64, error) {
	ms, err := j.rdb.ZRevRangeByLex(ctx, j.k.eventsAt, &goredis.ZRangeBy{
		Max: "(" + stamp(nanos(t)), Min: "-", Count: 1,
	}).Result()
	if err != nil {
		return 0, fmt.Errorf("journal: seq before %v: %w", t, err)
	}
	if len(ms) == 0 {
		return 0, nil
	}
	seq, err := unhex64(ms[0][16:])
	if err != nil {
		return 0, fmt.Errorf("journal: time index member %q: %w", ms[0], err)
	}
	return seq, nil
}

// Replies finds the keys answered since t through the time index, then
// their answers.
func (j *Journal) Replies(ctx context.Context, since time.Time) ([]journal.Reply, error) {
	ms, err := j.rdb.ZRangeByLex(ctx, j.k.repliesAt, &goredis.ZRangeBy{Min: "[" + stamp(nanos(since)), Max: "+"}).Result()
	if err != nil {
		return nil, fmt.Errorf("journal: replies: %w", err)
	}
	if len(ms) == 0 {
		return nil, nil
	}
	keys := make([]string, len(ms))
	for i, m := range ms {
		keys[i] = m[16:]
	}
	vals, err := j.rdb.HMGet(ctx, j.k.replies, keys...).Result()
	if err != nil {
		return nil, fmt.Errorf("journal: replies: %w", err)
	}
	out := make([]journal.Reply, 0, len(keys))
	for i, v := range vals {
		s, ok := v.(string)
		if !ok {
			continue // forgotten between the two reads
		}
		r, err := decodeReply(keys[i], s)
		if err != nil {
			return nil, err
		}
		if r.At.Before(since) {
			continue
		}
		out = append(out, r)
	}
	return out, nil
}

func decodeReply(key, v string) (journal.Reply, error) {
	if len(v) < 32 {
		return journal.Reply{}, fmt.Errorf("journal: reply %q is cut short", key)
	}
	at, err := unstamp(v[:16])
	if err != nil {
		return journal.Reply{}, fmt.Errorf("journal: reply %q stamp: %w", key, err)
	}
	seq, err := unhex64(v[16:32])
	if err != nil {
		return journal.Reply{}, fmt.Errorf("journal: reply %q seq: %w", key, err)
	}
	return journal.Reply{Key: key, Seq: seq, At: time.Unix(0, at), Body: []byte(v[32:])}, nil
}

// forgetScript deletes the replies indexed before a stamp, with their index
// entries, at once. KEYS: replies, replies:at. ARGV: the stamp.
var forgetScript = goredis.NewScript(`
local old = redis.call('ZRANGEBYLEX', KEYS[2], '-', '(' .. ARGV[1])
for _, m in ipairs(old) do
	redis.call('HDEL', KEYS[1], string.sub(m, 17))
end
redis.call('ZREMRANGEBYLEX', KEYS[2], '-', '(' .. ARGV[1])
return #old
`)

// ForgetReplies deletes the replies given before t.
func (j *Journal) ForgetReplies(ctx context.Context, before time.Time) error {
	err := forgetScript.Run(ctx, j.rdb, []string{j.k.replies, j.k.repliesAt}, stamp(nanos(before))).Err()
	if err != nil {
		return fmt.Errorf("journal: forget replies: %w", err)
	}
	return nil
}

// snapScript stores a snapshot and keeps the last ARGV[3], highest seq
// first, deleting the data of the others with their index entries.
// KEYS: snaps, snapdata. ARGV: seq, data, how many to keep.
var snapScript = goredis.NewScript(`
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
redis.call('ZADD', KEYS[1], ARGV[1], ARGV[1])
local keep = tonumber(ARGV[3])
for _, s in ipairs(redis.call('ZRANGE', KEYS[1], 0, -keep - 1)) do
	redis.call('HDEL', KEYS[2], s)
end
redis.call('ZREMRANGEBYRANK', KEYS[1], 0, -keep - 1)
return 1
`)

// SaveSnapshot stores the state as of seq and keeps the last
// journal.KeepSnapshots.
func (j *Journal) SaveSnapshot(ctx context.Context, seq uint64, state []byte) error {
	err := snapScript.Run(ctx, j.rdb, []string{j.k.snaps, j.k.snapData},
		strconv.FormatUint(seq, 10), state, journal.KeepSnapshots).Err()
	if err != nil {
		return fmt.Errorf("journal: save snapshot: %w", err)
	}
	return nil
}

// loadSnapsScript reads the snapshots kept in one step, newest first, so a
// save meanwhile cannot delete one between finding it and reading it.
// KEYS: snaps, snapdata. It answers seq, data, seq, data…; a seq whose data
// is missing comes with an empty string, which no engine takes for a state,
// rather than being left out unseen.
var loadSnapsScript = goredis.NewScript(`
local out = {}
for _, s in ipairs(redis.call('ZREVRANGE', KEYS[1], 0, -1)) do
	table.insert(out, s)
	table.insert(out, redis.call('HGET', KEYS[2], s) or '')
end
return out
`)

// LoadSnapshots returns the snapshots kept, newest first.
func (j *Journal) LoadSnapshots(ctx context.Context) ([]journal.Snapshot, error) {
	v, err := loadSnapsScript.Run(ctx, j.rdb, []string{j.k.snaps, j.k.snapData}).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("journal: load snapshots: %w", err)
	}
	var out []journal.Snapshot
	for i := 0; i+1 < len(v); i += 2 {
		seq, err := strconv.ParseUint(v[i], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("journal: snapshot %q: %w", v[i], err)
		}
		out = append(out, journal.Snapshot{Seq: seq, Data: []byte(v[i+1])})
	}
	return out, nil
}

// nanos is t in Unix nanoseconds, held to what an int64 can say (the zero
// time is "long ago", not an overflow).
func nanos(t time.Time) int64 {
	switch {
	case t.Before(time.Unix(0, math.MinInt64)):
		return math.MinInt64
	case t.After(time.Unix(0, math.MaxInt64)):
		return math.MaxInt64
	}
	return t.UnixNano()
}

// stamp is a time as 16 hex digits that sort by byte as the times do.
func stamp(ns int64) string { return hex64(uint64(ns) ^ 1<<63) }

func unstamp(s string) (int64, error) {
	u, err := unhex64(s)
	return int64(u ^ 1<<63), err
}

func hex64(u uint64) string {
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], u)
	return hex.EncodeToString(b[:])
}

func unhex64(s string) (uint64, error) {
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != 8 {
		return 0, fmt.Errorf("not 16 hex digits: %q", s)
	}
	return binary.BigEndian.Uint64(b), nil
}
