package hall

import (
	"slices"
	"testing"
	"time"

	"hallfloor/cases"
	"hallfloor/errs"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// withOutputWindow is testSetup with an output service (取件号 C) served at
// window 6.
func withOutputWindow() *Setup {
	setup := testSetup()
	q := *setup.Queue
	q.Services = append(slices.Clone(q.Services), queue.Service{Code: "C", Name: "出件", Kind: queue.Pickup, ServiceTime: 2 * time.Minute})
	q.Windows = append(slices.Clone(q.Windows), queue.WindowSetup{ID: "6", Services: []string{"C"}})
	setup.Queue = queue.NewSetup(q)
	return setup
}

// handOver has the department decide a case and make its result, and the
// output window's clerk, serving the next 取件号, hand it over against the
// signature; it returns what the delivery applied.
func (f *floor) handOver(caseID, signature string) []room.Payload {
	f.t.Helper()
	f.must(cases.Accept{Case: caseID, Actor: dept("d1")})
	f.must(cases.Approve{Case: caseID, Actor: dept("d1")})
	f.must(cases.MarkReady{Case: caseID, Actor: dept("d1")})
	// The applicant's 取件号, taken with the ID number, is linked to it.
	f.must(cases.TakePickup{IDHash: f.s.Cases.Cases[caseID].IDHash, Service: "C"})
	f.call("6")
	return f.applied(cases.Deliver{Case: caseID, Channel: cases.ChannelWindow, Window: "6", Signature: signature, Actor: clerk("6")})
}

// The rating of a service names the case it served: the case opened while
// serving the 收件号, or the case handed over at the output window while
// serving the 取件号; a service without a case names none. One service, one
// rating; after a 差评 is rectified the applicant may rate it once more,
// and that rating is marked second.
func TestRatingNamesTheCaseOfItsService(t *testing.T) {
	f := newFloorWith(t, withOutputWindow())
	f.open("1", "6")
	f.issue("A")
	f.call("1")
	opened := f.applied(cases.Open{Window: "1", Item: "GT", Name: "张三", IDHash: "h1", Party: cases.Enterprise,
		Received: []string{"m1", "m2"}, Actor: clerk("1")})
	num := payloads[cases.Opened](opened)[0].Case.Number
	caseID := payloads[cases.Opened](opened)[0].Case.ID
	if l := payloads[rating.Linked](opened); len(l) != 1 || l[0].Case.Number != num || l[0].Ticket.Number != "A001" {
		t.Fatalf("case opened: %v", types(opened))
	}
	f.advance(5 * time.Minute)
	fin := f.applied(queue.Finish{Window: "1", Actor: clerk("1")})
	want := rating.CaseLink{Number: num, Item: "GT", Department: "scj", Kind: cases.Promised, Party: cases.Enterprise}
	if p := payloads[rating.PromptOpened](fin); len(p) != 1 || p[0].Case == nil || *p[0].Case != want {
		t.Fatalf("the question does not name the case: %+v", p)
	}
	out := f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 2, Reason: "等候时间长"})
	g := payloads[rating.Given](out.Events)
	if len(g) != 1 || g[0].Case == nil || *g[0].Case != want || g[0].Second {
		t.Fatalf("given %+v", g)
	}
	tk := g[0].Ticket
	f.refuse(rating.Rate{Channel: rating.ChannelQR, Ticket: tk.ID, Level: 5}, errs.Conflict, "rated_already")
	fu := f.s.Ratings.FollowUps["FU1"]
	if fu == nil || fu.Case == nil || fu.Case.Number != num {
		t.Fatalf("the follow-up does not name the case: %+v", fu)
	}

	// Not rectified yet: no second rating.
	f.refuse(rating.RateAgain{Token: "t-none", Level: 5}, errs.NotFound, "no_second_rating")
	f.advance(time.Hour)
	closed := f.applied(rating.CloseFollowUp{ID: "FU1", Action: "整改", Outcome: "增开窗口", Actor: manager})
	c := payloads[rating.FollowUpClosed](closed)[0]
	if c.SecondToken == "" || !c.SecondBy.Equal(f.setup.Calendar().AddWorkingDays(f.now, f.setup.Ratings.FollowUpDays)) {
		t.Fatalf("rectified without a second rating's link: %+v", c)
	}
	if pub := c.Public().(rating.FollowUpClosed); pub.SecondToken != "" {
		t.Fatal("the second rating's link shows on the screens")
	}

	// The next day the rectified follow-up still waits for its second rating.
	f.now = at("2025-03-11", "09:30:00")
	f.refuse(rating.RateAgain{Token: c.SecondToken, Level: 1}, errs.Invalid, "rate_reason_needed")
	if f.s.Ratings.FollowUps["FU1"] == nil {
		t.Fatal("a rectified follow-up left before its second rating")
	}
	again := f.applied(rating.RateAgain{Token: c.SecondToken, Level: 4})
	g2 := payloads[rating.Given](again)
	if len(g2) != 1 || !g2[0].Second || g2[0].FollowUp != "FU1" || g2[0].Case == nil || *g2[0].Case != want ||
		g2[0].Ticket.Number != "A001" || g2[0].Channel != rating.ChannelSMS || len(payloads[rating.FollowUpOpened](again)) != 0 {
		t.Fatalf("second rating %v %+v", types(again), g2)
	}
	f.refuse(rating.RateAgain{Token: c.SecondToken, Level: 5}, errs.Conflict, "rated_again_already")

	// The result handed over at the output window: that service's rating
	// names the case too.
	dl := f.handOver(caseID, "张三")
	if l := payloads[rating.Linked](dl); len(l) != 1 || l[0].Ticket.Number != "C001" || l[0].Case.Number != num {
		t.Fatalf("delivered: %v", types(dl))
	}
	fin = f.applied(queue.Finish{Window: "6", Actor: clerk("6")})
	if p := payloads[rating.PromptOpened](fin); len(p) != 1 || p[0].Case == nil || p[0].Case.Number != num {
		t.Fatalf("output window's question: %+v", p)
	}

	// A service without a case.
	f.issue("A")
	f.call("1")
	fin = f.applied(queue.Finish{Window: "1", Actor: clerk("1")})
	if p := payloads[rating.PromptOpened](fin); len(p) != 1 || p[0].Case != nil {
		t.Fatalf("a service without a case names one: %+v", p)
	}

	// Second rated, the follow-up goes with the next day.
	f.now = at("2025-03-12", "09:00:00")
	f.must(Tick{})
	if f.s.Ratings.FollowUps["FU1"] != nil {
		t.Fatal("a follow-up rated again stays")
	}
}

