package engine_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/journal/sqlite"
	"hallfloor/queue"
)

// logBook keeps what a logger was told, for tests that check what the
// hall said about its start.
type logBook struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (l *logBook) Enabled(context.Context, slog.Level) bool { return true }
func (l *logBook) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *logBook) WithGroup(string) slog.Handler            { return l }

func (l *logBook) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs = append(l.recs, r.Clone())
	return nil
}

// passedOver lists the seq and the reason of each snapshot warned about.
func (l *logBook) passedOver() (seqs []uint64, reasons []string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.recs {
		if r.Level != slog.LevelWarn || !strings.HasPrefix(r.Message, "snapshot passed over") {
			continue
		}
		r.Attrs(func(a slog.Attr) bool {
			switch a.Key {
			case "seq":
				seqs = append(seqs, a.Value.Any().(uint64))
			case "err":
				reasons = append(reasons, fmt.Sprint(a.Value.Any()))
			}
			return true
		})
	}
	return seqs, reasons
}

// restoredFrom is the snapshot the hall said it started from, or -1 for
// the events alone.
func (l *logBook) restoredFrom(t *testing.T) int64 {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.recs {
		switch r.Message {
		case "hall restored from its events alone":
			return -1
		case "hall restored from a snapshot and the events after it":
			var from int64 = -2
			r.Attrs(func(a slog.Attr) bool {
				if a.Key == "snapshot" {
					from = int64(a.Value.Any().(uint64))
				}
				return true
			})
			return from
		}
	}
	t.Fatal("the hall never said where it was restored from")
	return 0
}

func (l *logBook) said(msg string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.ContainsFunc(l.recs, func(r slog.Record) bool { return strings.HasPrefix(r.Message, msg) })
}

// hideSnapshots shows a journal without its snapshots, so a load replays
// every event.
type hideSnapshots struct{ journal.Journal }

func (hideSnapshots) LoadSnapshots(context.Context) ([]journal.Snapshot, error) { return nil, nil }

// stateOfSnapshot is the JSON after a snapshot's header.
func stateOfSnapshot(t *testing.T, s journal.Snapshot) []byte {
	t.Helper()
	_, state, ok := bytes.Cut(s.Data, []byte("\n"))
	if !ok {
		t.Fatalf("snapshot %d has no header line", s.Seq)
	}
	return state
}

