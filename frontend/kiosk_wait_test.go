package frontend_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestKioskShowsTheWaitAsARange: the kiosk's button shows the forecast as
// a range of whole minutes, the range the hall view gives, and says it is
// a rough guess while nothing has been served yet; the slip shows the
// ticket's own range; the button speaks English on the toggle.
func TestKioskShowsTheWaitAsARange(t *testing.T) {
	h := startHall(t)
	for range 4 {
		h.call(201, "POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, nil)
	}
	var view struct {
		Services []struct {
			Code string
			Wait *struct {
				LowS      int  `json:"low_s"`
				HighS     int  `json:"high_s"`
				Uncertain bool `json:"uncertain"`
			} `json:"estimated_wait"`
		}
	}
	h.call(200, "GET", "/api/v1/hall", "", nil, &view)
	var lo, hi int
	for _, s := range view.Services {
		if s.Code == "A" {
			if s.Wait == nil || !s.Wait.Uncertain || s.Wait.HighS <= s.Wait.LowS {
				t.Fatalf("service A's estimated_wait is %+v, want a range marked uncertain", s.Wait)
			}
			lo, hi = s.Wait.LowS/60, int(math.Ceil(float64(s.Wait.HighS)/60))
		}
	}
	if lo <= 0 || hi <= lo {
		t.Fatalf("four waiting before anyone is served: a range of %d–%d minutes", lo, hi)
	}
	kiosk := openTab(t, h.url("/kiosk"), 1080, 1920)
	btn := `button.svc[data-service="A"] `
	kiosk.WaitText(btn+".meta", fmt.Sprintf("约 %d–%d 分钟", lo, hi))
	kiosk.WaitText(btn+".meta", "粗略估计")
	kiosk.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	kiosk.WaitText(btn+".meta", fmt.Sprintf("about %d–%d min", lo, hi))
	kiosk.WaitText(btn+".meta", "rough guess")
	kiosk.Do(chromedp.Click(chromedp.CSS("[data-lang-toggle]")))
	kiosk.WaitText(btn+".meta", "约")

	kiosk.Do(chromedp.Click(chromedp.CSS(btn)))
	kiosk.WaitText("#slip-number", "A005")
	var tk struct {
		Wait struct {
			LowS  int `json:"low_s"`
			HighS int `json:"high_s"`
		} `json:"estimated_wait"`
	}
	kiosk.Eval(`window.__hf.kiosk.last()`, &tk)
	want := fmt.Sprintf("约 %d–%d 分钟", tk.Wait.LowS/60, int(math.Ceil(float64(tk.Wait.HighS)/60)))
	if tk.Wait.HighS <= tk.Wait.LowS || tk.Wait.LowS < 60 {
		t.Fatalf("the fifth ticket's range is %+v", tk.Wait)
	}
	kiosk.WaitText("#slip-wait", want)
	kiosk.WaitText("#slip-wait", "粗略估计")
}

// TestTicketPageShowsTheWaitAsARange: the ticket page shows its ticket's
// forecast range in whole minutes, and that it is a rough guess.
func TestTicketPageShowsTheWaitAsARange(t *testing.T) {
	h := startHall(t)
	for range 3 {
		h.call(201, "POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, nil)
	}
	var tk struct {
		ID   string
		Wait *struct {
			LowS      int  `json:"low_s"`
			HighS     int  `json:"high_s"`
			Uncertain bool `json:"uncertain"`
		} `json:"estimated_wait"`
	}
	h.call(201, "POST", "/api/v1/tickets", "", map[string]string{"service": "A"}, &tk)
	if tk.Wait == nil || tk.Wait.LowS < 60 || !tk.Wait.Uncertain {
		t.Fatalf("the fourth ticket's estimated_wait is %+v, want a range of minutes, uncertain", tk.Wait)
	}
	page := openTab(t, h.url("/t/"+tk.ID), 412, 915)
	page.WaitText("#wait", fmt.Sprintf("约 %d–%d 分钟", tk.Wait.LowS/60, int(math.Ceil(float64(tk.Wait.HighS)/60))))
	page.WaitText("#wait", "粗略估计")
}
