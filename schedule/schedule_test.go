package schedule

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"hallfloor/calendar"
	"hallfloor/hall"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// hallCalendar opens every day 09:00–12:00 and 13:30–17:30, with a special
// 预约办 morning ending at 11:00 on 2000-01-02.
func hallCalendar(loc *time.Location) *calendar.Calendar {
	c := &calendar.Calendar{Location: loc, Special: map[string][]calendar.Session{"2000-01-02": {{Start: 9 * 60, End: 11 * 60}}}}
	for d := range c.Weekly {
		c.Weekly[d] = []calendar.Session{{Start: 9 * 60, End: 12 * 60}, {Start: 13*60 + 30, End: 17*60 + 30}}
	}
	return c
}

func TestJobsFollowTheCalendar(t *testing.T) {
	s, err := New(Options{Calendar: hallCalendar(time.UTC), Send: func(context.Context, hall.Command) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, j := range s.Jobs() {
		got = append(got, j.Name+" "+j.Spec)
	}
	want := []string{
		"rollover 0 0 * * *", "followups 1 0 * * *",
		"overtime 0 11 * * *", "handover 30 10 * * *",
		"overtime 0 12 * * *", "handover 30 11 * * *",
		"overtime 30 17 * * *", "handover 0 17 * * *",
		"issuing 0 9 * * *", "issuing 30 13 * * *",
		"issuing 0 11 * * *", "issuing 0 12 * * *", "issuing 30 17 * * *",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("jobs\n got %q\nwant %q", got, want)
	}
	always, err := New(Options{Calendar: &calendar.Calendar{AlwaysOpen: true}, Send: func(context.Context, hall.Command) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(always.Jobs()); n != 2 {
		t.Fatalf("an always-open hall has %d jobs, want rollover and follow-ups only", n)
	}
}

// TestScheduleRunsOnTheHallClock drives a day of the schedule on a fake
// clock: the jobs fire at their local times in the hall's zone, and the
// overtime job, sent to the real rules, puts a busy window into overtime at
// the session's end.
func TestScheduleRunsOnTheHallClock(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	synctest.Test(t, func(t *testing.T) {
		// The bubble starts at 2000-01-01 00:00 UTC, 08:00 in Shanghai.
		cal := hallCalendar(loc)
		setup := hall.NewSetup(queue.Setup{
			Location: loc, Calendar: cal,
			Services: []queue.Service{{Code: "A", Name: "社会民生", Kind: queue.Intake}},
			Windows:  []queue.WindowSetup{{ID: "1", Services: []string{"A"}}},
		}, rating.Setup{}, nil, hall.Alerts{})
		st := hall.NewState(setup)
		var mu sync.Mutex
		var sent []string
		var overtimeAt time.Time
		send := func(_ context.Context, cmd hall.Command) error {
			mu.Lock()
			defer mu.Unlock()
			now := time.Now()
			sent = append(sent, fmt.Sprintf("%s %T", now.In(loc).Format("01-02 15:04"), cmd))
			_, evs, err := st.Run(setup, cmd, room.Env{Now: now})
			if err != nil {
				return err
			}
			for _, e := range evs {
				if _, ok := e.Data.(overtime.Started); ok && overtimeAt.IsZero() {
					overtimeAt = now
				}
			}
			return nil
		}
		s, err := New(Options{Calendar: cal, Send: send})
		if err != nil {
			t.Fatal(err)
		}
		s.Start()
		defer s.Stop()

		// At 10:00 a clerk signs on and two people take numbers.
		time.Sleep(2 * time.Hour)
		for _, cmd := range []hall.Command{
			queue.OpenWindow{Window: "1", Actor: room.Actor{Staff: "s1", Role: room.Clerk}},
			queue.IssueTicket{ID: "a", Service: "A"},
			queue.IssueTicket{ID: "b", Service: "A"},
			queue.CallNext{Window: "1", Actor: room.Actor{Staff: "s1", Role: room.Clerk}},
		} {
			if err := send(context.Background(), cmd); err != nil {
				t.Fatal(err)
			}
		}
		time.Sleep(24 * time.Hour)
		synctest.Wait()

		mu.Lock()
		defer mu.Unlock()
		if want := time.Date(2000, 1, 1, 12, 0, 0, 0, loc); !overtimeAt.Equal(want) {
			t.Fatalf("overtime began at %s, want %s", overtimeAt, want)
		}
		var jobs []string
		for _, line := range sent {
			if !slices.Contains([]string{"OpenWindow", "IssueTicket", "CallNext"}, line[len("01-01 10:00 queue."):]) {
				jobs = append(jobs, line)
			}
		}
		want := []string{
			"01-01 08:00 hall.Tick", "01-01 08:00 overtime.RemindHandover", // catch-up on start
			// The special day's 11:00 end is checked every day; on a
			// normal day the rules find the session still on.
			"01-01 09:00 hall.Tick", // issuing opens
			"01-01 10:30 overtime.RemindHandover", "01-01 11:00 overtime.Check", "01-01 11:00 hall.Tick",
			"01-01 11:30 overtime.RemindHandover", "01-01 12:00 overtime.Check", "01-01 12:00 hall.Tick",
			"01-01 13:30 hall.Tick",
			"01-01 17:00 overtime.RemindHandover", "01-01 17:30 overtime.Check", "01-01 17:30 hall.Tick",
			"01-02 00:00 hall.Tick", "01-02 00:01 rating.CheckFollowUps", "01-02 09:00 hall.Tick",
		}
		// Jobs due at the same minute run in either order.
		slices.Sort(jobs)
		slices.Sort(want)
		if !slices.Equal(jobs, want) {
			t.Fatalf("jobs ran\n got %q\nwant %q", jobs, want)
		}
		// Midnight started a new day: the waiting ticket was cancelled.
		if st.Day() != "2000-01-02" || st.Queue.Tickets["b"] != nil {
			t.Fatalf("day %s, tickets %v", st.Day(), st.Queue.Tickets)
		}
	})
}
