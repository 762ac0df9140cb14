package frontend_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// A hall with one window open for B and four B numbers in a moment: the
// line grows faster than the window serves, so before anyone has waited
// long the dashboard says to open another window, and the manager's panel
// charts B's wait rising past the dashed 30 minute target.
func TestDashboardForecastsTheWait(t *testing.T) {
	h := startHall(t)
	tok := h.login("1003")
	h.act(tok, "3", "open", nil)
	for range 4 {
		h.issue("B")
	}
	h.act(tok, "3", "call", nil)

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	dash.WaitJS(`Array.from(document.querySelectorAll('#alerts li')).some(function (li) {
		return /^B 类业务预计 \d\d:\d\d 等候将超过 30 分钟，请现在增开窗口$/.test(li.textContent); })`)
	if !dash.HiddenJS(`#p-forecast`) {
		t.Fatal("the forecast panel is shown before a manager signs in")
	}
	managerSignIn(dash)
	dash.WaitJS(`document.querySelectorAll('#fc-charts [data-service="B"] svg circle').length === 9`)
	dash.WaitJS(`document.querySelector('#fc-charts [data-service="B"] svg circle[fill="#b3261e"]') !== null &&
		document.querySelector('#fc-charts [data-service="B"] .fc-target') !== null &&
		document.getElementById('fc-note').textContent.indexOf('30 分钟等候目标') >= 0`)
	dash.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	dash.WaitJS(`document.getElementById('fc-note').textContent.indexOf('30 min wait target') >= 0 &&
		Array.from(document.querySelectorAll('#alerts li')).some(function (li) {
		return /^Service B: the wait is forecast to pass 30 min at \d\d:\d\d; open another window now$/.test(li.textContent); })`)
}
