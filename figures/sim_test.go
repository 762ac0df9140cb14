package figures_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"hallfloor/calendar"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/journal/sqlite"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// bigSetup is a hall of n windows, each serving two of eight services.
func bigSetup(windows int) *hall.Setup {
	week := []calendar.Session{{Start: 9 * 60, End: 12 * 60}, {Start: 13 * 60, End: 17*60 + 30}}
	cal := &calendar.Calendar{Location: shanghai}
	for d := range cal.Weekly {
		cal.Weekly[d] = week
	}
	qs := queue.Setup{Location: shanghai, Calendar: cal}
	for i := range 8 {
		code := string(rune('A' + i))
		qs.Services = append(qs.Services, queue.Service{Code: code, Name: "业务" + code, Kind: queue.Intake})
	}
	for i := range windows {
		qs.Windows = append(qs.Windows, queue.WindowSetup{ID: fmt.Sprint(i + 1), Name: fmt.Sprintf("%d号窗口", i+1),
			Services: []string{string(rune('A' + i%8)), string(rune('A' + (i+3)%8))}})
	}
	return hall.NewSetup(qs, rating.Setup{}, nil, hall.Alerts{})
}

// simHall is a hall on a real engine and SQLite journal, driven with a
// fake clock through days of work.
type simHall struct {
	tb      testing.TB
	setup   *hall.Setup
	eng     *engine.Engine
	journal *sqlite.Journal
	hist    journal.Journal
	clock   *fakeClock
	rng     *rand.Rand
	stop    func()
	ids     int
	fus     []string
	kinds   map[string]int
	bad     int // 差评 in a hundred services
}

