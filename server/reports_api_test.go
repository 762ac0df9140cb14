package server_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
)

// startRecordingHall is a dayHall whose app the test can ask to record
// the past days' figures now.
func startRecordingHall(t *testing.T, start string) (*dayHall, *app.App) {
	t.Helper()
	cfg := config.Demo()
	week := []string{"09:00-12:00", "13:30-17:30"}
	cfg.Calendar = config.Calendar{Weekly: map[string][]string{"mon": week, "tue": week, "wed": week, "thu": week, "fri": week}}
	h := &dayHall{t: t, now: dayAt(start), keys: map[string]string{}}
	run := apptest.Start(t, app.Options{Hall: cfg, Clock: h.clock})
	h.client, h.ts, h.eng = client{t, run.URL}, run.HTTP, run.Engine
	return h, run.App
}

type yearReport struct {
	Period string `json:"period"`
	Totals struct {
		Issued int `json:"issued"`
		Served int `json:"served"`
	} `json:"totals"`
	Ratings struct {
		Rated     int `json:"rated"`
		Bad       int `json:"bad"`
		FollowUps struct {
			Opened int `json:"opened"`
			Closed int `json:"closed"`
		} `json:"followups"`
	} `json:"ratings"`
	Clerks []struct {
		Staff        string   `json:"staff"`
		Served       int      `json:"served"`
		Rated        int      `json:"rated"`
		Bad          int      `json:"bad"`
		Satisfaction *float64 `json:"satisfaction"`
	} `json:"clerks"`
	Days []json.RawMessage `json:"days"`
}

// A past day's report comes from its recorded figures, amended by a
// follow-up closed on a later day; the yearly report adds today's live
// figures and each clerk's workload and satisfaction, in JSON, CSV and xlsx.
func TestYearlyReportFromRecordedDaysAndToday(t *testing.T) {
	h, a := startRecordingHall(t, "2025-03-13 10:00:00") // a Thursday
	clerk := h.login("1001")
	h.must(200, "POST", "/api/v1/windows/1/open", clerk, nil)
	a1, _ := h.issue("A")
	h.issue("A")
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, nil)
	h.set("2025-03-13 10:10:00")
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, map[string]string{"current": a1})
	h.must(201, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 1, "reason": "等候时间过长"})
	h.set("2025-03-13 10:20:00")
	h.must(200, "POST", "/api/v1/windows/1/finish", clerk, nil)
	h.must(201, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 5})

	// The next day the Thursday is recorded, then its follow-up closed.
	h.set("2025-03-14 09:30:00")
	if n, err := a.RecordFigures(context.Background()); err != nil || n != 1 {
		t.Fatalf("recorded %d days, %v", n, err)
	}
	admin, clerk := h.login("admin"), h.login("1001") // a new day's sign-in
	h.must(200, "POST", "/api/v1/followups/FU1", admin, map[string]string{"action": "回访", "outcome": "已解释"})
	h.issue("A")

	var rep yearReport
	h.must(200, "GET", "/api/v1/reports/daily?date=2025-03-13", admin, nil).into(t, &rep)
	if rep.Totals.Issued != 2 || rep.Totals.Served != 2 || rep.Ratings.Bad != 1 || rep.Ratings.FollowUps.Closed != 1 {
		t.Fatalf("the recorded day: %+v", rep)
	}
	h.must(200, "GET", "/api/v1/reports/yearly?year=2025", admin, nil).into(t, &rep)
	if rep.Period != "2025" || rep.Totals.Issued != 3 || len(rep.Days) != 73 || len(rep.Clerks) != 1 {
		t.Fatalf("the year: %+v, %d days", rep, len(rep.Days))
	}
	if c := rep.Clerks[0]; c.Staff != "1001" || c.Served != 2 || c.Rated != 2 || c.Bad != 1 || c.Satisfaction == nil || *c.Satisfaction != 0.5 {
		t.Fatalf("the clerk: %+v", c)
	}
	csvReply := h.must(200, "GET", "/api/v1/reports/yearly?year=2025&format=csv", admin, nil)
	if !strings.Contains(csvReply.header.Get("Content-Disposition"), "report-yearly-2025.csv") ||
		!strings.Contains(string(csvReply.body), "人员 Clerks") {
		t.Fatalf("csv %s", csvReply.body)
	}
	x := h.must(200, "GET", "/api/v1/reports/yearly?year=2025&format=xlsx", admin, nil)
	f, err := excelize.OpenReader(bytes.NewReader(x.body))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if v, _ := f.GetCellValue("人员 Clerks", "A2"); v != "1001" {
		t.Fatalf("clerks sheet A2 %q", v)
	}
	for _, bad := range []string{"year=25", "year=2025-03", "year=2025&format=pdf"} {
		h.must(400, "GET", "/api/v1/reports/yearly?"+bad, admin, nil)
	}
	h.must(403, "GET", "/api/v1/reports/yearly", clerk, nil)
}
