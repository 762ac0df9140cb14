package frontend_test

import (
	"regexp"
	"strings"
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

// settle waits until the page has done what it was going to do: a refresh
// asked for by the last event it got (the counter waits 200 ms for a burst
// to end) has been sent, and no request is in flight.
func settle(tb *tab) {
	tb.T().Helper()
	time.Sleep(400 * time.Millisecond)
	tb.WaitJS(`window.__inflight === 0`)
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
