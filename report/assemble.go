package report

import (
	"encoding/binary"
	"maps"
	"slices"
	"strconv"
	"time"

	"hallfloor/booking"
	"hallfloor/hall"
	"hallfloor/overtime"
	"hallfloor/rating"
	"hallfloor/room"
)

// Assembler makes a period's report from daily figures: the cells of each
// day of the period and the details of the period and the weeks after it.
// It answers what a Builder fed the period's events answers.
type Assembler struct {
	setup *hall.Setup
	p     Period
	now   time.Time

	groups map[CellKey]*group
	days   map[string]*Cell // the hall's cell of each day
	det    *Builder         // fed the details only
	fus    map[string]*FollowUpFact
	err    error
	one    hist // scratch for one group at a time
}

// group is a service's, window's, clerk's or hour's cells over the period,
// summed, with their values still encoded.
type group struct {
	Cell
	waits, services [][]byte
	acks, met       [][]byte
}

// NewAssembler assembles the report of p; now is when it is asked for.
func NewAssembler(setup *hall.Setup, p Period, now time.Time) *Assembler {
	return &Assembler{setup: setup, p: p, now: now, groups: map[CellKey]*group{}, days: map[string]*Cell{},
		det: NewBuilder(setup, p, now), fus: map[string]*FollowUpFact{}}
}

// Tail is how long after a period its details may still complete it: a
// 差评 follow-up is due within 15 working days at the most, and an overtime
// service may be confirmed later.
const Tail = 45 * 24 * time.Hour

// FollowUpFact is what a report counts of a 差评's follow-up: opened on
// Day, for the rating's clerk, window and service; closed at ClosedAt, or
// still open when zero.
type FollowUpFact struct {
	ID, Day, Staff, Window, Service string
	Deadline, ClosedAt              time.Time
}

// AddFollowUp adds a follow-up opened in the period, as recorded.
func (a *Assembler) AddFollowUp(f FollowUpFact) {
	if f.Day < a.p.From.Format(time.DateOnly) || f.Day >= a.p.To.Format(time.DateOnly) {
		return
	}
	if !f.ClosedAt.IsZero() && f.ClosedAt.After(a.p.To.Add(Tail)) {
		f.ClosedAt = time.Time{}
	}
	a.fus[f.ID] = &f
}

// AddFollowUpEvent reads a follow-up's opening or closing from an event of
// a day not recorded yet, in journal order.
func (a *Assembler) AddFollowUpEvent(e room.Event) {
	switch p := e.Data.(type) {
	case rating.FollowUpOpened:
		if a.p.has(e.At) {
			f := p.FollowUp
			a.AddFollowUp(FollowUpFact{ID: f.ID, Day: a.setup.Queue.Day(e.At), Staff: f.Staff, Window: f.Window,
				Service: f.Ticket.Service, Deadline: f.Deadline})
		}
	case rating.FollowUpClosed:
		if f := a.fus[p.ID]; f != nil && !e.At.After(a.p.To.Add(Tail)) {
			f.ClosedAt = e.At
		}
	}
}

// followUps counts follow-ups as ratingsOf does.
func (a *Assembler) followUps(keep func(*FollowUpFact) bool) FollowUps {
	var out FollowUps
	for _, f := range a.fus {
		if !keep(f) {
			continue
		}
		out.Opened++
		if f.ClosedAt.IsZero() {
			out.Open++
			if a.now.After(f.Deadline) {
				out.Overdue++
			}
		} else {
			out.Closed++
			if f.ClosedAt.After(f.Deadline) {
				out.Overdue++
			}
		}
	}
	return out
}

// AddCell adds one day's cell in its durable form; data is kept, not
// copied. Cells of days outside the period are skipped.
func (a *Assembler) AddCell(day string, k CellKey, data []byte) error {
	if day < a.p.From.Format(time.DateOnly) || day >= a.p.To.Format(time.DateOnly) {
		return nil
	}
	h, err := decodeCell(data)
	if err != nil {
		a.err = err
		return err
	}
	if k.Dim == DimTotal {
		c := h.Cell
		a.days[day] = &c
		return nil
	}
	g := a.groups[k]
	if g == nil {
		g = &group{}
		a.groups[k] = g
	}
	g.sum(&h)
	return nil
}

// AddFigures adds a day recorded just now, from its events.
func (a *Assembler) AddFigures(f DayFigures) error {
	for k, c := range f.Cells {
		if err := a.AddCell(f.Day, k, c.Encode()); err != nil {
			return err
		}
	}
	return nil
}

