package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/overtime"
)

// dayHall is the demo hall on a working calendar (weekdays 09:00–12:00 and
// 13:30–17:30) with a clock the test sets, served on a random port with a
// real SQLite journal and a second, reading handle on it for reports.
type dayHall struct {
	client
	t   *testing.T
	ts  *httptest.Server
	eng *engine.Engine

	mu   sync.Mutex
	now  time.Time
	keys map[string]string // holder keys by ticket id
}

var dayLoc = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

func dayAt(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", s, dayLoc)
	if err != nil {
		panic(err)
	}
	return t
}

func startDayHall(t *testing.T, start time.Time) *dayHall {
	t.Helper()
	cfg := config.Demo()
	week := []string{"09:00-12:00", "13:30-17:30"}
	cfg.Calendar = config.Calendar{Weekly: map[string][]string{"mon": week, "tue": week, "wed": week, "thu": week, "fri": week}}
	if ps := cfg.Validate(); len(ps) > 0 {
		t.Fatal(ps)
	}
	h := &dayHall{t: t, now: start, keys: map[string]string{}}
	run := apptest.Start(t, app.Options{Hall: cfg, Clock: h.clock})
	h.client, h.ts, h.eng = client{t, run.URL}, run.HTTP, run.Engine
	return h
}

func (h *dayHall) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *dayHall) set(s string) {
	h.mu.Lock()
	h.now = dayAt(s)
	h.mu.Unlock()
}

// send gives the engine a command as the scheduler does.
func (h *dayHall) send(cmd hall.Command) {
	h.t.Helper()
	if res := h.eng.Do(context.Background(), cmd, "", nil); res.Err != nil {
		h.t.Fatalf("%T: %v", cmd, res.Err)
	}
}

func (h *dayHall) issue(service string) (id, number string) {
	h.t.Helper()
	var v struct{ ID, Number, Key string }
	h.must(201, "POST", "/api/v1/tickets", "", map[string]string{"service": service}).into(h.t, &v)
	h.keys[v.ID] = v.Key
	return v.ID, v.Number
}

// asHolder is a ticket's path with its holder key, as the slip's QR link has it.
func (h *dayHall) asHolder(id, path string) string {
	return "/api/v1/tickets/" + id + path + "?k=" + h.keys[id]
}

