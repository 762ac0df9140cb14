package frontend_test

import (
	"bytes"
	"flag"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
)

var updateShots = flag.Bool("screenshots", false, "write the pages' screenshots to docs/screenshots")

// TestScreenshots runs a morning in the demo hall (a fake clock that ends
// at the real now), then photographs every face at the size it is made
// for. With -screenshots the pictures go to docs/screenshots for the
// README; without, they are checked and thrown away.
func TestScreenshots(t *testing.T) {
	h := startBusyHall(t)
	dir := t.TempDir()
	if *updateShots {
		dir = filepath.Join("..", "docs", "screenshots")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}

	// A ticket being served at window 2, and one still waiting, for the
	// phone pages.
	var w2 struct {
		Current *struct{ ID string }  `json:"current"`
		Queue   []struct{ ID string } `json:"queue"`
	}
	// Waiting tickets' ids are for signed-in staff.
	h.call(200, "GET", "/api/v1/windows/2", h.login("1002"), nil, &w2)
	if w2.Current == nil || len(w2.Queue) < 3 {
		t.Fatalf("the busy hall has no call at window 2 or too short a line: %+v", w2)
	}

	// A window whose evaluator asks about the service it just finished.
	asking := ""
	for _, w := range []string{"3", "1", "2", "4", "5", "7"} {
		var r struct{ Prompt *struct{ Number string } }
		h.call(200, "GET", "/api/v1/windows/"+w+"/rating", "", nil, &r)
		if r.Prompt != nil {
			asking = w
			break
		}
	}
	if asking == "" {
		t.Fatal("the busy hall has no evaluator asking")
	}

	settled := `document.body.classList.contains('online') && document.getAnimations().length === 0`
	shots := []struct {
		name          string
		path          string
		width, height int64
		ready         string
		act           func(tb *tab)
		full          bool // the whole page, not one screenful
	}{
		// First, while the question (asked a moment ago) is open.
		{"evaluate", "/evaluate/" + asking, 1280, 800, settled + ` && !document.getElementById('ask').hidden && document.querySelectorAll('#levels .lvl').length === 5`, nil, false},
		{"home", "/", 1440, 900, `document.querySelectorAll('#counters a').length === 8`, nil, false},
		{"kiosk", "/kiosk", 1080, 1920, settled + ` && document.querySelectorAll('button.svc').length === 7`, nil, false},
		{"kiosk-ticket", "/kiosk", 1080, 1920, settled + ` && document.querySelectorAll('button.svc').length === 7`, func(tb *tab) {
			tb.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="C"]`)))
			tb.WaitJS(`!document.getElementById('overlay').hidden && document.getElementById('slip-qr').complete && document.getElementById('slip-qr').naturalWidth > 0`)
		}, false},
		{"hall", "/screen/hall", 1920, 1080, settled + ` && document.querySelectorAll('#recent li').length >= 6`, nil, false},
		{"hall-portrait", "/screen/hall", 1080, 1920, settled + ` && document.querySelectorAll('#recent li').length >= 6`, nil, false},
		{"window", "/screen/window/2", 1280, 720, settled + ` && document.getElementById('cur-number').textContent !== ''`, nil, false},
		{"window-paused", "/screen/window/6", 1280, 720, settled + ` && document.getElementById('cur-reason').textContent !== ''`, nil, false},
		{"counter", "/counter/2", 1600, 900, `!document.getElementById('signin').hidden`, func(tb *tab) {
			tb.Do(
				chromedp.SendKeys(chromedp.CSS("#staff"), "1002"),
				chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
				chromedp.Click(chromedp.CSS("#signon")),
			)
			tb.WaitJS(`!document.getElementById('desk').hidden && document.querySelectorAll('#queue tr').length >= 3 && document.body.classList.contains('online')`)
		}, false},
		{"ticket-waiting", "/t/" + w2.Queue[2].ID, 412, 915, settled + ` && !document.getElementById('card').hidden`, nil, false},
		{"ticket-called", "/t/" + w2.Current.ID, 412, 915, settled + ` && !document.getElementById('callbox').hidden`, nil, false},
		{"dashboard", "/dashboard", 1920, 1080, settled + ` && document.querySelectorAll('#chart rect').length > 0 && document.querySelectorAll('#windows tr').length === 8`, func(tb *tab) {
			managerSignIn(tb)
			tb.WaitJS(`document.querySelectorAll('#rep-charts svg').length >= 5 && document.querySelectorAll('#r-chart rect').length === 5 && document.querySelectorAll('#followups tr[data-followup]').length > 0 && document.getElementById('dev-summary').textContent !== ''`)
		}, true},
		// The pickup locker's panel, its clerks' page and the devices page,
		// served by the same server.
		{"locker-panel", "/locker/L1", 1280, 800, `document.querySelectorAll('#keypad [data-k]').length >= 10 && document.querySelector('[data-conn][data-state="online"]') !== null`, nil, false},
		{"lockers", "/lockers", 1440, 900, `!document.getElementById('signin-box').hidden`, func(tb *tab) {
			tb.Do(
				chromedp.SendKeys(chromedp.CSS("#staff"), "1007"),
				chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
				chromedp.Click(chromedp.CSS("#signin button[type=submit]")),
			)
			tb.WaitJS(`document.getElementById('signin-box').hidden && !document.getElementById('forms').hidden && document.querySelectorAll('[data-comp]').length >= 12`)
		}, true},
		{"devices", "/devices", 1600, 1000, `!document.getElementById('sim-signin').hidden`, func(tb *tab) {
			// The simulator is a manager's bench.
			tb.Do(
				chromedp.SendKeys(chromedp.CSS("#staff"), "admin"),
				chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
				chromedp.Click(chromedp.CSS("#sim-signin button[type=submit]")),
			)
			tb.WaitJS(`document.querySelectorAll('button[data-door]').length >= 12`)
		}, true},
	}
	for _, s := range shots {
		tb := openTab(t, h.url(s.path), s.width, s.height)
		tb.WaitJS(s.ready)
		if s.act != nil {
			s.act(tb)
		}
		tb.WaitJS(`document.getAnimations().length === 0`)
		var b []byte
		if s.full {
			// A viewport as tall as the page: the whole page, and no scroll bar.
			var tall int64
			tb.Eval(`document.documentElement.scrollHeight`, &tall)
			tb.Do(chromedp.EmulateViewport(s.width, tall))
			tb.WaitJS(`document.getAnimations().length === 0`)
			b = tb.Screenshot()
		} else {
			b = tb.Screenshot()
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := img.Bounds().Size(); int64(got.X) != s.width || int64(got.Y) < s.height || !s.full && int64(got.Y) != s.height {
			t.Errorf("%s: screenshot is %v, want %dx%d", s.name, got, s.width, s.height)
		}
		// Nothing scrolls off a screen meant to be seen whole.
		if s.name == "hall" || s.name == "window" {
			var overflow bool
			tb.Eval(`document.documentElement.scrollHeight > window.innerHeight + 1`, &overflow)
			if overflow {
				t.Errorf("%s: the page is taller than the screen", s.name)
			}
		}
		if err := os.WriteFile(filepath.Join(dir, s.name+".png"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// startBusyHall is the demo hall after a morning's work: seven windows
// open, one paused, one closed, people waiting in every line, calls spread
// over the hours. The clock runs behind the real one by a shrinking
// offset, so the morning ends now and the pages' ages make sense. In the
// small hours the hall's day has had no morning yet: the minutes since
// midnight hold the morning's eighty steps, and its services, shortened.
func startBusyHall(t *testing.T) *testHall {
	t.Helper()
	var behind atomic.Int64
	clock := func() time.Time { return time.Now().Add(-time.Duration(behind.Load())) }
	cfg := config.Demo()
	loc, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Now().In(loc)
	start := time.Date(now.Year(), now.Month(), now.Day(), 8, 30, 0, 0, loc)
	step := 3 * time.Minute
	if now.Sub(start) > 5*time.Hour || now.Before(start) {
		start = now.Add(-4 * time.Hour)
		if start.Day() != now.Day() {
			start = time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 1, 0, loc)
			step = min(step, now.Sub(start)/80)
		}
	}
	behind.Store(int64(now.Sub(start)))

	// The demo hall's buttons, lamps, evaluators and lockers, on simulated pins.
	run := apptest.Start(t, app.Options{Hall: cfg, Clock: clock})
	h := &testHall{t: t, srv: run.Server, eng: run.Engine, ts: run.HTTP}

	clerks := map[string]string{"1": "1001", "2": "1002", "3": "1003", "4": "1004", "5": "1005", "6": "1006", "7": "1007"}
	tokens := map[string]string{}
	for w, staff := range clerks {
		tokens[w] = h.login(staff)
		h.act(tokens[w], w, "open", nil)
	}
	// The guide at the door issues the priority numbers (老弱病残孕).
	guide := h.login("2001")
	// What each counter shows as being served: a call says it.
	current := map[string]string{}
	callAt := func(w string) *ticket {
		var reply struct{ Ticket *ticket }
		h.call(200, "POST", "/api/v1/windows/"+w+"/call", tokens[w], map[string]any{"current": current[w]}, &reply)
		current[w] = ""
		if reply.Ticket != nil {
			current[w] = reply.Ticket.ID
		}
		return reply.Ticket
	}
	rng := rand.New(rand.NewPCG(20261121, 7))
	// Applicants rate most services at the evaluator, mostly well; a few
	// give a 差评 with a reason, some do not rate at all. A generator of its
	// own keeps the rest of the morning as it was.
	rates := rand.New(rand.NewPCG(20261121, 8))
	reasons := cfg.Ratings.Reasons
	rate := func(w string) {
		n := rates.IntN(100)
		level := 5
		switch {
		case n < 15:
			return
		case n < 60:
			level = 5
		case n < 85:
			level = 4
		case n < 94:
			level = 3
		case n < 98:
			level = 2
		default:
			level = 1
		}
		body := map[string]any{"level": level}
		if level <= 2 {
			body["reason"] = reasons[rates.IntN(len(reasons))]
		}
		h.try("POST", "/api/v1/windows/"+w+"/rating", "", body, 201, 409)
	}
	services := []string{"A", "A", "A", "A", "B", "B", "C", "C", "C", "Q", "Q", "Z"}
	busyUntil := map[string]time.Time{}
	// Each service's rough length at the window, in minutes (in steps of
	// three minutes).
	length := map[string]float64{"1": 7, "2": 6, "3": 12, "4": 10, "5": 9, "6": 8, "7": 2}
	for t0 := start; ; t0 = t0.Add(step) {
		left := now.Sub(t0)
		if left < step {
			break
		}
		behind.Store(int64(left))
		// Busier towards the end of the morning, so a line has formed.
		arrivals := 1 + rng.IntN(2)
		if left < 50*time.Minute {
			arrivals += 2
		}
		for range arrivals {
			var tk ticket
			body := map[string]any{"service": services[rng.IntN(len(services))]}
			token := ""
			if rng.IntN(12) == 0 {
				body["priority"] = true
				token = guide
			}
			h.call(201, "POST", "/api/v1/tickets", token, body, &tk)
		}
		for _, w := range []string{"1", "2", "3", "4", "5", "6", "7"} {
			if t0.Before(busyUntil[w]) {
				continue
			}
			called := callAt(w)
			rate(w) // the service the call finished, if any
			if called != nil {
				busyUntil[w] = t0.Add(time.Duration(length[w]*(0.6+rng.Float64()*0.8)) * (step / 3))
			}
		}
	}
	behind.Store(int64(90 * time.Second))
	// Window 6 finishes and pauses; window 8 stays closed.
	var w6 struct{ Current *ticket }
	h.call(200, "GET", "/api/v1/windows/6", "", nil, &w6)
	if w6.Current != nil {
		h.act(tokens["6"], "6", "finish", nil)
	}
	h.act(tokens["6"], "6", "pause", map[string]string{"reason": "临时离开"})
	behind.Store(0)
	// However short the morning the clock left (after midnight it is a
	// few minutes), the line of A is long enough for the phone pages.
	for range 5 {
		h.call(201, "POST", "/api/v1/tickets", "", map[string]any{"service": "A"}, nil)
	}
	// The latest calls are fresh.
	for _, w := range []string{"2", "1", "3"} {
		callAt(w)
	}
	return h
}
