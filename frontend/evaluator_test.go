package frontend_test

import (
	"bytes"
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hallfloor/config"
	"hallfloor/overtime"
)

func shanghai(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// signOn signs a clerk on at the counter page.
func signOn(tb *tab, staff string) {
	tb.T().Helper()
	tb.WaitJS(`!document.getElementById('signin').hidden`)
	tb.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), staff),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	tb.WaitJS(`!document.getElementById('desk').hidden && document.body.classList.contains('online')`)
}

// managerSignIn signs the manager in on the dashboard.
func managerSignIn(tb *tab) {
	tb.T().Helper()
	tb.WaitJS(`!document.getElementById('signin-panel').hidden`)
	tb.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	tb.WaitJS(`document.getElementById('signin-panel').hidden && !document.getElementById('p-ratings').hidden`)
}

type ratingInfo struct {
	Number  string `json:"number"`
	Level   int    `json:"level"`
	CanRate bool   `json:"can_rate"`
}

type ratingTotals struct {
	Totals struct {
		Levels   map[string]int `json:"levels"`
		Rated    int            `json:"rated"`
		NotRated int            `json:"not_rated"`
		Bad      int            `json:"bad"`
	} `json:"totals"`
}

// TestRatingAtTheWindow finishes a service at the counter, rates it 不满意
// with a reason on the window's evaluator, and finds the rating and its
// follow-up on the dashboard, where the manager records the call-back.
func TestRatingAtTheWindow(t *testing.T) {
	h := startHall(t)
	tk := h.issue("A")
	day := time.Now().In(shanghai(t)).Format(time.DateOnly)

	eval := openTab(t, h.url("/evaluate/1"), 1280, 800)
	eval.WaitJS(`document.body.classList.contains('online')`)
	eval.WaitText("#idle", "欢迎评价")

	counter := openTab(t, h.url("/counter/1"), 1366, 768)
	signOn(counter, "1001")
	eval.WaitText("#clerk", "王*娟")
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", tk.Number)
	if !eval.HiddenJS("#ask") {
		t.Fatal("the evaluator asks before the service is finished")
	}
	counter.Do(chromedp.Click(chromedp.CSS("#act-finish")))

	// The five levels, best first, with a countdown.
	eval.WaitJS(`!document.getElementById('ask').hidden && document.querySelectorAll('#levels button.lvl').length === 5`)
	eval.WaitText("#ask-number", tk.Number)
	var names []string
	eval.Eval(`Array.from(document.querySelectorAll('#levels button.lvl')).map(function (b) { return b.textContent; })`, &names)
	if want := []string{"5非常满意", "4满意", "3基本满意", "2不满意", "1非常不满意"}; strings.Join(names, ",") != strings.Join(want, ",") {
		t.Errorf("levels %q, want %q", names, want)
	}
	eval.WaitJS(`/^\d+ 秒后自动关闭$/.test(document.getElementById('left').textContent)`)

	// A 2 asks why before anything is sent; a reason is required.
	eval.Do(chromedp.Click(chromedp.CSS(`#levels button[data-level="2"]`)))
	eval.WaitJS(`!document.getElementById('why').hidden && document.querySelectorAll('#reasons button').length > 0`)
	eval.Do(chromedp.Click(chromedp.CSS("#why-send")))
	eval.WaitText("#error", "请选择或填写一个原因")
	var sent []map[string]any
	eval.Eval(`window.__hf.evaluate().sent`, &sent)
	if len(sent) != 1 || sent[0]["kind"] != "choice" || sent[0]["level"] != 2.0 {
		t.Fatalf("the pad sent %v before a reason was given, want only the chosen level", sent)
	}
	eval.Do(
		chromedp.Click(chromedp.CSS(`#reasons button:first-child`)),
		chromedp.SendKeys(chromedp.CSS("#other"), "叫号后等了很久"),
		chromedp.Click(chromedp.CSS("#why-send")),
	)
	eval.WaitText("#thanks", "感谢您的评价")
	eval.WaitJS(`!document.getElementById('thanks-bad').hidden`)

	var r ratingInfo
	h.call(200, "GET", "/api/v1/tickets/"+tk.ID+"/rating", "", nil, &r)
	if r.Level != 2 || r.CanRate {
		t.Fatalf("ticket rating after the evaluator: %+v", r)
	}
	// After the thanks the pad waits for the next service.
	eval.WaitJS(`!document.getElementById('idle').hidden`)

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	dash.WaitJS(`document.body.classList.contains('online')`)
	managerSignIn(dash)
	dash.WaitText("#r-rated", "1")
	dash.WaitText("#r-bad", "1")
	dash.WaitJS(`document.querySelectorAll('#r-chart rect[data-value="1"]').length === 1`)
	dash.WaitText("#followups", tk.Number)
	dash.WaitText("#followups", "等候时间过长；叫号后等了很久")
	if got := dash.Text(`#followups tr[data-followup] td:nth-child(4)`); got != "2 不满意" {
		t.Errorf("follow-up level cell %q", got)
	}
	// The report of the day counts the rating too.
	dash.WaitJS(`document.querySelectorAll('#rep-charts svg').length >= 5`)

	// The manager records the call-back; the follow-up closes. What they
	// have typed survives the panel's refresh, and so does the focus.
	dash.Do(chromedp.SendKeys(chromedp.CSS(`tr[data-followup-form] input`), "已电话回访"))
	var marked bool
	dash.Eval(`(window.__fuRow = document.querySelector('tr[data-followup-form]')) !== null`, &marked)
	dash.Eval(`(window.__hf.refreshDay(), true)`, &marked)
	dash.WaitJS(`!window.__fuRow.isConnected && document.querySelector('tr[data-followup-form] input') !== null`)
	dash.WaitJS(`document.querySelector('tr[data-followup-form] input').value === '已电话回访' && document.activeElement === document.querySelector('tr[data-followup-form] input')`)
	dash.Do(
		chromedp.SetValue(chromedp.CSS(`tr[data-followup-form] select`), "callback"),
		chromedp.SendKeys(chromedp.CSS(`tr[data-followup-form] input`), "，群众表示理解"),
		chromedp.Click(chromedp.CSS(`tr[data-followup-form] button`)),
	)
	dash.WaitText(`tr[data-followup-form] td`, "回访：已电话回访，群众表示理解")
	var fus struct {
		Followups []struct {
			Action, Outcome string
		}
	}
	h.call(200, "GET", "/api/v1/followups?status=all", h.login("admin"), nil, &fus)
	if len(fus.Followups) != 1 || fus.Followups[0].Action != "回访" {
		t.Errorf("follow-ups after recording: %+v", fus)
	}

	// In English the panels and charts speak English.
	dash.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	dash.WaitText("#p-ratings h2", "Ratings today")
	dash.WaitText(`#followups tr[data-followup] td:nth-child(4)`, "2 Dissatisfied")
	dash.WaitText("#rep-charts", "Ratings by level")

	// Downloads carry the manager's token.
	var dl struct {
		Name, Type string
		Size       int
	}
	dash.EvalAsync(`window.__hf.download('/api/v1/reports/daily?format=xlsx')`, &dl)
	if !strings.HasSuffix(dl.Name, ".xlsx") || !strings.Contains(dl.Type, "spreadsheetml") || dl.Size < 100 {
		t.Errorf("daily report download: %+v", dl)
	}
	if b := waitDownload(t, dl.Name); !bytes.HasPrefix(b, []byte("PK")) {
		t.Errorf("%s is not an .xlsx file", dl.Name)
	}
	// The register's button downloads today's register as CSV.
	dash.Do(chromedp.Click(chromedp.CSS(`#p-overtime button[data-dl$="format=csv"]`)))
	b := waitDownload(t, "overtime-"+day+"-"+day+".csv")
	if !bytes.HasPrefix(b, []byte("\xef\xbb\xbf")) {
		t.Errorf("overtime register CSV starts %q, want a UTF-8 byte-order mark", b[:min(len(b), 12)])
	}
}

