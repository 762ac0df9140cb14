package config

import "testing"

func TestLEDValidation(t *testing.T) {
	tests := []struct {
		name    string
		devices string
		key     string // "" means valid
		msg     string
	}{
		{"valid", `
  led_controllers:
    - {name: led1, address: sim}
    - {name: led2, address: "10.0.0.7:5200", encoding: utf-8}
    - {name: led3, address: /dev/ttyUSB2, baud: 19200}
  windows:
    - {window: "1", led: {controller: led1, address: 1}}
    - {window: "2", led: {controller: led2, address: 1, width: 64}}
`, "", ""},
		{"controller twice", `
  led_controllers: [{name: led1, address: sim}, {name: led1, address: "10.0.0.7:5200"}]
`, "devices.led_controllers[1].name", "earlier LED controller"},
		{"no address", `
  led_controllers: [{name: led1}]
`, "devices.led_controllers[0].address", "missing"},
		{"address without port", `
  led_controllers: [{name: led1, address: 10.0.0.7}]
`, "devices.led_controllers[0].address", "host:port"},
		{"port out of range", `
  led_controllers: [{name: led1, address: "10.0.0.7:70000"}]
`, "devices.led_controllers[0].address", "1-65535"},
		{"baud on the network", `
  led_controllers: [{name: led1, address: "10.0.0.7:5200", baud: 9600}]
`, "devices.led_controllers[0].baud", "serial"},
		{"encoding", `
  led_controllers: [{name: led1, address: sim, encoding: big5}]
`, "devices.led_controllers[0].encoding", "GB18030"},
		{"bar on an unlisted controller", `
  windows: [{window: "1", led: {controller: led9, address: 1}}]
`, "devices.windows[0].led.controller", `"led9" is not one of`},
		{"bar address zero", `
  led_controllers: [{name: led1, address: sim}]
  windows: [{window: "1", led: {controller: led1}}]
`, "devices.windows[0].led.address", "between 1 and 255"},
		{"bar address too high", `
  led_controllers: [{name: led1, address: sim}]
  windows: [{window: "1", led: {controller: led1, address: 256}}]
`, "devices.windows[0].led.address", "between 1 and 255"},
		{"bar too narrow", `
  led_controllers: [{name: led1, address: sim}]
  windows: [{window: "1", led: {controller: led1, address: 1, width: 4}}]
`, "devices.windows[0].led.width", "between 8 and 64"},
		{"bar too wide", `
  led_controllers: [{name: led1, address: sim}]
  windows: [{window: "1", led: {controller: led1, address: 1, width: 65}}]
`, "devices.windows[0].led.width", "between 8 and 64"},
		{"one bar over two windows", `
  led_controllers: [{name: led1, address: sim}]
  windows:
    - {window: "1", led: {controller: led1, address: 3}}
    - {window: "2", led: {controller: led1, address: 3}}
`, "devices.windows[1].led.address", "already over another window (devices.windows[0].led)"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { expectProblem(t, hallWithDevices(tc.devices), tc.key, tc.msg) })
	}
}

func TestLEDControllerSerial(t *testing.T) {
	for addr, want := range map[string]bool{"/dev/ttyUSB0": true, "COM3": true, "com12": true,
		"com.example:5200": false, "10.0.0.7:5200": false, Sim: false} {
		if got := (LEDController{Address: addr}).Serial(); got != want {
			t.Errorf("%q serial: %v, want %v", addr, got, want)
		}
	}
}
