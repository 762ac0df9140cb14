package frontend_test

import (
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
