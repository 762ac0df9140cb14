package server_test

import (
	"testing"

	"github.com/chromedp/chromedp"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
	"hallfloor/frontend/browsertest"
	"hallfloor/whatif"
)

// TestWhatIfPageInBrowser: a manager runs the day with one window per
// service each hour, takes service A's window away at 10:00 and runs it
// again: the figures and the p90 chart change with the roster.
func TestWhatIfPageInBrowser(t *testing.T) {
	h := config.Demo()
	run := apptest.Start(t, app.Options{Hall: h, WhatIf: whatif.New(h)})
	tab := browsertest.Open(t, run.URL+"/whatif", 1366, 900)
	tab.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS(`#signin button[type="submit"]`)),
	)
	tab.WaitJS(`document.querySelector('input[data-hour="10"][data-service="A"]') !== null`)
	tab.WaitText("h1", "排班模拟")

	tab.Do(chromedp.Click(chromedp.CSS("#run")))
	tab.WaitJS(`window.__hf.whatif.answer() !== null && !document.getElementById('result').hidden`)
	idle, within := tab.Text("#k-idle"), tab.Text("#k-within")
	chart := tab.EvalString(`document.getElementById('chart').innerHTML`)
	bar := tab.EvalString(`document.querySelector('#p90-chart rect[data-hour="10"][data-service="A"]').getAttribute('data-value')`)
	if tab.EvalString(`String(document.querySelectorAll('#p90-chart rect[data-service]').length)`) == "0" ||
		!tab.HiddenJS(`#error[data-hf-error]`) {
		t.Fatalf("no bars drawn, or a refusal: %s", tab.Text("#error"))
	}

	// A's one window at 10:00 taken away, and the day run again.
	var ok bool
	tab.Eval(`(function () {
		window.__before = window.__hf.whatif.answer();
		var i = document.querySelector('input[data-hour="10"][data-service="A"]');
		i.value = '0';
		i.dispatchEvent(new Event('change'));
		return true;
	})()`, &ok)
	tab.Do(chromedp.Click(chromedp.CSS("#run")))
	tab.WaitJS(`window.__hf.whatif.answer() !== window.__before && !document.getElementById('run').disabled`)
	if got := tab.Text("#k-idle"); got == idle {
		t.Errorf("idle minutes stayed %s with a window fewer", got)
	}
	if got := tab.EvalString(`document.getElementById('chart').innerHTML`); got == chart {
		t.Error("the p90 chart did not change")
	}
	after := tab.EvalString(`document.querySelector('#p90-chart rect[data-hour="10"][data-service="A"]').getAttribute('data-value')`)
	if after == bar {
		t.Errorf("A's p90 at 10:00 stayed %s with no window for it", after)
	}
	t.Logf("idle %s → %s, within %s → %s, A at 10:00 p90 %s → %s", idle, tab.Text("#k-idle"), within, tab.Text("#k-within"), bar, after)

	tab.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	tab.WaitText("h1", "Roster what-if")
}