// AddDetail adds one detail (see IsDetail), in journal order: what the
// rating statistics list and the overtime register need.
func (a *Assembler) AddDetail(e room.Event) { a.det.Add(e) }

// Err is the first cell that could not be read.
func (a *Assembler) Err() error { return a.err }

func (g *group) sum(h *cellHead) {
	g.Issued += h.Issued
	g.Served += h.Served
	g.NoShows += h.NoShows
	g.Cancelled += h.Cancelled
	g.Appointments += h.Appointments
	g.PreReviewed += h.PreReviewed
	g.Bookings += h.Bookings
	g.Forfeits += h.Forfeits
	for l := range g.Levels {
		g.Levels[l] += h.Levels[l]
	}
	g.OvertimeNs += h.OvertimeNs
	g.OvertimeServices += h.OvertimeServices
	g.Wait.N += h.Wait.N
	g.Wait.Sum += h.Wait.Sum
	g.Service.N += h.Service.N
	g.Service.Sum += h.Service.Sum
	if len(h.waitVals) > 0 {
		g.waits = append(g.waits, h.waitVals)
	}
	if len(h.svcVals) > 0 {
		g.services = append(g.services, h.svcVals)
	}
	g.Consults.Taken += h.Consults.Taken
	g.Consults.Acknowledged += h.Consults.Acknowledged
	g.Consults.InPerson += h.Consults.InPerson
	g.Consults.Remote += h.Consults.Remote
	g.Consults.HandedOn += h.Consults.HandedOn
	g.Consults.Late += h.Consults.Late
	g.Ack.N += h.Ack.N
	g.Ack.Sum += h.Ack.Sum
	g.Met.N += h.Met.N
	g.Met.Sum += h.Met.Sum
	if len(h.ackVals) > 0 {
		g.acks = append(g.acks, h.ackVals)
	}
	if len(h.metVals) > 0 {
		g.met = append(g.met, h.metVals)
	}
	g.Cases.add(h.Cases)
	g.Envelopes.add(h.Envelopes)
}

func (a *Assembler) group(dim Dim, key string) *group {
	if g := a.groups[CellKey{dim, key}]; g != nil {
		return g
	}
	return &group{}
}

// stats counts the values of some groups' cells together.
func (a *Assembler) stats(n int, sum float64, vals ...[][]byte) Stats {
	a.one.reset()
	for _, vs := range vals {
		for _, v := range vs {
			a.one.addEncoded(v)
		}
	}
	return a.one.stats(n, sum)
}

