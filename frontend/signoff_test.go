package frontend_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// Signing off on the counter and the lockers' page, signing out on the
// dashboard and a guide's sign-out at the kiosk end the token on the server, not only on the page: a copy of it kept elsewhere
// is refused afterwards.
func TestSignOffOnThePagesEndsTheToken(t *testing.T) {
	h := startHall(t)

	counter := openTab(t, h.url("/counter/1"), 1366, 768)
	signOn(counter, "1001")
	clerk := counter.EvalString(`JSON.parse(sessionStorage.getItem('hf.counter.1')).token`)
	counter.Do(chromedp.Click(chromedp.CSS("#signoff")))
	counter.WaitJS(`!document.getElementById('signin').hidden`)
	var r refusal
	h.call(401, "POST", "/api/v1/windows/1/open", clerk, nil, &r)
	if r.Error.Reason != "signed_off" {
		t.Fatalf("the clerk's token after 签退: %+v", r)
	}

	dash := openTab(t, h.url("/dashboard"), 1366, 900)
	managerSignIn(dash)
	manager := dash.EvalString(`JSON.parse(sessionStorage.getItem('hf.manager')).token`)
	dash.Do(chromedp.Click(chromedp.CSS("#signout")))
	dash.WaitJS(`!document.getElementById('signin-panel').hidden`)
	h.call(401, "GET", "/api/v1/lockers/receipts", manager, nil, &r)
	if r.Error.Reason != "signed_off" {
		t.Fatalf("the manager's token after signing out: %+v", r)
	}

	lockers := openTab(t, h.url("/lockers"), 1280, 900)
	lockers.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "1007"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signin button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#deposit")),
	)
	output := lockers.EvalString(`JSON.parse(sessionStorage.getItem('hf.lockers')).token`)
	lockers.Do(chromedp.Click(chromedp.CSS("#signoff")))
	lockers.WaitJS(`!document.getElementById('signin-box').hidden`)
	h.call(401, "POST", "/api/v1/lockers/dropoffs", output, map[string]string{"case": "2026-0001", "size": "S", "id_number": "11010519491231002X"}, &r)
	if r.Error.Reason != "signed_off" {
		t.Fatalf("the output clerk's token after signing off the lockers' page: %+v", r)
	}

	kiosk := openTab(t, h.url("/kiosk?mode=guide"), 1080, 1920)
	kiosk.WaitJS(`!document.getElementById('guide-row').hidden`)
	kiosk.Do(
		chromedp.SendKeys(chromedp.CSS("#guide-staff"), "2001"),
		chromedp.SendKeys(chromedp.CSS("#guide-password"), "demo"),
		chromedp.Click(chromedp.CSS("#guide-go")),
	)
	kiosk.WaitJS(`!document.getElementById('guide-who').hidden`)
	guide := kiosk.EvalString(`JSON.parse(sessionStorage.getItem('hf.guide')).token`)
	kiosk.Do(chromedp.Click(chromedp.CSS("#guide-out")))
	kiosk.WaitJS(`document.getElementById('guide-who').hidden`)
	h.call(401, "POST", "/api/v1/tickets", guide, map[string]any{"service": "A", "priority": true}, &r)
	if r.Error.Reason != "signed_off" {
		t.Fatalf("the guide's token after signing out at the kiosk: %+v", r)
	}
}
