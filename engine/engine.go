// Package engine is the single writer of a hall. Every command passes through
// one goroutine that decides it against the hall's rules, makes its events
// durable in the journal, applies them and only then answers and publishes
// them. Commands that arrive while a commit is under way are committed
// together in the next one, so fsyncs stay few under load.
package engine

import (
	"context"
	"crypto/rand"
	"encoding/base32"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/room"
)

// maxBatch bounds how many commands share one commit, so the first of them
// does not wait on an unbounded batch.
const maxBatch = 512

// replyTTL is how long an idempotent answer is kept for repeats.
const replyTTL = 24 * time.Hour

// snapshotEvery is how many events pass between snapshots.
const snapshotEvery = 5000

// ReplyFunc builds the answer to a command from the state after it applied.
// It runs inside the writer: it must be quick and must not keep s.
type ReplyFunc func(s *hall.State, setup *hall.Setup, out room.Outcome) any

// Options configure an engine.
type Options struct {
	Setup   *hall.Setup
	Journal journal.Journal
	Clock   func() time.Time // time.Now if nil
	NewID   func() string    // random ticket ids if nil
	Logger  *slog.Logger
	// CommitObserver, if set, is told how long each commit took and how many
	// commands it held (for metrics).
	CommitObserver func(d time.Duration, commands int)
	// SnapshotEvery is how many events pass between snapshots
	// (snapshotEvery if 0).
	SnapshotEvery int
	// Follower opens the engine not writing: it follows the journal
	// another node writes (see Follow) until told to Lead.
	Follower bool
	// OwnTicks leaves time's jobs (hall.Tick) to the caller, which issues
	// them at its own clock's moments (a simulation): the writer's real
	// minute then only checks the journal's health.
	OwnTicks bool
}

// Engine serialises all changes to one hall.
type Engine struct {
	setup    *hall.Setup
	journal  journal.Journal
	ownTicks bool // the caller issues hall.Tick (Options.OwnTicks)
	clock    func() time.Time
	newID    func() string
	log      *slog.Logger
	observe  func(time.Duration, int)

	cmds  chan *request
	reads chan func()
	done  chan struct{}

	// Owned by the writer goroutine.
	state       *hall.State
	replies     map[string]answered // by request key
	subscribers []Subscriber
	lost        bool // the journal's loss has been logged

	leading  atomic.Bool // this engine writes the hall (see follow.go)
	stepDown func()      // told when the journal refuses it as no leader
	deposed  int         // StepDowns so far, under leadMu
	// leadMu is its own lock, not mu: Lead checks deposed inside a read,
	// which before Run is made holding mu (the node may take the lease
	// before the writer loop has started).
	leadMu sync.Mutex

	snaps   *snapshotter
	pruning chan struct{}  // holds a token while old replies are deleted
	bg      sync.WaitGroup // the writer's helpers, done before Run returns

	mu      sync.Mutex // guards registration and reads before Run
	running bool
	stopped chan struct{}
}

type request struct {
	ctx   context.Context
	cmd   hall.Command
	key   string
	fp    string // the request's fingerprint, with key
	reply ReplyFunc
	done  chan Result
}

// Result is the answer to a command.
type Result struct {
	Body   []byte       // the reply, as JSON
	Events []room.Event // what the command changed (nil on a repeat)
	Repeat bool         // an earlier request with the same key answered
	Err    error
}

// Open restores the hall from the journal: the latest snapshot, then every
// event after it.
func Open(ctx context.Context, o Options) (*Engine, error) {
	e := &Engine{
		setup:    o.Setup,
		ownTicks: o.OwnTicks,
		journal:  o.Journal,
		clock:    o.Clock,
		newID:    o.NewID,
		log:      o.Logger,
		observe:  o.CommitObserver,
		cmds:     make(chan *request, 4096),
		reads:    make(chan func(), 1024),
		done:     make(chan struct{}),
		stopped:  make(chan struct{}),
		pruning:  make(chan struct{}, 1),
	}
	e.leading.Store(!o.Follower)
	if e.clock == nil {
		e.clock = time.Now
	}
	if e.newID == nil {
		e.newID = RandomID
	}
	if e.log == nil {
		e.log = slog.Default()
	}
	// The writer's state and the snapshotter's copy, rebuilt side by side.
	sts, err := loadN(ctx, e.journal, e.setup, e.log, 2)
	if err != nil {
		return nil, err
	}
	e.state = sts[0]
	every := o.SnapshotEvery
	if every <= 0 {
		every = snapshotEvery
	}
	e.snaps = newSnapshotter(sts[1], e.setup, e.journal, e.log, every)
	if err := e.loadReplies(ctx); err != nil {
		return nil, err
	}
	return e, nil
}

