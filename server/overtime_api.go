package server

import (
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"hallfloor/hall"
	"hallfloor/overtime"
	"hallfloor/report"
	"hallfloor/room"
)

// 延时服务 on the API: the clerk's and the applicant's confirmations and the
// day's register.

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
			return inZone(rec, s.location())
		}
	}
	return nil
}

func (s *Server) getOvertime(w http.ResponseWriter, r *http.Request, _ Principal) {
	format, p, b, ok := s.registerOf(w, r)
	if !ok {
		return
	}
	recs := b.Overtime()
	if format == "json" {
		out := make([]overtime.Record, 0, len(recs))
		for _, rec := range recs {
			rec.Ticket.ID = ""
			out = append(out, inZone(*rec, s.location()))
		}
		writeJSON(w, http.StatusOK, map[string]any{"from": p.From.Format(time.DateOnly),
			"to": p.To.AddDate(0, 0, -1).Format(time.DateOnly), "records": out})
		return
	}
	names := map[string]string{}
	for _, st := range s.hall.Staff {
		names[st.ID] = st.Name
	}
	name := "overtime-" + p.From.Format(time.DateOnly) + "-" + p.To.AddDate(0, 0, -1).Format(time.DateOnly)
	s.writeTables(w, r, format, name, []report.Table{report.OvertimeTable(recs, names, s.location())})
}

// inZone gives every time of a record in the hall's zone: read back from
// the journal they come in UTC, decided live in the hall's, and a register
// filed with the supervision office shows one form.
func inZone(rec overtime.Record, loc *time.Location) overtime.Record {
	for _, t := range []*time.Time{&rec.Start, &rec.End, &rec.ClerkConfirmed, &rec.ApplicantConfirmed} {
		if !t.IsZero() {
			*t = t.In(loc)
		}
	}
	return rec
}
