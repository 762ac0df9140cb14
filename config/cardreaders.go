package config

import (
	"fmt"
	"slices"
)

// The 居民身份证 readers' modes.
const (
	// ReaderKeyboard types the number into the page's field itself, as a
	// keyboard would.
	ReaderKeyboard = "keyboard"
	// ReaderSerial is read by the server over a serial line.
	ReaderSerial = "serial"
)

// Bauds are the rates the readers' SAM modules can be set to.
var Bauds = []int{9600, 19200, 38400, 57600, 115200}

// Serial reports whether the reader is read by the server.
func (c *CardReader) Serial() bool { return c != nil && c.Mode == ReaderSerial }

// BaudRate is the reader's baud with its default.
func (c *CardReader) BaudRate() int {
	if c.Baud == 0 {
		return 115200
	}
	return c.Baud
}

// validateCardReaders adds the problems of the kiosks and of the locker
// banks' card readers. A kiosk is listed once, by its id; a serial port
// is read by one reader.
func (h *Hall) validateCardReaders(add func(key, format string, args ...any)) {
	d := h.Devices
	kiosks := map[string]bool{}
	ports := map[string]string{} // serial port → key of its reader
	for i, k := range d.Kiosks {
		key := fmt.Sprintf("devices.kiosks[%d]", i)
		checkID(add, key+".id", k.ID, "kiosk", kiosks)
		validateCardReader(add, key+".card_reader", k.CardReader, ports)
	}
	for i, b := range d.Lockers {
		validateCardReader(add, fmt.Sprintf("devices.lockers[%d].card_reader", i), b.CardReader, ports)
	}
}

func validateCardReader(add func(key, format string, args ...any), key string, c *CardReader, ports map[string]string) {
	if c == nil {
		return
	}
	switch c.Mode {
	case ReaderKeyboard:
		if c.Port != "" || c.Baud != 0 {
			add(key, "a keyboard reader types into the page: it has no port or baud")
		}
		return
	case ReaderSerial:
	default:
		add(key+".mode", "%q must be keyboard or serial", c.Mode)
		return
	}
	switch first, used := ports[c.Port]; {
	case c.Port == "":
		add(key+".port", "a serial reader needs its port (/dev/ttyUSB1), or sim for the simulated reader")
	case used && c.Port != Sim:
		add(key+".port", "port %q is already read by %s", c.Port, first)
	default:
		ports[c.Port] = key
	}
	if c.Baud != 0 && !slices.Contains(Bauds, c.Baud) {
		add(key+".baud", "%d must be 9600, 19200, 38400, 57600 or 115200 (0 for 115200)", c.Baud)
	}
}
