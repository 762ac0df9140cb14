package equipment

// The reasons a kiosk's slip printer reports, from its real-time status.
const (
	PaperOut       = "paper_out"       // the roll is empty: nothing prints
	PaperLow       = "paper_low"       // the roll is near its end: change it soon
	CoverOpen      = "cover_open"      // the printer's cover is open
	PrinterOffline = "printer_offline" // the printer does not answer or says it is offline; Detail why
	PrinterError   = "printer_error"   // the cutter jammed or the head overheated; Detail what it said
	PrinterReady   = "printer_ready"   // the printer answers with paper, ready to print
)

// The printer's reasons are in the list the room accepts; kept beside
// their constants so the printer's words live in one place.
func init() {
	Reasons = append(Reasons, PaperOut, PaperLow, CoverOpen, PrinterOffline, PrinterError, PrinterReady)
}