// TestEvaluatorTimesOut lets the evaluator's question run out: it closes
// unrated, nothing is sent for the applicant, and the applicant may still
// rate from the ticket page with the slip's key (and only with it).
func TestEvaluatorTimesOut(t *testing.T) {
	h := startHallWith(t, func(c *config.Hall) { c.Ratings.PromptSeconds = 3 }, nil)
	tok := h.login("1002")
	h.act(tok, "2", "open", nil)
	tk := h.issue("A")

	eval := openTab(t, h.url("/evaluate/2"), 1280, 800)
	eval.WaitJS(`document.body.classList.contains('online') && !document.getElementById('idle').hidden`)
	h.act(tok, "2", "call", nil)
	h.act(tok, "2", "finish", nil)
	eval.WaitJS(`!document.getElementById('ask').hidden`)
	eval.WaitText("#ask-number", tk.Number)
	// The question closes by itself within its time (and the step's deadline).
	eval.WaitJS(`!document.getElementById('idle').hidden && document.getElementById('ask').hidden`)

	var sent []struct{ Kind, Reason string }
	eval.Eval(`window.__hf.evaluate().sent`, &sent)
	if len(sent) != 1 || sent[0].Kind != "dismiss" || sent[0].Reason != "timeout" {
		t.Errorf("the pad sent %+v, want only the timeout's dismissal", sent)
	}
	var r ratingInfo
	h.call(200, "GET", "/api/v1/tickets/"+tk.ID+"/rating", "", nil, &r)
	if r.Level != 0 || !r.CanRate {
		t.Fatalf("after the timeout the ticket is %+v, want unrated", r)
	}
	var stats ratingTotals
	h.call(200, "GET", "/api/v1/stats/ratings", h.login("admin"), nil, &stats)
	if stats.Totals.Rated != 0 || stats.Totals.NotRated != 1 {
		t.Errorf("rating totals after the timeout: %+v", stats.Totals)
	}

	// Without the holder key the page only reads.
	bare := openTab(t, h.url("/t/"+tk.ID), 412, 915)
	bare.WaitText("#status", "已办结")
	bare.WaitJS(`window.__hf.rating() !== null`)
	if !bare.HiddenJS("#rate") {
		t.Error("the ticket page offers a rating without the holder key")
	}

	page := openTab(t, h.url("/t/"+tk.ID+"?k="+tk.Key), 412, 915)
	page.WaitJS(`!document.getElementById('rate').hidden && document.querySelectorAll('#rate-levels button.lvl').length === 5`)
	// A redraw keeps the same buttons (a tap in progress must land) and
	// the latest handler.
	var kept bool
	page.Eval(`(function(){var box=document.createElement('div'), got=0;
		HF.levelButtons(box,[{level:5,name:'非常满意'}],function(){got=1;});
		var first=box.firstChild;
		HF.levelButtons(box,[{level:5,name:'非常满意'}],function(){got=2;});
		first.click();
		return first===box.firstChild && got===2;})()`, &kept)
	if !kept {
		t.Error("redrawing the level buttons replaced them, or kept the old handler")
	}
	page.Do(chromedp.Click(chromedp.CSS(`#rate-levels button[data-level="4"]`)))
	page.WaitText("#rated", "您的评价：满意")
	page.WaitJS(`document.getElementById('rate').hidden`)
	h.call(200, "GET", "/api/v1/tickets/"+tk.ID+"/rating", "", nil, &r)
	if r.Level != 4 || r.CanRate {
		t.Errorf("after the ticket page the ticket is %+v", r)
	}
	// The page without the key learns of it live.
	bare.WaitText("#rated", "满意")
}

