package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hallfloor/booking"
	"hallfloor/calendar"
	"hallfloor/hall"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// liveHall runs the real rules and keeps every event, as the journal would.
type liveHall struct {
	t      *testing.T
	setup  *hall.Setup
	s      *hall.State
	now    time.Time
	events []room.Event
	ids    int
}

func newHall(t *testing.T) *liveHall {
	week := []calendar.Session{{Start: 9 * 60, End: 12 * 60}, {Start: 13*60 + 30, End: 17*60 + 30}}
	cal := &calendar.Calendar{Location: shanghai}
	for d := time.Monday; d <= time.Friday; d++ {
		cal.Weekly[d] = week
	}
	setup := hall.NewSetup(queue.Setup{
		Location: shanghai, Calendar: cal,
		Services: []queue.Service{{Code: "A", Name: "社会民生", Kind: queue.Intake}, {Code: "B", Name: "工程建设", Kind: queue.Intake}},
		Windows:  []queue.WindowSetup{{ID: "1", Name: "一号", Services: []string{"A"}}, {ID: "2", Name: "二号", Services: []string{"B"}}},
	}, rating.Setup{}, nil, hall.Alerts{})
	a := booking.Service{Code: "A", Length: 30 * time.Minute, Capacity: 2}
	for d := time.Monday; d <= time.Friday; d++ {
		a.Weekly[d] = week
	}
	setup.Bookings = booking.NewSetup(booking.Setup{Calendar: setup.Calendar(), Services: []booking.Service{a}})
	return &liveHall{t: t, setup: setup, s: hall.NewState(setup)}
}

// do runs a command at when the way the engine does (a new day first, the
// command, the reactions its events cause) and keeps every event applied.
func (h *liveHall) do(when string, cmd hall.Command) room.Outcome {
	h.t.Helper()
	h.now = at(when)
	if c, ok := cmd.(queue.IssueTicket); ok {
		h.ids++
		c.ID = "t" + string(rune('a'+h.ids))
		cmd = c
	}
	out, evs, err := h.s.Run(h.setup, cmd, room.Env{Now: h.now})
	if err != nil {
		h.t.Fatalf("%s %T: %v", when, cmd, err)
	}
	h.events = append(h.events, evs...)
	return out
}

func (h *liveHall) build(p Period, now time.Time) *Builder {
	b := NewBuilder(h.setup, p, now)
	for _, e := range h.events {
		b.Add(e)
	}
	return b
}

func clerk(id string) room.Actor { return room.Actor{Staff: id, Role: room.Clerk} }

// day runs Monday 2025-03-10: four A tickets, one B, a no-show, a 差评, a
// 5, an overtime service, and one ticket on the Tuesday that must not count.
// Each call names the ticket the clerk's screen shows, the one the call
// before called.
func day(t *testing.T) *liveHall {
	h := newHall(t)
	h.do("2025-03-10 09:00:00", queue.OpenWindow{Window: "1", Actor: clerk("s1")})
	h.do("2025-03-10 09:00:00", queue.OpenWindow{Window: "2", Actor: clerk("s2")})
	for _, tm := range []string{"09:00:00", "09:01:00", "09:02:00", "09:03:00"} {
		h.do("2025-03-10 "+tm, queue.IssueTicket{Service: "A"})
	}
	h.do("2025-03-10 09:05:00", queue.IssueTicket{Service: "B"})
	a1 := h.do("2025-03-10 09:10:00", queue.CallNext{Window: "1", Actor: clerk("s1")})               // A001 waited 10 min
	h.do("2025-03-10 09:20:00", queue.CallNext{Window: "1", Actor: clerk("s1"), Current: a1.Ticket}) // A001 served 600 s; A002 waited 19 min
	h.do("2025-03-10 09:20:30", rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 2, Reason: "等候时间过长"})
	h.do("2025-03-10 09:21:00", queue.Skip{Window: "1", Actor: clerk("s1")})                         // A002 no-show
	a3 := h.do("2025-03-10 09:22:00", queue.CallNext{Window: "1", Actor: clerk("s1")})               // A003 waited 20 min
	h.do("2025-03-10 09:25:00", queue.CallNext{Window: "1", Actor: clerk("s1"), Current: a3.Ticket}) // A003 served 180 s; A004 waited 22 min
	h.do("2025-03-10 09:25:10", rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 5})
	h.do("2025-03-10 09:30:00", queue.Finish{Window: "1", Actor: clerk("s1")})   // A004 served 300 s
	h.do("2025-03-10 17:00:00", queue.CallNext{Window: "2", Actor: clerk("s2")}) // B001 waited 7h55m
	h.do("2025-03-10 17:30:00", overtime.Check{})                                // window 2 serving: overtime
	h.do("2025-03-10 17:50:00", queue.Finish{Window: "2", Actor: clerk("s2")})   // overtime ends after 20 min
	h.do("2025-03-10 17:50:20", overtime.Confirm{Window: "2", By: overtime.ByApplicant})
	h.do("2025-03-11 09:00:00", queue.IssueTicket{Service: "A"})
	return h
}

