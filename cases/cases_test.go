package cases

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"hallfloor/calendar/calendartest"
	"hallfloor/errs"
	"hallfloor/queue"
	"hallfloor/room"
)

var sh = calendartest.Shanghai

// Tuesday 2025-04-01, 10:00: 清明 (Friday 04-04) lies ahead.
var t0 = time.Date(2025, 4, 1, 10, 0, 0, 0, sh)

func testSetup() *Setup {
	return NewSetup(Setup{Calendar: calendartest.WorkWeek(),
		Departments: []Department{{ID: "scj", Name: "市场监管局", Staff: []string{"d1", "d2"}}, {ID: "bdc", Name: "不动产登记中心", Staff: []string{"e1"}}},
		Items: []Item{
			{Code: "GT", Name: "个体工商户登记", Department: "scj", Kind: Promised, Days: 3,
				Materials: []Material{{Code: "m1", Name: "申请书"}, {Code: "m2", Name: "身份证明"}, {Code: "m3", Name: "经营场所证明"}}},
			{Code: "DJ", Name: "不动产查询", Department: "bdc", Kind: Immediate, Materials: []Material{{Code: "m1", Name: "申请表"}}},
		}})
}

// hall is the cases' room with a queue whose window 1 serves 收件号 A001
// (clerk c1) and window 2 a 取件号 (clerk c2).
type hall struct {
	t   *testing.T
	s   *State
	set *Setup
	q   *queue.State
	qs  *queue.Setup
	seq uint64
	ids int
}

func newHall(t *testing.T) *hall {
	qs := queue.NewSetup(queue.Setup{Location: sh, Services: []queue.Service{{Code: "A", Kind: queue.Intake}, {Code: "P", Kind: queue.Pickup}},
		Windows: []queue.WindowSetup{{ID: "1", Services: []string{"A"}}, {ID: "2", Services: []string{"P"}}}})
	q := queue.NewState(qs)
	q.Tickets["ta"] = &queue.Ticket{ID: "ta", Number: "A001", Service: "A", Status: queue.Called}
	q.Tickets["tp"] = &queue.Ticket{ID: "tp", Number: "P001", Service: "P", Status: queue.Called}
	q.Windows["1"] = &queue.Window{State: queue.Serving, Staff: "c1", Current: "ta"}
	q.Windows["2"] = &queue.Window{State: queue.Serving, Staff: "c2", Current: "tp"}
	return &hall{t: t, s: NewState(), set: testSetup(), q: q, qs: qs}
}

func (h *hall) env(at time.Time) room.Env {
	return room.Env{Now: at, NewID: func() string { h.ids++; return fmt.Sprintf("k%d", h.ids) }}
}

// run decides and applies a command at a time, as the hall would.
func (h *hall) run(at time.Time, cmd Command) ([]room.Payload, error) {
	out, err := Decide(h.s, h.set, h.q, h.qs, cmd, h.env(at))
	if err != nil {
		return nil, err
	}
	h.apply(at, out.Events...)
	return out.Events, nil
}

func (h *hall) apply(at time.Time, ps ...room.Payload) {
	for _, p := range ps {
		h.seq++
		h.s.Apply(room.Event{Seq: h.seq, At: at, Data: p})
	}
}

func (h *hall) must(at time.Time, cmd Command) []room.Payload {
	h.t.Helper()
	evs, err := h.run(at, cmd)
	if err != nil {
		h.t.Fatalf("%T: %v", cmd, err)
	}
	return evs
}

var clerk = room.Actor{Staff: "c1", Role: room.Clerk}

func staff(id string) room.Actor { return room.Actor{Staff: id, Role: room.Clerk} }

func full() Open {
	return Open{Window: "1", Item: "GT", Name: "张三", IDHash: "h-1", Phone: "13800000000", Party: Person,
		Received: []string{"m1", "m2", "m3"}, Actor: clerk}
}

