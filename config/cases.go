package config

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/calendar"
	"hallfloor/cases"
)

// Cases is the hall file's section of cases (办件): the catalogue of items
// (事项) the intake windows receive, each decided by a department (one of
// the consult section's, whose staff then decide its cases too, or one
// listed here), and the departments that answer no 咨询号 but decide cases.
type Cases struct {
	Departments []CaseDepartment `yaml:"departments"`
	Items       []CaseItem       `yaml:"items"`
	// HandoverSignMinutes is how long a 材料交接 batch may wait for the
	// department's signature before the dashboard flags it (30 when 0).
	HandoverSignMinutes int `yaml:"handover_sign_minutes"`
	// KeepClosedDays is how long a closed case stays in the hall's live
	// state (90 when 0); the journal keeps it for ever.
	KeepClosedDays int `yaml:"keep_closed_days"`
}

// CaseDepartment is a department deciding cases that answers no 咨询号.
type CaseDepartment struct {
	ID    string   `yaml:"id"`
	Name  string   `yaml:"name"`
	Staff []string `yaml:"staff"` // 工号 of the hall's staff who decide its cases
}

// CaseItem is one 事项 of the catalogue.
type CaseItem struct {
	Code       string `yaml:"code"`
	Name       string `yaml:"name"`
	NameEN     string `yaml:"name_en"`
	Department string `yaml:"department"`
	// Kind is 即办件 (decided the same working day) or 承诺件 (within Days).
	Kind string `yaml:"kind"`
	// Days is the promised number of working days of a 承诺件.
	Days      int            `yaml:"days"`
	Materials []CaseMaterial `yaml:"materials"` // the 收件清单
	// Joint are the departments giving their opinion on its cases
	// (联合办理), the item's department leading.
	Joint []CaseJoint `yaml:"joint"`
	// CrossArea makes it a 同城通办 item, decided by another area's
	// department: then it names no department of this hall.
	CrossArea *CaseCrossArea `yaml:"cross_area"`
}

// CaseMaterial is one entry of an item's 收件清单.
type CaseMaterial struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
	// InPerson is a material the applicant must sign or have checked in
	// person: it cannot come by the 免跑腿信封.
	InPerson bool `yaml:"in_person"`
}

// The kinds of items as the hall file names them.
const (
	KindImmediate = "即办件"
	KindPromised  = "承诺件"
)

func (h *Hall) validateCases(add func(key, format string, args ...any)) {
	known := map[string]bool{}
	for _, d := range h.Consult.Departments {
		known[d.ID] = true
	}
	ids := map[string]bool{}
	for i, d := range h.Cases.Departments {
		key := fmt.Sprintf("cases.departments[%d]", i)
		if known[d.ID] {
			add(key+".id", "%q is a department of the consult section already; its staff there decide its cases", d.ID)
		} else {
			checkID(add, key+".id", d.ID, "department", ids)
		}
		if strings.TrimSpace(d.Name) == "" {
			add(key+".name", "missing; the department's name shows on its cases")
		} else if utf8.RuneCountInString(d.Name) > 50 {
			add(key+".name", "is longer than 50 characters")
		}
		if len(d.Staff) == 0 {
			add(key+".staff", "a department needs at least one member to decide its cases")
		}
		members := map[string]bool{}
		for j, m := range d.Staff {
			mk := fmt.Sprintf("%s.staff[%d]", key, j)
			switch {
			case h.FindStaff(m) == nil:
				add(mk, "no member of staff %q; department staff sign in as the hall's staff", m)
			case members[m]:
				add(mk, "%q is listed twice", m)
			}
			members[m] = true
		}
	}
	for id := range ids {
		known[id] = true
	}
	codes := map[string]bool{}
	for i, it := range h.Cases.Items {
		key := fmt.Sprintf("cases.items[%d]", i)
		checkID(add, key+".code", it.Code, "item", codes)
		if strings.TrimSpace(it.Name) == "" {
			add(key+".name", "missing; the item's name shows at the counter and on the case")
		} else if utf8.RuneCountInString(it.Name) > 80 {
			add(key+".name", "is longer than 80 characters")
		}
		if it.CrossArea == nil && !known[it.Department] {
			add(key+".department", "no department %q in the consult or cases section", it.Department)
		}
		switch it.Kind {
		case KindImmediate:
			if it.Days != 0 {
				add(key+".days", "a 即办件 is decided the same working day; leave days out")
			}
		case KindPromised:
			if it.Days < 1 || it.Days > 365 {
				add(key+".days", "%d must be between 1 and 365 working days for a 承诺件", it.Days)
			}
		default:
			add(key+".kind", "%q must be 即办件 or 承诺件", it.Kind)
		}
		if len(it.Materials) == 0 {
			add(key+".materials", "missing; the 收件清单 lists at least one material")
		}
		seen := map[string]bool{}
		for j, m := range it.Materials {
			mk := fmt.Sprintf("%s.materials[%d]", key, j)
			checkID(add, mk+".code", m.Code, "material", seen)
			if strings.TrimSpace(m.Name) == "" {
				add(mk+".name", "missing; the material's name is printed on the 一次性告知单")
			} else if utf8.RuneCountInString(m.Name) > 80 {
				add(mk+".name", "is longer than 80 characters")
			}
		}
		h.validateItemFlow(add, key, it, known)
	}
	h.validateCaseSettings(add)
}

// CasesSetup is the section as the cases' rules need it, counting working
// days on the hall's calendar.
func (h *Hall) CasesSetup(cal *calendar.Calendar) cases.Setup {
	s := cases.Setup{Calendar: cal, SignWithin: time.Duration(h.Cases.HandoverSignMinutes) * time.Minute,
		KeepClosedDays: h.Cases.KeepClosedDays}
	for _, d := range h.Consult.Departments {
		cd := cases.Department{ID: d.ID, Name: strings.TrimSpace(d.Name)}
		for _, m := range d.Staff {
			cd.Staff = append(cd.Staff, m.ID)
		}
		s.Departments = append(s.Departments, cd)
	}
	for _, d := range h.Cases.Departments {
		s.Departments = append(s.Departments, cases.Department{ID: d.ID, Name: strings.TrimSpace(d.Name), Staff: d.Staff})
	}
	for _, it := range h.Cases.Items {
		ci := cases.Item{Code: it.Code, Name: strings.TrimSpace(it.Name), NameEN: it.NameEN, Department: it.Department,
			Kind: cases.Promised, Days: it.Days}
		if it.Kind == KindImmediate {
			ci.Kind, ci.Days = cases.Immediate, 0
		}
		for _, m := range it.Materials {
			ci.Materials = append(ci.Materials, cases.Material{Code: m.Code, Name: strings.TrimSpace(m.Name), InPerson: m.InPerson})
		}
		ci.Joint, ci.Cross = it.flowSetup()
		s.Items = append(s.Items, ci)
	}
	return s
}
