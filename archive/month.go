package archive

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"hallfloor/journal"
)

// A month's archive is two files in the archive directory:
//
//	hall-<id>-2026-11.jsonl.gz    gzip members, one per turn of archiving,
//	                              each a JSON line per event
//	hall-<id>-2026-11.manifest    a line per member:
//	                              offset length sha256 first-seq last-seq events
//
// A member is written and synced before its manifest line, and the
// manifest line before the events leave the journal: bytes past the last
// manifest line are a turn cut short, cut off at the next turn; a member
// whose bytes do not match its checksum is damage, and reading the month
// says so rather than print a partial history.

// line is one archived event.
type line struct {
	Seq  uint64          `json:"seq"`
	At   time.Time       `json:"at"`
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

// member is one manifest line.
type member struct {
	Offset, Length int64
	Sum            string
	First, Last    uint64
	Events         int
}

func (m member) String() string {
	return fmt.Sprintf("%d %d %s %d %d %d\n", m.Offset, m.Length, m.Sum, m.First, m.Last, m.Events)
}

// Month names a month's archive: the hall and the month in the hall's zone.
type Month struct {
	Dir   string // the archive directory
	Hall  string
	Month string // 2026-11
}

func (m Month) base() string { return filepath.Join(m.Dir, "hall-"+m.Hall+"-"+m.Month) }

// Data is the archive's file of events; Manifest its list of members.
func (m Month) Data() string     { return m.base() + ".jsonl.gz" }
func (m Month) Manifest() string { return m.base() + ".manifest" }

// members reads the manifest; none when the month has no archive yet.
func (m Month) members() ([]member, error) {
	b, err := os.ReadFile(m.Manifest())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []member
	for i, l := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if l == "" {
			continue
		}
		var mb member
		if _, err := fmt.Sscanf(l, "%d %d %s %d %d %d", &mb.Offset, &mb.Length, &mb.Sum, &mb.First, &mb.Last, &mb.Events); err != nil {
			return nil, fmt.Errorf("archive %s line %d unreadable: %w", m.Manifest(), i+1, err)
		}
		out = append(out, mb)
	}
	return out, nil
}

// appendEvents writes recs as a new member of the month's archive and
// lists it in the manifest, each synced before the next step.
func (m Month) appendEvents(recs []journal.Record) error {
	ms, err := m.members()
	if err != nil {
		return err
	}
	var end int64
	if len(ms) > 0 {
		last := ms[len(ms)-1]
		end = last.Offset + last.Length
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	for _, r := range recs {
		b, err := json.Marshal(line{Seq: r.Seq, At: r.At.UTC(), Type: r.Type, Data: r.Data})
		if err != nil {
			return fmt.Errorf("archive: event %d: %w", r.Seq, err)
		}
		zw.Write(append(b, '\n'))
	}
	if err := zw.Close(); err != nil {
		return err
	}
	sum := sha256.Sum256(buf.Bytes())
	mb := member{Offset: end, Length: int64(buf.Len()), Sum: hex.EncodeToString(sum[:]),
		First: recs[0].Seq, Last: recs[len(recs)-1].Seq, Events: len(recs)}
	if err := writeAt(m.Data(), end, buf.Bytes()); err != nil {
		return err
	}
	return appendSynced(m.Manifest(), []byte(mb.String()))
}

// writeAt cuts the file to off (what a turn cut short left past it) and
// writes b there, synced.
func writeAt(path string, off int64, b []byte) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(off); err != nil {
		return err
	}
	if _, err := f.WriteAt(b, off); err != nil {
		return err
	}
	return f.Sync()
}

func appendSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o640)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ErrDamaged is a month's archive that does not match its manifest.
var ErrDamaged = errors.New("archive damaged")

// Read calls fn for each event of the month's archive, in order, after
// checking each member against its checksum.
func (m Month) Read(fn func(journal.Record) error) error {
	ms, err := m.members()
	if err != nil {
		return err
	}
	if len(ms) == 0 {
		return fmt.Errorf("no archive of hall %s for %s in %s", m.Hall, m.Month, m.Dir)
	}
	f, err := os.Open(m.Data())
	if err != nil {
		return err
	}
	defer f.Close()
	for i, mb := range ms {
		buf := make([]byte, mb.Length)
		if _, err := f.ReadAt(buf, mb.Offset); err != nil {
			return fmt.Errorf("%w: %s: part %d (events %d–%d) cut short: %v", ErrDamaged, m.Data(), i+1, mb.First, mb.Last, err)
		}
		if sum := sha256.Sum256(buf); hex.EncodeToString(sum[:]) != mb.Sum {
			return fmt.Errorf("%w: %s: part %d (events %d–%d) does not match its checksum", ErrDamaged, m.Data(), i+1, mb.First, mb.Last)
		}
		if err := readMember(buf, mb, fn); err != nil {
			return fmt.Errorf("%s: part %d: %w", m.Data(), i+1, err)
		}
	}
	return nil
}

func readMember(b []byte, mb member, fn func(journal.Record) error) error {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	zr.Multistream(false)
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64*1024), 16<<20)
	n := 0
	for sc.Scan() {
		var l line
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return fmt.Errorf("%w: event line %d: %v", ErrDamaged, n+1, err)
		}
		n++
		if err := fn(journal.Record{Seq: l.Seq, At: l.At, Type: l.Type, Data: l.Data}); err != nil {
			return err
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("%w: %v", ErrDamaged, err)
	}
	if n != mb.Events {
		return fmt.Errorf("%w: %d events where the manifest lists %d", ErrDamaged, n, mb.Events)
	}
	return nil
}

// Months lists the months archived for a hall in dir, oldest first.
func Months(dir, hall string) ([]string, error) {
	names, err := filepath.Glob(filepath.Join(dir, "hall-"+hall+"-*.manifest"))
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range names {
		mo := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(n), "hall-"+hall+"-"), ".manifest")
		if _, err := time.Parse("2006-01", mo); err == nil {
			out = append(out, mo)
		}
	}
	slices.Sort(out)
	return out, nil
}

// lastArchived is the highest seq any of the hall's months lists.
func lastArchived(dir, hall string) (uint64, error) {
	months, err := Months(dir, hall)
	if err != nil {
		return 0, err
	}
	var last uint64
	for _, mo := range months {
		ms, err := Month{Dir: dir, Hall: hall, Month: mo}.members()
		if err != nil {
			return 0, err
		}
		for _, mb := range ms {
			last = max(last, mb.Last)
		}
	}
	return last, nil
}
