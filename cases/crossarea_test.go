package cases

import (
	"slices"
	"testing"
	"time"

	"hallfloor/room"
)

// A 同城通办 case skips the local department: hall staff post its
// materials, record the other area's decision with its date, and receive
// the result, which then goes out like any other.
func TestCrossAreaJourney(t *testing.T) {
	h := newFlowHall(t)
	k := h.openItem(t0, "TB")
	if k.Department != "" || k.Cross == nil || k.Cross.Area != "信阳市浉河区" || !k.Cross.PostBy.Equal(clock("2025-04-02", "23:59:59")) ||
		!k.HandoverBy.IsZero() {
		t.Fatalf("opened %+v", k)
	}
	plain := h.openItem(t0, "GT")
	guide := room.Actor{Staff: "g1", Role: room.Guide}
	at := t0.Add(time.Hour)
	for _, r := range []struct {
		cmd    Command
		reason string
	}{
		{Accept{Case: k.ID, Actor: staff("d1")}, "case_cross_area"},
		{AskSupplement{Case: k.ID, Materials: []string{"m1"}, Actor: staff("d1")}, "case_cross_area"},
		{Refuse{Case: k.ID, Reason: "不符合", Actor: staff("d1")}, "case_cross_area"},
		{RecordDecision{Case: k.ID, Approved: true, DecidedAt: at, Actor: clerk}, "case_cross_not_posted"},
		{ResultArrived{Case: k.ID, Actor: clerk}, "case_cross_undecided"},
		{PostMaterials{Case: k.ID, Courier: "EMS", Waybill: "1190001", Actor: guide}, "case_hall_staff"},
		{PostMaterials{Case: k.ID, Courier: "EMS", Waybill: "1190001"}, "sign_in_required"},
		{PostMaterials{Case: k.ID, Courier: "EMS", Actor: clerk}, "case_waybill_required"},
		{PostMaterials{Case: plain.ID, Courier: "EMS", Waybill: "1", Actor: clerk}, "case_not_cross"},
		{PostMaterials{Case: "nope", Courier: "EMS", Waybill: "1", Actor: clerk}, "no_case"},
	} {
		if _, err := h.run(at, r.cmd); reason(err) != r.reason {
			t.Errorf("%+v: %v, want %s", r.cmd, err, r.reason)
		}
	}
	h.must(at, PostMaterials{Case: k.ID, Courier: " EMS ", Waybill: "1190001", Actor: clerk})
	if !k.Cross.PostedAt.Equal(at) || k.Cross.Courier != "EMS" || k.Cross.Waybill != "1190001" {
		t.Fatalf("posted %+v", k.Cross)
	}
	if _, err := h.run(at, PostMaterials{Case: k.ID, Courier: "EMS", Waybill: "2", Actor: clerk}); reason(err) != "case_wrong_state" {
		t.Fatalf("posted twice: %v", err)
	}
	decided := clock("2025-04-03", "15:00:00")
	now := clock("2025-04-03", "16:00:00")
	for _, r := range []struct {
		cmd    RecordDecision
		reason string
	}{
		{RecordDecision{Case: k.ID, Approved: true, Actor: clerk}, "case_cross_decided_at"},
		{RecordDecision{Case: k.ID, Approved: true, DecidedAt: now.Add(time.Hour), Actor: clerk}, "case_cross_decided_at"},
		{RecordDecision{Case: k.ID, Approved: true, DecidedAt: t0, Actor: clerk}, "case_cross_decided_at"},
		{RecordDecision{Case: k.ID, Approved: false, DecidedAt: decided, Actor: clerk}, "case_reason_required"},
	} {
		if _, err := h.run(now, r.cmd); reason(err) != r.reason {
			t.Errorf("%+v: %v, want %s", r.cmd, err, r.reason)
		}
	}
	h.must(now, RecordDecision{Case: k.ID, Approved: true, DecidedAt: decided, Actor: clerk})
	// Thursday's decision is due back by the next working day: Monday, 清明 off.
	if k.Status != Approved || !k.Cross.DecidedAt.Equal(decided) || !k.Cross.ResultBy.Equal(clock("2025-04-07", "23:59:59")) {
		t.Fatalf("decided %+v %+v", k, k.Cross)
	}
	if _, err := h.run(now, MarkReady{Case: k.ID, Actor: staff("d1")}); reason(err) != "case_cross_area" {
		t.Fatalf("the local department made the result: %v", err)
	}
	back := clock("2025-04-07", "10:00:00")
	h.must(back, ResultArrived{Case: k.ID, Actor: clerk})
	if k.Status != Ready || !k.Cross.ArrivedAt.Equal(back) {
		t.Fatalf("arrived %+v", k)
	}
	if _, err := h.run(back, ResultArrived{Case: k.ID, Actor: clerk}); reason(err) != "case_wrong_state" {
		t.Fatalf("arrived twice: %v", err)
	}
	h.must(back, ChooseCollection{Case: k.ID, Channel: ChannelPost, Address: "浉河区", Actor: clerk})
	h.must(back, Deliver{Case: k.ID, Channel: ChannelPost, Courier: "EMS", Waybill: "1190002", Actor: clerk})
	h.must(back, RecordReceipt{Case: k.ID, Actor: clerk})
	want := []string{"case.opened/c1", "case.posted/c1", "case.cross_decided/c1", "case.result_arrived/c1", "case.collection/c1",
		"case.delivered/c1", "case.proof/c1", "case.closed/c1"}
	if k.Status != Closed || !slices.Equal(stepTypes(k), want) {
		t.Fatalf("closed %v", stepTypes(k))
	}
}

