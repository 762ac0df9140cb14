// Package ws pushes the hall's events to screens, terminals and phones over
// WebSocket. Each event is encoded once and the same prepared frame goes to
// every client; each client has a bounded queue, and a client too slow to
// keep up is cut off (it reconnects and resumes) rather than slowing the hall.
package ws

import (
	"encoding/binary"
	"encoding/json"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

const (
	writeWait  = 10 * time.Second
	pongWait   = 60 * time.Second
	pingPeriod = pongWait * 9 / 10
	// sendQueue is how many frames a client may fall behind before it is
	// cut off: a burst of calls fits, a dead network does not. The queue
	// is a slice grown only while frames wait, so the bound costs an idle
	// client nothing.
	sendQueue = 1024
	// readBuffer holds what a screen sends: pongs and the close, whose
	// payloads are at most 125 bytes.
	readBuffer = 256
	// ringSize is how many recent events a reconnecting client can resume
	// from; past that it gets a fresh snapshot.
	ringSize = 8192
)

// Frame is one encoded event. A frame without Data is a private event: the
// hub notes its seq (a client may resume after it) but sends nothing.
type Frame struct {
	Seq  uint64
	Data []byte // JSON text
}

// Snapshotter builds the first message for a client: a snapshot of the
// hall as of seq, encoded as JSON.
type Snapshotter func() (seq uint64, msg []byte, err error)

// Stats observes the hub, for metrics.
type Stats interface {
	ClientsChanged(n int)
	Dropped()
}

// Hub fans events out to clients.
type Hub struct {
	snapshot Snapshotter
	epoch    string
	origins  []string
	log      *slog.Logger
	stats    Stats
	upgrader websocket.Upgrader

	in    chan []Frame
	queue int // per-client send queue length

	mu      sync.Mutex
	clients map[*client]struct{}
	ring    []*prepared // the latest events sent, oldest first
	last    uint64      // seq of the newest event the hub has seen
	// floor is the newest seq whose frame the ring may lack: the seq
	// before the first event the hub saw, then the newest dropped from
	// the ring. A client can resume after N only if N >= floor.
	floor  uint64
	seen   bool
	closed bool
	// snap is the latest snapshot message and its frame.
	snap struct{ msg, frame []byte }
}

type prepared struct {
	seq uint64
	msg []byte // the whole WebSocket frame, see textFrame
}

// client is one connection. While it is idle it holds no queue and no
// writer: a frame for it starts a writer goroutine that drains its queue
// and ends, so an idle screen costs its reader goroutine, the connection
// and this struct.
type client struct {
	conn  *websocket.Conn
	after uint64 // events up to here are already covered
	ping  *time.Timer

	mu      sync.Mutex
	queue   [][]byte // frames not yet taken by the writer, oldest first
	writing bool     // a writer is draining the queue
	pingDue bool     // the writer owes the client a ping
	stopped bool     // cut off, or leaving: the writer says so and closes
}

// Options configure a hub.
type Options struct {
	Snapshot Snapshotter
	// Origins are extra allowed web origins; the server's own host is always
	// allowed, and so are clients that send no Origin (screens, scripts).
	Origins []string
	Logger  *slog.Logger
	Stats   Stats
	// Backlog seeds the resume buffer, e.g. with the journal's tail after a
	// restart, so screens resume across it.
	Backlog []Frame
	// SendQueue is how many frames a client may fall behind before it is
	// cut off; 0 means the default. Tests make it small.
	SendQueue int
	// Epoch is the identity of the journal the seqs count in; with one,
	// a client resumes only if it says the same (?epoch=), and is told
	// it first (see resumeFrame). A seq of another history means nothing.
	Epoch string
}

// NewHub starts a hub.
func NewHub(o Options) *Hub {
	h := &Hub{
		snapshot: o.Snapshot,
		epoch:    o.Epoch,
		origins:  o.Origins,
		log:      o.Logger,
		stats:    o.Stats,
		in:       make(chan []Frame, 4096),
		clients:  map[*client]struct{}{},
		queue:    o.SendQueue,
	}
	if h.queue <= 0 {
		h.queue = sendQueue
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	h.upgrader = websocket.Upgrader{
		ReadBufferSize: readBuffer,
		// Frames go straight onto the socket (see textFrame) and control
		// frames build their own bytes: with a pool, gorilla never takes a
		// write buffer for a connection.
		WriteBufferPool: &writeBuffers,
		CheckOrigin:     h.checkOrigin,
	}
	h.fanout(o.Backlog)
	go h.run()
	return h
}

// writeBuffers is gorilla's pool of write buffers, shared by every hub.
var writeBuffers sync.Pool

// Publish hands frames to the hub, in sequence order. It does not wait for
// any client.
func (h *Hub) Publish(frames []Frame) { h.in <- frames }

func (h *Hub) run() {
	for fs := range h.in {
		h.fanout(fs)
	}
}

func (h *Hub) fanout(fs []Frame) {
	if len(fs) == 0 {
		return
	}
	ps := make([]*prepared, 0, len(fs))
	for _, f := range fs {
		if f.Data != nil {
			ps = append(ps, &prepared{seq: f.Seq, msg: textFrame(f.Data)})
		}
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if !h.seen {
		h.floor, h.seen = fs[0].Seq-1, true
	}
	h.ring = append(h.ring, ps...)
	if over := len(h.ring) - ringSize; over > 0 {
		// The ring moves on in its array, the frames that leave it let go;
		// append moves it to a new array once it reaches the end. Copying
		// the whole ring to a new one for every batch cost a durable
		// ticket 4 KB and a fifth of its garbage.
		h.floor = h.ring[over-1].seq
		clear(h.ring[:over])
		h.ring = h.ring[over:]
	}
	h.last = fs[len(fs)-1].Seq
	msgs := make([][]byte, 0, len(ps))
	for c := range h.clients {
		msgs = msgs[:0]
		for _, p := range ps {
			if p.seq > c.after {
				msgs = append(msgs, p.msg)
			}
		}
		if len(msgs) > 0 {
			h.offer(c, msgs)
		}
	}
}

// offer queues a batch's frames for a client, all at once so that they go
// out in one write, or, when its queue cannot take them, cuts it off.
// Called with h.mu held.
func (h *Hub) offer(c *client, msgs [][]byte) {
	if c.push(msgs, h.queue) {
		return
	}
	delete(h.clients, c)
	c.stop()
	if h.stats != nil {
		h.stats.Dropped()
		h.stats.ClientsChanged(len(h.clients))
	}
}

// Clients is the number of connected clients.
func (h *Hub) Clients() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.clients)
}

// Close disconnects every client.
func (h *Hub) Close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		c.stop()
		delete(h.clients, c)
	}
}

