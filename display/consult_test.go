package display

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hallfloor/consult"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// consultHall is a hall with one resident department answering service D.
func consultHall(t *testing.T) (*Hall, *hall.State, func(hall.Command) room.Outcome, time.Time) {
	t.Helper()
	setup := hall.NewSetup(queue.Setup{
		Services: []queue.Service{{Code: "A", Name: "社会民生", Kind: queue.Intake}, {Code: "D", Name: "市场监管咨询", Kind: queue.Consult}},
		Windows:  []queue.WindowSetup{{ID: "1", Services: []string{"A"}}},
	}, rating.Setup{}, nil, hall.Alerts{})
	setup.Consults = consult.NewSetup(consult.Setup{Departments: []consult.Department{{ID: "scj", Name: "市场监管局",
		NameEN: "Market Regulation", Service: "D", Resident: true, Place: "二楼咨询区", Contact: "139",
		Staff: []consult.Member{{ID: "d1", Terminal: true}}}}})
	h := &Hall{Name: "大厅", Setup: setup}
	s := hall.NewState(setup)
	now := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
	n := 0
	do := func(cmd hall.Command) room.Outcome {
		t.Helper()
		out, _, err := s.Run(setup, cmd, room.Env{Now: now, NewID: func() string { n++; return "secret" + string(rune('a'+n)) }})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	return h, s, do, now
}

// Every place a 咨询号 can send its holder is worded in both languages.
func TestEveryPlaceIsWorded(t *testing.T) {
	for _, p := range []string{consult.PlaceWait, consult.PlaceComing, consult.PlaceArea, consult.PlaceVideo,
		consult.PlacePhone, consult.PlaceIntake, consult.PlaceDone, consult.PlaceNone} {
		if w := placeWords[p]; w.ZH == "" || w.EN == "" {
			t.Errorf("place %q is not worded: %+v", p, w)
		}
	}
	if w := alertWords[hall.AlertConsult]; w.ZH == "" || w.EN == "" {
		t.Error("the consultation alert is not worded")
	}
}

// The ticket page, the hall screen's snapshot and its messages say where the
// 咨询号 sends its holder, Chinese first, and never show a ticket id.
func TestConsultDirectionOnPageAndScreen(t *testing.T) {
	h, s, do, now := consultHall(t)
	id := do(queue.IssueTicket{Service: "D"}).Ticket
	tv := h.Ticket(s, s.Queue.Tickets[id])
	if tv.Consult == nil || tv.Consult.Text != "已通知市场监管局，请在二楼咨询区等候" || tv.Consult.TextEN == "" {
		t.Fatalf("the ticket page says %+v", tv.Consult)
	}
	out := do(consult.Acknowledge{Ticket: id, Actor: room.Actor{Staff: "d1"}})
	if out.Ticket != id {
		t.Fatalf("acknowledged %q", out.Ticket)
	}
	v := h.View(s, now)
	if len(v.Consults) != 1 || v.Consults[0].Number != "D001" || v.Consults[0].Place != consult.PlaceComing ||
		!strings.Contains(v.Consults[0].Text, "正在赶来") {
		t.Fatalf("the hall screen lists %+v", v.Consults)
	}
	m := h.Message(s, room.Event{Seq: s.Seq, At: now, Data: consult.Acknowledged{
		Ticket: s.Consults.Consults[id].Ticket, Department: "scj", Staff: "d1"}})
	b, _ := json.Marshal(m)
	if m.Consult == nil || m.Consult.Place != consult.PlaceComing || strings.Contains(string(b), id) {
		t.Fatalf("the message %s", b)
	}
	do(consult.Arrive{Ticket: id, Actor: room.Actor{Staff: "d1"}})
	handed := do(consult.Finish{Ticket: id, HandOn: "A", Actor: room.Actor{Staff: "d1"}}).Ticket
	tv = h.Ticket(s, s.Queue.Tickets[id])
	if tv.Consult == nil || tv.Consult.Text != "咨询已结束，材料已初审，请等候 A001 号叫号办理" {
		t.Fatalf("after the hand-on the ticket page says %+v", tv.Consult)
	}
	if hv := h.Ticket(s, s.Queue.Tickets[handed]); !hv.PreReviewed || hv.Consult != nil {
		t.Fatalf("the 收件号 %+v", hv)
	}
	if v := h.View(s, now); len(v.Consults) != 0 {
		t.Fatalf("an ended consultation is still on the screen: %+v", v.Consults)
	}
	m = h.Message(s, room.Event{Seq: s.Seq, At: now, Data: consult.Ended{Ticket: s.Consults.Consults[id].Ticket,
		HandedOn: s.Consults.Consults[id].HandedOn}})
	if b, _ := json.Marshal(m); strings.Contains(string(b), "secret") {
		t.Fatalf("the end's message shows a ticket id: %s", b)
	}
}

// The hall's view of a department's consult service says its staff are
// notified at once instead of estimating a window's wait, even with numbers
// waiting; an intake service keeps its estimate and says nothing of it.
func TestConsultServiceSaysTheDepartmentIsNotified(t *testing.T) {
	h, s, do, now := consultHall(t)
	do(queue.IssueTicket{Service: "D"})
	do(queue.IssueTicket{Service: "A"})
	id := do(queue.IssueTicket{Service: "D"}).Ticket
	for _, sv := range h.View(s, now).Services {
		switch sv.Code {
		case "D":
			if sv.Consult == nil || sv.Consult.ZH != "取号即通知市场监管局工作人员前来" || !strings.Contains(sv.Consult.EN, "Market Regulation") || sv.EstimatedWaitS != 0 {
				t.Errorf("service D shows %+v, wait %d", sv.Consult, sv.EstimatedWaitS)
			}
		case "A":
			if sv.Consult != nil || sv.EstimatedWaitS == 0 {
				t.Errorf("service A shows %+v, wait %d", sv.Consult, sv.EstimatedWaitS)
			}
		}
	}
	if tv := h.Ticket(s, s.Queue.Tickets[id]); tv.EstimatedWaitS != 0 || tv.Consult == nil {
		t.Errorf("the second 咨询号's page estimates %d s", tv.EstimatedWaitS)
	}
	remote := takeWords(consult.Department{Name: "不动产登记中心"})
	if remote.ZH != "取号即通知不动产登记中心工作人员，视频或电话解答" || !strings.Contains(remote.EN, "不动产登记中心") {
		t.Errorf("a department not resident says %+v", remote)
	}
}