// opened opens a case with every material and returns its id.
func (h *hall) opened(at time.Time) string {
	h.t.Helper()
	evs := h.must(at, full())
	return evs[0].(Opened).Case.ID
}

func reason(err error) string {
	var e *errs.Error
	if errors.As(err, &e) {
		return e.Reason
	}
	return ""
}

func TestOpenWithEveryMaterial(t *testing.T) {
	h := newHall(t)
	evs := h.must(t0, full())
	o := evs[0].(Opened)
	if len(evs) != 1 || o.Case.Number != "202504010001" || o.Ticket != "ta" || o.Staff != "c1" || o.Department != "scj" || o.Missing != nil {
		t.Fatalf("opened %+v", evs)
	}
	k := h.s.Cases[o.Case.ID]
	if k == nil || k.Status != Received || k.IDHash != "h-1" || !k.ReceivedAt.Equal(t0) || len(k.Timeline) != 1 ||
		k.Timeline[0] != (Step{Type: "case.opened", Staff: "c1", At: t0}) {
		t.Fatalf("case %+v", k)
	}
	// The next case of the day is numbered next; a new day starts again.
	o2 := h.must(t0.Add(time.Hour), full())[0].(Opened)
	o3 := h.must(t0.Add(24*time.Hour), full())[0].(Opened)
	if o2.Case.Number != "202504010002" || o3.Case.Number != "202504020001" {
		t.Fatalf("numbers %s %s", o2.Case.Number, o3.Case.Number)
	}
}

func TestMissingMaterials(t *testing.T) {
	tests := []struct {
		name       string
		missing    string
		commitment string
		days       int
		reason     string
		supplyBy   time.Time
	}{
		{name: "no choice", reason: "case_materials_missing"},
		{name: "refuse lists every missing", missing: MissingRefuse},
		{name: "tolerate without commitment", missing: MissingTolerate, reason: "case_commitment_required"},
		// Tuesday + 5 working days skips the weekend and 清明 (Friday).
		{name: "tolerate, default days", missing: MissingTolerate, commitment: "五个工作日内补交", supplyBy: time.Date(2025, 4, 9, 23, 59, 59, 0, sh)},
		{name: "tolerate, two days", missing: MissingTolerate, commitment: "补交", days: 2, supplyBy: time.Date(2025, 4, 3, 23, 59, 59, 0, sh)},
		{name: "tolerate, too many days", missing: MissingTolerate, commitment: "补交", days: 31, reason: "case_supply_days"},
		{name: "an unknown choice", missing: "later", reason: "case_materials_missing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHall(t)
			cmd := full()
			cmd.Received = []string{"m2"}
			cmd.Missing, cmd.Commitment, cmd.SupplyDays = tc.missing, tc.commitment, tc.days
			evs, err := h.run(t0, cmd)
			if tc.reason != "" {
				if reason(err) != tc.reason || len(h.s.Cases) != 0 || h.s.Notices != 0 {
					t.Fatalf("err %v, cases %d", err, len(h.s.Cases))
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.missing == MissingRefuse {
				n, ok := evs[0].(NoticeIssued)
				if len(evs) != 1 || !ok || !slices.Equal(n.Missing, []string{"m1", "m3"}) || n.Staff != "c1" || n.Item != "GT" {
					t.Fatalf("notice %+v", evs)
				}
				if len(h.s.Cases) != 0 || h.s.Notices != 1 || h.s.Seq != 0 {
					t.Fatalf("a refused intake opened a case: %+v", h.s)
				}
				return
			}
			k := h.s.Cases[evs[0].(Opened).Case.ID]
			if !slices.Equal(k.Missing, []string{"m1", "m3"}) || k.Commitment != tc.commitment || !k.SupplyBy.Equal(tc.supplyBy) {
				t.Fatalf("容缺 case %+v", k)
			}
		})
	}
}

func TestOpenRefusals(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Open)
		reason string
	}{
		{"not signed in", func(o *Open) { o.Actor = room.Actor{} }, "sign_in_required"},
		{"another clerk's window", func(o *Open) { o.Actor = staff("c2") }, "case_not_at_window"},
		{"a pickup window", func(o *Open) { o.Window, o.Actor = "2", staff("c2") }, "case_not_intake"},
		{"no window", func(o *Open) { o.Window = "9" }, "no_window"},
		{"no item", func(o *Open) { o.Item = "XX" }, "no_item"},
		{"no name", func(o *Open) { o.Name = "  " }, "case_name_required"},
		{"no id number", func(o *Open) { o.IDHash = "" }, "case_id_required"},
		{"no party", func(o *Open) { o.Party = "" }, "case_party"},
		{"unknown material", func(o *Open) { o.Received = append(o.Received, "m9") }, "case_no_material"},
		{"material twice", func(o *Open) { o.Received = append(o.Received, "m1") }, "case_material_twice"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHall(t)
			cmd := full()
			tc.edit(&cmd)
			before := fmt.Sprintf("%+v", *h.s)
			if _, err := h.run(t0, cmd); reason(err) != tc.reason {
				t.Fatalf("err %v, want %s", err, tc.reason)
			}
			if after := fmt.Sprintf("%+v", *h.s); after != before || len(h.s.Cases) != 0 {
				t.Fatalf("a refusal changed the state")
			}
		})
	}
	h := newHall(t)
	h.q.Windows["1"].State, h.q.Windows["1"].Current = queue.Idle, ""
	if _, err := h.run(t0, full()); reason(err) != "case_not_serving" {
		t.Fatalf("idle window: %v", err)
	}
}

