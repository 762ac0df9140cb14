// Package uploads is the hall's store of the files applicants upload: the
// photos and PDFs of the materials a case's 免跑腿信封 still lacks. A file
// is kept once, under the hex SHA-256 of its content, in the data
// directory, so a case refers to a material by its hash and the same photo
// sent twice costs one copy.
//
// The store checks only the file itself: its size, its type as judged by
// its content (never by its name), and its name as given, kept for display.
// Which case may hold which file is the hall's business, not the store's.
package uploads

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"hallfloor/errs"
)

// Limits bound what is stored. Zero values mean the defaults: MaxBytes 10 MiB; Types image/jpeg, image/png, application/pdf.
type Limits struct {
	MaxBytes int64
	Types    []string
}

// The defaults fit a phone's photo of a document and a scanned PDF of a
// few pages; other types (office files, archives) are refused because the
// back office opens uploads in a browser and those carry macros or worse.
const (
	defaultMaxBytes = 10 << 20
	maxNameRunes    = 100
)

var defaultTypes = []string{"image/jpeg", "image/png", "application/pdf"}

// File is a stored upload.
type File struct {
	Hash string `json:"hash"` // hex SHA-256 of the content
	Size int64  `json:"size"`
	Type string `json:"type"` // the MIME type detected from the content, never from the name
	Name string `json:"name"` // the original base name as given, checked (for display only)
}

// Store keeps uploads in one directory: dir/<first 2 hex>/<hash>, the two
// hex digits spreading files over 256 folders so no folder grows huge.
// A Store is safe for concurrent use: files are written under temp names
// and renamed into place, and a rename onto an identical file is harmless.
type Store struct {
	dir    string
	limits Limits
}

// tempPrefix marks files being written. Only Put writes them and only
// Open removes them, so a name with this prefix in dir is always either
// in flight or left by a crash.
const tempPrefix = ".put-"

// Open opens the store in dir, creating it, and removes the temp files a
// crash left half written. Call it once at start, before any Put: a temp
// file of a Put running meanwhile would be removed under it.
func Open(dir string, l Limits) (*Store, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, errs.Wrap(err, "uploads: create %s", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, errs.Wrap(err, "uploads: read %s", dir)
	}
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), tempPrefix) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
				return nil, errs.Wrap(err, "uploads: remove leftover %s", e.Name())
			}
		}
	}
	return &Store{dir: dir, limits: withDefaults(l)}, nil
}

func withDefaults(l Limits) Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = defaultMaxBytes
	}
	var types []string
	for _, t := range l.Types {
		t = strings.ToLower(strings.TrimSpace(t))
		if t != "" && !slices.Contains(types, t) {
			types = append(types, t)
		}
	}
	if len(types) == 0 {
		types = slices.Clone(defaultTypes)
	}
	l.Types = types
	return l
}

// Limits reports the store's limits with the defaults filled in.
func (s *Store) Limits() Limits {
	l := s.limits
	l.Types = slices.Clone(l.Types)
	return l
}

