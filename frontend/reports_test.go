package frontend_test

import (
	"strings"
	"testing"
	"time"
)

// The dashboard's yearly report: the manager picks 年报, the page asks for
// this year's report and draws it by month, with each clerk's work and the
// satisfaction of those who rated it.
func TestDashboardYearlyReport(t *testing.T) {
	h := startHall(t)
	clerk := h.login("1001")
	h.act(clerk, "1", "open", nil)
	h.issue("A")
	h.act(clerk, "1", "call", nil)
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