func TestDayAPIRatingsOvertimeAndReports(t *testing.T) {
	h := startDayHall(t, dayAt("2025-03-14 11:40:00")) // a Friday
	clerk, admin := h.login("1001"), h.login("admin")
	h.must(200, "POST", "/api/v1/windows/1/open", clerk, nil)
	a1, _ := h.issue("A")
	a2, _ := h.issue("A")
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, nil)

	// Nothing is asked before the service ends.
	var prompt struct {
		Prompt *struct {
			Number    string    `json:"number"`
			ExpiresAt time.Time `json:"expires_at"`
		} `json:"prompt"`
		OvertimeConfirm *struct {
			Record string `json:"record"`
			Number string `json:"number"`
		} `json:"overtime_confirm"`
		Reasons []string `json:"reasons"`
		Levels  []struct {
			Level int    `json:"level"`
			Name  string `json:"name"`
		} `json:"levels"`
	}
	h.must(200, "GET", "/api/v1/windows/1/rating", "", nil).into(t, &prompt)
	if prompt.Prompt != nil || len(prompt.Levels) != 5 || prompt.Levels[0].Name != "非常满意" || len(prompt.Reasons) == 0 {
		t.Fatalf("before finish: %+v", prompt)
	}
	h.must(409, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 5})
	h.must(409, "POST", h.asHolder(a1, "/rating"), "", map[string]any{"level": 5})

	h.set("2025-03-14 11:50:00")
	h.must(200, "POST", "/api/v1/windows/1/finish", clerk, nil)
	h.must(200, "GET", "/api/v1/windows/1/rating", "", nil).into(t, &prompt)
	if prompt.Prompt == nil || prompt.Prompt.Number != "A001" || !prompt.Prompt.ExpiresAt.Equal(dayAt("2025-03-14 11:51:00")) {
		t.Fatalf("prompt %+v", prompt.Prompt)
	}
	// A 差评 needs a reason; the refusal changes nothing.
	if e := h.must(400, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 2}).apiError(t); e.Error.Field != "reason" {
		t.Fatalf("error %+v", e)
	}
	h.must(400, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 7, "reason": "x"})
	h.must(400, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": "five"})
	// The pad's chosen level: checked like a rating, and not yet one.
	if e := h.must(400, "POST", "/api/v1/windows/1/rating/choice", "", map[string]any{"level": 6}).apiError(t); e.Error.Field != "level" {
		t.Fatalf("choice error %+v", e)
	}
	h.must(404, "POST", "/api/v1/windows/9/rating/choice", "", map[string]any{"level": 2})
	h.must(400, "POST", "/api/v1/windows/1/rating/choice", "", map[string]any{"level": 2, "reason": "x"})
	h.must(200, "POST", "/api/v1/windows/1/rating/choice", "", map[string]any{"level": 2})
	var given struct {
		Ticket   string    `json:"ticket"`
		Level    int       `json:"level"`
		Deadline time.Time `json:"followup_deadline"`
	}
	h.must(201, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 2, "reason": "等候时间过长"}).into(t, &given)
	// Five working days from a Friday skip the weekend: the next Friday.
	if given.Ticket != "A001" || given.Level != 2 || !given.Deadline.Equal(dayAt("2025-03-21 23:59:59")) {
		t.Fatalf("given %+v", given)
	}
	h.must(409, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 5})
	h.must(409, "POST", h.asHolder(a1, "/rating"), "", map[string]any{"level": 5})

	// Follow-ups are the manager's.
	h.must(403, "GET", "/api/v1/followups", clerk, nil)
	h.must(401, "GET", "/api/v1/followups", "", nil)
	var fus struct {
		FollowUps []struct {
			ID     string `json:"id"`
			Reason string `json:"reason"`
			Late   bool   `json:"late"`
		} `json:"followups"`
	}
	h.must(200, "GET", "/api/v1/followups", admin, nil).into(t, &fus)
	if len(fus.FollowUps) != 1 || fus.FollowUps[0].ID != "FU1" || fus.FollowUps[0].Reason != "等候时间过长" || fus.FollowUps[0].Late {
		t.Fatalf("follow-ups %+v", fus)
	}
	h.must(400, "GET", "/api/v1/followups?status=late", admin, nil)
	h.must(400, "POST", "/api/v1/followups/FU1", admin, map[string]string{"action": "道歉", "outcome": "x"})
	h.must(404, "POST", "/api/v1/followups/FU9", admin, map[string]string{"action": "回访", "outcome": "x"})

	// The session ends with A002 waiting: window 1 goes into overtime and
	// the kiosk refuses new walk-ins.
	h.set("2025-03-14 11:55:00")
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, nil)
	h.set("2025-03-14 12:00:00")
	h.send(overtime.Check{})
	var win struct {
		Overtime bool   `json:"overtime"`
		Notice   string `json:"notice"`
	}
	h.must(200, "GET", "/api/v1/windows/1", "", nil).into(t, &win)
	if !win.Overtime || win.Notice != "延时服务中" {
		t.Fatalf("window %+v", win)
	}
	e := h.must(409, "POST", "/api/v1/tickets", "", map[string]string{"service": "A"}).apiError(t)
	if e.Error.Reason != "hall_closed_until" || e.Error.Args["at"] != "2025-03-14 13:30" ||
		!strings.Contains(e.Error.Message, "停止取号") || !strings.Contains(e.Error.Message, "2025-03-14 13:30") {
		t.Fatalf("refusal %+v", e)
	}
	h.set("2025-03-14 12:10:00")
	h.must(200, "POST", "/api/v1/windows/1/finish", clerk, nil)
	h.must(200, "GET", "/api/v1/windows/1", "", nil).into(t, &win)
	if win.Overtime {
		t.Fatal("overtime did not end with the last service")
	}
	h.must(200, "GET", "/api/v1/windows/1/rating", "", nil).into(t, &prompt)
	if prompt.OvertimeConfirm == nil || prompt.OvertimeConfirm.Number != "A002" {
		t.Fatalf("overtime confirmation %+v", prompt.OvertimeConfirm)
	}
	h.must(200, "POST", "/api/v1/windows/1/overtime/applicant-confirm", "", nil)
	h.must(409, "POST", "/api/v1/windows/1/overtime/applicant-confirm", "", nil)
	h.must(401, "POST", "/api/v1/windows/1/overtime/confirm", "", nil)
	h.must(200, "POST", "/api/v1/windows/1/overtime/confirm", clerk, map[string]string{})

	// The evaluator's prompt times out: no rating is filled in, and the
	// ticket page may still offer one.
	h.set("2025-03-14 12:11:01")
	h.must(200, "GET", "/api/v1/windows/1/rating", "", nil).into(t, &prompt)
	if prompt.Prompt != nil {
		t.Fatalf("prompt after its timeout %+v", prompt.Prompt)
	}
	h.must(409, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 5})
	var tr struct {
		CanRate bool `json:"can_rate"`
		Level   int  `json:"level"`
	}
	h.must(200, "GET", "/api/v1/tickets/"+a2+"/rating", "", nil).into(t, &tr)
	if !tr.CanRate || tr.Level != 0 {
		t.Fatalf("ticket rating %+v", tr)
	}
	// Without the holder key, a ticket id seen on a screen cannot rate.
	h.must(403, "POST", "/api/v1/tickets/"+a2+"/rating", "", map[string]any{"level": 5})
	h.must(403, "POST", "/api/v1/tickets/"+a2+"/rating?k="+h.keys[a1], "", map[string]any{"level": 5})
	h.must(201, "POST", h.asHolder(a2, "/rating"), "", map[string]any{"level": 5})
	h.must(404, "GET", "/api/v1/tickets/nope/rating", "", nil)

	h.must(200, "POST", "/api/v1/followups/FU1", admin, map[string]string{"action": "回访", "outcome": "已电话回访，申请人表示理解"})
	h.must(409, "POST", "/api/v1/followups/FU1", admin, map[string]string{"action": "回访", "outcome": "again"})

	// Reports read the journal.
	h.must(403, "GET", "/api/v1/reports/daily?date=2025-03-14", clerk, nil)
	var rep struct {
		Totals struct {
			Issued int `json:"issued"`
			Served int `json:"served"`
		} `json:"totals"`
		Windows []struct {
			Window          string  `json:"window"`
			OvertimeMinutes float64 `json:"overtime_minutes"`
		} `json:"windows"`
		Ratings struct {
			Rated        int     `json:"rated"`
			Satisfaction float64 `json:"satisfaction"`
			FollowUps    struct {
				Closed int `json:"closed"`
			} `json:"followups"`
		} `json:"ratings"`
		Days []json.RawMessage `json:"days"`
	}
	h.must(200, "GET", "/api/v1/reports/daily?date=2025-03-14", admin, nil).into(t, &rep)
	if rep.Totals.Issued != 2 || rep.Totals.Served != 2 || rep.Windows[0].OvertimeMinutes != 10 ||
		rep.Ratings.Rated != 2 || rep.Ratings.Satisfaction != 0.5 || rep.Ratings.FollowUps.Closed != 1 {
		t.Fatalf("daily report %+v", rep)
	}
	for _, bad := range []string{"date=2025-3-14", "date=2025-03-14&format=pdf"} {
		h.must(400, "GET", "/api/v1/reports/daily?"+bad, admin, nil)
	}
	h.must(200, "GET", "/api/v1/reports/monthly?month=2025-03", admin, nil).into(t, &rep)
	// Up to today: the days to come are not listed.
	if len(rep.Days) != 14 || rep.Totals.Issued != 2 {
		t.Fatalf("monthly report: %d days, %+v", len(rep.Days), rep.Totals)
	}
	h.must(400, "GET", "/api/v1/reports/monthly?month=March", admin, nil)
	csvReply := h.must(200, "GET", "/api/v1/reports/monthly?month=2025-03&format=csv", admin, nil)
	if ct := csvReply.header.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") ||
		!strings.Contains(csvReply.header.Get("Content-Disposition"), "report-monthly-2025-03.csv") ||
		!strings.Contains(string(csvReply.body), "社会民生") {
		t.Fatalf("csv %s %s", ct, csvReply.body)
	}

	var stats struct {
		Groups []struct {
			Key        string            `json:"key"`
			Rated      int               `json:"rated"`
			Bad        int               `json:"bad"`
			BadRatings []json.RawMessage `json:"bad_ratings"`
		} `json:"groups"`
	}
	h.must(200, "GET", "/api/v1/stats/ratings?from=2025-03-14&to=2025-03-14&by=clerk", admin, nil).into(t, &stats)
	if len(stats.Groups) != 1 || stats.Groups[0].Key != "1001" || stats.Groups[0].Rated != 2 || stats.Groups[0].Bad != 1 {
		t.Fatalf("stats %+v", stats)
	}
	h.must(400, "GET", "/api/v1/stats/ratings?by=mood", admin, nil)
	h.must(400, "GET", "/api/v1/stats/ratings?from=2025-03-14&to=2025-03-01", admin, nil)

	var reg struct {
		Records []struct {
			ID                 string `json:"id"`
			Window             string `json:"window"`
			Staff              string `json:"staff"`
			Ticket             struct{ ID, Number string }
			ApplicantConfirmed time.Time `json:"applicant_confirmed"`
			ClerkConfirmed     time.Time `json:"clerk_confirmed"`
		} `json:"records"`
	}
	regReply := h.must(200, "GET", "/api/v1/overtime?from=2025-03-14&to=2025-03-14", admin, nil)
	regReply.into(t, &reg)
	// One form for every time of the register: the hall's zone.
	if times := rfc3339.FindAllStringSubmatch(string(regReply.body), -1); len(times) != 4 {
		t.Errorf("register times %q, want start, end and two confirmations", times)
	} else {
		for _, m := range times {
			if !strings.HasSuffix(m[1], "+08:00") {
				t.Errorf("register time %s is not in the hall's zone", m[1])
			}
		}
	}
	if len(reg.Records) != 1 || reg.Records[0].Ticket.Number != "A002" || reg.Records[0].Ticket.ID != "" ||
		reg.Records[0].ApplicantConfirmed.IsZero() || reg.Records[0].ClerkConfirmed.IsZero() {
		t.Fatalf("register %+v", reg)
	}
	x := h.must(200, "GET", "/api/v1/overtime?from=2025-03-14&to=2025-03-14&format=xlsx", admin, nil)
	f, err := excelize.OpenReader(bytes.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("延时服务登记表")
	if err != nil || len(rows) != 2 || rows[1][4] != "王丽娟" || rows[1][5] != "A002" {
		t.Fatalf("register sheet %q %v", rows, err)
	}

	// Midnight: numbering restarts, the open follow-ups stay.
	h.set("2025-03-17 09:00:00")
	h.send(hall.Tick{})
	if _, n := h.issue("A"); n != "A001" {
		t.Fatalf("first number on Monday %s", n)
	}
}
