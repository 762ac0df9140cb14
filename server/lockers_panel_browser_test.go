package server_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"hallfloor/frontend/browsertest"
)

// openPanel opens bank L1's panel and returns it with a way to type.
func openPanel(t *testing.T, h *lockHall) (*browsertest.Tab, func(string)) {
	t.Helper()
	panel := browsertest.Open(t, h.ts.URL+"/locker/L1", 1280, 900)
	panel.WaitText("#title", "L1")
	panel.WaitJS(`window.__hf && window.__hf.live && window.__hf.live.state === 'online'`)
	press := func(s string) {
		for _, c := range s {
			panel.Do(chromedp.Click(chromedp.CSS(fmt.Sprintf(`#keypad [data-k="%c"]`, c))))
		}
	}
	return panel, press
}

// fieldsEmpty is true when nothing the person typed is on the panel.
const fieldsEmpty = `document.getElementById('id').value === '' && document.getElementById('code').value === ''`

// TestLockerPanelLockoutIsTheIDsAlone: after five wrong codes for one ID
// the panel says how long that ID must wait, as a duration, and at once
// serves the next applicant, whose code opens their compartment.
func TestLockerPanelLockoutIsTheIDsAlone(t *testing.T) {
	h := startLockHall(t, nil)
	clerk := h.login("1001")
	h.depositStored(clerk, "2026-0600")
	other := deposit("2026-0601")
	other["id_number"] = otherID
	comp, code := h.depositStoredFor(clerk, other)

	panel, press := openPanel(t, h)
	for i := 1; i <= 5; i++ {
		if a := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": applicantID, "code": "000000"}); a.code != 401 {
			t.Fatalf("wrong try %d: %d %s", i, a.code, a.body)
		}
	}
	press(applicantID)
	press("000000")
	panel.Do(chromedp.Click(chromedp.CSS("#submit")))
	panel.WaitJS(`!document.getElementById('lockout').hidden`)
	msg := panel.Text("#lockout")
	if !regexp.MustCompile(`^该身份证号输错次数过多，请 1[45]分\d{1,2}秒后再试$`).MatchString(msg) || regexp.MustCompile(`\d:\d\d`).MatchString(msg) {
		t.Fatalf("lockout says %q, want the wait as minutes and seconds, not a clock time", msg)
	}
	var disabled bool
	panel.Eval(`document.getElementById('submit').disabled`, &disabled)
	if disabled {
		t.Fatal("the lockout of one ID disabled 开柜 for everyone")
	}
	panel.WaitJS(fieldsEmpty)

	// The next applicant.
	press(otherID)
	press(code)
	panel.WaitJS(`document.getElementById('lockout').hidden`)
	panel.Do(chromedp.Click(chromedp.CSS("#submit")))
	panel.WaitText("#opened-comp", comp)
	// The wrong tries were journaled but sent to no screen: the panel's
	// feed took the seqs they used without a gap or a second snapshot.
	h.event("locker.released")
	panel.WaitJS(`window.__hf.live.seq >= 0 && window.__hf.live.stats.events > 0`)
	var stats struct{ Gaps, Snapshots int }
	panel.Eval(`({gaps: window.__hf.live.stats.gaps, snapshots: window.__hf.live.stats.snapshots})`, &stats)
	if stats.Gaps != 0 || stats.Snapshots != 1 {
		t.Fatalf("the panel's live feed after private wrong tries: %+v, want no gap and one snapshot", stats)
	}
}

// TestLockerPanelForgetsThePerson: a wrong code clears the ID number too;
// a half-typed entry is forgotten after the idle time, and the panel is
// back in Chinese for the next person.
func TestLockerPanelForgetsThePerson(t *testing.T) {
	h := startLockHall(t, nil)
	h.depositStored(h.login("1001"), "2026-0700")
	panel, press := openPanel(t, h)

	press(applicantID)
	press("000000")
	panel.Do(chromedp.Click(chromedp.CSS("#submit")))
	panel.WaitText("#error", "身份证号或取件码不正确")
	panel.WaitJS(fieldsEmpty)

	// An English-speaking applicant types half an ID and walks away.
	panel.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	panel.WaitText("#submit", "Open")
	panel.Do(chromedp.Click(chromedp.CSS("#tab-dropoff")))
	panel.Eval(`window.__locker.idleMs = 300`, new(int))
	press("110105")
	panel.WaitJS(`document.getElementById('id').value === '110105'`)
	panel.WaitJS(fieldsEmpty + ` && HF.lang === 'zh' && document.getElementById('tab-pickup').getAttribute('aria-pressed') === 'true'`)
	panel.WaitText("#submit", "开柜")
}

// TestLockerAdminTimesInTheHallsZone: the locker page in a browser set to
// New York and American English shows every time in the hall's zone, in
// the Chinese form.
func TestLockerAdminTimesInTheHallsZone(t *testing.T) {
	h := startLockHall(t, nil)
	admin := browsertest.Open(t, "about:blank", 1280, 900)
	if _, err := chromedp.Call(admin.Context(), emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(admin.Context(), emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: "en-US"}); err != nil {
		t.Fatal(err)
	}
	admin.Do(chromedp.Navigate(h.ts.URL + "/lockers"))
	var browserZone string
	admin.Eval(`Intl.DateTimeFormat().resolvedOptions().timeZone`, &browserZone)
	if browserZone != "America/New_York" {
		t.Fatalf("the browser's zone is %s", browserZone)
	}
	admin.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS("#signin button[type=submit]")),
		chromedp.WaitVisible(chromedp.CSS("#deposit")),
	)
	admin.WaitJS(`window.__lockers.ready`)

	loc := h.eng.Setup().Location()
	at := h.clock() // the test's clock stands still: every event is at it
	comp, code := h.depositStored(h.login("1001"), "2026-0800")
	deadline := at.Add(7 * 24 * time.Hour).In(loc).Format("01-02 15:04")
	admin.WaitText(`[data-comp="L1/`+comp+`"]`, deadline)
	// The outbox lists the code's SMS at the time it was queued.
	admin.WaitText("#outbox", at.In(loc).Format("01-02 15:04"))

	if a := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": applicantID, "code": code}); a.code != 200 {
		t.Fatalf("pickup: %d %s", a.code, a.body)
	}
	h.event("locker.released")
	h.door(comp, true)
	h.event("locker.door_opened")
	h.door(comp, false)
	h.event("locker.picked_up")
	admin.WaitText("#alerts", at.In(loc).Format("15:04:05")+" ")
	admin.WaitText("#receipts", at.In(loc).Format("01-02 15:04"))
	body := admin.EvalString(`document.body.innerText`)
	if strings.Contains(body, " AM") || strings.Contains(body, " PM") {
		t.Fatalf("a time in the browser's locale on the page:\n%s", body)
	}
}
