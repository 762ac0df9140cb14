package hall

import (
	"slices"
	"testing"
	"time"

	"hallfloor/cases"
	"hallfloor/errs"
	"hallfloor/locker"
	"hallfloor/outbox"
	"hallfloor/queue"
)

// outputSetup is testSetup with an output window: window 6 serves the
// 取件号 of service P.
func outputSetup() *Setup {
	s := testSetup()
	q := *s.Queue
	q.Services = append(slices.Clone(q.Services), queue.Service{Code: "P", Name: "出件", Kind: queue.Pickup, ServiceTime: 3 * time.Minute})
	q.Windows = append(slices.Clone(q.Windows), queue.WindowSetup{ID: "6", Services: []string{"P"}})
	s.Queue = queue.NewSetup(q)
	return s
}

// caseNotices are the SMS the edge sealed for a case, by key.
func caseSealed(tag string) map[string]outbox.Queued {
	return map[string]outbox.Queued{
		cases.NoticeReady:      {ID: "sms-ready-" + tag, Sealed: []byte("r")},
		cases.NoticeSupplement: {ID: "sms-supp-" + tag, Sealed: []byte("s")},
		cases.NoticeRefused:    {ID: "sms-refused-" + tag, Sealed: []byte("x")},
	}
}

// receiveCase receives a case for idHash at window 1 from a new 收件号, with
// the SMS sealed, and returns its id.
func (f *floor) receiveCase(idHash string, edit func(*cases.Open)) string {
	f.t.Helper()
	if f.s.Queue.Windows["1"].State == queue.Closed {
		f.open("1")
	}
	f.issue("A")
	f.call("1")
	cmd := cases.Open{Window: "1", Item: "GT", Name: "张三", IDHash: idHash, Phone: "13800138000", Party: cases.Person,
		Received: []string{"m1", "m2"}, Notices: caseSealed(idHash), Actor: clerk("1")}
	if edit != nil {
		edit(&cmd)
	}
	evs := f.applied(cmd)
	return payloads[cases.Opened](evs)[0].Case.ID
}

// readyCase takes a case to its result made.
func (f *floor) readyCase(idHash string, edit func(*cases.Open)) string {
	f.t.Helper()
	id := f.receiveCase(idHash, edit)
	f.must(cases.Accept{Case: id, Actor: dept("d1")})
	f.must(cases.Approve{Case: id, Actor: dept("d1")})
	f.must(cases.MarkReady{Case: id, Actor: dept("d2")})
	return id
}

