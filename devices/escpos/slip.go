// Package escpos prints the kiosk's ticket slip on an ESC/POS thermal
// printer (80 mm or 58 mm roll) and reads the printer's real-time status.
//
// The frames written, all from the ESC/POS command set the printers sold
// for kiosks speak (Epson's, and the Chinese makers' that follow it):
//
//	ESC @          1B 40            initialise: forget the last slip's modes
//	FS &           1C 26            enter Chinese mode: text bytes are GB18030
//	ESC a n        1B 61 n          align: 0 left, 1 centre
//	ESC E n        1B 45 n          bold on (1) or off (0)
//	GS ! n         1D 21 n          character size: width-1 in bits 4-6, height-1 in bits 0-2
//	text LF        … 0A             print the line and feed
//	GS ( k         1D 28 6B pL pH cn fn …, cn = 49 (QR code):
//	               fn 65 (04 00 31 41 n1 n2)  model: n1 = 50, model 2
//	               fn 67 (03 00 31 43 n)      module size in dots, 1-16
//	               fn 69 (03 00 31 45 n)      error correction: 48 L, 49 M, 50 Q, 51 H
//	               fn 80 (pL pH 31 50 30 d…)  store the data, pL+256·pH = len(d)+3
//	               fn 81 (03 00 31 51 30)     print the stored symbol
//	ESC d n        1B 64 n          feed n lines
//	GS V 66 n      1D 56 42 n       feed to the cutter (plus n dots) and cut, leaving a hinge
//
// and the status asked (status.go):
//
//	DLE EOT n      10 04 n          n = 1 printer, 2 offline cause, 3 error cause, 4 paper sensors
package escpos

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

	"hallfloor/errs"
)

// Slip is what a ticket's slip says, worded already (Chinese, as the
// kiosk's own slip): the printer is given lines, not a ticket.
type Slip struct {
	Hall    string   // the hall's name, at the top
	HallEN  string   // its English name, under it
	Label   string   // 您的号码
	Number  string   // the ticket's number, large
	Service string   // the service's name
	Lines   []string // people ahead, the estimate, or where a 咨询号 waits
	QR      string   // the ticket page's address, as a QR code
	Note    string   // under the code: 扫码查看排队进度
	NoteEN  string   // the note in English
	Time    string   // when it was issued, in the hall's zone
}

// Paper widths in dots at 203 dpi.
const (
	Dots80 = 576
	Dots58 = 384
)

// Command bytes.
const (
	esc = 0x1B
	fs  = 0x1C
	gs  = 0x1D
	dle = 0x10
	eot = 0x04
	lf  = 0x0A
)

// Sizes for GS !: width and height factors 1-8.
func size(w, h int) byte { return byte((w-1)<<4 | (h - 1)) }

// Encoder turns slips into a printer's bytes.
type Encoder struct {
	dots int
	enc  encoding.Encoding
}

// NewEncoder is an encoder for a printer dots wide (Dots80 when 0) whose
// Chinese text is in encoding: GB18030 ("" too), or GBK, its older subset,
// which some printers name instead (config.PrinterEncodings).
func NewEncoder(dots int, enc string) (*Encoder, error) {
	if dots == 0 {
		dots = Dots80
	}
	e := &Encoder{dots: dots, enc: simplifiedchinese.GB18030}
	switch strings.ToUpper(enc) {
	case "", "GB18030":
	case "GBK":
		e.enc = simplifiedchinese.GBK
	default:
		return nil, errs.Bad("encoding", "printer_encoding", "encoding", enc)
	}
	return e, nil
}

// Encode is the slip's bytes: from the printer's initialisation to the cut.
func (e *Encoder) Encode(s Slip) ([]byte, error) {
	var b bytes.Buffer
	b.Write([]byte{esc, '@', fs, '&', esc, 'a', 1})
	type line struct {
		text string
		size byte
		bold bool
	}
	head := []line{{s.Hall, e.fit(s.Hall, 2), true}, {s.HallEN, size(1, 1), false}}
	ticket := []line{{s.Label, size(1, 1), false}, {s.Number, e.numberSize(), true}, {s.Service, e.fit(s.Service, 2), true}}
	for i, group := range [][]line{head, ticket} {
		if i > 0 {
			b.WriteByte(lf) // a blank line between the hall and the ticket
		}
		for _, l := range group {
			if err := e.line(&b, l.text, l.size, l.bold); err != nil {
				return nil, err
			}
		}
	}
	for _, l := range s.Lines {
		if err := e.line(&b, l, size(1, 1), false); err != nil {
			return nil, err
		}
	}
	if s.QR != "" {
		b.WriteByte(lf)
		e.qr(&b, s.QR)
	}
	for _, l := range []string{s.Note, s.NoteEN, s.Time} {
		if err := e.line(&b, l, size(1, 1), false); err != nil {
			return nil, err
		}
	}
	b.Write([]byte{esc, 'd', 3, gs, 'V', 66, 0})
	return b.Bytes(), nil
}

// line writes one centred line in a size, "" writing nothing.
func (e *Encoder) line(b *bytes.Buffer, text string, sz byte, bold bool) error {
	if text == "" {
		return nil
	}
	// A slip is printed, never interpreted: a control byte in a hall's
	// or a service's name must not reach the printer as a command.
	text = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7F {
			return ' '
		}
		return r
	}, text)
	enc, err := e.enc.NewEncoder().Bytes([]byte(text))
	if err != nil {
		return errs.Wrap(err, "encode the slip's text")
	}
	b.Write([]byte{gs, '!', sz, esc, 'E', boolByte(bold)})
	b.Write(enc)
	b.WriteByte(lf)
	b.Write([]byte{gs, '!', 0, esc, 'E', 0})
	return nil
}

// fit is the largest size up to max times that keeps text on one line: a
// Chinese character is 24 dots wide in the printer's font A, a letter 12.
func (e *Encoder) fit(text string, max int) byte {
	w := 0
	for _, r := range text {
		if r < utf8.RuneSelf {
			w += 12
		} else {
			w += 24
		}
	}
	for f := max; f > 1; f-- {
		if w*f <= e.dots {
			return size(f, f)
		}
	}
	return size(1, 1)
}

// numberSize is the ticket number's: four times on 80 mm paper, three on 58.
func (e *Encoder) numberSize() byte {
	if e.dots >= Dots80 {
		return size(4, 4)
	}
	return size(3, 3)
}

// qr writes the printer's own QR code of data: model 2, error correction
// M, modules as large as keep a ticket link within half the paper.
func (e *Encoder) qr(b *bytes.Buffer, data string) {
	module := byte(min(max(e.dots/72, 3), 8))
	n := len(data) + 3
	b.Write([]byte{gs, '(', 'k', 4, 0, 49, 65, 50, 0})
	b.Write([]byte{gs, '(', 'k', 3, 0, 49, 67, module})
	b.Write([]byte{gs, '(', 'k', 3, 0, 49, 69, 49})
	b.Write([]byte{gs, '(', 'k', byte(n), byte(n >> 8), 49, 80, 48})
	b.WriteString(data)
	b.Write([]byte{gs, '(', 'k', 3, 0, 49, 81, 48})
	b.WriteByte(lf)
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}
