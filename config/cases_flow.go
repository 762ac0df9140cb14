package config

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"hallfloor/cases"
)

// CaseJoint is a department giving its opinion on an item's cases within
// Days working days of the acceptance (联合办理).
type CaseJoint struct {
	Department string `yaml:"department"`
	Days       int    `yaml:"days"`
}

// CaseCrossArea is the other area's department deciding a 同城通办 item:
// names shown on the case and on the post, not departments of this hall.
type CaseCrossArea struct {
	Area       string `yaml:"area"`
	Department string `yaml:"department"`
}

// validateItemFlow checks an item's joint departments and 同城通办 area.
func (h *Hall) validateItemFlow(add func(key, format string, args ...any), key string, it CaseItem, known map[string]bool) {
	if x := it.CrossArea; x != nil {
		ck := key + ".cross_area"
		if it.Department != "" {
			add(key+".department", "a 同城通办 item is decided by %s of %s; leave department out", x.Department, x.Area)
		}
		for _, f := range []struct{ key, value string }{{"area", x.Area}, {"department", x.Department}} {
			switch n := utf8.RuneCountInString(strings.TrimSpace(f.value)); {
			case n == 0:
				add(ck+"."+f.key, "missing; the other area's %s is printed on the post and shows on the case", f.key)
			case n > 50:
				add(ck+"."+f.key, "is longer than 50 characters")
			}
		}
		if len(it.Joint) > 0 {
			add(key+".joint", "a 同城通办 item is decided in the other area; its joint opinions are that area's business")
		}
		if it.Kind == KindImmediate {
			add(key+".kind", "a 同城通办 item travels by post for a working day each way; it cannot be a 即办件")
		}
	}
	if len(it.Joint) > 0 && it.Kind == KindImmediate {
		add(key+".joint", "a 即办件 is decided the same working day; it cannot wait for joint opinions")
	}
	seen := map[string]bool{}
	for j, d := range it.Joint {
		jk := fmt.Sprintf("%s.joint[%d]", key, j)
		switch {
		case !known[d.Department]:
			add(jk+".department", "no department %q in the consult or cases section", d.Department)
		case d.Department == it.Department:
			add(jk+".department", "%q leads the item; a joint department is another one", d.Department)
		case seen[d.Department]:
			add(jk+".department", "%q is listed twice", d.Department)
		}
		seen[d.Department] = true
		if it.Kind == KindPromised && (d.Days < 1 || d.Days > it.Days) {
			add(jk+".days", "%d must be between 1 and the item's %d promised working days: the opinion comes within them", d.Days, it.Days)
		}
	}
}

func (h *Hall) validateCaseSettings(add func(key, format string, args ...any)) {
	if m := h.Cases.HandoverSignMinutes; m < 0 || m > 24*60 {
		add("cases.handover_sign_minutes", "%d must be between 1 and 1440 minutes (30 when left out)", m)
	}
	if d := h.Cases.KeepClosedDays; d < 0 || (d > 0 && d < 7) || d > 3660 {
		add("cases.keep_closed_days", "%d must be between 7 and 3660 days (90 when left out): closed cases stay for the week's reports at least", d)
	}
}

// flowSetup is the item's joint departments and other area as the cases'
// rules need them.
func (it CaseItem) flowSetup() ([]cases.JointDepartment, *cases.CrossArea) {
	var joint []cases.JointDepartment
	for _, d := range it.Joint {
		joint = append(joint, cases.JointDepartment{Department: d.Department, Days: d.Days})
	}
	if it.CrossArea == nil {
		return joint, nil
	}
	return joint, &cases.CrossArea{Area: strings.TrimSpace(it.CrossArea.Area), Department: strings.TrimSpace(it.CrossArea.Department)}
}
