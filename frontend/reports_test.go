package frontend_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"hallfloor/hall"
)

// The dashboard's yearly report: the manager picks 年报, the page asks for
// this year's report and draws it by month, with each clerk's work and the
// satisfaction of those who rated it.
func TestDashboardYearlyReport(t *testing.T) {
	h := startHall(t)
	clerk := h.servingA()
	h.act(clerk, "1", "finish", nil)
	h.call(201, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 5}, nil)

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	dash.WaitJS(`document.body.classList.contains('online')`)
	managerSignIn(dash)
	dash.WaitJS(`!document.getElementById('p-reports').hidden`)
	var ok bool
	dash.Eval(`(function () {
		var k = document.getElementById('rep-kind');
		k.value = 'yearly';
		k.dispatchEvent(new Event('change'));
		return true;
	})()`, &ok)
	if dash.HiddenJS("#rep-year") || !dash.HiddenJS("#rep-month") || !dash.HiddenJS("#rep-date") {
		t.Fatal("the yearly report does not ask for a year alone")
	}
	year := time.Now().In(shanghai(t)).Format("2006")
	if got := dash.EvalString(`document.getElementById('rep-year').value`); got != year {
		t.Errorf("the year offered is %q, want %s", got, year)
	}
	has := func(title string) string {
		return `Array.from(document.querySelectorAll('#rep-charts h3')).some(function (h) { return h.textContent === '` + title + `'; })`
	}
	dash.WaitJS(has("各工作人员办结"))
	dash.WaitJS(has("满意率（%）"))
	if time.Now().In(shanghai(t)).YearDay() > 31 {
		dash.WaitJS(has("每月取号与办结"))
	}
	if got := dash.EvalString(`Array.from(document.querySelectorAll('#rep-charts h3')).map(function (h) { return h.textContent; }).join('|')`); got == "" {
		t.Fatal("no charts")
	}
}

// The dashboard's daily report shows each department's 咨询号: taken,
// acknowledged, met in the hall, and the response times, in the
// dictionary's words.
func TestReportShowsConsultations(t *testing.T) {
	h := startHall(t)
	tk := h.issue("S")
	h.issue("F")
	staff := h.login("3001")
	h.call(200, "POST", "/api/v1/consults/"+tk.ID+"/acknowledge", staff, map[string]any{}, nil)
	h.call(200, "POST", "/api/v1/consults/"+tk.ID+"/arrived", staff, map[string]any{}, nil)

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	dash.WaitJS(`document.body.classList.contains('online')`)
	managerSignIn(dash)
	dash.WaitJS(`document.querySelector('#rep-consults tr[data-department="scj"]') !== null`)
	dash.WaitText("#rep-consults h3", "各部门咨询号")
	head := dash.EvalString(`Array.from(document.querySelectorAll('#rep-consults th')).map(function (th) { return th.textContent; }).join('|')`)
	if want := "部门|咨询号|已响应|到场接待|远程解答|引导到窗口|超时未响应|响应用时（平均 / 最长）|到场或远程用时（平均 / 最长）"; head != want {
		t.Errorf("the consultations' columns are %q, want %q", head, want)
	}
	cells := func(dept string) string {
		return dash.EvalString(`Array.from(document.querySelectorAll('#rep-consults tr[data-department="` + dept + `"] td')).slice(0, 7).map(function (td) { return td.textContent; }).join('|')`)
	}
	if got := cells("scj"); got != "市场监管局|1|1|1|0|0|0" {
		t.Errorf("市场监管局's row is %q", got)
	}
	if got := cells("bdc"); got != "不动产登记中心|1|0|0|0|0|0" {
		t.Errorf("不动产登记中心's row is %q", got)
	}
	// A department that has not answered yet has no response time.
	if got := dash.EvalString(`document.querySelector('#rep-consults tr[data-department="bdc"] td:nth-child(8)').textContent`); got != "—" {
		t.Errorf("an unanswered department's response time is %q", got)
	}
	if got := dash.EvalString(`document.querySelector('#rep-consults tr[data-department="scj"] td:nth-child(8)').textContent`); !strings.Contains(got, " / ") {
		t.Errorf("市场监管局's response time is %q", got)
	}
}

// The dashboard's daily report shows each service's appointments as the
// server counts them: bookings taken, numbers issued at their check-in
// and bookings forfeited (自动放弃), with the hall's total, in the
// dictionary's words.
func TestReportShowsAppointments(t *testing.T) {
	// The hall's day starts at the next 10:00, so that the bookings, the
	// check-in and the forfeit all fall on it.
	now := time.Now().In(shanghai(t))
	morning := time.Date(now.Year(), now.Month(), now.Day(), 10, 0, 0, 0, now.Location())
	if !morning.After(now) {
		morning = morning.AddDate(0, 0, 1)
	}
	shift := time.Until(morning)
	var ahead atomic.Int64
	clock := func() time.Time { return time.Now().Add(shift + time.Duration(ahead.Load())) }
	h := startHallWith(t, allDayHall, clock)

	var kept, missed struct {
		Code string `json:"code"`
	}
	at := func(hhmm string) string { return morning.Format(time.DateOnly) + " " + hhmm }
	h.call(201, "POST", "/api/v1/bookings", "", map[string]any{"service": "A", "start": at("12:00"),
		"id_number": "11010519491231002X", "name": "张三", "phone": "13800138123"}, &kept)
	h.call(201, "POST", "/api/v1/bookings", "", map[string]any{"service": "A", "start": at("13:00"),
		"id_number": "110105198001010016", "name": "李四", "phone": "13800138124"}, &missed)

	// The first checks in at its slot; the second is late and cannot be
	// reached.
	ahead.Store(int64(2 * time.Hour))
	var appt ticket
	h.call(201, "POST", "/api/v1/bookings/checkin", "", map[string]any{"code": kept.Code}, &appt)
	ahead.Store(int64(3*time.Hour + 45*time.Minute))
	if res := h.eng.Do(context.Background(), hall.Tick{}, "", nil); res.Err != nil {
		t.Fatal(res.Err)
	}
	h.call(200, "POST", "/api/v1/bookings/"+missed.Code+"/unreachable", h.login("1001"), map[string]any{}, nil)

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	dash.WaitJS(`document.body.classList.contains('online')`)
	managerSignIn(dash)
	dash.WaitJS(`document.querySelector('#rep-bookings tr[data-service="A"]') !== null`)
	dash.WaitText("#rep-bookings h3", "各业务预约")
	head := dash.EvalString(`Array.from(document.querySelectorAll('#rep-bookings th')).map(function (th) { return th.textContent; }).join('|')`)
	if want := "业务|预约|签到取号|自动放弃"; head != want {
		t.Errorf("the appointments' columns are %q, want %q", head, want)
	}
	cells := func(row string) string {
		return dash.EvalString(`Array.from(document.querySelectorAll('#rep-bookings ` + row + ` td')).map(function (td) { return td.textContent; }).join('|')`)
	}
	a := dash.EvalString(`document.querySelector('#rep-bookings tr[data-service="A"] td').textContent`)
	if got := cells(`tr[data-service="A"]`); got != a+"|2|1|1" || a == "A" {
		t.Errorf("service A's row is %q, want its name and 2 booked, 1 checked in, 1 forfeited", got)
	}
	if got := cells("tr.total"); got != "合计|2|1|1" {
		t.Errorf("the total row is %q", got)
	}
	if n := dash.EvalString(`String(document.querySelectorAll('#rep-bookings tbody tr').length)`); n != "2" {
		t.Errorf("the appointments' table has %s rows, want service A's and the total", n)
	}
}
