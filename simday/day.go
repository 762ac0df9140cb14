package simday

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"hallfloor/consult"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// Sim drives a hall's engine through days of work, one command at a
// time, as its kiosks, windows and evaluators would, with the fake clock
// moving between commands.
type Sim struct {
	Engine *engine.Engine
	Setup  *hall.Setup
	Clock  *Clock
	// Bad is how many services in a hundred get a 差评 (3 by default).
	Bad int
	// Personal has half the applicants give an ID number and a phone at
	// the kiosk, as the hall's personal data to keep and to erase.
	Personal bool
	// Wait, if set, is told how long each command waited for its answer;
	// first marks a day's first command, the one that rolls the day over.
	Wait func(cmd hall.Command, d time.Duration, first bool)
	// Hourly, if set, is called at each full hour of a day's service, from
	// its opening, between two commands.
	Hourly func(now time.Time)

	// Kinds counts the events of each type (e.g. "queue.TicketIssued").
	Kinds map[string]int
	// Issued counts the numbers issued on each day (2006-01-02).
	Issued map[string]int

	rng      *rand.Rand
	services []string   // the services a kiosk issues at random: not the departments'
	asked    []*asked   // 咨询号 not ended yet, oldest first
	fus      []followUp // opened and not closed yet, oldest first
	last     string     // the last number issued
	first    bool
}

// asked is a 咨询号 and how far its department has answered it.
type asked struct {
	id        string
	dept      *consult.Department
	at        time.Time
	stage     int // 0 notified, 1 acknowledged, 2 met
	escalated bool
}

type followUp struct {
	id     string
	opened time.Time
}

// New is a simulation of the hall the engine runs, on the clock the
// engine reads.
func New(e *engine.Engine, setup *hall.Setup, clock *Clock) *Sim {
	s := &Sim{Engine: e, Setup: setup, Clock: clock, Bad: 3, Kinds: map[string]int{}, Issued: map[string]int{},
		rng: rand.New(rand.NewPCG(7, 11))}
	for _, sv := range setup.Queue.Services {
		if setup.Consults.ForService(sv.Code) == nil {
			s.services = append(s.services, sv.Code)
		}
	}
	return s
}

// Do runs a command with the idempotency key (or none); a refusal (a
// skip with nobody called) is part of a day, not a failure. It returns
// the ticket a call called.
func (s *Sim) Do(cmd hall.Command, key string) (called string, ok bool) {
	start := time.Now()
	res := s.Engine.Do(context.Background(), cmd, key, nil)
	if s.Wait != nil {
		s.Wait(cmd, time.Since(start), s.first)
	}
	s.first = false
	if res.Err != nil {
		return "", false
	}
	for _, e := range res.Events {
		s.Kinds[fmt.Sprintf("%T", e.Data)]++
		switch p := e.Data.(type) {
		case queue.TicketCalled:
			called = p.Ticket.ID
		case queue.TicketIssued:
			s.last = p.Ticket.ID
			s.Issued[s.Setup.Queue.Day(e.At)]++
		case rating.FollowUpOpened:
			s.fus = append(s.fus, followUp{p.FollowUp.ID, e.At})
		case consult.Requested:
			s.asked = append(s.asked, &asked{id: p.Ticket.ID, dept: s.Setup.Consults.Department(p.Department), at: e.At})
		case consult.Acknowledged:
			s.stage(p.Ticket.ID, func(a *asked) { a.stage = 1 })
		case consult.Met:
			s.stage(p.Ticket.ID, func(a *asked) { a.stage = 2 })
		case consult.Escalated:
			s.stage(p.Ticket.ID, func(a *asked) { a.escalated = true })
		case consult.Ended:
			s.ended(p.Ticket.ID)
		case queue.TicketCancelled:
			s.ended(p.Ticket.ID)
		case queue.DayStarted:
			s.asked = nil // the day's consultations go with it
		}
	}
	return called, true
}

func (s *Sim) stage(id string, fn func(*asked)) {
	for _, a := range s.asked {
		if a.id == id {
			fn(a)
		}
	}
}

func (s *Sim) ended(id string) {
	s.asked = slices.DeleteFunc(s.asked, func(a *asked) bool { return a.id == id })
}

func (s *Sim) try(cmd hall.Command) (string, bool) { return s.Do(cmd, "") }

