package cardreader

import (
	"bytes"
	"errors"
	"testing"
)

// A frame as a reader sends it: the preamble, the length of the payload
// and checksum, the payload, the XOR of everything after the preamble.
func TestEncodeFrame(t *testing.T) {
	got := Encode([]byte{0x00, 0x00, 0x90})
	want := []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69, 0x00, 0x04, 0x00, 0x00, 0x90, 0x94}
	if !bytes.Equal(got, want) {
		t.Fatalf("Encode = % X, want % X", got, want)
	}
}

func TestSplitGoodFrame(t *testing.T) {
	frame := Encode(Find.Payload())
	payload, rest, err := Split(append([]byte{0x00, 0x13}, append(frame, 0xAA)...))
	if err != nil || !bytes.Equal(payload, Find.Payload()) {
		t.Fatalf("Split = % X, %v", payload, err)
	}
	if !bytes.Equal(rest, []byte{0xAA}) {
		t.Fatalf("rest % X, want the next frame's first byte", rest)
	}
}

func TestSplitBadChecksum(t *testing.T) {
	frame := Encode([]byte{0x00, 0x00, 0x9F})
	frame[len(frame)-1] ^= 0xFF
	good := Encode([]byte{0x00, 0x00, 0x80})
	payload, rest, err := Split(append(frame, good...))
	if !errors.Is(err, ErrChecksum) || payload != nil {
		t.Fatalf("Split = % X, %v; want ErrChecksum", payload, err)
	}
	// The stream goes on with the next frame.
	payload, _, err = Split(rest)
	if err != nil || !bytes.Equal(payload, []byte{0x00, 0x00, 0x80}) {
		t.Fatalf("after the bad frame: % X, %v", payload, err)
	}
}

func TestSplitBadLength(t *testing.T) {
	if _, _, err := Split(append(bytes.Clone(Preamble), 0xFF, 0xFF, 0x00)); !errors.Is(err, ErrLength) {
		t.Fatalf("a length of 65535: %v", err)
	}
	if _, _, err := Split(append(bytes.Clone(Preamble), 0x00, 0x01, 0x01)); !errors.Is(err, ErrLength) {
		t.Fatalf("a length of 1 (no payload): %v", err)
	}
}

// A frame cut anywhere waits for the rest; bytes before the preamble, and
// a preamble cut in two, are kept only as far as they may start a frame.
func TestSplitPartialFrames(t *testing.T) {
	frame := append([]byte{0x55}, Encode(ReadBase.Payload())...)
	for cut := 0; cut < len(frame); cut++ {
		payload, rest, err := Split(frame[:cut])
		if err != nil || payload != nil {
			t.Fatalf("cut at %d: % X, %v", cut, payload, err)
		}
		payload, _, err = Split(append(bytes.Clone(rest), frame[cut:]...))
		if err != nil || !bytes.Equal(payload, ReadBase.Payload()) {
			t.Fatalf("cut at %d, then the rest: % X, %v", cut, payload, err)
		}
	}
}

func TestIDNumberFromBaseText(t *testing.T) {
	const id = "11010519491231002X"
	got, err := IDNumber(BaseText(id))
	if err != nil || got != id {
		t.Fatalf("IDNumber = %q, %v", got, err)
	}
	if _, err := IDNumber(BaseText(id)[:100]); !errors.Is(err, ErrNoText) {
		t.Fatalf("a short text: %v", err)
	}
}
