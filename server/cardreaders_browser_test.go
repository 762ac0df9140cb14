package server_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// A card on bank L1's reader fills the panel's ID field with the masked
// number and moves on to the code; the code typed, 开柜 opens the card
// holder's compartment. A keyboard reader's Enter after the number waits
// for the code instead of refusing.
func TestLockerPanelTakesACardRead(t *testing.T) {
	h := startLockHall(t, nil)
	comp, code := h.depositStored(h.login("1001"), "2026-0800")
	panel, press := openPanel(t, h)

	// The keyboard reader's way: the number and Enter.
	panel.Do(chromedp.KeyEvent(applicantID + "\r"))
	panel.WaitJS(`document.getElementById('id').value === '` + applicantID + `' && document.getElementById('code').classList.contains('focus')`)
	if got := panel.Text("#error"); got != "" {
		t.Fatalf("Enter after the number said %q", got)
	}
	panel.Do(chromedp.Click(chromedp.CSS("#tab-pickup"))) // starting again clears the fields
	panel.WaitJS(fieldsEmpty)

	// The serial reader's way.
	h.placeCard("locker:L1", applicantID)
	panel.WaitJS(`document.getElementById('id').value === '110105********002X' && document.getElementById('code').classList.contains('focus')`)
	panel.WaitText("#hint", "已读取身份证，请输入取件码")
	if got := panel.Text("body"); strings.Contains(got, applicantID) {
		t.Fatalf("the panel shows the whole number: %q", got)
	}
	press(code)
	panel.Do(chromedp.Click(chromedp.CSS("#submit")))
	panel.WaitText("#opened-comp", comp)
	h.event("locker.released")
}