// RandomID is an unguessable ticket id: 80 random bits, lower-case base32.
func RandomID() string {
	var b [10]byte
	rand.Read(b[:])
	return strings.ToLower(base32.StdEncoding.EncodeToString(b[:]))
}

func (e *Engine) restore(ctx context.Context) error {
	st, err := load(ctx, e.journal, e.setup, e.log)
	if err != nil {
		return err
	}
	e.state = st
	return e.loadReplies(ctx)
}

// loadReplies remembers the idempotent answers of the last replyTTL.
func (e *Engine) loadReplies(ctx context.Context) error {
	reps, err := e.journal.Replies(ctx, e.clock().Add(-replyTTL))
	if err != nil {
		return err
	}
	e.replies = make(map[string]answered, len(reps))
	for _, r := range reps {
		key, fp := splitKey(r.Key)
		if old, ok := e.replies[key]; ok && old.At.After(r.At) {
			continue // the later answer of a key answered again after a day
		}
		e.replies[key] = answered{r, fp}
	}
	return nil
}

// Setup is the hall's fixed shape.
func (e *Engine) Setup() *hall.Setup { return e.setup }

// Subscriber receives every committed batch of events, in order, with the
// state they led to. It runs inside the writer: it must not block or keep s.
type Subscriber func(s *hall.State, events []room.Event)

// Subscribe registers fn. Call before Run.
func (e *Engine) Subscribe(fn Subscriber) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.subscribers = append(e.subscribers, fn)
}

// ObserveCommits registers fn to be told each commit's latency and size.
// Call before Run.
func (e *Engine) ObserveCommits(fn func(d time.Duration, commands int)) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.observe = fn
}

// Run is the writer loop; it returns when ctx ends, after a final snapshot.
func (e *Engine) Run(ctx context.Context) {
	defer close(e.stopped)
	e.mu.Lock()
	e.running = true
	e.mu.Unlock()
	e.bg.Go(e.snaps.run)
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	e.rollover()
	for {
		select {
		case <-ctx.Done():
			close(e.done)
			e.snaps.close()
			e.bg.Wait()
			return
		case r := <-e.cmds:
			batch := []*request{r}
		drain:
			for len(batch) < maxBatch {
				select {
				case r := <-e.cmds:
					batch = append(batch, r)
				default:
					break drain
				}
			}
			e.process(batch)
		case fn := <-e.reads:
			fn()
		case <-tick.C:
			// An idle hall says so too, before anyone is refused.
			if err := e.Health(); err != nil {
				e.journalLost(err)
			}
			if !e.ownTicks {
				e.rollover()
			}
		}
	}
}

// Wait blocks until Run has returned.
func (e *Engine) Wait() { <-e.stopped }

// Do runs a command. key, if not empty, makes it idempotent: a repeat within
// a day returns the first answer and changes nothing.
func (e *Engine) Do(ctx context.Context, cmd hall.Command, key string, reply ReplyFunc) Result {
	return e.DoOnce(ctx, cmd, Once{Key: key}, reply)
}

// submit queues a request and waits for its answer.
func (e *Engine) submit(ctx context.Context, r *request) Result {
	select {
	case e.cmds <- r:
	case <-ctx.Done():
		return Result{Err: errs.Internalf("abandoned", "request abandoned: %v", ctx.Err())}
	case <-e.done:
		return Result{Err: errs.Internalf("shutting_down", "the hall is shutting down")}
	}
	// Once queued, the command will be decided; wait for its fate even if
	// the caller gives up, so an acknowledged command is never in doubt.
	select {
	case res := <-r.done:
		return res
	case <-e.stopped:
		select {
		case res := <-r.done:
			return res
		default:
			return Result{Err: errs.Internalf("shutting_down", "the hall is shutting down")}
		}
	}
}

