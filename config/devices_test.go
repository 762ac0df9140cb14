package config

import (
	"errors"
	"strings"
	"testing"
)

// hallWithDevices is a minimal valid hall with the given devices section.
func hallWithDevices(devices string) []byte {
	return []byte(`
hall: {name: 测试大厅, demo: true}
calendar: {always_open: true}
services:
  - {code: A, name: 社会民生, kind: intake}
windows:
  - {id: "1", services: [A]}
  - {id: "2", services: [A]}
staff:
  - {id: "1001", name: 王丽娟, role: clerk, password: demo}
devices:
` + devices)
}

func TestDevicesValidation(t *testing.T) {
	tests := []struct {
		name    string
		devices string
		key     string // the key the problem must name; "" means valid
		msg     string
	}{
		{"valid", `
  windows:
    - window: "1"
      buttons: {next: GPIO17, pause: {pin: GPIO18, active: high, pull: down}}
      lamp: GPIO24
      evaluator: [GPIO5, GPIO6, GPIO13, GPIO19, GPIO26]
  expanders: [{name: io1, chip: MCP23017, address: 0x20}]
  lockers:
    - id: L1
      compartments: [{id: "01", size: S, relay: io1:A0, door: io1:B0}]
`, "", ""},
		{"unknown board pin", `
  windows: [{window: "1", buttons: {next: GPIO40}}]
`, "devices.windows[0].buttons.next", "unknown pin"},
		{"misspelt pin", `
  windows: [{window: "1", buttons: {next: PIN17}}]
`, "devices.windows[0].buttons.next", "unknown pin"},
		{"pin used twice", `
  windows:
    - {window: "1", buttons: {next: GPIO17}}
    - {window: "2", lamp: GPIO17}
`, "devices.windows[1].lamp", "already used by devices.windows[0].buttons.next"},
		{"window that does not exist", `
  windows: [{window: "9", buttons: {next: GPIO17}}]
`, "devices.windows[0].window", `no window "9"`},
		{"window listed twice", `
  windows: [{window: "1", buttons: {next: GPIO17}}, {window: "1", lamp: GPIO18}]
`, "devices.windows[1].window", "list each window once"},
		{"evaluator with four keys", `
  windows: [{window: "1", evaluator: [GPIO5, GPIO6, GPIO13, GPIO19]}]
`, "devices.windows[0].evaluator", "5 keys"},
		{"expander not listed", `
  windows: [{window: "1", buttons: {next: io9:A0}}]
`, "devices.windows[0].buttons.next", `expander "io9"`},
		{"expander pin beyond B7", `
  expanders: [{name: io1, chip: MCP23017, address: 0x20}]
  windows: [{window: "1", buttons: {next: io1:C0}}]
`, "devices.windows[0].buttons.next", "unknown pin"},
		{"expander pull-down", `
  expanders: [{name: io1, chip: MCP23017, address: 0x20}]
  windows: [{window: "1", buttons: {next: {pin: io1:A0, pull: down}}}]
`, "devices.windows[0].buttons.next", "pull-up resistors only"},
		{"I2C pins taken by the expander", `
  expanders: [{name: io1, chip: MCP23017, address: 0x20}]
  windows: [{window: "1", buttons: {next: GPIO2}}]
`, "devices.windows[0].buttons.next", "I²C"},
		{"expander address", `
  expanders: [{name: io1, chip: MCP23017, address: 0x40}]
`, "devices.expanders[0].address", "0x20"},
		{"expander chip", `
  expanders: [{name: io1, chip: PCF8574, address: 0x20}]
`, "devices.expanders[0].chip", "MCP23017"},
		{"bad active level", `
  windows: [{window: "1", lamp: {pin: GPIO24, active: on}}]
`, "devices.windows[0].lamp", "high or low"},
		{"pull on an output", `
  windows: [{window: "1", lamp: {pin: GPIO24, pull: up}}]
`, "devices.windows[0].lamp", "output"},
		{"compartment size", `
  lockers: [{id: L1, compartments: [{id: "01", size: XL, relay: GPIO20, door: GPIO21}]}]
`, "devices.lockers[0].compartments[0].size", "S, M or L"},
		{"compartment twice", `
  lockers: [{id: L1, compartments: [{id: "01", size: S, relay: GPIO20, door: GPIO21}, {id: "01", size: S, relay: GPIO16, door: GPIO12}]}]
`, "devices.lockers[0].compartments[1].id", "earlier compartment"},
		{"door pin missing", `
  lockers: [{id: L1, compartments: [{id: "01", size: S, relay: GPIO20}]}]
`, "devices.lockers[0].compartments[0].door", "names no pin"},
		{"confirm shorter than pulse", `
  lockers: [{id: L1, pulse_ms: 2000, confirm_s: 1, compartments: [{id: "01", size: S, relay: GPIO20, door: GPIO21}]}]
`, "devices.lockers[0].confirm_s", "pulse time"},
		{"debounce too long", `
  debounce_ms: 5000
`, "devices.debounce_ms", "between"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { expectProblem(t, hallWithDevices(tc.devices), tc.key, tc.msg) })
	}
}

