package escpos

import (
	"fmt"
	"strings"

	"hallfloor/equipment"
)

// The printer's real-time status, DLE EOT n (10 04 n), answered at once
// with one byte even while the printer is offline or its buffer is full.
// Every answer has bit 1 and bit 4 set and bits 0 and 7 clear, which tells
// a status byte from anything else on the line. The bits read:
//
//	n = 1 printer:       bit 3 offline
//	n = 2 offline cause: bit 2 cover open, bit 3 paper fed by the button,
//	                     bit 5 printing stopped at paper end, bit 6 an error
//	n = 3 error cause:   bit 3 autocutter error, bit 5 unrecoverable error,
//	                     bit 6 auto-recoverable error (head too hot)
//	n = 4 paper sensors: bits 2-3 roll near its end, bits 5-6 roll at its end
const (
	StatusPrinter = 1
	StatusOffline = 2
	StatusError   = 3
	StatusPaper   = 4
)

// Status bits.
const (
	bitOffline       = 0x08 // n = 1
	bitCoverOpen     = 0x04 // n = 2
	bitPaperEndStop  = 0x20 // n = 2
	bitCutterError   = 0x08 // n = 3
	bitUnrecoverable = 0x20 // n = 3
	bitAutoRecover   = 0x40 // n = 3
	bitsNearEnd      = 0x0C // n = 4
	bitsPaperEnd     = 0x60 // n = 4
	fixedMask        = 0x93 // bits 0, 1, 4, 7
	fixedBits        = 0x12 // bits 1 and 4 on
)

// StatusQuery is the DLE EOT frame asking for status n.
func StatusQuery(n byte) []byte { return []byte{dle, eot, n} }

// IsStatus reports whether b has a status byte's fixed bits.
func IsStatus(b byte) bool { return b&fixedMask == fixedBits }

// Status is the printer's four status bytes, in order n = 1 … 4.
type Status [4]byte

// Finding is what the status says about the printer: a fault when it
// cannot print (no paper, cover open, offline, an error), an alert when
// the paper runs low, else ok. The worst comes first: a printer out of
// paper is also offline, and the paper is what a person must fix.
func (s Status) Finding() (kind string, f equipment.Finding) {
	printer, offline, errCause, paper := s[0], s[1], s[2], s[3]
	switch {
	case paper&bitsPaperEnd != 0 || offline&bitPaperEndStop != 0:
		return equipment.Fault, equipment.Finding{Reason: equipment.PaperOut}
	case offline&bitCoverOpen != 0:
		return equipment.Fault, equipment.Finding{Reason: equipment.CoverOpen}
	case errCause&(bitCutterError|bitUnrecoverable|bitAutoRecover) != 0:
		return equipment.Fault, equipment.Finding{Reason: equipment.PrinterError, Detail: errorCause(errCause)}
	case printer&bitOffline != 0:
		return equipment.Fault, equipment.Finding{Reason: equipment.PrinterOffline, Detail: "offline"}
	case paper&bitsNearEnd != 0:
		return equipment.Alert, equipment.Finding{Reason: equipment.PaperLow}
	}
	return equipment.OK, equipment.Finding{Reason: equipment.PrinterReady}
}

// errorCause names the bits of an error status, as the printer's manual does.
func errorCause(b byte) string {
	var out []string
	for _, c := range []struct {
		bit  byte
		name string
	}{{bitCutterError, "autocutter error"}, {bitUnrecoverable, "unrecoverable error"}, {bitAutoRecover, "auto-recoverable error"}} {
		if b&c.bit != 0 {
			out = append(out, c.name)
		}
	}
	return fmt.Sprintf("%s, status %#02x", strings.Join(out, ", "), b)
}
