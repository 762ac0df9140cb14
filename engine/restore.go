package engine

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"log/slog"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/queue"
	"hallfloor/room"
)

// A snapshot is a header line, then the state as JSON:
//
//	hallfloor-snapshot 3 crc32c=1a2b3c4d len=123456
//	{"seq":5000,"queue":{…,"tickets":null,…},…}
//	{"id":"…","number":"A001",…}
//	{"id":"…","number":"A002",…}
//
// The state comes first without the queue's tickets, then each ticket on a
// line of its own, in the order of their ids: a big hall's day is some
// 15,000 tickets, nearly all of a snapshot, and written one by one they let
// the snapshotter step aside for the writer between them (see
// snapshotEncoder).
//
// The format says how the state is encoded, so a build never reads a state
// another build encoded differently. The length and the checksum (CRC-32C
// of everything after the header) catch a torn or damaged write that JSON
// alone may not: a snapshot cut short is invalid JSON only by luck of where
// it was cut, and a digit changed is still JSON.
//
// The header is text before the JSON, not a JSON envelope around it, on
// purpose: a build from before the header reads a snapshot as bare state
// JSON, and would take an envelope for a state with nothing in it, then
// replay only the events after it: a hall that silently forgot its past.
// Faced with text it refuses to start instead, as it always has with a
// snapshot it cannot read.
const snapshotMagic = "hallfloor-snapshot"

// snapshotFormat is how this build encodes the state in a snapshot. Raise
// it when hall.State's JSON changes so that an earlier snapshot would come
// back as a different state (a field renamed, a meaning changed); a field
// added that starts empty needs no new format. A snapshot of a format this
// build does not read is passed over, and the events rebuild the state
// instead.
//
// Format 2: a service's total time served (the one mean the dashboard, the
// windows and the reports share) is a running sum that an earlier snapshot
// lacks, and a wrong try at a locker carries when it is forgotten; both
// must be rebuilt from the events, not started empty.
//
// Format 3: format 2's state, with the tickets on lines after it. A format
// 2 snapshot holds the same state in one document and is read still.
const snapshotFormat = 3

// readsFormat says whether this build reads snapshots of the format.
func readsFormat(format int) bool { return format == 2 || format == snapshotFormat }

// ticketsPerStep is how many tickets the encoder writes between two
// yields: some 80 KB of JSON, well under a millisecond of work.
const ticketsPerStep = 256

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// snapshotEncoder encodes states as this build stores them in a snapshot,
// into buffers it keeps from one snapshot to the next.
//
// Encoding a big hall's state in one json.Marshal held a processor for a
// tenth of a second and allocated several times the snapshot's size; while
// the collector that allocation set off held the other processor, every
// command waited for the encoder's time slice, up to 40 ms. Written ticket
// by ticket, with yield called between steps, the writer runs between them,
// and the buffers, grown once, are not allocated again.
type snapshotEncoder struct {
	body, out bytes.Buffer
	yield     func() // between steps; runtime.Gosched in the snapshotter
}

// encode returns the snapshot of st, valid until the next encode.
func (e *snapshotEncoder) encode(st *hall.State) ([]byte, error) {
	e.body.Reset()
	enc := json.NewEncoder(&e.body)
	// The state without its tickets: shallow copies, so st is not touched.
	head, q := *st, *st.Queue
	q.Tickets = nil
	head.Queue = &q
	if err := enc.Encode(&head); err != nil {
		return nil, err
	}
	ids := slices.Sorted(maps.Keys(st.Queue.Tickets))
	for i, id := range ids {
		if i%ticketsPerStep == 0 && e.yield != nil {
			e.yield()
		}
		if err := enc.Encode(st.Queue.Tickets[id]); err != nil {
			return nil, err
		}
	}
	e.out.Reset()
	e.out.WriteString(snapshotHeader(snapshotFormat, e.body.Bytes()))
	e.out.Write(e.body.Bytes())
	return e.out.Bytes(), nil
}

// encodeSnapshot is the state as this build stores it in a snapshot, in a
// buffer of its own.
func encodeSnapshot(st *hall.State) ([]byte, error) {
	var e snapshotEncoder
	b, err := e.encode(st)
	return bytes.Clone(b), err
}

