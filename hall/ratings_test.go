package hall

import (
	"slices"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/queue"
	"hallfloor/rating"
)

// served runs one service at window 1 and returns its ticket; the hall's
// reaction then opens the evaluator's question at the window.
func (f *floor) served() *queue.Ticket {
	f.t.Helper()
	tk := f.issue("A")
	if f.s.Queue.Windows["1"].State == queue.Closed {
		f.open("1")
	}
	f.call("1")
	f.advance(5 * time.Minute)
	got := f.applied(queue.Finish{Window: "1", Actor: clerk("1")})
	if !slices.Equal(types(got), []string{"ticket.finished", "rating.prompted"}) {
		f.t.Fatalf("finish: %v", types(got))
	}
	return tk
}

func TestEvaluatorRatesOnceAfterTheService(t *testing.T) {
	f := newFloor(t)
	f.refuse(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 5}, errs.Conflict, "no_prompt") // nothing asked yet
	tk := f.served()
	p := f.s.Ratings.Prompts["1"]
	if p == nil || p.Ticket.ID != tk.ID || p.Staff != "s1" || !p.OpenedAt.Equal(f.now) {
		t.Fatalf("prompt %+v", p)
	}
	f.refuse(rating.Rate{Channel: rating.ChannelEvaluator, Window: "9", Level: 5}, errs.NotFound, "no_window")
	for _, lvl := range []int{0, 6, -1} {
		if e := f.refuse(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: lvl}, errs.Invalid, "rate_level"); e.Field != "level" {
			t.Fatalf("level %d: field %q", lvl, e.Field)
		}
		f.refuse(rating.PressLevel{Window: "1", Level: lvl}, errs.Invalid, "rate_level")
	}
	f.advance(20 * time.Second)
	out := f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 4})
	g := payloads[rating.Given](out.Events)
	if len(g) != 1 || g[0].Level != 4 || g[0].Window != "1" || g[0].Staff != "s1" || g[0].Channel != rating.ChannelEvaluator ||
		g[0].Ticket.Number != "A001" || g[0].Ticket.ID != tk.ID || len(out.Events) != 1 || out.Ticket != tk.ID {
		t.Fatalf("events %+v", out.Events)
	}
	if len(f.last) != 1 {
		t.Fatalf("a rating caused more: %v", f.last)
	}
	if f.s.Ratings.Prompts["1"] != nil || f.s.Ratings.Rated[tk.ID] != 4 {
		t.Fatalf("after rating: prompt %+v, rated %v", f.s.Ratings.Prompts["1"], f.s.Ratings.Rated)
	}
	// One service, one rating, on every channel.
	f.refuse(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 5}, errs.Conflict, "no_prompt")
	f.refuse(rating.PressLevel{Window: "1", Level: 5}, errs.Conflict, "no_prompt")
	f.refuse(rating.Rate{Channel: rating.ChannelQR, Ticket: tk.ID, Level: 5}, errs.Conflict, "rated_already")
}

func TestRatingPromptTimesOutUnrated(t *testing.T) {
	f := newFloor(t)
	tk := f.served()
	f.advance(rating.DefaultPromptTimeout - time.Second)
	if out := f.must(Tick{}); len(out.Events) != 0 {
		t.Fatalf("closed early: %v", types(out.Events))
	}
	f.advance(time.Second)
	// The timeout holds even before the ticker notices it.
	f.refuse(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 5}, errs.Conflict, "no_prompt")
	f.refuse(rating.PressLevel{Window: "1", Level: 5}, errs.Conflict, "no_prompt")
	if !Due(f.s, f.setup, f.now) {
		t.Fatal("an expired prompt is not due")
	}
	out := f.must(Tick{})
	if got := types(out.Events); !slices.Equal(got, []string{"rating.expired"}) {
		t.Fatalf("tick: %v", got)
	}
	if e := out.Events[0].(rating.Expired); e.Reason != "timeout" || e.Ticket.ID != tk.ID || e.Window != "1" {
		t.Fatalf("expired %+v", e)
	}
	if f.s.Ratings.Prompts["1"] != nil || f.s.Ratings.Rated[tk.ID] != 0 {
		t.Fatal("a timed-out prompt must leave the service unrated")
	}
	if Due(f.s, f.setup, f.now) {
		t.Fatal("still due after expiring")
	}
	// The ticket page may still offer the rating the evaluator did not get.
	if !rating.CanRate(f.s.Ratings, f.s.Queue.Tickets[tk.ID]) {
		t.Fatal("the ticket page does not offer the rating")
	}
	out = f.must(rating.Rate{Channel: rating.ChannelQR, Ticket: tk.ID, Level: 5})
	if g := out.Events[0].(rating.Given); g.Channel != rating.ChannelQR || g.Window != "1" || g.Staff != "s1" {
		t.Fatalf("qr rating %+v", g)
	}
}

