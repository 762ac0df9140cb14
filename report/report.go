// Package report turns the hall's journal into the figures managers file:
// the daily and monthly reports (tickets, waits, service times, no-shows,
// overtime, ratings), 好差评 statistics and the 延时服务登记表. It is pure:
// a Builder is fed decoded events in journal order and answers from them,
// so history beyond today, which the live state no longer holds, is read
// the same way the state was built.
package report

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"time"

	"hallfloor/booking"
	"hallfloor/consult"
	"hallfloor/hall"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// Period is a span of the hall's local days, [From, To).
type Period struct {
	Label    string    `json:"label"`
	From, To time.Time `json:"-"`
}

// Day is one local date, 2006-01-02.
func Day(date string, loc *time.Location) (Period, error) {
	d, err := time.ParseInLocation(time.DateOnly, date, loc)
	if err != nil {
		return Period{}, fmt.Errorf("%q is not a date like 2026-11-20", date)
	}
	return Period{Label: date, From: d, To: d.AddDate(0, 0, 1)}, nil
}

// Month is one calendar month, 2006-01.
func Month(month string, loc *time.Location) (Period, error) {
	d, err := time.ParseInLocation("2006-01", month, loc)
	if err != nil {
		return Period{}, fmt.Errorf("%q is not a month like 2026-11", month)
	}
	return Period{Label: month, From: d, To: d.AddDate(0, 1, 0)}, nil
}

// Year is one calendar year, 2006.
func Year(year string, loc *time.Location) (Period, error) {
	d, err := time.ParseInLocation("2006", year, loc)
	if err != nil || len(year) != 4 {
		return Period{}, fmt.Errorf("%q is not a year like 2026", year)
	}
	return Period{Label: year, From: d, To: d.AddDate(1, 0, 0)}, nil
}

// Range is from one date to another, both included.
func Range(from, to string, loc *time.Location) (Period, error) {
	a, err := Day(from, loc)
	if err != nil {
		return Period{}, err
	}
	b, err := Day(to, loc)
	if err != nil {
		return Period{}, err
	}
	if b.From.Before(a.From) {
		return Period{}, fmt.Errorf("the range ends (%s) before it starts (%s)", to, from)
	}
	return Period{Label: from + "~" + to, From: a.From, To: b.To}, nil
}

