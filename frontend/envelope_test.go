package frontend_test

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"hallfloor/config"
)

// TestEnvelopeFromTheCounterToTheBackOffice follows a 免跑腿信封 as the
// people do it: at window 1 the clerk receives 个体工商户设立登记 with its
// 经营场所使用证明 missing and issues the envelope (the material to come as
// an upload) with its printed 告知单's QR code; the applicant opens the
// envelope's page on a phone and uploads a photo; the clerk's counter says
// a submission came, the review page shows the photo; the clerk rejects it
// with a reason, the applicant's SMS says why; the applicant uploads again,
// the clerk passes it, and the case's intake is complete: nothing owed, on
// its way to the department.
func TestEnvelopeFromTheCounterToTheBackOffice(t *testing.T) {
	h := startHallWith(t, func(c *config.Hall) { c.Server.PublicURL = "https://hall.example.gov.cn" }, nil)
	h.issue("A")
	counter := openTab(t, h.url("/counter/1"), 1366, 900)
	signOn(counter, "1001")
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", "A001")
	counter.WaitJS(`!document.getElementById('case-form').hidden`)
	counter.Do(chromedp.SetValue(chromedp.CSS("#case-item"), "GTDJ"))
	counter.WaitJS(`(document.getElementById('case-item').dispatchEvent(new Event('change')), document.querySelectorAll('#case-materials input').length === 3)`)
	counter.Do(
		chromedp.Click(chromedp.CSS(`#case-materials input[data-material="sqs"]`)),
		chromedp.Click(chromedp.CSS(`#case-materials input[data-material="sfz"]`)),
		chromedp.SendKeys(chromedp.CSS("#case-name"), "张三丰"),
		chromedp.SendKeys(chromedp.CSS("#case-id"), idNumberOf("11010519491231002")),
		chromedp.SendKeys(chromedp.CSS("#case-phone"), "13912345678"),
		chromedp.Click(chromedp.CSS(`input[name="case-missing"][value="envelope"]`)),
	)
	counter.WaitJS(`document.querySelector('#case-envelope select[data-material="cs"]') !== null`)
	counter.Do(chromedp.Click(chromedp.CSS("#case-open")))
	counter.WaitJS(`document.getElementById('case-done-msg').hasAttribute('data-number')`)
	counter.WaitJS(`!document.getElementById('print-envelope').hidden && document.getElementById('pe-qr').complete && document.getElementById('pe-qr').naturalWidth > 0`)
	if got := counter.EvalString(`document.getElementById('pe-materials').textContent`); got != "经营场所使用证明（在线提交）" {
		t.Errorf("the envelope's 告知单 lists %q", got)
	}
	// The receipt of what was received prints too, before the 告知单.
	if got := counter.EvalString(`document.getElementById('print-receipt').hidden ? '' : document.getElementById('pr-received').textContent`); got != "个体工商户登记申请书、经营者身份证明" {
		t.Errorf("the receipt printed with the envelope lists %q", got)
	}
	var link struct {
		Token string `json:"token"`
		Path  string `json:"path"`
	}
	counter.Eval(`window.__hf.cases().last.case.envelope`, &link)
	if qr := counter.EvalString(`document.getElementById('pe-qr').getAttribute('src')`); !strings.Contains(qr, "%2Fe%2F"+link.Token) {
		t.Errorf("the 告知单's QR code encodes %q", qr)
	}
	caseID := counter.EvalString(`window.__hf.cases().last.case.id`)

	photo := filepath.Join(t.TempDir(), "经营场所.jpg")
	writeJPEG(t, photo)
	phone := openTab(t, h.url(link.Path), 412, 915)
	phone.WaitText("#e-item", "个体工商户设立登记")
	material := `#materials [data-material="cs"]`
	upload := func() {
		t.Helper()
		// Connected, with the snapshot's reading done: nothing redraws the
		// form between choosing the file and sending it.
		phone.WaitJS(`document.body.classList.contains('online') && window.__hf.envelope().loading === 0 && document.querySelector('` + material + ` input[type=file]') !== null`)
		phone.Do(chromedp.SetUploadFiles(chromedp.CSS(material+" input[type=file]"), []string{photo}))
		phone.Do(chromedp.Click(chromedp.CSS(material + " button[type=submit]")))
		phone.WaitJS(`document.querySelector('` + material + `').getAttribute('data-status') === 'pending'`)
	}
	upload()

	// The issuing clerk hears of it at the counter; the review page shows
	// the photo, fetched with the clerk's sign-in.
	counter.WaitJS(`!document.getElementById('env-notice').hidden`)
	review := openTab(t, h.url("/envelopes"), 1366, 900)
	review.WaitJS(`!document.getElementById('signin').hidden`)
	review.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "1001"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	pending := `[data-envelope="` + caseID + `"] .sub.pending`
	review.WaitJS(`document.querySelector('` + pending + ` img') !== null && document.querySelector('` + pending + ` img').naturalWidth === 64`)
	review.Do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll('` + pending + ` button')].find(b => b.textContent === '不通过')`)))
	review.WaitText("#error", "不予通过须填写原因")
	review.Do(chromedp.SendKeys(chromedp.CSS(pending+` input[data-field="reason"]`), "照片模糊，请重新拍摄"))
	review.Do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll('` + pending + ` button')].find(b => b.textContent === '不通过')`)))
	phone.WaitJS(`document.querySelector('` + material + `').getAttribute('data-status') === 'rejected'`)
	phone.WaitText(material+" .reason", "未通过原因：照片模糊，请重新拍摄")

	// The applicant is told why by SMS, with the link to send it again.
	var outbox struct {
		Messages []struct {
			Purpose string `json:"purpose"`
			Text    string `json:"text"`
		} `json:"messages"`
	}
	h.call(200, "GET", "/api/v1/outbox", h.login("admin"), nil, &outbox)
	told := false
	for _, m := range outbox.Messages {
		told = told || m.Purpose == "envelope.rejected" && strings.Contains(m.Text, "照片模糊") &&
			strings.Contains(m.Text, "https://hall.example.gov.cn/e/"+link.Token)
	}
	if !told {
		t.Errorf("no SMS of the rejection with its reason and link: %+v", outbox.Messages)
	}

	upload()
	review.WaitJS(`document.querySelector('` + pending + `') !== null`)
	review.Do(chromedp.Click(chromedp.JSPath(`[...document.querySelectorAll('` + pending + ` button')].find(b => b.textContent === '通过')`)))
	phone.WaitJS(`document.querySelector('` + material + `').getAttribute('data-status') === 'passed'`)
	phone.WaitText("#e-where", "材料已补齐，办件已转入审批")

	// The case goes on: nothing owed, received, for the department.
	var k struct {
		Case struct {
			Status string                  `json:"status"`
			Owed   []namedJSON             `json:"owed"`
			Steps  []struct{ Type string } `json:"timeline"`
		} `json:"case"`
	}
	h.call(200, "GET", "/api/v1/cases/"+caseID, h.login("3001"), nil, &k)
	if k.Case.Status != "received" || len(k.Case.Owed) != 0 || k.Case.Steps[len(k.Case.Steps)-1].Type != "case.supplied" {
		t.Fatalf("the case after the envelope: %+v", k.Case)
	}
}

type namedJSON struct{ Code, Name string }

// writeJPEG writes a small photo, 64 × 48.
func writeJPEG(t *testing.T, path string) {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for x := range 64 {
		for y := range 48 {
			img.Set(x, y, color.RGBA{uint8(x * 4), uint8(y * 5), 128, 255})
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
