package hall

import (
	"testing"
	"time"

	"hallfloor/cases"
	"hallfloor/errs"
	"hallfloor/room"
)

func casesFloor(t *testing.T) *floor { return newFloor(t) }

// A case opened at a window serving a 收件号 goes through the hall: only
// the department decides, its deadline is checked by the Tick, once, and
// the courier's 签收 closes it; the timeline names who and when.
func TestCaseThroughTheHall(t *testing.T) {
	f := casesFloor(t)
	f.open("1")
	open := cases.Open{Window: "1", Item: "GT", Name: "张三", IDHash: "h1", Party: cases.Person,
		Received: []string{"m1", "m2"}, Actor: clerk("1")}
	f.refuse(open, errs.Conflict, "case_not_serving")
	f.issue("A")
	f.call("1")
	evs := f.applied(open)
	o := payloads[cases.Opened](evs)
	if len(o) != 1 || o[0].Case.Number != "202503100001" || o[0].Ticket != f.s.Queue.Windows["1"].Current {
		t.Fatalf("opened %v", types(evs))
	}
	id := o[0].Case.ID
	f.refuse(cases.Accept{Case: id, Actor: clerk("1")}, errs.Forbidden, "case_not_department")
	f.refuse(cases.Refuse{Case: id, Actor: dept("d1")}, errs.Invalid, "case_reason_required")
	f.advance(time.Hour)
	f.must(cases.Accept{Case: id, Actor: dept("d1")})
	// The paper materials go to the back office in the morning's last
	// half hour, signed for.
	f.now = at("2025-03-10", "11:45:00")
	sent := payloads[cases.BatchSent](f.applied(cases.SendBatch{Department: "scj", Actor: clerk("1")}))
	f.must(cases.SignBatch{Batch: sent[0].Batch, Actor: dept("d2")})

	// Monday + 3 working days: due at the end of Thursday.
	k := f.s.Cases.Cases[id]
	if !k.Deadline.Equal(at("2025-03-13", "23:59:59")) {
		t.Fatalf("deadline %v", k.Deadline)
	}
	f.now = at("2025-03-13", "17:00:00")
	if evs := f.applied(Tick{}); len(payloads[cases.CaseOverdue](evs)) != 0 {
		t.Fatalf("overdue before the deadline: %v", types(evs))
	}
	f.now = at("2025-03-14", "09:00:00")
	if evs := f.applied(Tick{}); len(payloads[cases.CaseOverdue](evs)) != 1 {
		t.Fatalf("not overdue after the deadline: %v", types(evs))
	}
	f.advance(time.Minute)
	if Due(f.s, f.setup, f.now) && len(payloads[cases.CaseOverdue](f.applied(Tick{}))) != 0 {
		t.Fatal("overdue twice")
	}
	// The dashboard alerts the department's cases past their deadline,
	// naming no applicant, until the result is made.
	var late []Alert
	for _, a := range AlertsAt(f.s, f.setup, f.now) {
		if a.Kind == AlertCaseOverdue {
			late = append(late, a)
		}
	}
	if len(late) != 1 || late[0].Args["count"] != "1" || late[0].Args["deadline"] != "2025-03-13" || late[0].Subject != "scj" {
		t.Fatalf("overdue alerts %+v", late)
	}
	f.must(cases.Approve{Case: id, Actor: dept("d2")})
	f.must(cases.MarkReady{Case: id, Actor: dept("d2")})
	for _, a := range AlertsAt(f.s, f.setup, f.now) {
		if a.Kind == AlertCaseOverdue {
			t.Fatalf("the result made, still alerted: %+v", a)
		}
	}
	f.must(cases.ChooseCollection{Case: id, Channel: cases.ChannelPost, Address: "椒江区", IDHash: "h1"})
	f.must(cases.Deliver{Case: id, Channel: cases.ChannelPost, Courier: "EMS", Waybill: "1190001", Actor: dept("d2")})
	f.must(cases.RecordReceipt{Case: id, Actor: clerk("1")})
	k = f.s.Cases.Cases[id]
	if k.Status != cases.Closed || len(k.Timeline) != 11 || k.Timeline[1].Staff != "d1" || !k.Timeline[1].At.Equal(at("2025-03-10", "10:00:00")) {
		t.Fatalf("closed %+v", k)
	}
	// The case survives the journal: a replay reaches the same cases.
	r := NewState(f.setup)
	for _, e := range f.journal {
		r.Apply(room.Event{Seq: e.Seq, At: e.At, Data: e.Data})
	}
	if got, want := len(r.Cases.Cases[id].Timeline), 11; got != want || r.Cases.Cases[id].Status != cases.Closed {
		t.Fatalf("replayed %+v", r.Cases.Cases[id])
	}
}