func startSim(tb testing.TB, dir string, windows int) *simHall {
	tb.Helper()
	path := filepath.Join(dir, "hall.db")
	j, err := sqlite.Open(path)
	if err != nil {
		tb.Fatal(err)
	}
	h := &simHall{tb: tb, setup: bigSetup(windows), journal: j, clock: &fakeClock{}, rng: rand.New(rand.NewPCG(7, 11)),
		kinds: map[string]int{}, bad: 3}
	h.clock.Set(time.Date(2025, 1, 1, 8, 0, 0, 0, shanghai))
	h.eng, err = engine.Open(context.Background(), engine.Options{Setup: h.setup, Journal: j, Clock: h.clock.Now,
		NewID: h.newID, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		tb.Fatal(err)
	}
	if h.hist, err = sqlite.OpenReadOnly(path); err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go h.eng.Run(ctx)
	h.stop = func() {
		cancel()
		h.eng.Wait()
		j.Close()
		h.hist.Close()
	}
	tb.Cleanup(h.stop)
	return h
}

func (h *simHall) newID() string {
	h.ids++
	return fmt.Sprintf("t%08d", h.ids)
}

// try runs a command; a refusal (a skip with nobody called) is part of a
// day, not a failure.
// It returns the ticket a call called.
func (h *simHall) try(cmd hall.Command) (called string, ok bool) {
	res := h.eng.Do(context.Background(), cmd, "", nil)
	if res.Err != nil {
		return "", false
	}
	for _, e := range res.Events {
		p := e.Data
		h.kinds[fmt.Sprintf("%T", p)]++
		if c, ok := p.(queue.TicketCalled); ok {
			called = c.Ticket.ID
		}
		if f, ok := p.(rating.FollowUpOpened); ok {
			h.fus = append(h.fus, f.FollowUp.ID)
		}
	}
	return called, true
}

func clerk(id string) room.Actor { return room.Actor{Staff: id, Role: room.Clerk} }

// day runs one day of the hall: tickets numbers issued from 9:00 to 17:00,
// each window calling the next when its citizen is done, with no-shows
// (some taken back, some requeued), transfers, pauses, ratings with 差评,
// overtime after 17:30 with confirmations, and follow-ups of earlier days
// closed.
func (h *simHall) day(date time.Time, tickets int) {
	windows := h.setup.Queue.Windows
	staff := make([]string, len(windows))
	for i := range windows {
		staff[i] = fmt.Sprintf("c%03d", (i+date.Day()%2*len(windows))%(len(windows)+len(windows)/4)+1)
	}
	h.clock.Set(date.Add(8*time.Hour + 55*time.Minute))
	h.try(rating.CheckFollowUps{})
	for len(h.fus) > 0 && h.rng.IntN(4) > 0 {
		h.try(rating.CloseFollowUp{ID: h.fus[0], Action: "回访", Outcome: "已解释", Reason: "等候时间过长",
			Actor: room.Actor{Staff: "m1", Role: room.Manager}})
		h.fus = h.fus[1:]
	}
	for i, w := range windows {
		h.try(queue.OpenWindow{Window: w.ID, Actor: clerk(staff[i])})
	}
	start, issueEnd, end := date.Add(9*time.Hour), date.Add(17*time.Hour), date.Add(17*time.Hour+50*time.Minute)
	gap := issueEnd.Sub(start) / time.Duration(tickets)
	busy := make([]time.Time, len(windows))
	current := make([]string, len(windows))
	// A window takes, on average, its share of the day per number.
	avg := 8 * time.Hour * time.Duration(len(windows)) / time.Duration(tickets)
	checked := false
	for now := start; now.Before(end); now = now.Add(gap) {
		h.clock.Set(now)
		if now.Before(issueEnd) {
			h.try(queue.IssueTicket{Service: string(rune('A' + h.rng.IntN(8)))})
		}
		if !checked && !now.Before(date.Add(17*time.Hour+30*time.Minute)) {
			h.try(overtime.Check{})
			checked = true
		}
		for i := range windows {
			if now.Before(busy[i]) {
				continue
			}
			h.window(i, windows[i].ID, clerk(staff[i]), current)
			busy[i] = now.Add(avg/2 + time.Duration(h.rng.Int64N(int64(avg))))
		}
	}
	h.clock.Set(end)
	h.try(overtime.Check{})
	for i, w := range windows {
		if _, ok := h.try(queue.Finish{Window: w.ID, Actor: clerk(staff[i])}); ok {
			h.rate(w.ID)
			h.confirm(w.ID, clerk(staff[i]))
		}
		h.try(queue.CloseWindow{Window: w.ID, Actor: clerk(staff[i])})
	}
	h.try(overtime.Check{})
}

// window is one move of a window's clerk.
func (h *simHall) window(i int, w string, actor room.Actor, current []string) {
	switch n := h.rng.IntN(40); {
	case n < 32:
		if out, ok := h.try(queue.CallNext{Window: w, Actor: actor, Current: current[i]}); ok {
			if current[i] != "" {
				h.rate(w)
				h.confirm(w, actor)
			}
			current[i] = out
		}
	case n < 34:
		if _, ok := h.try(queue.Skip{Window: w, Actor: actor}); ok {
			switch h.rng.IntN(3) {
			case 0:
				h.try(queue.UndoSkip{Window: w, Ticket: current[i], Actor: actor})
			case 1:
				h.try(queue.Requeue{Ticket: current[i], Actor: actor})
				current[i] = ""
			default:
				current[i] = ""
			}
		}
	case n < 35:
		if _, ok := h.try(queue.Transfer{Window: w, Actor: actor, ToService: string(rune('A' + h.rng.IntN(8)))}); ok {
			current[i] = ""
		}
	case n < 36:
		if _, ok := h.try(queue.Pause{Window: w, Actor: actor, Reason: "暂离"}); ok {
			h.try(queue.Resume{Window: w, Actor: actor})
		}
	case n < 37:
		if h.ids > 0 {
			h.try(queue.CancelTicket{Ticket: fmt.Sprintf("t%08d", h.ids)})
		}
	}
}

func (h *simHall) rate(w string) {
	switch n := h.rng.IntN(100); {
	case n < h.bad-1:
		h.try(rating.Rate{Channel: rating.ChannelEvaluator, Window: w, Level: 1 + h.rng.IntN(2), Reason: "等候时间过长"})
	case n < h.bad:
		h.try(rating.PressLevel{Window: w, Level: 2})
	case n < 60:
		h.try(rating.Rate{Channel: rating.ChannelEvaluator, Window: w, Level: 3 + h.rng.IntN(3)})
	}
}

func (h *simHall) confirm(w string, actor room.Actor) {
	if _, ok := h.try(overtime.Confirm{Window: w, By: overtime.ByClerk, Actor: actor}); ok && h.rng.IntN(2) == 0 {
		h.try(overtime.Confirm{Window: w, By: overtime.ByApplicant})
	}
}

// run works days from the hall's first day.
func (h *simHall) run(days, tickets int) {
	for d := range days {
		h.day(time.Date(2025, 1, 1+d, 0, 0, 0, 0, shanghai), tickets)
	}
}