func TestDailyReport(t *testing.T) {
	h := day(t)
	p, err := Day("2025-03-10", shanghai)
	if err != nil {
		t.Fatal(err)
	}
	rep := h.build(p, at("2025-03-12 10:00:00")).Report("演示")
	a, b := rep.Services[0], rep.Services[1]
	if a.Issued != 4 || a.Served != 3 || a.NoShows != 1 || b.Issued != 1 || b.Served != 1 || rep.Totals.Issued != 5 {
		t.Fatalf("counts A %+v B %+v totals %+v", a, b, rep.Totals)
	}
	// Waits of A: 600, 1140, 1200, 1320 s.
	if a.Wait.Count != 4 || a.Wait.AvgS != 1065 || a.Wait.P90S != 1320 || a.Wait.MaxS != 1320 {
		t.Fatalf("A waits %+v", a.Wait)
	}
	if a.Service.AvgS != 360 || a.Service.MaxS != 600 || b.Service.AvgS != 3000 {
		t.Fatalf("service times A %+v B %+v", a.Service, b.Service)
	}
	w1, w2 := rep.Windows[0], rep.Windows[1]
	if w1.OvertimeMinutes != 0 || w2.OvertimeMinutes != 20 || w2.OvertimeServices != 1 || w1.Served != 3 {
		t.Fatalf("windows %+v %+v", w1, w2)
	}
	r := rep.Ratings
	if r.Rated != 2 || r.Levels[2] != 1 || r.Levels[5] != 1 || r.Bad != 1 || r.Satisfaction != 0.5 || r.NotRated != 2 {
		t.Fatalf("ratings %+v", r)
	}
	// The follow-up is due at the end of Monday 2025-03-17 and still open.
	if f := r.FollowUps; f.Opened != 1 || f.Open != 1 || f.Overdue != 0 {
		t.Fatalf("follow-ups %+v", f)
	}
	if len(rep.Days) != 1 || rep.Days[0].Issued != 5 || rep.From != "2025-03-10" || rep.To != "2025-03-10" {
		t.Fatalf("days %+v %s..%s", rep.Days, rep.From, rep.To)
	}
	late := h.build(p, at("2025-03-18 00:00:01")).Report("演示")
	if late.Ratings.FollowUps.Overdue != 1 {
		t.Fatalf("an open follow-up past its deadline is overdue: %+v", late.Ratings.FollowUps)
	}
}

func TestMonthlyReportAndStats(t *testing.T) {
	h := day(t)
	p, err := Month("2025-03", shanghai)
	if err != nil {
		t.Fatal(err)
	}
	b := h.build(p, at("2025-03-12 10:00:00"))
	rep := b.Report("演示")
	if rep.Totals.Issued != 6 || len(rep.Days) != 12 || rep.Days[9].Issued != 5 || rep.Days[10].Issued != 1 {
		t.Fatalf("month totals %+v, days %d", rep.Totals, len(rep.Days))
	}
	rows := b.RatingStats(ByClerk)
	if len(rows) != 1 || rows[0].Key != "s1" || rows[0].Rated != 2 || len(rows[0].BadRatings) != 1 ||
		rows[0].BadRatings[0].FollowUp == nil || rows[0].BadRatings[0].FollowUp.ID != "FU1" {
		t.Fatalf("by clerk %+v", rows)
	}
	if rows := b.RatingStats(ByDay); len(rows) != 1 || rows[0].Key != "2025-03-10" {
		t.Fatalf("by day %+v", rows)
	}
	ot := b.Overtime()
	if len(ot) != 1 || ot[0].Window != "2" || ot[0].Ticket.Number != "B001" || ot[0].ApplicantConfirmed.IsZero() || !ot[0].ClerkConfirmed.IsZero() {
		t.Fatalf("overtime register %+v", ot)
	}
}

