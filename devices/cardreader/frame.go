package cardreader

import (
	"bytes"
	"errors"
	"fmt"
)

// The serial framing of the 居民身份证 readers' SAM modules (the 公安部
// 身份证阅读器 SAM protocol, UART at 115200 8N1 by default). Both ways a
// frame is
//
//	AA AA AA 96 69 | LEN1 LEN2 | payload | CHK
//
// where the five-byte preamble synchronises and opens the frame, LEN1 LEN2
// (high byte first) count the payload and the checksum, and CHK is the XOR
// of every byte after the preamble before it. The host's payload is CMD
// PARA data; the reader's is SW1 SW2 SW3 data, SW3 being its own status.

// Preamble opens every frame.
var Preamble = []byte{0xAA, 0xAA, 0xAA, 0x96, 0x69}

// MaxLen bounds a frame's length field: the longest answer, the card's
// text and photo, is 1295 bytes; anything far beyond is noise.
const MaxLen = 4096

// The ways a frame can be wrong. A reader's bytes that fail are dropped up
// to the next preamble.
var (
	ErrChecksum = errors.New("cardreader: frame checksum does not match")
	ErrLength   = errors.New("cardreader: frame length out of range")
)

// Encode frames a payload.
func Encode(payload []byte) []byte {
	n := len(payload) + 1
	out := make([]byte, 0, len(Preamble)+2+n)
	out = append(out, Preamble...)
	out = append(out, byte(n>>8), byte(n))
	out = append(out, payload...)
	return append(out, checksum(out[len(Preamble):]))
}

func checksum(b []byte) byte {
	var x byte
	for _, c := range b {
		x ^= c
	}
	return x
}

// Split takes the first frame out of buf, a stream's bytes as they came.
// It returns the frame's payload and the bytes after it; no payload and
// the bytes to keep (from the preamble on) when the frame is not complete
// yet; or an error with the bytes left after the broken frame's preamble,
// to look for the next one in. Bytes before a preamble are line noise and
// are dropped.
func Split(buf []byte) (payload, rest []byte, err error) {
	i := bytes.Index(buf, Preamble)
	if i < 0 {
		// Keep a tail that may be the start of a preamble cut in two.
		return nil, preambleTail(buf), nil
	}
	buf = buf[i:]
	head := len(Preamble) + 2
	if len(buf) < head {
		return nil, buf, nil
	}
	n := int(buf[len(Preamble)])<<8 | int(buf[len(Preamble)+1])
	if n < 2 || n > MaxLen {
		return nil, buf[len(Preamble):], fmt.Errorf("%w: %d", ErrLength, n)
	}
	if len(buf) < head+n {
		return nil, buf, nil
	}
	body := buf[len(Preamble) : head+n-1]
	if checksum(body) != buf[head+n-1] {
		return nil, buf[len(Preamble):], ErrChecksum
	}
	return bytes.Clone(body[2:]), buf[head+n:], nil
}

// preambleTail is the end of buf that could begin a preamble.
func preambleTail(buf []byte) []byte {
	for k := min(len(Preamble)-1, len(buf)); k > 0; k-- {
		if bytes.Equal(buf[len(buf)-k:], Preamble[:k]) {
			return buf[len(buf)-k:]
		}
	}
	return nil
}
