package simulate

import (
	"context"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"hallfloor/app"
	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/journal"
	"hallfloor/journal/sqlite"
	"hallfloor/queue"
	"hallfloor/room"
)

// Learn is the profile of a hall's past days, from their events in the
// journal's order: the mean walk-ins per service each quarter hour and each
// hour's factor, each service's lognormal service time fitted to the
// services finished, the shares of no-shows, recalls, transfers, priority
// numbers and appointments, the clerks' pauses, and the windows' open hours
// of the last day. Its date is the last day's.
func Learn(events []room.Event, loc *time.Location) (*Profile, error) {
	type key struct {
		service string
		quarter int
	}
	days := map[string]bool{}
	last := ""
	perQuarter := map[key]int{}
	perHour := map[int]int{}
	perService := map[string]int{}
	quarters := map[int]bool{}
	logs := map[string][]float64{}
	var issued, priority, appointments, called, recalled, skipped, transferred, finished, pauses int
	var pausedFor time.Duration
	pausedAt := map[string]time.Time{}
	firstCall, recalls := map[string]bool{}, map[string]bool{}
	opened := map[string]time.Time{}
	roster := map[string][]string{}
	var first, lastIssue time.Duration = 24 * time.Hour, 0
	windowOpen := time.Duration(0)
	for _, e := range events {
		at := e.At.In(loc)
		day := at.Format(time.DateOnly)
		since := at.Sub(time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, loc))
		switch p := e.Data.(type) {
		case queue.TicketIssued:
			if day != last {
				last, roster = day, map[string][]string{}
			}
			days[day] = true
			issued++
			switch {
			case p.Via == queue.ViaBooking:
				appointments++
			case p.Via != "":
				continue // a consultation handed on is no arrival
			case p.Priority:
				priority++
			}
			q := int(since / (15 * time.Minute))
			perQuarter[key{p.Ticket.Service, q}]++
			perService[p.Ticket.Service]++
			perHour[int(since/time.Hour)]++
			quarters[q] = true
			first, lastIssue = min(first, since), max(lastIssue, since)
		case queue.TicketCalled:
			if !firstCall[p.Ticket.ID] {
				firstCall[p.Ticket.ID] = true
				called++
			}
		case queue.TicketRecalled:
			if !recalls[p.Ticket.ID] {
				recalls[p.Ticket.ID] = true
				recalled++
			}
		case queue.TicketSkipped:
			skipped++
		case queue.TicketTransferred:
			transferred++
		case queue.TicketFinished:
			finished++
			if p.ServiceS > 0 {
				logs[p.Ticket.Service] = append(logs[p.Ticket.Service], math.Log(p.ServiceS/60))
			}
		case queue.WindowOpened:
			opened[p.Window] = e.At
		case queue.WindowClosed:
			if from, ok := opened[p.Window]; ok {
				windowOpen += e.At.Sub(from)
				from := from.In(loc)
				if from.Day() == at.Day() {
					to := time.Duration(at.Hour())*time.Hour + time.Duration(at.Minute()+14)/15*15*time.Minute
					roster[p.Window] = append(roster[p.Window], quarterOf(from)+"-"+clockOf(min(to, 24*time.Hour-time.Minute)))
				}
				delete(opened, p.Window)
			}
		case queue.WindowPaused:
			pausedAt[p.Window] = e.At
			pauses++
		case queue.WindowResumed:
			if from, ok := pausedAt[p.Window]; ok {
				pausedFor += e.At.Sub(from)
				delete(pausedAt, p.Window)
			}
		}
	}
	if len(days) == 0 {
		return nil, fmt.Errorf("learn: the journal has no numbers issued to learn from")
	}
	n := float64(len(days))
	p := &Profile{Name: "learned", Date: last, ServiceTimes: map[string]ServiceTime{}, Roster: roster}
	open := time.Duration(first/(15*time.Minute)) * 15 * time.Minute
	until := time.Duration(lastIssue/(15*time.Minute)+1) * 15 * time.Minute
	p.Opens, p.IssueUntil = clockOf(open), clockOf(until)
	p.Closes = clockOf(min(until+30*time.Minute, 24*time.Hour-time.Minute))
	// A service's rate is its mean over the quarter hours the hall issued
	// in; an hour's factor how much busier it is than the mean hour.
	nq := float64(len(quarters))
	p.Arrivals.Services = map[string]float64{}
	for sv, c := range perService {
		p.Arrivals.Services[sv] = round2(float64(c) / n / nq)
	}
	p.Arrivals.Hours = map[string]float64{}
	total := 0
	for _, c := range perHour {
		total += c
	}
	for h, c := range perHour {
		qs := 0
		for q := range quarters {
			if q/4 == h {
				qs++
			}
		}
		// The hour's arrivals per quarter against the day's.
		p.Arrivals.Hours[strconv.Itoa(h)] = round2(float64(c) / float64(qs) / (float64(total) / nq))
	}
	for sv, ls := range logs {
		if len(ls) < 2 {
			continue
		}
		mu, sd := meanSD(ls)
		p.ServiceTimes[sv] = ServiceTime{Mean: round2(math.Exp(mu + sd*sd/2)), Spread: round2(sd)}
	}
	share := func(k, of int) float64 {
		if of == 0 {
			return 0
		}
		return round2(float64(k) / float64(of))
	}
	p.NoShow, p.Recall = share(skipped, called), share(recalled, called)
	p.Transfer = share(transferred, finished+transferred)
	p.Priority, p.Appointments = share(priority, issued), share(appointments, issued)
	if windowOpen > 0 {
		p.Pauses.PerHour = round2(float64(pauses) / windowOpen.Hours())
	}
	if pauses > 0 {
		p.Pauses.Minutes = round2(pausedFor.Minutes() / float64(pauses))
	}
	for w := range p.Roster {
		slices.Sort(p.Roster[w])
	}
	// What it learned must read back as a profile.
	b, err := yaml.Marshal(p)
	if err != nil {
		return nil, err
	}
	return ParseProfile(b)
}

func quarterOf(t time.Time) string {
	return clockOf(time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute()/15*15)*time.Minute)
}

func clockOf(d time.Duration) string {
	return fmt.Sprintf("%02d:%02d", int(d/time.Hour), int(d%time.Hour/time.Minute))
}

func round2(v float64) float64 { return math.Round(v*100) / 100 }

func meanSD(xs []float64) (mean, sd float64) {
	for _, x := range xs {
		mean += x
	}
	mean /= float64(len(xs))
	for _, x := range xs {
		sd += (x - mean) * (x - mean)
	}
	return mean, math.Sqrt(sd / float64(len(xs)-1))
}

// LearnJournal is Learn of the events of hall h's journal in data.
func LearnJournal(ctx context.Context, h *config.Hall, data string) (*Profile, error) {
	path := app.JournalFile(h, data)
	if _, err := os.Stat(path); err != nil {
		return nil, fmt.Errorf("learn: no journal of hall %s in %s: %w", h.Hall.ID, data, err)
	}
	j, err := sqlite.OpenReadOnly(path)
	if err != nil {
		return nil, err
	}
	defer j.Close()
	var evs []room.Event
	err = j.Replay(ctx, 0, func(rec journal.Record) error {
		e, err := engine.DecodeRecord(rec)
		if err != nil {
			return err
		}
		evs = append(evs, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return Learn(evs, h.Setup().Location())
}
