package cases

import (
	"testing"
	"time"
)

// The lead accepts and the joint department is asked for its opinion by
// its own deadline; the lead approves only with every opinion in and
// agreeing; the case's deadline stays the item's.
func TestJointOpinionsBeforeApproval(t *testing.T) {
	h := newFlowHall(t)
	k := h.openItem(t0, "LB")
	if _, err := h.run(t0, GiveOpinion{Case: k.ID, Agree: true, Actor: staff("e1")}); reason(err) != "case_wrong_state" {
		t.Fatalf("an opinion before the acceptance: %v", err)
	}
	evs := h.must(t0.Add(time.Hour), Accept{Case: k.ID, Actor: staff("d1")})
	asked := of[OpinionsAsked](evs)
	// Tuesday + 2 working days: Thursday's end, 清明 after it.
	due := clock("2025-04-03", "23:59:59")
	if len(evs) != 2 || len(asked) != 1 || len(asked[0].Opinions) != 1 || asked[0].Opinions[0] != (OpinionDue{Department: "bdc", Due: due}) {
		t.Fatalf("accepted %+v", evs)
	}
	if !k.Deadline.Equal(h.set.Deadline(h.set.Item("LB"), t0)) || len(k.Opinions) != 1 || !k.Opinions[0].Due.Equal(due) {
		t.Fatalf("case %+v", k)
	}
	if got := AwaitingOpinion(h.s, "bdc"); len(got) != 1 || got[0] != k {
		t.Fatalf("awaiting %v", got)
	}
	at := t0.Add(2 * time.Hour)
	for _, r := range []struct {
		cmd    Command
		reason string
	}{
		{Approve{Case: k.ID, Actor: staff("d1")}, "case_opinions_pending"},
		{GiveOpinion{Case: k.ID, Agree: true, Actor: staff("d1")}, "case_not_joint_department"},
		{GiveOpinion{Case: k.ID, Agree: true, Actor: clerk}, "case_not_joint_department"},
		{GiveOpinion{Case: k.ID, Agree: true}, "sign_in_required"},
		{GiveOpinion{Case: k.ID, Agree: false, Text: "  ", Actor: staff("e1")}, "case_opinion_reason"},
		{GiveOpinion{Case: "nope", Agree: true, Actor: staff("e1")}, "no_case"},
	} {
		if _, err := h.run(at, r.cmd); reason(err) != r.reason {
			t.Errorf("%+v: %v, want %s", r.cmd, err, r.reason)
		}
	}
	h.must(at, GiveOpinion{Case: k.ID, Agree: true, Text: "场所权属清楚", Actor: staff("e1")})
	if o := k.Opinions[0]; !o.Given || !o.Agree || o.Staff != "e1" || o.Text != "场所权属清楚" || !o.At.Equal(at) {
		t.Fatalf("opinion %+v", o)
	}
	if _, err := h.run(at, GiveOpinion{Case: k.ID, Agree: false, Text: "改主意", Actor: staff("e1")}); reason(err) != "case_opinion_given" {
		t.Fatalf("a second opinion: %v", err)
	}
	if len(AwaitingOpinion(h.s, "bdc")) != 0 {
		t.Fatal("still awaiting an opinion given")
	}
	h.must(at, Approve{Case: k.ID, Actor: staff("d2")})
	if k.Status != Approved {
		t.Fatalf("approved %+v", k)
	}
	// An item without joint departments has no opinions to give.
	plain := h.openItem(t0, "GT")
	h.must(at, Accept{Case: plain.ID, Actor: staff("d1")})
	if _, err := h.run(at, GiveOpinion{Case: plain.ID, Agree: true, Actor: staff("e1")}); reason(err) != "case_not_joint" {
		t.Fatalf("an opinion on a plain case: %v", err)
	}
}

// A disagreement leaves the lead only the refusal, with its reason.
func TestJointDisagreementRefuses(t *testing.T) {
	h := newFlowHall(t)
	k := h.openItem(t0, "LB")
	h.must(t0, Accept{Case: k.ID, Actor: staff("d1")})
	h.must(t0, GiveOpinion{Case: k.ID, Agree: false, Text: "经营场所为住宅，不符合规定", Actor: staff("e1")})
	if _, err := h.run(t0, Approve{Case: k.ID, Actor: staff("d1")}); reason(err) != "case_opinion_disagrees" {
		t.Fatalf("approved over a disagreement: %v", err)
	}
	if _, err := h.run(t0, Refuse{Case: k.ID, Actor: staff("d1")}); reason(err) != "case_reason_required" {
		t.Fatalf("refused without reason: %v", err)
	}
	h.must(t0, Refuse{Case: k.ID, Reason: "不动产登记中心意见：经营场所不符合规定", Actor: staff("d1")})
	if k.Status != Refused {
		t.Fatalf("refused %+v", k)
	}
}

// An opinion not in by its deadline is reported once; the deemed
// acceptance asks the opinions from the receipt's date.
func TestJointOpinionOverdueOnce(t *testing.T) {
	h := newFlowHall(t)
	k := h.openItem(t0, "LB")
	h.must(t0, Accept{Case: k.ID, Actor: staff("d1")})
	if evs := of[OpinionOverdue](h.due(clock("2025-04-03", "23:59:59"))); len(evs) != 0 {
		t.Fatalf("overdue on its deadline: %+v", evs)
	}
	evs := of[OpinionOverdue](h.due(clock("2025-04-07", "09:00:00")))
	if len(evs) != 1 || evs[0].Department != "bdc" || evs[0].Lead != "scj" || !k.Opinions[0].Overdue || len(k.LateOpinions()) != 1 {
		t.Fatalf("overdue %+v", evs)
	}
	if again := of[OpinionOverdue](h.due(clock("2025-04-07", "10:00:00"))); len(again) != 0 {
		t.Fatalf("overdue twice: %+v", again)
	}
	// Late, the opinion still counts; the alert ends.
	h.must(clock("2025-04-07", "11:00:00"), GiveOpinion{Case: k.ID, Agree: true, Actor: staff("e1")})
	if len(k.LateOpinions()) != 0 {
		t.Fatal("a given opinion still late")
	}

	d := newFlowHall(t)
	left := d.openItem(t0, "LB")
	evs2 := d.due(clock("2025-04-10", "09:00:00"))
	if acc := of[CaseAccepted](evs2); len(acc) != 1 || !acc[0].Deemed {
		t.Fatalf("deemed %+v", evs2)
	}
	asked := of[OpinionsAsked](evs2)
	if len(asked) != 1 || !asked[0].Opinions[0].Due.Equal(clock("2025-04-03", "23:59:59")) || len(left.Opinions) != 1 {
		t.Fatalf("opinions of a deemed acceptance %+v", asked)
	}
	if late := of[OpinionOverdue](d.due(clock("2025-04-10", "09:00:01"))); len(late) != 1 {
		t.Fatalf("deemed, already late: %+v", late)
	}
}
