package frontend_test

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// A 差评 followed up and rectified may be rated once more: the dashboard's
// closed follow-up links the page the applicant rates at (/r/{token}); a
// 差评 there needs its reason, as at the evaluator; once rated, the link
// says so and takes no second try.
func TestSecondRatingAfterRectification(t *testing.T) {
	h := startHall(t)
	h.issue("B")
	c3 := h.login("1003")
	h.act(c3, "3", "open", nil)
	h.act(c3, "3", "call", nil)
	h.act(c3, "3", "finish", nil)
	h.call(201, "POST", "/api/v1/windows/3/rating", "", map[string]any{"level": 1, "reason": "态度差"}, nil)
	admin := h.login("admin")
	var list struct {
		Followups []struct {
			ID string `json:"id"`
		} `json:"followups"`
	}
	h.call(200, "GET", "/api/v1/followups?status=all", admin, nil, &list)
	if len(list.Followups) != 1 {
		t.Fatalf("follow-ups %+v", list)
	}
	h.call(200, "POST", "/api/v1/followups/"+list.Followups[0].ID, admin, map[string]any{"action": "rectify", "outcome": "已批评教育并改进窗口服务"}, nil)

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	managerSignIn(dash)
	dash.WaitJS(`document.querySelector('#followups a[data-second]') !== null`)
	link := dash.EvalString(`document.querySelector('#followups a[data-second]').getAttribute('href')`)

	page := openTab(t, h.url(link), 412, 915)
	page.WaitText("#s-outcome", "整改情况：已批评教育并改进窗口服务")
	page.WaitJS(`document.querySelector('#levels button[data-level="2"]') !== null`)
	page.Do(chromedp.Click(chromedp.CSS(`#levels button[data-level="2"]`)))
	page.WaitJS(`!document.getElementById('why').hidden`)
	page.Do(chromedp.Click(chromedp.CSS("#send")))
	page.WaitText("#error", "评价为 2 时请选择或填写原因")
	page.Do(chromedp.Click(chromedp.CSS(`#levels button[data-level="4"]`)))
	page.WaitText("#s-done", "已评价：4 分，谢谢")
	if !page.HiddenJS("#s-ask") {
		t.Fatal("a second rating offered again")
	}
	var v struct {
		Level   int  `json:"level"`
		CanRate bool `json:"can_rate"`
	}
	h.call(200, "GET", "/api/v1/second-ratings/"+link[len("/r/"):], "", nil, &v)
	if v.Level != 4 || v.CanRate {
		t.Fatalf("after the second rating: %+v", v)
	}
}
