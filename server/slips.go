package server

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"hallfloor/config"
	"hallfloor/devices/escpos"
	"hallfloor/display"
	"hallfloor/hall"
)

// A kiosk's slip is printed by the server on the kiosk's own printer, once
// the hall has issued the ticket: the kiosk page says which kiosk it is
// (/kiosk?kiosk=K1), and the server believes it only from that kiosk's
// address (devices.kiosks[].address) or, where the hall file names none,
// from one of server.kiosks. The ticket is issued whatever becomes of the
// slip; the answer says, and the kiosk shows the ticket on its screen with
// its words for a slip that did not print.

// SlipPrinter prints a kiosk's slips (an escpos.Printer).
type SlipPrinter interface {
	// Print queues a slip, or says at once why it will not print; the
	// channel tells whether it printed.
	Print(escpos.Slip) (<-chan error, error)
}

// Slip statuses and the reasons of a slip not printed.
const (
	slipPrinted    = "printed"
	slipQueued     = "queued" // sent to the printer, not yet out after slipWait
	slipNotPrinted = "not_printed"

	slipNoKiosk      = "no_kiosk"       // the hall file names no such kiosk
	slipNotThisKiosk = "not_this_kiosk" // the request is not from the kiosk's address
	slipNoPrinter    = "no_printer"     // the kiosk has no printer
	slipFault        = "printer_fault"  // the printer is faulty; Fault words it
	slipBusy         = "printer_busy"   // too many slips wait
)

// slipWait is how long the kiosk's answer waits for its slip to come out
// before saying it is on its way: a slip takes a second or two.
const slipWait = 3 * time.Second

// slipAnswer tells the kiosk what became of its ticket's slip.
type slipAnswer struct {
	Kiosk  string `json:"kiosk"`
	Status string `json:"status"`
	// Why a slip was not printed.
	Why string `json:"why,omitempty"`
	// Fault words the printer's fault.
	Fault *display.Words `json:"fault,omitempty"`
}

// issuedSlip is the answer to a kiosk's ticket: the ticket and its slip.
type issuedSlip struct {
	issuedTicket
	Slip slipAnswer `json:"slip"`
}

// issueAt issues a ticket (a number taken, a booking checked in) and,
// taken at a kiosk, prints its slip there.
func (s *Server) issueAt(w http.ResponseWriter, r *http.Request, cmd hall.Command, kiosk string) {
	res := s.run(w, r, cmd, s.issueReply)
	if res.Err != nil || res.Repeat || kiosk == "" {
		s.answer(w, r, http.StatusCreated, res)
		return
	}
	t, err := s.printSlip(r, kiosk, res.Body)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, t)
}

// printSlip prints the slip of the ticket the answer body holds on the
// printer of kiosk, if the request may.
func (s *Server) printSlip(r *http.Request, kiosk string, body []byte) (issuedSlip, error) {
	var t issuedSlip
	if err := json.Unmarshal(body, &t.issuedTicket); err != nil {
		return t, err
	}
	t.Slip = s.printTicket(r, kiosk, t.issuedTicket)
	return t, nil
}

// printTicket prints a ticket's slip on the printer of kiosk, if the
// request may, and says what became of it.
func (s *Server) printTicket(r *http.Request, kiosk string, t issuedTicket) slipAnswer {
	answer := slipAnswer{Kiosk: kiosk, Status: slipNotPrinted}
	printer, why := s.kioskPrinter(r, kiosk)
	if printer == nil {
		answer.Why = why
		return answer
	}
	slip := s.view.Slip(t.TicketView)
	done, err := printer.Print(escpos.Slip{
		Hall: slip.Hall, HallEN: slip.HallEN, Label: slip.Label, Number: slip.Number, Service: slip.Service,
		Lines: slip.Lines, QR: s.ticketLink(r, t.ID, t.Key), Note: slip.Note, NoteEN: slip.NoteEN, Time: slip.Time,
	})
	if err == nil {
		select {
		case err = <-done:
		case <-time.After(slipWait):
			answer.Status = slipQueued
			return answer
		case <-r.Context().Done():
			answer.Status = slipQueued
			return answer
		}
	}
	var fault *escpos.FaultError
	switch {
	case err == nil:
		answer.Status = slipPrinted
	case errors.As(err, &fault):
		w := display.Finding(fault.Finding)
		answer.Why, answer.Fault = slipFault, &w
	case errors.Is(err, escpos.ErrBusy):
		answer.Why = slipBusy
	default:
		s.log.Warn("kiosk slip not printed", "kiosk", kiosk, "ticket", t.Number, "err", err)
		answer.Why = slipFault
	}
	return answer
}

// kioskPrinter is the printer of kiosk when the request comes from it,
// else why not.
func (s *Server) kioskPrinter(r *http.Request, kiosk string) (SlipPrinter, string) {
	var k *config.KioskDevices
	for i := range s.hall.Devices.Kiosks {
		if s.hall.Devices.Kiosks[i].ID == kiosk {
			k = &s.hall.Devices.Kiosks[i]
		}
	}
	if k == nil {
		return nil, slipNoKiosk
	}
	src := s.limits.sources.of(r)
	if a := strings.TrimSpace(k.Address); a != "" {
		ps, err := config.ParsePrefixes([]string{a})
		if err != nil || !within(ps, src.addr) {
			return nil, slipNotThisKiosk
		}
	} else if !src.kiosk {
		return nil, slipNotThisKiosk
	}
	p := s.printers[kiosk]
	if p == nil {
		return nil, slipNoPrinter
	}
	return p, ""
}

// ticketLink is the ticket page's address with its holder key, as the
// kiosk's own slip links it: the hall's public address, else the one the
// kiosk reached the server at (a city's hall under its /h/{id}).
func (s *Server) ticketLink(r *http.Request, id, key string) string {
	path := "/t/" + url.PathEscape(id) + "?k=" + url.QueryEscape(key)
	if l := s.hall.Server.Link(path); l != "" {
		return l
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	base := ""
	if u, err := url.ParseRequestURI(r.RequestURI); err == nil {
		base = strings.TrimSuffix(u.Path, r.URL.Path)
	}
	return scheme + "://" + r.Host + base + path
}
