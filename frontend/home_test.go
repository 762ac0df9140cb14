package frontend_test

import (
	"slices"
	"testing"
)

// TestHomeLinksEveryFace: the home page links every face of the hall, the
// locker bank's panel, the lockers' page and the devices page among them,
// and every link it offers opens a page.
func TestHomeLinksEveryFace(t *testing.T) {
	h := startHall(t)
	home := openTab(t, h.url("/"), 1440, 900)
	home.WaitJS(`document.querySelectorAll('#counters a').length === 8 && document.querySelectorAll('#lockerpanels a').length > 0`)
	var links []string
	home.Eval(`Array.from(document.querySelectorAll('main a')).map(a => a.getAttribute('href'))`, &links)
	for _, want := range []string{"/kiosk", "/screen/hall", "/dashboard", "/locker/L1", "/lockers", "/devices", "/counter/1", "/evaluate/8"} {
		if !slices.Contains(links, want) {
			t.Errorf("the home page does not link %s; it links %v", want, links)
		}
	}
	// Each link is a page of this hall, not a 404.
	var bad []string
	home.EvalAsync(`(async () => {
		const bad = [];
		for (const a of document.querySelectorAll('main a')) {
			const r = await fetch(a.href);
			if (!r.ok || !(r.headers.get('Content-Type') || '').startsWith('text/html')) bad.push(a.getAttribute('href') + ' ' + r.status);
		}
		return bad;
	})()`, &bad)
	if len(bad) > 0 {
		t.Errorf("home links that open no page: %v", bad)
	}
	if got := home.Text(`#lockerpanels a[href="/locker/L1"]`); got != "L1" {
		t.Errorf("the locker panel's link reads %q", got)
	}
}