// TestOvertimeFaces runs a window past the end of its session: the hall and
// window screens say 延时服务中, the clerk confirms the overtime service at
// the counter and the applicant on the evaluator, and the dashboard's
// register shows both confirmations.
func TestOvertimeFaces(t *testing.T) {
	// One session a day that ends two minutes from now; the hall's clock is
	// the real one until the test moves it past the end. (Screens count
	// down against the real clock, so the hall's must stay close to it.)
	now := time.Now().In(shanghai(t))
	end := now.Truncate(time.Minute).Add(2 * time.Minute)
	if end.Day() != now.Day() {
		t.Skip("a session ending two minutes from now would cross midnight")
	}
	var ahead atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	h := startHallWith(t, func(c *config.Hall) {
		c.Calendar = config.Calendar{Weekly: map[string][]string{}}
		for _, wd := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
			c.Calendar.Weekly[wd] = []string{"00:00-" + end.Format("15:04")}
		}
	}, clock)
	tok := h.login("1003")
	h.act(tok, "3", "open", nil)
	b1, b2 := h.issue("B"), h.issue("B")
	h.act(tok, "3", "call", nil)

	hall := openTab(t, h.url("/screen/hall"), 1920, 1080)
	win := openTab(t, h.url("/screen/window/3"), 1280, 720)
	eval := openTab(t, h.url("/evaluate/3"), 1280, 800)
	counter := openTab(t, h.url("/counter/3"), 1366, 768)
	signOn(counter, "1003")
	win.WaitText("#cur-number", b1.Number)
	if !win.HiddenJS("#notice") {
		t.Fatal("the window screen says overtime within the session")
	}

	// The session ends with one served and one waiting: overtime.
	ahead.Store(int64(time.Until(end) + 30*time.Second))
	if res := h.eng.Do(context.Background(), overtime.Check{}, "", nil); res.Err != nil {
		t.Fatal(res.Err)
	}
	hall.WaitText(`#wins li[data-window="3"] .st`, "延时服务中")
	hall.WaitJS(`document.querySelector('#wins li[data-window="3"]').classList.contains('overtime')`)
	win.WaitText("#notice", "延时服务中")
	counter.WaitJS(`!document.getElementById('otbox').hidden`)

	// Finishing in overtime registers the service; both sides confirm it.
	counter.Do(chromedp.Click(chromedp.CSS("#act-finish")))
	eval.WaitJS(`!document.getElementById('ot').hidden`)
	eval.WaitText("#ot-text", b1.Number)
	counter.WaitJS(`!document.getElementById('act-otconfirm').hidden`)
	counter.Do(chromedp.Click(chromedp.CSS("#act-otconfirm")))
	counter.WaitText("#ot-msg", "已确认延时服务 OT1")
	eval.Do(chromedp.Click(chromedp.CSS("#ot-confirm")))
	eval.WaitJS(`document.getElementById('ot').hidden && !document.getElementById('ot-done').hidden`)
	// The rating question after the overtime service is still open.
	eval.WaitJS(`!document.getElementById('ask').hidden`)

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	managerSignIn(dash)
	dash.WaitText("#ot-now", "3 号窗口")
	dash.WaitJS(`document.querySelector('#ot-register tr[data-record="OT1"]') !== null`)
	var cells []string
	dash.Eval(`Array.from(document.querySelectorAll('#ot-register tr[data-record="OT1"] td')).map(function (c) { return c.textContent; })`, &cells)
	if len(cells) != 8 || cells[3] != b1.Number || !strings.HasPrefix(cells[6], "✓") || !strings.HasPrefix(cells[7], "✓") {
		t.Errorf("register row %q", cells)
	}

	// The last one served empties the line: overtime ends everywhere.
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", b2.Number)
	counter.Do(chromedp.Click(chromedp.CSS("#act-finish")))
	hall.WaitJS(`!document.querySelector('#wins li[data-window="3"]').classList.contains('overtime')`)
	win.WaitJS(`document.getElementById('notice').hidden`)
	dash.WaitText("#ot-now", "当前没有窗口延时服务")
	dash.WaitJS(`document.querySelector('#ot-register tr[data-record="OT2"]') !== null`)
}

