package hall

import (
	"slices"
	"testing"
	"time"

	"hallfloor/cases"
	"hallfloor/errs"
	"hallfloor/room"
)

// flowFloor is testSetup's hall with a joint item (LB: 市场监管局 leads,
// 不动产登记中心's opinion within 2 working days), a 同城通办 item (TB) and
// intake window 1 serving a 收件号.
func flowFloor(t *testing.T) *floor {
	setup := testSetup()
	cs := setup.Cases
	items := append(slices.Clone(cs.Items),
		cases.Item{Code: "LB", Name: "食品经营许可", Department: "scj", Kind: cases.Promised, Days: 5,
			Joint: []cases.JointDepartment{{Department: "bdc", Days: 2}}, Materials: []cases.Material{{Code: "m1", Name: "申请书"}}},
		cases.Item{Code: "TB", Name: "同城通办·变更登记", Kind: cases.Promised, Days: 3,
			Cross: &cases.CrossArea{Area: "信阳市浉河区", Department: "浉河区市场监督管理局"}, Materials: []cases.Material{{Code: "m1", Name: "申请书"}}})
	setup.Cases = cases.NewSetup(cases.Setup{Calendar: setup.Calendar(), Departments: cs.Departments, Items: items, KeepClosedDays: 30})
	f := newFloorWith(t, setup)
	f.open("1")
	f.issue("A")
	f.call("1")
	return f
}

// openCase opens a case of the item with its one material at window 1.
func (f *floor) openCase(item string) *cases.Case {
	f.t.Helper()
	received := []string{"m1"}
	if item == "GT" {
		received = []string{"m1", "m2"}
	}
	o := payloads[cases.Opened](f.applied(cases.Open{Window: "1", Item: item, Name: "张三", IDHash: "h1", Party: cases.Person,
		Received: received, Actor: clerk("1")}))
	return f.s.Cases.Cases[o[0].Case.ID]
}

// alertsOf are the hall's alerts of the kind now.
func (f *floor) alertsOf(kind string) []Alert {
	var out []Alert
	for _, a := range AlertsAt(f.s, f.setup, f.now) {
		if a.Kind == kind {
			out = append(out, a)
		}
	}
	return out
}

// The Tick reports materials late and batches unsigned once; the
// dashboard shows them until they are handed over and signed for.
func TestHandoverAlertsThroughTheHall(t *testing.T) {
	f := flowFloor(t)
	cx := f.openCase("CX") // 即办件 of 不动产登记中心, 09:00
	gt := f.openCase("GT") // 承诺件 of 市场监管局
	f.now = at("2025-03-10", "09:10:00")
	if evs := f.applied(Tick{}); len(payloads[cases.HandoverLate](evs)) != 0 || len(f.alertsOf(AlertCaseHandover)) != 0 {
		t.Fatalf("late on the minute: %v", types(evs))
	}
	f.now = at("2025-03-10", "09:10:01")
	if late := payloads[cases.HandoverLate](f.applied(Tick{})); len(late) != 1 || late[0].Case.ID != cx.ID {
		t.Fatalf("late %+v", late)
	}
	a := f.alertsOf(AlertCaseHandover)
	if len(a) != 1 || a[0].Subject != "bdc" || a[0].Args["department"] != "不动产登记中心" || a[0].Args["count"] != "1" || a[0].Args["since"] != "09:10" {
		t.Fatalf("alerts %+v", a)
	}
	if Due(f.s, f.setup, f.now.Add(time.Second)) {
		t.Fatal("late reported twice")
	}
	f.refuse(cases.SendBatch{Department: "scj", Actor: clerk("1")}, errs.Conflict, "case_batch_window")
	f.now = at("2025-03-10", "09:15:00")
	sent := payloads[cases.BatchSent](f.applied(cases.SendBatch{Department: "bdc", Actor: clerk("1")}))
	if len(sent) != 1 || len(sent[0].Cases) != 1 || len(f.alertsOf(AlertCaseHandover)) != 0 {
		t.Fatalf("sent %+v, alerts %+v", sent, f.alertsOf(AlertCaseHandover))
	}
	f.now = at("2025-03-10", "09:45:01")
	if un := payloads[cases.BatchUnsigned](f.applied(Tick{})); len(un) != 1 {
		t.Fatalf("unsigned %+v", un)
	}
	if b := f.alertsOf(AlertCaseBatch); len(b) != 1 || b[0].Args["number"] != "J20250310-01" || b[0].Args["minutes"] != "30" {
		t.Fatalf("batch alerts %+v", b)
	}
	f.refuse(cases.SignBatch{Batch: sent[0].Batch, Actor: dept("d1")}, errs.Forbidden, "case_not_department")
	f.must(cases.SignBatch{Batch: sent[0].Batch, Actor: dept("e1")})
	if len(f.alertsOf(AlertCaseBatch)) != 0 {
		t.Fatal("a signed batch still flagged")
	}
	// The 承诺件 left past the morning's end.
	f.now = at("2025-03-10", "12:00:01")
	if late := payloads[cases.HandoverLate](f.applied(Tick{})); len(late) != 1 || late[0].Case.ID != gt.ID {
		t.Fatalf("承诺件 late %+v", late)
	}
	if a := f.alertsOf(AlertCaseHandover); len(a) != 1 || a[0].Subject != "scj" {
		t.Fatalf("alerts %+v", a)
	}
	k := f.s.Cases.Cases[cx.ID]
	var steps []string
	for _, s := range k.Timeline {
		steps = append(steps, s.Type+"/"+s.Staff)
	}
	if want := []string{"case.opened/s1", "case.handover_late/", "case.batch_sent/s1", "case.batch_signed/e1"}; !slices.Equal(steps, want) {
		t.Fatalf("timeline %v", steps)
	}
}

