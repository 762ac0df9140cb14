package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// flood is a sign-in flood running beside the calls: clients sending
// wrong sign-ins as fast as they are answered, each from its own loopback
// address when the hall is on loopback, so that limits per source do not
// hide what the hall's own bound on password compares does.
type flood struct {
	mu     sync.Mutex
	status map[int]int
	failed int    // sign-ins that got no answer
	first  string // the first such failure
	stop   context.CancelFunc
	wg     sync.WaitGroup
}

// startFlood starts n flooding clients. staff "" sends made-up staff
// numbers; otherwise that staff number with wrong passwords.
func startFlood(ctx context.Context, base string, n int, staff string) *flood {
	ctx, cancel := context.WithCancel(ctx)
	f := &flood{status: map[int]int{}, stop: cancel}
	loopback := false
	if u, err := url.Parse(base); err == nil {
		loopback = strings.HasPrefix(u.Hostname(), "127.")
	}
	for i := range n {
		client := floodClient(loopback, i)
		f.wg.Go(func() {
			for k := 0; ctx.Err() == nil; k++ {
				who := staff
				if who == "" {
					who = "x" + strconv.Itoa(i) + "-" + strconv.Itoa(k)
				}
				body := fmt.Sprintf(`{"staff":%q,"password":"guess%d"}`, who, k)
				req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/api/v1/login", strings.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				resp, err := client.Do(req)
				if err != nil {
					if ctx.Err() == nil {
						f.mu.Lock()
						if f.failed++; f.first == "" {
							f.first = err.Error()
						}
						f.mu.Unlock()
					}
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				f.mu.Lock()
				f.status[resp.StatusCode]++
				f.mu.Unlock()
			}
		})
	}
	return f
}

func floodClient(loopback bool, i int) *http.Client {
	d := &net.Dialer{Timeout: 5 * time.Second}
	if loopback {
		d.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(1+i%250))}
	}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 1}}
}

// end stops the flood and returns how its sign-ins were answered.
func (f *flood) end() string {
	f.stop()
	f.wg.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	var parts []string
	total := 0
	for _, code := range []int{200, 401, 403, 429, 500, 503} {
		if n := f.status[code]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d×%d", n, code))
			total += n
		}
	}
	out := fmt.Sprintf("%d sign-ins answered (%s)", total, strings.Join(parts, ", "))
	if f.failed > 0 {
		out += fmt.Sprintf("; %d not answered, the first: %s", f.failed, f.first)
	}
	return out
}
