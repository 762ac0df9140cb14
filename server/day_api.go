package server

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/overtime"
	"hallfloor/rating"
	"hallfloor/report"
	"hallfloor/room"
)

// The hall's day on the API: 好差评 at the evaluator and on the ticket page,
// overtime confirmations, follow-ups, rating statistics, reports and the
// overtime register. Reports read the journal (History), since the live
// state forgets finished tickets at midnight.

func (s *Server) dayRoutes(r chi.Router) {
	r.Get("/windows/{id}/rating", s.getWindowRating)
	r.Post("/windows/{id}/rating", s.postWindowRating)
	r.Post("/windows/{id}/rating/dismiss", s.postDismissRating)
	r.Get("/tickets/{id}/rating", s.getTicketRating)
	r.Post("/tickets/{id}/rating", s.asHolder(s.postTicketRating))
	r.Post("/windows/{id}/overtime/confirm", s.withStaff(s.postClerkConfirm))
	r.Post("/windows/{id}/overtime/applicant-confirm", s.postApplicantConfirm)
	r.Get("/followups", s.withManager(s.getFollowUps))
	r.Post("/followups/{id}", s.withManager(s.postFollowUp))
	r.Get("/stats/ratings", s.withManager(s.getRatingStats))
	r.Get("/reports/daily", s.withManager(s.getDailyReport))
	r.Get("/reports/monthly", s.withManager(s.getMonthlyReport))
	r.Get("/overtime", s.withManager(s.getOvertime))
}

// withManager admits only the hall's managers.
func (s *Server) withManager(h staffHandler) http.HandlerFunc {
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

type confirmBody struct {
	Record string `json:"record"`
}

func (s *Server) postClerkConfirm(w http.ResponseWriter, r *http.Request, p Principal) {
	var body confirmBody
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusOK, overtime.Confirm{Window: chi.URLParam(r, "id"), Record: body.Record,
		By: overtime.ByClerk, Actor: actor(p)}, s.overtimeReply)
}

func (s *Server) postApplicantConfirm(w http.ResponseWriter, r *http.Request) {
	var body confirmBody
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusOK, overtime.Confirm{Window: chi.URLParam(r, "id"), Record: body.Record,
		By: overtime.ByApplicant}, s.overtimeReply)
}

