package server

import (
	"crypto/hmac"
	"net/http"

	"github.com/go-chi/chi/v5"

	"hallfloor/display"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/keyed"
	"hallfloor/room"
)

// A ticket's id is shown on every screen once it is called (ticket.called
// carries it), so the id alone only lets one read a ticket. Acting for its
// holder — cancelling, rating the service from the phone — takes the
// holder key: a keyed hash of the id, printed only on the holder's slip
// and in its QR link (/t/{id}?k=…). It needs no storage and survives a
// restart, since the hall's secret does.

// holderKey is the key for ticket id.
func (s *Server) holderKey(id string) string {
	return keyed.URL(s.auth.key, "ticket-holder\x00", id)[:22]
}

// checkHolder admits a request that carries the ticket's holder key as ?k=.
func (s *Server) checkHolder(r *http.Request, id string) error {
	k := r.URL.Query().Get("k")
	if k == "" {
		return errs.R(errs.Forbidden, "holder_only").OnField("k")
	}
	if !hmac.Equal([]byte(k), []byte(s.holderKey(id))) {
		return errs.R(errs.Forbidden, "holder_wrong_link").OnField("k")
	}
	return nil
}

// issuedTicket is the answer to taking a number: the ticket, and its
// holder key for the slip's QR link.
type issuedTicket struct {
	display.TicketView
	Key string `json:"key"`
}

func (s *Server) issueReply(st *hall.State, _ *hall.Setup, out room.Outcome) any {
	return issuedTicket{TicketView: s.view.Ticket(st, st.Queue.Tickets[out.Ticket]), Key: s.holderKey(out.Ticket)}
}

// asHolder wraps a handler on /tickets/{id}/… that acts for the holder.
func (s *Server) asHolder(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := s.checkHolder(r, chi.URLParam(r, "id")); err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r)
	}
}
