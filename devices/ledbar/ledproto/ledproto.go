// Package ledproto is the line protocol between the server and the
// controllers of the LED bars over the windows: its requests and answers,
// encoded and parsed, for the driver (devices/ledbar) and the simulated
// controller (devices/ledbar/ledsim) alike.
package ledproto

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"

	"hallfloor/errs"
)

// The protocol between the server and an LED bars' controller, one line
// each way (docs/DEVICES.md, "LED bars"):
//
//	SHOW <bar> <line>[TAB<line>…]CRLF   the bar shows these lines, as pages or scrolled
//	PING CRLF                          are you there?
//	OK[ <info>] CRLF                   done, or here I am
//	ERR <reason>[ <detail>] CRLF       refused: no_bar, bad_request, bad_text, busy
//
// The server sends one request and waits for its answer before the next,
// so an answer needs no tag and silence is noticed at once. Verbs and
// answers are ASCII; the text is in the controller's encoding. In GB18030
// every byte of a multi-byte character is 0x30 or above, so CR, LF, TAB and
// space never occur inside a character and a line is split on bytes.

// The verbs of a request.
const (
	Show = "SHOW"
	Ping = "PING"
)

// MaxLine is the longest line either side sends, CRLF included; a
// controller's receive buffer is small.
const MaxLine = 512

// lineSep separates a bar's lines within a SHOW.
const lineSep = '\t'

// Encoding is how a controller takes the text: GB18030, which the Chinese
// fonts of the controllers sold here are indexed by (it covers GB2312 and
// GBK), or UTF-8.
type Encoding struct {
	Name string
	enc  encoding.Encoding // nil for UTF-8
}

// GB18030 and UTF8 are the encodings a controller may take.
var (
	GB18030 = Encoding{Name: "GB18030", enc: simplifiedchinese.GB18030}
	UTF8    = Encoding{Name: "UTF-8"}
)

// ParseEncoding names an encoding as the hall file gives it; empty is
// GB18030.
func ParseEncoding(name string) (Encoding, error) {
	switch strings.ToUpper(name) {
	case "", "GB18030":
		return GB18030, nil
	case "UTF-8", "UTF8":
		return UTF8, nil
	}
	return Encoding{}, errs.Bad("encoding", "led_encoding", "encoding", name)
}

func (e Encoding) encode(s string) ([]byte, error) {
	if e.enc == nil {
		return []byte(s), nil
	}
	return e.enc.NewEncoder().Bytes([]byte(s))
}

func (e Encoding) decode(b []byte) (string, error) {
	if e.enc == nil {
		if !utf8.Valid(b) {
			return "", errs.Bad("text", "led_request")
		}
		return string(b), nil
	}
	s, err := e.enc.NewDecoder().Bytes(b)
	if err != nil {
		return "", errs.Bad("text", "led_request")
	}
	return string(s), nil
}

// Request is one request to a controller.
type Request struct {
	Verb  string   // Show or Ping
	Bar   int      // SHOW: the bar's number on its controller, 1-255
	Lines []string // SHOW: what the bar shows, each line fitted to its width
}

// Encode is the request as sent. A control character in the text (which
// would end the line or split it) is sent as a space.
func (r Request) Encode(enc Encoding) ([]byte, error) {
	switch r.Verb {
	case Ping:
		return []byte(Ping + "\r\n"), nil
	case Show:
	default:
		return nil, errs.Bad("verb", "led_request", "verb", r.Verb)
	}
	if r.Bar < 1 || r.Bar > 255 {
		return nil, errs.Bad("bar", "led_request", "bar", r.Bar)
	}
	lines := make([]string, len(r.Lines))
	for i, l := range r.Lines {
		lines[i] = strings.Map(printable, l)
	}
	text, err := enc.encode(strings.Join(lines, string(lineSep)))
	if err != nil {
		return nil, errs.Bad("text", "led_request")
	}
	b := make([]byte, 0, len(text)+12)
	b = append(b, Show+" "...)
	b = strconv.AppendInt(b, int64(r.Bar), 10)
	b = append(b, ' ')
	b = append(b, text...)
	b = append(b, "\r\n"...)
	if len(b) > MaxLine {
		return nil, errs.Bad("text", "led_text_too_long", "bytes", len(b), "max", MaxLine)
	}
	return b, nil
}

func printable(r rune) rune {
	if r < 0x20 || r == 0x7f {
		return ' '
	}
	return r
}

// ParseRequest reads a request line, CRLF (or LF) taken off or not, as a
// controller does.
func ParseRequest(line []byte, enc Encoding) (Request, error) {
	line = trimEOL(line)
	verb, rest, _ := bytes.Cut(line, []byte{' '})
	switch string(verb) {
	case Ping:
		if len(rest) > 0 {
			return Request{}, errs.Bad("request", "led_request")
		}
		return Request{Verb: Ping}, nil
	case Show:
	default:
		return Request{}, errs.Bad("verb", "led_request", "verb", string(verb))
	}
	num, text, ok := bytes.Cut(rest, []byte{' '})
	bar, err := strconv.Atoi(string(num))
	if !ok || err != nil || bar < 1 || bar > 255 {
		return Request{}, errs.Bad("bar", "led_request", "bar", string(num))
	}
	s, err := enc.decode(text)
	if err != nil {
		return Request{}, err
	}
	return Request{Verb: Show, Bar: bar, Lines: strings.Split(s, string(lineSep))}, nil
}

// Answer is a controller's answer to one request.
type Answer struct {
	OK bool
	// Reason is an ERR's code: no_bar, bad_request, bad_text, busy, or the
	// controller's own.
	Reason string
	// Detail is the rest of the line: an OK's info, an ERR's explanation.
	Detail string
}

// The reasons of an ERR the simulator gives and the protocol names.
const (
	ErrNoBar      = "no_bar"
	ErrBadRequest = "bad_request"
	ErrBadText    = "bad_text"
	ErrBusy       = "busy"
)

// Encode is the answer as a controller sends it.
func (a Answer) Encode() []byte {
	s := "OK"
	if !a.OK {
		s = "ERR " + a.Reason
	}
	if a.Detail != "" {
		s += " " + strings.Map(printable, a.Detail)
	}
	return []byte(s + "\r\n")
}

// ParseAnswer reads an answer line, CRLF taken off or not.
func ParseAnswer(line []byte) (Answer, error) {
	line = trimEOL(line)
	if !utf8.Valid(line) {
		return Answer{}, errs.Bad("answer", "led_answer")
	}
	word, rest, _ := strings.Cut(string(line), " ")
	switch word {
	case "OK":
		return Answer{OK: true, Detail: rest}, nil
	case "ERR":
		reason, detail, _ := strings.Cut(rest, " ")
		if reason == "" {
			return Answer{}, errs.Bad("answer", "led_answer")
		}
		return Answer{Reason: reason, Detail: detail}, nil
	}
	return Answer{}, errs.Bad("answer", "led_answer")
}

func trimEOL(b []byte) []byte {
	b = bytes.TrimSuffix(b, []byte{'\n'})
	return bytes.TrimSuffix(b, []byte{'\r'})
}
