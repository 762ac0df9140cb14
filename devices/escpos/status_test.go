package escpos_test

import (
	"testing"

	"hallfloor/devices/escpos"
	"hallfloor/equipment"
)

// The status bytes of the printer's manual turn into what a person must do.
func TestStatusFinding(t *testing.T) {
	ok := byte(0x12)
	for _, c := range []struct {
		name   string
		st     escpos.Status
		kind   string
		reason string
	}{
		{"ready", escpos.Status{ok, ok, ok, ok}, equipment.OK, equipment.PrinterReady},
		{"paper end sensor", escpos.Status{ok | 0x08, ok | 0x20, ok, ok | 0x6C}, equipment.Fault, equipment.PaperOut},
		{"stopped at paper end", escpos.Status{ok | 0x08, ok | 0x20, ok, ok}, equipment.Fault, equipment.PaperOut},
		{"cover open", escpos.Status{ok | 0x08, ok | 0x04, ok, ok}, equipment.Fault, equipment.CoverOpen},
		{"cutter", escpos.Status{ok | 0x08, ok | 0x40, ok | 0x08, ok}, equipment.Fault, equipment.PrinterError},
		{"offline", escpos.Status{ok | 0x08, ok, ok, ok}, equipment.Fault, equipment.PrinterOffline},
		{"near end", escpos.Status{ok, ok, ok, ok | 0x0C}, equipment.Alert, equipment.PaperLow},
	} {
		kind, f := c.st.Finding()
		if kind != c.kind || f.Reason != c.reason {
			t.Errorf("%s: %s %+v, want %s %s", c.name, kind, f, c.kind, c.reason)
		}
	}
	for b, want := range map[byte]bool{0x12: true, 0x1A: true, 0x72: true, 0x00: false, 0x13: false, 0x92: false, 0x02: false} {
		if escpos.IsStatus(b) != want {
			t.Errorf("IsStatus(%#02x) = %v", b, !want)
		}
	}
}
