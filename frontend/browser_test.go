package frontend_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestTicketJourney follows one number through every face: taken at the
// kiosk, seen on the hall screen and the ticket page, called from the
// counter page, and the hall screen, the window screen and the ticket page
// all change.
func TestTicketJourney(t *testing.T) {
	h := startHall(t)
	hall := openTab(t, h.url("/screen/hall"), 1920, 1080)
	hall.WaitJS(`document.body.classList.contains('online')`)
	hall.WaitJS(`document.querySelector('#waits li[data-service="A"] .count').textContent === '0'`)

	kiosk := takeFirstA(t, h.url("/kiosk"))
	var tk struct {
		ID, Number, Status string
		Ahead              int
	}
	kiosk.Eval(`window.__hf.kiosk.last()`, &tk)
	if tk.Number != "A001" || tk.Status != "waiting" || tk.ID == "" {
		t.Fatalf("kiosk ticket = %+v", tk)
	}
	if src := kiosk.EvalString(`document.getElementById('slip-qr').src`); !strings.Contains(src, "/qr?data=") || !strings.Contains(src, "%2Ft%2F"+tk.ID) {
		t.Errorf("QR image points at %q, want the ticket page of %s", src, tk.ID)
	}
	kiosk.WaitJS(`document.getElementById('slip-qr').complete && document.getElementById('slip-qr').naturalWidth > 0`)

	// The hall screen counts the new ticket.
	hall.WaitJS(`document.querySelector('#waits li[data-service="A"] .count').textContent === '1'`)

	page := openTab(t, h.url("/t/"+tk.ID), 412, 915)
	page.WaitText("#number", "A001")
	page.WaitText("#status", "等候中")
	page.WaitJS(`document.getElementById('callbox').hidden`)

	// A clerk signs on at window 1, which serves A.
	counter := openTab(t, h.url("/counter/1"), 1366, 768)
	counter.WaitJS(`!document.getElementById('signin').hidden`)
	counter.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "1001"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	counter.WaitJS(`!document.getElementById('desk').hidden && !document.getElementById('act-call').disabled`)
	counter.WaitText("#queue", "A001")
	// Signed in, the counter's list carries the waiting tickets' ids, which
	// the public answer leaves out.
	if got := counter.EvalString(`window.__hf.counter().queue[0].id || ''`); got != tk.ID {
		t.Errorf("the counter's first waiting ticket has id %q, want %s", got, tk.ID)
	}
	win := openTab(t, h.url("/screen/window/1"), 1280, 720)
	win.WaitText("#cur-state", "空闲")
	win.WaitText("#clerk", "王*娟")
	win.WaitText("#clerk", "1001")

	// Call by keyboard shortcut N.
	counter.Do(chromedp.Click(chromedp.CSS("#cur-number")), chromedp.KeyEvent("n"))
	counter.WaitText("#cur-number", "A001")

	hall.WaitText("#now-number", "A001")
	hall.WaitText("#now-window", "1")
	if got := hall.Text("#now-text"); got != "请 A001 号到 1 号窗口办理" {
		t.Errorf("hall screen sentence = %q", got)
	}
	hall.WaitJS(`document.querySelector('#waits li[data-service="A"] .count').textContent === '0'`)
	hall.WaitJS(`document.querySelector('#wins li[data-window="1"]').classList.contains('serving')`)
	// The voice says the server's speech line, twice, never two at once.
	hall.WaitJS(`window.__hf.voice.log.length >= 1`)
	var spoken []string
	hall.Eval(`window.__hf.voice.log`, &spoken)
	if spoken[0] != "请A 0 0 1 号，到1号窗口办理" {
		t.Errorf("voice said %q", spoken[0])
	}

	win.WaitText("#cur-number", "A001")
	page.WaitJS(`!document.getElementById('callbox').hidden`)
	page.WaitText("#where", "1 号窗口")
	page.WaitText("#status", "已叫号")
	if got := page.Text("#calltext"); got != "请 A001 号到 1 号窗口办理" {
		t.Errorf("ticket page sentence = %q", got)
	}

	// Finish, then pause with a reason: the window screen says so.
	counter.Do(chromedp.Click(chromedp.CSS("#act-finish")))
	counter.WaitJS(`document.getElementById('served').textContent === '1'`)
	page.WaitText("#status", "已办结")
	counter.Do(chromedp.Click(chromedp.CSS("#act-pause")))
	counter.WaitJS(`!document.getElementById('pause-dlg').hidden`)
	counter.Do(chromedp.Click(chromedp.CSS("#reasons button")))
	win.WaitText("#cur-state", "暂停服务")
	win.WaitText("#cur-reason", "午间休息")
	hall.WaitText(`#wins li[data-window="1"] .st`, "午间休息")

	// English on the hall screen uses the server's English sentence.
	hall.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	hall.WaitText("#recent-h", "Recent calls")

	// Another kiosk's ticket updates this one's counts without replacing
	// its buttons: a tap in a busy hall must land on the button it began on.
	kiosk.WaitJS(`/\b0\b/.test(document.querySelector('button.svc[data-service="A"] .waiting').textContent)`)
	var marked bool
	kiosk.Eval(`(window.__btnA = document.querySelector('button.svc[data-service="A"]')) !== null`, &marked)
	h.issue("A") // nobody waited for A: now one does
	kiosk.WaitJS(`/\b1\b/.test(document.querySelector('button.svc[data-service="A"] .waiting').textContent)`)
	kiosk.WaitJS(`window.__btnA === document.querySelector('button.svc[data-service="A"]') && window.__btnA.isConnected`)
}

