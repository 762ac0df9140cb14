package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
)

// serveHall starts `hallfloor serve` on the demo hall with a server section
// of its own, under a limit of open files when nofile > 0 (as a small
// machine or a service unit would set it).
func serveHall(t *testing.T, server string, nofile int) *proc {
	t.Helper()
	demo, err := os.ReadFile("../../config/demo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cfg := filepath.Join(dir, "hall.yaml")
	// The settings go under the demo's own server section.
	hall := strings.Replace(string(demo), "\nserver:\n", "\nserver:\n"+server, 1)
	if err := os.WriteFile(cfg, []byte(hall), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"serve", "-addr", "127.0.0.1:0", "-data", filepath.Join(dir, "data"), "-config", cfg}
	cmd := exec.Command(binary(t), args...)
	if nofile > 0 {
		// exec keeps the pid, which the test kills at its end.
		cmd = exec.Command("/bin/sh", append([]string{"-c", fmt.Sprintf(`ulimit -n %d && exec "$0" "$@"`, nofile), binary(t)}, args...)...)
	}
	return startCmd(t, cmd)
}

func (p *proc) addr() string { return strings.TrimPrefix(p.base, "http://") }

// dialFrom opens a connection to the server from the loopback address ip,
// which the server takes for a client of its own.
func dialFrom(t *testing.T, ip, addr string) net.Conn {
	t.Helper()
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 10 * time.Second}
	c, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// ended waits (at most bound) for the server to end a connection, and
// returns what it said first.
func ended(c net.Conn, bound time.Duration) (said string, closed bool) {
	c.SetReadDeadline(time.Now().Add(bound))
	b, err := io.ReadAll(c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return string(b), false
	}
	return string(b), true
}

// issued is how many numbers the hall has given today.
func issued(t *testing.T, p *proc) int {
	t.Helper()
	resp, err := http.Get(p.base + "/api/v1/hall")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var v struct{ Services []struct{ Issued int } }
	if err := json.NewDecoder(resp.Body).Decode(&v); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range v.Services {
		n += s.Issued
	}
	return n
}

// A body trickled a byte at a time is cut off when the request's time is
// up: the connection is closed and nothing is issued, however long the
// sender would have gone on.
func TestTrickledBodyIsCutOff(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real server")
	}
	p := serveHall(t, "  connections: {header_timeout_s: 1, request_timeout_s: 2}\n", 0)
	c := dialFrom(t, "127.0.0.1", p.addr())
	body := fmt.Sprintf("%-60s", `{"service":"A"}`) // valid JSON, were it all to arrive
	fmt.Fprintf(c, "POST /api/v1/tickets HTTP/1.1\r\nHost: hall\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", len(body))
	sent := make(chan int, 1)
	go func() {
		// A byte every quarter second: the whole body would take 15 s.
		n := 0
		for ; n < len(body); n++ {
			if _, err := c.Write([]byte{body[n]}); err != nil {
				break
			}
			time.Sleep(250 * time.Millisecond)
		}
		sent <- n
	}()
	said, closed := ended(c, 60*time.Second)
	if !closed {
		t.Fatalf("a trickled body still held its connection after a minute; the server said %q", said)
	}
	if strings.HasPrefix(said, "HTTP/1.1 201") {
		t.Fatalf("the trickled request was served: %q", said)
	}
	if n := issued(t, p); n != 0 {
		t.Fatalf("%d numbers issued from a trickled body", n)
	}
	c.Close()
	if n := <-sent; n == len(body) {
		t.Fatalf("all %d bytes were trickled before the server ended the connection", n)
	}
}

// A kept-alive connection that sends nothing more is closed when its idle
// time is up.
func TestIdleKeepAliveIsClosed(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real server")
	}
	p := serveHall(t, "  connections: {idle_timeout_s: 1}\n", 0)
	c := dialFrom(t, "127.0.0.1", p.addr())
	fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: hall\r\n\r\n")
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Close {
		t.Fatalf("healthz: %d, close %v; want 200 kept alive", resp.StatusCode, resp.Close)
	}
	if said, closed := ended(c, 30*time.Second); !closed || said != "" {
		t.Fatalf("an idle keep-alive: closed %v after at most 30 s, said %q", closed, said)
	}
}

// One client opening connections and sending nothing cannot starve a
// newcomer at another address, even on a machine of 256 open files: past
// its share, its connections are answered 503 and closed at once, and the
// newcomer is served.
func TestOneSourceCannotStarveAnother(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real server")
	}
	const share, opened = 8, 300
	p := serveHall(t, fmt.Sprintf("  connections: {per_source: %d, header_timeout_s: 600, request_timeout_s: 600, idle_timeout_s: 600}\n", share), 256)
	conns := make([]net.Conn, opened)
	for i := range conns {
		conns[i] = dialFrom(t, "127.0.0.1", p.addr())
	}
	// The last one is past the share: it is told why, and closed.
	if said, closed := ended(conns[opened-1], 30*time.Second); !closed || !strings.HasPrefix(said, "HTTP/1.1 503") || !strings.Contains(said, "too_many_connections") {
		t.Fatalf("a connection past the share: closed %v, said %q", closed, said)
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{
		DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).DialContext,
	}}
	resp, err := client.Get(p.base + "/healthz")
	if err != nil {
		t.Fatalf("a newcomer from 127.0.0.2 beside %d idle connections from 127.0.0.1: %v", opened, err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("a newcomer: healthz %d", resp.StatusCode)
	}
}

// A screen's WebSocket outlives the HTTP timeouts: it is taken over from
// the HTTP server, which lets go of its deadlines, and lives by the hub's
// pings. Long after a request's and an idle connection's time it still
// gets the next call.
func TestScreensOutliveTheTimeouts(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a real server")
	}
	p := serveHall(t, "  connections: {header_timeout_s: 1, request_timeout_s: 1, idle_timeout_s: 1}\n", 0)
	ws, _, err := websocket.DefaultDialer.Dial("ws://"+p.addr()+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.SetReadDeadline(time.Now().Add(30 * time.Second))
	if _, _, err := ws.ReadMessage(); err != nil {
		t.Fatalf("snapshot: %v", err)
	}
	// Three times every timeout, with nothing said.
	time.Sleep(3 * time.Second)
	resp, err := http.Post(p.base+"/api/v1/tickets", "application/json", strings.NewReader(`{"service":"A"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	_, msg, err := ws.ReadMessage()
	if err != nil {
		t.Fatalf("the screen after the timeouts: %v", err)
	}
	if !strings.Contains(string(msg), "A001") {
		t.Fatalf("the screen got %s, want the new ticket", msg)
	}
}