func TestRatingDeclinedAndReplaced(t *testing.T) {
	f := newFloor(t)
	f.refuse(rating.Dismiss{Window: "9"}, errs.NotFound, "no_window")
	f.refuse(rating.Dismiss{Window: "1"}, errs.Conflict, "no_prompt")
	first := f.served()
	second := f.served()
	// The next service replaced the question; the first stays unrated.
	if p := f.s.Ratings.Prompts["1"]; p == nil || p.Ticket.ID != second.ID || f.s.Ratings.Rated[first.ID] != 0 {
		t.Fatalf("prompt %+v", p)
	}
	f.refuse(rating.Dismiss{Window: "1", Reason: "bored"}, errs.Invalid, "dismiss_reason")
	out := f.must(rating.Dismiss{Window: "1"})
	if e := out.Events[0].(rating.Expired); e.Reason != "declined" || e.Ticket.ID != second.ID {
		t.Fatalf("dismissed %+v", e)
	}
	if f.s.Ratings.Prompts["1"] != nil || len(f.s.Ratings.Rated) != 0 {
		t.Fatalf("after declining: prompt %+v, rated %v", f.s.Ratings.Prompts["1"], f.s.Ratings.Rated)
	}
	f.refuse(rating.Dismiss{Window: "1"}, errs.Conflict, "no_prompt")
}

func TestQRRatingNeedsAFinishedService(t *testing.T) {
	f := newFloor(t)
	f.refuse(rating.Rate{Channel: rating.ChannelQR, Ticket: "nope", Level: 5}, errs.NotFound, "no_ticket")
	tk := f.issue("A")
	f.refuse(rating.Rate{Channel: rating.ChannelQR, Ticket: tk.ID, Level: 5}, errs.Conflict, "rate_not_done")
	f.open("1")
	f.call("1")
	f.refuse(rating.Rate{Channel: rating.ChannelQR, Ticket: tk.ID, Level: 5}, errs.Conflict, "rate_not_done")
	if e := f.refuse(rating.Rate{Channel: "sms", Ticket: tk.ID, Level: 5}, errs.Invalid, "rate_channel"); e.Field != "channel" {
		t.Fatalf("field %q", e.Field)
	}
}

func TestBadRatingOpensAFollowUpDueInWorkingDays(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-14", "16:00:00") // a Friday
	tk := f.served()
	e := f.refuse(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 2, Reason: "  "}, errs.Invalid, "rate_reason_needed")
	if e.Field != "reason" {
		t.Fatalf("field %q", e.Field)
	}
	out := f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 2, Reason: "等候时间过长"})
	if got := types(out.Events); !slices.Equal(got, []string{"rating.given", "followup.opened"}) {
		t.Fatalf("events %v", got)
	}
	fu := out.Events[1].(rating.FollowUpOpened).FollowUp
	// Five working days from a Friday: Mon–Fri of the next week, the
	// weekend skipped.
	if want := at("2025-03-21", "23:59:59"); !fu.Deadline.Equal(want) {
		t.Fatalf("deadline %s, want %s", fu.Deadline, want)
	}
	if fu.ID != "FU1" || fu.Ticket.ID != tk.ID || fu.Level != 2 || fu.Reason != "等候时间过长" || fu.ReasonPending ||
		fu.Staff != "s1" || fu.Window != "1" || fu.Channel != rating.ChannelEvaluator || !fu.OpenedAt.Equal(f.now) {
		t.Fatalf("follow-up %+v", fu)
	}
	if got := f.s.Ratings.FollowUps["FU1"]; got == nil || !got.Open() {
		t.Fatalf("follow-up in the hall %+v", got)
	}

	// A 1 on the day before 清明: the holiday does not count, so the
	// deadline moves a day.
	f.now = at("2025-04-03", "10:00:00")
	f.served()
	out = f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 1, Reason: "态度差"})
	if fu := out.Events[1].(rating.FollowUpOpened).FollowUp; fu.ID != "FU2" || !fu.Deadline.Equal(at("2025-04-11", "23:59:59")) {
		t.Fatalf("follow-up over a holiday %+v", fu)
	}

	// A 3 needs no reason and opens nothing.
	f.served()
	if out := f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 3}); len(out.Events) != 1 {
		t.Fatalf("a 3 opened %v", types(out.Events))
	}
}

