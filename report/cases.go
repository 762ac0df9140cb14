package report

import (
	"math"

	"hallfloor/cases"
	"hallfloor/hall"
	"hallfloor/room"
)

// CaseCounts are the cases (办件) of an item, a department or the hall,
// each counted on the day its event happened: a case opened on Monday and
// decided on Friday is opened in Monday's figures and decided in Friday's.
type CaseCounts struct {
	Opened int `json:"opened"`
	// Tolerated are the cases opened under 容缺, materials still owed;
	// Settled the cases whose last materials owed were handed in, as the
	// case room's Supplied.Settled says.
	Tolerated int `json:"tolerated"`
	Settled   int `json:"settled"`
	// Notices are the 一次性告知单 issued: intakes refused for missing
	// materials, no case opened.
	Notices  int `json:"notices"`
	Accepted int `json:"accepted"`
	// Deemed are the acceptances of cases left without a 补正通知 for 5
	// working days, counted among Accepted.
	Deemed      int `json:"deemed"`
	Supplements int `json:"supplements"` // 补正通知 sent
	// Decided are the results made and the refusals; OnTime those within
	// the promised deadline (按时办结).
	Decided int `json:"decided"`
	OnTime  int `json:"on_time"`
	Refused int `json:"refused"`
	Closed  int `json:"closed"` // 办结: delivered, or a refusal handed over
	Overdue int `json:"overdue"`
}

// fields are the counts in their durable order: a new count goes last.
func (c *CaseCounts) fields() [12]*int {
	return [12]*int{&c.Opened, &c.Tolerated, &c.Settled, &c.Notices, &c.Accepted, &c.Deemed, &c.Supplements,
		&c.Decided, &c.OnTime, &c.Refused, &c.Closed, &c.Overdue}
}

func (c *CaseCounts) add(o CaseCounts) {
	of := o.fields()
	for i, f := range c.fields() {
		*f += *of[i]
	}
}

// caseCount is what a case event counts, and for which item and
// department; ok is false for an event of no case. The figures and the
// report from events both count through it, so they cannot count a case
// event differently.
func caseCount(setup *hall.Setup, e room.Event) (item, dept string, n CaseCounts, ok bool) {
	decided := func(r cases.Ref, late bool) (string, string, CaseCounts, bool) {
		n := CaseCounts{Decided: 1}
		if !late {
			n.OnTime = 1
		}
		return r.Item, r.Department, n, true
	}
	switch p := e.Data.(type) {
	case cases.Opened:
		n.Opened = 1
		if len(p.Missing) > 0 {
			n.Tolerated = 1
		}
		return p.Case.Item, p.Department, n, true
	case cases.NoticeIssued:
		// No case is opened: the item's department is the catalogue's.
		if it := setup.Cases.Item(p.Item); it != nil {
			dept = it.Department
		}
		return p.Item, dept, CaseCounts{Notices: 1}, true
	case cases.Supplied:
		if p.Settled {
			n.Settled = 1
		}
		return p.Case.Item, p.Case.Department, n, true
	case cases.CaseAccepted:
		n.Accepted = 1
		if p.Deemed {
			n.Deemed = 1
		}
		return p.Case.Item, p.Case.Department, n, true
	case cases.SupplementAsked:
		return p.Case.Item, p.Case.Department, CaseCounts{Supplements: 1}, true
	case cases.ResultMade:
		return decided(p.Case, p.Late)
	case cases.CaseRefused:
		item, dept, n, ok = decided(p.Case, p.Late)
		n.Refused = 1
		return item, dept, n, ok
	case cases.CaseClosed:
		return p.Case.Item, p.Case.Department, CaseCounts{Closed: 1}, true
	case cases.CaseOverdue:
		return p.Case.Item, p.Department, CaseCounts{Overdue: 1}, true
	}
	return "", "", n, false
}

// CaseRow is the cases of one item, one department or the hall, with the
// on-time rate (按时办结率: decided on time of those decided) and the 容缺
// completion (settled of those tolerated), null when there are none to
// divide by.
type CaseRow struct {
	// Key is the item's code, the department's id, or "*" for the hall.
	Key    string `json:"key"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
	// Department is an item's department.
	Department string `json:"department,omitempty"`
	CaseCounts
	OnTimeRate  *float64 `json:"on_time_rate"`
	SettledRate *float64 `json:"settled_rate"`
}

// Cases is a period's cases per item of the catalogue and per department
// deciding them, in the hall file's order, and in all.
type Cases struct {
	Items       []CaseRow `json:"items"`
	Departments []CaseRow `json:"departments"`
	Totals      CaseRow   `json:"totals"`
}

func share(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	v := math.Round(float64(n)/float64(of)*1000) / 1000
	return &v
}

func caseRow(key, name, nameEN string, c CaseCounts) CaseRow {
	return CaseRow{Key: key, Name: name, NameEN: nameEN, CaseCounts: c,
		OnTimeRate: share(c.OnTime, c.Decided), SettledRate: share(c.Settled, c.Tolerated)}
}

// casesReport lays out the counts of each item and department, and the
// hall's; nil in a hall without an item catalogue.
func casesReport(setup *hall.Setup, item, dept func(string) CaseCounts, total CaseCounts) *Cases {
	cs := setup.Cases
	if cs == nil || len(cs.Items) == 0 {
		return nil
	}
	out := &Cases{Items: []CaseRow{}, Departments: []CaseRow{}, Totals: caseRow("*", "合计", "Total", total)}
	for _, it := range cs.Items {
		row := caseRow(it.Code, it.Name, it.NameEN, item(it.Code))
		row.Department = it.Department
		out.Items = append(out.Items, row)
	}
	for _, d := range cs.Departments {
		nameEN := ""
		if setup.Consults != nil {
			// A department answering 咨询号 too has its English name there.
			if k := setup.Consults.Department(d.ID); k != nil {
				nameEN = k.NameEN
			}
		}
		out.Departments = append(out.Departments, caseRow(d.ID, d.Name, nameEN, dept(d.ID)))
	}
	return out
}