// A month asked for mid-month lists its days up to today in the hall's zone
// (the days to come have no figures, not figures of 0), and a day nobody
// rated shows no satisfaction rather than 0.0%.
func TestMonthlyReportHasNoFutureAndNoFalseZero(t *testing.T) {
	h := day(t)
	p, _ := Month("2025-03", shanghai)
	// 2025-03-12 00:30 in Shanghai is still 03-11 in UTC: today is the 12th.
	rep := h.build(p, at("2025-03-12 00:30:00")).Report("演示")
	if n := len(rep.Days); n != 12 || rep.Days[n-1].Day != "2025-03-12" {
		t.Fatalf("days %d, last %+v; want 12, up to 2025-03-12", n, rep.Days[len(rep.Days)-1])
	}
	if d := rep.Days[9]; d.Rated != 2 || d.Satisfaction == nil || *d.Satisfaction != 0.5 {
		t.Fatalf("the rated day: %+v", d)
	}
	if d := rep.Days[10]; d.Satisfaction != nil {
		t.Fatalf("a day without ratings has satisfaction %v", *d.Satisfaction)
	}
	var days Table
	for _, tb := range rep.Tables() {
		if tb.Name == "每日 Days" {
			days = tb
		}
	}
	if len(days.Rows) != 12 {
		t.Fatalf("the days sheet has %d rows", len(days.Rows))
	}
	for _, row := range days.Rows {
		sat := row[len(row)-1]
		if row[0] == "2025-03-10" && sat != "50.0%" || row[0] != "2025-03-10" && sat != "—" {
			t.Errorf("day %s: satisfaction %q", row[0], sat)
		}
	}
	// A period with no ratings at all.
	q, _ := Month("2025-02", shanghai)
	feb := h.build(q, at("2025-03-12 10:00:00")).Report("演示")
	for _, tb := range feb.Tables() {
		for _, row := range tb.Rows {
			if row[0] == "满意率 satisfaction" && row[1] != "—" {
				t.Errorf("February's satisfaction %q, want —", row[1])
			}
		}
	}
}

func TestPeriods(t *testing.T) {
	for _, bad := range []string{"2025-3-1", "", "tomorrow"} {
		if _, err := Day(bad, shanghai); err == nil {
			t.Errorf("day %q accepted", bad)
		}
	}
	if _, err := Month("2025-13", shanghai); err == nil {
		t.Error("month 13 accepted")
	}
	if _, err := Range("2025-03-10", "2025-03-01", shanghai); err == nil {
		t.Error("a backwards range accepted")
	}
	p, err := Range("2025-03-01", "2025-03-10", shanghai)
	if err != nil || !p.To.Equal(at("2025-03-11 00:00:00")) {
		t.Fatalf("range %+v %v", p, err)
	}
}

func TestExports(t *testing.T) {
	h := day(t)
	p, _ := Day("2025-03-10", shanghai)
	b := h.build(p, at("2025-03-12 10:00:00"))
	tables := b.Report("演示").Tables()

	var buf bytes.Buffer
	if err := WriteCSV(&buf, tables); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(buf.String(), "\ufeff") {
		t.Fatal("CSV without a byte-order mark")
	}
	r := csv.NewReader(strings.NewReader(strings.TrimPrefix(buf.String(), "\ufeff")))
	r.FieldsPerRecord = -1
	recs, err := r.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if recs[0][0] != "业务 Services" || recs[2][0] != "A" || recs[2][2] != "4" {
		t.Fatalf("CSV starts %q", recs[:3])
	}

	buf.Reset()
	reg := OvertimeTable(b.Overtime(), map[string]string{"s2": "李建国"}, shanghai)
	if err := WriteXLSX(&buf, append(tables, reg)); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 7 || got[4] != "人员 Clerks" || got[6] != "延时服务登记表" {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows("延时服务登记表")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 2 || rows[1][4] != "李建国" || rows[1][5] != "B001" || rows[1][7] != "17:00:00" || rows[1][9] != "50" {
		t.Fatalf("register rows %q", rows)
	}
	if v, _ := f.GetCellValue("业务 Services", "C2"); v != "4" {
		t.Fatalf("issued cell %q", v)
	}
}