func TestFollowUpOverdueAndClosed(t *testing.T) {
	setup := testSetup()
	setup.Ratings.FollowUpDays = 1
	f := newFloorWith(t, setup)
	f.now = at("2025-03-10", "10:00:00")
	f.served()
	f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 1, Reason: "材料被退回三次"})
	fu := f.s.Ratings.FollowUps["FU1"]
	if !fu.Deadline.Equal(at("2025-03-11", "23:59:59")) {
		t.Fatalf("deadline %s", fu.Deadline)
	}
	f.now = at("2025-03-11", "23:59:59")
	if out := f.must(rating.CheckFollowUps{}); len(out.Events) != 0 {
		t.Fatalf("overdue on the deadline: %v", types(out.Events))
	}
	f.now = at("2025-03-12", "00:00:30")
	out := f.must(Tick{})
	if o := payloads[rating.FollowUpOverdue](out.Events); len(o) != 1 || o[0].ID != "FU1" || !o[0].Deadline.Equal(fu.Deadline) {
		t.Fatalf("tick after the deadline: %v", types(out.Events))
	}
	if !f.s.Ratings.FollowUps["FU1"].Overdue || !fu.Late(f.now) {
		t.Fatal("not flagged overdue")
	}
	if out := f.must(rating.CheckFollowUps{}); len(out.Events) != 0 {
		t.Fatalf("flagged twice: %v", types(out.Events))
	}

	f.refuse(rating.CloseFollowUp{ID: "FU1", Action: "回访", Outcome: "ok", Actor: clerk("1")}, errs.Forbidden, "manager_only")
	f.refuse(rating.CloseFollowUp{ID: "FU9", Action: "回访", Outcome: "ok", Actor: manager}, errs.NotFound, "no_followup")
	if e := f.refuse(rating.CloseFollowUp{ID: "FU1", Action: "道歉", Outcome: "ok", Actor: manager}, errs.Invalid, "followup_action"); e.Field != "action" {
		t.Fatalf("field %q", e.Field)
	}
	if e := f.refuse(rating.CloseFollowUp{ID: "FU1", Action: "回访", Actor: manager}, errs.Invalid, "followup_outcome_needed"); e.Field != "outcome" {
		t.Fatalf("field %q", e.Field)
	}
	// The applicant gave a reason: what the call-back hears does not
	// replace it.
	out = f.must(rating.CloseFollowUp{ID: "FU1", Action: "rectify", Outcome: "已调整窗口材料清单", Reason: "别的", Actor: manager})
	if c := out.Events[0].(rating.FollowUpClosed); c.Action != "整改" || c.By != "admin" || c.Reason != "" {
		t.Fatalf("closed %+v", c)
	}
	f.refuse(rating.CloseFollowUp{ID: "FU1", Action: "回访", Outcome: "again", Actor: manager}, errs.Conflict, "followup_closed")
	if fu := f.s.Ratings.FollowUps["FU1"]; fu.Open() || fu.Late(f.now) || fu.Reason != "材料被退回三次" || fu.ClosedBy != "admin" ||
		fu.Outcome != "已调整窗口材料清单" || !fu.ClosedAt.Equal(f.now) {
		t.Fatalf("follow-up %+v", fu)
	}
}

