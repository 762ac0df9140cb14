package frontend_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
)

// openAbroad opens a page in a browser set to New York's zone and an
// American locale, as a hall PC set up by a careless hand would be.
func openAbroad(t *testing.T, url string, width, height int64) *tab {
	t.Helper()
	tb := openTab(t, "about:blank", width, height)
	if _, err := chromedp.Call(tb.Context(), emulation.SetTimezoneOverride, emulation.SetTimezoneOverrideParams{TimezoneID: "America/New_York"}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(tb.Context(), emulation.SetLocaleOverride, emulation.SetLocaleOverrideParams{Locale: "en-US"}); err != nil {
		t.Fatal(err)
	}
	tb.Do(chromedp.Navigate(url))
	return tb
}

// oneOf is the form of each moment between from and to, a minute apart:
// what a page may show for a time taken between the two.
func oneOf(from, to time.Time, loc *time.Location, layout string) []string {
	var out []string
	for at := from.Truncate(time.Minute); !at.After(to); at = at.Add(time.Minute) {
		out = append(out, at.In(loc).Format(layout))
	}
	return out
}

func containsOneOf(s string, want []string) bool {
	for _, w := range want {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// TestTimesInTheHallsZone: the kiosk's clock and slip, and the ticket
// page, show the hall's time in the Chinese form on a browser whose zone
// and locale are another's.
func TestTimesInTheHallsZone(t *testing.T) {
	h := startHall(t)
	loc := shanghai(t)

	before := time.Now()
	kiosk := openAbroad(t, h.url("/kiosk"), 1080, 1920)
	kiosk.WaitJS(`document.body.classList.contains('online') && HF.zone === 'Asia/Shanghai'`)
	kiosk.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)))
	kiosk.WaitJS(`document.getElementById('slip-time').textContent !== ''`)
	clock := kiosk.EvalString(`document.getElementById('clock').textContent`)
	slip := kiosk.EvalString(`document.getElementById('slip-time').textContent`)
	after := time.Now()
	if want := oneOf(before, after, loc, "15:04"); !containsOneOf(clock, want) {
		t.Errorf("the kiosk's clock shows %q, want one of %v (the hall's time)", clock, want)
	}
	if want := oneOf(before, after, loc, "2006-01-02 15:04"); !containsOneOf(slip, want) {
		t.Errorf("the slip says %q, want one of %v (the hall's time, Chinese form)", slip, want)
	}

	tk := h.issue("B")
	var issued struct {
		IssuedAt time.Time `json:"issued_at"`
	}
	h.call(200, "GET", "/api/v1/tickets/"+tk.ID, "", nil, &issued)
	page := openAbroad(t, h.url("/t/"+tk.ID+"?k="+tk.Key), 420, 900)
	page.WaitJS(`document.getElementById('issued').textContent !== ''`)
	if got, want := page.EvalString(`document.getElementById('issued').textContent`), issued.IssuedAt.In(loc).Format("15:04"); !strings.HasSuffix(got, want) {
		t.Errorf("the ticket page says %q, want it issued at %s (the hall's time)", got, want)
	}
}