// DisconnectAll drops every client but keeps the hub open: clients
// reconnect and resume with ?since, as after a network outage.
func (h *Hub) DisconnectAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for c := range h.clients {
		c.stop()
		delete(h.clients, c)
	}
	if h.stats != nil {
		h.stats.ClientsChanged(0)
	}
}

func (h *Hub) checkOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return true
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	if strings.EqualFold(u.Host, r.Host) {
		return true
	}
	for _, o := range h.origins {
		if strings.EqualFold(o, origin) {
			return true
		}
	}
	return false
}

// ServeHTTP upgrades a request to a WebSocket. ?since=N resumes after event
// N when the hub still holds what followed; otherwise the client starts
// from a snapshot.
func (h *Hub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var since uint64
	resume := false
	if s := r.URL.Query().Get("since"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			http.Error(w, `{"error":{"code":"invalid","message":"since must be a sequence number","field":"since"}}`, http.StatusBadRequest)
			return
		}
		since, resume = n, true
	}
	if resume && r.URL.Query().Get("epoch") != h.epoch {
		resume = false // another history's seq: a fresh snapshot
	}
	conn, err := h.upgrader.Upgrade(w, r, nil)
	if err != nil {
		return // the upgrader has answered
	}
	c := &client{conn: conn}
	if !h.join(c, since, resume) {
		conn.Close()
		return
	}
	// The reader gets a goroutine of its own, started small, and the
	// server's goroutine, whose stack grew while it read the request, ends.
	go c.readLoop(h)
}