func clerk(id string) room.Actor { return room.Actor{Staff: id, Role: room.Clerk} }

// Open says whether the hall works on date.
func (s *Sim) Open(date time.Time) bool {
	cal := s.Setup.Queue.Calendar
	return cal == nil || cal.WorkingDay(date)
}

// Days works n of the hall's working days from the day of from (its
// midnight in the hall's zone), skipping the days it is closed, calling
// each(i, date) after the i-th; it returns the day after the last.
func (s *Sim) Days(from time.Time, n, tickets int, each func(i int, date time.Time)) time.Time {
	d := from
	for i := 0; i < n; d = d.AddDate(0, 0, 1) {
		if !s.Day(d, tickets) {
			continue
		}
		if each != nil {
			each(i, d)
		}
		i++
	}
	return d
}

// Day runs one day of the hall (date is its midnight), unless the hall
// is closed that day, and says whether it did. Numbers are issued from
// 08:00 to 19:30 with a kiosk's idempotency key, each window calling the
// next when its citizen is done, with no-shows (some taken back, some
// requeued), transfers, pauses, cancellations, ratings with 差评,
// overtime after 20:00 with confirmations, and follow-ups of earlier days
// closed. Staff change windows from day to day.
func (s *Sim) Day(date time.Time, tickets int) bool {
	if !s.Open(date) {
		return false
	}
	windows := s.Setup.Queue.Windows
	staff := make([]string, len(windows))
	for i := range windows {
		staff[i] = fmt.Sprintf("c%03d", (i+date.Day()%2*len(windows))%(len(windows)+len(windows)/4)+1)
	}
	s.first = true
	start, issueEnd, closes, end := date.Add(Opens), date.Add(IssueEnds), date.Add(Closes), date.Add(LastCall)
	s.Clock.Set(start.Add(-5 * time.Minute))
	s.try(rating.CheckFollowUps{})
	// The manager calls back about each 差评 of the days before on one
	// morning or another, some only once overdue, none later than ten
	// days after.
	open := s.fus[:0]
	for _, f := range s.fus {
		if !f.opened.Before(date) || (s.rng.IntN(2) == 0 && f.opened.After(date.AddDate(0, 0, -10))) {
			open = append(open, f)
			continue
		}
		s.try(rating.CloseFollowUp{ID: f.id, Action: "回访", Outcome: "已解释", Reason: "等候时间过长",
			Actor: room.Actor{Staff: "m1", Role: room.Manager}})
	}
	s.fus = open
	for i, w := range windows {
		s.try(queue.OpenWindow{Window: w.ID, Actor: clerk(staff[i])})
	}
	gap := issueEnd.Sub(start) / time.Duration(tickets)
	busy := make([]time.Time, len(windows))
	current := make([]string, len(windows))
	// A window takes, on average, its share of the day per number.
	avg := issueEnd.Sub(start) * time.Duration(len(windows)) / time.Duration(tickets)
	checked := false
	hour := start
	issued := 0
	day := date.Format(time.DateOnly)
	for now := start; now.Before(end); now = now.Add(gap) {
		s.Clock.Set(now)
		if s.Hourly != nil && !now.Before(hour) {
			s.Hourly(now)
			hour = hour.Add(time.Hour)
		}
		if now.Before(issueEnd) && issued < tickets {
			cmd := queue.IssueTicket{Service: s.services[s.rng.IntN(len(s.services))]}
			if s.Personal && s.rng.IntN(2) == 0 {
				cmd.IDHash = fmt.Sprintf("%064x", s.rng.Uint64())
				cmd.Phone = fmt.Sprintf("138%08d", s.rng.IntN(1e8))
			}
			s.Do(cmd, fmt.Sprintf("kiosk-%s-%d", day, issued))
			issued++
		}
		if len(s.Setup.Consults.Departments) > 0 {
			s.consult(now, issueEnd)
		}
		if !checked && !now.Before(closes) {
			s.try(overtime.Check{})
			checked = true
		}
		for i := range windows {
			if now.Before(busy[i]) {
				continue
			}
			s.window(i, windows[i].ID, clerk(staff[i]), current)
			busy[i] = now.Add(avg/2 + time.Duration(s.rng.Int64N(int64(avg))))
		}
	}
	s.Clock.Set(end)
	s.try(overtime.Check{})
	for i, w := range windows {
		if _, ok := s.try(queue.Finish{Window: w.ID, Actor: clerk(staff[i])}); ok {
			s.rate(w.ID)
			s.confirm(w.ID, clerk(staff[i]))
		}
		s.try(queue.CloseWindow{Window: w.ID, Actor: clerk(staff[i])})
	}
	s.try(overtime.Check{})
	return true
}

