package queue

import (
	"slices"
	"testing"
	"time"

	"hallfloor/errs"
)

// served runs one service at window 1 and returns its ticket.
func served(h *hall) *Ticket {
	h.t.Helper()
	tk := h.issue("A")
	if h.s.Windows["1"].State == Closed {
		h.open("1")
	}
	h.call("1")
	h.advance(5 * time.Minute)
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	return tk
}

func TestEvaluatorRatesOnceAfterTheService(t *testing.T) {
	h := newHall(t, testSetup())
	h.refuse(Rate{Channel: ChannelEvaluator, Window: "1", Level: 5}, errs.Conflict) // nothing asked yet
	tk := served(h)
	p := h.s.Windows["1"].Rating
	if p == nil || p.Ticket.ID != tk.ID || p.Staff != "s1" {
		t.Fatalf("prompt %+v", p)
	}
	h.refuse(Rate{Channel: ChannelEvaluator, Window: "9", Level: 5}, errs.NotFound)
	for _, lvl := range []int{0, 6, -1} {
		if e := h.refuse(Rate{Channel: ChannelEvaluator, Window: "1", Level: lvl}, errs.Invalid); e.Field != "level" {
			t.Fatalf("level %d: field %q", lvl, e.Field)
		}
	}
	h.advance(20 * time.Second)
	out := h.must(Rate{Channel: ChannelEvaluator, Window: "1", Level: 4})
	g := payloads[RatingGiven](out.Events)
	if len(g) != 1 || g[0].Level != 4 || g[0].Window != "1" || g[0].Staff != "s1" || g[0].Channel != ChannelEvaluator ||
		g[0].Ticket.Number != "A001" || len(out.Events) != 1 {
		t.Fatalf("events %+v", out.Events)
	}
	if h.s.Windows["1"].Rating != nil || h.s.Tickets[tk.ID].Rating != 4 {
		t.Fatalf("after rating: prompt %+v, ticket %+v", h.s.Windows["1"].Rating, h.s.Tickets[tk.ID])
	}
	// One service, one rating, on every channel.
	h.refuse(Rate{Channel: ChannelEvaluator, Window: "1", Level: 5}, errs.Conflict)
	h.refuse(Rate{Channel: ChannelQR, Ticket: tk.ID, Level: 5}, errs.Conflict)
}

func TestRatingPromptTimesOutUnrated(t *testing.T) {
	h := newHall(t, testSetup())
	tk := served(h)
	h.advance(DefaultPromptTimeout - time.Second)
	if out := h.must(Tick{}); len(out.Events) != 0 {
		t.Fatalf("closed early: %v", eventTypes(out.Events))
	}
	h.advance(time.Second)
	// The timeout holds even before the ticker notices it.
	h.refuse(Rate{Channel: ChannelEvaluator, Window: "1", Level: 5}, errs.Conflict)
	if !Due(h.s, h.setup, h.now) {
		t.Fatal("an expired prompt is not due")
	}
	out := h.must(Tick{})
	if got := eventTypes(out.Events); !slices.Equal(got, []string{"rating.expired"}) {
		t.Fatalf("tick: %v", got)
	}
	if e := out.Events[0].(RatingExpired); e.Reason != "timeout" || e.Ticket.ID != tk.ID {
		t.Fatalf("expired %+v", e)
	}
	if h.s.Windows["1"].Rating != nil || h.s.Tickets[tk.ID].Rating != 0 {
		t.Fatal("a timed-out prompt must leave the service unrated")
	}
	if Due(h.s, h.setup, h.now) {
		t.Fatal("still due after expiring")
	}
	// The ticket page may still offer the rating the evaluator did not get.
	out = h.must(Rate{Channel: ChannelQR, Ticket: tk.ID, Level: 5})
	if g := out.Events[0].(RatingGiven); g.Channel != ChannelQR || g.Window != "1" {
		t.Fatalf("qr rating %+v", g)
	}
}

