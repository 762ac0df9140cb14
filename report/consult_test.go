package report

import (
	"testing"

	"hallfloor/consult"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// A 咨询号 its department answered leaves the line but is not given up: the
// report counts a holder's cancellation and not the answered one, from the
// events and from the daily figures alike.
func TestAnsweredConsultationIsNotCancelled(t *testing.T) {
	h := newHall(t)
	setup := hall.NewSetup(queue.Setup{Location: shanghai, Calendar: h.setup.Calendar(),
		Services: []queue.Service{{Code: "A", Name: "社会民生", Kind: queue.Intake}, {Code: "D", Name: "市场监管咨询", Kind: queue.Consult}},
		Windows:  []queue.WindowSetup{{ID: "1", Services: []string{"A"}}},
	}, rating.Setup{}, nil, hall.Alerts{})
	setup.Consults = consult.NewSetup(consult.Setup{Departments: []consult.Department{{ID: "scj", Name: "市场监管局",
		Service: "D", Resident: true, Staff: []consult.Member{{ID: "d1", Terminal: true}}}}})
	h.setup, h.s = setup, hall.NewState(setup)
	d1 := room.Actor{Staff: "d1"}
	answered := h.do("2025-03-10 09:00:00", queue.IssueTicket{Service: "D"}).Ticket
	given := h.do("2025-03-10 09:01:00", queue.IssueTicket{Service: "D"}).Ticket
	h.do("2025-03-10 09:02:00", consult.Acknowledge{Ticket: answered, Actor: d1})
	h.do("2025-03-10 09:05:00", consult.Arrive{Ticket: answered, Actor: d1})
	h.do("2025-03-10 09:20:00", consult.Finish{Ticket: answered, Actor: d1})
	h.do("2025-03-10 09:21:00", queue.CancelTicket{Ticket: given})
	p, _ := Day("2025-03-10", shanghai)
	now := at("2025-03-11 10:00:00")
	for name, rep := range map[string]Report{"events": h.build(p, now).Report("演示"), "daily figures": fromDays(t, h, p, now).Report("演示")} {
		var d *ServiceRow
		for i := range rep.Services {
			if rep.Services[i].Code == "D" {
				d = &rep.Services[i]
			}
		}
		if d == nil || d.Issued != 2 || d.Cancelled != 1 || rep.Totals.Cancelled != 1 {
			t.Errorf("from the %s: D %+v, totals %+v; want 2 issued, 1 cancelled", name, d, rep.Totals)
		}
	}
}

// A day of two 咨询号 of a department: one acknowledged after two minutes
// and met after five, handed on to an intake window; one nobody answered
// within the setting, escalated. The report counts them and their response
// times from the events and from the daily figures alike, and the exports
// carry them in a sheet of their own.
func TestConsultationsReported(t *testing.T) {
	h := newHall(t)
	setup := hall.NewSetup(queue.Setup{Location: shanghai, Calendar: h.setup.Calendar(),
		Services: []queue.Service{{Code: "A", Name: "社会民生", Kind: queue.Intake}, {Code: "D", Name: "市场监管咨询", Kind: queue.Consult}},
		Windows:  []queue.WindowSetup{{ID: "1", Services: []string{"A"}}},
	}, rating.Setup{}, nil, hall.Alerts{})
	setup.Consults = consult.NewSetup(consult.Setup{Departments: []consult.Department{{ID: "scj", Name: "市场监管局",
		Service: "D", Resident: true, Staff: []consult.Member{{ID: "d1", Terminal: true}}}}})
	h.setup, h.s = setup, hall.NewState(setup)
	d1 := room.Actor{Staff: "d1"}
	answered := h.do("2025-03-10 09:00:00", queue.IssueTicket{Service: "D"}).Ticket
	h.do("2025-03-10 09:01:00", queue.IssueTicket{Service: "D"})
	h.do("2025-03-10 09:02:00", consult.Acknowledge{Ticket: answered, Actor: d1})
	h.do("2025-03-10 09:05:00", consult.Arrive{Ticket: answered, Actor: d1})
	h.do("2025-03-10 09:06:00", hall.Tick{})
	h.do("2025-03-10 09:20:00", consult.Finish{Ticket: answered, HandOn: "A", NewTicket: "handed", Actor: d1})
	want := DepartmentRow{Department: "scj", Name: "市场监管局", Taken: 2, Acknowledged: 1, InPerson: 1, HandedOn: 1, Late: 1,
		Ack: Stats{Count: 1, AvgS: 120, P90S: 120, MaxS: 120}, Met: Stats{Count: 1, AvgS: 300, P90S: 300, MaxS: 300}}
	now := at("2025-03-11 10:00:00")
	for _, label := range []string{"2025-03-10", "2025-03"} {
		p, err := Day(label, shanghai)
		if err != nil {
			p, _ = Month(label, shanghai)
		}
		for name, rep := range map[string]Report{"events": h.build(p, now).Report("演示"), "daily figures": fromDays(t, h, p, now).Report("演示")} {
			if len(rep.Departments) != 1 || rep.Departments[0] != want {
				t.Errorf("%s from the %s: departments %+v, want %+v", label, name, rep.Departments, want)
			}
			tables := rep.Tables()
			last := tables[len(tables)-1]
			if last.Name != "咨询 Consultations" || len(last.Rows) != 1 || last.Rows[0][2] != "2" || last.Rows[0][7] != "1" || last.Rows[0][9] != "120" || last.Rows[0][11] != "300" {
				t.Errorf("%s from the %s: the consultations' sheet %q %q", label, name, last.Name, last.Rows)
			}
		}
	}
}