// TestEvaluatorRecovers cuts the evaluator's connection, finishes a service
// while it cannot reconnect, and checks that once the network is back the
// pad asks about it; the English switch words the question and the levels.
func TestEvaluatorRecovers(t *testing.T) {
	h := startHall(t)
	tok := h.login("1005")
	h.act(tok, "5", "open", nil)
	tk := h.issue("C")
	h.act(tok, "5", "call", nil)

	eval := openTab(t, h.url("/evaluate/5"), 1280, 800)
	eval.WaitJS(`document.body.classList.contains('online') && !document.getElementById('idle').hidden`)
	h.wsBlocked.Store(true)
	h.srv.Hub().DisconnectAll()
	eval.WaitJS(`document.body.classList.contains('offline')`)
	h.act(tok, "5", "finish", nil)
	eval.WaitJS(`window.__hf.live.stats.connects > 2`)
	if !eval.HiddenJS("#ask") {
		t.Fatal("the pad asks while it cannot have heard of the service")
	}
	h.wsBlocked.Store(false)
	eval.WaitJS(`document.body.classList.contains('online') && !document.getElementById('ask').hidden`)
	eval.WaitText("#ask-number", tk.Number)

	eval.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	eval.WaitText("#ask h2", "How was your service?")
	eval.WaitText(`#levels button[data-level="5"]`, "Very satisfied")
	eval.Do(chromedp.Click(chromedp.CSS(`#levels button[data-level="5"]`)))
	eval.WaitText("#thanks", "Thank you for your rating!")
	var r ratingInfo
	h.call(200, "GET", "/api/v1/tickets/"+tk.ID+"/rating", "", nil, &r)
	if r.Level != 5 {
		t.Errorf("rating after the reconnect: %+v", r)
	}
}

type followUpList struct {
	Followups []struct {
		Ticket struct {
			ID     string `json:"id"`
			Number string `json:"number"`
		} `json:"ticket"`
		Level         int    `json:"level"`
		Reason        string `json:"reason"`
		ReasonPending bool   `json:"reason_pending"`
		Channel       string `json:"channel"`
	} `json:"followups"`
}

