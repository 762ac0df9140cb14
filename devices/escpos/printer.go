package escpos

import (
	"context"
	"errors"
	"sync"
	"time"

	"hallfloor/devices"
	"hallfloor/equipment"
)

// Options configure a printer's driver.
type Options struct {
	// Address is host:port (port 9100 when none) or a device path.
	Address  string
	Dots     int    // Dots80 when 0
	Encoding string // GB18030 when empty
	// Peripheral is the printer's entry among the devices: its health
	// and what it printed show there.
	Peripheral *devices.Peripheral
	// Poll is how often the printer is asked its status; 5 s when 0.
	Poll time.Duration
	// Timeout bounds a dial, a write and each status answer; 2 s when 0.
	Timeout time.Duration
}

// Printer is a slip printer's driver: it keeps the line to the printer,
// asks its status every Poll and reports it, and prints the slips queued
// with Print one at a time, on its own goroutine, so that neither a slow
// printer nor a missing one holds up anything else.
type Printer struct {
	o    Options
	enc  *Encoder
	jobs chan job
	link *link // the Run goroutine's alone

	mu sync.Mutex
	// health is the last status found, read by Print from other goroutines.
	health health
}

type job struct {
	number string
	data   []byte
	done   chan error
}

type health struct {
	kind    string
	finding equipment.Finding
}

// queueLen is how many slips may wait for the printer: a kiosk's line of
// people, not a backlog.
const queueLen = 8

// ErrBusy says the printer has too many slips waiting.
var ErrBusy = errors.New("the printer has too many slips waiting")

// FaultError says why a slip will not print: the printer's fault.
type FaultError struct{ Finding equipment.Finding }

func (e *FaultError) Error() string {
	if e.Finding.Detail != "" {
		return "printer: " + e.Finding.Reason + ": " + e.Finding.Detail
	}
	return "printer: " + e.Finding.Reason
}

// New is a printer's driver; nothing is opened until Run.
func New(o Options) (*Printer, error) {
	enc, err := NewEncoder(o.Dots, o.Encoding)
	if err != nil {
		return nil, err
	}
	if o.Poll <= 0 {
		o.Poll = 5 * time.Second
	}
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Second
	}
	return &Printer{o: o, enc: enc, jobs: make(chan job, queueLen), health: health{kind: equipment.OK}}, nil
}

// Print queues a slip. It is refused at once when the printer's last
// status is a fault (a *FaultError) or too many slips wait (ErrBusy);
// else the channel tells, once, whether it printed.
func (p *Printer) Print(s Slip) (<-chan error, error) {
	if h := p.last(); h.kind == equipment.Fault {
		return nil, &FaultError{h.finding}
	}
	data, err := p.enc.Encode(s)
	if err != nil {
		return nil, err
	}
	j := job{number: s.Number, data: data, done: make(chan error, 1)}
	select {
	case p.jobs <- j:
		return j.done, nil
	default:
		return nil, ErrBusy
	}
}

func (p *Printer) last() health {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.health
}

// Run asks the status at once and every Poll, and prints what is queued,
// until ctx ends.
func (p *Printer) Run(ctx context.Context) {
	defer p.drop()
	tick := time.NewTicker(p.o.Poll)
	defer tick.Stop()
	p.check()
	for {
		select {
		case <-ctx.Done():
			p.refuseQueued(ctx.Err())
			return
		case j := <-p.jobs:
			j.done <- p.print(j)
		case <-tick.C:
			p.check()
		}
	}
}

// check asks the printer how it is and reports it; it is ok to print when
// it is.
func (p *Printer) check() bool {
	if p.link == nil {
		l, err := dial(p.o.Address, p.o.Timeout)
		if err != nil {
			p.report(equipment.Fault, equipment.Finding{Reason: equipment.PrinterOffline, Detail: err.Error()})
			return false
		}
		p.link = l
	}
	st, err := p.link.status(p.o.Timeout)
	switch {
	case errors.Is(err, errNoStatus):
		// A printer that cannot say is taken to be ready: its write fails
		// if it is not there.
		p.report(equipment.OK, equipment.Finding{Reason: equipment.PrinterReady})
		return true
	case err != nil:
		p.drop()
		p.report(equipment.Fault, equipment.Finding{Reason: equipment.PrinterOffline, Detail: err.Error()})
		return false
	}
	kind, f := st.Finding()
	p.report(kind, f)
	return kind != equipment.Fault
}

// print sends one slip, the printer's status asked first so that a slip
// is never written into a printer with no paper.
func (p *Printer) print(j job) error {
	if !p.check() {
		return &FaultError{p.last().finding}
	}
	if err := p.link.write(j.data, p.o.Timeout); err != nil {
		p.drop()
		f := equipment.Finding{Reason: equipment.PrinterOffline, Detail: err.Error()}
		p.report(equipment.Fault, f)
		return &FaultError{f}
	}
	p.o.Peripheral.Did("printed", j.number)
	return nil
}

// report tells the devices the printer's health when it changed.
func (p *Printer) report(kind string, f equipment.Finding) {
	p.mu.Lock()
	h := p.health
	p.health = health{kind, f}
	p.mu.Unlock()
	if h.kind == kind && h.finding == f {
		return
	}
	pe := p.o.Peripheral
	pe.SetState("online", kind != equipment.Fault)
	pe.SetState("paper_low", f.Reason == equipment.PaperLow)
	pe.Report(kind, f)
}

func (p *Printer) refuseQueued(err error) {
	for {
		select {
		case j := <-p.jobs:
			j.done <- err
		default:
			return
		}
	}
}

func (p *Printer) drop() {
	if p.link != nil {
		_ = p.link.close()
		p.link = nil
	}
}