// A second rating closes with its time: as many working days after the
// rectification as the follow-up had; the follow-up then leaves with the
// day.
func TestSecondRatingClosesWithItsTime(t *testing.T) {
	f := newFloor(t)
	// A follow-up closed by a call-back (回访) has no second rating.
	f.served()
	f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 2, Reason: "慢"})
	cb := payloads[rating.FollowUpClosed](f.applied(rating.CloseFollowUp{ID: "FU1", Action: "回访", Outcome: "已说明", Actor: manager}))[0]
	if cb.SecondToken != "" {
		t.Fatalf("a call-back opened a second rating: %+v", cb)
	}
	f.served()
	f.must(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 1, Reason: "态度差"})
	c := payloads[rating.FollowUpClosed](f.applied(rating.CloseFollowUp{ID: "FU2", Action: "rectify", Outcome: "已培训", Actor: manager}))[0]
	f.now = c.SecondBy.Add(-time.Minute)
	f.must(Tick{})
	if f.s.Ratings.FollowUps["FU2"] == nil || f.s.Ratings.FollowUps["FU1"] != nil {
		t.Fatalf("after the days: %v", f.s.Ratings.FollowUpList())
	}
	f.now = c.SecondBy.Add(time.Minute)
	f.refuse(rating.RateAgain{Token: c.SecondToken, Level: 5}, errs.NotFound, "no_second_rating")
}
