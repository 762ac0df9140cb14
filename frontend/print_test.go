package frontend_test

import (
	"context"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"hallfloor/frontend/browsertest"
)

var (
	pdfPage     = regexp.MustCompile(`/Type\s*/Page\b[^s]`)
	pdfMediaBox = regexp.MustCompile(`/MediaBox\s*\[\s*0\s+0\s+([0-9.]+)\s+([0-9.]+)\s*\]`)
)

// TestSlipPrintsOnOne80mmPage: the kiosk's slip, printed as Chromium prints
// it (to PDF, with the page size the page's CSS asks for, as a kiosk
// started with --kiosk-printing does), is one page 80 mm wide, not two
// US-Letter pages.
func TestSlipPrintsOnOne80mmPage(t *testing.T) {
	h := startHall(t)
	kiosk := openTab(t, h.url("/kiosk"), 1080, 1920)
	kiosk.WaitJS(`document.querySelector('button.svc[data-service="A"]') !== null`)
	kiosk.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)))
	kiosk.WaitText("#slip-number", "A001")
	kiosk.WaitJS(`document.getElementById('slip-qr').complete && document.getElementById('slip-qr').naturalWidth > 0`)

	ctx, cancel := context.WithTimeout(kiosk.Context(), browsertest.Step)
	defer cancel()
	yes := true
	res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
	if err != nil {
		t.Fatal(err)
	}
	pages := len(pdfPage.FindAll(res.Data, -1))
	box := pdfMediaBox.FindSubmatch(res.Data)
	if box == nil {
		t.Fatalf("no page size in the PDF (%d pages)", pages)
	}
	w, _ := strconv.ParseFloat(string(box[1]), 64)
	hgt, _ := strconv.ParseFloat(string(box[2]), 64)
	const mm = 72 / 25.4 // PDF points per millimetre
	t.Logf("%d page(s), %.1f × %.1f mm", pages, w/mm, hgt/mm)
	if pages != 1 {
		t.Errorf("the slip prints on %d pages, want 1", pages)
	}
	if w/mm < 79 || w/mm > 81 {
		t.Errorf("the page is %.1f mm wide, want 80 mm", w/mm)
	}
}