// sealSnapshot puts the header of the given format before the state.
func sealSnapshot(format int, state []byte) []byte {
	head := snapshotHeader(format, state)
	return append(append(make([]byte, 0, len(head)+len(state)), head...), state...)
}

// snapshotHeader is the header line of a snapshot of the format holding state.
func snapshotHeader(format int, state []byte) string {
	return fmt.Sprintf("%s %d crc32c=%08x len=%d\n", snapshotMagic, format, crc32.Checksum(state, castagnoli), len(state))
}

// openSnapshot checks a snapshot's header against its contents and
// returns its format and what follows the header.
func openSnapshot(b []byte) (int, []byte, error) {
	head, state, ok := bytes.Cut(b, []byte("\n"))
	f := strings.Fields(string(head))
	if !ok || len(f) < 2 || f[0] != snapshotMagic {
		return 0, nil, errors.New("no snapshot header: not a snapshot, or one from before snapshots had a header")
	}
	// The format first: another format's header may say other things.
	format, err := strconv.Atoi(f[1])
	if err != nil {
		return 0, nil, fmt.Errorf("snapshot format %q unreadable", f[1])
	}
	if !readsFormat(format) {
		return 0, nil, fmt.Errorf("snapshot of format %d; this build reads formats 2 to %d", format, snapshotFormat)
	}
	if len(f) != 4 {
		return 0, nil, fmt.Errorf("snapshot header %q unreadable", head)
	}
	var sum uint32
	var n int
	if _, err := fmt.Sscanf(f[2]+" "+f[3], "crc32c=%x len=%d", &sum, &n); err != nil {
		return 0, nil, fmt.Errorf("snapshot header %q unreadable: %w", head, err)
	}
	if len(state) != n {
		return 0, nil, fmt.Errorf("snapshot of %d bytes holds %d: cut short or run on", n, len(state))
	}
	if got := crc32.Checksum(state, castagnoli); got != sum {
		return 0, nil, fmt.Errorf("snapshot damaged: checksum %08x, its header says %08x", got, sum)
	}
	return format, state, nil
}

// Load rebuilds a hall's state from a journal: from the newest sound
// snapshot and the events after it, or from the events alone. What it
// passes over it logs on slog's default logger.
func Load(ctx context.Context, j journal.Journal, setup *hall.Setup) (*hall.State, error) {
	return load(ctx, j, setup, slog.Default())
}

// load is Load, logging on log.
func load(ctx context.Context, j journal.Journal, setup *hall.Setup, log *slog.Logger) (*hall.State, error) {
	sts, err := loadN(ctx, j, setup, log, 1)
	if err != nil {
		return nil, err
	}
	return sts[0], nil
}

// loadN rebuilds n copies of the state that share nothing, in one pass
// over the journal. A snapshot only shortens the replay; the
// events are the truth. So a snapshot that cannot be trusted (unreadable,
// damaged, of another format, or of a state the journal never reached) is
// passed over, with a warning, for the next older one, and when none is
// left the events are replayed from the first: a bad snapshot costs time
// at start, never the start, and every way in reaches the same state.
func loadN(ctx context.Context, j journal.Journal, setup *hall.Setup, log *slog.Logger, n int) ([]*hall.State, error) {
	snaps, err := j.LoadSnapshots(ctx)
	if err != nil {
		log.Warn("snapshots unreadable; replaying the journal from its first event", "err", err)
		snaps = nil
	}
	var last uint64
	if len(snaps) > 0 {
		tail, err := j.Tail(ctx, 1)
		if err != nil {
			return nil, err
		}
		if len(tail) == 1 {
			last = tail[0].Seq
		}
	}
	for _, s := range snaps {
		sts, err := decodeSnapshots(s, setup, last, n)
		if err != nil {
			log.Warn("snapshot passed over; trying an older one", "seq", s.Seq, "err", err)
			continue
		}
		k, err := replay(ctx, j, setup, sts...)
		if err != nil {
			return nil, err
		}
		log.Info("hall restored from a snapshot and the events after it", "snapshot", s.Seq, "events", k)
		return sts, nil
	}
	if len(snaps) > 0 {
		log.Warn("no sound snapshot; replaying the journal from its first event", "passed_over", len(snaps))
	}
	sts := make([]*hall.State, n)
	for i := range sts {
		sts[i] = hall.NewState(setup)
	}
	k, err := replay(ctx, j, setup, sts...)
	if err != nil {
		return nil, err
	}
	log.Info("hall restored from its events alone", "events", k)
	return sts, nil
}