// window is one move of a window's clerk.
func (s *Sim) window(i int, w string, actor room.Actor, current []string) {
	switch n := s.rng.IntN(40); {
	case n < 32:
		if out, ok := s.try(queue.CallNext{Window: w, Actor: actor, Current: current[i]}); ok {
			if current[i] != "" {
				s.rate(w)
				s.confirm(w, actor)
			}
			current[i] = out
		}
	case n < 34:
		if _, ok := s.try(queue.Skip{Window: w, Actor: actor}); ok {
			switch s.rng.IntN(3) {
			case 0:
				s.try(queue.UndoSkip{Window: w, Ticket: current[i], Actor: actor})
			case 1:
				s.try(queue.Requeue{Ticket: current[i], Actor: actor})
				current[i] = ""
			default:
				current[i] = ""
			}
		}
	case n < 35:
		if _, ok := s.try(queue.Transfer{Window: w, Actor: actor, ToService: s.services[s.rng.IntN(len(s.services))]}); ok {
			current[i] = ""
		}
	case n < 36:
		if _, ok := s.try(queue.Pause{Window: w, Actor: actor, Reason: "暂离"}); ok {
			s.try(queue.Resume{Window: w, Actor: actor})
		}
	case n < 37:
		if s.last != "" {
			s.try(queue.CancelTicket{Ticket: s.last})
		}
	}
}

// consult is a move of the departments, in a hall that has them: now and
// then a 咨询号 taken at the kiosk, the late ones escalated on the tick, and
// the oldest one open answered a step further (acknowledged, met in the
// hall or by video, ended, perhaps handed on to an intake window), or left
// waiting a while longer.
func (s *Sim) consult(now, issueEnd time.Time) {
	deps := s.Setup.Consults.Departments
	if now.Before(issueEnd) && s.rng.IntN(8) == 0 {
		s.try(queue.IssueTicket{Service: deps[s.rng.IntN(len(deps))].Service})
	}
	for _, a := range s.asked {
		if a.stage == 0 && !a.escalated && !now.Before(a.at.Add(s.Setup.Consults.AckWithin)) {
			s.try(hall.Tick{})
			break
		}
	}
	if len(s.asked) == 0 || s.rng.IntN(2) == 0 {
		return
	}
	a := s.asked[0]
	if a.dept == nil {
		s.asked = s.asked[1:]
		return
	}
	staff := clerk(a.dept.Staff[0].ID)
	switch a.stage {
	case 0:
		s.try(consult.Acknowledge{Ticket: a.id, Actor: staff})
	case 1:
		if a.dept.Resident {
			s.try(consult.Arrive{Ticket: a.id, Actor: staff})
		} else {
			s.try(consult.AnswerRemotely{Ticket: a.id, Mode: consult.ModeVideo, Actor: staff})
		}
	default:
		finish := consult.Finish{Ticket: a.id, Actor: staff}
		if s.rng.IntN(2) == 0 {
			finish.HandOn = s.services[s.rng.IntN(len(s.services))]
		}
		if _, ok := s.try(finish); !ok {
			s.ended(a.id) // nobody to hand on to today: let it go
		}
	}
}

func (s *Sim) rate(w string) {
	switch n := s.rng.IntN(100); {
	case n < s.Bad-1:
		s.try(rating.Rate{Channel: rating.ChannelEvaluator, Window: w, Level: 1 + s.rng.IntN(2), Reason: "等候时间过长"})
	case n < s.Bad:
		s.try(rating.PressLevel{Window: w, Level: 2})
	case n < 60:
		s.try(rating.Rate{Channel: rating.ChannelEvaluator, Window: w, Level: 3 + s.rng.IntN(3)})
	}
}

func (s *Sim) confirm(w string, actor room.Actor) {
	if _, ok := s.try(overtime.Confirm{Window: w, By: overtime.ByClerk, Actor: actor}); ok && s.rng.IntN(2) == 0 {
		s.try(overtime.Confirm{Window: w, By: overtime.ByApplicant})
	}
}
