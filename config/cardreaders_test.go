package config

import (
	"strings"
	"testing"
)

// What `hallfloor check` says of the card readers: the mode, a serial
// reader's port and baud, a port read twice, a kiosk's id, the age.
func TestCardReaderValidation(t *testing.T) {
	bank := func(reader string) string {
		return `
  lockers: [{id: L1, card_reader: ` + reader + `, compartments: [{id: "01", size: S, relay: GPIO20, door: GPIO21}]}]
`
	}
	tests := []struct {
		name, devices, key, msg string
	}{
		{"valid", `
  kiosks:
    - {id: K1, card_reader: {mode: serial, port: /dev/ttyUSB1, baud: 9600}}
    - {id: K2, card_reader: {mode: keyboard}}
    - {id: K3, card_reader: {mode: serial, port: sim}}
` + bank("{mode: serial, port: sim}"), "", ""},
		{"mode", `
  kiosks: [{id: K1, card_reader: {mode: usb}}]
`, "devices.kiosks[0].card_reader.mode", "keyboard or serial"},
		{"no mode", `
  kiosks: [{id: K1, card_reader: {port: /dev/ttyUSB1}}]
`, "devices.kiosks[0].card_reader.mode", "keyboard or serial"},
		{"serial without port", `
  kiosks: [{id: K1, card_reader: {mode: serial}}]
`, "devices.kiosks[0].card_reader.port", "needs its port"},
		{"keyboard with port", `
  kiosks: [{id: K1, card_reader: {mode: keyboard, port: /dev/ttyUSB1}}]
`, "devices.kiosks[0].card_reader", "no port"},
		{"baud", `
  kiosks: [{id: K1, card_reader: {mode: serial, port: /dev/ttyUSB1, baud: 14400}}]
`, "devices.kiosks[0].card_reader.baud", "115200"},
		{"port twice", `
  kiosks: [{id: K1, card_reader: {mode: serial, port: /dev/ttyUSB1}}]
` + bank("{mode: serial, port: /dev/ttyUSB1}"), "devices.lockers[0].card_reader.port", "devices.kiosks[0].card_reader"},
		{"locker reader mode", bank("{mode: nfc}"), "devices.lockers[0].card_reader.mode", "keyboard or serial"},
		{"kiosk id", `
  kiosks: [{id: "K 1"}]
`, "devices.kiosks[0].id", "letters"},
		{"kiosk twice", `
  kiosks: [{id: K1}, {id: K1}]
`, "devices.kiosks[1].id", "earlier"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { expectProblem(t, hallWithDevices(tc.devices), tc.key, tc.msg) })
	}
	h := strings.Replace(string(hallWithDevices("")), "calendar:", "queue: {priority_age: 200}\ncalendar:", 1)
	expectProblem(t, []byte(h), "queue.priority_age", "between 0 (off) and 120")
}
