package escposim

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"sync"
)

// Faults are what the fake printer's status says is wrong.
type Faults struct {
	PaperOut  bool `json:"paper_out"` // the roll is empty
	PaperLow  bool `json:"paper_low"` // the roll is near its end
	CoverOpen bool `json:"cover_open"`
	Offline   bool `json:"offline"` // offline for another cause (the feed button held)
	// Silent leaves status queries unanswered, as a printer that hangs.
	Silent bool `json:"silent"`
}

// Printer is a fake networked slip printer.
type Printer struct {
	ln     net.Listener
	mu     sync.Mutex
	faults Faults
	slips  []Slip
	// got is closed and replaced whenever a slip arrives.
	got   chan struct{}
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// Listen starts a fake printer on addr ("127.0.0.1:0" for any port).
func Listen(addr string) (*Printer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	p := &Printer{ln: ln, got: make(chan struct{}), conns: map[net.Conn]bool{}}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is the printer's host:port.
func (p *Printer) Addr() string { return p.ln.Addr().String() }

// Close stops the printer and ends its connections.
func (p *Printer) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	for c := range p.conns {
		_ = c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}

// SetFaults sets what the status says from now on.
func (p *Printer) SetFaults(f Faults) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.faults = f
}

// Faults is what the status says now.
func (p *Printer) Faults() Faults {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.faults
}

// Slips are the slips received so far, oldest first.
func (p *Printer) Slips() []Slip {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Slip(nil), p.slips...)
}

// Wait waits until the printer has received n slips or ctx ends, and
// gives the slips received.
func (p *Printer) Wait(ctx context.Context, n int) ([]Slip, error) {
	for {
		p.mu.Lock()
		slips, got := append([]Slip(nil), p.slips...), p.got
		p.mu.Unlock()
		if len(slips) >= n {
			return slips, nil
		}
		select {
		case <-got:
		case <-ctx.Done():
			return slips, ctx.Err()
		}
	}
}

func (p *Printer) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		p.conns[c] = true
		p.mu.Unlock()
		p.wg.Add(1)
		go p.serve(c)
	}
}

// serve reads one connection until it ends.
func (p *Printer) serve(c net.Conn) {
	defer p.wg.Done()
	defer func() {
		p.mu.Lock()
		delete(p.conns, c)
		p.mu.Unlock()
		_ = c.Close()
	}()
	_ = p.Serve(c)
}

// Serve reads a line to the printer as the printer would, answering its
// status queries as they come, until the line ends: a TCP connection, or
// the far end of a device (a pseudo-terminal standing for /dev/usb/lp0).
func (p *Printer) Serve(rw io.ReadWriter) error {
	pr := newParser(p.received, p.status)
	pr.answer = &silenceable{p: p, w: rw}
	err := pr.run(bufio.NewReader(rw))
	if errors.Is(err, net.ErrClosed) {
		return nil
	}
	return err
}

func (p *Printer) received(s Slip) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.slips = append(p.slips, s)
	close(p.got)
	p.got = make(chan struct{})
}

// status is the answer to DLE EOT n for the faults set. A printer out of
// paper or with its cover open is offline too, and says why.
func (p *Printer) status(n byte) byte {
	f := p.Faults()
	b := byte(0x12)
	on := func(cond bool, bits byte) {
		if cond {
			b |= bits
		}
	}
	switch n {
	case 1:
		on(f.Offline || f.PaperOut || f.CoverOpen, 0x08)
	case 2:
		on(f.CoverOpen, 0x04)
		on(f.PaperOut, 0x20)
	case 4:
		on(f.PaperLow || f.PaperOut, 0x0C)
		on(f.PaperOut, 0x60)
	}
	return b
}

// silenceable writes the status answers unless the printer is silent.
type silenceable struct {
	p *Printer
	w io.Writer
}

func (s *silenceable) Write(b []byte) (int, error) {
	if s.p.Faults().Silent {
		return len(b), nil
	}
	return s.w.Write(b)
}
