package hall

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"hallfloor/cases"
)

// Alert kinds of the cases (办件): what a department owes the hall, and
// the hall the department, past its time.
const (
	// Paper materials not handed over in time, per department: the
	// intake windows' clerks should take them now.
	AlertCaseHandover = "case_handover"
	// A 材料交接 batch its department has not signed for.
	AlertCaseBatch = "case_batch"
	// A joint department's opinion (联办) past its deadline.
	AlertCaseOpinion = "case_opinion"
	// A 同城通办 case's materials not posted, or its result not back.
	AlertCaseCrossPost   = "case_cross_post"
	AlertCaseCrossResult = "case_cross_result"
	// A 容缺 case whose materials are still missing past their day.
	AlertCaseSupply = "case_supply"
	// A department's cases past their promised deadline (承诺时限), still
	// owed a decision or a result.
	AlertCaseOverdue = "case_overdue"
)

// tally counts, per department, the cases late for something and since
// when the first of them is: one alert says it all for the department.
type tally map[string]*owed

type owed struct {
	count int
	since time.Time
}

func (t tally) add(dept string, since time.Time) {
	o := t[dept]
	if o == nil {
		o = &owed{since: since}
		t[dept] = o
	}
	o.count++
	if since.Before(o.since) {
		o.since = since
	}
}

// caseAlerts are the cases' open alerts. Alerts are public, so they name
// 办件编号, departments and areas, never an applicant.
func caseAlerts(s *State, setup *Setup, now time.Time) []Alert {
	cs, loc := setup.Cases, setup.Location()
	day := func(t time.Time) string { return t.In(loc).Format(time.DateOnly) }
	name := func(id string) string {
		if d := cs.Department(id); d != nil {
			return d.Name
		}
		return id
	}
	var out []Alert
	handover, overdue := tally{}, tally{}
	for _, k := range cases.OpenCases(s.Cases) {
		if k.Overdue && k.Status.Deciding() {
			overdue.add(k.Department, k.Deadline)
		}
		if k.HandoverOwed() {
			handover.add(k.Department, k.HandoverBy)
		}
		for _, o := range k.LateOpinions() {
			out = append(out, Alert{Kind: AlertCaseOpinion, Level: "bad", Subject: k.Number + " " + o.Department, Since: o.Due,
				Args: map[string]string{"number": k.Number, "department": name(o.Department), "lead": name(k.Department), "deadline": day(o.Due)}})
		}
		switch k.LateLeg() {
		case cases.LegPost:
			out = append(out, Alert{Kind: AlertCaseCrossPost, Level: "bad", Subject: k.Number, Since: k.Cross.PostBy,
				Args: map[string]string{"number": k.Number, "area": k.Cross.Area, "department": k.Cross.Department, "deadline": day(k.Cross.PostBy)}})
		case cases.LegResult:
			out = append(out, Alert{Kind: AlertCaseCrossResult, Level: "bad", Subject: k.Number, Since: k.Cross.ResultBy,
				Args: map[string]string{"number": k.Number, "area": k.Cross.Area, "department": k.Cross.Department, "deadline": day(k.Cross.ResultBy)}})
		}
		if k.SupplyOwed() {
			owner := name(k.Department)
			if k.Cross != nil {
				owner = k.Cross.Area + k.Cross.Department
			}
			out = append(out, Alert{Kind: AlertCaseSupply, Level: "warn", Subject: k.Number, Since: k.SupplyBy,
				Args: map[string]string{"number": k.Number, "department": owner, "deadline": day(k.SupplyBy),
					"count": strconv.Itoa(len(k.Missing))}})
		}
	}
	for _, d := range slices.Sorted(maps.Keys(handover)) {
		o := handover[d]
		out = append(out, Alert{Kind: AlertCaseHandover, Level: "bad", Subject: d, Since: o.since,
			Args: map[string]string{"department": name(d), "count": strconv.Itoa(o.count), "since": o.since.In(loc).Format("15:04")}})
	}
	for _, d := range slices.Sorted(maps.Keys(overdue)) {
		o := overdue[d]
		out = append(out, Alert{Kind: AlertCaseOverdue, Level: "bad", Subject: d, Since: o.since,
			Args: map[string]string{"department": name(d), "count": strconv.Itoa(o.count), "deadline": day(o.since)}})
	}
	for _, b := range cases.UnsignedBatches(s.Cases) {
		if b.Late {
			out = append(out, Alert{Kind: AlertCaseBatch, Level: "warn", Subject: b.Number, Since: b.SentAt,
				Args: map[string]string{"number": b.Number, "department": name(b.Department), "count": strconv.Itoa(len(b.Cases)),
					"minutes": strconv.Itoa(int(now.Sub(b.SentAt).Minutes()))}})
		}
	}
	slices.SortStableFunc(out, func(a, b Alert) int {
		return cmp.Or(strings.Compare(a.Kind, b.Kind), a.Since.Compare(b.Since), strings.Compare(a.Subject, b.Subject))
	})
	return out
}
