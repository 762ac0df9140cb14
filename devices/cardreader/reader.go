// Package cardreader reads 居民身份证 from a serial reader: the server asks
// the reader, a few times a second, whether a card lies on it, and when one
// does, selects it and reads its text for the ID number. A reader that stops
// answering is a fault on its peripheral, cleared when it answers again.
// Package cardsim is a simulated reader on a pseudo-terminal pair.
package cardreader

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.bug.st/serial"

	"hallfloor/devices"
	"hallfloor/equipment"
	"hallfloor/idcard"
)

// Port is a serial line as go.bug.st/serial opens one.
type Port interface {
	io.ReadWriteCloser
	SetReadTimeout(time.Duration) error
	ResetInputBuffer() error
}

// Serial opens a serial device at a baud rate (115200 when 0), 8N1 as the
// readers speak.
func Serial(path string, baud int) func() (Port, error) {
	if baud <= 0 {
		baud = 115200
	}
	return func() (Port, error) {
		return serial.Open(path, &serial.Mode{BaudRate: baud, DataBits: 8, Parity: serial.NoParity, StopBits: serial.OneStopBit})
	}
}

// Options make a reader's driver.
type Options struct {
	// Device is the reader's peripheral: its health and what it read.
	Device *devices.Peripheral
	// Open opens the reader's line; it is opened again after it fails.
	Open func() (Port, error)
	// Card is told the ID number of each card placed on the reader, once
	// per placing. It must not keep the caller waiting.
	Card func(number string)
	// Poll is how often the reader is asked for a card (300 ms when 0);
	// Timeout how long it has to answer (500 ms when 0).
	Poll, Timeout time.Duration
	// Misses is how many questions in a row go unanswered before the
	// reader counts as silent (2 when 0): one lost frame is line noise.
	Misses int
}

// Reader is the driver of one serial ID-card reader.
type Reader struct {
	o      Options
	missed int
	silent bool
	online bool
	// last is the number of the card on the reader now, so a card left
	// lying there is read once.
	last string
}

// New makes a reader's driver; Run runs it.
func New(o Options) *Reader {
	if o.Poll <= 0 {
		o.Poll = 300 * time.Millisecond
	}
	if o.Timeout <= 0 {
		o.Timeout = 500 * time.Millisecond
	}
	if o.Misses <= 0 {
		o.Misses = 2
	}
	return &Reader{o: o}
}

// errNoAnswer is a question the reader did not answer in time.
var errNoAnswer = errors.New("no answer")

// Run asks the reader for cards until ctx ends.
func (r *Reader) Run(ctx context.Context) {
	tick := time.NewTicker(r.o.Poll)
	defer tick.Stop()
	var port Port
	defer func() {
		if port != nil {
			port.Close()
		}
	}()
	for {
		if port == nil {
			p, err := r.o.Open()
			if err != nil {
				r.miss(fmt.Errorf("open: %w", err))
			} else {
				port = p
			}
		}
		if port != nil {
			if err := r.poll(port); err != nil && !errors.Is(err, errNoAnswer) {
				// The line itself failed (unplugged): open it afresh.
				port.Close()
				port = nil
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// poll asks once for a card and reads it when there is a new one.
func (r *Reader) poll(port Port) error {
	a, err := r.ask(port, Find)
	if err != nil {
		return err
	}
	if a.SW3 != StatusFound {
		r.last = "" // the card, if any, was taken away
		return nil
	}
	if a, err = r.ask(port, Select); err != nil || a.SW3 != StatusOK {
		return err // taken away between the two questions: asked again next time
	}
	if a, err = r.ask(port, ReadBase); err != nil || a.SW3 != StatusOK {
		return err
	}
	number, err := IDNumber(a.Data)
	if err != nil || number == r.last {
		return nil
	}
	r.last = number
	r.o.Device.Did("read", idcard.Mask(number))
	r.o.Card(number)
	return nil
}

// ask sends a command and waits for the answer. Any answer, whatever its
// status, shows the reader is alive.
func (r *Reader) ask(port Port, c Command) (Answer, error) {
	_ = port.ResetInputBuffer() // a late answer to an earlier question is no answer to this one
	if _, err := port.Write(Encode(c.Payload())); err != nil {
		r.miss(err)
		return Answer{}, err
	}
	payload, err := r.receive(port)
	if err != nil {
		r.miss(err)
		return Answer{}, err
	}
	a, err := ParseAnswer(payload)
	if err != nil {
		r.miss(err)
		return Answer{}, errNoAnswer
	}
	r.answered()
	return a, nil
}

// receive reads a frame before the timeout; broken frames are skipped.
func (r *Reader) receive(port Port) ([]byte, error) {
	deadline := time.Now().Add(r.o.Timeout)
	var buf []byte
	chunk := make([]byte, 512)
	for {
		left := time.Until(deadline)
		if left <= 0 {
			return nil, fmt.Errorf("%w within %v", errNoAnswer, r.o.Timeout)
		}
		if err := port.SetReadTimeout(left); err != nil {
			return nil, err
		}
		n, err := port.Read(chunk)
		if err != nil {
			return nil, err
		}
		buf = append(buf, chunk[:n]...)
		for {
			payload, rest, err := Split(buf)
			buf = rest
			if err == nil && payload != nil {
				return payload, nil
			}
			if err == nil {
				break // more bytes to come
			}
		}
	}
}

// miss counts a question without an answer; enough in a row make the
// reader silent.
func (r *Reader) miss(err error) {
	r.missed++
	if r.missed < r.o.Misses || r.silent {
		return
	}
	r.silent, r.online = true, false
	r.o.Device.SetState("online", false)
	r.o.Device.Report(equipment.Fault, equipment.Finding{Reason: equipment.ReaderSilent, Detail: err.Error()})
}

// answered clears a silence.
func (r *Reader) answered() {
	r.missed = 0
	if !r.online {
		r.online = true
		r.o.Device.SetState("online", true)
	}
	if !r.silent {
		return
	}
	r.silent = false
	r.o.Device.Report(equipment.OK, equipment.Finding{Reason: equipment.ReaderAnswers})
}
