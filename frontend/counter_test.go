package frontend_test

import (
	"fmt"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// refusal is the error answer of the API: the words for a person in
// Chinese (message) and in English (message_en).
type refusal struct {
	Error struct {
		Reason    string `json:"reason"`
		Message   string `json:"message"`
		MessageEN string `json:"message_en"`
	} `json:"error"`
}

// TestCounterRefusalsInChinese: the counter page calls with the ticket it
// shows as current, so "next" while serving goes on to the next citizen;
// when the page is stale (another terminal acted, the live stream was
// down) the hall refuses, the clerk reads why in Chinese, never the
// server's English, and the page shows the window as it now is.
func TestCounterRefusalsInChinese(t *testing.T) {
	h := startHall(t)
	a1, a2, a3 := h.issue("A"), h.issue("A"), h.issue("A")

	counter := openTab(t, h.url("/counter/1"), 1366, 768)
	signOn(counter, "1001")
	countRequests(counter)
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", a1.Number)
	// Next while serving: A001 is done, A002 called.
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", a2.Number)
	h.call(200, "GET", "/api/v1/tickets/"+a1.ID, "", nil, &a1)
	if a1.Status != "done" {
		t.Fatalf("A001 after the next call: %+v, want done", a1)
	}

	// The page loses the live stream; another terminal of the same clerk
	// calls A003. The page still shows A002.
	h.wsBlocked.Store(true)
	h.srv.Hub().DisconnectAll()
	counter.WaitJS(`document.body.classList.contains('offline')`)
	settle(counter) // a refresh the last events asked for is done
	tok := h.login("1001")
	h.act(tok, "1", "call", map[string]string{"current": a2.ID})
	if got := counter.Text("#cur-number"); got != a2.Number {
		t.Fatalf("the page shows %q, want the stale %s", got, a2.Number)
	}
	seq := h.seq()
	var stale refusal
	h.call(409, "POST", "/api/v1/windows/1/call", tok, map[string]string{"current": a2.ID}, &stale)
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitJS(`document.getElementById('error').textContent !== ''`)
	checkChinese(t, counter, stale, "当前办理的是 "+a3.Number+" 号")
	// The page re-read the window; the tap changed nothing.
	counter.WaitText("#cur-number", a3.Number)
	settle(counter)
	if s := h.seq(); s != seq {
		t.Errorf("the stale call changed the hall: seq %d→%d", seq, s)
	}
	h.call(200, "GET", "/api/v1/tickets/"+a3.ID, "", nil, &a3)
	if a3.Status != "called" {
		t.Errorf("A003 after the stale tap: %+v, want still called", a3)
	}

	// The other terminal finishes and pauses; the page, still cut off,
	// shows A003 being served and offers the call.
	h.act(tok, "1", "finish", nil)
	h.act(tok, "1", "pause", map[string]string{"reason": "午间休息"})
	var shown struct {
		Number   string
		Disabled bool
	}
	counter.Eval(`({number: document.getElementById('cur-number').textContent, disabled: document.getElementById('act-call').disabled})`, &shown)
	if shown.Number != a3.Number || shown.Disabled {
		t.Fatalf("the page moved without its live stream (%+v); the test cannot make it stale", shown)
	}
	var paused refusal
	h.call(409, "POST", "/api/v1/windows/1/call", tok, map[string]string{"current": a3.ID}, &paused)
	if paused.Error.Reason != "window_paused" {
		t.Fatalf("call at a paused window: %+v", paused)
	}
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitJS(`document.getElementById('error').textContent.indexOf('已暂停') >= 0`)
	checkChinese(t, counter, paused, "1 号窗口已暂停")
	// Re-read: paused, and the call key is off until the clerk resumes.
	counter.WaitJS(`document.getElementById('act-call').disabled && !document.getElementById('pausedmsg').hidden`)
	counter.WaitText("#cur-state", "暂停服务")
}

// countRequests counts the page's API requests in flight, for settle.
func countRequests(tb *tab) {
	tb.T().Helper()
	var ok bool
	tb.Eval(`(function () {
		window.__inflight = 0;
		var f = window.fetch;
		window.fetch = function () {
			window.__inflight++;
			return f.apply(this, arguments).finally(function () { window.__inflight--; });
		};
		return true;
	})()`, &ok)
}

// settle waits until the page has done what it was going to do: no
// refresh the events it heard asked for still due or running (the page
// says, window.__hf.counter().settled) and no request of its own in flight.
// Both uses are at a moment no further event can reach the page: its
// stream cut, or the hall unchanged by a refused tap.
func settle(tb *tab) {
	tb.T().Helper()
	tb.WaitJS(`window.__hf.counter().settled && window.__inflight === 0`)
}

var latinWord = regexp.MustCompile(`[A-Za-z]{2,}`)

// checkChinese checks that the counter shows the server's Chinese words for
// a refusal, and nothing of its English.
func checkChinese(t *testing.T, tb *tab, r refusal, want string) {
	t.Helper()
	if r.Error.Message == "" || r.Error.MessageEN == "" {
		t.Fatalf("refusal without words: %+v", r)
	}
	got := tb.Text("#error")
	if !strings.Contains(got, r.Error.Message) || !strings.Contains(got, want) {
		t.Errorf("the counter shows %q, want the server's %q", got, r.Error.Message)
	}
	if w := latinWord.FindString(got); w != "" {
		t.Errorf("the counter's refusal %q has English (%q)", got, w)
	}
	if body := tb.EvalString(`document.body.innerText`); strings.Contains(body, r.Error.MessageEN) {
		t.Errorf("the page shows the server's English %q", r.Error.MessageEN)
	}
}

// TestCounterUndoSkipAndRequeueByNumber: after 过号 the counter offers 撤销过号
// and the skipped citizen is current again; past the hall's time to undo
// (the hall's clock moved on) the hall refuses in Chinese, and the clerk
// requeues the number the citizen holds, which waits again.
func TestCounterUndoSkipAndRequeueByNumber(t *testing.T) {
	var ahead atomic.Int64
	h := startHallWith(t, nil, func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) })
	a1, a2 := h.issue("A"), h.issue("A")

	counter := openTab(t, h.url("/counter/1"), 1366, 900)
	signOn(counter, "1001")
	if !counter.HiddenJS("#act-undo") {
		t.Fatal("撤销过号 is offered before any skip")
	}
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", a1.Number)
	counter.Do(chromedp.Click(chromedp.CSS("#act-skip")))
	counter.WaitJS(`document.getElementById('cur-number').textContent === '—'`)
	counter.WaitText("#act-undo", "撤销过号")
	counter.WaitText("#act-undo", a1.Number)
	counter.Do(chromedp.Click(chromedp.CSS("#act-undo")))
	counter.WaitText("#cur-number", a1.Number)
	counter.WaitJS(`document.getElementById('act-undo').hidden`)
	var tk ticket
	h.call(200, "GET", "/api/v1/tickets/"+a1.ID, "", nil, &tk)
	if tk.Status != "called" || tk.Window != "1" {
		t.Fatalf("after 撤销过号: %+v, want called at window 1", tk)
	}

	// Skipped again; the hall's clock passes the ten seconds while the
	// page still offers the undo.
	counter.Do(chromedp.Click(chromedp.CSS("#act-skip")))
	counter.WaitText("#act-undo", a1.Number)
	// The page has taken the skip's event and read the window after it, so
	// no re-read races the clock moved on.
	counter.WaitJS(fmt.Sprintf(`window.__hf.live.seq === %d && window.__hf.counter().settled`, h.seq()))
	ahead.Store(int64(11 * time.Second))
	counter.Do(chromedp.Click(chromedp.CSS("#act-undo")))
	counter.WaitJS(`document.getElementById('error').textContent !== ''`)
	if got := counter.Text("#error"); !strings.Contains(got, a1.Number+" 号过号已超过 10 秒") {
		t.Errorf("the refusal reads %q", got)
	}
	counter.WaitJS(`document.getElementById('act-undo').hidden`)
	h.call(200, "GET", "/api/v1/tickets/"+a1.ID, "", nil, &tk)
	if tk.Status != "no_show" {
		t.Fatalf("after the late undo: %+v, want no_show", tk)
	}

	// 过号重排 by the number on the slip, typed as the clerk hears it.
	counter.Do(chromedp.SendKeys(chromedp.CSS("#requeue-number"), "a099"), chromedp.Click(chromedp.CSS("#act-requeue")))
	counter.WaitText("#error", "今日没有 A099 号")
	var cleared bool
	counter.Eval(`(document.getElementById('requeue-number').value = '', true)`, &cleared)
	counter.Do(chromedp.SendKeys(chromedp.CSS("#requeue-number"), strings.ToLower(a1.Number)), chromedp.Click(chromedp.CSS("#act-requeue")))
	counter.WaitText("#requeue-msg", a1.Number+" 号已重新排队")
	counter.WaitJS(`document.getElementById('error').textContent === ''`)
	h.call(200, "GET", "/api/v1/tickets/"+a1.ID, "", nil, &tk)
	if tk.Status != "waiting" {
		t.Fatalf("after 过号重排: %+v, want waiting", tk)
	}
	// Behind those who waited: the counter's list says A002, then A001.
	counter.WaitJS(`Array.from(document.querySelectorAll('#queue tr')).map(function (r) { return r.querySelector('td').firstChild.textContent; }).join(',') === '` + a2.Number + `,` + a1.Number + `'`)
}

