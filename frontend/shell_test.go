package frontend_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Browser tests of what every page gets from the shell (hf.js): refusals
// worded by the server in the page's language, and a live connection that
// starts again from a snapshot when it cannot trust what it holds.

// TestCounterCallSaysWhatItShows: the counter's call-next names the ticket
// the clerk's screen shows as current; a refusal shows the server's own
// sentence (message in Chinese, message_en in English, message when there
// is no message_en); and after a 409 the page asks the hall for the
// window, so the next tap acts on what is really current. The refusal for
// a stale screen is the one the API gives; the test answers it in the
// server's place, since today's server ignores the body.
func TestCounterCallSaysWhatItShows(t *testing.T) {
	h := startHall(t)
	a1, a2, a3, a4 := h.issue("A"), h.issue("A"), h.issue("A"), h.issue("A")

	var mu sync.Mutex
	var sent []string // "current" of every call the page made
	var refusal atomic.Pointer[string]
	intercept := func(w http.ResponseWriter, r *http.Request) bool {
		// The page's calls; the test's own (h.act) carry no Idempotency-Key.
		if r.Method != http.MethodPost || r.URL.Path != "/api/v1/windows/1/call" || r.Header.Get("Idempotency-Key") == "" {
			return false
		}
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(b))
		var body struct {
			Current *string `json:"current"`
		}
		if err := json.Unmarshal(b, &body); err != nil || body.Current == nil {
			t.Errorf("call body %q: no current", b)
		} else {
			mu.Lock()
			sent = append(sent, *body.Current)
			mu.Unlock()
		}
		if msg := refusal.Swap(nil); msg != nil {
			w.Header().Set("Content-Type", "application/json; charset=utf-8")
			w.WriteHeader(http.StatusConflict)
			io.WriteString(w, *msg)
			return true
		}
		return false
	}
	h.intercept.Store(&intercept)
	lastSent := func() string {
		mu.Lock()
		defer mu.Unlock()
		if len(sent) == 0 {
			return "(nothing)"
		}
		return sent[len(sent)-1]
	}

	counter := openTab(t, h.url("/counter/1"), 1366, 768)
	counter.WaitJS(`!document.getElementById('signin').hidden`)
	counter.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "1001"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	counter.WaitJS(`!document.getElementById('desk').hidden && !document.getElementById('act-call').disabled && document.body.classList.contains('online')`)
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", a1.Number)
	if got := lastSent(); got != "" {
		t.Errorf("an idle window's call sent current %q, want \"\"", got)
	}
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", a2.Number)
	if got := lastSent(); got != a1.ID {
		t.Errorf("call sent current %q, want %s (%s)", got, a1.ID, a1.Number)
	}

	// The hall moves on while this screen cannot hear it: the window is
	// called from elsewhere, and the page still shows A002.
	h.wsBlocked.Store(true)
	h.srv.Hub().DisconnectAll()
	counter.WaitJS(`document.body.classList.contains('offline')`)
	h.act(h.login("1001"), "1", "call", map[string]string{"current": a2.ID}) // finishes A002, calls A003
	counter.WaitText("#cur-number", a2.Number)

	const zh, en = "1号窗口的当前号码已变化，请按屏幕上的号码重新操作", "Window 1 has moved on; act on the number now shown"
	stale := fmt.Sprintf(`{"error":{"code":"conflict","reason":"stale_current","message":%q,"message_en":%q,"field":""}}`, zh, en)
	refusal.Store(&stale)
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	// The server's sentence as it is, with nothing of the page's around it.
	counter.WaitJS(fmt.Sprintf(`document.getElementById('error').textContent === %q`, zh))
	if got := lastSent(); got != a2.ID {
		t.Errorf("call sent current %q, want %s (%s)", got, a2.ID, a2.Number)
	}
	// The refusal made the page ask the hall (its WebSocket is still down).
	counter.WaitText("#cur-number", a3.Number)
	counter.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	counter.WaitJS(fmt.Sprintf(`document.getElementById('error').textContent === %q`, en))

	// A server that gives no English shows its message in English too.
	plain := fmt.Sprintf(`{"error":{"code":"conflict","reason":"stale_current","message":%q,"field":""}}`, zh)
	refusal.Store(&plain)
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitJS(fmt.Sprintf(`document.getElementById('error').textContent === %q`, zh)) // was English
	if got := lastSent(); got != a3.ID {
		t.Errorf("call sent current %q, want %s (%s)", got, a3.ID, a3.Number)
	}

	// Back online, the next tap is right and goes through.
	h.wsBlocked.Store(false)
	counter.WaitJS(`document.body.classList.contains('online')`)
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", a4.Number)
	counter.WaitJS(`document.getElementById('error').textContent === ''`)
	if got := lastSent(); got != a3.ID {
		t.Errorf("call sent current %q, want %s (%s)", got, a3.ID, a3.Number)
	}
}

// TestLiveStartsAgainFromSnapshot: a jump in the sequence numbers on a live
// connection, and a new day, each make a screen drop what it holds and
// start again from a fresh snapshot (not a resume after the last number).
func TestLiveStartsAgainFromSnapshot(t *testing.T) {
	var ahead atomic.Int64
	h := startHallWith(t, nil, func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) })
	h.issue("B")
	h.issue("B")
	hall := openTab(t, h.url("/screen/hall"), 1920, 1080)
	hall.WaitJS(`document.body.classList.contains('online') && window.__hf.live.stats.snapshots === 1`)
	hall.WaitJS(`document.querySelector('#waits li[data-service="B"] .count').textContent === '2'`)
	fresh := func(snapshots int) {
		t.Helper()
		hall.WaitJS(fmt.Sprintf(`window.__hf.live.stats.snapshots === %d && document.body.classList.contains('online')`, snapshots))
		var urls []string
		hall.Eval(`window.__hf.live.stats.urls`, &urls)
		if last := urls[len(urls)-1]; !strings.HasSuffix(last, "/ws") {
			t.Errorf("the screen asked %s; want a fresh snapshot (/ws)", last)
		}
	}

	// A frame that skips a number: something was lost on the way.
	var ok bool
	hall.Eval(`(window.__hf.live.receive({ type: 'ticket.issued', seq: window.__hf.live.seq + 2 }), true)`, &ok)
	fresh(2)
	var gaps int
	hall.Eval(`window.__hf.live.stats.gaps`, &gaps)
	if gaps != 1 {
		t.Errorf("gaps = %d, want 1", gaps)
	}

	// The next day: the first command after midnight starts it (the
	// numbers of yesterday are void), and the screen loads the new day.
	ahead.Store(int64(24 * time.Hour))
	h.issue("B")
	fresh(3)
	hall.WaitJS(`document.querySelector('#waits li[data-service="B"] .count').textContent === '1'`)
}
