package config

import (
	"errors"
	"strings"
	"testing"
)

func TestBusValidation(t *testing.T) {
	const bus = `
  buses: [{name: bus1, port: sim}]
`
	tests := []struct {
		name    string
		devices string
		key     string // "" means valid
		msg     string
	}{
		{"valid", bus + `
  windows:
    - {window: "1", buttons: {next: bus1@3:key1, recall: bus1@3:key2}, display: bus1@3, lamp: GPIO24}
  lockers:
    - id: L1
      compartments: [{id: "01", size: S, relay: bus1@10:lock1, door: bus1@10:door1}]
`, "", ""},
		{"bus not listed", `
  windows: [{window: "1", buttons: {next: bus9@3:key1}}]
`, "devices.windows[0].buttons.next", `bus "bus9"`},
		{"address 0", bus + `
  windows: [{window: "1", buttons: {next: bus1@0:key1}}]
`, "devices.windows[0].buttons.next", "between 1 and 247"},
		{"address 248", bus + `
  windows: [{window: "1", buttons: {next: bus1@248:key1}}]
`, "devices.windows[0].buttons.next", "between 1 and 247"},
		{"item 0", bus + `
  windows: [{window: "1", buttons: {next: bus1@3:key0}}]
`, "devices.windows[0].buttons.next", "numbered 1 to 64"},
		{"unknown item", bus + `
  windows: [{window: "1", buttons: {next: bus1@3:button1}}]
`, "devices.windows[0].buttons.next", "unknown bus pin"},
		{"a key as a relay", bus + `
  lockers: [{id: L1, compartments: [{id: "01", size: S, relay: bus1@10:key1, door: bus1@10:door1}]}]
`, "devices.lockers[0].compartments[0].relay", "is a lock"},
		{"caller and lock board at one address", bus + `
  windows: [{window: "1", buttons: {next: bus1@3:key1}}]
  lockers: [{id: L1, compartments: [{id: "01", size: S, relay: bus1@3:lock1, door: bus1@3:door1}]}]
`, "devices.lockers[0].compartments[0].relay", "cannot also be a lock board"},
		{"display on a lock board", bus + `
  windows: [{window: "1", display: bus1@10}]
  lockers: [{id: L1, compartments: [{id: "01", size: S, relay: bus1@10:lock1, door: bus1@10:door1}]}]
`, "devices.lockers[0].compartments[0].relay", "cannot also be a lock board"},
		{"display misspelt", bus + `
  windows: [{window: "1", display: bus1:3}]
`, "devices.windows[0].display", "unknown display"},
		{"display bus not listed", bus + `
  windows: [{window: "1", display: bus2@3}]
`, "devices.windows[0].display", `bus "bus2"`},
		{"pull on a bus pin", bus + `
  windows: [{window: "1", buttons: {next: {pin: bus1@3:key1, pull: up}}}]
`, "devices.windows[0].buttons.next", "no active level or pull"},
		{"bus pin used twice", bus + `
  windows: [{window: "1", buttons: {next: bus1@3:key1, skip: bus1@3:key1}}]
`, "devices.windows[0].buttons.skip", "already used"},
		{"bus name twice", `
  buses: [{name: bus1, port: /dev/ttyUSB0}, {name: bus1, port: /dev/ttyUSB1}]
`, "devices.buses[1].name", "earlier bus"},
		{"port missing", `
  buses: [{name: bus1}]
`, "devices.buses[0].port", "names no serial port"},
		{"port twice", `
  buses: [{name: bus1, port: /dev/ttyUSB0}, {name: bus2, port: /dev/ttyUSB0}]
`, "devices.buses[1].port", "already the port of devices.buses[0]"},
		{"baud", `
  buses: [{name: bus1, port: sim, baud: 9601}]
`, "devices.buses[0].baud", "not a serial rate"},
		{"parity", `
  buses: [{name: bus1, port: sim, parity: X}]
`, "devices.buses[0].parity", "N (none), E (even) or O (odd)"},
		{"stop bits", `
  buses: [{name: bus1, port: sim, stop_bits: 3}]
`, "devices.buses[0].stop_bits", "1 or 2"},
		{"timeout", `
  buses: [{name: bus1, port: sim, timeout_ms: -1}]
`, "devices.buses[0].timeout_ms", "between"},
		{"retries", `
  buses: [{name: bus1, port: sim, retries: 11}]
`, "devices.buses[0].retries", "between"},
		{"poll", `
  buses: [{name: bus1, port: sim, poll_ms: 20000}]
`, "devices.buses[0].poll_ms", "between"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(hallWithDevices(tc.devices))
			if tc.key == "" {
				if err != nil {
					t.Fatalf("valid devices refused: %v", err)
				}
				return
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("want problem at %s, got %v", tc.key, err)
			}
			for _, p := range ps {
				if p.Key == tc.key && strings.Contains(p.Message, tc.msg) {
					return
				}
			}
			t.Fatalf("want problem at %s containing %q, got:\n%v", tc.key, tc.msg, ps)
		})
	}
}

func TestBusPinsSplit(t *testing.T) {
	d := Devices{
		Buses:   []Bus{{Name: "bus1", Port: Sim}},
		Windows: []WindowDevices{{Window: "1", Buttons: Buttons{Next: &Pin{Name: "bus1@3:key1"}, Skip: &Pin{Name: "GPIO17"}}}},
	}
	if g, b := d.GPIOPins(), d.BusPins(); len(g) != 1 || g[0].Pin.Name != "GPIO17" || len(b) != 1 || b[0].Pin.Name != "bus1@3:key1" {
		t.Fatalf("GPIO pins %v, bus pins %v", g, b)
	}
	p, ok := SplitBusPin("bus1@10:door3")
	if !ok || p != (BusPin{Bus: "bus1", Address: 10, Item: BusDoor, N: 3}) || p.Unit() != "bus1@10" {
		t.Fatalf("bus1@10:door3 parsed as %+v, %v", p, ok)
	}
}
