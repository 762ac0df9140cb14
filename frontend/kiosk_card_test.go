package frontend_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"hallfloor/config"
)

// A card on kiosk K1's serial reader shows on /kiosk?kiosk=K1 masked, never
// whole; the number taken with it is the holder's and, the holder being 70
// or older, a priority one, shown so on the slip.
func TestKioskTakesASerialCardRead(t *testing.T) {
	h := startHall(t)
	const elder = "11010519491231002X" // 76 or more: the demo hall's priority_age is 70
	kiosk := openTab(t, h.url("/kiosk?kiosk=K1"), 1080, 1920)
	kiosk.WaitJS(`document.body.classList.contains('online') && document.querySelector('button.svc[data-service="A"]') !== null`)
	h.call(202, "POST", "/api/v1/sim/card-readers/kiosk:K1", h.login("admin"), map[string]string{"id_number": elder}, nil)
	kiosk.WaitJS(`document.getElementById('idnumber').value === '110105********002X' && document.getElementById('opts').open`)
	kiosk.WaitText("#error", "已读取身份证，请选择业务")
	if got := kiosk.EvalString(`document.body.innerText + document.getElementById('idnumber').value`); strings.Contains(got, elder) {
		t.Fatalf("the kiosk shows the whole number: %q", got)
	}
	kiosk.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)))
	kiosk.WaitJS(`!document.getElementById('overlay').hidden`)
	kiosk.WaitText("#slip-service", "优先")
	kiosk.WaitJS(`document.getElementById('idnumber').value === ''`)
}

// A keyboard reader types into the ID field, which the kiosk keeps focused:
// Enter ends the number and the citizen picks a service; a number the
// reader garbled is refused with the words a typed one gets.
func TestKioskTakesAKeyboardCardRead(t *testing.T) {
	h := startHallWith(t, func(c *config.Hall) {
		c.Devices.Kiosks = []config.KioskDevices{{ID: "K1", CardReader: &config.CardReader{Mode: config.ReaderKeyboard}}}
	}, nil)
	kiosk := openTab(t, h.url("/kiosk?kiosk=K1"), 1080, 1920)
	kiosk.WaitJS(`document.body.classList.contains('online') && document.activeElement === document.getElementById('idnumber') && document.getElementById('opts').open`)
	kiosk.Do(chromedp.KeyEvent("110105194912310021\r")) // a wrong check character
	kiosk.WaitText("#error", "已读取身份证，请选择业务")
	kiosk.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)))
	kiosk.WaitText("#error", "身份证号不正确，请核对")
	// The focus is back on the field for the next card.
	kiosk.WaitJS(`document.activeElement === document.getElementById('idnumber')`)
	kiosk.Do(chromedp.KeyEvent("11010519491231002X\r"))
	kiosk.Do(chromedp.Click(chromedp.CSS(`button.svc[data-service="A"]`)))
	kiosk.WaitJS(`!document.getElementById('overlay').hidden`)
	if got := kiosk.EvalString(`document.getElementById('slip-service').textContent`); strings.Contains(got, "优先") {
		t.Fatalf("a typed (keyboard) number made a priority number: %q", got)
	}
}