// Only the department's staff decide; a refusal needs its written reason;
// a refused command changes nothing.
func TestOnlyTheDepartmentDecides(t *testing.T) {
	h := newHall(t)
	id := h.opened(t0)
	at := t0.Add(time.Hour)
	refused := []struct {
		cmd    Command
		reason string
	}{
		{Accept{Case: id, Actor: clerk}, "case_not_department"},
		{Accept{Case: id, Actor: room.Actor{Staff: "m1", Role: room.Manager}}, "case_not_department"},
		{Accept{Case: id, Actor: staff("e1")}, "case_not_department"},
		{Accept{Case: id}, "sign_in_required"},
		{Accept{Case: "nope", Actor: staff("d1")}, "no_case"},
		{Approve{Case: id, Actor: staff("d1")}, "case_wrong_state"},
		{Refuse{Case: id, Actor: staff("d1")}, "case_reason_required"},
		{Refuse{Case: id, Reason: "  ", Actor: staff("d1")}, "case_reason_required"},
		{Refuse{Case: id, Reason: "不符合", Actor: clerk}, "case_not_department"},
		{MarkReady{Case: id, Actor: staff("d1")}, "case_wrong_state"},
		{AskSupplement{Case: id, Actor: staff("d1")}, "case_supplement_materials"},
		{AskSupplement{Case: id, Materials: []string{"m9"}, Actor: staff("d1")}, "case_no_material"},
		{Deliver{Case: id, Channel: ChannelPost, Courier: "EMS", Waybill: "1", Actor: clerk}, "case_wrong_state"},
	}
	for _, r := range refused {
		before := fmt.Sprintf("%+v", *h.s.Cases[id])
		if _, err := h.run(at, r.cmd); reason(err) != r.reason {
			t.Errorf("%+v: %v, want %s", r.cmd, err, r.reason)
		}
		if after := fmt.Sprintf("%+v", *h.s.Cases[id]); after != before {
			t.Errorf("%+v changed the case", r.cmd)
		}
	}
	h.must(at, Accept{Case: id, Actor: staff("d2")})
	h.must(at, Refuse{Case: id, Reason: "经营场所不符合规定", Actor: staff("d1")})
	k := h.s.Cases[id]
	if k.Status != Refused || k.Reason != "经营场所不符合规定" || k.Timeline[2] != (Step{Type: "case.refused", Staff: "d1", At: at}) {
		t.Fatalf("refused %+v", k)
	}
	if _, err := h.run(at, Approve{Case: id, Actor: staff("d1")}); reason(err) != "case_wrong_state" {
		t.Fatalf("approve after refusal: %v", err)
	}
	// The written decision handed over, the refused case closes, its
	// reason kept; a case not refused closes only by its delivery.
	other := h.opened(at)
	if _, err := h.run(at, Close{Case: other, Actor: clerk}); reason(err) != "case_wrong_state" {
		t.Fatalf("close of a case not refused: %v", err)
	}
	h.must(at, Close{Case: id, Actor: clerk})
	if k := h.s.Cases[id]; k.Status != Closed || k.Reason != "经营场所不符合规定" || k.Timeline[3].Type != "case.closed" {
		t.Fatalf("closed refusal %+v", k)
	}
}

