package config

import (
	"slices"
	"testing"
	"time"

	"hallfloor/cases"
)

// The demo hall's 个体工商户设立登记 is joint with the 不动产登记中心, its
// 同城通办 item goes to 浉河区, and the section's settings reach the rules.
func TestCasesFlowSection(t *testing.T) {
	cs := Demo().Setup().Cases
	gt, tb := cs.Item("GTDJ"), cs.Item("TBBG")
	if gt == nil || !slices.Equal(gt.Joint, []cases.JointDepartment{{Department: "bdc", Days: 2}}) || gt.Cross != nil {
		t.Fatalf("joint item %+v", gt)
	}
	if tb == nil || tb.Cross == nil || *tb.Cross != (cases.CrossArea{Area: "信阳市浉河区", Department: "浉河区市场监督管理局"}) ||
		tb.Department != "" || tb.Joint != nil {
		t.Fatalf("同城通办 item %+v", tb)
	}
	if cs.SignWithin != 30*time.Minute || cs.KeepClosedDays != 90 {
		t.Fatalf("settings %v %d", cs.SignWithin, cs.KeepClosedDays)
	}
	h := Demo()
	h.Cases.HandoverSignMinutes, h.Cases.KeepClosedDays = 0, 0
	if ps := h.Validate(); len(ps) != 0 {
		t.Fatalf("settings left out: %v", ps)
	}
	if s := h.Setup().Cases; s.SignWithin != cases.DefaultSignWithin || s.KeepClosedDays != cases.DefaultKeepClosedDays {
		t.Fatalf("defaults %v %d", s.SignWithin, s.KeepClosedDays)
	}
}

// Every mistake in the joint lists, the other areas and the settings is
// named by its key.
func TestCasesFlowProblems(t *testing.T) {
	cross := func(h *Hall) *CaseItem { return &h.Cases.Items[2] }
	for _, tt := range []struct {
		name string
		edit func(h *Hall)
		want string
	}{
		{"a joint department unknown", func(h *Hall) { h.Cases.Items[0].Joint[0].Department = "nope" }, "cases.items[0].joint[0].department"},
		{"the lead as its own joint", func(h *Hall) { h.Cases.Items[0].Joint[0].Department = "scj" }, "cases.items[0].joint[0].department"},
		{"a joint department twice", func(h *Hall) {
			h.Cases.Items[0].Joint = append(h.Cases.Items[0].Joint, CaseJoint{Department: "bdc", Days: 1})
		}, "cases.items[0].joint[1].department"},
		{"opinion days past the promise", func(h *Hall) { h.Cases.Items[0].Joint[0].Days = 4 }, "cases.items[0].joint[0].days"},
		{"no opinion days", func(h *Hall) { h.Cases.Items[0].Joint[0].Days = 0 }, "cases.items[0].joint[0].days"},
		{"a joint 即办件", func(h *Hall) { h.Cases.Items[1].Joint = []CaseJoint{{Department: "scj"}} }, "cases.items[1].joint"},
		{"a 同城通办 item with a local department", func(h *Hall) { cross(h).Department = "scj" }, "cases.items[2].department"},
		{"no area", func(h *Hall) { cross(h).CrossArea.Area = " " }, "cases.items[2].cross_area.area"},
		{"no area department", func(h *Hall) { cross(h).CrossArea.Department = "" }, "cases.items[2].cross_area.department"},
		{"a 同城通办 即办件", func(h *Hall) { cross(h).Kind, cross(h).Days = KindImmediate, 0 }, "cases.items[2].kind"},
		{"a joint 同城通办 item", func(h *Hall) { cross(h).Joint = []CaseJoint{{Department: "bdc", Days: 1}} }, "cases.items[2].joint"},
		{"a local item without department", func(h *Hall) { h.Cases.Items[1].Department = "" }, "cases.items[1].department"},
		{"a negative signing time", func(h *Hall) { h.Cases.HandoverSignMinutes = -1 }, "cases.handover_sign_minutes"},
		{"a signing time past the day", func(h *Hall) { h.Cases.HandoverSignMinutes = 2000 }, "cases.handover_sign_minutes"},
		{"closed cases kept for days", func(h *Hall) { h.Cases.KeepClosedDays = 3 }, "cases.keep_closed_days"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := Demo()
			tt.edit(h)
			if keys := problemKeys(h); !slices.Contains(keys, tt.want) {
				t.Errorf("no problem under %s in %v", tt.want, keys)
			}
		})
	}
}

// problemKeys are the keys the hall file's problems are under.
func problemKeys(h *Hall) []string {
	var keys []string
	for _, p := range h.Validate() {
		keys = append(keys, p.Key)
	}
	return keys
}
