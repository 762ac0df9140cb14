package frontend_test

import (
	"context"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"hallfloor/frontend/browsertest"
)

// TestCaseFromIntakeToCollection follows a case (办件) the whole way, as the
// people in the hall do it: a 收件号 taken at the kiosk, called at window
// 1; the clerk opens the case there with every material of 个体工商户设立登记
// ticked, the locker chosen for the result, and prints its 收件凭证 (number,
// item, QR code to the status page, one A5 page); the clerk sends the
// papers to 市场监管局 in a batch its member signs for on the back-office
// page; the member accepts, 不动产登记中心 gives its joint opinion (联办) on
// its own page, the member approves and marks the result made, and the
// applicant's SMS says it waits in a locker; the clerk deposits it for the
// case at the locker admin page, the simulated door shuts on it; the
// applicant opens it at the bank's panel with ID number and code, and the
// case closes with its 送达凭证 gone back. The applicant's page, opened
// from the receipt's address, follows each step live and shows the trail.
func TestCaseFromIntakeToCollection(t *testing.T) {
	h := startHall(t)
	kiosk := openTab(t, h.url("/kiosk"), 1080, 1920)
	kiosk.WaitJS(`document.querySelector('button.svc[data-service="A"]') !== null`)
	kiosk.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)))
	kiosk.WaitText("#slip-number", "A001")

	counter := openTab(t, h.url("/counter/1"), 1366, 900)
	signOn(counter, "1001")
	// Nobody served yet: the hall says why no case can be opened.
	counter.WaitJS(`!document.getElementById('cases-panel').hidden && document.getElementById('case-form').hidden`)
	counter.WaitText("#case-why", "1 号窗口没有正在办理的号，请先叫号")
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", "A001")
	counter.WaitJS(`!document.getElementById('case-form').hidden`)

	applicantID := idNumberOf("11010519491231002")
	counter.Do(chromedp.SetValue(chromedp.CSS("#case-item"), "GTDJ"))
	counter.WaitJS(`(document.getElementById('case-item').dispatchEvent(new Event('change')), document.querySelectorAll('#case-materials input').length === 3)`)
	// Two of three ticked: the panel names what is missing.
	counter.Do(
		chromedp.Click(chromedp.CSS(`#case-materials input[data-material="sqs"]`)),
		chromedp.Click(chromedp.CSS(`#case-materials input[data-material="sfz"]`)),
		chromedp.SendKeys(chromedp.CSS("#case-name"), "张三丰"),
		chromedp.SendKeys(chromedp.CSS("#case-id"), applicantID),
		chromedp.SendKeys(chromedp.CSS("#case-phone"), "13912345678"),
		chromedp.SetValue(chromedp.CSS("#case-collect"), "locker"),
	)
	counter.WaitText("#case-missing-list", "尚缺材料：经营场所使用证明")
	counter.Do(chromedp.Click(chromedp.CSS(`#case-materials input[data-material="cs"]`)))
	counter.WaitJS(`document.getElementById('case-missing').hidden`)
	counter.Do(chromedp.Click(chromedp.CSS("#case-open")))
	counter.WaitJS(`document.getElementById('case-done-msg').hasAttribute('data-number')`)
	number := counter.EvalString(`document.getElementById('case-done-msg').getAttribute('data-number')`)
	if !strings.HasPrefix(counter.Text("#case-done-msg"), "已收件，办件编号 "+number) {
		t.Fatalf("the counter says %q", counter.Text("#case-done-msg"))
	}
	// The 收件凭证 to print: the number, the item, the department, the QR
	// code of the status page, loaded.
	counter.WaitJS(`document.getElementById('pr-qr').complete && document.getElementById('pr-qr').naturalWidth > 0`)
	for css, want := range map[string]string{"#pr-number": number, "#pr-item": "个体工商户设立登记", "#pr-dept": "市场监管局",
		"#pr-received": "个体工商户登记申请书、经营者身份证明、经营场所使用证明", "#pr-clerk": "王丽娟 · 1 号窗口"} {
		// The printout shows on paper only: read what it holds.
		if got := counter.EvalString(`document.querySelector('` + css + `').textContent`); got != want {
			t.Errorf("the receipt's %s says %q, want %q", css, got, want)
		}
	}
	var k struct {
		ID         string `json:"id"`
		StatusPath string `json:"status_path"`
	}
	counter.Eval(`window.__hf.cases().last.case`, &k)
	if qr := counter.EvalString(`document.getElementById('pr-qr').getAttribute('src')`); !strings.Contains(qr, "%2Fc%2F"+k.ID) {
		t.Errorf("the receipt's QR code encodes %q", qr)
	}
	// Printed as Chromium prints it, the receipt is one A5 page.
	ctx, cancel := context.WithTimeout(counter.Context(), browsertest.Step)
	defer cancel()
	yes := true
	pdf, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
	if err != nil {
		t.Fatal(err)
	}
	pages, box := len(pdfPage.FindAll(pdf.Data, -1)), pdfMediaBox.FindSubmatch(pdf.Data)
	if box == nil {
		t.Fatalf("no page size in the receipt's PDF (%d pages)", pages)
	}
	const mm = 72 / 25.4
	if w, _ := strconv.ParseFloat(string(box[1]), 64); pages != 1 || w/mm < 147 || w/mm > 149 {
		t.Errorf("the receipt prints on %d pages %.1f mm wide, want one A5 page (148 mm)", pages, w/mm)
	}

	applicant := openTab(t, h.url(k.StatusPath), 412, 915)
	applicant.WaitText("#c-number", number)
	applicant.WaitText("#c-status", "已收件")
	applicant.WaitText("#c-collect", "领取方式：自助取件柜")

	// The papers go to 市场监管局 in a batch from the counter.
	batch := `#batch-list [data-dept="scj"]`
	counter.WaitJS(`document.querySelector('` + batch + ` button') !== null`)
	counter.Do(chromedp.Click(chromedp.CSS(batch + " button")))
	counter.WaitJS(`document.getElementById('batch-msg').textContent.indexOf('已送交，交接表 J') === 0`)

	office := backOffice(t, h, "3001")
	sheet := `[data-dept="scj"] [data-batch]`
	office.WaitJS(`document.querySelector('` + sheet + `') !== null`)
	if got := office.Text(sheet + " .facts"); !strings.Contains(got, number) || !strings.Contains(got, "王丽娟") {
		t.Errorf("the handover sheet says %q", got)
	}
	office.Do(chromedp.Click(chromedp.CSS(sheet + " button")))
	office.WaitJS(`document.querySelector('` + sheet + `') === null`)

	row := `[data-dept="scj"] .case[data-case="` + k.ID + `"]`
	click := func(tb *tab, scope, button string) {
		t.Helper()
		tb.WaitJS(`[...document.querySelectorAll('` + scope + ` button')].some(b => b.textContent === '` + button + `')`)
		tb.Do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll('` + scope + ` button')].find(b => b.textContent === '` + button + `')`)))
	}
	click(office, row, "受理")
	office.WaitJS(`document.querySelector('` + row + `').getAttribute('data-status') === 'accepted'`)
	applicant.WaitText("#c-status", "已受理")
	office.WaitJS(`document.querySelector('` + row + ` .facts').textContent.indexOf('待不动产登记中心出具联办意见') >= 0`)

	// 不动产登记中心's member gives the joint opinion on its own page.
	joint := backOffice(t, h, "3101")
	click(joint, `[data-dept="bdc"] [data-opinion="`+k.ID+`"]`, "同意")
	joint.WaitJS(`document.querySelector('[data-dept="bdc"] [data-opinion="` + k.ID + `"]') === null`)
	office.WaitJS(`document.querySelector('` + row + ` .facts').textContent.indexOf('不动产登记中心同意') >= 0`)

	click(office, row, "准予")
	office.WaitJS(`document.querySelector('` + row + `').getAttribute('data-status') === 'approved'`)
	click(office, row, "结果已制作")
	office.WaitJS(`document.querySelector('` + row + `').getAttribute('data-status') === 'ready'`)
	applicant.WaitText("#c-status", "结果待领取")

	// The applicant is told by SMS that the result waits in a locker.
	admin := h.login("admin")
	var outbox struct {
		Messages []struct {
			Purpose string `json:"purpose"`
			Text    string `json:"text"`
		} `json:"messages"`
	}
	h.call(200, "GET", "/api/v1/outbox", admin, nil, &outbox)
	told := false
	for _, m := range outbox.Messages {
		told = told || m.Purpose == "case.ready_locker" && strings.Contains(m.Text, number)
	}
	if !told {
		t.Fatalf("no SMS of the result in a locker: %+v", outbox.Messages)
	}

	// The clerk deposits the result for the case at the lockers' page.
	lockers := openTab(t, h.url("/lockers?case="+number), 1280, 900)
	lockers.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "1001"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signin button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#deposit")),
	)
	lockers.Do(
		chromedp.SendKeys(chromedp.CSS("#d-what"), "营业执照"),
		chromedp.SendKeys(chromedp.CSS("#d-name"), "张三丰"),
		chromedp.SendKeys(chromedp.CSS("#d-id"), applicantID),
		chromedp.SendKeys(chromedp.CSS("#d-phone"), "13912345678"),
		chromedp.Click(chromedp.CSS("#deposit button[type=submit]")),
	)
	lockers.WaitText("#deposit-result", "L1-01")
	// The simulated door of L1-01 (io6:B0); the lockers' page shows the
	// hall's word that it moved before it moves again (the sensor is
	// debounced).
	door := func(open bool) {
		t.Helper()
		level := map[bool]string{true: "high", false: "low"}[open]
		h.call(202, "POST", "/api/v1/sim/pins/io6%3AB0", admin, map[string]string{"level": level}, nil)
		lockers.WaitJS(`document.querySelector('[data-comp="L1/01"]').classList.contains('open') === ` + strconv.FormatBool(open))
	}
	door(true)
	door(false)
	lockers.WaitText("#deposit-result", "取件码已发送")
	applicant.WaitJS(`document.getElementById('c-timeline').textContent.indexOf('存入取件柜') >= 0`)

	h.call(200, "GET", "/api/v1/outbox", admin, nil, &outbox)
	var code string
	for _, m := range outbox.Messages {
		if c := pickupCode.FindStringSubmatch(m.Text); c != nil {
			code = c[1]
		}
	}
	if code == "" {
		t.Fatalf("no pickup code in the outbox: %+v", outbox.Messages)
	}
	panel := openTab(t, h.url("/locker/L1"), 1280, 900)
	panel.WaitText("#title", "L1")
	for _, c := range applicantID + code {
		panel.Do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#keypad [data-k="%c"]`, c))))
	}
	panel.Do(chromedp.Click(chromedp.CSS("#submit")))
	panel.WaitText("#opened-comp", "01")
	door(true)
	panel.WaitText("#opened-msg", "请取出物品并关好柜门")
	door(false)
	panel.WaitText("#opened-msg", "取件完成")

	// Picked up: delivered through the locker, its 送达凭证 back with the
	// department, closed; the applicant's page shows the whole trail.
	applicant.WaitText("#c-status", "已办结")
	trail := applicant.Text("#c-timeline")
	for _, step := range []string{"收件", "材料送交后台", "部门签收材料", "受理", "联办部门出具意见", "准予", "结果已制作", "存入取件柜",
		"送达", "送达凭证转交部门", "办结"} {
		if !strings.Contains(trail, step) {
			t.Errorf("the applicant's trail lacks %q:\n%s", step, trail)
		}
	}
}

// pickupCode is the code a locker's SMS carries.
var pickupCode = regexp.MustCompile(`取件码 (\d{6})`)

// backOffice signs a department's member in on the back-office page.
func backOffice(t *testing.T, h *testHall, staff string) *tab {
	t.Helper()
	tb := openTab(t, h.url("/cases"), 1366, 900)
	tb.WaitJS(`!document.getElementById('signin').hidden`)
	tb.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), staff),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	tb.WaitJS(`!document.getElementById('desk').hidden && document.querySelector('#departments section') !== null`)
	return tb
}

// idNumberOf makes a resident ID number with a correct check character.
func idNumberOf(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range first17 {
		sum += int(c-'0') * weights[i]
	}
	return first17 + string("10X98765432"[sum%11])
}