// join registers a client and queues what it must see first: the events
// after since, or a snapshot and the events after it.
func (h *Hub) join(c *client, since uint64, resume bool) bool {
	if resume && h.register(c, since, true, h.resumeFrame(since)) {
		return true
	}
	seq, msg, err := h.snapshot()
	if err != nil {
		h.log.Warn("ws: snapshot for new client", "err", err)
		return false
	}
	return h.register(c, seq, false, h.snapshotFrame(msg))
}

// snapshotFrame is msg as a frame. A snapshotter that hands every client
// joining at one seq the same message gets one frame for all of them.
func (h *Hub) snapshotFrame(msg []byte) []byte {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(msg) == 0 || len(h.snap.msg) != len(msg) || &h.snap.msg[0] != &msg[0] {
		h.snap.msg, h.snap.frame = msg, textFrame(msg)
	}
	return h.snap.frame
}

// register adds the client if the ring covers everything after `after`
// that the hub has seen, when it resumes; first, if given, goes before the
// backlog.
func (h *Hub) register(c *client, after uint64, resume bool, first []byte) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return false
	}
	if resume {
		// Resuming: the client must not be ahead of us (a different hall or
		// a wiped journal) and what it missed must still be in the ring.
		if after > h.last || after < h.floor {
			return false
		}
	}
	var backlog [][]byte
	if first != nil {
		backlog = append(backlog, first)
	}
	for _, p := range h.ring {
		if p.seq > after {
			backlog = append(backlog, p.msg)
		}
	}
	if len(backlog) > h.queue {
		return false // too far behind to replay; a snapshot is quicker
	}
	c.after = after
	c.ping = time.AfterFunc(pingPeriod, c.pingNow)
	c.push(backlog, h.queue)
	h.clients[c] = struct{}{}
	if h.stats != nil {
		h.stats.ClientsChanged(len(h.clients))
	}
	return true
}

// push queues msgs and makes sure a writer is on it; false when the queue
// would hold more than limit frames. A client on its way out takes nothing
// more.
func (c *client) push(msgs [][]byte, limit int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.stopped:
		return true
	case len(c.queue)+len(msgs) > limit:
		return false
	}
	c.queue = append(c.queue, msgs...)
	c.wake()
	return true
}

// pingNow owes the client a ping; the timer calls it.
func (c *client) pingNow() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pingDue = true
	c.wake()
}

// stop has the writer close the connection, saying why.
func (c *client) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.stopped = true
	c.wake()
}

// wake starts a writer unless one is running. Called with c.mu held.
func (c *client) wake() {
	if !c.writing {
		c.writing = true
		go c.write()
	}
}

func (h *Hub) leave(c *client) {
	h.mu.Lock()
	if _, ok := h.clients[c]; ok {
		delete(h.clients, c)
		if h.stats != nil {
			h.stats.ClientsChanged(len(h.clients))
		}
	}
	h.mu.Unlock()
	c.stop()
}

// readLoop reads only to see pongs and the close; clients send nothing else.
func (c *client) readLoop(h *Hub) {
	defer h.leave(c)
	c.conn.SetReadLimit(4096)
	c.conn.SetReadDeadline(time.Now().Add(pongWait))
	c.conn.SetPongHandler(func(string) error { return c.conn.SetReadDeadline(time.Now().Add(pongWait)) })
	for {
		if _, _, err := c.conn.NextReader(); err != nil {
			return
		}
	}
}