// TestRestorePassesOverBadSnapshots damages a hall's snapshots in every way
// a start can meet them and checks that the engine still opens, says which
// it passed over and why, and comes back to exactly the state the events
// alone give.
func TestRestorePassesOverBadSnapshots(t *testing.T) {
	setup := demoSetup()
	path := filepath.Join(t.TempDir(), "hall.db")
	clock := newClock(time.Date(2025, 3, 10, 20, 0, 0, 0, shanghai))
	h := startHall(t, path, setup, clock, &seqIDs{})
	d := newDriver(11)
	// Three shutdowns, three snapshots, with events between them.
	for range 2 {
		d.run(t, h, 200, 0)
		h = h.restart()
	}
	d.run(t, h, 200, 0)
	h.must(hall.Tick{})
	want := h.state()
	h.stop()

	orig, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer orig.Close()
	snaps, err := orig.LoadSnapshots(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(snaps) != journal.KeepSnapshots || snaps[0].Seq <= snaps[1].Seq || snaps[1].Seq <= snaps[2].Seq {
		t.Fatalf("want %d snapshots, newest first, got those of %v", journal.KeepSnapshots, seqsOf(snaps))
	}
	last := snaps[0].Seq
	replayed, err := engine.Load(context.Background(), hideSnapshots{orig}, setup)
	if err != nil {
		t.Fatal(err)
	}
	if got := jsonOf(t, replayed); got != want {
		t.Fatalf("the events alone give another state than the hall had %s", diff(want, got))
	}

	save := func(t *testing.T, j journal.Journal, seq uint64, data []byte) {
		t.Helper()
		if err := j.SaveSnapshot(context.Background(), seq, data); err != nil {
			t.Fatal(err)
		}
	}
	garbage := []byte("\x00\x17 not a snapshot")
	// A digit in the state changed: still JSON, of the same length, so
	// only the checksum tells.
	changed := func() []byte {
		b := bytes.Clone(snaps[0].Data)
		i := bytes.Index(b, []byte(`"seq":`)) + len(`"seq":`)
		b[i] = '0' + (b[i]-'0'+1)%10
		return b
	}
	// A sound snapshot of a state the journal never reached.
	ahead := func() []byte {
		st, err := engine.DecodeSnapshot(snaps[0].Seq, snaps[0].Data, setup)
		if err != nil {
			t.Fatal(err)
		}
		st.Seq = last + 10
		b, err := engine.EncodeSnapshot(st)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}

	// The same state as a build before format 3 saved it: one document.
	format2 := func() []byte {
		st, err := engine.DecodeSnapshot(snaps[0].Seq, snaps[0].Data, setup)
		if err != nil {
			t.Fatal(err)
		}
		b, err := json.Marshal(st)
		if err != nil {
			t.Fatal(err)
		}
		return engine.SealSnapshot(2, b)
	}
	// A ticket's line written twice, under a header that vouches for it.
	twice := func() []byte {
		body := stateOfSnapshot(t, snaps[0])
		lines := bytes.SplitAfter(body, []byte("\n"))
		if len(lines) < 3 {
			t.Fatalf("snapshot %d has no ticket lines", snaps[0].Seq)
		}
		return engine.SealSnapshot(engine.SnapshotFormat, append(bytes.Clone(body), lines[1]...))
	}

	tests := []struct {
		name       string
		damage     func(t *testing.T, j journal.Journal)
		passedOver []uint64
		why        string // in each warning
		from       int64  // the snapshot restored from, -1 the events alone
	}{
		{"sound snapshots", func(*testing.T, journal.Journal) {}, nil, "", int64(snaps[0].Seq)},
		{"newest is garbage", func(t *testing.T, j journal.Journal) {
			save(t, j, snaps[0].Seq, garbage)
		}, []uint64{snaps[0].Seq}, "no snapshot header", int64(snaps[1].Seq)},
		{"newest cut short", func(t *testing.T, j journal.Journal) {
			save(t, j, snaps[0].Seq, snaps[0].Data[:len(snaps[0].Data)/2])
		}, []uint64{snaps[0].Seq}, "cut short", int64(snaps[1].Seq)},
		{"newest with a digit changed", func(t *testing.T, j journal.Journal) {
			save(t, j, snaps[0].Seq, changed())
		}, []uint64{snaps[0].Seq}, "checksum", int64(snaps[1].Seq)},
		{"newest of format 2, read still", func(t *testing.T, j journal.Journal) {
			save(t, j, snaps[0].Seq, format2())
		}, nil, "", int64(snaps[0].Seq)},
		{"newest with a ticket twice", func(t *testing.T, j journal.Journal) {
			save(t, j, snaps[0].Seq, twice())
		}, []uint64{snaps[0].Seq}, "twice", int64(snaps[1].Seq)},
		{"newest of a future format", func(t *testing.T, j journal.Journal) {
			save(t, j, snaps[0].Seq, engine.SealSnapshot(engine.SnapshotFormat+1, stateOfSnapshot(t, snaps[0])))
		}, []uint64{snaps[0].Seq}, fmt.Sprintf("format %d", engine.SnapshotFormat+1), int64(snaps[1].Seq)},
		{"newest from before snapshots had a header", func(t *testing.T, j journal.Journal) {
			save(t, j, snaps[0].Seq, stateOfSnapshot(t, snaps[0]))
		}, []uint64{snaps[0].Seq}, "no snapshot header", int64(snaps[1].Seq)},
		{"newest holds another seq's state", func(t *testing.T, j journal.Journal) {
			save(t, j, snaps[0].Seq, snaps[1].Data)
		}, []uint64{snaps[0].Seq}, fmt.Sprintf("holds the state of seq %d", snaps[1].Seq), int64(snaps[1].Seq)},
		{"newest is past the journal's end", func(t *testing.T, j journal.Journal) {
			save(t, j, last+10, ahead())
		}, []uint64{last + 10}, "past the journal's last event", int64(snaps[0].Seq)},
		{"the two newest are garbage", func(t *testing.T, j journal.Journal) {
			save(t, j, snaps[0].Seq, garbage)
			save(t, j, snaps[1].Seq, []byte{})
		}, []uint64{snaps[0].Seq, snaps[1].Seq}, "no snapshot header", int64(snaps[2].Seq)},
		{"all are garbage", func(t *testing.T, j journal.Journal) {
			for _, s := range snaps {
				save(t, j, s.Seq, garbage)
			}
		}, seqsOf(snaps), "no snapshot header", -1},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Each case damages a copy of its own.
			cp := filepath.Join(t.TempDir(), fmt.Sprintf("hall-%d.db", i))
			if err := orig.BackupTo(context.Background(), cp); err != nil {
				t.Fatal(err)
			}
			j, err := sqlite.Open(cp)
			if err != nil {
				t.Fatal(err)
			}
			defer j.Close()
			tt.damage(t, j)

			book := &logBook{}
			e, err := engine.Open(context.Background(), engine.Options{Setup: setup, Journal: j, Clock: clock.Now, Logger: slog.New(book)})
			if err != nil {
				t.Fatalf("the engine refused to start: %v", err)
			}
			// Before Run, nothing has been added since the restore.
			if got := stateJSON(t, e); got != want {
				t.Fatalf("restored state differs from the events' %s", diff(want, got))
			}
			seqs, reasons := book.passedOver()
			if !slices.Equal(seqs, tt.passedOver) {
				t.Errorf("passed over snapshots %v, want %v (%q)", seqs, tt.passedOver, reasons)
			}
			for _, r := range reasons {
				if !strings.Contains(r, tt.why) {
					t.Errorf("passed over because %q; want it to say %q", r, tt.why)
				}
			}
			if got := book.restoredFrom(t); got != tt.from {
				t.Errorf("restored from %d, want %d (-1: the events alone)", got, tt.from)
			}
			if tt.from == -1 && !book.said("no sound snapshot") {
				t.Error("a restore from the events alone was not warned about")
			}
		})
	}
}

