package uploads

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// BenchmarkPut2MB stores a 2 MB photo, each one new content, so every
// iteration writes, syncs and renames a file as a real upload does.
func BenchmarkPut2MB(b *testing.B) {
	s, _ := open(b, Limits{})
	photo := append(bytes.Clone(jpegFile[:11]), make([]byte, 2<<20-11)...)
	b.SetBytes(int64(len(photo)))
	for i := 0; b.Loop(); i++ {
		binary.BigEndian.PutUint64(photo[11:], uint64(i))
		if _, err := s.Put(bytes.NewReader(photo), "photo.jpg"); err != nil {
			b.Fatal(err)
		}
	}
}
