package main

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestConnectionFigures measures what clients can hold of a served hall
// with the default settings, on a machine of 1,024 open files: trickled
// bodies and idle keep-alives still open after 30 s, and whether a newcomer
// is served beside 1,100 kept-alive connections from one client. It takes about
// a minute and a half, so it runs only when asked (each part on a fresh
// server):
//
//	HALLFLOOR_FIGURES=1 go test ./cmd/hallfloor -run TestConnectionFigures -v
//
// HALLFLOOR_FIGURES_BIN measures another build of hallfloor the same way.
func TestConnectionFigures(t *testing.T) {
	if os.Getenv("HALLFLOOR_FIGURES") == "" {
		t.Skip("set HALLFLOOR_FIGURES=1 to measure")
	}
	bin := os.Getenv("HALLFLOOR_FIGURES_BIN")
	if bin == "" {
		bin = binary(t)
	}
	serve := func() *proc {
		return startCmd(t, exec.Command("/bin/sh", "-c", `ulimit -n 1024 && exec "$0" "$@"`, bin,
			"serve", "-addr", "127.0.0.1:0", "-data", filepath.Join(t.TempDir(), "data")))
	}
	const after = 30 * time.Second

	// 200 bodies trickled a byte a second, 50 from each of 4 addresses (so
	// that the share per address does not refuse them first).
	p := serve()
	var open atomic.Int64
	var wg sync.WaitGroup
	for i := range 200 {
		c := dialFrom(t, fmt.Sprintf("127.0.0.%d", 11+i/50), p.addr())
		open.Add(1)
		fmt.Fprintf(c, "POST /api/v1/tickets HTTP/1.1\r\nHost: hall\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
		wg.Add(2)
		go func() {
			defer wg.Done()
			for range after / time.Second {
				if _, err := c.Write([]byte(" ")); err != nil {
					return
				}
				time.Sleep(time.Second)
			}
		}()
		go func() {
			defer wg.Done()
			if _, closed := ended(c, after); closed {
				open.Add(-1)
			}
		}()
	}
	wg.Wait()
	t.Logf("trickled bodies: %d of 200 held after %v", open.Load(), after)

	p.cmd.Process.Kill()

	// 500 idle keep-alives, 50 from each of 10 addresses.
	p = serve()
	open.Store(0)
	for i := range 500 {
		c := dialFrom(t, fmt.Sprintf("127.0.0.%d", 21+i/50), p.addr())
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: hall\r\n\r\n")
		resp, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		open.Add(1)
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, closed := ended(c, after); closed {
				open.Add(-1)
			}
		}()
	}
	wg.Wait()
	t.Logf("idle keep-alives: %d of 500 open after %v", open.Load(), after)

	p.cmd.Process.Kill()

	// 1,100 connections from one address, each kept alive after one
	// request, then a newcomer from another.
	p = serve()
	var refused atomic.Int64
	for range 1100 {
		c := dialFrom(t, "127.0.0.1", p.addr())
		fmt.Fprintf(c, "GET /healthz HTTP/1.1\r\nHost: hall\r\n\r\n")
		wg.Add(1)
		go func() {
			defer wg.Done()
			c.SetReadDeadline(time.Now().Add(5 * time.Second))
			if resp, err := http.ReadResponse(bufio.NewReader(c), nil); err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusServiceUnavailable {
					refused.Add(1)
				}
			}
		}()
	}
	client := &http.Client{Timeout: 20 * time.Second, Transport: &http.Transport{
		DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP("127.0.0.2")}}).DialContext,
	}}
	start := time.Now()
	resp, err := client.Get(p.base + "/healthz")
	took := time.Since(start)
	if err == nil {
		resp.Body.Close()
		t.Logf("newcomer beside 1,100 kept-alive connections from one address: healthz %d in %v", resp.StatusCode, took.Round(time.Millisecond))
	} else {
		t.Logf("newcomer beside 1,100 kept-alive connections from one address: not served in %v (%v)", took.Round(time.Millisecond), err)
	}
	wg.Wait()
	t.Logf("of the 1,100: %d answered 503 and closed at once", refused.Load())
}
