package report

import (
	"fmt"
	"testing"
	"time"

	"hallfloor/cases"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/room"
)

// withCases gives the hall an item catalogue: 个体工商户登记 (GTDJ), a 承诺件
// of 3 working days decided by 市场监管局 (scj, which answers 咨询号 too),
// and 不动产查询 (BDCCX), a 即办件 of 不动产登记中心 (bdc).
func withCases(h *liveHall) {
	h.setup.Cases = cases.NewSetup(cases.Setup{Calendar: h.setup.Calendar(),
		Items: []cases.Item{
			{Code: "GTDJ", Name: "个体工商户登记", NameEN: "Sole trader registration", Department: "scj", Kind: cases.Promised, Days: 3,
				Materials: []cases.Material{{Code: "id", Name: "身份证"}, {Code: "lease", Name: "租赁合同"}}},
			{Code: "BDCCX", Name: "不动产查询", NameEN: "Property search", Department: "bdc", Kind: cases.Immediate,
				Materials: []cases.Material{{Code: "id", Name: "身份证"}}},
		},
		Departments: []cases.Department{{ID: "scj", Name: "市场监管局", Staff: []string{"d1"}}, {ID: "bdc", Name: "不动产登记中心", Staff: []string{"b1"}}},
	})
}

var caseStaff = map[string]room.Actor{"scj": {Staff: "d1"}, "bdc": {Staff: "b1"}}

// intake is the clerk at window w, serving a 收件号, receiving a case now
// and then: complete, under 容缺, or refused with the 一次性告知单.
func (h *simHall) intake(w string, actor room.Actor) {
	if h.rng.IntN(5) > 0 {
		return
	}
	h.caseIDs++
	open := cases.Open{ID: fmt.Sprintf("c%05d", h.caseIDs), Window: w, Item: []string{"GTDJ", "BDCCX"}[h.rng.IntN(2)],
		Name: "李四", IDHash: fmt.Sprintf("h%05d", h.caseIDs), Party: cases.Person, Received: []string{"id", "lease"}, Actor: actor}
	if open.Item == "BDCCX" {
		open.Received = []string{"id"}
	}
	switch h.rng.IntN(5) {
	case 0:
		open.Received, open.Missing = open.Received[:len(open.Received)-1], cases.MissingRefuse
	case 1:
		open.Received, open.Missing, open.Commitment = open.Received[:len(open.Received)-1], cases.MissingTolerate, "三日内补齐"
	case 2:
		// The last material comes in the 免跑腿信封, where the hall has
		// one.
		if h.setup.Envelopes.Recipient.Address != "" {
			h.issueEnvelope(open)
			return
		}
	}
	// One case in eight the department leaves alone: deemed accepted
	// after 5 working days, overdue, never decided.
	if _, ok := h.try(open); ok && open.Missing != cases.MissingRefuse && h.rng.IntN(8) > 0 {
		h.open = append(h.open, open.ID)
	}
}

// backOffice is a move of the departments on the oldest case not closed:
// a step further (accepted, a 补正通知, materials owed handed in, approved
// or refused, the result made, delivered by post, a refusal handed over),
// or left a while, long enough at times to be deemed accepted or overdue
// and decided late.
func (h *simHall) backOffice() {
	if len(h.open) == 0 || h.rng.IntN(2) > 0 {
		return
	}
	id := h.open[h.rng.IntN(min(3, len(h.open)))]
	k := h.s.Cases.Cases[id]
	staff := caseStaff[k.Department]
	if len(k.Missing) > 0 && h.rng.IntN(2) == 0 {
		if h.s.Envelopes.Envelopes[id] != nil {
			return // its envelope brings it
		}
		h.try(cases.Supply{Case: id, Materials: k.Missing, Actor: clerk("s1")})
		return
	}
	switch n := h.rng.IntN(10); k.Status {
	case cases.Received:
		switch {
		case n < 4:
			h.try(cases.Accept{Case: id, Actor: staff})
		case n < 6:
			h.try(cases.AskSupplement{Case: id, Materials: []string{"id"}, Note: "复印件不清", Actor: staff})
		case n < 7:
			h.try(cases.Refuse{Case: id, Reason: "不符合登记条件", Actor: staff})
		}
	case cases.Supplement:
		// Answered, the case waits for the department's acceptance.
		if len(k.Asked) == 0 {
			h.try(cases.Accept{Case: id, Actor: staff})
		} else if n < 5 {
			h.try(cases.Supply{Case: id, Materials: k.Asked, Actor: clerk("s1")})
		}
	case cases.Accepted:
		switch {
		case n < 5:
			h.try(cases.Approve{Case: id, Actor: staff})
		case n < 6:
			h.try(cases.Refuse{Case: id, Reason: "材料不实", Actor: staff})
		}
	case cases.Approved:
		if n < 6 {
			h.try(cases.MarkReady{Case: id, Actor: staff})
		}
	case cases.Ready:
		h.try(cases.ChooseCollection{Case: id, Channel: cases.ChannelPost, Address: "椒江区", Actor: clerk("s1")})
		h.try(cases.Deliver{Case: id, Channel: cases.ChannelPost, Courier: "EMS", Waybill: "E" + id, Actor: clerk("s1")})
	case cases.Posted:
		h.try(cases.RecordReceipt{Case: id, Actor: clerk("s1")})
	case cases.Refused:
		h.try(cases.Close{Case: id, Actor: clerk("s1")})
	}
	if h.s.Cases.Cases[id].Status == cases.Closed {
		for i, o := range h.open {
			if o == id {
				h.open = append(h.open[:i], h.open[i+1:]...)
				break
			}
		}
	}
}

