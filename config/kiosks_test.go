package config

import (
	"errors"
	"strings"
	"testing"
)

// Each problem of a kiosk's printer is named at its key.
func TestKioskPrinterValidation(t *testing.T) {
	for _, tc := range []struct {
		name, kiosks, key, msg string
	}{
		{"valid", `
    - {id: K1, address: 10.0.0.21, printer: {address: 10.0.0.31}}
    - {id: K2, printer: {address: "10.0.0.32:9101", encoding: gbk, dots: 384}}
    - {id: K3, address: 10.0.1.0/24, printer: {address: /dev/usb/lp0}}
    - {id: K4, printer: {address: sim}}
    - {id: K5, printer: {address: sim}}
    - {id: K6, printer: {address: "fe80::31"}}
    - {id: K7}
`, "", ""},
		{"no address", `[{id: K1, printer: {encoding: GB18030}}]`, "devices.kiosks[0].printer.address", "names no printer"},
		{"a URL", `[{id: K1, printer: {address: "http://10.0.0.31"}}]`, "devices.kiosks[0].printer.address", "not an address"},
		{"bad port", `[{id: K1, printer: {address: "10.0.0.31:91x"}}]`, "devices.kiosks[0].printer.address", "port"},
		{"no host", `[{id: K1, printer: {address: ":9100"}}]`, "devices.kiosks[0].printer.address", "names no host"},
		{"untidy path", `[{id: K1, printer: {address: /dev/usb//lp0}}]`, "devices.kiosks[0].printer.address", "not a device path"},
		{"shared printer", `[{id: K1, printer: {address: 10.0.0.31}}, {id: K2, printer: {address: 10.0.0.31}}]`,
			"devices.kiosks[1].printer.address", `printer of kiosk "K1"`},
		{"encoding", `[{id: K1, printer: {address: sim, encoding: Big5}}]`, "devices.kiosks[0].printer.encoding", "GB18030"},
		{"dots", `[{id: K1, printer: {address: sim, dots: 2000}}]`, "devices.kiosks[0].printer.dots", "384"},
		{"duplicate kiosk", `[{id: K1}, {id: K1}]`, "devices.kiosks[1].id", "earlier kiosk"},
		{"kiosk id", `[{id: "K 1"}]`, "devices.kiosks[0].id", "letters"},
		{"kiosk address", `[{id: K1, address: kiosk-1}]`, "devices.kiosks[0].address", "not an address"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(hallWithDevices("  kiosks: " + tc.kiosks + "\n"))
			if tc.key == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want a problem at %s, got %v", tc.key, err)
			}
			for _, p := range ps {
				if p.Key == tc.key && strings.Contains(p.Message, tc.msg) {
					return
				}
			}
			t.Fatalf("want %s: …%s…, got %v", tc.key, tc.msg, ps)
		})
	}
}