// TestCounterTransferListMarksClosedWindows: the transfer list shows every
// other window, the closed ones marked 已关闭 and not to be chosen, as the
// hall answers for each.
func TestCounterTransferListMarksClosedWindows(t *testing.T) {
	h := startHall(t)
	h.issue("A")
	h.act(h.login("1003"), "3", "open", nil)
	counter := openTab(t, h.url("/counter/1"), 1366, 900)
	signOn(counter, "1001")
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitJS(`document.getElementById('cur-number').textContent !== '—'`)
	counter.Do(chromedp.Click(chromedp.CSS("#act-transfer")))
	counter.WaitJS(`!document.getElementById('transfer-dlg').hidden`)
	var opts []struct {
		Value, Text string
		Disabled    bool
	}
	counter.Eval(`Array.from(document.querySelectorAll('#to-window option')).filter(function (o) { return o.value; }).map(function (o) { return { value: o.value, text: o.textContent, disabled: o.disabled }; })`, &opts)
	if len(opts) != 7 {
		t.Fatalf("transfer list %+v, want the 7 other windows", opts)
	}
	for _, o := range opts {
		closed := o.Value != "3"
		if o.Disabled != closed || strings.Contains(o.Text, "已关闭") != closed {
			t.Errorf("window %s in the list: %+v", o.Value, o)
		}
	}
	// Window 2 opens while the list is open: the list offers it.
	h.act(h.login("1002"), "2", "open", nil)
	counter.WaitJS(`!document.querySelector('#to-window option[value="2"]').disabled`)
	counter.Do(chromedp.SetValue(chromedp.CSS("#to-window"), "2"), chromedp.Click(chromedp.CSS(`#transfer-form button[type="submit"]`)))
	counter.WaitJS(`document.getElementById('cur-number').textContent === '—'`)
}