func TestDayRolloverKeepsOpenFollowUpsAndClosesPrompts(t *testing.T) {
	f := newFloor(t)
	f.served()
	f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 2, Reason: "慢"})
	f.served()
	f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 1, Reason: "差"})
	f.must(rating.CloseFollowUp{ID: "FU2", Action: "说明", Outcome: "已说明", Actor: manager})
	f.served() // leaves a prompt open at midnight
	waiting := f.issue("A")

	// The new day starts with a command that expires nothing itself.
	f.now = at("2025-03-11", "09:00:00")
	f.must(rating.CheckFollowUps{})
	if f.s.Day() != "2025-03-11" || f.last[0].Data.Type() != "day.started" {
		t.Fatalf("day %s after %v", f.s.Day(), f.last)
	}
	if len(f.s.Ratings.Prompts) != 0 || len(f.s.Ratings.Rated) != 0 {
		t.Fatalf("yesterday's prompts %v or ratings %v survived the rollover", f.s.Ratings.Prompts, f.s.Ratings.Rated)
	}
	f.refuse(rating.Dismiss{Window: "1"}, errs.Conflict, "no_prompt")
	if _, ok := f.s.Ratings.FollowUps["FU1"]; !ok {
		t.Fatal("an open follow-up was dropped at midnight")
	}
	if _, ok := f.s.Ratings.FollowUps["FU2"]; ok {
		t.Fatal("a closed follow-up stayed past its day")
	}
	if f.s.Queue.Tickets[waiting.ID] != nil || f.s.Queue.Services["A"].Issued != 0 {
		t.Fatal("numbering did not restart")
	}
	if got := f.issue("A").Number; got != "A001" {
		t.Fatalf("first number of the new day %s", got)
	}
	// The follow-up numbering goes on across days.
	f.served()
	out := f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 2, Reason: "慢"})
	if fu := out.Events[1].(rating.FollowUpOpened).FollowUp; fu.ID != "FU3" {
		t.Fatalf("follow-up id %s", fu.ID)
	}
}

// The evaluator's keys cannot say why: a 2 or a 1 pressed there is recorded
// as given, with no reason made up for the applicant, and the follow-up it
// opens asks for the reason at the call-back, which cannot be closed
// without it. The pad and the ticket page, which can ask, still need one.
func TestBadRatingOnTheKeysAsksTheReasonAtTheCallBack(t *testing.T) {
	for i, level := range []int{2, 1} {
		f := newFloor(t)
		tk := f.served()
		f.refuse(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: level}, errs.Invalid, "rate_reason_needed")
		f.refuse(rating.Rate{Channel: rating.ChannelQR, Ticket: tk.ID, Level: level}, errs.Invalid, "rate_reason_needed")

		got := f.applied(rating.PressLevel{Window: "1", Level: level})
		if !slices.Equal(types(got), []string{"rating.given", "followup.opened"}) {
			t.Fatalf("level %d: %v", level, types(got))
		}
		g := got[0].(rating.Given)
		if g.Level != level || g.Reason != "" || g.Channel != rating.ChannelEvaluator || g.Ticket.ID != tk.ID || g.Staff != "s1" {
			t.Fatalf("level %d: given %+v", level, g)
		}
		fo := got[1].(rating.FollowUpOpened).FollowUp
		if fo.ID != "FU1" || fo.Level != level || fo.Reason != "" || !fo.ReasonPending || fo.Ticket.ID != tk.ID ||
			fo.Channel != rating.ChannelEvaluator || fo.Window != "1" || fo.Staff != "s1" {
			t.Fatalf("level %d: follow-up %+v", level, fo)
		}
		if f.s.Ratings.Rated[tk.ID] != level || f.s.Ratings.Prompts["1"] != nil {
			t.Fatalf("level %d: rated %v, prompt %+v", level, f.s.Ratings.Rated, f.s.Ratings.Prompts["1"])
		}
		f.refuse(rating.Rate{Channel: rating.ChannelQR, Ticket: tk.ID, Level: 3}, errs.Conflict, "rated_already")

		callBack := rating.CloseFollowUp{ID: "FU1", Action: "回访", Outcome: "已回访，已致歉", Actor: manager}
		for _, blank := range []string{"", "   "} {
			callBack.Reason = blank
			if e := f.refuse(callBack, errs.Invalid, "followup_reason_needed"); e.Field != "reason" {
				t.Fatalf("level %d: field %q", level, e.Field)
			}
		}
		callBack.Reason = []string{" 等候时间长 ", "窗口人员态度差"}[i]
		got = f.applied(callBack)
		c := got[0].(rating.FollowUpClosed)
		want := []string{"等候时间长", "窗口人员态度差"}[i]
		if len(got) != 1 || c.Reason != want || c.Action != "回访" || c.By != "admin" {
			t.Fatalf("level %d: closed %+v", level, got)
		}
		fu := f.s.Ratings.FollowUps["FU1"]
		if fu.Open() || fu.Reason != want || fu.ReasonPending || fu.ClosedBy != "admin" {
			t.Fatalf("level %d: follow-up after the call-back %+v", level, fu)
		}
		// The reason was asked to fill in the record, not to be shown.
		if p := rating.FollowUpClosed.Public(c).(rating.FollowUpClosed); p.Reason != "" || p.Outcome != "" {
			t.Fatalf("public %+v", p)
		}
	}

	// A 3 on the keys opens nothing.
	f := newFloor(t)
	f.served()
	if got := f.applied(rating.PressLevel{Window: "1", Level: 3}); !slices.Equal(types(got), []string{"rating.given"}) {
		t.Fatalf("a 3 on the keys: %v", types(got))
	}
}