// A joint opinion late, a 同城通办 leg late and 容缺 materials late each
// show on the dashboard until done.
func TestCaseAlertsThroughTheHall(t *testing.T) {
	f := flowFloor(t)
	lb, tb := f.openCase("LB"), f.openCase("TB")
	cmd := cases.Open{Window: "1", Item: "GT", Name: "李四", IDHash: "h2", Party: cases.Person, Received: []string{"m1"},
		Missing: cases.MissingTolerate, Commitment: "两日内补交", SupplyDays: 2, Actor: clerk("1")}
	rq := f.s.Cases.Cases[payloads[cases.Opened](f.applied(cmd))[0].Case.ID]
	f.must(cases.Accept{Case: lb.ID, Actor: dept("d1")})
	f.refuse(cases.Accept{Case: tb.ID, Actor: dept("d1")}, errs.Conflict, "case_cross_area")

	// Monday's case: posted by Tuesday's end, the opinion by Wednesday's,
	// the 容缺 materials by Wednesday's.
	f.now = at("2025-03-12", "09:00:00")
	f.applied(Tick{})
	if p := f.alertsOf(AlertCaseCrossPost); len(p) != 1 || p[0].Args["number"] != tb.Number || p[0].Args["area"] != "信阳市浉河区" {
		t.Fatalf("post alerts %+v", p)
	}
	f.must(cases.PostMaterials{Case: tb.ID, Courier: "EMS", Waybill: "1190001", Actor: clerk("1")})
	if len(f.alertsOf(AlertCaseCrossPost)) != 0 {
		t.Fatal("posted, still flagged")
	}
	f.now = at("2025-03-13", "09:00:00")
	evs := f.applied(Tick{})
	if len(payloads[cases.OpinionOverdue](evs)) != 1 || len(payloads[cases.SupplyOverdue](evs)) != 1 {
		t.Fatalf("tick %v", types(evs))
	}
	if o := f.alertsOf(AlertCaseOpinion); len(o) != 1 || o[0].Args["department"] != "不动产登记中心" || o[0].Args["lead"] != "市场监管局" ||
		o[0].Args["deadline"] != "2025-03-12" {
		t.Fatalf("opinion alerts %+v", o)
	}
	if s := f.alertsOf(AlertCaseSupply); len(s) != 1 || s[0].Args["number"] != rq.Number || s[0].Args["count"] != "1" {
		t.Fatalf("supply alerts %+v", s)
	}
	f.refuse(cases.Approve{Case: lb.ID, Actor: dept("d1")}, errs.Conflict, "case_opinions_pending")
	f.must(cases.GiveOpinion{Case: lb.ID, Agree: true, Actor: dept("e1")})
	f.must(cases.Approve{Case: lb.ID, Actor: dept("d1")})
	f.must(cases.Supply{Case: rq.ID, Materials: []string{"m2"}, Actor: clerk("1")})
	if len(f.alertsOf(AlertCaseOpinion)) != 0 || len(f.alertsOf(AlertCaseSupply)) != 0 {
		t.Fatal("done, still flagged")
	}
	f.must(cases.RecordDecision{Case: tb.ID, Approved: true, DecidedAt: at("2025-03-13", "08:30:00"), Actor: clerk("1")})
	f.now = at("2025-03-15", "09:00:00")
	f.applied(Tick{})
	if r := f.alertsOf(AlertCaseCrossResult); len(r) != 1 || r[0].Args["deadline"] != "2025-03-14" {
		t.Fatalf("result alerts %+v", r)
	}
	f.must(cases.ResultArrived{Case: tb.ID, Actor: clerk("1")})
	if len(f.alertsOf(AlertCaseCrossResult)) != 0 || f.s.Cases.Cases[tb.ID].Status != cases.Ready {
		t.Fatal("arrived, still flagged")
	}
}

// A closed case leaves the hall's state a month on by a Tick, and a replay
// of the journal lets the same go.
func TestClosedCasesLeaveThroughTheHall(t *testing.T) {
	f := flowFloor(t)
	k := f.openCase("CX")
	f.advance(5 * time.Minute)
	f.must(cases.SendBatch{Department: "bdc", Actor: clerk("1")})
	for _, cmd := range []Command{cases.Accept{Case: k.ID, Actor: dept("e1")}, cases.Approve{Case: k.ID, Actor: dept("e1")},
		cases.MarkReady{Case: k.ID, Actor: dept("e1")},
		cases.ChooseCollection{Case: k.ID, Channel: cases.ChannelPost, Address: "椒江区", Actor: clerk("1")},
		cases.Deliver{Case: k.ID, Channel: cases.ChannelPost, Courier: "EMS", Waybill: "1", Actor: clerk("1")},
		cases.RecordReceipt{Case: k.ID, Actor: clerk("1")}} {
		f.must(cmd)
	}
	f.now = f.now.AddDate(0, 0, 30).Add(time.Minute)
	if gone := payloads[cases.CasesPruned](f.applied(Tick{})); len(gone) != 1 || f.s.Cases.Cases[k.ID] != nil {
		t.Fatalf("pruned %+v", gone)
	}
	r := NewState(f.setup)
	for _, e := range f.journal {
		r.Apply(room.Event{Seq: e.Seq, At: e.At, Data: e.Data})
	}
	if r.Cases.Cases[k.ID] != nil || len(r.Cases.Cases) != len(f.s.Cases.Cases) || len(r.Cases.Batches) != len(f.s.Cases.Batches) {
		t.Fatalf("replayed %d cases, %d batches", len(r.Cases.Cases), len(r.Cases.Batches))
	}
}
