package server_test

import (
	"encoding/csv"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/cases"
	"hallfloor/config"
	"hallfloor/room"
)

// startPlatformHall is a dayHall whose hall file pushes its ratings to a
// 好差评 platform (a local receiver taking everything).
func startPlatformHall(t *testing.T, start string) *dayHall {
	t.Helper()
	rx := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(rx.Close)
	cfg := config.Demo()
	week := []string{"09:00-12:00", "13:30-17:30"}
	cfg.Calendar = config.Calendar{Weekly: map[string][]string{"mon": week, "tue": week, "wed": week, "thu": week, "fri": week}}
	codes := map[string]string{}
	for i, r := range cfg.RatingSetup().Reasons {
		codes[r] = "10" + string(rune('1'+i))
	}
	cfg.Ratings.Platform = &config.RatingPlatform{URL: rx.URL, Secret: "platform-secret-0123", AreaCode: "331002",
		CreditCode: "11331002MB1234567X", ReasonCodes: codes,
		Departments: map[string]string{"scj": "11331002MB0000001A", "bdc": "11331002MB0000002B"}}
	if ps := cfg.Validate(); len(ps) > 0 {
		t.Fatal(ps)
	}
	h := &dayHall{t: t, now: dayAt(start), keys: map[string]string{}}
	run := apptest.Start(t, app.Options{Hall: cfg, Clock: h.clock})
	h.client, h.ts, h.eng = client{t, run.URL}, run.HTTP, run.Engine
	return h
}

// A day's records: the service whose case was opened and rated 差评, the
// service not rated (a record with no satisfaction), and the second rating
// after the rectification, given on its page; the CSV parses back to the
// same rows, in the hall's zone. Only a manager reads them, and the pushes.
func TestRatingRecordsOfADay(t *testing.T) {
	h := startPlatformHall(t, "2025-03-13 10:00:00")
	clerk, admin := h.login("1001"), h.login("admin")
	h.must(200, "POST", "/api/v1/windows/1/open", clerk, nil)
	h.issue("A")
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, nil)
	h.send(cases.Open{Window: "1", Item: "GTDJ", Name: "张三", IDHash: "h1", Party: cases.Enterprise,
		Received: []string{"sqs", "sfz", "cs"}, Missing: cases.MissingTolerate, Commitment: "三日内补交",
		Actor: room.Actor{Staff: "1001", Role: room.Clerk}})
	h.set("2025-03-13 10:10:00")
	h.must(200, "POST", "/api/v1/windows/1/finish", clerk, nil)
	h.must(201, "POST", "/api/v1/windows/1/rating", "", map[string]any{"level": 2, "reason": "等候时间过长"})
	h.issue("A")
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, nil)
	h.set("2025-03-13 10:20:00")
	h.must(200, "POST", "/api/v1/windows/1/finish", clerk, nil)
	h.must(200, "POST", "/api/v1/windows/1/rating/dismiss", "", map[string]string{"reason": "declined"})

	h.set("2025-03-13 15:00:00")
	var fu struct {
		SecondToken string `json:"second_token"`
	}
	h.must(200, "POST", "/api/v1/followups/FU1", admin, map[string]string{"action": "整改", "outcome": "增开窗口"}).into(t, &fu)
	if fu.SecondToken == "" {
		t.Fatal("a rectified follow-up has no second rating's link")
	}
	page := h.must(200, "GET", "/api/v1/second-ratings/"+fu.SecondToken, "", nil).json(t)
	if page["can_rate"] != true || page["number"] != "A001" || page["case"] == "" {
		t.Fatalf("second rating's page %v", page)
	}
	h.must(404, "GET", "/api/v1/second-ratings/nope", "", nil)
	h.set("2025-03-13 15:05:00")
	h.must(201, "POST", "/api/v1/second-ratings/"+fu.SecondToken, "", map[string]any{"level": 4})
	h.must(409, "POST", "/api/v1/second-ratings/"+fu.SecondToken, "", map[string]any{"level": 5})

	h.must(403, "GET", "/api/v1/ratings/records?date=2025-03-13", clerk, nil)
	r := h.must(200, "GET", "/api/v1/ratings/records?date=2025-03-13&format=csv", admin, nil)
	if !strings.HasPrefix(r.header.Get("Content-Type"), "text/csv") {
		t.Fatalf("content type %q", r.header.Get("Content-Type"))
	}
	rows, err := csv.NewReader(strings.NewReader(string(r.body))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 4 {
		t.Fatalf("rows %v", rows)
	}
	head := rows[0]
	col := func(row []string, name string) string { return row[slices.Index(head, name)] }
	first, unrated, second := rows[1], rows[2], rows[3]
	caseNo := col(first, "caseNumber")
	if caseNo == "" || col(first, "satisfaction") != "2" || col(first, "reasonCodes") != "101" || col(first, "ratingNumber") != "1" ||
		col(first, "deptCreditCode") != "11331002MB0000001A" || col(first, "itemCode") != "GTDJ" || col(first, "userType") != "1" ||
		col(first, "caseKind") != "2" || col(first, "channelCode") != "4" || col(first, "areaCode") != "331002" ||
		col(first, "time") != "2025-03-13T10:10:00+08:00" || col(first, "ticketNumber") != "A001" {
		t.Errorf("the first rating %v", first)
	}
	if col(unrated, "ticketNumber") != "A002" || col(unrated, "satisfaction") != "" || col(unrated, "caseNumber") != "" ||
		col(unrated, "deptCreditCode") != "11331002MB1234567X" || col(unrated, "userType") != "" || col(unrated, "time") != "2025-03-13T10:20:00+08:00" {
		t.Errorf("the service not rated %v", unrated)
	}
	if col(second, "ticketNumber") != "A001" || col(second, "caseNumber") != caseNo || col(second, "satisfaction") != "4" ||
		col(second, "ratingNumber") != "2" || col(second, "channelCode") != "7" || col(second, "time") != "2025-03-13T15:05:00+08:00" {
		t.Errorf("the second rating %v", second)
	}
	var js struct {
		Date    string `json:"date"`
		Records []struct {
			Satisfaction *int   `json:"satisfaction"`
			CaseNumber   string `json:"caseNumber"`
		} `json:"records"`
	}
	h.must(200, "GET", "/api/v1/ratings/records?date=2025-03-13", admin, nil).into(t, &js)
	if js.Date != "2025-03-13" || len(js.Records) != 3 || js.Records[1].Satisfaction != nil || js.Records[0].CaseNumber != caseNo {
		t.Fatalf("json %+v", js)
	}

	var ps struct {
		Pushes []struct {
			Hook  string `json:"hook"`
			Class string `json:"class"`
			Event string `json:"event"`
		} `json:"pushes"`
	}
	h.must(403, "GET", "/api/v1/pushes", clerk, nil)
	h.must(200, "GET", "/api/v1/pushes", admin, nil).into(t, &ps)
	if len(ps.Pushes) != 2 || ps.Pushes[0].Hook != "ratings-platform" || ps.Pushes[0].Event != "rating.given" {
		t.Fatalf("pushes %+v", ps)
	}
	h.must(400, "GET", "/api/v1/pushes?status=lost", admin, nil)
}