// A 差评 chosen on the pad outlives a reason that takes longer than the
// question: when the time is up, the level stays and its reason is asked
// at the call-back.
func TestChosenBadLevelOutlivesTheTimeout(t *testing.T) {
	f := newFloor(t)
	f.refuse(rating.Choose{Window: "1", Level: 1}, errs.Conflict, "no_prompt")
	tk := f.served()
	f.refuse(rating.Choose{Window: "9", Level: 1}, errs.NotFound, "no_window")
	f.refuse(rating.Choose{Window: "1", Level: 6}, errs.Invalid, "rate_level")
	f.refuse(rating.Choose{Window: "1", Level: -1}, errs.Invalid, "rate_level")
	f.advance(10 * time.Second)
	if got := types(f.applied(rating.Choose{Window: "1", Level: 1})); !slices.Equal(got, []string{"rating.chosen"}) {
		t.Fatalf("choose: %v", got)
	}
	if p := f.s.Ratings.Prompts["1"]; p == nil || p.Chosen != 1 || f.s.Ratings.Rated[tk.ID] != 0 {
		t.Fatalf("a choice is not a rating yet: prompt %+v, rated %v", p, f.s.Ratings.Rated)
	}
	if out := f.must(rating.Choose{Window: "1", Level: 1}); len(out.Events) != 0 {
		t.Fatalf("the same tap again recorded %v", types(out.Events))
	}
	f.advance(rating.DefaultPromptTimeout)
	got := f.applied(Tick{})
	if !slices.Equal(types(got), []string{"rating.given", "followup.opened"}) {
		t.Fatalf("tick: %v", types(got))
	}
	g := got[0].(rating.Given)
	if g.Level != 1 || g.Reason != "" || g.Window != "1" || g.Staff != "s1" || g.Ticket.ID != tk.ID || g.Channel != rating.ChannelEvaluator {
		t.Fatalf("given %+v", g)
	}
	fu := f.s.Ratings.FollowUpList()
	if len(fu) != 1 || !fu[0].ReasonPending || fu[0].Level != 1 || fu[0].Ticket.ID != tk.ID {
		t.Fatalf("follow-ups %+v", fu)
	}
	if f.s.Ratings.Prompts["1"] != nil || f.s.Ratings.Rated[tk.ID] != 1 {
		t.Fatal("the chosen level is not the rating")
	}
}