// overtimeReply answers a confirmation with the record it confirmed; the
// ticket's id stays out of it, since the evaluator is in public view.
func (s *Server) overtimeReply(st *hall.State, _ *hall.Setup, out room.Outcome) any {
	for _, p := range out.Events {
		if c, ok := p.(overtime.Confirmed); ok {
			rec := *st.Overtime.Log[c.ID]
			rec.Ticket.ID = ""
			return rec
		}
	}
	return nil
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

// history reads the journal for a period into a report builder.
func (s *Server) history(ctx context.Context, p report.Period) (*report.Builder, error) {
	if s.historyJournal == nil {
		return nil, errs.Internalf("no_history", "this server has no history journal to report from")
	}
	b := report.NewBuilder(s.engine.Setup(), p, s.clock())
	// A day before the period catches overtime already running at its
	// start; the weeks after it, the follow-ups and confirmations that
	// complete what happened within it.
	err := s.readHistory(ctx, p.From.Add(-24*time.Hour), p.To.Add(historyTail), func(rec journal.Record) error {
		ev, err := engine.DecodeRecord(rec)
		if err != nil {
			return err
		}
		b.Add(ev)
		return nil
	})
	if err != nil {
		return nil, errs.Wrap(err, "read the journal")
	}
	return b, nil
}

// historyTail is how long after a period its records may still be completed:
// a 差评 follow-up is due within 15 working days at the most.
const historyTail = 45 * 24 * time.Hour

// errEnough stops a journal read once it has passed what it needs.
var errEnough = errors.New("read enough")

// readHistory calls fn for the journal's records stamped from about `from`
// until `to`, starting through the journal's time index rather than at the
// hall's first day.
func (s *Server) readHistory(ctx context.Context, from, to time.Time, fn func(journal.Record) error) error {
	after, err := s.historyJournal.SeqBefore(ctx, from)
	if err != nil {
		return err
	}
	err = s.historyJournal.Replay(ctx, after, func(rec journal.Record) error {
		if rec.At.After(to) {
			return errEnough
		}
		return fn(rec)
	})
	if errors.Is(err, errEnough) {
		return nil
	}
	return err
}

func (s *Server) location() *time.Location { return s.engine.Setup().Location() }

func (s *Server) today() string { return s.clock().In(s.location()).Format(time.DateOnly) }

// rangeParams reads ?from=&to= (dates, both included; today by default).
func (s *Server) rangeParams(r *http.Request) (report.Period, error) {
	q := r.URL.Query()
	from, to := q.Get("from"), q.Get("to")
	if from == "" {
		from = s.today()
	}
	if to == "" {
		to = from
	}
	if _, err := report.Day(from, s.location()); err != nil {
		return report.Period{}, errs.Bad("from", "bad_date", "field", "from")
	}
	if _, err := report.Day(to, s.location()); err != nil {
		return report.Period{}, errs.Bad("to", "bad_date", "field", "to")
	}
	p, err := report.Range(from, to, s.location())
	if err != nil {
		return report.Period{}, errs.Bad("to", "bad_date", "field", "to")
	}
	if p.To.Sub(p.From) > 400*24*time.Hour {
		return report.Period{}, errs.Bad("to", "period_too_long")
	}
	return p, nil
}

func formatParam(r *http.Request, allowed ...string) (string, error) {
	f := r.URL.Query().Get("format")
	if f == "" {
		f = allowed[0]
	}
	for _, a := range allowed {
		if f == a {
			return f, nil
		}
	}
	return "", errs.Bad("format", "bad_format", "formats", strings.Join(allowed, ", "))
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
	b, err := s.history(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep := b.Report(s.hall.Hall.Name)
	writeJSON(w, http.StatusOK, map[string]any{
		"from": rep.From, "to": rep.To, "by": by, "totals": rep.Ratings, "groups": b.RatingStats(by),
	})
}

func (s *Server) getDailyReport(w http.ResponseWriter, r *http.Request, _ Principal) {
	date := r.URL.Query().Get("date")
	if date == "" {
		date = s.today()
	}
	p, err := report.Day(date, s.location())
	if err != nil {
		s.fail(w, r, errs.Bad("date", "bad_date", "field", "date"))
		return
	}
	s.writeReport(w, r, "daily", p)
}

func (s *Server) getMonthlyReport(w http.ResponseWriter, r *http.Request, _ Principal) {
	month := r.URL.Query().Get("month")
	if month == "" {
		month = s.today()[:7]
	}
	p, err := report.Month(month, s.location())
	if err != nil {
		s.fail(w, r, errs.Bad("month", "bad_month"))
		return
	}
	s.writeReport(w, r, "monthly", p)
}

func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, kind string, p report.Period) {
	format, err := formatParam(r, "json", "csv", "xlsx")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.history(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep := b.Report(s.hall.Hall.Name)
	if format == "json" {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	s.writeTables(w, r, format, "report-"+kind+"-"+p.Label, rep.Tables())
}

func (s *Server) getOvertime(w http.ResponseWriter, r *http.Request, _ Principal) {
	format, err := formatParam(r, "json", "csv", "xlsx")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.rangeParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.history(r.Context(), p)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	recs := b.Overtime()
	if format == "json" {
		for _, rec := range recs {
			rec.Ticket.ID = ""
		}
		writeJSON(w, http.StatusOK, map[string]any{"from": p.From.Format(time.DateOnly),
			"to": p.To.AddDate(0, 0, -1).Format(time.DateOnly), "records": recs})
		return
	}
	names := map[string]string{}
	for _, st := range s.hall.Staff {
		names[st.ID] = st.Name
	}
	name := "overtime-" + p.From.Format(time.DateOnly) + "-" + p.To.AddDate(0, 0, -1).Format(time.DateOnly)
	s.writeTables(w, r, format, name, []report.Table{report.OvertimeTable(recs, names, s.location())})
}

func (s *Server) writeTables(w http.ResponseWriter, r *http.Request, format, name string, tables []report.Table) {
	var buf bytes.Buffer
	var err error
	ctype := "text/csv; charset=utf-8"
	if format == "xlsx" {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = report.WriteXLSX(&buf, tables)
	} else {
		err = report.WriteCSV(&buf, tables)
	}
	if err != nil {
		s.fail(w, r, errs.Wrap(err, "write %s", format))
		return
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+"."+format+`"`)
	w.WriteHeader(http.StatusOK)
	w.Write(buf.Bytes())
}
