package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"

	"hallfloor/config"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/rating"
	"hallfloor/report"
	"hallfloor/room"
)

// 好差评 on the API: the evaluator's question and the ticket page's rating,
// the 差评 follow-ups and the rating statistics. The routes of the manager's
// side (ratings, overtime, reports) are grouped here.

func (s *Server) managerRoutes(r chi.Router) {
	r.Get("/windows/{id}/rating", s.getWindowRating)
	r.Post("/windows/{id}/rating", s.postWindowRating)
	r.Post("/windows/{id}/rating/choice", s.postRatingChoice)
	r.Post("/windows/{id}/rating/dismiss", s.postDismissRating)
	r.Get("/tickets/{id}/rating", s.getTicketRating)
	r.Post("/tickets/{id}/rating", s.asHolder(s.postTicketRating))
	r.Post("/windows/{id}/overtime/confirm", s.withStaff(s.postClerkConfirm))
	r.Post("/windows/{id}/overtime/applicant-confirm", s.postApplicantConfirm)
	r.Get("/followups", s.withManager(s.getFollowUps))
	r.Post("/followups/{id}", s.withManager(s.postFollowUp))
	r.Get("/followups/{id}/phone", s.withHallManager(s.getFollowUpPhone))
	r.Get("/stats/ratings", s.withManager(s.getRatingStats))
	r.Get("/reports/daily", s.withManager(s.getDailyReport))
	r.Get("/reports/monthly", s.withManager(s.getMonthlyReport))
	r.Get("/reports/yearly", s.withManager(s.getYearlyReport))
	r.Get("/overtime", s.withManager(s.getOvertime))
	s.platformRoutes(r)
}

// withManager admits the hall's managers, and the city's to read: a city
// manager sees every hall's figures and lists, but what a hall's manager
// does (follow-ups, rosters, anything but a GET) stays the hall's.
func (s *Server) withManager(h staffHandler) http.HandlerFunc {
	hall := s.withHallManager(h)
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet {
			if p, err := s.auth.principal(r); err == nil && p.Role == config.CityManager {
				h(w, r, p)
				return
			}
		}
		hall(w, r)
	}
}

// withHallManager admits only the hall's own managers: for what the city
// does not read either, as an applicant's phone number.
func (s *Server) withHallManager(h staffHandler) http.HandlerFunc {
	return s.withStaff(func(w http.ResponseWriter, r *http.Request, p Principal) {
		if p.Role != config.Manager {
			s.fail(w, r, errs.R(errs.Forbidden, "manager_only"))
			return
		}
		h(w, r, p)
	})
}

type ratingBody struct {
	Level  int    `json:"level"`
	Reason string `json:"reason"`
}

// ratingReply is the answer to a rating: what was recorded and, for a 差评,
// when the hall will have followed it up.
func (s *Server) ratingReply(st *hall.State, _ *hall.Setup, out room.Outcome) any {
	t := st.Queue.Tickets[out.Ticket]
	reply := map[string]any{"ticket": t.Number, "level": st.Ratings.Rated[t.ID], "followup_deadline": nil}
	for _, f := range st.Ratings.FollowUps {
		if f.Ticket.ID == t.ID {
			reply["followup_deadline"] = f.Deadline
		}
	}
	return reply
}

// ratingChoices are what an evaluator or ticket page offers.
func (s *Server) ratingChoices() map[string]any {
	setup := s.engine.Setup()
	return map[string]any{
		"levels":     rating.Levels,
		"reasons":    setup.Ratings.Reasons,
		"bad_rating": rating.Bad, // this level and below need a reason
		"timeout_s":  int(setup.Ratings.PromptTimeout.Seconds()),
	}
}

func (s *Server) getWindowRating(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		v, ok := s.view.Window(st, id)
		if !ok {
			return nil, errs.R(errs.NotFound, "no_window", "window", id)
		}
		// The rule's own answer: a prompt past its time is closed even
		// before the ticker says so.
		if rating.Asking(st.Ratings, setup.Ratings, id, s.clock()) == nil {
			v.Rating = nil
		}
		reply := s.ratingChoices()
		reply["window"], reply["prompt"], reply["overtime_confirm"] = id, v.Rating, v.OvertimeConfirm
		return reply, nil
	})
}