// The applicant's SMS go once each, at their event: the 补正通知 with the
// materials' names (a second one as a new message), the result ready
// worded for the way chosen, the refusal; no other step sends one, and a
// case opened without them sends none.
func TestCaseSMSAtTheirEvents(t *testing.T) {
	f := newFloor(t)
	id := f.receiveCase("h1", nil)
	number := f.s.Cases.Cases[id].Number
	if q := f.queuedNow(); len(q) != 0 {
		t.Fatalf("queued at Open: %+v", q)
	}
	step := func(cmd Command) []outbox.Queued {
		t.Helper()
		f.must(cmd)
		return f.queuedNow()
	}
	q := step(cases.AskSupplement{Case: id, Materials: []string{"m2", "m1"}, Actor: dept("d1")})
	if len(q) != 1 || q[0].ID != "sms-supp-h1" || q[0].Purpose != cases.NoticeSupplement || string(q[0].Sealed) != "s" ||
		q[0].Vars[VarMaterials] != "身份证明、申请书" || q[0].Vars[outbox.VarCase] != number || q[0].Vars[outbox.VarWhat] != "个体工商户登记" {
		t.Fatalf("补正通知 %+v", q)
	}
	if q := step(cases.Supply{Case: id, Materials: []string{"m2"}, Actor: clerk("1")}); len(q) != 0 {
		t.Fatalf("queued at a supply: %+v", q)
	}
	q = step(cases.AskSupplement{Case: id, Materials: []string{"m1"}, Actor: dept("d1")})
	if len(q) != 1 || q[0].ID != "sms-supp-h1.2" || q[0].Sealed != nil || q[0].Vars[outbox.VarPhone] != "13800138000" ||
		q[0].Vars[VarMaterials] != "申请书" {
		t.Fatalf("the second 补正通知 %+v", q)
	}
	for _, cmd := range []Command{cases.Accept{Case: id, Actor: dept("d1")}, cases.Approve{Case: id, Actor: dept("d1")}} {
		if q := step(cmd); len(q) != 0 {
			t.Fatalf("queued at %T: %+v", cmd, q)
		}
	}
	q = step(cases.MarkReady{Case: id, Actor: dept("d1")})
	if len(q) != 1 || q[0].ID != "sms-ready-h1" || q[0].Purpose != cases.PurposeReadyWindow || q[0].Vars[outbox.VarCase] != number {
		t.Fatalf("ready %+v", q)
	}
	if f.s.Outbox.Pending["sms-ready-h1"] == nil {
		t.Fatal("the ready SMS is not in the outbox")
	}

	// Chosen for post or a locker, the SMS says so.
	for _, tc := range []struct{ collect, purpose string }{{cases.ChannelPost, cases.PurposeReadyPost}, {cases.ChannelLocker, cases.PurposeReadyLocker}} {
		other := f.receiveCase("h-"+tc.collect, func(o *cases.Open) { o.Collect, o.Address = tc.collect, "椒江区" })
		f.must(cases.Accept{Case: other, Actor: dept("d1")})
		f.must(cases.Approve{Case: other, Actor: dept("d1")})
		if q := step(cases.MarkReady{Case: other, Actor: dept("d1")}); len(q) != 1 || q[0].Purpose != tc.purpose {
			t.Fatalf("ready for %s: %+v", tc.collect, q)
		}
	}

	// A refusal, once; its closing sends nothing more.
	refused := f.receiveCase("h2", nil)
	q = step(cases.Refuse{Case: refused, Reason: "不符合条件", Actor: dept("d1")})
	if len(q) != 1 || q[0].ID != "sms-refused-h2" || q[0].Purpose != cases.NoticeRefused {
		t.Fatalf("refused %+v", q)
	}
	if q := step(cases.Close{Case: refused, Actor: clerk("1")}); len(q) != 0 {
		t.Fatalf("queued at the close: %+v", q)
	}

	// Without a phone the edge sealed nothing: nothing goes.
	silent := f.receiveCase("h3", func(o *cases.Open) { o.Phone, o.Notices = "", nil })
	for _, cmd := range []Command{cases.AskSupplement{Case: silent, Materials: []string{"m1"}, Actor: dept("d1")},
		cases.AskSupplement{Case: silent, Materials: []string{"m2"}, Actor: dept("d1")},
		cases.Accept{Case: silent, Actor: dept("d1")}, cases.Approve{Case: silent, Actor: dept("d1")},
		cases.MarkReady{Case: silent, Actor: dept("d1")}} {
		if q := step(cmd); len(q) != 0 {
			t.Fatalf("queued for a case without a phone at %T: %+v", cmd, q)
		}
	}
}

