package simulate

import (
	"encoding/csv"
	"io"
	"strconv"
	"time"

	"hallfloor/report"
)

// WriteTickets writes the estimate-vs-actual table, a row a ticket in the
// order issued: times in the hall's zone, waits in seconds (the real wait
// empty for a ticket never called).
func WriteTickets(w io.Writer, tickets []Ticket, loc *time.Location) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"ticket", "service", "kind", "issued_at", "estimate_s", "called_at", "wait_s", "error_s", "no_show"})
	for _, t := range tickets {
		called, wait, diff := "", "", ""
		if d := t.Wait(); d >= 0 {
			called = t.CalledAt.In(loc).Format(time.TimeOnly)
			wait = strconv.Itoa(int(d.Seconds()))
			diff = strconv.Itoa(int((t.Estimate - d).Seconds()))
		}
		cw.Write([]string{t.Number, t.Service, t.Kind, t.IssuedAt.In(loc).Format(time.TimeOnly),
			strconv.Itoa(int(t.Estimate.Seconds())), called, wait, diff, strconv.FormatBool(t.NoShow)})
	}
	cw.Flush()
	return cw.Error()
}

// WriteReport writes the day's report as the dashboard exports it (CSV).
func WriteReport(w io.Writer, r report.Report) error { return report.WriteCSV(w, r.Tables()) }
