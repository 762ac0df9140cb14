package server

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"net/http"

	"github.com/go-chi/chi/v5"

	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/outbox"
	"hallfloor/rating"
	"hallfloor/report"
	"hallfloor/room"
)

// The 好差评 platform's side of the API: a day's rating records in the
// platform's shape (CSV or JSON, for the manager to file by hand where the
// push is not configured, or to check it), the signed pushes and how they
// went, and the applicant's second rating after a rectification.

func (s *Server) platformRoutes(r chi.Router) {
	r.Get("/ratings/records", s.withManager(s.getRatingRecords))
	r.Get("/pushes", s.withManager(s.getPushes))
	r.Get("/second-ratings/{token}", s.limitLookups(s.getSecondRating))
	r.Post("/second-ratings/{token}", s.postSecondRating)
}

// getRatingRecords is a day's records (?date=, today by default), read
// from the journal: every service whose question opened that day, rated or
// not, and the second ratings given that day. Times are in the hall's zone.
func (s *Server) getRatingRecords(w http.ResponseWriter, r *http.Request, _ Principal) {
	format, err := formatParam(r, "json", "csv")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := report.Day(cmp.Or(r.URL.Query().Get("date"), s.today()), s.location())
	if err != nil {
		s.fail(w, r, errs.Bad("date", "bad_date", "field", "date"))
		return
	}
	if s.historyJournal == nil {
		s.fail(w, r, errs.Internalf("no_history", "this server has no history journal to read the records from"))
		return
	}
	d := rating.NewDayRecords(s.hall.RatingPlatform(s.location()))
	err = s.readHistory(r.Context(), p.From, p.To, func(rec journal.Record) error {
		if rec.At.Before(p.From) || !rec.At.Before(p.To) {
			return nil
		}
		ev, err := engine.DecodeRecord(rec)
		if err != nil {
			return err
		}
		d.Add(ev)
		return nil
	})
	if err != nil {
		s.fail(w, r, errs.Wrap(err, "read the journal"))
		return
	}
	records := d.Records()
	if format == "json" {
		writeJSON(w, http.StatusOK, map[string]any{"date": p.Label, "zone": s.location().String(), "records": records})
		return
	}
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(rating.RecordColumns)
	for _, rec := range records {
		cw.Write(rec.Row())
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		s.fail(w, r, errs.Wrap(err, "write csv"))
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="ratings-`+p.Label+`.csv"`)
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}

// getPushes lists the signed deliveries, newest first: pending (with their
// attempts and last error), delivered, or given up (?status= pending,
// delivered, failed or all).
func (s *Server) getPushes(w http.ResponseWriter, r *http.Request, _ Principal) {
	status := r.URL.Query().Get("status")
	if status == "" {
		status = "all"
	}
	if status != "all" && status != "pending" && status != "delivered" && status != "failed" {
		s.fail(w, r, errs.Bad("status", "push_status"))
		return
	}
	s.read(w, r, func(st *hall.State, _ *hall.Setup) (any, error) {
		list := []outbox.Push{}
		for _, p := range st.Outbox.PushList() {
			switch {
			case status == "all",
				status == "delivered" && !p.DeliveredAt.IsZero(),
				status == "failed" && p.GaveUp,
				status == "pending" && p.DeliveredAt.IsZero() && !p.GaveUp:
				list = append(list, p)
			}
		}
		return map[string]any{"pushes": list}, nil
	})
}

// secondRatingView is what the second rating's page shows: the service,
// never the applicant.
type secondRatingView struct {
	Number  string `json:"number"`
	Window  string `json:"window"`
	Case    string `json:"case,omitempty"`
	Outcome string `json:"outcome"` // what the hall did about the 差评
	Level   int    `json:"level"`   // the second rating, once given
	CanRate bool   `json:"can_rate"`
	By      string `json:"by"`
	Choices any    `json:"choices"`
}

func (s *Server) secondRating(st *hall.State, token string) (*secondRatingView, error) {
	now := s.clock()
	for _, f := range st.Ratings.FollowUpList() {
		if token != "" && f.SecondToken == token {
			v := &secondRatingView{Number: f.Ticket.Number, Window: f.Window, Outcome: f.Outcome, Level: f.SecondLevel,
				CanRate: f.AwaitsSecond(now), By: f.SecondBy.In(s.location()).Format("2006-01-02 15:04"), Choices: s.ratingChoices()}
			if f.Case != nil {
				v.Case = f.Case.Number
			}
			return v, nil
		}
	}
	return nil, errs.R(errs.NotFound, "no_second_rating")
}

func (s *Server) getSecondRating(w http.ResponseWriter, r *http.Request) {
	token := chi.URLParam(r, "token")
	s.read(w, r, func(st *hall.State, _ *hall.Setup) (any, error) { return s.secondRating(st, token) })
}

func (s *Server) postSecondRating(w http.ResponseWriter, r *http.Request) {
	var body ratingBody
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	token := chi.URLParam(r, "token")
	s.do(w, r, http.StatusCreated, rating.RateAgain{Token: token, Level: body.Level, Reason: body.Reason},
		func(st *hall.State, _ *hall.Setup, _ room.Outcome) any {
			v, _ := s.secondRating(st, token)
			return v
		})
}