// A supplement may be asked up to the end of the 5th working day after
// the receipt, counted across the weekend and 清明.
func TestSupplementWithinFiveWorkingDays(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		ok   bool
	}{
		{"same day", t0.Add(time.Hour), true},
		{"over the holiday, the fifth working day", time.Date(2025, 4, 9, 17, 0, 0, 0, sh), true},
		{"the sixth working day", time.Date(2025, 4, 10, 9, 0, 0, 0, sh), false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHall(t)
			id := h.opened(t0)
			_, err := h.run(tc.at, AskSupplement{Case: id, Materials: []string{"m3"}, Note: "请补交租赁合同", Actor: staff("d1")})
			k := h.s.Cases[id]
			if tc.ok {
				if err != nil || k.Status != Supplement || !slices.Equal(k.Asked, []string{"m3"}) {
					t.Fatalf("err %v, case %+v", err, k)
				}
				// Asked in time, it is not deemed accepted later.
				for _, p := range Due(h.s, h.set, tc.at.AddDate(0, 0, 20)) {
					if _, ok := p.(CaseAccepted); ok {
						t.Fatal("a case asked for supplements deemed accepted")
					}
				}
				// The supplement in, the department accepts.
				at := tc.at.Add(time.Hour)
				h.must(at, Accept{Case: id, Actor: staff("d1")})
				if !k.AcceptedAt.Equal(at) {
					t.Fatalf("accepted at %v", k.AcceptedAt)
				}
				return
			}
			if reason(err) != "case_supplement_late" || k.Status != Received || len(k.Timeline) != 1 {
				t.Fatalf("late supplement: %v, case %+v", err, k)
			}
			// Left without a 补正通知, it counts as accepted from the
			// receipt's date, once.
			var deemed []CaseAccepted
			for _, p := range Due(h.s, h.set, tc.at) {
				if a, ok := p.(CaseAccepted); ok {
					deemed = append(deemed, a)
				}
			}
			if len(deemed) != 1 || !deemed[0].Deemed || deemed[0].Staff != "" {
				t.Fatalf("deemed %+v", deemed)
			}
			h.apply(tc.at, deemed[0])
			if k.Status != Accepted || !k.AcceptedAt.Equal(t0) {
				t.Fatalf("deemed accepted %+v", k)
			}
			for _, p := range Due(h.s, h.set, tc.at.Add(time.Hour)) {
				if _, ok := p.(CaseAccepted); ok {
					t.Fatal("deemed accepted twice")
				}
			}
		})
	}
}