func TestRatingDeclinedAndReplaced(t *testing.T) {
	h := newHall(t, testSetup())
	h.refuse(DismissRating{Window: "9"}, errs.NotFound)
	h.refuse(DismissRating{Window: "1"}, errs.Conflict)
	first := served(h)
	second := served(h)
	// The next service replaced the question; the first stays unrated.
	if p := h.s.Windows["1"].Rating; p.Ticket.ID != second.ID || h.s.Tickets[first.ID].Rating != 0 {
		t.Fatalf("prompt %+v", p)
	}
	h.refuse(DismissRating{Window: "1", Reason: "bored"}, errs.Invalid)
	out := h.must(DismissRating{Window: "1"})
	if e := out.Events[0].(RatingExpired); e.Reason != "declined" {
		t.Fatalf("dismissed %+v", e)
	}
	h.refuse(DismissRating{Window: "1"}, errs.Conflict)
}

func TestQRRatingNeedsAFinishedService(t *testing.T) {
	h := newHall(t, testSetup())
	h.refuse(Rate{Channel: ChannelQR, Ticket: "nope", Level: 5}, errs.NotFound)
	tk := h.issue("A")
	h.refuse(Rate{Channel: ChannelQR, Ticket: tk.ID, Level: 5}, errs.Conflict)
	h.open("1")
	h.call("1")
	h.refuse(Rate{Channel: ChannelQR, Ticket: tk.ID, Level: 5}, errs.Conflict)
	h.refuse(Rate{Channel: "sms", Ticket: tk.ID, Level: 5}, errs.Invalid)
}

func TestBadRatingOpensAFollowUpDueInWorkingDays(t *testing.T) {
	h := newHall(t, workSetup())
	h.now = at("2025-03-14", "16:00:00") // a Friday
	tk := served(h)
	e := h.refuse(Rate{Channel: ChannelEvaluator, Window: "1", Level: 2, Reason: "  "}, errs.Invalid)
	if e.Field != "reason" {
		t.Fatalf("field %q", e.Field)
	}
	out := h.must(Rate{Channel: ChannelEvaluator, Window: "1", Level: 2, Reason: "等候时间过长"})
	if got := eventTypes(out.Events); !slices.Equal(got, []string{"rating.given", "followup.opened"}) {
		t.Fatalf("events %v", got)
	}
	f := out.Events[1].(FollowUpOpened).FollowUp
	// Five working days from a Friday: Mon–Fri of the next week, the
	// weekend skipped.
	if want := at("2025-03-21", "23:59:59"); !f.Deadline.Equal(want) {
		t.Fatalf("deadline %s, want %s", f.Deadline, want)
	}
	if f.ID != "FU1" || f.Ticket.ID != tk.ID || f.Level != 2 || f.Reason != "等候时间过长" || f.Staff != "s1" || f.Window != "1" {
		t.Fatalf("follow-up %+v", f)
	}

	// A 1 on the day before 清明: the holiday does not count, so the
	// deadline moves a day.
	h.now = at("2025-04-03", "10:00:00")
	served(h)
	out = h.must(Rate{Channel: ChannelEvaluator, Window: "1", Level: 1, Reason: "态度差"})
	if f := out.Events[1].(FollowUpOpened).FollowUp; f.ID != "FU2" || !f.Deadline.Equal(at("2025-04-11", "23:59:59")) {
		t.Fatalf("follow-up over a holiday %+v", f)
	}

	// A 3 needs no reason and opens nothing.
	served(h)
	if out := h.must(Rate{Channel: ChannelEvaluator, Window: "1", Level: 3}); len(out.Events) != 1 {
		t.Fatalf("a 3 opened %v", eventTypes(out.Events))
	}
}