func TestChosenLevelThenReasonOrDecline(t *testing.T) {
	f := newFloor(t)
	tk := f.served()
	f.must(rating.Choose{Window: "1", Level: 2})
	out := f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 2, Reason: "等候时间长"})
	if g := payloads[rating.Given](out.Events); len(g) != 1 || g[0].Reason != "等候时间长" || f.s.Ratings.Rated[tk.ID] != 2 {
		t.Fatalf("rated %+v", out.Events)
	}
	if fu := f.s.Ratings.FollowUpList(); len(fu) != 1 || fu[0].ReasonPending {
		t.Fatalf("follow-ups %+v", fu)
	}
	// The pad's own countdown closes it the same way as the hall's ticker.
	second := f.served()
	f.must(rating.Choose{Window: "1", Level: 1})
	if got := types(f.applied(rating.Dismiss{Window: "1", Reason: "timeout"})); !slices.Equal(got, []string{"rating.given", "followup.opened"}) {
		t.Fatalf("pad timeout: %v", got)
	}
	if fu := f.s.Ratings.FollowUpList(); len(fu) != 2 || fu[1].ID == fu[0].ID || !fu[1].ReasonPending || fu[1].Ticket.ID != second.ID {
		t.Fatalf("follow-ups %+v", fu)
	}
	// A choice taken back (the applicant went back to the levels) is no
	// rating when the time runs out.
	back := f.served()
	f.must(rating.Choose{Window: "1", Level: 1})
	f.must(rating.Choose{Window: "1", Level: 0})
	f.advance(rating.DefaultPromptTimeout)
	if got := types(f.applied(Tick{})); !slices.Equal(got, []string{"rating.expired"}) || f.s.Ratings.Rated[back.ID] != 0 {
		t.Fatalf("timeout after taking the choice back: %v", got)
	}
	// Declining after choosing is declining: nothing is filled in.
	third := f.served()
	f.must(rating.Choose{Window: "1", Level: 1})
	if got := types(f.applied(rating.Dismiss{Window: "1", Reason: "declined"})); !slices.Equal(got, []string{"rating.expired"}) {
		t.Fatalf("declined: %v", got)
	}
	if f.s.Ratings.Rated[third.ID] != 0 {
		t.Fatal("a declined choice became a rating")
	}
}

// The window's next call ends the question about the service before, at
// once; a level chosen by then stays.
func TestNextCallClosesThePrompt(t *testing.T) {
	f := newFloor(t)
	first := f.served()
	f.issue("A")
	f.advance(5 * time.Second)
	got := f.applied(f.next("1"))
	if !slices.Equal(types(got), []string{"ticket.called", "rating.expired"}) {
		t.Fatalf("next call: %v", types(got))
	}
	if e := got[1].(rating.Expired); e.Reason != "next_call" || e.Ticket.ID != first.ID || e.Window != "1" {
		t.Fatalf("expired %+v", e)
	}
	if f.s.Ratings.Prompts["1"] != nil || f.s.Ratings.Rated[first.ID] != 0 {
		t.Fatal("the prompt outlived the next call")
	}
	// A recall of the person at the window asks nothing new.
	if got := types(f.applied(queue.Recall{Window: "1", Actor: clerk("1")})); slices.Contains(got, "rating.expired") {
		t.Fatalf("recall: %v", got)
	}
	f.advance(5 * time.Minute)
	f.must(queue.Finish{Window: "1", Actor: clerk("1")})
	second := f.s.Ratings.Prompts["1"].Ticket.ID
	f.must(rating.Choose{Window: "1", Level: 2})
	f.issue("A")
	got = f.applied(f.next("1"))
	if !slices.Equal(types(got), []string{"ticket.called", "rating.given", "followup.opened"}) || f.s.Ratings.Rated[second] != 2 {
		t.Fatalf("next call after a choice: %v", types(got))
	}
	// Another window's call leaves this one's question alone.
	f.advance(5 * time.Minute)
	f.must(queue.Finish{Window: "1", Actor: clerk("1")})
	f.open("2")
	f.issue("A")
	if got := types(f.applied(f.next("2"))); !slices.Equal(got, []string{"ticket.called"}) || f.s.Ratings.Prompts["1"] == nil {
		t.Fatalf("window 2's call: %v", got)
	}
}