// Read runs fn on the committed state, inside the writer, and waits for it.
// fn must be quick and must not keep the state.
func (e *Engine) Read(ctx context.Context, fn func(s *hall.State, setup *hall.Setup)) error {
	e.mu.Lock()
	if !e.running {
		// Before Run nobody else touches the state: read it here.
		defer e.mu.Unlock()
		fn(e.state, e.setup)
		return nil
	}
	e.mu.Unlock()
	done := make(chan struct{})
	f := func() { fn(e.state, e.setup); close(done) }
	select {
	case e.reads <- f:
	case <-ctx.Done():
		return errs.Internalf("abandoned", "read abandoned: %v", ctx.Err())
	case <-e.done:
		return errs.Internalf("shutting_down", "the hall is shutting down")
	}
	select {
	case <-done:
		return nil
	case <-e.stopped:
		return errs.Internalf("shutting_down", "the hall is shutting down")
	}
}

type pending struct {
	req    *request
	events []room.Event
	body   []byte
	err    error
	repeat bool
}

// process decides and applies a batch of commands, commits their events in
// one transaction, then answers and publishes.
func (e *Engine) process(batch []*request) {
	if !e.Leading() {
		// Another node writes the hall; what this one decided would be
		// refused by the journal, or worse, fork what the screens see.
		for _, r := range batch {
			r.done <- Result{Err: NoLeader()}
		}
		return
	}
	if err := e.Health(); err != nil {
		// Nothing decided now could be made durable: refuse before
		// deciding, so the state stays what the journal holds.
		e.journalLost(err)
		for _, r := range batch {
			r.done <- Result{Err: err}
		}
		return
	}
	var b journal.Batch
	results := make([]pending, len(batch))
	var all []room.Event
	for i, r := range batch {
		p := &results[i]
		p.req = r
		now := e.now()
		if r.key != "" {
			// Within replyTTL only, which is what a restart remembers.
			if rep, ok := e.replies[r.key]; ok && !rep.At.Before(now.Add(-replyTTL)) {
				p.body, p.err = repeat(rep, r.fp)
				p.repeat = p.err == nil
				continue
			}
		}
		day := e.state.Day()
		out, evs, err := e.state.Run(e.setup, r.cmd, room.Env{Now: now, NewID: e.newID})
		p.events = evs
		if e.state.Day() != day {
			e.forgetReplies(now)
		}
		if err != nil {
			p.err = err
		} else {
			if out.Refusal != nil {
				// Refused, but what it recorded stands (a wrong pickup code
				// counts towards the lockout); a repeat is decided afresh.
				p.err = out.Refusal
			} else if r.reply != nil {
				body, jerr := json.Marshal(r.reply(e.state, e.setup, out))
				if jerr != nil {
					p.err = errs.Wrap(jerr, "encode reply")
				}
				p.body = body
			}
		}
		for _, ev := range p.events {
			rec, err := encode(ev)
			if err != nil {
				// Events are our own types; this cannot fail short of a bug.
				panic(err)
			}
			b.Records = append(b.Records, rec)
		}
		all = append(all, p.events...)
		if r.key != "" && p.err == nil {
			rep := journal.Reply{Key: joinKey(e.state.Seq, r.key, r.fp), Seq: e.state.Seq, At: now, Body: p.body}
			e.replies[r.key] = answered{rep, r.fp}
			b.Replies = append(b.Replies, rep)
		}
	}
	if len(b.Records) > 0 || len(b.Replies) > 0 {
		start := time.Now()
		err := e.journal.Append(context.Background(), b)
		if e.observe != nil {
			e.observe(time.Since(start), len(batch))
		}
		if err != nil {
			e.failBatch(results, err)
			return
		}
		e.snaps.feed(b.Records)
	}
	for i := range results {
		p := &results[i]
		p.req.done <- Result{Body: p.body, Events: p.events, Repeat: p.repeat, Err: p.err}
	}
	if len(all) > 0 {
		for _, fn := range e.subscribers {
			fn(e.state, all)
		}
	}
}

