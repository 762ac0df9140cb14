// Package escposim is a fake ESC/POS slip printer: a TCP listener that
// reads what a driver sends as a printer would (the commands escpos
// writes), answers the real-time status queries with the faults it is
// given, and draws the slips it received. The demo hall's "sim" printer
// and the tests print on it.
package escposim

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Slip is one slip as the printer received it, up to its cut.
type Slip struct {
	Items []Item
	Cut   bool
	// Unknown lists the commands the printer did not know, as hex.
	Unknown []string
}

// Item is a printed line, a QR code or a feed.
type Item struct {
	Text          string // the line, decoded
	Width, Height int    // character size factors, 1-8
	Bold          bool
	Centre        bool
	QR            string // a QR code's data
	Module        int    // a QR code's module size in dots
	Feed          int    // lines fed
}

// Lines are the slip's printed lines.
func (s Slip) Lines() []string {
	var out []string
	for _, it := range s.Items {
		if it.Text != "" {
			out = append(out, it.Text)
		}
	}
	return out
}

// QRs are the data of the slip's QR codes.
func (s Slip) QRs() []string {
	var out []string
	for _, it := range s.Items {
		if it.QR != "" {
			out = append(out, it.QR)
		}
	}
	return out
}

// Largest is the line printed largest: the ticket's number.
func (s Slip) Largest() string {
	best, area := "", 0
	for _, it := range s.Items {
		if it.Text != "" && it.Width*it.Height > area {
			best, area = it.Text, it.Width*it.Height
		}
	}
	return best
}

// Parse reads the slips in b, each up to its cut; bytes after the last
// cut make a last slip without one.
func Parse(b []byte) ([]Slip, error) {
	var out []Slip
	p := newParser(func(s Slip) { out = append(out, s) }, nil)
	err := p.run(bufio.NewReader(bytes.NewReader(b)))
	return out, err
}

// parser is the printer's reading of its input, one command at a time.
type parser struct {
	slip    Slip
	line    []byte
	chinese bool
	width   int
	height  int
	bold    bool
	centre  bool
	lineW   int // the size the line began in
	lineH   int
	qr      struct {
		module int
		data   string
	}
	printed func(Slip)
	// status answers DLE EOT n; nil ignores the query.
	status func(n byte) byte
	answer io.Writer
}

func newParser(printed func(Slip), status func(byte) byte) *parser {
	p := &parser{printed: printed, status: status}
	p.reset()
	return p
}

// reset is ESC @: the modes back to their defaults.
func (p *parser) reset() {
	p.chinese, p.width, p.height, p.bold, p.centre = false, 1, 1, false, false
	p.qr.module = 3
}

// run reads until the input ends; what was not cut yet is a slip too.
func (p *parser) run(r *bufio.Reader) error {
	for {
		c, err := r.ReadByte()
		if err != nil {
			p.end()
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		if err := p.byte(c, r); err != nil {
			p.end()
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("escposim: a command cut short: %w", err)
			}
			return err
		}
	}
}

func (p *parser) end() {
	p.flush()
	if len(p.slip.Items) > 0 || len(p.slip.Unknown) > 0 {
		p.printed(p.slip)
	}
	p.slip = Slip{}
}

// byte takes one byte of input, reading a command's arguments from r.
func (p *parser) byte(c byte, r *bufio.Reader) error {
	switch c {
	case 0x0A:
		if len(p.line) > 0 {
			p.flush()
		} else {
			p.feed(1)
		}
		return nil
	case 0x1B:
		return p.esc(r)
	case 0x1C:
		return p.fs(r)
	case 0x1D:
		return p.gs(r)
	case 0x10:
		return p.dle(r)
	}
	if c < 0x20 {
		p.slip.Unknown = append(p.slip.Unknown, fmt.Sprintf("%02X", c))
		return nil
	}
	if len(p.line) == 0 {
		p.lineW, p.lineH = p.width, p.height
	}
	p.line = append(p.line, c)
	return nil
}

// flush ends the line being printed.
func (p *parser) flush() {
	if len(p.line) == 0 {
		return
	}
	text := string(p.line)
	if p.chinese {
		if dec, err := simplifiedchinese.GB18030.NewDecoder().Bytes(p.line); err == nil {
			text = string(dec)
		} else {
			text = strings.ToValidUTF8(text, "?")
		}
	} else {
		text = strings.Map(func(r rune) rune {
			if r >= 0x80 {
				return '?'
			}
			return r
		}, strings.ToValidUTF8(text, "?"))
	}
	p.slip.Items = append(p.slip.Items, Item{Text: text, Width: p.lineW, Height: p.lineH, Bold: p.bold, Centre: p.centre})
	p.line = p.line[:0]
}

