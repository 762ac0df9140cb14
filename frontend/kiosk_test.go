package frontend_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hallfloor/config"
	"hallfloor/hall"
)

// TestClosedHallSaysSo closes the hall while a kiosk and the hall screen
// are open: both say 今日已停止取号 with the next opening at once, the
// kiosk's buttons go off and its estimates go, and a kiosk opened after the
// close shows the same.
func TestClosedHallSaysSo(t *testing.T) {
	// One session a day that ends two minutes from now; the test moves the
	// hall's clock past its end (as TestOvertimeFaces does).
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
			c.Calendar.Weekly[wd] = []string{"08:00-" + end.Format("15:04")}
		}
	}, clock)
	if now.Hour() < 8 {
		t.Skip("the hall's one session starts at 08:00")
	}

	kiosk := openTab(t, h.url("/kiosk"), 1080, 1920)
	kiosk.WaitJS(`document.body.classList.contains('online') && document.querySelector('button.svc[data-service="A"] .waiting') !== null`)
	screen := openTab(t, h.url("/screen/hall"), 1920, 1080)
	screen.WaitJS(`document.body.classList.contains('online')`)
	if !kiosk.HiddenJS("#closed") || !screen.HiddenJS("#issuing") {
		t.Fatal("an open hall says it is closed")
	}
	if kiosk.EvalString(`String(document.querySelector('button.svc[data-service="A"]').disabled)`) != "false" {
		t.Fatal("an open hall's buttons are off")
	}

	// The session ends; the hall's tick tells every face.
	ahead.Store(int64(time.Until(end) + 30*time.Second))
	if res := h.eng.Do(context.Background(), hall.Tick{}, "", nil); res.Err != nil {
		t.Fatal(res.Err)
	}
	tomorrow := now.AddDate(0, 0, 1)
	weekdays := []string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}
	next := "下次取号时间：" + tomorrow.Format("1月2日") + "（" + weekdays[tomorrow.Weekday()] + "）08:00"
	kiosk.WaitText("#closed-text", "今日已停止取号")
	kiosk.WaitText("#closed-next", next)
	kiosk.WaitJS(`Array.from(document.querySelectorAll('button.svc')).every(function (b) { return b.disabled && b.querySelector('.meta').textContent === ''; })`)
	screen.WaitText("#issuing-text", "今日已停止取号")
	screen.WaitText("#issuing-next", next)

	// A tap on a button that is off issues nothing.
	kiosk.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)))
	var last any
	kiosk.Eval(`window.__hf.kiosk.last()`, &last)
	if last != nil {
		t.Fatalf("a closed kiosk issued %v", last)
	}

	// A kiosk started after the close knows it from its first view, and
	// says it in English too.
	late := openTab(t, h.url("/kiosk"), 1080, 1920)
	late.WaitText("#closed-next", next)
	late.WaitJS(`document.querySelector('button.svc[data-service="A"]').disabled`)
	late.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	late.WaitText("#closed-text", "No more numbers are issued today")
	late.WaitText("#closed-next", "Next issuing: "+tomorrow.Format("Mon 2 Jan")+" 08:00")
}

// TestKioskForgetsTheCitizen leaves nothing a citizen typed on the kiosk:
// not after a refusal, not after a ticket, not after walking away, and the
// kiosk is in Chinese again for the next person.
func TestKioskForgetsTheCitizen(t *testing.T) {
	h := startHall(t)
	const id = "11010519491231002X"
	h.call(201, "POST", "/api/v1/tickets", "", map[string]string{"service": "A", "id_number": id}, nil)

	kiosk := openTab(t, h.url("/kiosk?idle_s=4"), 1080, 1920)
	kiosk.WaitJS(`document.body.classList.contains('online') && document.querySelector('button.svc[data-service="A"]') !== null`)
	empty := `document.getElementById('idnumber').value === '' && document.getElementById('phone').value === ''`

	// Refused: the same ID number already waits for A. The reason stays,
	// the ID number and phone do not.
	kiosk.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	kiosk.WaitText("#services", "Social Affairs")
	kiosk.Do(
		chromedp.Click(chromedp.CSS("#opts summary")),
		chromedp.SendKeys(chromedp.CSS("#idnumber"), id),
		chromedp.SendKeys(chromedp.CSS("#phone"), "13800138000"),
		chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)),
	)
	kiosk.WaitJS(`document.getElementById('error').textContent !== '' && document.getElementById('error').textContent.indexOf('Issuing') < 0`)
	kiosk.WaitJS(empty)
	if got := kiosk.EvalString(`document.body.innerText`); containsAny(got, id, "13800138000") {
		t.Fatalf("the kiosk still shows the citizen's data after a refusal: %q", got)
	}
	// Nobody touches it: the kiosk returns to Chinese and clears the
	// refusal.
	kiosk.WaitJS(`HF.lang === 'zh' && document.getElementById('error').textContent === '' && !document.getElementById('opts').open`)
	kiosk.WaitText("#services", "社会民生")

	// Issued: the fields empty at once, and closing the slip returns to
	// Chinese.
	kiosk.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	kiosk.WaitText("#services", "Social Affairs")
	kiosk.Do(
		chromedp.Click(chromedp.CSS("#opts summary")),
		chromedp.SendKeys(chromedp.CSS("#idnumber"), "110105194912310038"),
		chromedp.SendKeys(chromedp.CSS("#phone"), "13800138001"),
		chromedp.Click(chromedp.CSS(`button.svc[data-service="B"]`)),
	)
	kiosk.WaitJS(`!document.getElementById('overlay').hidden`)
	kiosk.WaitJS(empty)
	kiosk.Do(chromedp.Click(chromedp.CSS("#done")))
	kiosk.WaitJS(`document.getElementById('overlay').hidden && HF.lang === 'zh'`)

	// Typed and walked away from: cleared after the idle time.
	kiosk.Do(
		chromedp.Click(chromedp.CSS("#opts summary")),
		chromedp.SendKeys(chromedp.CSS("#idnumber"), "1101051949"),
	)
	kiosk.WaitJS(`document.getElementById('idnumber').value === ''`)
}

func containsAny(s string, subs ...string) bool {
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			return true
		}
	}
	return false
}