func TestFollowUpOverdueAndClosed(t *testing.T) {
	setup := workSetup()
	setup.Ratings.FollowUpDays = 1
	h := newHall(t, setup)
	h.now = at("2025-03-10", "10:00:00")
	served(h)
	h.must(Rate{Channel: ChannelEvaluator, Window: "1", Level: 1, Reason: "材料被退回三次"})
	f := h.s.FollowUps["FU1"]
	if !f.Deadline.Equal(at("2025-03-11", "23:59:59")) {
		t.Fatalf("deadline %s", f.Deadline)
	}
	h.now = at("2025-03-11", "23:59:59")
	if out := h.must(CheckFollowUps{}); len(out.Events) != 0 {
		t.Fatalf("overdue on the deadline: %v", eventTypes(out.Events))
	}
	h.now = at("2025-03-12", "00:00:30")
	out := h.must(Tick{})
	if o := payloads[FollowUpOverdue](out.Events); len(o) != 1 || o[0].ID != "FU1" {
		t.Fatalf("tick after the deadline: %v", eventTypes(out.Events))
	}
	if !h.s.FollowUps["FU1"].Overdue || !f.Late(h.now) {
		t.Fatal("not flagged overdue")
	}
	if out := h.must(CheckFollowUps{}); len(out.Events) != 0 {
		t.Fatalf("flagged twice: %v", eventTypes(out.Events))
	}

	manager := Actor{Staff: "admin", Manager: true}
	h.refuse(CloseFollowUp{ID: "FU1", Action: "回访", Outcome: "ok", Actor: clerk("s1")}, errs.Forbidden)
	h.refuse(CloseFollowUp{ID: "FU9", Action: "回访", Outcome: "ok", Actor: manager}, errs.NotFound)
	if e := h.refuse(CloseFollowUp{ID: "FU1", Action: "道歉", Outcome: "ok", Actor: manager}, errs.Invalid); e.Field != "action" {
		t.Fatalf("field %q", e.Field)
	}
	if e := h.refuse(CloseFollowUp{ID: "FU1", Action: "回访", Actor: manager}, errs.Invalid); e.Field != "outcome" {
		t.Fatalf("field %q", e.Field)
	}
	out = h.must(CloseFollowUp{ID: "FU1", Action: "rectify", Outcome: "已调整窗口材料清单", Actor: manager})
	if c := out.Events[0].(FollowUpClosed); c.Action != "整改" || c.By != "admin" {
		t.Fatalf("closed %+v", c)
	}
	h.refuse(CloseFollowUp{ID: "FU1", Action: "回访", Outcome: "again", Actor: manager}, errs.Conflict)
	if f := h.s.FollowUps["FU1"]; f.Open() || f.Late(h.now) {
		t.Fatalf("follow-up %+v", f)
	}
}

func TestDayRolloverKeepsOpenFollowUpsAndClosesPrompts(t *testing.T) {
	h := newHall(t, testSetup())
	served(h)
	h.must(Rate{Channel: ChannelEvaluator, Window: "1", Level: 2, Reason: "慢"})
	served(h)
	h.must(Rate{Channel: ChannelEvaluator, Window: "1", Level: 1, Reason: "差"})
	h.must(CloseFollowUp{ID: "FU2", Action: "说明", Outcome: "已说明", Actor: Actor{Staff: "admin", Manager: true}})
	served(h) // leaves a prompt open at midnight
	waiting := h.issue("A")

	h.now = t0.Add(24 * time.Hour)
	h.must(Tick{})
	if h.s.Day != "2025-03-11" {
		t.Fatalf("day %s", h.s.Day)
	}
	if h.s.Windows["1"].Rating != nil {
		t.Fatal("yesterday's prompt survived the rollover")
	}
	if _, ok := h.s.FollowUps["FU1"]; !ok {
		t.Fatal("an open follow-up was dropped at midnight")
	}
	if _, ok := h.s.FollowUps["FU2"]; ok {
		t.Fatal("a closed follow-up stayed past its day")
	}
	if h.s.Tickets[waiting.ID] != nil || h.s.Services["A"].Issued != 0 {
		t.Fatal("numbering did not restart")
	}
	if got := h.issue("A").Number; got != "A001" {
		t.Fatalf("first number of the new day %s", got)
	}
	// The follow-up numbering goes on across days.
	served(h)
	out := h.must(Rate{Channel: ChannelEvaluator, Window: "1", Level: 2, Reason: "慢"})
	if f := out.Events[1].(FollowUpOpened).FollowUp; f.ID != "FU3" {
		t.Fatalf("follow-up id %s", f.ID)
	}
}