// feed adds n fed lines, to the feed just before if there is one.
func (p *parser) feed(n int) {
	if k := len(p.slip.Items); k > 0 && p.slip.Items[k-1].Feed > 0 {
		p.slip.Items[k-1].Feed += n
		return
	}
	p.slip.Items = append(p.slip.Items, Item{Feed: n})
}

func args(r *bufio.Reader, n int) ([]byte, error) {
	b := make([]byte, n)
	_, err := io.ReadFull(r, b)
	return b, err
}

func (p *parser) esc(r *bufio.Reader) error {
	cmd, err := r.ReadByte()
	if err != nil {
		return err
	}
	if cmd == '@' {
		p.flush()
		p.reset()
		return nil
	}
	a, err := args(r, 1)
	if err != nil {
		return err
	}
	switch cmd {
	case 'a':
		p.centre = a[0] == 1 || a[0] == '1'
	case 'E':
		p.bold = a[0]&1 == 1
	case 'd':
		p.flush()
		p.feed(int(a[0]))
	default:
		p.slip.Unknown = append(p.slip.Unknown, fmt.Sprintf("1B %02X %02X", cmd, a[0]))
	}
	return nil
}

func (p *parser) fs(r *bufio.Reader) error {
	cmd, err := r.ReadByte()
	if err != nil {
		return err
	}
	switch cmd {
	case '&':
		p.chinese = true
	case '.':
		p.chinese = false
	default:
		p.slip.Unknown = append(p.slip.Unknown, fmt.Sprintf("1C %02X", cmd))
	}
	return nil
}

func (p *parser) gs(r *bufio.Reader) error {
	cmd, err := r.ReadByte()
	if err != nil {
		return err
	}
	switch cmd {
	case '!':
		a, err := args(r, 1)
		if err != nil {
			return err
		}
		p.width, p.height = int(a[0]>>4&7)+1, int(a[0]&7)+1
	case 'V':
		return p.cut(r)
	case '(':
		return p.function(r)
	default:
		p.slip.Unknown = append(p.slip.Unknown, fmt.Sprintf("1D %02X", cmd))
	}
	return nil
}

// cut is GS V m, or GS V m n for m 65 and 66 (feed, then cut).
func (p *parser) cut(r *bufio.Reader) error {
	a, err := args(r, 1)
	if err != nil {
		return err
	}
	switch a[0] {
	case 0, 1, 48, 49:
	case 65, 66:
		if _, err := args(r, 1); err != nil {
			return err
		}
	default:
		p.slip.Unknown = append(p.slip.Unknown, fmt.Sprintf("1D 56 %02X", a[0]))
		return nil
	}
	p.slip.Cut = true
	p.end()
	return nil
}

// function is GS ( k pL pH cn fn …; only the QR code's (cn 49) are known.
func (p *parser) function(r *bufio.Reader) error {
	h, err := args(r, 3)
	if err != nil {
		return err
	}
	n := int(h[1]) | int(h[2])<<8
	body, err := args(r, n)
	if err != nil {
		return err
	}
	if h[0] != 'k' || n < 2 || body[0] != 49 {
		p.slip.Unknown = append(p.slip.Unknown, fmt.Sprintf("1D 28 %02X % X", h[0], body[:min(n, 2)]))
		return nil
	}
	switch fn := body[1]; {
	case fn == 65 || fn == 69: // model, error correction
	case fn == 67 && n == 3:
		p.qr.module = int(body[2])
	case fn == 80 && n >= 3:
		p.qr.data = string(body[3:])
	case fn == 81:
		p.flush()
		p.slip.Items = append(p.slip.Items, Item{QR: p.qr.data, Module: p.qr.module, Centre: p.centre})
	default:
		p.slip.Unknown = append(p.slip.Unknown, fmt.Sprintf("1D 28 6B fn %d", fn))
	}
	return nil
}

// dle is DLE EOT n, the real-time status: answered at once.
func (p *parser) dle(r *bufio.Reader) error {
	a, err := args(r, 2)
	if err != nil {
		return err
	}
	if a[0] != 0x04 || a[1] < 1 || a[1] > 4 {
		p.slip.Unknown = append(p.slip.Unknown, fmt.Sprintf("10 % X", a))
		return nil
	}
	if p.status != nil && p.answer != nil {
		_, err = p.answer.Write([]byte{p.status(a[1])})
	}
	return err
}