func TestDeadlineAndOverdueOnce(t *testing.T) {
	set := testSetup()
	// Tuesday + 3 working days: Wednesday, Thursday, (清明 off) Monday.
	if got := set.Deadline(set.Item("GT"), t0); !got.Equal(time.Date(2025, 4, 7, 23, 59, 59, 0, sh)) {
		t.Fatalf("承诺件 deadline %v", got)
	}
	if got := set.Deadline(set.Item("DJ"), t0); !got.Equal(time.Date(2025, 4, 1, 23, 59, 59, 0, sh)) {
		t.Fatalf("即办件 deadline %v", got)
	}
	h := newHall(t)
	id := h.opened(t0)
	done := h.opened(t0)
	h.must(t0, Accept{Case: done, Actor: staff("d1")})
	if evs := h.must(t0, Refuse{Case: done, Reason: "材料不实", Actor: staff("d1")}); evs[0].(CaseRefused).Late {
		t.Fatal("a refusal within the deadline counts as late")
	}
	if evs := overdue(Due(h.s, h.set, time.Date(2025, 4, 7, 23, 59, 59, 0, sh))); len(evs) != 0 {
		t.Fatalf("due on the deadline: %+v", evs)
	}
	late := time.Date(2025, 4, 8, 9, 0, 0, 0, sh)
	evs := overdue(Due(h.s, h.set, late))
	if len(evs) != 1 || evs[0].(CaseOverdue).Case.ID != id || evs[0].(CaseOverdue).Department != "scj" {
		t.Fatalf("overdue %+v", evs)
	}
	h.apply(late, evs...)
	if again := overdue(Due(h.s, h.set, late.Add(time.Hour))); len(again) != 0 || !h.s.Cases[id].Overdue {
		t.Fatalf("overdue twice: %+v", again)
	}
	// Decided after the deadline: the on-time rate counts it late.
	h.must(late, Accept{Case: id, Actor: staff("d1")})
	h.must(late, Approve{Case: id, Actor: staff("d1")})
	if evs := h.must(late, MarkReady{Case: id, Actor: staff("d1")}); !evs[0].(ResultMade).Late || evs[0].(ResultMade).Case.Department != "scj" {
		t.Fatalf("a result past the deadline: %+v", evs[0])
	}
}

