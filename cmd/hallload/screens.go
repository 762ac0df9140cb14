package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gorilla/websocket"
)

// screen is one hall screen on the WebSocket: it checks that events come in
// sequence after its snapshot and notes when each call reached it.
type screen struct {
	conn   *websocket.Conn
	ready  chan struct{} // closed once the snapshot is in
	ended  chan struct{} // closed when the reader returns
	closed atomic.Bool   // we closed it; a read error after that is expected

	mu         sync.Mutex
	snapSeq    uint64
	last       uint64
	events     int
	gaps       uint64 // events skipped over
	outOfOrder int    // events at or before one already seen
	calledAt   map[string]time.Time
	err        error // why the connection ended early
}

// screens is every connected screen and the count of calls they saw, which
// the caller watches to know when the last one is in.
type screens struct {
	list   []*screen
	called atomic.Int64
}

// connectScreens dials n screens, `parallel` at a time, from `sources`
// loopback addresses in turn, and waits for each snapshot.
func connectScreens(ctx context.Context, base string, n, parallel, sources int) (*screens, error) {
	wsURL := "ws" + strings.TrimPrefix(base, "http") + "/ws"
	ss := &screens{list: make([]*screen, n)}
	dialer := websocket.Dialer{HandshakeTimeout: 30 * time.Second, ReadBufferSize: 4096, WriteBufferSize: 1024}
	sem := make(chan struct{}, parallel)
	errc := make(chan error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			d := dialer
			if sources > 1 {
				d.NetDialContext = (&net.Dialer{LocalAddr: loopback(i % sources)}).DialContext
			}
			conn, resp, err := d.DialContext(ctx, wsURL, http.Header{})
			if err != nil {
				if resp != nil {
					err = fmt.Errorf("%w (HTTP %d)", err, resp.StatusCode)
				}
				errc <- fmt.Errorf("screen %d: %w", i, err)
				return
			}
			s := &screen{conn: conn, ready: make(chan struct{}), ended: make(chan struct{}), calledAt: map[string]time.Time{}}
			ss.list[i] = s
			go s.read(&ss.called)
			select {
			case <-s.ready:
			case <-s.ended:
				errc <- fmt.Errorf("screen %d: closed before its snapshot: %v", i, s.err)
			case <-ctx.Done():
				errc <- ctx.Err()
			}
		})
	}
	wg.Wait()
	close(errc)
	if err := <-errc; err != nil {
		ss.close()
		return nil, err
	}
	return ss, nil
}

// loopback is the k-th loopback address from 127.0.0.1 on, as a local
// address to dial from: Linux answers on all of 127.0.0.0/8.
func loopback(k int) *net.TCPAddr {
	k++
	return &net.TCPAddr{IP: net.IPv4(127, byte(k>>16), byte(k>>8), byte(k))}
}

// read takes every message; the time is read first, so parsing is not
// counted as delivery.
func (s *screen) read(called *atomic.Int64) {
	defer close(s.ended)
	first := true
	for {
		_, msg, err := s.conn.ReadMessage()
		at := time.Now()
		if err != nil {
			if !s.closed.Load() {
				s.mu.Lock()
				s.err = err
				s.mu.Unlock()
			}
			return
		}
		h, err := peek(msg)
		if err != nil {
			s.mu.Lock()
			s.err = err
			s.mu.Unlock()
			return
		}
		s.mu.Lock()
		if first {
			first = false
			if h.Type != "snapshot" {
				s.err = fmt.Errorf("first message is %q, not a snapshot", h.Type)
				s.mu.Unlock()
				return
			}
			s.snapSeq, s.last = h.Seq, h.Seq
			s.mu.Unlock()
			close(s.ready)
			continue
		}
		s.events++
		switch {
		case h.Seq <= s.last:
			s.outOfOrder++
		default:
			// Seqs between prev and this one were private events, sent
			// to no screen: only a prev past the last seen is a gap.
			if h.Prev > s.last {
				s.gaps += h.Prev - s.last
			}
			s.last = h.Seq
		}
		if h.Type == "ticket.called" {
			if _, seen := s.calledAt[h.Ticket]; !seen {
				s.calledAt[h.Ticket] = at
			}
		}
		s.mu.Unlock()
		if h.Type == "ticket.called" {
			called.Add(1)
		}
	}
}

func (ss *screens) close() {
	for _, s := range ss.list {
		if s == nil {
			continue
		}
		s.closed.Store(true)
		s.conn.WriteControl(websocket.CloseMessage, websocket.FormatCloseMessage(websocket.CloseNormalClosure, ""), time.Now().Add(time.Second))
		s.conn.Close()
		<-s.ended
	}
}

// header is what a screen needs of a message.
type header struct {
	Type   string
	Seq    uint64
	Prev   uint64 // the seq of the message sent before
	Ticket string // the ticket of a ticket.* event
}

// Messages start {"type":"…","seq":N, and a ticket event's data starts
// {"ticket":{"id":"…"; reading that much directly keeps a thousand screens
// in one process from spending the machine on JSON. Anything else falls
// back to a full decode.
var (
	typePrefix   = []byte(`{"type":"`)
	seqPrefix    = []byte(`","seq":`)
	prevPrefix   = []byte(`,"prev":`)
	ticketPrefix = []byte(`"data":{"ticket":{"id":"`)
)

func peek(msg []byte) (header, error) {
	if h, ok := peekFast(msg); ok {
		return h, nil
	}
	var m struct {
		Type string  `json:"type"`
		Seq  uint64  `json:"seq"`
		Prev *uint64 `json:"prev"`
		Data struct {
			Ticket struct {
				ID string `json:"id"`
			} `json:"ticket"`
		} `json:"data"`
	}
	if err := json.Unmarshal(msg, &m); err != nil {
		return header{}, fmt.Errorf("unreadable message: %w", err)
	}
	h := header{Type: m.Type, Seq: m.Seq, Prev: m.Seq - 1, Ticket: m.Data.Ticket.ID}
	if m.Prev != nil {
		h.Prev = *m.Prev
	}
	return h, nil
}

func peekFast(msg []byte) (header, bool) {
	var h header
	rest, ok := bytes.CutPrefix(msg, typePrefix)
	if !ok {
		return h, false
	}
	i := bytes.IndexByte(rest, '"')
	if i < 0 {
		return h, false
	}
	h.Type, rest = string(rest[:i]), rest[i:]
	if rest, ok = bytes.CutPrefix(rest, seqPrefix); !ok {
		return h, false
	}
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	seq, err := strconv.ParseUint(string(rest[:j]), 10, 64)
	if err != nil {
		return h, false
	}
	h.Seq, h.Prev, rest = seq, seq-1, rest[j:]
	if after, ok := bytes.CutPrefix(rest, prevPrefix); ok {
		k := 0
		for k < len(after) && after[k] >= '0' && after[k] <= '9' {
			k++
		}
		prev, err := strconv.ParseUint(string(after[:k]), 10, 64)
		if err != nil {
			return h, false
		}
		h.Prev = prev
	}
	if h.Type == "ticket.called" {
		k := bytes.Index(rest, ticketPrefix)
		if k < 0 {
			return h, false
		}
		id := rest[k+len(ticketPrefix):]
		end := bytes.IndexByte(id, '"')
		if end < 0 {
			return h, false
		}
		h.Ticket = string(id[:end])
	}
	return h, true
}