// caseKinds fails unless the counts have every kind of case figure: a
// simulated month missing one could not show that either way counts it.
func caseKinds(t *testing.T, what string, c CaseCounts) {
	t.Helper()
	for i, f := range c.fields() {
		if *f == 0 {
			t.Fatalf("%s: case figure %d is never counted: %+v", what, i, c)
		}
	}
	if c.OnTime == c.Decided {
		t.Fatalf("%s: no case decided late: %+v", what, c)
	}
}

// One day's cases at the counter and in the back office, counted per item,
// per department (市场监管局 also answering 咨询号) and in all, from the
// events and from the daily figures alike, and in the export's sheet.
func TestCasesReported(t *testing.T) {
	h := newHall(t)
	withDepartments(h)
	withCases(h)
	s1, d1, b1 := clerk("s1"), room.Actor{Staff: "d1"}, room.Actor{Staff: "b1"}
	h.do("2025-03-10 09:00:00", queue.OpenWindow{Window: "1", Actor: s1})
	h.do("2025-03-10 09:00:00", queue.IssueTicket{Service: "A"})
	h.do("2025-03-10 09:01:00", queue.CallNext{Window: "1", Actor: s1})
	open := func(when, id, item string, received []string, missing string) {
		h.do(when, cases.Open{ID: id, Window: "1", Item: item, Name: "李四", IDHash: "h" + id, Party: cases.Person,
			Received: received, Missing: missing, Commitment: "三日内补齐", Actor: s1})
	}
	open("2025-03-10 09:02:00", "g1", "GTDJ", []string{"id", "lease"}, "")
	open("2025-03-10 09:03:00", "g2", "GTDJ", []string{"id"}, cases.MissingTolerate)
	open("2025-03-10 09:04:00", "", "GTDJ", []string{"id"}, cases.MissingRefuse)
	open("2025-03-10 09:05:00", "b1", "BDCCX", []string{"id"}, "")
	open("2025-03-10 09:06:00", "b2", "BDCCX", []string{"id"}, "")
	h.do("2025-03-10 10:00:00", cases.Supply{Case: "g2", Materials: []string{"lease"}, Actor: s1})
	h.do("2025-03-10 10:01:00", cases.Accept{Case: "g1", Actor: d1})
	h.do("2025-03-10 10:02:00", cases.AskSupplement{Case: "g2", Materials: []string{"id"}, Actor: d1})
	h.do("2025-03-10 10:03:00", cases.Approve{Case: "g1", Actor: d1})
	h.do("2025-03-10 10:04:00", cases.MarkReady{Case: "g1", Actor: d1})
	h.do("2025-03-10 10:05:00", cases.ChooseCollection{Case: "g1", Channel: cases.ChannelPost, Address: "椒江区", Actor: s1})
	h.do("2025-03-10 10:05:00", cases.Deliver{Case: "g1", Channel: cases.ChannelPost, Courier: "EMS", Waybill: "E1", Actor: s1})
	h.do("2025-03-10 10:30:00", cases.RecordReceipt{Case: "g1", Actor: s1})
	h.do("2025-03-10 11:00:00", cases.Accept{Case: "b1", Actor: b1})
	h.do("2025-03-10 11:01:00", cases.Approve{Case: "b1", Actor: b1})
	h.do("2025-03-10 11:02:00", cases.MarkReady{Case: "b1", Actor: b1})
	// b2, a 即办件, is still waiting at midnight: overdue, then refused late.
	h.do("2025-03-11 00:00:05", hall.Tick{})
	h.do("2025-03-11 09:00:00", cases.Refuse{Case: "b2", Reason: "无此不动产", Actor: b1})

	gtdj := CaseCounts{Opened: 2, Tolerated: 1, Settled: 1, Notices: 1, Accepted: 1, Supplements: 1, Decided: 1, OnTime: 1, Closed: 1}
	bdc10 := CaseCounts{Opened: 2, Accepted: 1, Decided: 1, OnTime: 1}
	now := at("2025-03-12 10:00:00")
	for _, c := range []struct {
		label     string
		bdc       CaseCounts
		onTime    *float64
		bdcOnTime string
	}{
		{"2025-03-10", bdc10, ptr(1.0), "100.0%"},
		{"2025-03", CaseCounts{Opened: 2, Accepted: 1, Decided: 2, OnTime: 1, Refused: 1, Overdue: 1}, ptr(0.5), "50.0%"},
	} {
		total := gtdj
		total.add(c.bdc)
		for name, rep := range bothWays(t, h, c.label, now) {
			cs := rep.Cases
			if cs == nil || len(cs.Items) != 2 || len(cs.Departments) != 2 {
				t.Fatalf("%s from the %s: cases %+v", c.label, name, cs)
			}
			if it := cs.Items[0]; it.Key != "GTDJ" || it.Department != "scj" || it.CaseCounts != gtdj || *it.OnTimeRate != 1 || *it.SettledRate != 1 {
				t.Errorf("%s from the %s: GTDJ %+v, want %+v", c.label, name, it, gtdj)
			}
			if it := cs.Items[1]; it.Key != "BDCCX" || it.CaseCounts != c.bdc || *it.OnTimeRate != *c.onTime || it.SettledRate != nil {
				t.Errorf("%s from the %s: BDCCX %+v, want %+v", c.label, name, it, c.bdc)
			}
			if d := cs.Departments; d[0].Key != "scj" || d[0].CaseCounts != gtdj || d[1].Key != "bdc" || d[1].CaseCounts != c.bdc {
				t.Errorf("%s from the %s: departments %+v", c.label, name, d)
			}
			if cs.Totals.CaseCounts != total {
				t.Errorf("%s from the %s: totals %+v, want %+v", c.label, name, cs.Totals.CaseCounts, total)
			}
			last := tableNamed(rep.Tables(), "办件 Cases")
			if last.Name != "办件 Cases" || len(last.Rows) != 5 || last.Rows[1][1] != "BDCCX" || last.Rows[1][15] != c.bdcOnTime ||
				last.Rows[1][16] != "—" || last.Rows[0][16] != "100.0%" || last.Rows[4][0] != "合计 total" || last.Rows[4][3] != "4" {
				t.Errorf("%s from the %s: the cases' sheet %q %q", c.label, name, last.Name, last.Rows)
			}
		}
	}
	// A day without cases: every row at zero, no rate.
	p, _ := Day("2025-03-12", shanghai)
	if cs := fromDays(t, h, p, now).Report("演示").Cases; cs.Totals.CaseCounts != (CaseCounts{}) || cs.Totals.OnTimeRate != nil {
		t.Errorf("a day without cases: %+v", cs.Totals)
	}
}

func ptr(v float64) *float64 { return &v }

// bothWays is the report of a day or a month (label) from the events and
// from the daily figures, by the way it was made.
func bothWays(t *testing.T, h *liveHall, label string, now time.Time) map[string]Report {
	t.Helper()
	p, err := Day(label, shanghai)
	if err != nil {
		p, _ = Month(label, shanghai)
	}
	return map[string]Report{"events": h.build(p, now).Report("演示"), "daily figures": fromDays(t, h, p, now).Report("演示")}
}

// tableNamed is the export's table of the name, or an empty one.
func tableNamed(tables []Table, name string) Table {
	for _, t := range tables {
		if t.Name == name {
			return t
		}
	}
	return Table{}
}

// The report of a hall without an item catalogue has no cases.
func TestNoCatalogueNoCases(t *testing.T) {
	h := newHall(t)
	p, _ := Day("2025-03-10", shanghai)
	if rep := h.build(p, at("2025-03-11 10:00:00")).Report(""); rep.Cases != nil {
		t.Fatalf("cases %+v", rep.Cases)
	}
}