// The result goes out at the window to the holder of the 取件号 linked to
// it, which closes the case with its 送达凭证, or by post to the address
// chosen, which closes only once the courier's 签收 is recorded; a locker
// delivers on the applicant's pickup, never on a clerk's word.
func TestDeliveryByEachChannel(t *testing.T) {
	pickup := staff("c2")
	tests := []struct {
		name     string
		cmd      Deliver
		post     bool // the applicant chose post
		delivery string
		reason   string
	}{
		{name: "window", cmd: Deliver{Channel: ChannelWindow, Window: "2", Signature: "张三", Actor: pickup}, delivery: "张三"},
		{name: "post", cmd: Deliver{Channel: ChannelPost, Courier: "EMS", Waybill: "1190001", Actor: pickup}, post: true, delivery: "EMS 1190001"},
		{name: "locker", cmd: Deliver{Channel: ChannelLocker, Locker: "L1-03", Actor: pickup}, reason: "case_locker_by_pickup"},
		{name: "window unsigned", cmd: Deliver{Channel: ChannelWindow, Window: "2", Actor: pickup}, reason: "case_signature_required"},
		{name: "another's window", cmd: Deliver{Channel: ChannelWindow, Window: "2", Signature: "张三", Actor: clerk}, reason: "case_not_at_window"},
		{name: "window, the applicant chose post", cmd: Deliver{Channel: ChannelWindow, Window: "2", Signature: "张三", Actor: pickup}, post: true, reason: "case_chosen_post"},
		{name: "post not chosen", cmd: Deliver{Channel: ChannelPost, Courier: "EMS", Waybill: "1", Actor: pickup}, reason: "case_post_unchosen"},
		{name: "post without waybill", cmd: Deliver{Channel: ChannelPost, Courier: "EMS", Actor: pickup}, post: true, reason: "case_waybill_required"},
		{name: "no channel", cmd: Deliver{Actor: pickup}, reason: "case_channel"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHall(t)
			id := h.ready(t0)
			// The 取件号 P001 served at window 2 is linked to the case.
			h.apply(t0, PickupTaken{Ticket: "tp", Service: "P", Cases: []Ref{ref(h.s.Cases[id])}})
			if tc.post {
				h.must(t0, ChooseCollection{Case: id, Channel: ChannelPost, Address: "台州市椒江区市府大道1号", Actor: pickup})
			}
			tc.cmd.Case = id
			at := t0.Add(2 * time.Hour)
			k := h.s.Cases[id]
			steps := len(k.Timeline)
			_, err := h.run(at, tc.cmd)
			if tc.reason != "" {
				if reason(err) != tc.reason || k.Status != Ready || len(k.Timeline) != steps {
					t.Fatalf("err %v, case %+v", err, k)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			want := []string{"case.delivered/c2", "case.proof/c2", "case.closed/c2"}
			status := Closed
			if tc.post {
				want, status = want[:1], Posted
			}
			if got := stepsSince(k, steps); k.Status != status || k.Channel != tc.cmd.Channel || k.Delivery != tc.delivery ||
				!slices.Equal(got, want) || !k.DeliveredAt.Equal(at) {
				t.Fatalf("delivered %+v, timeline %v", k, got)
			}
			if _, err := h.run(at, tc.cmd); reason(err) != "case_wrong_state" {
				t.Fatalf("delivered twice: %v", err)
			}
			if tc.post {
				if _, err := h.run(at, RecordReceipt{Case: id}); reason(err) != "sign_in_required" {
					t.Fatalf("an anonymous receipt: %v", err)
				}
				h.must(at.Add(time.Hour), RecordReceipt{Case: id, Actor: clerk})
				if got := stepsSince(k, steps); k.Status != Closed || !k.ProofAt.Equal(at.Add(time.Hour)) ||
					!slices.Equal(got, []string{"case.delivered/c2", "case.proof/c1", "case.closed/c1"}) {
					t.Fatalf("received %+v, timeline %v", k, got)
				}
			} else if !k.ProofAt.Equal(at) {
				t.Fatalf("the signature went back at %v", k.ProofAt)
			}
			if _, err := h.run(at, RecordReceipt{Case: id, Actor: clerk}); reason(err) != "case_wrong_state" {
				t.Fatalf("a receipt for a closed case: %v", err)
			}
			if evs := overdue(Due(h.s, h.set, at.AddDate(0, 1, 0))); len(evs) != 0 {
				t.Fatalf("a closed case overdue: %+v", evs)
			}
		})
	}
}

// Every event survives the journal, and a screen is sent only that a case
// took a step: no field of it.
func TestEventsJournalAndStayPrivate(t *testing.T) {
	for _, p := range []room.Payload{Opened{}, NoticeIssued{}, Supplied{}, CaseAccepted{}, SupplementAsked{}, CaseApproved{}, CaseRefused{},
		ResultMade{}, Delivered{}, CaseClosed{}, CaseOverdue{},
		CollectionChosen{}, PickupTaken{}, InLocker{}, OutOfLocker{}, ProofReturned{}, ProofLate{}} {
		if d, err := room.Decode(p.Type(), []byte("{}")); err != nil || d.Type() != p.Type() {
			t.Errorf("%s: %v", p.Type(), err)
		}
		if pub := room.Public(p); pub != (Stepped{}) {
			t.Errorf("%s reaches public screens as %#v", p.Type(), pub)
		}
	}
}

// What a 容缺 applicant or a 补正通知 owes is handed in and struck off; what
// is not owed is refused and changes nothing.
func TestSupplyStrikesOffWhatIsOwed(t *testing.T) {
	h := newHall(t)
	cmd := full()
	cmd.Received, cmd.Missing, cmd.Commitment = []string{"m2"}, MissingTolerate, "补交"
	id := h.must(t0, cmd)[0].(Opened).Case.ID
	at := t0.Add(24 * time.Hour)
	for _, bad := range []Supply{
		{Case: id, Materials: []string{"m2"}, Actor: clerk},
		{Case: id, Materials: []string{"m1", "m1"}, Actor: clerk},
		{Case: id, Materials: nil, Actor: clerk},
		{Case: id, Materials: []string{"m1"}},
		{Case: "nope", Materials: []string{"m1"}, Actor: clerk},
	} {
		before := fmt.Sprintf("%+v", *h.s.Cases[id])
		if _, err := h.run(at, bad); err == nil {
			t.Errorf("%+v accepted", bad)
		}
		if fmt.Sprintf("%+v", *h.s.Cases[id]) != before {
			t.Errorf("%+v changed the case", bad)
		}
	}
	if evs := h.must(at, Supply{Case: id, Materials: []string{"m1"}, Actor: clerk}); evs[0].(Supplied).Settled {
		t.Fatal("settled with m3 still owed")
	}
	if k := h.s.Cases[id]; !slices.Equal(k.Missing, []string{"m3"}) || k.Timeline[1] != (Step{Type: "case.supplied", Staff: "c1", At: at}) {
		t.Fatalf("after m1 %+v", k)
	}
	h.must(at, AskSupplement{Case: id, Materials: []string{"m2"}, Actor: staff("d1")})
	if evs := h.must(at, Supply{Case: id, Materials: []string{"m3", "m2"}, Actor: clerk}); !evs[0].(Supplied).Settled {
		t.Fatal("the last materials owed did not settle the case")
	}
	if k := h.s.Cases[id]; k.Missing != nil || k.Asked != nil || k.Owes("m2") {
		t.Fatalf("all supplied %+v", k)
	}
}

// A department's page lists its cases only, the earliest deadline first.
func TestListByDeadline(t *testing.T) {
	h := newHall(t)
	late := h.opened(t0.Add(24 * time.Hour))
	early := h.opened(t0)
	cmd := full()
	cmd.Item, cmd.Received = "DJ", []string{"m1"}
	other := h.must(t0, cmd)[0].(Opened).Case.ID
	var got []string
	for _, k := range List(h.s, "scj") {
		got = append(got, k.ID)
	}
	if !slices.Equal(got, []string{early, late}) || slices.Contains(got, other) {
		t.Fatalf("listed %v, want %s then %s", got, early, late)
	}
}

// A department's load counts its open cases by status, the overdue and the
// 容缺 materials past due, and what closed since the day began; another
// department's cases are not in it.
func TestLoads(t *testing.T) {
	h := newHall(t)
	open := h.opened(t0)
	tolerated := full()
	tolerated.Received, tolerated.Missing, tolerated.Commitment, tolerated.SupplyDays = []string{"m1", "m2"}, MissingTolerate, "补交", 1
	h.must(t0, tolerated)
	closed := h.opened(t0)
	for _, cmd := range []Command{Accept{Case: closed, Actor: staff("d1")}, Refuse{Case: closed, Reason: "不符", Actor: staff("d1")},
		Close{Case: closed, Actor: clerk}} {
		h.must(t0, cmd)
	}
	other := full()
	other.Item, other.Received = "DJ", []string{"m1"}
	h.must(t0, other)
	late := time.Date(2025, 4, 8, 9, 0, 0, 0, sh)
	h.apply(late, Due(h.s, h.set, late)...)
	loads := Loads(h.s, h.set, late, t0.Add(-time.Hour))
	var scj Load
	for _, l := range loads {
		if l.Department == "scj" {
			scj = l
		}
	}
	if scj.Open[Received]+scj.Open[Accepted] != 2 || scj.Overdue != 2 || scj.OwedLate != 1 || scj.ClosedDay != 1 || scj.Unsigned != 0 || h.s.Cases[open] == nil {
		t.Fatalf("scj's load %+v", scj)
	}
	if l := Loads(h.s, h.set, late, late); l[0].ClosedDay+l[1].ClosedDay != 0 {
		t.Fatalf("closed before the day counted: %+v", l)
	}
}
