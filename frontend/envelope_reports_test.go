package frontend_test

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// uploadPhoto is the applicant sending a photo of the material for the
// envelope of the token, as the envelope's page does.
func (h *testHall) uploadPhoto(token, material string) {
	h.t.Helper()
	path := filepath.Join(h.t.TempDir(), "photo.jpg")
	writeJPEG(h.t, path)
	photo, err := os.ReadFile(path)
	if err != nil {
		h.t.Fatal(err)
	}
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	if err := mw.WriteField("material", material); err != nil {
		h.t.Fatal(err)
	}
	fw, err := mw.CreateFormFile("file", "photo.jpg")
	if err == nil {
		_, err = fw.Write(photo)
	}
	if err == nil {
		err = mw.Close()
	}
	if err != nil {
		h.t.Fatal(err)
	}
	resp, err := http.Post(h.url("/api/v1/envelopes/"+token+"/uploads"), mw.FormDataContentType(), &body)
	if err != nil {
		h.t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		h.t.Fatalf("upload to %s: %d", token, resp.StatusCode)
	}
}

// texts is the text of each element the selector finds, joined by "|".
func texts(tb *tab, css string) string {
	return tb.EvalString(`Array.from(document.querySelectorAll(` + strconv.Quote(css) + `)).map(function (el) { return el.textContent; }).join('|')`)
}

// The dashboard's envelopes as the hall counts them: at window 1 the
// clerk receives 个体工商户设立登记 twice with its 经营场所使用证明 to come in a
// 免跑腿信封; the first applicant's photo is rejected and, sent again,
// passed, the second's waits for review. The live panel shows one open,
// one waiting, one passed and one rejected today, and follows the next
// review; the day's report has the envelopes per item with the pass rate.
func TestDashboardShowsEnvelopes(t *testing.T) {
	h := startHall(t)
	clerk := h.servingA()
	var cases [2]struct{ id, token string }
	for i := range cases {
		var out struct {
			Case struct {
				ID       string                 `json:"id"`
				Envelope struct{ Token string } `json:"envelope"`
			} `json:"case"`
		}
		h.call(200, "POST", "/api/v1/windows/1/cases", clerk, map[string]any{"item": "GTDJ", "name": "张三丰", "party": "person",
			"id_number": idNumberOf("1101051949123100" + string(rune('2'+i))), "phone": "13912345678",
			"received": []string{"sqs", "sfz"}, "missing": "envelope",
			"envelope": map[string]any{"materials": []map[string]string{{"code": "cs", "way": "upload"}}}}, &out)
		h.call(200, "GET", "/api/v1/cases/"+out.Case.ID, clerk, nil, &out)
		cases[i].id, cases[i].token = out.Case.ID, out.Case.Envelope.Token
	}
	review := func(c int, sub string, pass bool) {
		h.call(200, "POST", "/api/v1/envelopes/"+cases[c].id+"/submissions/"+sub+"/review", clerk,
			map[string]any{"pass": pass, "reason": "照片不清晰"}, nil)
	}
	h.uploadPhoto(cases[0].token, "cs")
	review(0, "1", false)
	h.uploadPhoto(cases[0].token, "cs")
	review(0, "2", true)
	h.uploadPhoto(cases[1].token, "cs")

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	dash.WaitJS(`document.body.classList.contains('online')`)
	managerSignIn(dash)
	dash.WaitJS(`!document.getElementById('p-envelopes').hidden && document.getElementById('env-waiting').textContent === '1'`)
	figs := func() string { return texts(dash, "#p-envelopes .figs b") }
	if got, want := figs(), "1|1|0|1|1"; got != want {
		t.Errorf("the envelopes' panel: %q, want %q", got, want)
	}
	if got := dash.EvalString(`document.getElementById('env-late-label').textContent`); got != "超过60分钟未审核" {
		t.Errorf("the late figure is labelled %q", got)
	}
	if got := dash.EvalString(`document.querySelector('#p-envelopes a[href="/envelopes"]').textContent`); got != "打开信封审核页" {
		t.Errorf("the link to the review page says %q", got)
	}

	// The day's report, per item.
	dash.WaitJS(`document.querySelector('#rep-envelopes tr[data-item="GTDJ"]') !== null`)
	dash.WaitText("#rep-envelopes h3", "免跑腿信封统计")
	if head, want := texts(dash, "#rep-envelopes th"), "事项|发放|提交|通过|退回|通过率|审核超时|邮寄到达"; head != want {
		t.Errorf("the envelopes' columns are %q, want %q", head, want)
	}
	for row, want := range map[string]string{
		`tr[data-item="GTDJ"]`:  "个体工商户设立登记|2|3|1|1|50%|0|0",
		`tr[data-item="BDCCX"]`: "不动产登记资料查询|0|0|0|0|—|0|0",
		`tr.total`:              "合计|2|3|1|1|50%|0|0",
	} {
		if got := texts(dash, "#rep-envelopes "+row+" td"); got != want {
			t.Errorf("the envelopes' row %s is %q, want %q", row, got, want)
		}
	}

	// The next review shows live; in English the panel and the table.
	review(1, "1", true)
	dash.WaitJS(`document.getElementById('env-passed_today').textContent === '2'`)
	if got, want := figs(), "0|0|0|2|1"; got != want {
		t.Errorf("the envelopes' panel after the pass: %q, want %q", got, want)
	}
	dash.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	dash.WaitText("#rep-envelopes h3", "No-second-trip envelopes")
	if got := dash.EvalString(`document.getElementById('env-late-label').textContent`); got != "Waiting over 60 min" {
		t.Errorf("in English, the late figure is labelled %q", got)
	}
	if got := dash.EvalString(`document.querySelector('#rep-envelopes th:nth-child(6)').textContent`); got != "Pass rate" {
		t.Errorf("in English, the pass rate's column is %q", got)
	}
}
