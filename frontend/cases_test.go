package frontend_test

import (
	"context"
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
// ticked and prints its 收件凭证 (number, item, QR code to the status page);
// the department's member accepts, approves and marks the result made on
// the back-office page; the applicant's page, opened from the receipt's
// address, follows each step live and shows the timeline.
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

	counter.Do(chromedp.SetValue(chromedp.CSS("#case-item"), "GTDJ"))
	counter.WaitJS(`(document.getElementById('case-item').dispatchEvent(new Event('change')), document.querySelectorAll('#case-materials input').length === 3)`)
	// Two of three ticked: the panel names what is missing; the hall
	// refuses to open without the clerk's choice of notice or 容缺.
	counter.Do(
		chromedp.Click(chromedp.CSS(`#case-materials input[data-material="sqs"]`)),
		chromedp.Click(chromedp.CSS(`#case-materials input[data-material="sfz"]`)),
		chromedp.SendKeys(chromedp.CSS("#case-name"), "张三丰"),
		chromedp.SendKeys(chromedp.CSS("#case-id"), idNumberOf("11010519491231002")),
		chromedp.SendKeys(chromedp.CSS("#case-phone"), "13912345678"),
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

	// The department decides on its back-office page.
	office := openTab(t, h.url("/cases"), 1366, 900)
	office.WaitJS(`!document.getElementById('signin').hidden`)
	office.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "3001"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	row := `[data-dept="scj"] .case[data-case="` + k.ID + `"]`
	for _, s := range []struct{ button, status, page string }{
		{"受理", "accepted", "已受理"},
		{"准予", "approved", "准予，结果制作中"},
		{"结果已制作", "ready", "结果待领取"},
	} {
		office.WaitJS(`document.querySelector('` + row + ` button[data-step]') !== null && [...document.querySelectorAll('` + row + ` button')].some(b => b.textContent === '` + s.button + `')`)
		office.Do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll('` + row + ` button')].find(b => b.textContent === '` + s.button + `')`)))
		office.WaitJS(`document.querySelector('` + row + `').getAttribute('data-status') === '` + s.status + `'`)
		applicant.WaitText("#c-status", s.page)
	}
	applicant.WaitJS(`document.querySelectorAll('#c-timeline li').length === 4`)
	if got := applicant.Text("#c-timeline"); !strings.Contains(got, "收件") || !strings.Contains(got, "结果已制作") {
		t.Errorf("the applicant's timeline: %q", got)
	}
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