// TestEvaluatorKeepsAChosenBadLevel chooses 非常不满意 and lets the time
// run out on the reason screen: the 差评 stays, with its reason to be asked
// at the call-back, and the manager finds it among the follow-ups.
func TestEvaluatorKeepsAChosenBadLevel(t *testing.T) {
	h := startHallWith(t, func(c *config.Hall) { c.Ratings.PromptSeconds = 5 }, nil)
	tok := h.login("1002")
	h.act(tok, "2", "open", nil)
	tk := h.issue("A")

	eval := openTab(t, h.url("/evaluate/2"), 1280, 800)
	eval.WaitJS(`document.body.classList.contains('online') && !document.getElementById('idle').hidden`)
	h.act(tok, "2", "call", nil)
	h.act(tok, "2", "finish", nil)
	eval.WaitJS(`!document.getElementById('ask').hidden && document.querySelectorAll('#levels button.lvl').length === 5`)
	eval.Do(chromedp.Click(chromedp.CSS(`#levels button[data-level="1"]`)))
	eval.WaitJS(`!document.getElementById('why').hidden`)
	// The time runs out while the applicant thinks of a reason.
	eval.WaitJS(`!document.getElementById('thanks').hidden && !document.getElementById('thanks-bad').hidden`)

	var r ratingInfo
	h.call(200, "GET", "/api/v1/tickets/"+tk.ID+"/rating", "", nil, &r)
	if r.Level != 1 || r.CanRate {
		t.Fatalf("after the time ran out on the reason the ticket is %+v, want rated 1", r)
	}
	var fus followUpList
	h.call(200, "GET", "/api/v1/followups", h.login("admin"), nil, &fus)
	if len(fus.Followups) != 1 || fus.Followups[0].Ticket.Number != tk.Number || fus.Followups[0].Level != 1 ||
		!fus.Followups[0].ReasonPending || fus.Followups[0].Reason != "" || fus.Followups[0].Channel != "evaluator" {
		t.Fatalf("follow-ups %+v, want one for %s with its reason pending", fus, tk.Number)
	}
	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	managerSignIn(dash)
	dash.WaitText("#followups", tk.Number)
	if got := dash.Text(`#followups tr[data-followup] td:nth-child(4)`); got != "1 非常不满意" {
		t.Errorf("follow-up level cell %q", got)
	}

	// Back to the levels takes the choice back: left alone, the question
	// then closes unrated.
	second := h.issue("A")
	h.act(tok, "2", "call", nil)
	h.act(tok, "2", "finish", nil)
	eval.WaitJS(`!document.getElementById('ask').hidden && !document.getElementById('levels').hidden`)
	eval.WaitText("#ask-number", second.Number)
	eval.Do(chromedp.Click(chromedp.CSS(`#levels button[data-level="2"]`)))
	eval.WaitJS(`!document.getElementById('why').hidden`)
	eval.Do(chromedp.Click(chromedp.CSS("#why-back")))
	eval.WaitJS(`!document.getElementById('idle').hidden`)
	h.call(200, "GET", "/api/v1/tickets/"+second.ID+"/rating", "", nil, &r)
	if r.Level != 0 || !r.CanRate {
		t.Fatalf("a choice taken back left %+v, want unrated", r)
	}
}

// TestEvaluatorEndsAtTheNextCall finishes a service and calls the next
// person while the pad still asks: the question about the one before ends
// at once.
func TestEvaluatorEndsAtTheNextCall(t *testing.T) {
	h := startHall(t)
	tok := h.login("1002")
	h.act(tok, "2", "open", nil)
	first := h.issue("A")
	h.issue("A")

	eval := openTab(t, h.url("/evaluate/2"), 1280, 800)
	eval.WaitJS(`document.body.classList.contains('online') && !document.getElementById('idle').hidden`)
	h.act(tok, "2", "call", nil)
	h.act(tok, "2", "finish", nil)
	eval.WaitJS(`!document.getElementById('ask').hidden`)
	eval.WaitText("#ask-number", first.Number)
	h.act(tok, "2", "call", nil)
	eval.WaitJS(`!document.getElementById('idle').hidden && document.getElementById('ask').hidden && window.__hf.evaluate().window.rating == null`)
	var sent []map[string]any
	eval.Eval(`window.__hf.evaluate().sent`, &sent)
	if len(sent) != 0 {
		t.Errorf("the pad sent %v, want nothing: the hall closed the question", sent)
	}
	var r ratingInfo
	h.call(200, "GET", "/api/v1/tickets/"+first.ID+"/rating", "", nil, &r)
	if r.Level != 0 || !r.CanRate {
		t.Errorf("after the next call the first ticket is %+v, want unrated", r)
	}
}
