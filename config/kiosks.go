package config

import (
	"fmt"
	"net"
	"path"
	"strconv"
	"strings"
)

// PrinterEncodings are the encodings of Chinese text a slip printer may
// be set to: GB18030 (the default) or its older subset GBK.
var PrinterEncodings = []string{"GB18030", "GBK"}

// The widths in dots a printer may have: 384 on 58 mm paper, 576 on 80 mm
// (the default when 0), up to a wide 104 mm head.
const (
	minPrinterDots = 384
	maxPrinterDots = 832
)

// validateKiosks adds every problem of devices.kiosks.
func (d Devices) validateKiosks(add func(key, format string, args ...any)) {
	ids := map[string]bool{}
	printers := map[string]string{} // printer address → the kiosk that has it
	for i, k := range d.Kiosks {
		key := fmt.Sprintf("devices.kiosks[%d]", i)
		checkID(add, key+".id", k.ID, "kiosk", ids)
		if a := strings.TrimSpace(k.Address); a != "" {
			if _, err := parsePrefix(a); err != nil {
				add(key+".address", "%v", err)
			}
		}
		if k.Printer == nil {
			continue
		}
		p := *k.Printer
		if msg := printerAddressProblem(p.Address); msg != "" {
			add(key+".printer.address", "%s", msg)
		} else if first, ok := printers[p.Address]; ok && p.Address != Sim {
			add(key+".printer.address", "%q is already the printer of kiosk %q", p.Address, first)
		} else {
			printers[p.Address] = k.ID
		}
		if p.Encoding != "" && !containsFold(PrinterEncodings, p.Encoding) {
			add(key+".printer.encoding", "%q is not supported; use GB18030 (the default) or GBK", p.Encoding)
		}
		if p.Dots != 0 && (p.Dots < minPrinterDots || p.Dots > maxPrinterDots) {
			add(key+".printer.dots", "%d must be 0 (576, 80 mm paper), 384 for 58 mm paper, or up to %d", p.Dots, maxPrinterDots)
		}
	}
}

// printerAddressProblem says what is wrong with a printer's address, or "".
func printerAddressProblem(a string) string {
	const want = "give host:port (port 9100 when none), a device path such as /dev/usb/lp0, or sim"
	switch {
	case a == "":
		return "names no printer: " + want
	case a == Sim:
		return ""
	case strings.HasPrefix(a, "/"):
		if path.Clean(a) != a || strings.HasSuffix(a, "/") {
			return fmt.Sprintf("%q is not a device path: %s", a, want)
		}
		return ""
	case strings.Contains(a, "://") || strings.ContainsAny(a, " /\\"):
		return fmt.Sprintf("%q is not an address: %s", a, want)
	}
	host, port, err := net.SplitHostPort(a)
	if err != nil {
		// No port given: the whole is the host (an IPv6 address too).
		host, port = strings.Trim(a, "[]"), "9100"
	}
	if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
		return fmt.Sprintf("%q: port %q must be a number from 1 to 65535", a, port)
	}
	if host == "" || strings.ContainsAny(host, "[]") {
		return fmt.Sprintf("%q names no host: %s", a, want)
	}
	return ""
}
