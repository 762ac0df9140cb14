package modbus

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"
)

// Port is a serial line as the master uses it: go.bug.st/serial's Port
// has these, on a real adapter as on a pseudo-terminal.
type Port interface {
	io.ReadWriter
	// SetReadTimeout bounds each Read, which then returns 0, nil.
	SetReadTimeout(t time.Duration) error
	// ResetInputBuffer drops what was received and not yet read.
	ResetInputBuffer() error
}

// ErrNoAnswer is a device that did not answer within the response timeout.
var ErrNoAnswer = errors.New("modbus: no answer")

// Client is the bus master: it sends one request at a time and waits for
// its answer, keeping the line silent for 3.5 characters between frames.
type Client struct {
	port    Port
	timeout time.Duration
	retries int
	silence time.Duration

	mu   sync.Mutex // one request in flight
	last time.Time  // when the line last carried a byte we know of

	// Counters, for health and tests.
	BadFrames  atomic.Int64 // answers refused for their CRC or shape
	NoAnswers  atomic.Int64 // requests whose answer never came
	Exceptions atomic.Int64
}

// ClientOptions configure a master.
type ClientOptions struct {
	Baud    int           // for the silence between frames
	Timeout time.Duration // for each answer
	Retries int           // sends after the first before giving up
}

// NewClient masters the bus on port.
func NewClient(port Port, o ClientOptions) *Client {
	return &Client{port: port, timeout: o.Timeout, retries: o.Retries, silence: Silence(o.Baud)}
}

// Silence is the 3.5 characters of quiet that end a frame: 11 bits a
// character (start, 8 data, parity or a second stop, stop) at the rate,
// and a fixed 1.75 ms above 19200 baud, as the serial line specification
// sets it.
func Silence(baud int) time.Duration {
	if baud <= 0 || baud > 19200 {
		return 1750 * time.Microsecond
	}
	return time.Duration(3.5 * 11 * float64(time.Second) / float64(baud))
}

// ReadBits reads count coils (ReadCoils) or discrete inputs
// (ReadDiscreteInputs) from start.
func (c *Client) ReadBits(ctx context.Context, addr, fn byte, start, count uint16) ([]bool, error) {
	data, err := c.Do(ctx, ReadRequest(addr, fn, start, count))
	if err != nil {
		return nil, err
	}
	if len(data) < 1 || int(data[0]) != (int(count)+7)/8 || len(data) != 1+int(data[0]) {
		c.BadFrames.Add(1)
		return nil, fmt.Errorf("%w: %d bits in %d bytes", ErrFrame, count, len(data))
	}
	return UnpackBits(data[1:], int(count)), nil
}

// ReadRegisters reads count holding registers from start.
func (c *Client) ReadRegisters(ctx context.Context, addr byte, start, count uint16) ([]uint16, error) {
	data, err := c.Do(ctx, ReadRequest(addr, ReadHoldingRegisters, start, count))
	if err != nil {
		return nil, err
	}
	if len(data) < 1 || int(data[0]) != 2*int(count) || len(data) != 1+int(data[0]) {
		c.BadFrames.Add(1)
		return nil, fmt.Errorf("%w: %d registers in %d bytes", ErrFrame, count, len(data))
	}
	return Uint16s(data[1:]), nil
}

// WriteCoil switches one coil; the device echoes the request.
func (c *Client) WriteCoil(ctx context.Context, addr byte, coil uint16, on bool) error {
	req := CoilRequest(addr, coil, on)
	return c.echoed(ctx, req, req.Data)
}

// WriteRegisters writes holding registers from start; the device answers
// with the start and the count.
func (c *Client) WriteRegisters(ctx context.Context, addr byte, start uint16, values []uint16) error {
	req := RegistersRequest(addr, start, values)
	return c.echoed(ctx, req, req.Data[:4])
}

func (c *Client) echoed(ctx context.Context, req Frame, want []byte) error {
	data, err := c.Do(ctx, req)
	if err != nil {
		return err
	}
	if string(data) != string(want) {
		c.BadFrames.Add(1)
		return fmt.Errorf("%w: the device answered % x to % x", ErrFrame, data, want)
	}
	return nil
}

// Do sends a request and returns the data of its answer. An answer that
// does not come in time, or comes corrupt, is asked for again, up to the
// retries; a device's refusal (an *Exception) is its answer and is not.
func (c *Client) Do(ctx context.Context, req Frame) ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for range c.retries + 1 {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		var ans Frame
		ans, err = c.exchange(req)
		if err == nil {
			if ans.Function == req.Function|0x80 {
				c.Exceptions.Add(1)
				return nil, &Exception{Function: req.Function, Code: ans.Data[0]}
			}
			return ans.Data, nil
		}
		if !errors.Is(err, ErrNoAnswer) {
			c.BadFrames.Add(1)
		} else {
			c.NoAnswers.Add(1)
		}
		// Whatever is still coming belongs to the failed exchange: let the
		// line fall silent and drop it, so the next answer read is the
		// next request's.
		c.quiet()
	}
	return nil, fmt.Errorf("device %d, function %#02x: %w (%d tries)", req.Address, req.Function, err, c.retries+1)
}

// exchange sends a request once and reads its answer.
func (c *Client) exchange(req Frame) (Frame, error) {
	if wait := time.Until(c.last.Add(c.silence)); wait > 0 {
		time.Sleep(wait)
	}
	if err := c.port.ResetInputBuffer(); err != nil {
		return Frame{}, err
	}
	if _, err := c.port.Write(req.Encode()); err != nil {
		return Frame{}, err
	}
	c.last = time.Now()
	raw, err := c.read()
	if len(raw) > 0 {
		c.last = time.Now()
	}
	if err != nil {
		return Frame{}, err
	}
	ans, err := Decode(raw)
	switch {
	case err != nil:
		return Frame{}, err
	case ans.Address != req.Address || ans.Function&0x7F != req.Function:
		return Frame{}, fmt.Errorf("%w: device %d function %#02x answered device %d function %#02x",
			ErrFrame, ans.Address, ans.Function, req.Address, req.Function)
	}
	return ans, nil
}

// read takes one answer off the line: its length follows from its
// function and byte count, and all of it must come within the timeout.
func (c *Client) read() ([]byte, error) {
	deadline := time.Now().Add(c.timeout)
	var buf []byte
	chunk := make([]byte, 256)
	for {
		want := answerLength(buf)
		switch {
		case want < 0:
			return buf, fmt.Errorf("%w: % x", ErrFrame, buf)
		case want > 0 && len(buf) >= want:
			return buf[:want], nil
		}
		left := time.Until(deadline)
		if left <= 0 {
			if len(buf) > 0 {
				return buf, fmt.Errorf("%w: %d bytes of an answer, then silence", ErrFrame, len(buf))
			}
			return nil, ErrNoAnswer
		}
		if err := c.port.SetReadTimeout(left); err != nil {
			return buf, err
		}
		n, err := c.port.Read(chunk)
		buf = append(buf, chunk[:n]...)
		if err != nil {
			return buf, err
		}
	}
}

// quiet waits until the line has been silent for a frame's gap (a late or
// garbled answer still arriving), at most a timeout, and drops what came.
func (c *Client) quiet() {
	chunk := make([]byte, 256)
	end := time.Now().Add(c.timeout)
	for time.Now().Before(end) {
		if c.port.SetReadTimeout(c.silence) != nil {
			break
		}
		n, err := c.port.Read(chunk)
		if n == 0 || err != nil {
			break
		}
		c.last = time.Now()
	}
	c.port.ResetInputBuffer()
}