// A journal whose snapshots cannot even be listed still opens, from its
// events.
func TestRestoreWhenSnapshotsCannotBeListed(t *testing.T) {
	h := newHall(t)
	h.must(queue.IssueTicket{Service: "A"})
	h.must(queue.OpenWindow{Window: "1", Actor: clerk("1001")})
	h.must(queue.CallNext{Window: "1", Actor: clerk("1001")})
	want := h.state()
	h.stop()
	j, err := sqlite.Open(h.path)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	book := &logBook{}
	e, err := engine.Open(context.Background(), engine.Options{Setup: h.setup, Journal: brokenSnapshots{j}, Clock: h.clock.Now, Logger: slog.New(book)})
	if err != nil {
		t.Fatalf("the engine refused to start: %v", err)
	}
	if got := stateJSON(t, e); got != want {
		t.Fatalf("restored state differs %s", diff(want, got))
	}
	if !book.said("snapshots unreadable") || book.restoredFrom(t) != -1 {
		t.Fatal("the hall did not say it replayed the events alone, for want of snapshots")
	}
}

type brokenSnapshots struct{ journal.Journal }

func (brokenSnapshots) LoadSnapshots(context.Context) ([]journal.Snapshot, error) {
	return nil, fmt.Errorf("database disk image is malformed")
}

func seqsOf(snaps []journal.Snapshot) []uint64 {
	var out []uint64
	for _, s := range snaps {
		out = append(out, s.Seq)
	}
	return out
}

func jsonOf(t *testing.T, st *hall.State) string {
	t.Helper()
	b, err := json.Marshal(st)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
