package simday

import (
	"fmt"
	"slices"
	"time"

	"hallfloor/config"
	"hallfloor/queue"
)

// Location is the zone of the simulated halls.
var Location = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// First is the first day the simulations serve, a Wednesday.
var First = time.Date(2025, 1, 1, 0, 0, 0, 0, Location)

// Hours of the big hall's day: open from 08:00 to 20:00 on weekdays, its
// kiosks issuing until 19:30; the windows serve who is still waiting
// after 20:00, as overtime (延时服务).
const (
	Opens     = 8 * time.Hour
	IssueEnds = 19*time.Hour + 30*time.Minute
	Closes    = 20 * time.Hour
	LastCall  = 20*time.Hour + 20*time.Minute
)

// Hall is a big hall as a hall file gives it: windows windows, each
// serving two of eight services, open on weekdays from 08:00 to 20:00,
// with the demo hall's ratings (a 差评 opens a follow-up), SMS wording
// and the default retention; no devices or lockers. Its id is "big".
func Hall(windows int) *config.Hall {
	h := config.Demo()
	h.Hall.ID, h.Hall.Name, h.Hall.NameEN, h.Hall.Demo = "big", "市民中心", "Citizen Centre", false
	// Without the demo's departments, none of its items can be received.
	h.Devices, h.Lockers, h.Consult, h.Cases = config.Devices{}, config.Lockers{}, config.Consult{}, config.Cases{}
	h.Calendar = config.Calendar{Weekly: map[string][]string{}}
	for _, d := range []string{"mon", "tue", "wed", "thu", "fri"} {
		h.Calendar.Weekly[d] = []string{"08:00-20:00"}
	}
	h.Services = nil
	for i := range 8 {
		code := string(rune('A' + i))
		h.Services = append(h.Services, config.Service{Code: code, Name: "业务" + code, NameEN: "Service " + code,
			Kind: queue.Intake, ServiceMinutes: float64(4 + i%4*2)})
	}
	h.Windows = nil
	for i := range windows {
		h.Windows = append(h.Windows, config.Window{ID: fmt.Sprint(i + 1), Name: fmt.Sprintf("%d号窗口", i+1),
			Services: []string{string(rune('A' + i%8)), string(rune('A' + (i+3)%8))}})
	}
	// A real hall keeps bcrypt hashes; nobody signs in to a simulation.
	const hash = "$2a$04$G2a0V9Ihk3k8H8tK9x7aIOr2DsbW2KdPvcFzTtoGb2bI1C1yl5w8a"
	h.Staff = []config.Staff{{ID: "m1", Name: "大厅管理员", Role: config.Manager, PasswordHash: hash}}
	// The demo's roster and its envelopes' window group name its own
	// clerks, whom this hall has not.
	h.Bookings.Roster = nil
	h.Envelope.Groups = nil
	if ps := h.Validate(); len(ps) > 0 {
		panic(fmt.Sprintf("simday: the big hall is invalid: %v", ps))
	}
	return h
}

// WithDepartments gives a hall the demo hall's two departments answering
// 咨询号 (市场监管局 in the hall, 不动产登记中心 by video or phone), with
// their consult services and their staff: a simulation of it takes and
// answers consultations.
func WithDepartments(h *config.Hall) *config.Hall {
	demo := config.Demo()
	h.Consult = demo.Consult
	h.Consult.Departments = slices.Clone(demo.Consult.Departments)
	for i, d := range h.Consult.Departments {
		for _, sv := range demo.Services {
			if sv.Code == d.Service {
				// Named after the big hall's eight services, A to H.
				sv.Code = string(rune('S' + i))
				h.Services = append(h.Services, sv)
				h.Consult.Departments[i].Service = sv.Code
			}
		}
		for _, m := range d.Staff {
			st := *demo.FindStaff(m.ID)
			st.PasswordHash, st.Password = h.Staff[0].PasswordHash, ""
			h.Staff = append(h.Staff, st)
		}
	}
	if ps := h.Validate(); len(ps) > 0 {
		panic(fmt.Sprintf("simday: the hall with departments is invalid: %v", ps))
	}
	return h
}
