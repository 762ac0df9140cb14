package config

import (
	"slices"
	"testing"
	"time"

	"hallfloor/cases"
)

// The demo hall's two items reach the cases' rules as the hall file says,
// decided by the consult departments' staff, with deadlines on the hall's
// calendar.
func TestCasesSection(t *testing.T) {
	cs := Demo().Setup().Cases
	gt, cx := cs.Item("GTDJ"), cs.Item("BDCCX")
	if len(cs.Items) != 3 || gt == nil || cx == nil {
		t.Fatalf("demo items %+v", cs.Items)
	}
	if gt.Department != "scj" || gt.Kind != cases.Promised || gt.Days != 3 || len(gt.Materials) != 3 || gt.Materials[0].Name != "个体工商户登记申请书" {
		t.Fatalf("个体工商户设立登记 %+v", gt)
	}
	if cx.Department != "bdc" || cx.Kind != cases.Immediate || cx.Days != 0 {
		t.Fatalf("不动产登记资料查询 %+v", cx)
	}
	if d := cs.Department("scj"); d == nil || !d.Member("3001") || !d.Member("3002") || d.Member("3101") {
		t.Fatalf("市场监管局 %+v", d)
	}
	if cs.Calendar == nil {
		t.Fatal("no calendar for the deadlines")
	}
	h := Demo()
	h.Cases.Departments = []CaseDepartment{{ID: "swj", Name: "税务局", Staff: []string{"3101"}}}
	h.Cases.Items[1].Department = "swj"
	if ps := h.Validate(); len(ps) != 0 {
		t.Fatalf("a department of the section: %v", ps)
	}
	if d := h.Setup().Cases.Department("swj"); d == nil || !d.Member("3101") {
		t.Fatalf("税务局 %+v", d)
	}
	now := time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC)
	if got := cs.Deadline(cx, now); !got.After(now) {
		t.Fatalf("即办件 deadline %v", got)
	}
}

// Every mistake in the section is named by its key.
func TestCasesSectionProblems(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(h *Hall)
		want string
	}{
		{"an item twice", func(h *Hall) { h.Cases.Items[1].Code = "GTDJ" }, "cases.items[1].code"},
		{"a bad code", func(h *Hall) { h.Cases.Items[0].Code = "a b" }, "cases.items[0].code"},
		{"no name", func(h *Hall) { h.Cases.Items[0].Name = " " }, "cases.items[0].name"},
		{"no department", func(h *Hall) { h.Cases.Items[0].Department = "nope" }, "cases.items[0].department"},
		{"an unknown kind", func(h *Hall) { h.Cases.Items[0].Kind = "promised" }, "cases.items[0].kind"},
		{"a 承诺件 without days", func(h *Hall) { h.Cases.Items[0].Days = 0 }, "cases.items[0].days"},
		{"a 即办件 with days", func(h *Hall) { h.Cases.Items[1].Days = 2 }, "cases.items[1].days"},
		{"no materials", func(h *Hall) { h.Cases.Items[0].Materials = nil }, "cases.items[0].materials"},
		{"a material twice", func(h *Hall) { h.Cases.Items[0].Materials[1].Code = "sqs" }, "cases.items[0].materials[1].code"},
		{"a material unnamed", func(h *Hall) { h.Cases.Items[0].Materials[2].Name = "" }, "cases.items[0].materials[2].name"},
		{"a consult department again", func(h *Hall) {
			h.Cases.Departments = []CaseDepartment{{ID: "scj", Name: "市场监管局", Staff: []string{"3001"}}}
		}, "cases.departments[0].id"},
		{"a department unnamed", func(h *Hall) {
			h.Cases.Departments = []CaseDepartment{{ID: "swj", Staff: []string{"3001"}}}
		}, "cases.departments[0].name"},
		{"nobody decides", func(h *Hall) { h.Cases.Departments = []CaseDepartment{{ID: "swj", Name: "税务局"}} }, "cases.departments[0].staff"},
		{"a stranger", func(h *Hall) {
			h.Cases.Departments = []CaseDepartment{{ID: "swj", Name: "税务局", Staff: []string{"9999"}}}
		}, "cases.departments[0].staff[0]"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := Demo()
			tt.edit(h)
			var keys []string
			for _, p := range h.Validate() {
				keys = append(keys, p.Key)
			}
			if !slices.Contains(keys, tt.want) {
				t.Errorf("no problem under %s in %v", tt.want, keys)
			}
		})
	}
	if _, err := Parse(append(append([]byte{}, demoYAML...), []byte("\ncases_typo: 1\n")...)); err == nil {
		t.Fatal("an unknown key was accepted")
	}
}