// Report is the period's report.
func (a *Assembler) Report(hallName string) Report {
	rep := Report{
		Hall: hallName, Period: a.p.Label,
		From: a.p.From.Format(time.DateOnly), To: a.p.To.AddDate(0, 0, -1).Format(time.DateOnly),
		Services: []ServiceRow{}, Windows: []WindowRow{}, Days: []DayRow{}, Clerks: []ClerkRow{}, Hours: []HourRow{},
		Departments: []DepartmentRow{},
	}
	for _, d := range departments(a.setup) {
		g := a.group(DimDept, d.ID)
		rep.Departments = append(rep.Departments, departmentRow(d, g.Consults,
			a.stats(g.Ack.N, g.Ack.Sum, g.acks), a.stats(g.Met.N, g.Met.Sum, g.met)))
	}
	var cases CaseCounts
	var envelopes EnvelopeCounts
	for _, c := range a.days {
		cases.add(c.Cases)
		envelopes.add(c.Envelopes)
	}
	rep.Cases = casesReport(a.setup, func(code string) CaseCounts { return a.group(DimItem, code).Cases },
		func(id string) CaseCounts { return a.group(DimDept, id).Cases }, cases)
	rep.Envelopes = envelopesReport(a.setup, func(code string) EnvelopeCounts { return a.group(DimItem, code).Envelopes }, envelopes)
	var waits, services [][]byte
	var wait, service Dist
	for _, sv := range a.setup.Queue.Services {
		g := a.group(DimService, sv.Code)
		rep.Services = append(rep.Services, ServiceRow{Code: sv.Code, Name: sv.Name, Issued: g.Issued, Served: g.Served,
			NoShows: g.NoShows, Cancelled: g.Cancelled, Appointments: g.Appointments, PreReviewed: g.PreReviewed,
			Bookings: g.Bookings, Forfeits: g.Forfeits,
			Wait: a.stats(g.Wait.N, g.Wait.Sum, g.waits), Service: a.stats(g.Service.N, g.Service.Sum, g.services)})
		rep.Totals.Issued += g.Issued
		rep.Totals.Served += g.Served
		rep.Totals.NoShows += g.NoShows
		rep.Totals.Cancelled += g.Cancelled
		rep.Totals.Appointments += g.Appointments
		rep.Totals.PreReviewed += g.PreReviewed
		rep.Totals.Bookings += g.Bookings
		rep.Totals.Forfeits += g.Forfeits
		waits, services = append(waits, g.waits...), append(services, g.services...)
		wait.N, wait.Sum = wait.N+g.Wait.N, wait.Sum+g.Wait.Sum
		service.N, service.Sum = service.N+g.Service.N, service.Sum+g.Service.Sum
	}
	rep.Totals.Code, rep.Totals.Name = "*", "合计"
	rep.Totals.Wait, rep.Totals.Service = a.stats(wait.N, wait.Sum, waits), a.stats(service.N, service.Sum, services)
	for _, ws := range a.setup.Queue.Windows {
		g := a.group(DimWindow, ws.ID)
		rep.Windows = append(rep.Windows, WindowRow{Window: ws.ID, Name: ws.Name, Served: g.Served,
			Service:         a.stats(g.Service.N, g.Service.Sum, g.services),
			OvertimeMinutes: round1(time.Duration(g.OvertimeNs).Minutes()), OvertimeServices: g.OvertimeServices})
	}
	for _, k := range a.keys(DimClerk) {
		g := a.groups[CellKey{DimClerk, k}]
		row := ClerkRow{Staff: k, Served: g.Served, Service: a.stats(g.Service.N, g.Service.Sum, g.services),
			OvertimeServices: g.OvertimeServices}
		row.Rated, row.Bad, row.Satisfaction = levelFigures(g.Levels)
		rep.Clerks = append(rep.Clerks, row)
	}
	for _, k := range a.keys(DimHour) {
		g := a.groups[CellKey{DimHour, k}]
		h, _ := strconv.Atoi(k)
		rep.Hours = append(rep.Hours, HourRow{Hour: h, Issued: g.Issued, Served: g.Served, AvgWaitS: a.stats(g.Wait.N, g.Wait.Sum).AvgS})
	}
	var levels [6]int
	served := 0
	for _, c := range a.days {
		for l := range levels {
			levels[l] += c.Levels[l]
		}
		served += c.Served
	}
	rep.Ratings = a.ratings(levels, nil)
	rep.Ratings.FollowUps = a.followUps(func(*FollowUpFact) bool { return true })
	rep.Ratings.NotRated = max(0, served-rep.Ratings.Rated)
	today := a.setup.Queue.Day(a.now)
	for d := a.p.From; d.Before(a.p.To); d = d.AddDate(0, 0, 1) {
		k := d.Format(time.DateOnly)
		if k > today {
			break
		}
		row := DayRow{Day: k}
		if c := a.days[k]; c != nil {
			row.Issued, row.Served, row.NoShows = c.Issued, c.Served, c.NoShows
			row.AvgWaitS = a.stats(c.Wait.N, c.Wait.Sum).AvgS
			row.Rated, _, row.Satisfaction = levelFigures(c.Levels)
		}
		rep.Days = append(rep.Days, row)
	}
	return rep
}

// keys are the keys of a dimension's groups, in order.
func (a *Assembler) keys(dim Dim) []string {
	var out []string
	for k := range a.groups {
		if k.Dim == dim {
			out = append(out, k.Key)
		}
	}
	slices.Sort(out)
	return out
}

// ratings is the figures of counts per level, with the follow-ups of the
// 差评 among bad.
func (a *Assembler) ratings(levels [6]int, bad []*Rating) Ratings {
	out := ratingsOf(bad, a.now)
	out.Levels = map[int]int{}
	for l := 1; l <= 5; l++ {
		out.Levels[l] = levels[l]
	}
	var sat *float64
	out.Rated, out.Bad, sat = levelFigures(levels)
	out.Satisfaction = 0
	if sat != nil {
		out.Satisfaction = *sat
	}
	return out
}

