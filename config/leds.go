package config

import (
	"fmt"
	"net"
	"regexp"
	"strconv"
	"strings"
)

// The LED bars over the windows and the controllers that drive them (see
// docs/DEVICES.md, "LED bars").

// LEDEncodings are the encodings a controller may take its text in.
var LEDEncodings = []string{"GB18030", "UTF-8"}

// Limits of an LED bar as the controllers sold for halls have them.
const (
	LEDBarMaxAddress = 255 // a bar's number on its controller is one byte
	LEDMinWidth      = 8   // four Chinese characters
	LEDMaxWidth      = 64
	LEDDefaultWidth  = 16 // a 64×16 bar: eight Chinese characters
)

// Cells is the bar's width in cells, its default when not given.
func (b LEDBar) Cells() int {
	if b.Width == 0 {
		return LEDDefaultWidth
	}
	return b.Width
}

// Serial reports whether a controller's address is a serial device rather
// than host:port or the simulator.
func (c LEDController) Serial() bool {
	return strings.HasPrefix(c.Address, "/dev/") || comPortRE.MatchString(c.Address)
}

// comPortRE is a serial port as Windows names it.
var comPortRE = regexp.MustCompile(`^(?i:COM)[0-9]{1,3}$`)

// validateLEDs adds every problem of the LED controllers and the windows'
// bars.
func (h *Hall) validateLEDs(add func(key, format string, args ...any)) {
	d := h.Devices
	names := map[string]bool{}
	for i, c := range d.LEDControllers {
		key := fmt.Sprintf("devices.led_controllers[%d]", i)
		checkID(add, key+".name", c.Name, "LED controller", names)
		checkLEDAddress(add, key, c)
		if c.Encoding != "" && !containsFold(LEDEncodings, c.Encoding) {
			add(key+".encoding", "%q must be GB18030 (the default) or UTF-8", c.Encoding)
		}
		if c.Baud < 0 || c.Baud > 921600 {
			add(key+".baud", "%d must be between 0 (default 9600) and 921600", c.Baud)
		}
	}
	bars := map[string]string{} // controller/address → key that uses it
	for i, w := range d.Windows {
		b := w.LED
		if b == nil {
			continue
		}
		key := fmt.Sprintf("devices.windows[%d].led", i)
		if !names[b.Controller] {
			add(key+".controller", "%q is not one of devices.led_controllers", b.Controller)
		}
		if b.Address < 1 || b.Address > LEDBarMaxAddress {
			add(key+".address", "%d must be between 1 and %d", b.Address, LEDBarMaxAddress)
		}
		if n := b.Cells(); n < LEDMinWidth || n > LEDMaxWidth {
			add(key+".width", "%d cells must be between %d and %d (a Chinese character takes two)", n, LEDMinWidth, LEDMaxWidth)
		}
		bar := b.Controller + "/" + strconv.Itoa(b.Address)
		if first, ok := bars[bar]; ok {
			add(key+".address", "bar %d of %s is already over another window (%s); one bar per window", b.Address, b.Controller, first)
			continue
		}
		bars[bar] = key
	}
}

// checkLEDAddress checks that a controller's address says where it is: the
// simulator, a serial device, or host:port.
func checkLEDAddress(add func(key, format string, args ...any), key string, c LEDController) {
	switch {
	case strings.TrimSpace(c.Address) == "":
		add(key+".address", "missing; give host:port, a serial device such as /dev/ttyUSB0, or sim")
	case c.Address == Sim || c.Serial():
	default:
		host, port, err := net.SplitHostPort(c.Address)
		if err != nil || host == "" {
			add(key+".address", "%q must be host:port, a serial device such as /dev/ttyUSB0, or sim", c.Address)
		} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			add(key+".address", "%q: the port must be 1-65535", c.Address)
		}
	}
	if c.Baud != 0 && !c.Serial() {
		add(key+".baud", "only a serial controller has a baud rate")
	}
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
