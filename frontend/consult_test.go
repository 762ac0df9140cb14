package frontend_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestConsultationFromTheKiosk follows a 咨询号 of 市场监管局 (the demo's
// resident department, service S): the kiosk says taking one notifies the
// department instead of estimating a wait, and its slip says where to wait;
// a member of the department acknowledges it on /consult, arrives and hands
// the citizen on to an intake window; the citizen's ticket page says at
// each step where to go, live, in the hall's words.
func TestConsultationFromTheKiosk(t *testing.T) {
	h := startHall(t)
	kiosk := openTab(t, h.url("/kiosk"), 1080, 1920)
	kiosk.WaitJS(`document.body.classList.contains('online') && document.querySelector('button.svc[data-service="S"] .meta').textContent !== ''`)
	meta := func(code string) string {
		return kiosk.EvalString(`document.querySelector('button.svc[data-service="` + code + `"] .meta').textContent`)
	}
	if got := meta("S"); got != "取号即通知市场监管局工作人员前来" {
		t.Errorf("the kiosk's S button says %q", got)
	}
	if got := meta("F"); got != "取号即通知不动产登记中心工作人员，视频或电话解答" {
		t.Errorf("the kiosk's F button says %q", got)
	}
	// An intake service still shows its line and estimate.
	if got := meta("A"); !strings.Contains(got, "等候") || strings.Contains(got, "通知") {
		t.Errorf("the kiosk's A button says %q", got)
	}

	kiosk.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="S"]`)))
	kiosk.WaitText("#slip-number", "S001")
	kiosk.WaitText("#slip-consult", "已通知市场监管局，请在二楼咨询区等候")
	if !kiosk.HiddenJS("#slip-facts") {
		t.Error("the 咨询号's slip shows a window's line and wait")
	}
	var tk struct{ ID, Number string }
	kiosk.Eval(`window.__hf.kiosk.last()`, &tk)
	if tk.Number != "S001" || tk.ID == "" {
		t.Fatalf("kiosk ticket = %+v", tk)
	}

	page := openTab(t, h.url("/t/"+tk.ID), 412, 915)
	page.WaitText("#number", "S001")
	page.WaitText("#consulttext", "已通知市场监管局，请在二楼咨询区等候")
	if !page.HiddenJS("#facts") {
		t.Error("the 咨询号's ticket page shows a window's line and wait")
	}

	// The department's member signs in on its page and sees the number.
	desk := openTab(t, h.url("/consult"), 1366, 768)
	desk.WaitJS(`!document.getElementById('signin').hidden`)
	desk.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "3001"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	item := `[data-dept="scj"] .item[data-ticket="` + tk.ID + `"]`
	desk.WaitJS(`document.querySelector('` + item + `') !== null`)
	desk.WaitText(item+" .num", "S001")
	step := func(button, status, where string) {
		t.Helper()
		desk.WaitText(item+" .acts button.primary", button)
		desk.Do(chromedp.Click(chromedp.CSS(item + " .acts button.primary")))
		desk.WaitJS(`document.querySelector('` + item + `').textContent.indexOf('` + status + `') >= 0`)
		page.WaitText("#consulttext", where)
	}
	// The page redraws on every event: read the item as it is now.
	desk.WaitJS(`document.querySelector('` + item + `').textContent.indexOf('待响应') >= 0`)
	step("响应（马上到）", "正在赶来", "市场监管局工作人员正在赶来，请在二楼咨询区等候")
	step("已到场", "接待中", "请到二楼咨询区，市场监管局工作人员已到达")

	// Handed on to 社会民生 (A): a 收件号 with the materials pre-reviewed.
	// The choice is the member's, by keyboard on the list; the page keeps it
	// through the redraws events cause.
	desk.Do(chromedp.SendKeys(chromedp.CSS(item+" .acts select"), "A"))
	desk.WaitJS(`document.querySelector('` + item + ` .acts select').value === 'A'`)
	step("结束咨询", "已结束", "咨询已结束，材料已初审，请等候 A001 号叫号办理")
	if !page.HiddenJS("#facts") {
		t.Error("the ended consultation's page shows a line")
	}
}
