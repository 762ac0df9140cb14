package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/hall"
	"hallfloor/room"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/display"
	"hallfloor/queue"
)

// startBenchServer runs the demo hall as cmd/hallfloor wires it, on a real
// SQLite journal in a temporary directory, behind a real HTTP listener.
func startBenchServer(b *testing.B) *httptest.Server {
	b.Helper()
	return apptest.Start(b, app.Options{}).HTTP
}

// BenchmarkPostTicket is kiosks taking numbers over HTTP: JSON in, the
// durable commit, the ticket's JSON out, with `kiosks` requests in flight.
func BenchmarkPostTicket(b *testing.B) {
	for _, kiosks := range []int{1, 64} {
		b.Run(fmt.Sprintf("kiosks=%d", kiosks), func(b *testing.B) {
			hs := startBenchServer(b)
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: kiosks, MaxConnsPerHost: kiosks}}
			defer client.CloseIdleConnections()
			url := hs.URL + "/api/v1/tickets"
			services := []string{"A", "B", "C", "Q", "Z"}
			var n, failed atomic.Int64
			b.SetParallelism(max(1, kiosks/runtime.GOMAXPROCS(0)))
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					body := `{"service":"` + services[i%int64(len(services))] + `"}`
					req, _ := http.NewRequest(http.MethodPost, url, bytes.NewBufferString(body))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Idempotency-Key", "bench-"+strconv.FormatInt(i, 10))
					resp, err := client.Do(req)
					if err != nil {
						failed.Add(1)
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusCreated {
						failed.Add(1)
					}
				}
			})
			b.StopTimer()
			if f := failed.Load(); f > 0 {
				b.Fatalf("%d of %d requests failed", f, b.N)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tickets/s")
		})
	}
}

// benchCallState is the demo hall with window 1 serving and 500 A numbers
// waiting, and the ticket.called event that led there.
func benchCallState(b *testing.B) (*display.Hall, *hall.State, room.Event) {
	b.Helper()
	cfg := config.Demo()
	setup := cfg.Setup()
	st := hall.NewState(setup)
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, setup.Location())
	var last room.Event
	do := func(cmd hall.Command) {
		_, evs, err := st.Run(setup, cmd, room.Env{Now: now})
		if err != nil {
			b.Fatalf("%T: %v", cmd, err)
		}
		for _, e := range evs {
			if _, ok := e.Data.(queue.TicketCalled); ok {
				last = e
			}
		}
	}
	do(queue.OpenWindow{Window: "1", Actor: room.Actor{Staff: "1001", Role: room.Clerk}})
	for i := range 501 {
		do(queue.IssueTicket{ID: "t" + strconv.Itoa(i), Service: "A"})
	}
	do(queue.CallNext{Window: "1", Actor: room.Actor{Staff: "1001", Role: room.Clerk}})
	names := map[string]string{}
	for _, s := range cfg.Staff {
		names[s.ID] = s.Name
	}
	view := &display.Hall{ID: cfg.Hall.ID, Name: cfg.Hall.Name, NameEN: cfg.Hall.NameEN, Setup: setup, StaffNames: names}
	return view, st, last
}

// BenchmarkEventMessage is the per-event work the server does in the
// engine's writer before the hub fans out: the wire message of a call
// (window view, counts, call texts) encoded as JSON, once per event.
func BenchmarkEventMessage(b *testing.B) {
	view, st, ev := benchCallState(b)
	if _, ok := ev.Data.(queue.TicketCalled); !ok {
		b.Fatalf("last event is %s, want ticket.called", ev.Data.Type())
	}
	var size int
	b.ReportAllocs()
	for b.Loop() {
		msg, err := json.Marshal(view.Message(st, ev))
		if err != nil {
			b.Fatal(err)
		}
		size = len(msg)
	}
	b.ReportMetric(float64(size), "bytes/msg")
}