func (p Period) has(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Stats summarises durations in seconds.
type Stats struct {
	Count int     `json:"count"`
	AvgS  float64 `json:"avg_s"`
	P90S  float64 `json:"p90_s"`
	MaxS  float64 `json:"max_s"`
}

func summarise(vals []float64) Stats {
	if len(vals) == 0 {
		return Stats{}
	}
	s := slices.Clone(vals)
	slices.Sort(s)
	sum := 0.0
	for _, v := range s {
		sum += v
	}
	// Nearest rank: the smallest value with at least 90% at or below it.
	rank := int(math.Ceil(0.9*float64(len(s)))) - 1
	return Stats{Count: len(s), AvgS: round1(queue.MeanS(sum, len(s))), P90S: round1(s[rank]), MaxS: round1(s[len(s)-1])}
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

// Ratings counts 好差评 results. Satisfaction is the share of ratings at
// 基本满意 (3) or better; 0 when nothing was rated.
type Ratings struct {
	Levels       map[int]int `json:"levels"` // level → count
	Rated        int         `json:"rated"`
	NotRated     int         `json:"not_rated"` // services finished without a rating
	Satisfaction float64     `json:"satisfaction"`
	Bad          int         `json:"bad"` // 差评: 2 and 1
	FollowUps    FollowUps   `json:"followups"`
}

// FollowUps counts the follow-ups of the 差评 in a span.
type FollowUps struct {
	Opened  int `json:"opened"`
	Closed  int `json:"closed"`
	Open    int `json:"open"`
	Overdue int `json:"overdue"` // open past the deadline, or closed after it
}

// ServiceRow is one service's figures.
type ServiceRow struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Issued    int    `json:"issued"`
	Served    int    `json:"served"`
	NoShows   int    `json:"no_shows"`
	Cancelled int    `json:"cancelled"`
	// Appointments are the numbers issued at a booking's check-in (预约),
	// PreReviewed those of a consultation handed on (已初审).
	Appointments int `json:"appointments"`
	PreReviewed  int `json:"pre_reviewed"`
	// Bookings are the bookings taken in the period (for any day), Forfeits
	// those forfeited in it (自动放弃).
	Bookings int   `json:"bookings"`
	Forfeits int   `json:"forfeits"`
	Wait     Stats `json:"wait"`
	Service  Stats `json:"service"`
}

// WindowRow is one window's figures.
type WindowRow struct {
	Window           string  `json:"window"`
	Name             string  `json:"name"`
	Served           int     `json:"served"`
	Service          Stats   `json:"service"`
	OvertimeMinutes  float64 `json:"overtime_minutes"`
	OvertimeServices int     `json:"overtime_services"`
}

// DepartmentRow is one department's consultations (咨询号): how many
// were taken, acknowledged, met in the hall or answered remotely, handed
// on to an intake window, and not acknowledged in time (escalated); and
// the response times from the notice to the acknowledgement and to the
// meeting (in the hall or by video or phone).
type DepartmentRow struct {
	Department   string `json:"department"`
	Name         string `json:"name"`
	NameEN       string `json:"name_en,omitempty"`
	Taken        int    `json:"taken"`
	Acknowledged int    `json:"acknowledged"`
	InPerson     int    `json:"in_person"`
	Remote       int    `json:"remote"`
	HandedOn     int    `json:"handed_on"`
	Late         int    `json:"late"`
	Ack          Stats  `json:"ack"`
	Met          Stats  `json:"met"`
}

// DayRow is one day of a longer report, for the dashboard's charts.
type DayRow struct {
	Day      string  `json:"day"`
	Issued   int     `json:"issued"`
	Served   int     `json:"served"`
	NoShows  int     `json:"no_shows"`
	AvgWaitS float64 `json:"avg_wait_s"`
	Rated    int     `json:"rated"`
	// Satisfaction is null on a day nobody rated: no ratings is not a
	// satisfaction of 0.
	Satisfaction *float64 `json:"satisfaction"`
}

// Report is a daily or monthly report.
type Report struct {
	Hall     string       `json:"hall"`
	Period   string       `json:"period"`
	From     string       `json:"from"`
	To       string       `json:"to"` // last day included
	Totals   ServiceRow   `json:"totals"`
	Services []ServiceRow `json:"services"`
	Windows  []WindowRow  `json:"windows"`
	Ratings  Ratings      `json:"ratings"`
	Days     []DayRow     `json:"days"`
	// Clerks is each clerk's workload and satisfaction, by staff number.
	Clerks []ClerkRow `json:"clerks"`
	// Hours is the load by hour of the day, in the hall's zone.
	Hours []HourRow `json:"hours"`
	// Departments are the consultations of each department of the hall
	// file, in its order.
	Departments []DepartmentRow `json:"departments"`
	// Cases are the cases (办件) per item and per department, in a hall
	// with an item catalogue; absent in one without.
	Cases *Cases `json:"cases,omitempty"`
	// Envelopes are the 免跑腿信封 per item, in a hall with an item
	// catalogue; absent in one without.
	Envelopes *Envelopes `json:"envelopes,omitempty"`
}

// ClerkRow is one clerk's workload and satisfaction in the period.
type ClerkRow struct {
	Staff            string   `json:"staff"`
	Served           int      `json:"served"`
	Service          Stats    `json:"service"`
	Rated            int      `json:"rated"`
	Bad              int      `json:"bad"`
	Satisfaction     *float64 `json:"satisfaction"` // null when nobody rated
	OvertimeServices int      `json:"overtime_services"`
}

// HourRow is one hour of the day summed over the period: numbers issued in
// it, services finished in it, and the mean wait of those called in it.
type HourRow struct {
	Hour     int     `json:"hour"`
	Issued   int     `json:"issued"`
	Served   int     `json:"served"`
	AvgWaitS float64 `json:"avg_wait_s"`
}

// Rating is one rating with the follow-up it opened, if any.
type Rating struct {
	At       time.Time        `json:"at"`
	Day      string           `json:"day"`
	Window   string           `json:"window"`
	Staff    string           `json:"staff"`
	Service  string           `json:"service"`
	Number   string           `json:"number"`
	Level    int              `json:"level"`
	Reason   string           `json:"reason,omitempty"`
	Channel  rating.Channel   `json:"channel"`
	FollowUp *rating.FollowUp `json:"followup,omitempty"`
}

// Builder reads events in journal order.
type Builder struct {
	setup *hall.Setup
	p     Period
	now   time.Time

	issued   map[string]time.Time // ticket → issued, for tickets issued in the period
	called   map[string]bool      // ticket → first call seen
	svc      map[string]*svcAcc
	win      map[string]*winAcc
	clerks   map[string]*clerkAcc
	hours    map[int]*hourAcc
	days     map[string]*dayAcc
	depts    map[string]*deptAcc
	otSince  map[string]time.Time
	ratings  []*Rating
	byTicket map[string]*Rating
	fus      map[string]*rating.FollowUp
	overtime []*overtime.Record
	otByID   map[string]*overtime.Record
	appts    []*booking.Record
	apptByID map[string]*booking.Record
	finished int

	// The cases of each item and department, and of the hall.
	caseItems, caseDepts map[string]*CaseCounts
	caseTotal            CaseCounts
	// The envelopes of each item, and of the hall.
	envItems map[string]*EnvelopeCounts
	envTotal EnvelopeCounts
}

type svcAcc struct {
	issued, served, noShows, cancelled int
	appointments, preReviewed          int
	bookings, forfeits                 int
	waits, services                    []float64
}

type winAcc struct {
	services    []float64
	overtime    time.Duration
	otServices  int
	servedCount int
}

type clerkAcc struct {
	served, otServices int
	services           []float64
	levels             [6]int
}

type hourAcc struct {
	issued, served int
	waits          []float64
}

type deptAcc struct {
	counts    Consults
	acks, met []float64
}

type dayAcc struct {
	issued, served, noShows int
	waits                   []float64
	levels                  [6]int
}

// NewBuilder reads the events of the period; now closes an overtime still
// running when the report is asked for.
func NewBuilder(setup *hall.Setup, p Period, now time.Time) *Builder {
	return &Builder{
		setup: setup, p: p, now: now,
		issued: map[string]time.Time{}, called: map[string]bool{},
		svc: map[string]*svcAcc{}, win: map[string]*winAcc{}, days: map[string]*dayAcc{},
		clerks: map[string]*clerkAcc{}, hours: map[int]*hourAcc{}, depts: map[string]*deptAcc{},
		caseItems: map[string]*CaseCounts{}, caseDepts: map[string]*CaseCounts{}, envItems: map[string]*EnvelopeCounts{},
		otSince: map[string]time.Time{}, byTicket: map[string]*Rating{}, fus: map[string]*rating.FollowUp{},
		otByID: map[string]*overtime.Record{}, apptByID: map[string]*booking.Record{},
	}
}

func (b *Builder) service(code string) *svcAcc {
	if b.svc[code] == nil {
		b.svc[code] = &svcAcc{}
	}
	return b.svc[code]
}

func (b *Builder) dept(id string) *deptAcc {
	if b.depts[id] == nil {
		b.depts[id] = &deptAcc{}
	}
	return b.depts[id]
}

// counts is the key's counts in m, made when missing.
func counts(m map[string]*CaseCounts, key string) *CaseCounts {
	if m[key] == nil {
		m[key] = &CaseCounts{}
	}
	return m[key]
}

func (b *Builder) window(id string) *winAcc {
	if b.win[id] == nil {
		b.win[id] = &winAcc{}
	}
	return b.win[id]
}

func (b *Builder) clerk(id string) *clerkAcc {
	if b.clerks[id] == nil {
		b.clerks[id] = &clerkAcc{}
	}
	return b.clerks[id]
}

func (b *Builder) hour(t time.Time) *hourAcc {
	h := hourOf(b.setup, t)
	if b.hours[h] == nil {
		b.hours[h] = &hourAcc{}
	}
	return b.hours[h]
}

// hourOf is the hour of t on the hall's clock.
func hourOf(setup *hall.Setup, t time.Time) int { return t.In(setup.Location()).Hour() }

func (b *Builder) day(t time.Time) *dayAcc {
	k := b.setup.Queue.Day(t)
	if b.days[k] == nil {
		b.days[k] = &dayAcc{}
	}
	return b.days[k]
}

// Add reads one event. Events outside the period are read for what they
// finish (a confirmation, a follow-up's outcome) and otherwise skipped.
func (b *Builder) Add(e room.Event) {
	in := b.p.has(e.At)
	switch p := e.Data.(type) {
	case rating.FollowUpClosed:
		if f := b.fus[p.ID]; f != nil {
			f.Action, f.Outcome, f.ClosedBy, f.ClosedAt = p.Action, p.Outcome, p.By, e.At
			if f.ReasonPending && p.Reason != "" {
				f.Reason, f.ReasonPending = p.Reason, false
			}
		}
		return
	case rating.FollowUpOverdue:
		if f := b.fus[p.ID]; f != nil {
			f.Overdue = true
		}
		return
	case booking.RegisterConfirmed:
		if r := b.apptByID[p.Code]; r != nil {
			if p.By == booking.ByApplicant {
				r.ApplicantConfirmed = e.At
			} else {
				r.ClerkConfirmed = e.At
			}
		}
		return
	case overtime.Confirmed:
		if r := b.otByID[p.ID]; r != nil {
			if p.By == overtime.ByApplicant {
				r.ApplicantConfirmed = e.At
			} else {
				r.ClerkConfirmed = e.At
			}
		}
		return
	case overtime.Started:
		b.otSince[p.Window] = e.At
		return
	case overtime.Ended:
		b.closeOvertime(p.Window, e.At)
		return
	}
	if !in {
		return
	}
	if item, dept, n, ok := caseCount(b.setup, e); ok {
		b.caseTotal.add(n)
		counts(b.caseItems, item).add(n)
		if dept != "" {
			counts(b.caseDepts, dept).add(n)
		}
		return
	}
	if item, n, ok := envelopeCount(e); ok {
		b.envTotal.add(n)
		if b.envItems[item] == nil {
			b.envItems[item] = &EnvelopeCounts{}
		}
		b.envItems[item].add(n)
		return
	}
	switch p := e.Data.(type) {
	case queue.TicketIssued:
		b.issued[p.Ticket.ID] = e.At
		b.service(p.Ticket.Service).issued++
		switch p.Via {
		case queue.ViaBooking:
			b.service(p.Ticket.Service).appointments++
		case queue.ViaConsult:
			b.service(p.Ticket.Service).preReviewed++
		}
		b.day(e.At).issued++
		b.hour(e.At).issued++
	case queue.TicketCalled:
		if at, ok := b.issued[p.Ticket.ID]; ok && !b.called[p.Ticket.ID] {
			b.called[p.Ticket.ID] = true
			w := e.At.Sub(at).Seconds()
			b.service(p.Ticket.Service).waits = append(b.service(p.Ticket.Service).waits, w)
			b.day(e.At).waits = append(b.day(e.At).waits, w)
			b.hour(e.At).waits = append(b.hour(e.At).waits, w)
		}
	case queue.TicketFinished:
		sv := b.service(p.Ticket.Service)
		sv.served++
		sv.services = append(sv.services, p.ServiceS)
		w := b.window(p.Window)
		w.servedCount++
		w.services = append(w.services, p.ServiceS)
		b.day(e.At).served++
		b.hour(e.At).served++
		c := b.clerk(p.Staff)
		c.served++
		c.services = append(c.services, p.ServiceS)
		b.finished++
	case queue.TicketSkipped:
		b.service(p.Ticket.Service).noShows++
		b.day(e.At).noShows++
	case queue.SkipUndone:
		// The skip was taken back at the window.
		b.service(p.Ticket.Service).noShows--
		b.day(e.At).noShows--
	case queue.TicketRequeued:
		// The no-show came after all.
		b.service(p.Ticket.Service).noShows--
		b.day(e.At).noShows--
	case queue.TicketCancelled:
		if p.Reason == consult.CancelReason {
			break // a 咨询号 its department answered: not given up
		}
		b.service(p.Ticket.Service).cancelled++
	case rating.Given:
		r := &Rating{At: e.At, Day: b.setup.Queue.Day(e.At), Window: p.Window, Staff: p.Staff, Service: p.Ticket.Service,
			Number: p.Ticket.Number, Level: p.Level, Reason: p.Reason, Channel: p.Channel}
		b.ratings = append(b.ratings, r)
		b.byTicket[p.Ticket.ID] = r
		if p.Level >= 1 && p.Level <= 5 {
			b.day(e.At).levels[p.Level]++
			b.clerk(p.Staff).levels[p.Level]++
		}
	case rating.FollowUpOpened:
		f := p.FollowUp
		b.fus[f.ID] = &f
		if r := b.byTicket[f.Ticket.ID]; r != nil {
			r.FollowUp = &f
		}
	case consult.Requested:
		b.dept(p.Department).counts.Taken++
	case consult.Acknowledged:
		d := b.dept(p.Department)
		d.counts.Acknowledged++
		d.acks = append(d.acks, p.AfterS)
	case consult.Met:
		d := b.dept(p.Department)
		if p.Mode == "" {
			d.counts.InPerson++
		} else {
			d.counts.Remote++
		}
		d.met = append(d.met, p.AfterS)
	case consult.Ended:
		if p.HandedOn != nil {
			b.dept(p.Department).counts.HandedOn++
		}
	case consult.Escalated:
		b.dept(p.Department).counts.Late++
	case booking.Made:
		b.service(p.Booking.Service).bookings++
	case booking.BookingForfeited:
		b.service(p.Service).forfeits++
	case booking.BookingServed:
		r := p.Record
		b.appts = append(b.appts, &r)
		b.apptByID[r.Code] = &r
	case overtime.Served:
		r := p.Record
		b.overtime = append(b.overtime, &r)
		b.otByID[r.ID] = &r
		b.window(r.Window).otServices++
		b.clerk(r.Staff).otServices++
	}
}

// closeOvertime adds the part of an overtime span that falls in the period.
func (b *Builder) closeOvertime(window string, end time.Time) {
	start, ok := b.otSince[window]
	if !ok {
		return
	}
	delete(b.otSince, window)
	start = maxTime(start, b.p.From)
	end = minTime(end, b.p.To)
	if end.After(start) {
		b.window(window).overtime += end.Sub(start)
	}
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

func ratingsOf(rs []*Rating, now time.Time) Ratings {
	out := Ratings{Levels: map[int]int{1: 0, 2: 0, 3: 0, 4: 0, 5: 0}}
	good := 0
	for _, r := range rs {
		out.Levels[r.Level]++
		out.Rated++
		if r.Level > rating.Bad {
			good++
		} else {
			out.Bad++
		}
		if f := r.FollowUp; f != nil {
			out.FollowUps.Opened++
			if f.Open() {
				out.FollowUps.Open++
			} else {
				out.FollowUps.Closed++
			}
			if f.Late(now) || f.ClosedAt.After(f.Deadline) {
				out.FollowUps.Overdue++
			}
		}
	}
	if out.Rated > 0 {
		out.Satisfaction = math.Round(float64(good)/float64(out.Rated)*1000) / 1000
	}
	return out
}

// Report is the daily or monthly report of what was read.
func (b *Builder) Report(hall string) Report {
	// Overtime still running counts up to now.
	for _, w := range slices.Sorted(maps.Keys(b.otSince)) {
		b.closeOvertime(w, b.now)
	}
	rep := Report{
		Hall: hall, Period: b.p.Label,
		From: b.p.From.Format(time.DateOnly), To: b.p.To.AddDate(0, 0, -1).Format(time.DateOnly),
		Services: []ServiceRow{}, Windows: []WindowRow{}, Days: []DayRow{}, Clerks: []ClerkRow{}, Hours: []HourRow{},
		Departments: []DepartmentRow{},
	}
	for _, d := range departments(b.setup) {
		a := b.dept(d.ID)
		rep.Departments = append(rep.Departments, departmentRow(d, a.counts, summarise(a.acks), summarise(a.met)))
	}
	rep.Cases = casesReport(b.setup, func(code string) CaseCounts { return *counts(b.caseItems, code) },
		func(id string) CaseCounts { return *counts(b.caseDepts, id) }, b.caseTotal)
	rep.Envelopes = envelopesReport(b.setup, func(code string) EnvelopeCounts {
		if c := b.envItems[code]; c != nil {
			return *c
		}
		return EnvelopeCounts{}
	}, b.envTotal)
	var allWaits, allServices []float64
	for _, sv := range b.setup.Queue.Services {
		a := b.service(sv.Code)
		row := ServiceRow{Code: sv.Code, Name: sv.Name, Issued: a.issued, Served: a.served, NoShows: a.noShows,
			Cancelled: a.cancelled, Appointments: a.appointments, PreReviewed: a.preReviewed,
			Bookings: a.bookings, Forfeits: a.forfeits,
			Wait: summarise(a.waits), Service: summarise(a.services)}
		rep.Services = append(rep.Services, row)
		rep.Totals.Issued += a.issued
		rep.Totals.Served += a.served
		rep.Totals.NoShows += a.noShows
		rep.Totals.Cancelled += a.cancelled
		rep.Totals.Appointments += a.appointments
		rep.Totals.PreReviewed += a.preReviewed
		rep.Totals.Bookings += a.bookings
		rep.Totals.Forfeits += a.forfeits
		allWaits = append(allWaits, a.waits...)
		allServices = append(allServices, a.services...)
	}
	rep.Totals.Code, rep.Totals.Name = "*", "合计"
	rep.Totals.Wait, rep.Totals.Service = summarise(allWaits), summarise(allServices)
	for _, ws := range b.setup.Queue.Windows {
		a := b.window(ws.ID)
		rep.Windows = append(rep.Windows, WindowRow{Window: ws.ID, Name: ws.Name, Served: a.servedCount,
			Service: summarise(a.services), OvertimeMinutes: round1(a.overtime.Minutes()), OvertimeServices: a.otServices})
	}
	for _, id := range slices.Sorted(maps.Keys(b.clerks)) {
		a := b.clerks[id]
		row := ClerkRow{Staff: id, Served: a.served, Service: summarise(a.services), OvertimeServices: a.otServices}
		row.Rated, row.Bad, row.Satisfaction = levelFigures(a.levels)
		rep.Clerks = append(rep.Clerks, row)
	}
	for _, h := range slices.Sorted(maps.Keys(b.hours)) {
		a := b.hours[h]
		rep.Hours = append(rep.Hours, HourRow{Hour: h, Issued: a.issued, Served: a.served, AvgWaitS: summarise(a.waits).AvgS})
	}
	rep.Ratings = ratingsOf(b.ratings, b.now)
	rep.Ratings.NotRated = max(0, b.finished-rep.Ratings.Rated)
	// Days after today, in the hall's zone, have not happened: a month
	// asked for mid-month lists the days up to today.
	today := b.setup.Queue.Day(b.now)
	for d := b.p.From; d.Before(b.p.To); d = d.AddDate(0, 0, 1) {
		k := d.Format(time.DateOnly)
		if k > today {
			break
		}
		a := b.days[k]
		row := DayRow{Day: k}
		if a != nil {
			row.Issued, row.Served, row.NoShows = a.issued, a.served, a.noShows
			row.AvgWaitS = summarise(a.waits).AvgS
			row.Rated, _, row.Satisfaction = levelFigures(a.levels)
		}
		rep.Days = append(rep.Days, row)
	}
	return rep
}

// departments are the hall file's departments that answer 咨询号.
func departments(setup *hall.Setup) []consult.Department {
	if setup.Consults == nil {
		return nil
	}
	return setup.Consults.Departments
}

func departmentRow(d consult.Department, c Consults, ack, met Stats) DepartmentRow {
	return DepartmentRow{Department: d.ID, Name: d.Name, NameEN: d.NameEN, Taken: c.Taken, Acknowledged: c.Acknowledged,
		InPerson: c.InPerson, Remote: c.Remote, HandedOn: c.HandedOn, Late: c.Late, Ack: ack, Met: met}
}

// levelFigures is how many rated, how many 差评, and the satisfaction of
// counts per level; no satisfaction when nobody rated.
func levelFigures(levels [6]int) (rated, bad int, satisfaction *float64) {
	good := 0
	for lvl := 1; lvl <= 5; lvl++ {
		rated += levels[lvl]
		if lvl > rating.Bad {
			good += levels[lvl]
		} else {
			bad += levels[lvl]
		}
	}
	if rated > 0 {
		v := math.Round(float64(good)/float64(rated)*1000) / 1000
		satisfaction = &v
	}
	return rated, bad, satisfaction
}

// By is how rating statistics are grouped.
type By string

const (
	ByClerk   By = "clerk"
	ByWindow  By = "window"
	ByService By = "service"
	ByDay     By = "day"
)

// Valid reports whether b is a known grouping.
func (b By) Valid() bool { return b == ByClerk || b == ByWindow || b == ByService || b == ByDay }

// RatingRow is the statistics of one group.
type RatingRow struct {
	Key string `json:"key"`
	Ratings
	// BadRatings lists each 差评 with its follow-up.
	BadRatings []*Rating `json:"bad_ratings"`
}

// RatingStats groups the ratings read.
func (b *Builder) RatingStats(by By) []RatingRow {
	groups := map[string][]*Rating{}
	for _, r := range b.ratings {
		var k string
		switch by {
		case ByClerk:
			k = r.Staff
		case ByWindow:
			k = r.Window
		case ByService:
			k = r.Service
		default:
			k = r.Day
		}
		groups[k] = append(groups[k], r)
	}
	out := []RatingRow{}
	for _, k := range slices.Sorted(maps.Keys(groups)) {
		row := RatingRow{Key: k, Ratings: ratingsOf(groups[k], b.now), BadRatings: []*Rating{}}
		for _, r := range groups[k] {
			if r.Level <= rating.Bad {
				row.BadRatings = append(row.BadRatings, r)
			}
		}
		out = append(out, row)
	}
	return out
}

// Appointments are the 预约服务登记表 of the period, in the order served.
func (b *Builder) Appointments() []*booking.Record {
	out := slices.Clone(b.appts)
	if out == nil {
		out = []*booking.Record{}
	}
	return out
}

// Overtime is the 延时服务登记表 of the period, in the order served.
func (b *Builder) Overtime() []*overtime.Record {
	out := slices.Clone(b.overtime)
	if out == nil {
		out = []*overtime.Record{}
	}
	return out
}
