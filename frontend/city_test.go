package frontend_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"hallfloor/app/apptest"
)

// startCity runs the demo city (apptest.DemoCity); the testHall's
// requests go to the city's address, a hall's under /h/{id}.
func startCity(t *testing.T) (*testHall, *apptest.City) {
	t.Helper()
	run := apptest.StartCity(t, nil)
	return &testHall{t: t, ts: run.HTTP}, run
}

// The city's page lists both halls once its manager signs in, follows a
// ticket taken in one hall into that hall's row alone, highlights the
// other's alert, and links to the hall's own dashboard, which runs under
// the hall's prefix: its snapshot, its WebSocket and its manager panels,
// read with the city's sign-in.
func TestCityPageFollowsEveryHall(t *testing.T) {
	h, run := startCity(t)
	tab := openTab(t, h.url("/city"), 1366, 768)
	tab.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "c01"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	tab.WaitJS(`document.querySelectorAll('#halls tr').length === 2`)
	tab.WaitText(`#cityname`, "演示市")
	tab.WaitText(`tr[data-hall="demo"] a`, "演示政务服务中心")
	tab.WaitText(`tr[data-hall="east"] a`, "东区政务服务中心")
	cell := func(hall, col string) string {
		return fmt.Sprintf(`document.querySelector('tr[data-hall="%s"] [data-col="%s"]').textContent`, hall, col)
	}

	var tk ticket
	h.call(201, "POST", "/h/east/api/v1/tickets", "", map[string]any{"service": "A"}, &tk)
	tab.WaitJS(cell("east", "waiting") + ` === '1'`)
	tab.WaitJS(cell("east", "issued") + ` === '1'`)
	if got := tab.EvalString(cell("demo", "waiting")); got != "0" {
		t.Errorf("the demo hall's waiting after a ticket in the east: %q", got)
	}

	var who struct{ Token string }
	h.call(200, "POST", "/h/demo/api/v1/login", "", map[string]string{"staff": "1001", "password": "demo"}, &who)
	h.call(200, "POST", "/h/demo/api/v1/windows/1/open", who.Token, nil, nil)
	h.call(200, "POST", "/h/demo/api/v1/windows/1/pause", who.Token, map[string]string{"reason": "临时离开"}, nil)
	tab.WaitJS(`document.querySelector('tr[data-hall="demo"]').classList.contains('alerting')`)
	tab.WaitText(`tr[data-hall="demo"] li[data-kind="paused"]`, "1 号窗口暂停：临时离开")
	tab.WaitJS(cell("demo", "open") + `.indexOf('1 / ') === 0`)
	if tab.EvalString(`String(document.querySelector('tr[data-hall="east"]').classList.contains('alerting'))`) != "false" {
		t.Error("the east hall highlighted without an alert")
	}
	tab.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	tab.WaitText(`tr[data-hall="east"] a`, "East District Service Centre")
	tab.WaitText(`tr[data-hall="demo"] li[data-kind="paused"]`, "Window 1 paused: 临时离开")
	tab.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))

	// A hall that stops shows as failing, the others as they are: the next
	// ticket in the east brings the list again.
	run.Halls[0].Close()
	h.call(201, "POST", "/h/east/api/v1/tickets", "", map[string]any{"service": "A"}, nil)
	tab.WaitJS(cell("east", "waiting") + ` === '2'`)
	tab.WaitJS(`document.querySelector('tr[data-hall="demo"] li[data-kind="failing"]') !== null`)

	// The east hall's own dashboard, under its prefix, signed in as the
	// city's manager.
	tab.Do(chromedp.Click(chromedp.CSS(`tr[data-hall="east"] a`)), chromedp.WaitVisible(chromedp.CSS("body.dashboard")))
	tab.WaitJS(`location.pathname === '/h/east/dashboard'`)
	tab.WaitJS(`document.body.classList.contains('online')`)
	tab.WaitText(`#hallname`, "东区政务服务中心")
	tab.WaitText(`#k-waiting`, "2")
	tab.WaitJS(`!document.getElementById('p-ratings').hidden`)
	h.call(201, "POST", "/h/east/api/v1/tickets", "", map[string]any{"service": "A"}, nil)
	tab.WaitText(`#k-waiting`, "3") // over the east hall's WebSocket

	// Signed off on the city's page, the sign-in ends in the halls too.
	tab.Do(chromedp.Navigate(h.url("/city")))
	tab.WaitJS(`!document.getElementById('signout').hidden`)
	var tok string
	tab.Eval(`JSON.parse(sessionStorage.getItem('hf.manager')).token`, &tok)
	tab.Do(chromedp.Click(chromedp.CSS("#signout")))
	tab.WaitJS(`!document.getElementById('signin-panel').hidden && sessionStorage.getItem('hf.manager') === null`)
	h.call(401, "GET", "/h/east/api/v1/stats/ratings", tok, nil, nil)
}

// A hall of a city works at its own faces under its prefix, as it does
// alone at /: the east hall's kiosk takes a number whose slip's QR code is
// the ticket page under /h/east/, its hall screen counts it, its counter
// (signed in with the east's own clerk) calls it and the ticket page says
// so; the demo hall's screen, beside it in the city, sees nothing.
func TestCityHallsFacesUnderTheirPrefix(t *testing.T) {
	h, _ := startCity(t)
	screen := openTab(t, h.url("/h/east/screen/hall"), 1920, 1080)
	other := openTab(t, h.url("/h/demo/screen/hall"), 1920, 1080)
	for _, s := range []*tab{screen, other} {
		s.WaitJS(`document.body.classList.contains('online')`)
		s.WaitJS(`document.querySelector('#waits li[data-service="A"] .count').textContent === '0'`)
	}

	kiosk := takeFirstA(t, h.url("/h/east/kiosk"))
	var tk struct{ ID string }
	kiosk.Eval(`window.__hf.kiosk.last()`, &tk)
	if src := kiosk.EvalString(`document.getElementById('slip-qr').src`); !strings.Contains(src, "%2Fh%2Feast%2Ft%2F"+tk.ID) {
		t.Errorf("QR image points at %q, want the east hall's ticket page of %s", src, tk.ID)
	}
	kiosk.WaitJS(`document.getElementById('slip-qr').complete && document.getElementById('slip-qr').naturalWidth > 0`)
	screen.WaitJS(`document.querySelector('#waits li[data-service="A"] .count').textContent === '1'`)

	page := openTab(t, h.url("/h/east/t/"+tk.ID), 412, 915)
	page.WaitText("#number", "A001")
	counter := openTab(t, h.url("/h/east/counter/1"), 1366, 768)
	signOn(counter, "1001")
	counter.WaitJS(`!document.getElementById('act-call').disabled`)
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", "A001")
	screen.WaitText("#now-number", "A001")
	page.WaitText("#status", "已叫号")
	if got := other.EvalString(`document.querySelector('#waits li[data-service="A"] .count').textContent + ' ' + (document.getElementById('now-number').textContent || '')`); strings.Contains(got, "A001") || !strings.HasPrefix(got, "0") {
		t.Errorf("the demo hall's screen shows the east's ticket: %q", got)
	}
}