// TestScreenRecovers cuts the hall screen's WebSocket, changes the hall
// while the screen cannot reconnect, and checks that the screen shows it is
// offline (and no call as current), then resumes after the last sequence
// number it saw and shows the new state.
func TestScreenRecovers(t *testing.T) {
	h := startHall(t)
	tok := h.login("1003")
	h.act(tok, "3", "open", nil)
	b1 := h.issue("B")
	h.act(tok, "3", "call", nil)

	hall := openTab(t, h.url("/screen/hall"), 1920, 1080)
	hall.WaitText("#now-number", b1.Number)
	before := h.seq()
	hall.WaitJS(fmt.Sprintf(`window.__hf.live.seq === %d`, before))

	h.wsBlocked.Store(true)
	h.srv.Hub().DisconnectAll()
	hall.WaitJS(`document.body.classList.contains('offline')`)
	hall.WaitJS(`getComputedStyle(document.getElementById('now')).display === 'none'`)
	hall.WaitJS(`getComputedStyle(document.querySelector('.offline-banner')).display !== 'none'`)

	// The hall moves on while the screen is away.
	b2 := h.issue("B")
	h.issue("B")
	h.act(tok, "3", "call", map[string]string{"current": b1.ID}) // finishes B001, calls B002
	after := h.seq()
	if after <= before {
		t.Fatalf("seq did not move: %d → %d", before, after)
	}
	// The screen has tried, and failed, to reconnect while the network was down.
	hall.WaitJS(`window.__hf.live.stats.connects > 2`)

	h.wsBlocked.Store(false)
	hall.WaitJS(fmt.Sprintf(`window.__hf.live.seq === %d && document.body.classList.contains('online')`, after))
	hall.WaitText("#now-number", b2.Number)
	hall.WaitText("#now-window", "3")
	hall.WaitJS(`document.querySelector('#waits li[data-service="B"] .count').textContent === '1'`)
	hall.WaitJS(`document.querySelector('#recent li[data-ticket="` + b1.ID + `"]') !== null`)

	// It resumed after what it had seen, not from a fresh snapshot.
	want := fmt.Sprintf("/ws?since=%d", before)
	resumed := false
	for _, u := range h.wsRequests() {
		if u == want {
			resumed = true
		}
	}
	if !resumed {
		t.Errorf("screen never asked %s; asked %v", want, h.wsRequests())
	}
	var stats struct{ Snapshots, Events int }
	hall.Eval(`window.__hf.live.stats`, &stats)
	if stats.Snapshots != 1 {
		t.Errorf("screen took %d snapshots, want 1 (the resume replays events)", stats.Snapshots)
	}
	// The call in the snapshot is history, not announced; the call caught
	// up on is said at most twice (it is fresh), however often it arrived.
	var spoken []string
	hall.Eval(`window.__hf.voice.log.concat(window.__hf.voice.queue)`, &spoken)
	count := map[string]int{}
	for _, s := range spoken {
		count[s]++
	}
	if count["请B 0 0 1 号，到3号窗口办理"] != 0 || count["请B 0 0 2 号，到3号窗口办理"] > 2 {
		t.Errorf("voice said %q", spoken)
	}
}