// write drains the queue and ends once it is empty. Every frame queued
// while it wrote goes out in the next write: a call is several events (the
// last ticket finished, the next one called, the evaluator's prompt), and
// one system call per client instead of three is what keeps thousands of
// screens quick on a small machine.
func (c *client) write() {
	for {
		c.mu.Lock()
		out, ping, stopped := c.queue, c.pingDue, c.stopped
		c.queue, c.pingDue = nil, false
		if !stopped && len(out) == 0 && !ping {
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		if stopped {
			c.close()
			return // writing stays true: no writer is started again
		}
		if len(out) > 0 {
			nc := c.conn.NetConn()
			nc.SetWriteDeadline(time.Now().Add(writeWait))
			if _, err := (*net.Buffers)(&out).WriteTo(nc); err != nil {
				c.close()
				return
			}
		}
		if ping {
			if err := c.conn.WriteControl(websocket.PingMessage, nil, time.Now().Add(writeWait)); err != nil {
				c.close()
				return
			}
			c.ping.Reset(pingPeriod)
		}
	}
}

// close ends the connection, first telling a client that is cut off why,
// so it knows to resume. Closing the socket ends the reader, which takes
// the client out of the hub.
func (c *client) close() {
	c.mu.Lock()
	c.stopped, c.queue = true, nil
	c.mu.Unlock()
	c.ping.Stop()
	c.conn.WriteControl(websocket.CloseMessage,
		websocket.FormatCloseMessage(websocket.ClosePolicyViolation, "too slow; resume with ?since"),
		time.Now().Add(time.Second))
	c.conn.Close()
}

// EncodeSnapshot is the first message's shape: {"type":"snapshot","seq":N,"hall":{…}}.
func EncodeSnapshot(seq uint64, hall any) ([]byte, error) { return EncodeSnapshotOf(seq, "", hall) }

// EncodeSnapshotOf is EncodeSnapshot in a journal's epoch:
// {"type":"snapshot","seq":N,"epoch":"…","hall":{…}}.
func EncodeSnapshotOf(seq uint64, epoch string, hall any) ([]byte, error) {
	return json.Marshal(struct {
		Type  string `json:"type"`
		Seq   uint64 `json:"seq"`
		Epoch string `json:"epoch,omitempty"`
		Hall  any    `json:"hall"`
	}{"snapshot", seq, epoch, hall})
}

// resumeFrame is the first message of a client resuming after since in
// the hub's epoch, {"type":"resume","seq":N,"epoch":"…"}, so it knows the
// history it is in; nil without an epoch, where resumes say nothing first.
func (h *Hub) resumeFrame(since uint64) []byte {
	if h.epoch == "" {
		return nil
	}
	b, _ := json.Marshal(struct {
		Type  string `json:"type"`
		Seq   uint64 `json:"seq"`
		Epoch string `json:"epoch"`
	}{"resume", since, h.epoch})
	return textFrame(b)
}

// textFrame is msg as one final, unmasked, uncompressed WebSocket text
// frame (RFC 6455 5.2), byte for byte what gorilla writes for it. The hub
// builds it once per event and every client's writer sends it unchanged,
// several at a time when a client has more than one queued. Whole writes
// on a net.Conn do not interleave, so gorilla's own control frames (pings,
// pongs, the close) stay intact around them.
func textFrame(msg []byte) []byte {
	const finText = 0x81 // FIN, opcode 1
	n := len(msg)
	var f []byte
	switch {
	case n < 126:
		f = append(make([]byte, 0, 2+n), finText, byte(n))
	case n <= 0xFFFF:
		f = append(make([]byte, 0, 4+n), finText, 126)
		f = binary.BigEndian.AppendUint16(f, uint16(n))
	default:
		f = append(make([]byte, 0, 10+n), finText, 127)
		f = binary.BigEndian.AppendUint64(f, uint64(n))
	}
	return append(f, msg...)
}
