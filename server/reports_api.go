package server

import (
	"bytes"
	"context"
	"errors"
	"hallfloor/booking"
	"net/http"
	"strings"
	"time"

	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/journal"
	"hallfloor/overtime"
	"hallfloor/report"
)

// Reports on the API: daily and monthly reports and the overtime register's
// tables, read from the journal (History), since the live state forgets
// finished tickets at midnight.

// periodFigures is a period's figures: from the recorded days or from the
// journal's events, the same answers.
type periodFigures interface {
	Report(hall string) report.Report
	RatingStats(by report.By) []report.RatingRow
	Overtime() []*overtime.Record
	Appointments() []*booking.Record
}

// figuresOf is a period's figures, from the recorded daily figures where
// the hall keeps them (only the days not recorded yet are read from the
// journal), else from the journal's events. Details are the 差评 and
// overtime services listed one by one, which a report does not need.
func (s *Server) figuresOf(ctx context.Context, p report.Period, details bool) (periodFigures, error) {
	if s.figures == nil {
		return s.history(ctx, p)
	}
	a, err := s.figures.Assemble(ctx, p, s.clock(), details)
	if err != nil {
		return nil, errs.Wrap(err, "read the daily figures")
	}
	return a, nil
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

func (s *Server) getYearlyReport(w http.ResponseWriter, r *http.Request, _ Principal) {
	year := r.URL.Query().Get("year")
	if year == "" {
		year = s.today()[:4]
	}
	p, err := report.Year(year, s.location())
	if err != nil {
		s.fail(w, r, errs.Bad("year", "bad_year"))
		return
	}
	s.writeReport(w, r, "yearly", p)
}

// registerOf reads what a register's export asks (its format and period)
// and the period's figures with their details, answering the refusal itself
// when there is one.
func (s *Server) registerOf(w http.ResponseWriter, r *http.Request) (format string, p report.Period, b periodFigures, ok bool) {
	format, err := formatParam(r, "json", "csv", "xlsx")
	if err == nil {
		p, err = s.rangeParams(r)
	}
	if err == nil {
		b, err = s.figuresOf(r.Context(), p, true)
	}
	if err != nil {
		s.fail(w, r, err)
		return "", p, b, false
	}
	return format, p, b, true
}

func (s *Server) writeReport(w http.ResponseWriter, r *http.Request, kind string, p report.Period) {
	format, err := formatParam(r, "json", "csv", "xlsx")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	b, err := s.figuresOf(r.Context(), p, false)
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