func (s *Server) postWindowRating(w http.ResponseWriter, r *http.Request) {
	var body ratingBody
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusCreated, rating.Rate{Channel: rating.ChannelEvaluator, Window: chi.URLParam(r, "id"),
		Level: body.Level, Reason: body.Reason}, s.ratingReply)
}

// postRatingChoice records the level chosen on the pad before its reason:
// should the reason never come, the hall keeps the level.
func (s *Server) postRatingChoice(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Level int `json:"level"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	s.do(w, r, http.StatusOK, rating.Choose{Window: id, Level: body.Level}, s.windowReply(id))
}

func (s *Server) postDismissRating(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Reason string `json:"reason"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	s.do(w, r, http.StatusOK, rating.Dismiss{Window: id, Reason: body.Reason}, s.windowReply(id))
}

func (s *Server) getTicketRating(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	s.read(w, r, func(st *hall.State, _ *hall.Setup) (any, error) {
		t := st.Queue.Tickets[id]
		if t == nil {
			return nil, errs.R(errs.NotFound, "no_ticket", "ticket", id)
		}
		reply := s.ratingChoices()
		reply["number"], reply["status"], reply["level"] = t.Number, t.Status, st.Ratings.Rated[t.ID]
		reply["can_rate"] = rating.CanRate(st.Ratings, t)
		return reply, nil
	})
}

func (s *Server) postTicketRating(w http.ResponseWriter, r *http.Request) {
	var body ratingBody
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusCreated, rating.Rate{Channel: rating.ChannelQR, Ticket: chi.URLParam(r, "id"),
		Level: body.Level, Reason: body.Reason}, s.ratingReply)
}

// followUpView is a follow-up with what the dashboard derives from it.
type followUpView struct {
	*rating.FollowUp
	Late bool `json:"late"` // open past its deadline now
}

func (s *Server) getFollowUps(w http.ResponseWriter, r *http.Request, _ Principal) {
	status := r.URL.Query().Get("status")
	if status == "" {
		status = "open"
	}
	if status != "open" && status != "overdue" && status != "all" {
		s.fail(w, r, errs.Bad("status", "followup_status"))
		return
	}
	now := s.clock()
	s.read(w, r, func(st *hall.State, _ *hall.Setup) (any, error) {
		list := []followUpView{}
		for _, f := range st.Ratings.FollowUpList() {
			v := followUpView{FollowUp: f, Late: f.Late(now)}
			if status == "all" || status == "open" && f.Open() || status == "overdue" && v.Late {
				c := *f
				v.FollowUp = &c
				list = append(list, v)
			}
		}
		return map[string]any{"followups": list}, nil
	})
}

func (s *Server) postFollowUp(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		Action  string `json:"action"`
		Outcome string `json:"outcome"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	s.do(w, r, http.StatusOK, rating.CloseFollowUp{ID: id, Action: body.Action, Outcome: body.Outcome, Actor: actor(p)},
		func(st *hall.State, _ *hall.Setup, _ room.Outcome) any {
			c := *st.Ratings.FollowUps[id]
			return c
		})
}

func (s *Server) getRatingStats(w http.ResponseWriter, r *http.Request, _ Principal) {
	p, err := s.rangeParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	by := report.By(r.URL.Query().Get("by"))
	if by == "" {
		by = report.ByDay
	}
	if !by.Valid() {
		s.fail(w, r, errs.Bad("by", "bad_grouping"))
		return
	}
	b, err := s.figuresOf(r.Context(), p, true)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep := b.Report(s.hall.Hall.Name)
	writeJSON(w, http.StatusOK, map[string]any{
		"from": rep.From, "to": rep.To, "by": by, "totals": rep.Ratings, "groups": b.RatingStats(by),
	})
}