// decodeSnapshots decodes a snapshot n times at once, one copy on each
// core the machine has to spare: a second copy costs a restart little.
func decodeSnapshots(s journal.Snapshot, setup *hall.Setup, last uint64, n int) ([]*hall.State, error) {
	sts := make([]*hall.State, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range sts {
		wg.Go(func() { sts[i], errs[i] = decodeSnapshot(s, setup, last) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return sts, nil
}

// decodeSnapshot is the state a snapshot holds, if it can be trusted with
// a journal whose last event is last.
func decodeSnapshot(s journal.Snapshot, setup *hall.Setup, last uint64) (*hall.State, error) {
	// The writer would go on from a state the journal does not hold, and
	// each of its appends would be refused as a gap.
	if s.Seq > last {
		return nil, fmt.Errorf("snapshot of seq %d, past the journal's last event %d", s.Seq, last)
	}
	format, data, err := openSnapshot(s.Data)
	if err != nil {
		return nil, err
	}
	st, err := decodeState(format, data)
	if err != nil {
		return nil, err
	}
	if st.Seq != s.Seq {
		return nil, fmt.Errorf("snapshot filed under seq %d holds the state of seq %d", s.Seq, st.Seq)
	}
	st.Adopt(setup)
	return st, nil
}

// decodeState reads the state of a snapshot of the format from what
// follows its header.
func decodeState(format int, data []byte) (*hall.State, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	st := &hall.State{}
	if err := dec.Decode(st); err != nil {
		return nil, fmt.Errorf("snapshot state unreadable: %w", err)
	}
	if format == 2 {
		if dec.More() {
			return nil, errors.New("snapshot state unreadable: more after the state")
		}
		return st, nil
	}
	if st.Queue == nil {
		return nil, errors.New("snapshot state unreadable: no queue")
	}
	if st.Queue.Tickets != nil {
		return nil, errors.New("snapshot state unreadable: tickets inside the state, not after it")
	}
	st.Queue.Tickets = map[string]*queue.Ticket{}
	for dec.More() {
		t := &queue.Ticket{}
		if err := dec.Decode(t); err != nil {
			return nil, fmt.Errorf("snapshot ticket %d unreadable: %w", len(st.Queue.Tickets)+1, err)
		}
		if _, dup := st.Queue.Tickets[t.ID]; dup || t.ID == "" {
			return nil, fmt.Errorf("snapshot ticket %d unreadable: id %q empty or twice", len(st.Queue.Tickets)+1, t.ID)
		}
		st.Queue.Tickets[t.ID] = t
	}
	return st, nil
}

// replay applies the journal's events after the states' (all at the same
// seq) to each of them, and says how many. Each state gets an event decoded
// for it alone, so no two share what Apply may keep and change.
func replay(ctx context.Context, j journal.Journal, setup *hall.Setup, sts ...*hall.State) (int, error) {
	n := 0
	err := j.Replay(ctx, sts[0].Seq, func(r journal.Record) error {
		for _, st := range sts {
			ev, err := DecodeRecord(r)
			if err != nil {
				return err
			}
			// The journal keeps the instant, not the zone: stamp it as the
			// engine stamped it live, so a replayed state is the same to the byte.
			ev.At = ev.At.In(setup.Location())
			st.Apply(ev)
		}
		n++
		return nil
	})
	return n, err
}

// DecodeRecord turns a journal record into an event.
func DecodeRecord(r journal.Record) (room.Event, error) {
	p, err := room.Decode(r.Type, r.Data)
	if err != nil {
		return room.Event{}, fmt.Errorf("engine: event %d: %w", r.Seq, err)
	}
	return room.Event{Seq: r.Seq, At: r.At, Data: p}, nil
}