// At the kiosk the ID number takes a 取件号 of the output windows linked to
// the applicant's ready results; the clerk calling it sees them and hands
// them over against a signature, which closes each with its proof.
func TestPickupNumberAtTheKiosk(t *testing.T) {
	f := newFloorWith(t, outputSetup())
	a := f.readyCase("h1", nil)
	b := f.readyCase("h1", nil)
	posted := f.readyCase("h1", func(o *cases.Open) { o.Collect, o.Address = cases.ChannelPost, "椒江区" })
	f.readyCase("h2", nil)
	f.refuse(cases.TakePickup{IDHash: "h9"}, errs.NotFound, "case_none_ready")

	evs := f.applied(cases.TakePickup{IDHash: "h1"})
	issued := payloads[queue.TicketIssued](evs)
	taken := payloads[cases.PickupTaken](evs)
	if len(issued) != 1 || len(taken) != 1 || issued[0].Ticket.Service != "P" || taken[0].Ticket != issued[0].Ticket.ID || len(taken[0].Cases) != 2 {
		t.Fatalf("taken %v", types(evs))
	}
	tk := f.s.Queue.Tickets[issued[0].Ticket.ID]
	if tk.IDHash != "h1" || tk.Via != "" || f.s.Cases.Cases[a].PickupTicket != tk.ID || f.s.Cases.Cases[posted].PickupTicket != "" {
		t.Fatalf("ticket %+v", tk)
	}
	// One waiting 取件号 per holder, as for any number.
	f.refuse(cases.TakePickup{IDHash: "h1"}, errs.Conflict, "holder_waits")

	f.open("6")
	if HandOver(f.s, "6") != nil {
		t.Fatal("results to hand over before the call")
	}
	if f.call("6") != tk.Number {
		t.Fatalf("window 6 called another number")
	}
	got := HandOver(f.s, "6")
	if len(got) != 2 || got[0].ID != a || got[1].ID != b {
		t.Fatalf("to hand over %v", got)
	}
	f.refuse(cases.Deliver{Case: posted, Channel: cases.ChannelWindow, Window: "6", Signature: "张三", Actor: clerk("6")}, errs.Conflict, "case_chosen_post")
	f.refuse(cases.Deliver{Case: a, Channel: cases.ChannelWindow, Window: "6", Signature: "张三", Actor: clerk("1")}, errs.Forbidden, "case_not_at_window")
	evs = f.applied(cases.Deliver{Case: a, Channel: cases.ChannelWindow, Window: "6", Signature: "张三", Actor: clerk("6")})
	// The 取件号's service is now that case's, for its rating (一次一评).
	if !slices.Equal(types(evs), []string{"case.delivered", "case.proof", "case.closed", "rating.linked"}) || f.s.Cases.Cases[a].Status != cases.Closed {
		t.Fatalf("handed over %v", types(evs))
	}
	if got := HandOver(f.s, "6"); len(got) != 1 || got[0].ID != b {
		t.Fatalf("left to hand over %v", got)
	}
	// The next number served, the rest of that holder's results are not
	// this one's to take.
	f.call("6")
	f.refuse(cases.Deliver{Case: b, Channel: cases.ChannelWindow, Window: "6", Signature: "张三", Actor: clerk("6")}, errs.Conflict, "case_not_serving")
}

// A hall without output windows says so at the kiosk.
func TestPickupNumberWithoutOutputWindows(t *testing.T) {
	f := newFloor(t)
	f.readyCase("h1", nil)
	f.refuse(cases.TakePickup{IDHash: "h1"}, errs.Conflict, "case_no_pickup_service")
}

// A case's result deposited under its 办件编号 is in the locker once the
// door shuts on it; the applicant taking it out delivers and closes the
// case; a deposit for a case that is not ready is refused, one naming no
// case of the hall is the lockers' alone.
func TestLockerDeliversTheCase(t *testing.T) {
	f := newFloor(t)
	id := f.readyCase("h1", func(o *cases.Open) { o.Collect = cases.ChannelLocker })
	k := f.s.Cases.Cases[id]
	notReady := f.s.Cases.Cases[f.receiveCase("h1", nil)]
	deposit := func(c string) locker.Deposit {
		return locker.Deposit{Bank: "L1", Size: locker.Small, Item: locker.Item{Case: c, What: "营业执照", Name: "张三", IDHash: "h1",
			TailHash: "tail", CodeHash: "code-" + c, Clerk: "s1"}}
	}
	f.refuse(deposit(notReady.Number), errs.Conflict, "case_not_ready")
	f.refuse(deposit(k.ID), errs.Invalid, "case_locker_number")
	other := payloads[locker.Released](f.applied(deposit("外单位-7")))[0].Comp
	f.must(locker.DoorChanged{Comp: other, Open: true})
	if evs := f.applied(locker.DoorChanged{Comp: other, Open: false}); !slices.Equal(types(evs), []string{"locker.stored"}) {
		t.Fatalf("a deposit of no case: %v", types(evs))
	}

	comp := payloads[locker.Released](f.applied(deposit(k.Number)))[0].Comp
	if k.Locker != "" {
		t.Fatal("in the locker before the door shut")
	}
	f.must(locker.DoorChanged{Comp: comp, Open: true})
	evs := f.applied(locker.DoorChanged{Comp: comp, Open: false})
	if !slices.Equal(types(evs), []string{"locker.stored", "case.in_locker"}) || k.Locker != comp {
		t.Fatalf("stored %v, case %+v", types(evs), k)
	}
	f.refuse(deposit(k.Number), errs.Conflict, "case_in_locker")

	f.advance(time.Hour)
	f.must(locker.Pickup{Bank: "L1", Who: "h1", CodeHash: "code-" + k.Number})
	f.must(locker.DoorChanged{Comp: comp, Open: true})
	evs = f.applied(locker.DoorChanged{Comp: comp, Open: false})
	if !slices.Equal(types(evs), []string{"locker.picked_up", "case.delivered", "case.proof", "case.closed"}) {
		t.Fatalf("picked up %v", types(evs))
	}
	if k.Status != cases.Closed || k.Channel != cases.ChannelLocker || k.Delivery != comp || !k.ProofAt.Equal(f.now) {
		t.Fatalf("delivered %+v", k)
	}
}