// expectProblem parses a hall file that must be valid (key "") or have a
// problem at key whose message holds msg.
func expectProblem(t *testing.T, hall []byte, key, msg string) {
	t.Helper()
	_, err := Parse(hall)
	if key == "" {
		if err != nil {
			t.Fatalf("valid hall refused: %v", err)
		}
		return
	}
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("want problem at %s, got %v", key, err)
	}
	for _, p := range ps {
		if p.Key == key && strings.Contains(p.Message, msg) {
			return
		}
	}
	t.Fatalf("want problem at %s containing %q, got:\n%v", key, msg, ps)
}

func TestPinUnknownKeyRefused(t *testing.T) {
	_, err := Parse(hallWithDevices(`
  windows: [{window: "1", lamp: {pin: GPIO24, activ: high}}]
`))
	if err == nil || !strings.Contains(err.Error(), "activ") {
		t.Fatalf("a misspelt pin key must be named, got %v", err)
	}
}

func TestPinWiringDefaults(t *testing.T) {
	tests := []struct {
		pin      Pin
		role     PinRole
		wantHigh bool
		wantPull string
	}{
		{Pin{Name: "GPIO17"}, RoleButton, false, "up"},
		{Pin{Name: "GPIO5"}, RoleEvaluator, false, "up"},
		{Pin{Name: "GPIO21"}, RoleDoor, true, "up"},
		{Pin{Name: "GPIO24"}, RoleLamp, true, ""},
		{Pin{Name: "GPIO20"}, RoleRelay, true, ""},
		{Pin{Name: "GPIO17", Active: "high", Pull: "down"}, RoleButton, true, "down"},
		{Pin{Name: "GPIO20", Active: "low"}, RoleRelay, false, ""},
	}
	for _, tc := range tests {
		high, pull := tc.pin.Wiring(tc.role)
		if high != tc.wantHigh || pull != tc.wantPull {
			t.Errorf("%v as %s: got active-high=%v pull=%q, want %v %q", tc.pin, tc.role, high, pull, tc.wantHigh, tc.wantPull)
		}
	}
}

// The demo hall is what the issue promises a visitor: buttons and a lamp at
// every window, an evaluator at every intake window, and a locker bank of at
// least 12 compartments in three sizes.
func TestDemoDevices(t *testing.T) {
	h := Demo()
	byWindow := map[string]WindowDevices{}
	for _, w := range h.Devices.Windows {
		byWindow[w.Window] = w
	}
	for _, w := range h.Windows {
		d, ok := byWindow[w.ID]
		if !ok || len(d.Buttons.Actions()) != 4 || d.Lamp == nil {
			t.Errorf("window %s: want four buttons and a lamp, got %+v", w.ID, d)
		}
		intake := false
		for _, code := range w.Services {
			for _, s := range h.Services {
				if s.Code == code && s.Kind == "intake" {
					intake = true
				}
			}
		}
		if intake && len(d.Evaluator) != 5 {
			t.Errorf("intake window %s has no evaluator", w.ID)
		}
	}
	if len(h.Devices.Lockers) == 0 {
		t.Fatal("no locker bank")
	}
	sizes := map[string]int{}
	n := 0
	for _, c := range h.Devices.Lockers[0].Compartments {
		sizes[c.Size]++
		n++
	}
	if n < 12 || len(sizes) != 3 {
		t.Errorf("want >= 12 compartments in 3 sizes, got %d in %v", n, sizes)
	}
}
