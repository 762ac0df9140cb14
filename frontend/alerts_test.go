package frontend_test

import (
	"fmt"
	"testing"

	"github.com/chromedp/chromedp"
)

// Two dashboards show the alerts the server decided, worded as it words
// them: a paused window appears on both, in Chinese, and in English after
// the language is switched; a window that resumes leaves both.
func TestDashboardsShowTheServersAlerts(t *testing.T) {
	h := startHall(t)
	one := openTab(t, h.url("/dashboard"), 1920, 1080)
	two := openTab(t, h.url("/dashboard"), 1366, 768)
	tok := h.login("1003")
	h.act(tok, "3", "open", nil)
	h.act(tok, "3", "pause", map[string]string{"reason": "午间休息"})
	const zh = "3 号窗口暂停：午间休息"
	has := func(text string) string {
		return fmt.Sprintf(`Array.from(document.querySelectorAll('#alerts li')).some(function (li) { return li.textContent === %q; })`, text)
	}
	one.WaitJS(has(zh))
	two.WaitJS(has(zh))
	one.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	one.WaitJS(has("Window 3 paused: 午间休息"))
	h.act(tok, "3", "resume", nil)
	two.WaitJS(`!` + has(zh))
	one.WaitJS(`!` + has("Window 3 paused: 午间休息"))
}