// Put stores what r holds under the hash of its content and reports it.
// It refuses, storing nothing, a name that is not a plain base name, an
// empty file, a file whose content is not of an allowed type, and a file
// over MaxBytes; it reads no more than MaxBytes+1 bytes of r, so a huge
// body costs the hall nothing past the limit.
func (s *Store) Put(r io.Reader, name string) (File, error) {
	if !goodName(name) {
		return File{}, errs.Bad("file", "upload_name", "max", maxNameRunes)
	}
	// The type is judged before anything is written: a refused type
	// costs one read of the first bytes, not the whole body.
	head := make([]byte, min(sniffLen, s.limits.MaxBytes+1))
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.EOF && err != io.ErrUnexpectedEOF {
		return File{}, s.readError(err)
	}
	head = head[:n]
	if n == 0 {
		return File{}, errs.Bad("file", "upload_empty")
	}
	typ := detect(head)
	if !slices.Contains(s.limits.Types, typ) {
		return File{}, errs.Bad("file", "upload_type", "type", shortType(typ), "allowed", s.allowedWords())
	}
	if int64(n) > s.limits.MaxBytes {
		return File{}, s.tooLarge()
	}

	tmp, err := os.CreateTemp(s.dir, tempPrefix+"*")
	if err != nil {
		return File{}, errs.Wrap(err, "uploads: create temp in %s", s.dir)
	}
	kept := false
	defer func() {
		if !kept {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	sum := sha256.New()
	size, err := s.copyLimited(io.MultiWriter(tmp, sum), head, r)
	if err != nil {
		return File{}, err
	}
	if err := tmp.Sync(); err != nil {
		return File{}, errs.Wrap(err, "uploads: sync %s", tmp.Name())
	}
	if err := tmp.Close(); err != nil {
		return File{}, errs.Wrap(err, "uploads: close %s", tmp.Name())
	}
	f := File{Hash: hex.EncodeToString(sum.Sum(nil)), Size: size, Type: typ, Name: name}
	if err := s.place(tmp.Name(), f); err != nil {
		return File{}, err
	}
	kept = true
	return f, nil
}

// copyLimited writes head and then the rest of r to w, reading at most
// MaxBytes+1 bytes in all, and tells a body too large, or one that broke
// off, from a failure of the disk.
func (s *Store) copyLimited(w io.Writer, head []byte, r io.Reader) (int64, error) {
	if _, err := w.Write(head); err != nil {
		return 0, errs.Wrap(err, "uploads: write")
	}
	src := &readErr{r: io.LimitReader(r, s.limits.MaxBytes+1-int64(len(head)))}
	n, err := io.Copy(w, src)
	if src.err != nil {
		return 0, s.readError(src.err)
	}
	if err != nil {
		return 0, errs.Wrap(err, "uploads: write")
	}
	size := int64(len(head)) + n
	if size > s.limits.MaxBytes {
		return 0, s.tooLarge()
	}
	return size, nil
}

// readErr remembers the error of the reader, so that a copy's error can be
// laid at the applicant's connection or at the hall's disk.
type readErr struct {
	r   io.Reader
	err error
}

func (e *readErr) Read(p []byte) (int, error) {
	n, err := e.r.Read(p)
	if err != nil && err != io.EOF {
		e.err = err
	}
	return n, err
}

func (s *Store) readError(err error) error {
	// The edge may cap the body itself with http.MaxBytesReader; that
	// is the same refusal as ours.
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return s.tooLarge()
	}
	e := errs.Bad("file", "body_unreadable")
	e.Err = err
	return e
}

func (s *Store) tooLarge() error {
	mb := math.Round(float64(s.limits.MaxBytes)/(1<<20)*100) / 100
	return errs.Bad("file", "upload_too_large", "max", strconv.FormatFloat(mb, 'f', -1, 64))
}

// place renames the synced temp file to its hash name and syncs the
// folders, so that after a crash a hash name holds the whole file or
// nothing.
func (s *Store) place(tmp string, f File) error {
	sub := filepath.Join(s.dir, f.Hash[:2])
	final := filepath.Join(sub, f.Hash)
	if fi, err := os.Stat(final); err == nil && fi.Mode().IsRegular() && fi.Size() == f.Size {
		// Already kept: the same content has the same hash. The temp
		// file goes; a file of another size under the name is damage
		// and is replaced below.
		os.Remove(tmp)
		return nil
	}
	created := false
	if _, err := os.Stat(sub); errors.Is(err, fs.ErrNotExist) {
		if err := os.Mkdir(sub, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
			return errs.Wrap(err, "uploads: create %s", sub)
		}
		created = true
	}
	if err := os.Rename(tmp, final); err != nil {
		return errs.Wrap(err, "uploads: rename to %s", final)
	}
	if err := syncDir(sub); err != nil {
		return err
	}
	if created {
		return syncDir(s.dir)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return errs.Wrap(err, "uploads: open %s", dir)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return errs.Wrap(err, "uploads: sync %s", dir)
	}
	return nil
}

// Open opens the stored file with the hash, with its size and its type
// detected again from the content (the Name is not kept and is empty). An
// unknown or malformed hash is NotFound; a malformed one never reaches
// the filesystem.
func (s *Store) Open(hash string) (io.ReadSeekCloser, File, error) {
	if !goodHash(hash) {
		return nil, File{}, errs.R(errs.NotFound, "upload_not_found")
	}
	f, err := os.Open(s.path(hash))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, File{}, errs.R(errs.NotFound, "upload_not_found")
	}
	if err != nil {
		return nil, File{}, errs.Wrap(err, "uploads: open %s", hash)
	}
	fi, err := f.Stat()
	if err != nil || !fi.Mode().IsRegular() {
		f.Close()
		if err == nil {
			return nil, File{}, errs.R(errs.NotFound, "upload_not_found")
		}
		return nil, File{}, errs.Wrap(err, "uploads: stat %s", hash)
	}
	head := make([]byte, sniffLen)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		f.Close()
		return nil, File{}, errs.Wrap(err, "uploads: read %s", hash)
	}
	return f, File{Hash: hash, Size: fi.Size(), Type: detect(head[:n])}, nil
}

// Has reports whether a file with the hash is stored.
func (s *Store) Has(hash string) bool {
	if !goodHash(hash) {
		return false
	}
	fi, err := os.Stat(s.path(hash))
	return err == nil && fi.Mode().IsRegular()
}

func (s *Store) path(hash string) string {
	return filepath.Join(s.dir, hash[:2], hash)
}

// goodHash admits exactly what Put names files by: 64 lowercase hex
// digits. Nothing else can name a path, so "../x" or an absolute path
// cannot leave dir.
func goodHash(h string) bool {
	if len(h) != sha256.Size*2 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func (s *Store) allowedWords() string {
	words := make([]string, len(s.limits.Types))
	for i, t := range s.limits.Types {
		words[i] = shortType(t)
	}
	return strings.Join(words, ", ")
}
