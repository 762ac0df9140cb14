package app

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"golang.org/x/net/netutil"

	"hallfloor/config"
	"hallfloor/display"
	"hallfloor/errs"
)

// httpServer is the hall's HTTP server with its connections bounded in
// time (see config.Connections). A WebSocket leaves those bounds when it
// is taken over from the HTTP server (gorilla/websocket clears the
// deadlines), and the hub keeps its own: a pong within a minute, or the
// screen is dropped.
func httpServer(h http.Handler, c config.Connections, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: c.HeaderTimeout(),
		ReadTimeout:       c.RequestTimeout(),
		IdleTimeout:       c.IdleTimeout(),
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
}

// limitConnections bounds the connections ln hands out: at most perSource
// open from one address, whose next is answered 503 and closed at once, so
// one client opening connections cannot take the descriptors everyone else
// needs; and at most total in all, beyond which the next waits to be
// accepted until one closes.
func limitConnections(ln net.Listener, perSource, total int, log *slog.Logger) net.Listener {
	return netutil.LimitListener(&perSourceListener{Listener: ln, max: perSource, open: map[string]int{}, log: log}, total)
}

type perSourceListener struct {
	net.Listener
	max int
	log *slog.Logger

	mu      sync.Mutex
	open    map[string]int // by address
	refused time.Time      // when a refusal was last logged
}

func (l *perSourceListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		src := sourceOf(c)
		l.mu.Lock()
		if l.open[src] >= l.max {
			logIt := time.Since(l.refused) > time.Minute
			if logIt {
				l.refused = time.Now()
			}
			l.mu.Unlock()
			if logIt {
				l.log.Warn("connections refused: one address holds its share", "source", src, "per_source", l.max)
			}
			refuseConnection(c, l.max)
			continue
		}
		l.open[src]++
		l.mu.Unlock()
		return &sourceConn{Conn: c, done: func() { l.release(src) }}, nil
	}
}

func (l *perSourceListener) release(src string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[src]--; l.open[src] <= 0 {
		delete(l.open, src)
	}
}

func sourceOf(c net.Conn) string {
	if a, ok := c.RemoteAddr().(*net.TCPAddr); ok {
		return a.IP.String()
	}
	return c.RemoteAddr().String()
}

// sourceConn gives its address's share back when it closes, once.
type sourceConn struct {
	net.Conn
	once sync.Once
	done func()
}

func (c *sourceConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.done)
	return err
}

// refuseConnection says why before closing: a client (or a proxy set up
// without raising per_source) reads a worded 503, not a bare reset. The
// write is small and bounded in time, so the accept loop never waits on
// the client.
func refuseConnection(c net.Conn, max int) {
	e := errs.R(errs.Conflict, "too_many_connections", "max", max)
	words := display.Refusal(e)
	body, _ := json.Marshal(map[string]any{"error": map[string]any{
		"code": e.Kind, "reason": e.Reason, "message": words.ZH, "message_en": words.EN,
	}})
	c.SetWriteDeadline(time.Now().Add(time.Second))
	fmt.Fprintf(c, "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\nRetry-After: 5\r\n\r\n%s", len(body), body)
	c.Close()
}