// RatingStats groups the period's ratings as Builder.RatingStats does.
func (a *Assembler) RatingStats(by By) []RatingRow {
	levels := map[string][6]int{}
	switch by {
	case ByDay:
		for d, c := range a.days {
			levels[d] = c.Levels
		}
	default:
		dim := map[By]Dim{ByClerk: DimClerk, ByWindow: DimWindow, ByService: DimService}[by]
		for k, g := range a.groups {
			if k.Dim == dim {
				levels[k.Key] = g.Levels
			}
		}
	}
	bad := map[string][]*Rating{}
	for _, r := range a.det.ratings {
		k := map[By]string{ByClerk: r.Staff, ByWindow: r.Window, ByService: r.Service, ByDay: r.Day}[by]
		bad[k] = append(bad[k], r)
	}
	out := []RatingRow{}
	for _, k := range slices.Sorted(maps.Keys(levels)) {
		ls := levels[k]
		if n, _, _ := levelFigures(ls); n == 0 {
			continue
		}
		row := RatingRow{Key: k, Ratings: a.ratings(ls, nil), BadRatings: []*Rating{}}
		row.FollowUps = a.followUps(func(f *FollowUpFact) bool {
			return map[By]string{ByClerk: f.Staff, ByWindow: f.Window, ByService: f.Service, ByDay: f.Day}[by] == k
		})
		for _, r := range bad[k] {
			if r.Level <= rating.Bad {
				row.BadRatings = append(row.BadRatings, r)
			}
		}
		out = append(out, row)
	}
	return out
}

// Overtime is the 延时服务登记表 of the period, in the order served.
func (a *Assembler) Overtime() []*overtime.Record { return a.det.Overtime() }

// Appointments are the 预约服务登记表 of the period, from the details.
func (a *Assembler) Appointments() []*booking.Record { return a.det.Appointments() }

// CloseFollowUp closes a follow-up added before, as recorded on the day
// it was closed; a closing after the period's tail is not seen, as a
// report from events does not read that far.
func (a *Assembler) CloseFollowUp(id string, at time.Time) {
	if f := a.fus[id]; f != nil && !at.After(a.p.To.Add(Tail)) {
		f.ClosedAt = at
	}
}

// EncodeFollowUps is the durable form of a day's follow-up facts: one
// blob a day, read in one row whatever the day's number of 差评.
func EncodeFollowUps(fs []FollowUpFact) []byte {
	b := binary.AppendUvarint(nil, uint64(len(fs)))
	for _, f := range fs {
		for _, s := range []string{f.ID, f.Day, f.Staff, f.Window, f.Service} {
			b = binary.AppendUvarint(b, uint64(len(s)))
			b = append(b, s...)
		}
		b = binary.AppendVarint(b, unixOrZero(f.Deadline))
		b = binary.AppendVarint(b, unixOrZero(f.ClosedAt))
	}
	return b
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixNano()
}

func timeOrZero(ns int64) time.Time {
	if ns == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns)
}

// DecodeFollowUps reads what EncodeFollowUps wrote.
func DecodeFollowUps(b []byte) ([]FollowUpFact, error) {
	r := reader{b: b}
	n := int(r.uvarint())
	if r.err || n > len(b) {
		return nil, errCell
	}
	out := make([]FollowUpFact, 0, n)
	for range n {
		var f FollowUpFact
		for _, s := range []*string{&f.ID, &f.Day, &f.Staff, &f.Window, &f.Service} {
			k := int(r.uvarint())
			if r.err || k > len(r.b) {
				return nil, errCell
			}
			*s, r.b = string(r.b[:k]), r.b[k:]
		}
		f.Deadline, f.ClosedAt = timeOrZero(r.varint()), timeOrZero(r.varint())
		if r.err {
			return nil, errCell
		}
		out = append(out, f)
	}
	return out, nil
}

// FollowUpFacts are the follow-ups opened and closed among a day's events.
func FollowUpFacts(setup *hall.Setup, events []room.Event) (opened, closed []FollowUpFact) {
	for _, e := range events {
		switch p := e.Data.(type) {
		case rating.FollowUpOpened:
			f := p.FollowUp
			opened = append(opened, FollowUpFact{ID: f.ID, Day: setup.Queue.Day(e.At), Staff: f.Staff, Window: f.Window,
				Service: f.Ticket.Service, Deadline: f.Deadline})
		case rating.FollowUpClosed:
			closed = append(closed, FollowUpFact{ID: p.ID, ClosedAt: e.At})
		}
	}
	return opened, closed
}