// The other area's refusal closes only once its written decision is back.
func TestCrossAreaRefusal(t *testing.T) {
	h := newFlowHall(t)
	k := h.openItem(t0, "TB")
	h.must(t0, PostMaterials{Case: k.ID, Courier: "EMS", Waybill: "1", Actor: clerk})
	at := t0.Add(24 * time.Hour)
	h.must(at, RecordDecision{Case: k.ID, Approved: false, Reason: "不属于本区管辖", DecidedAt: at.Add(-time.Hour), Actor: clerk})
	if k.Status != Refused || k.Reason != "不属于本区管辖" {
		t.Fatalf("refused %+v", k)
	}
	if _, err := h.run(at, Close{Case: k.ID, Actor: clerk}); reason(err) != "case_cross_undecided" {
		t.Fatalf("closed before the decision is back: %v", err)
	}
	h.must(at, ResultArrived{Case: k.ID, Actor: clerk})
	h.must(at, Close{Case: k.ID, Actor: clerk})
	if k.Status != Closed {
		t.Fatalf("closed %+v", k)
	}
}

// Each leg late is reported once; the hall's own deemed acceptance and
// promised deadline leave a 同城通办 case alone.
func TestCrossAreaLegsLateOnce(t *testing.T) {
	h := newFlowHall(t)
	k := h.openItem(t0, "TB")
	if evs := h.due(clock("2025-04-02", "23:59:59")); len(evs) != 0 {
		t.Fatalf("late on its day: %+v", evs)
	}
	evs := of[CrossLate](h.due(clock("2025-04-03", "09:00:00")))
	if len(evs) != 1 || evs[0].Leg != LegPost || evs[0].Area != "信阳市浉河区" || k.LateLeg() != LegPost {
		t.Fatalf("post late %+v", evs)
	}
	if again := h.due(clock("2025-04-03", "10:00:00")); len(again) != 0 {
		t.Fatalf("late twice: %+v", again)
	}
	h.must(clock("2025-04-03", "11:00:00"), PostMaterials{Case: k.ID, Courier: "EMS", Waybill: "1", Actor: clerk})
	if k.LateLeg() != "" {
		t.Fatal("posted, still late")
	}
	h.must(clock("2025-04-08", "11:00:00"), RecordDecision{Case: k.ID, Approved: true, DecidedAt: clock("2025-04-08", "10:00:00"), Actor: clerk})
	if evs := h.due(clock("2025-04-09", "23:59:59")); len(evs) != 0 {
		t.Fatalf("result late on its day: %+v", evs)
	}
	res := of[CrossLate](h.due(clock("2025-04-10", "09:00:00")))
	if len(res) != 1 || res[0].Leg != LegResult || k.LateLeg() != LegResult || !k.Cross.ResultLate {
		t.Fatalf("result late %+v", res)
	}
	// Weeks on, neither deemed accepted nor overdue here.
	if evs := h.due(clock("2025-05-30", "09:00:00")); len(evs) != 0 {
		t.Fatalf("a 同城通办 case judged by the local rules: %+v", evs)
	}
}
