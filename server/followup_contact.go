package server

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/queue"
	"hallfloor/rating"
)

// A 差评's follow-up (回访) needs the applicant's phone, which they gave at
// the kiosk for the SMS reminder. It is shown to a manager only, one
// follow-up at a time on request, and never in a list, a public payload or
// to a clerk: the number stays with its ticket (in the journal once the day
// is over) and is looked up here.

type followUpContact struct {
	FollowUp string `json:"followup"`
	Number   string `json:"number"`
	// Phone is "" when the applicant gave none.
	Phone string `json:"phone"`
}

// getFollowUpPhone answers GET /api/v1/followups/{id}/phone.
func (s *Server) getFollowUpPhone(w http.ResponseWriter, r *http.Request, _ Principal) {
	id := chi.URLParam(r, "id")
	var f rating.FollowUp
	var phone string
	var found, live bool
	err := s.engine.Read(r.Context(), func(st *hall.State, _ *hall.Setup) {
		if fu := st.Ratings.FollowUps[id]; fu != nil {
			f, found = *fu, true
			if t := st.Queue.Tickets[fu.Ticket.ID]; t != nil {
				phone, live = t.Phone, true
			}
		}
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !found {
		s.fail(w, r, errs.R(errs.NotFound, "no_followup", "id", id))
		return
	}
	if !live {
		if phone, err = s.issuedPhone(r, f); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, followUpContact{FollowUp: f.ID, Number: f.Ticket.Number, Phone: phone})
}

// issuedPhone finds the phone given when the follow-up's ticket was
// issued: the same day as its service, or the day before for a ticket
// still at a window at midnight.
func (s *Server) issuedPhone(r *http.Request, f rating.FollowUp) (string, error) {
	if s.historyJournal == nil {
		return "", errs.Internalf("no_history", "this server has no history journal to look in")
	}
	var phone string
	err := s.readHistory(r.Context(), f.OpenedAt.Add(-48*time.Hour), f.OpenedAt, func(rec journal.Record) error {
		ev, err := engine.DecodeRecord(rec)
		if err != nil {
			return err
		}
		if p, ok := ev.Data.(queue.TicketIssued); ok && p.Ticket.ID == f.Ticket.ID {
			phone = p.Phone
			return errEnough
		}
		return nil
	})
	if err != nil {
		return "", errs.Wrap(err, "read the journal")
	}
	return phone, nil
}
