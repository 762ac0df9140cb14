package cardreader

import (
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf16"
)

// Command is a host's request: CMD and PARA.
type Command struct{ Cmd, Para byte }

// The commands the server sends, in the order a card is read.
var (
	// Find asks whether a card is in the field (寻找证/卡).
	Find = Command{0x20, 0x01}
	// Select selects the card found (选取证/卡).
	Select = Command{0x20, 0x02}
	// ReadBase reads the card's text and photo (读基本信息).
	ReadBase = Command{0x30, 0x01}
)

// Payload is the command's frame payload.
func (c Command) Payload() []byte { return []byte{c.Cmd, c.Para} }

// The reader's own status (SW3) in the answers the server acts on.
const (
	StatusOK       = 0x90 // done
	StatusFound    = 0x9F // a card is in the field
	StatusNoCard   = 0x80 // no card found
	StatusNoSelect = 0x81 // the card could not be selected (taken away)
	StatusReadFail = 0x41 // the card could not be read
	StatusChecksum = 0x10 // the reader got a frame with a bad checksum
)

// Answer is a reader's reply: its status and data.
type Answer struct {
	SW1, SW2, SW3 byte
	Data          []byte
}

// ParseAnswer reads a reader's payload.
func ParseAnswer(payload []byte) (Answer, error) {
	if len(payload) < 3 {
		return Answer{}, fmt.Errorf("%w: an answer of %d bytes has no status", ErrLength, len(payload))
	}
	return Answer{SW1: payload[0], SW2: payload[1], SW3: payload[2], Data: payload[3:]}, nil
}

// Payload is the answer's frame payload.
func (a Answer) Payload() []byte {
	return append([]byte{a.SW1, a.SW2, a.SW3}, a.Data...)
}

// The card's text (256 bytes of UCS-2, little-endian) holds its fields at
// fixed places: name 30 bytes, sex 2, nation 4, birth date 16, address
// 70, then the ID number's 36 (18 characters), issuing office, validity.
const (
	textLen     = 256
	idNumberAt  = 30 + 2 + 4 + 16 + 70
	idNumberLen = 36
)

// ErrNoText is a ReadBase answer too short to hold the card's text.
var ErrNoText = errors.New("cardreader: the card's answer holds no text")

// IDNumber takes the ID number out of a ReadBase answer's data: the
// text's and the photo's lengths (2 bytes each, high first), the text,
// the photo. The photo (a compressed, SAM-decoded bitmap) is not read.
func IDNumber(data []byte) (string, error) {
	if len(data) < 4 {
		return "", ErrNoText
	}
	n := int(binary.BigEndian.Uint16(data))
	if n < idNumberAt+idNumberLen || len(data) < 4+n {
		return "", ErrNoText
	}
	field := data[4+idNumberAt : 4+idNumberAt+idNumberLen]
	units := make([]uint16, 0, idNumberLen/2)
	for i := 0; i < len(field); i += 2 {
		u := binary.LittleEndian.Uint16(field[i:])
		if u == 0 || u == ' ' {
			break
		}
		units = append(units, u)
	}
	return string(utf16.Decode(units)), nil
}

// BaseText builds a ReadBase answer's data holding an ID number and no
// photo, as a reader does for a card: what the simulator answers.
func BaseText(number string) []byte {
	text := make([]byte, textLen)
	for i := range text {
		if i%2 == 0 {
			text[i] = ' ' // a field's unused characters are spaces
		}
	}
	for i, u := range utf16.Encode([]rune(number)) {
		if 2*i >= idNumberLen {
			break
		}
		binary.LittleEndian.PutUint16(text[idNumberAt+2*i:], u)
	}
	out := make([]byte, 4, 4+textLen)
	binary.BigEndian.PutUint16(out, textLen)
	return append(out, text...)
}
