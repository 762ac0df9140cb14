package engine_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal/sqlite"
	"hallfloor/queue"
	"hallfloor/room"
)

// benchEngine is the demo hall on a real SQLite journal (WAL,
// synchronous=FULL) in a temporary directory, running. It counts commits so
// a benchmark can report how well commands were grouped.
type benchEngine struct {
	*engine.Engine
	commits  atomic.Int64
	commands atomic.Int64
}

func startBenchEngine(b *testing.B) *benchEngine {
	b.Helper()
	j, err := sqlite.Open(filepath.Join(b.TempDir(), "hall.db"))
	if err != nil {
		b.Fatal(err)
	}
	eng, err := engine.Open(context.Background(), engine.Options{
		Setup:   config.Demo().Setup(),
		Journal: j,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	if err != nil {
		b.Fatal(err)
	}
	be := &benchEngine{Engine: eng}
	eng.ObserveCommits(func(_ time.Duration, n int) {
		be.commits.Add(1)
		be.commands.Add(int64(n))
	})
	ctx, cancel := context.WithCancel(context.Background())
	go eng.Run(ctx)
	b.Cleanup(func() {
		cancel()
		eng.Wait()
		j.Close()
	})
	return be
}

func (be *benchEngine) do(b *testing.B, cmd hall.Command) engine.Result {
	res := be.Do(context.Background(), cmd, "", nil)
	if res.Err != nil {
		b.Errorf("%T: %v", cmd, res.Err)
	}
	return res
}

// fill issues n A numbers from many goroutines at once, so the filling
// itself is grouped into few commits.
func (be *benchEngine) fill(b *testing.B, n int) {
	b.Helper()
	var wg sync.WaitGroup
	next := atomic.Int64{}
	for range 64 {
		wg.Go(func() {
			for next.Add(1) <= int64(n) {
				be.do(b, queue.IssueTicket{Service: "A"})
			}
		})
	}
	wg.Wait()
}

// report adds the figures that matter for a durable command: how many went
// through per second and how many shared one commit (fsync).
func (be *benchEngine) report(b *testing.B, unit string) {
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), unit+"/s")
	if c := be.commits.Load(); c > 0 {
		b.ReportMetric(float64(be.commands.Load())/float64(c), "cmds/commit")
	}
}

// BenchmarkIssueDurable takes numbers with `kiosks` requests in flight at
// once; each returns only after its event is committed to SQLite. With one
// kiosk every number waits for its own fsync; with many, commands arriving
// during a commit share the next one.
func BenchmarkIssueDurable(b *testing.B) {
	services := []string{"A", "B", "C", "Q", "Z"}
	for _, kiosks := range []int{1, 16, 64, 256} {
		b.Run(fmt.Sprintf("kiosks=%d", kiosks), func(b *testing.B) {
			be := startBenchEngine(b)
			be.commits.Store(0)
			be.commands.Store(0)
			// RunParallel starts parallelism×GOMAXPROCS goroutines.
			b.SetParallelism(max(1, kiosks/runtime.GOMAXPROCS(0)))
			var n atomic.Int64
			b.ReportAllocs()
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := n.Add(1)
					be.do(b, queue.IssueTicket{Service: services[i%int64(len(services))]})
				}
			})
			b.StopTimer()
			be.report(b, "tickets")
		})
	}
}

// BenchmarkCallDurable calls the next number, durably, from one window (a
// clerk presses "next" and waits for the screen) and from the four windows
// that serve A at once. A line of b.N+500 A numbers is issued off the clock.
func BenchmarkCallDurable(b *testing.B) {
	for _, windows := range [][]string{{"1"}, {"1", "2", "4", "6"}} {
		b.Run(fmt.Sprintf("windows=%d", len(windows)), func(b *testing.B) {
			be := startBenchEngine(b)
			staff := map[string]string{"1": "1001", "2": "1002", "4": "1004", "6": "1006"}
			for _, w := range windows {
				be.do(b, queue.OpenWindow{Window: w, Actor: room.Actor{Staff: staff[w], Role: room.Clerk}})
			}
			be.fill(b, b.N+500)
			be.commits.Store(0)
			be.commands.Store(0)
			var left atomic.Int64
			left.Store(int64(b.N))
			var wg sync.WaitGroup
			b.ReportAllocs()
			b.ResetTimer()
			for _, w := range windows {
				wg.Go(func() {
					call := queue.CallNext{Window: w, Actor: room.Actor{Staff: staff[w], Role: room.Clerk}}
					for left.Add(-1) >= 0 {
						res := be.do(b, call)
						// The screen shows the ticket this call called.
						call.Current = ""
						for _, ev := range res.Events {
							if c, ok := ev.Data.(queue.TicketCalled); ok {
								call.Current = c.Ticket.ID
							}
						}
					}
				})
			}
			wg.Wait()
			b.StopTimer()
			be.report(b, "calls")
		})
	}
}
