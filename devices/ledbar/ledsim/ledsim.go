// Package ledsim is a simulated LED bars' controller: a TCP server that
// speaks the bars' protocol (package ledproto), records what each bar
// shows, and can be told to go silent, refuse or drop its connections, as
// a controller with a flaky network or a dead power supply would. The demo
// hall runs one in-process for a controller at address "sim"; the tests
// drive the real driver against it over real sockets.
package ledsim

import (
	"bufio"
	"errors"
	"io"
	"net"
	"slices"
	"strings"
	"sync"

	"hallfloor/devices/ledbar/ledproto"
	"hallfloor/errs"
)

// Controller is a running simulated controller.
type Controller struct {
	ln  net.Listener // nil for a controller on serial lines alone
	enc ledproto.Encoding
	wg  sync.WaitGroup

	mu      sync.Mutex
	bars    map[int][]string // what each bar shows
	shows   map[int]int      // SHOWs taken, by bar
	counts  Counts
	mode    Mode
	conns   map[io.Closer]bool
	changed chan struct{} // closed at the next change
	closed  bool
}

// New is a controller that reads its text in enc and serves the streams
// given to Serve.
func New(enc ledproto.Encoding) *Controller {
	return &Controller{enc: enc, bars: map[int][]string{}, shows: map[int]int{},
		conns: map[io.Closer]bool{}, changed: make(chan struct{})}
}

// Start is a controller on the network: it listens on addr (127.0.0.1:0
// for any free port) and serves every connection until Close.
func Start(addr string, enc ledproto.Encoding) (*Controller, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	c := New(enc)
	c.ln = ln
	c.wg.Go(c.accept)
	return c, nil
}

// Addr is the host:port the controller listens on; "" when it does not.
func (c *Controller) Addr() string {
	if c.ln == nil {
		return ""
	}
	return c.ln.Addr().String()
}

// Close stops listening, drops every connection and waits for them.
func (c *Controller) Close() error {
	c.mu.Lock()
	c.closed = true
	c.mu.Unlock()
	var err error
	if c.ln != nil {
		err = c.ln.Close()
	}
	c.Drop()
	c.wg.Wait()
	return err
}

// Serve answers the requests that come over a stream, such as the far end
// of a serial line, until it ends or the controller closes.
func (c *Controller) Serve(conn io.ReadWriteCloser) {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		conn.Close()
		return
	}
	c.conns[conn] = true
	c.wg.Add(1)
	c.mu.Unlock()
	defer c.wg.Done()
	c.serve(conn)
}

func (c *Controller) accept() {
	for {
		conn, err := c.ln.Accept()
		if err != nil {
			return
		}
		go c.Serve(conn)
	}
}

// serve answers one connection's requests, one line at a time.
func (c *Controller) serve(conn io.ReadWriteCloser) {
	defer func() {
		c.mu.Lock()
		delete(c.conns, conn)
		c.mu.Unlock()
		conn.Close()
	}()
	r := bufio.NewReaderSize(conn, ledproto.MaxLine)
	for {
		line, err := r.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			// Too long for the controller's buffer: refuse it and skip to
			// the end of the line.
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err == nil && !c.answer(conn, ledproto.Answer{Reason: ledproto.ErrBadRequest, Detail: "line too long"}) {
				return
			}
			continue
		}
		if err != nil {
			return
		}
		a, ok := c.take(line)
		if c.garbled() {
			_, err = conn.Write([]byte(garble + "\r\n"))
		} else if ok {
			_, err = conn.Write(a.Encode())
		}
		if err != nil {
			return
		}
	}
}

func (c *Controller) answer(conn io.Writer, a ledproto.Answer) bool {
	_, err := conn.Write(a.Encode())
	return err == nil
}

// garble is what a garbled controller answers.
const garble = "HELLO?"

func (c *Controller) garbled() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.mode.Garbled
}

// take carries out a request; ok is false when the controller is silent
// and says nothing.
func (c *Controller) take(line []byte) (a ledproto.Answer, ok bool) {
	req, err := ledproto.ParseRequest(line, c.enc)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mode.Silent || c.mode.Garbled {
		return a, false // says nothing, or nothing of the protocol
	}
	switch {
	case err != nil && badText(err):
		return ledproto.Answer{Reason: ledproto.ErrBadText}, true
	case err != nil:
		return ledproto.Answer{Reason: ledproto.ErrBadRequest}, true
	case req.Verb == ledproto.Ping:
		c.counts.Pings++
		c.changes()
		return ledproto.Answer{OK: true, Detail: "ledsim"}, true
	case c.mode.Refuse != "":
		c.counts.Refusals++
		c.changes()
		return ledproto.Answer{Reason: c.mode.Refuse}, true
	}
	c.bars[req.Bar] = req.Lines
	c.shows[req.Bar]++
	c.changes()
	return ledproto.Answer{OK: true}, true
}

func badText(err error) bool {
	e, ok := errs.As(err)
	return ok && e.Field == "text"
}

// changes wakes whoever waits for a change; the caller holds c.mu.
func (c *Controller) changes() {
	close(c.changed)
	c.changed = make(chan struct{})
}

// Changed is closed at the controller's next change: a bar shown, a ping
// answered.
func (c *Controller) Changed() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.changed
}

// Lines are what a bar shows; nil when it shows nothing.
func (c *Controller) Lines(bar int) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return slices.Clone(c.bars[bar])
}

// Text is a bar's lines read one after the other, as a person reads the
// pages of a bar.
func (c *Controller) Text(bar int) string { return strings.Join(c.Lines(bar), "") }

// Shows counts the SHOWs a bar has taken.
func (c *Controller) Shows(bar int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.shows[bar]
}

// Counts are the requests a controller took beyond its bars' SHOWs.
type Counts struct {
	Pings    int // PINGs answered
	Refusals int // SHOWs refused
}

// Counts counts the PINGs answered and the SHOWs refused.
func (c *Controller) Counts() Counts {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts
}

// Mode is how the controller behaves. The zero Mode answers and shows.
type Mode struct {
	// Silent reads the requests and says nothing, and shows nothing new,
	// as a hung controller does.
	Silent bool
	// Refuse is an ERR reason to answer every SHOW with.
	Refuse string
	// Garbled answers every request with a line outside the protocol, as
	// a controller of another protocol does.
	Garbled bool
}

// Set changes how the controller behaves from its next request on.
func (c *Controller) Set(m Mode) {
	c.mu.Lock()
	c.mode = m
	c.mu.Unlock()
}

// Blank forgets what every bar shows, as a controller that lost its power.
func (c *Controller) Blank() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.bars)
	c.changes()
}

// Drop cuts every connection, as a network that went away; the controller
// goes on listening.
func (c *Controller) Drop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for conn := range c.conns {
		conn.Close()
	}
}
