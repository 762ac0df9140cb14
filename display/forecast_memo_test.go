package display

import (
	"fmt"
	"testing"
	"time"

	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// BenchmarkTicketViews is a hundred phones reading their ticket after one
// call in a hall of 40 windows and 1,000 waiting: with the memo they share
// one forecast.
//
//	go test ./display -run '^$' -bench TicketViews
func BenchmarkTicketViews(b *testing.B) {
	var svs []queue.Service
	for i := range 8 {
		svs = append(svs, queue.Service{Code: string(rune('A' + i)), Name: "业务", Kind: queue.Intake, ServiceTime: time.Duration(4+i%4*2) * time.Minute})
	}
	var wins []queue.WindowSetup
	for i := range 40 {
		wins = append(wins, queue.WindowSetup{ID: fmt.Sprint(i + 1), Services: []string{svs[i%8].Code, svs[(i+3)%8].Code}})
	}
	setup := hall.NewSetup(queue.Setup{Services: svs, Windows: wins}, rating.Setup{}, nil, hall.Alerts{})
	s := hall.NewState(setup)
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	n := 0
	do := func(cmd hall.Command) room.Outcome {
		out, _, err := s.Run(setup, cmd, room.Env{Now: now, NewID: func() string { n++; return fmt.Sprint("t", n) }})
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	for _, w := range wins {
		do(queue.OpenWindow{Window: w.ID, Actor: room.Actor{Staff: "c" + w.ID, Role: room.Clerk}})
	}
	for i := range 4000 {
		do(queue.IssueTicket{Service: svs[i%8].Code})
		now = now.Add(5 * time.Second)
		if i%4 != 3 {
			w := wins[i%40].ID
			do(queue.CallNext{Window: w, Actor: room.Actor{Staff: "c" + w, Role: room.Clerk}, Current: s.Queue.Windows[w].Current})
		}
	}
	var waiting []*queue.Ticket
	for _, t := range s.Queue.Tickets {
		if t.Status == queue.Waiting {
			waiting = append(waiting, t)
		}
	}
	if len(waiting) < 100 {
		b.Fatalf("%d waiting", len(waiting))
	}
	h := &Hall{Name: "大厅", Setup: setup, Clock: func() time.Time { return now }}
	b.ResetTimer()
	for range b.N {
		for i := range 100 {
			h.Ticket(s, waiting[i])
		}
		h.memo.Store(nil) // the next call: a new sequence number
	}
}