// A hall without lockers offers none.
func TestNoLockerChoiceWithoutLockers(t *testing.T) {
	s := testSetup()
	s.Lockers = &locker.Setup{}
	f := newFloorWith(t, s)
	id := f.receiveCase("h1", nil)
	f.refuse(cases.ChooseCollection{Case: id, Channel: cases.ChannelLocker, IDHash: "h1"}, errs.Conflict, "case_no_locker")
	f.issue("A")
	f.call("1")
	f.refuse(cases.Open{Window: "1", Item: "GT", Name: "张三", IDHash: "h1", Party: cases.Person, Received: []string{"m1", "m2"},
		Collect: cases.ChannelLocker, Actor: clerk("1")}, errs.Conflict, "case_no_locker")
	f.must(cases.ChooseCollection{Case: id, Channel: cases.ChannelPost, Address: "椒江区", IDHash: "h1"})
}

// A posted result waits for the courier's 签收: without it past one
// working day the hall says so once and the manager sees it until a clerk
// records it, which closes the case.
func TestPostedWithoutReceiptAlerts(t *testing.T) {
	f := newFloor(t)
	id := f.readyCase("h1", func(o *cases.Open) { o.Collect, o.Address = cases.ChannelPost, "椒江区" })
	evs := f.applied(cases.Deliver{Case: id, Channel: cases.ChannelPost, Courier: "EMS", Waybill: "1190001", Actor: clerk("1")})
	k := f.s.Cases.Cases[id]
	if !slices.Equal(types(evs), []string{"case.delivered"}) || k.Status != cases.Posted {
		t.Fatalf("posted %v, %+v", types(evs), k)
	}
	proofAlerts := func() []Alert {
		var out []Alert
		for _, a := range AlertsAt(f.s, f.setup, f.now) {
			if a.Kind == AlertCaseProof {
				out = append(out, a)
			}
		}
		return out
	}
	// Monday's post is due back by the end of Tuesday.
	f.now = at("2025-03-11", "17:00:00")
	if evs := f.applied(Tick{}); len(payloads[cases.ProofLate](evs)) != 0 || len(proofAlerts()) != 0 {
		t.Fatalf("late on time: %v", types(evs))
	}
	f.now = at("2025-03-12", "09:00:00")
	if evs := f.applied(Tick{}); len(payloads[cases.ProofLate](evs)) != 1 {
		t.Fatalf("not late: %v", types(evs))
	}
	a := proofAlerts()
	if len(a) != 1 || a[0].Subject != k.Number || a[0].Args["department"] != "市场监管局" || a[0].Args["deadline"] != "2025-03-11" {
		t.Fatalf("alerts %+v", a)
	}
	f.advance(time.Minute)
	if Due(f.s, f.setup, f.now) && len(payloads[cases.ProofLate](f.applied(Tick{}))) != 0 {
		t.Fatal("late twice")
	}
	f.refuse(cases.RecordReceipt{Case: id}, errs.Unauthorized, "sign_in_required")
	evs = f.applied(cases.RecordReceipt{Case: id, Actor: clerk("1")})
	if !slices.Equal(types(evs), []string{"case.proof", "case.closed"}) || k.Status != cases.Closed || len(proofAlerts()) != 0 {
		t.Fatalf("received %v, %+v", types(evs), k)
	}
}

// A 取件号 is a walk-in number: after hours the kiosk refuses it as any
// other, and links nothing.
func TestPickupNumberAfterHours(t *testing.T) {
	f := newFloorWith(t, outputSetup())
	id := f.readyCase("h1", nil)
	f.now = at("2025-03-10", "18:30:00")
	f.must(Tick{})
	f.refuse(cases.TakePickup{IDHash: "h1"}, errs.Conflict, "hall_closed_until")
	if f.s.Cases.Cases[id].PickupTicket != "" {
		t.Fatal("linked after hours")
	}
}
