// Package cardsim is a simulated 居民身份证 reader on a pseudo-terminal
// pair: the driver opens the terminal's far end as it opens a real
// reader's serial device, and the simulator answers its frames as a
// reader's SAM module does. A card is placed on it by hand (the /devices
// page, a test); it can fall silent, as an unplugged reader does.
package cardsim

import (
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/creack/pty"

	"hallfloor/devices/cardreader"
)

// Sim is one simulated reader.
type Sim struct {
	master, tty *os.File
	mu          sync.Mutex
	card        string // the number of the card lying on the reader
	tapped      bool   // the card is lifted once it is read
	// lifted is a tapped card read and lifted: the next question for a
	// card finds none, even if another was tapped since, as a hand takes
	// one card away before laying the next.
	lifted bool
	silent bool
	finds  int // the Find questions heard, answered or not
	asked  *sync.Cond
	done   chan struct{}
}

// Open starts a simulated reader; its Path is the serial device to open.
func Open() (*Sim, error) {
	ptm, tty, err := pty.Open()
	if err != nil {
		return nil, err
	}
	master, err := pollable(ptm)
	if err != nil {
		tty.Close()
		return nil, err
	}
	s := &Sim{master: master, tty: tty, done: make(chan struct{})}
	s.asked = sync.NewCond(&s.mu)
	go s.serve()
	return s, nil
}

// pollable is the terminal's near end in non-blocking mode, on Go's
// poller, so that Close ends a Read under way: pty hands it out blocking,
// where a Read waits in the kernel until the far end writes.
func pollable(f *os.File) (*os.File, error) {
	defer f.Close()
	fd, err := syscall.Dup(int(f.Fd()))
	if err != nil {
		return nil, err
	}
	if err := syscall.SetNonblock(fd, true); err != nil {
		syscall.Close(fd)
		return nil, err
	}
	return os.NewFile(uintptr(fd), f.Name()), nil
}

// Path is the serial device the driver opens.
func (s *Sim) Path() string { return s.tty.Name() }

// Place lays a card with the number on the reader, until Lift.
func (s *Sim) Place(number string) { s.lay(number, false) }

// Tap lays a card on the reader until it is read, as a citizen lifts it
// once the kiosk has it: the /devices page's card.
func (s *Sim) Tap(number string) { s.lay(number, true) }

// Lift takes the card away.
func (s *Sim) Lift() { s.lay("", false) }

func (s *Sim) lay(number string, tapped bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.card, s.tapped = number, tapped
}

// AwaitFinds waits until the reader has been asked n more times for a
// card (answering or, silent, not), or for 10 s; it says whether it had.
// The driver asks again only once it has taken the answer, or the lack of
// one, to heart, so a test waits on it instead of on the clock.
func (s *Sim) AwaitFinds(n int) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	want := s.finds + n
	stop := time.AfterFunc(10*time.Second, func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		want = -1
		s.asked.Broadcast()
	})
	defer stop.Stop()
	for want >= 0 && s.finds < want {
		s.asked.Wait()
	}
	return want >= 0
}

// Silence makes the reader stop answering (on) or answer again (off).
func (s *Sim) Silence(on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.silent = on
}

// Close stops the reader and frees its terminal.
func (s *Sim) Close() error {
	err := s.master.Close()
	s.tty.Close()
	<-s.done
	return err
}

// serve answers frames until the terminal closes.
func (s *Sim) serve() {
	defer close(s.done)
	var buf []byte
	chunk := make([]byte, 256)
	for {
		n, err := s.master.Read(chunk)
		if err != nil {
			return
		}
		buf = append(buf, chunk[:n]...)
		for {
			payload, rest, err := cardreader.Split(buf)
			buf = rest
			if err != nil {
				s.reply(cardreader.Answer{SW3: cardreader.StatusChecksum})
				continue
			}
			if payload == nil {
				break
			}
			if a, ok := s.answer(payload); ok {
				s.reply(a)
			}
		}
	}
}

// answer is the reader's answer to a command, or none when it is silent.
func (s *Sim) answer(payload []byte) (cardreader.Answer, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(payload) >= 2 && (cardreader.Command{Cmd: payload[0], Para: payload[1]}) == cardreader.Find {
		s.finds++
		s.asked.Broadcast()
	}
	if s.silent {
		return cardreader.Answer{}, false
	}
	if len(payload) < 2 {
		return cardreader.Answer{SW3: 0x21}, true // a command it cannot make out
	}
	switch (cardreader.Command{Cmd: payload[0], Para: payload[1]}) {
	case cardreader.Find:
		if s.lifted || s.card == "" {
			s.lifted = false
			return cardreader.Answer{SW3: cardreader.StatusNoCard}, true
		}
		// The card's IIN follows a find; the driver does not need it.
		return cardreader.Answer{SW3: cardreader.StatusFound, Data: make([]byte, 4)}, true
	case cardreader.Select:
		if s.card == "" {
			return cardreader.Answer{SW3: cardreader.StatusNoSelect}, true
		}
		return cardreader.Answer{SW3: cardreader.StatusOK, Data: make([]byte, 8)}, true
	case cardreader.ReadBase:
		if s.card == "" {
			return cardreader.Answer{SW3: cardreader.StatusReadFail}, true
		}
		data := cardreader.BaseText(s.card)
		if s.tapped {
			s.card, s.lifted = "", true
		}
		return cardreader.Answer{SW3: cardreader.StatusOK, Data: data}, true
	}
	return cardreader.Answer{SW3: 0x21}, true
}

func (s *Sim) reply(a cardreader.Answer) {
	_, _ = s.master.Write(cardreader.Encode(a.Payload()))
}