// failBatch answers every command of a batch that could not be made durable
// and puts the state back to what the journal holds, so nothing unjournaled
// is ever shown or built upon.
func (e *Engine) failBatch(results []pending, err error) {
	e.log.Error("journal append failed; batch refused", "err", err, "commands", len(results))
	answer := err
	if errors.Is(err, journal.ErrNotLeader) {
		// Nothing was stored: another node writes the hall. Each caller
		// may try again at the leader, with its Idempotency-Key.
		e.notLeader()
		answer = NoLeader()
	} else if je, ok := errs.As(err); !ok || je.Reason == "" {
		// A journal that says why (its file is gone) is answered with its reason.
		answer = errs.Wrap(err, "the hall could not record this; try again")
	}
	for i := range results {
		results[i].req.done <- Result{Err: answer}
	}
	if rerr := e.restore(context.Background()); rerr != nil {
		// Without a trustworthy state the hall must not go on deciding.
		panic(fmt.Sprintf("engine: journal failed (%v) and cannot be reloaded: %v", err, rerr))
	}
}

// Health is nil while the journal can make commits durable where the next
// start will find them; the journal's refusal otherwise (its file deleted
// or replaced under the hall). Safe to call from any goroutine.
func (e *Engine) Health() error {
	if c, ok := e.journal.(journal.Checker); ok {
		return c.Check()
	}
	return nil
}

// journalLost says once, loudly, that the hall stopped acknowledging.
func (e *Engine) journalLost(err error) {
	if e.lost {
		return
	}
	e.lost = true
	e.log.Error("the journal is lost; no command is acknowledged until it is restored and the hall restarted", "err", err)
}

// forgetReplies drops answers too old to be repeated, as a restart would
// (restore loads only the last replyTTL), so a repeat is answered the same
// whether or not the hall restarted, and neither the map nor the journal's
// table grows for ever.
//
// The journal's rows are deleted beside the writer: a day of a big hall's
// answers took the writer half a second to delete at midnight, and every
// command waited. Nothing depends on when they go, since the writer's map
// is what answers repeats and a restart reads only the last replyTTL.
func (e *Engine) forgetReplies(now time.Time) {
	cut := now.Add(-replyTTL)
	for k, r := range e.replies {
		if r.At.Before(cut) {
			delete(e.replies, k)
		}
	}
	select {
	case e.pruning <- struct{}{}:
	default:
		return // a deletion is still under way; the next day's takes these too
	}
	e.bg.Go(func() {
		defer func() { <-e.pruning }()
		if err := e.journal.ForgetReplies(context.Background(), cut); err != nil {
			e.log.Warn("old idempotent answers stay in the journal for now", "err", err)
		}
	})
}

// now is the clock in the hall's zone, which is also how Load stamps
// replayed events; In drops the monotonic reading, which a replay cannot have.
func (e *Engine) now() time.Time { return e.clock().In(e.setup.Location()) }

func encode(ev room.Event) (journal.Record, error) {
	data, err := json.Marshal(ev.Data)
	if err != nil {
		return journal.Record{}, err
	}
	return journal.Record{Seq: ev.Seq, At: ev.At, Type: ev.Data.Type(), Data: data}, nil
}

// rollover starts a new day when the clock has passed midnight, even if no
// command arrives, so screens and estimates never show yesterday.
func (e *Engine) rollover() {
	if !e.Leading() {
		return // the leader's clock makes the day; its events come here
	}
	// Time alone also makes things due: overtime at a session's end, expired
	// rating prompts, overdue follow-ups, the handover reminder.
	now := e.clock()
	if !hall.Due(e.state, e.setup, now) {
		return
	}
	e.process([]*request{{ctx: context.Background(), cmd: hall.Tick{}, done: make(chan Result, 1)}})
}
