package frontend_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestDashboardManagerActions: the manager forces a clerk off a window
// from the dashboard (the clerk's counter says so and signs off; the
// citizen being served waits again, first), signs a clerk on at a closed
// window and closes it, reads the hall's refusal when a window cannot
// close, and sees the applicant's phone on a 差评's follow-up for the
// call-back.
func TestDashboardManagerActions(t *testing.T) {
	const phone = "13912345678"
	h := startHall(t)
	a1 := h.issue("A")
	counter := openTab(t, h.url("/counter/1"), 1366, 900)
	signOn(counter, "1001")
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", a1.Number)

	// A 差评 at window 3, from a citizen who left a phone.
	var rated ticket
	h.call(201, "POST", "/api/v1/tickets", "", map[string]string{"service": "B", "phone": phone}, &rated)
	c3 := h.login("1003")
	h.act(c3, "3", "open", nil)
	h.act(c3, "3", "call", nil)
	h.act(c3, "3", "finish", nil)
	h.call(201, "POST", "/api/v1/windows/3/rating", "", map[string]any{"level": 1, "reason": "态度差"}, nil)

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	dash.WaitJS(`document.body.classList.contains('online')`)
	if !dash.HiddenJS(`#windows button[data-action]`) {
		t.Fatal("window actions are shown before a manager signs in")
	}
	managerSignIn(dash)

	// Closing a window that serves is refused, in the hall's words.
	dash.Do(chromedp.Click(chromedp.CSS(`#windows tr[data-window="1"] button[data-action="close"]`)))
	dash.WaitText("#win-error", "1 号窗口正在办理 "+a1.Number+" 号")
	// Forced off: the counter learns it at once.
	dash.Do(chromedp.Click(chromedp.CSS(`#windows tr[data-window="1"] button[data-action="force-signoff"]`)))
	dash.WaitJS(`document.querySelector('#windows tr[data-window="1"] input[data-open-draft]') !== null`)
	dash.WaitJS(`document.getElementById('win-error').textContent === ''`)
	counter.WaitJS(`!document.getElementById('signin').hidden && document.getElementById('desk').hidden`)
	counter.WaitText("#signin-error", "管理员（工号 admin）已将您从本窗口签退")
	var tk ticket
	h.call(200, "GET", "/api/v1/tickets/"+a1.ID, "", nil, &tk)
	if tk.Status != "waiting" {
		t.Fatalf("the citizen being served at the forced sign-off: %+v, want waiting", tk)
	}

	// Window 2 opened for clerk 1002 from the dashboard, then closed. Its
	// row first shows A001 back in the line it serves: nothing redraws it
	// while the manager types.
	dash.WaitJS(`document.querySelector('#windows tr[data-window="2"] td:nth-child(6)').textContent === '1'`)
	dash.Do(
		chromedp.SendKeys(chromedp.CSS(`#windows tr[data-window="2"] input[data-open-draft]`), "1002"),
		chromedp.Click(chromedp.CSS(`#windows tr[data-window="2"] button[data-action="open"]`)),
	)
	dash.WaitText(`#windows tr[data-window="2"]`, "1002")
	var w2 struct {
		State string
		Clerk *struct{ Staff string }
	}
	h.call(200, "GET", "/api/v1/windows/2", "", nil, &w2)
	if w2.State != "idle" || w2.Clerk == nil || w2.Clerk.Staff != "1002" {
		t.Fatalf("window 2 after the manager opened it: %+v", w2)
	}
	dash.Do(chromedp.Click(chromedp.CSS(`#windows tr[data-window="2"] button[data-action="close"]`)))
	dash.WaitJS(`document.querySelector('#windows tr[data-window="2"] button[data-action="open"]') !== null`)

	// The 差评's phone, on request, for the call-back.
	dash.WaitText("#followups", rated.Number)
	// (The demo's outbox opens each SMS, the reminders to this phone
	// among them; the follow-up itself keeps the phone until asked.)
	if list := dash.EvalString(`document.getElementById('followups').innerText`); strings.Contains(list, phone) {
		t.Fatal("the phone shows before the manager asks")
	}
	dash.Do(chromedp.Click(chromedp.CSS(`#followups button[data-phone]`)))
	dash.WaitText(`#followups a[data-phone-shown]`, phone)
	if href := dash.EvalString(`document.querySelector('#followups a[data-phone-shown]').getAttribute('href')`); href != "tel:"+phone {
		t.Errorf("the phone links %q", href)
	}
	// Signed out, it is gone.
	dash.Do(chromedp.Click(chromedp.CSS("#signout")))
	dash.WaitJS(`!document.getElementById('signin-panel').hidden`)
	if body := dash.EvalString(`document.body.innerText`); strings.Contains(body, phone) {
		t.Error("the phone stays on the dashboard after sign-out")
	}
}
