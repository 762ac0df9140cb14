package server

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"slices"

	"github.com/go-chi/chi/v5"

	"hallfloor/devices/escpos/escposim"
	"hallfloor/errs"
)

// The demo's slip printers are fake ones (escposim) inside the server. The
// devices page shows what each printed and gives it the faults a real
// printer has (out of paper, cover open), so the kiosk's words for a slip
// not printed and the printer's health can be seen: a manager's bench, as
// the simulated pins are.

// simPrinterRoutes are the fake printers' bench.
func (s *Server) simPrinterRoutes(r chi.Router) {
	r.Get("/sim/printers", s.withManager(s.getSimPrinters))
	r.Post("/sim/printers/{kiosk}", s.withManager(s.postSimPrinter))
	r.Get("/sim/printers/{kiosk}/slip", s.withManager(s.getSimSlip))
}

// simPrinterView is a fake printer as the bench shows it.
type simPrinterView struct {
	Kiosk  string          `json:"kiosk"`
	Faults escposim.Faults `json:"faults"`
	Slips  int             `json:"slips"`
}

// getSimPrinters answers GET /api/v1/sim/printers: each fake printer, its
// faults and how many slips it printed.
func (s *Server) getSimPrinters(w http.ResponseWriter, r *http.Request, _ Principal) {
	out := []simPrinterView{}
	for _, k := range s.simPrinterKiosks() {
		p := s.simPrinters[k]
		out = append(out, simPrinterView{Kiosk: k, Faults: p.Faults(), Slips: len(p.Slips())})
	}
	writeJSON(w, http.StatusOK, out)
}

func (s *Server) simPrinterKiosks() []string {
	var ks []string
	for k := range s.simPrinters {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func (s *Server) simPrinter(w http.ResponseWriter, r *http.Request) *escposim.Printer {
	k := chi.URLParam(r, "kiosk")
	p := s.simPrinters[k]
	if p == nil {
		s.fail(w, r, errs.R(errs.NotFound, "no_sim_printer", "kiosk", k))
	}
	return p
}

// postSimPrinter answers POST /api/v1/sim/printers/{kiosk} with the faults
// the printer's status says from now on; the driver finds them at its next
// look.
func (s *Server) postSimPrinter(w http.ResponseWriter, r *http.Request, _ Principal) {
	p := s.simPrinter(w, r)
	if p == nil {
		return
	}
	var f escposim.Faults
	if err := decode(r, &f); err != nil {
		s.fail(w, r, err)
		return
	}
	p.SetFaults(f)
	writeJSON(w, http.StatusAccepted, simPrinterView{Kiosk: chi.URLParam(r, "kiosk"), Faults: f, Slips: len(p.Slips())})
}

// getSimSlip answers GET /api/v1/sim/printers/{kiosk}/slip: the last slip
// printed, its lines and its picture as the paper would come out (a PNG
// data URL); 404 before the first.
func (s *Server) getSimSlip(w http.ResponseWriter, r *http.Request, _ Principal) {
	p := s.simPrinter(w, r)
	if p == nil {
		return
	}
	slips := p.Slips()
	if len(slips) == 0 {
		s.fail(w, r, errs.R(errs.NotFound, "no_slip_yet", "kiosk", chi.URLParam(r, "kiosk")))
		return
	}
	last := slips[len(slips)-1]
	var img bytes.Buffer
	if err := escposim.Render(&img, last, 0); err != nil {
		s.fail(w, r, errs.Wrap(err, "draw the slip"))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"n": len(slips), "lines": last.Lines(), "qr": last.QRs(),
		"png": "data:image/png;base64," + base64.StdEncoding.EncodeToString(img.Bytes()),
	})
}
