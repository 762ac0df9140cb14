package report

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"hallfloor/booking"
	"hallfloor/cases"
	"hallfloor/consult"
	"hallfloor/envelope"
	"hallfloor/hall"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// simHall runs a hall's rules over days of random work, keeping every
// event as the journal would. Refusals (a skip with nobody called) are
// part of a day and are not failures.
type simHall struct {
	*liveHall
	rng     *rand.Rand
	clock   time.Time
	fus     []string // follow-ups opened, closed some days later
	skipped []string // ticket ids skipped today
	asked   []string // 咨询号 not ended yet, oldest first
	open    []string // cases not closed yet, oldest first
	caseIDs int
	// envelopes are the cases with a 免跑腿信封 still coming, oldest first.
	envelopes []string
}

func (h *simHall) try(cmd hall.Command) (room.Outcome, bool) {
	if c, ok := cmd.(queue.IssueTicket); ok {
		h.ids++
		c.ID = fmt.Sprintf("t%06d", h.ids)
		cmd = c
	}
	out, evs, err := h.s.Run(h.setup, cmd, room.Env{Now: h.clock, NewID: func() string { h.ids++; return fmt.Sprintf("t%06d", h.ids) }})
	if err != nil {
		return out, false
	}
	for _, e := range evs {
		if f, ok := e.Data.(rating.FollowUpOpened); ok {
			h.fus = append(h.fus, f.FollowUp.ID)
		}
	}
	h.events = append(h.events, evs...)
	return out, true
}

func (h *simHall) tick(d time.Duration) { h.clock = h.clock.Add(d) }

// workDay is one day at the two windows: numbers through the day, calls,
// no-shows (some taken back, some requeued), transfers, pauses, ratings
// with 差评, overtime at the end of the afternoon, follow-ups closed.
func (h *simHall) workDay(date time.Time) {
	h.clock = date.Add(8*time.Hour + 50*time.Minute)
	h.skipped = nil
	h.try(rating.CheckFollowUps{})
	staff := [2]string{"s1", "s2"}
	if date.Day()%3 == 0 {
		staff = [2]string{"s3", "s2"}
	}
	for i, w := range []string{"1", "2"} {
		h.try(queue.OpenWindow{Window: w, Actor: clerk(staff[i])})
	}
	// Follow-ups of earlier days are closed now and then.
	if len(h.fus) > 0 && h.rng.IntN(2) == 0 {
		h.try(rating.CloseFollowUp{ID: h.fus[0], Action: "回访", Outcome: "已解释", Reason: "等候时间过长",
			Actor: room.Actor{Staff: "m1", Role: room.Manager}})
		h.fus = h.fus[1:]
	}
	// Two appointments a day, checked in when their time comes.
	booked := map[string]bool{}
	for i, slot := range []time.Duration{10 * time.Hour, 14 * time.Hour} {
		code := fmt.Sprintf("%s-%d", date.Format("0102"), i)
		if _, ok := h.try(booking.Book{Code: code, Service: "A", Start: date.Add(slot), IDHash: code, Name: "张三", Channel: booking.Online}); ok {
			booked[code] = true
		}
	}
	// And one that never comes, forfeited at the end of the day.
	absent := date.Format("0102") + "-x"
	h.try(booking.Book{Code: absent, Service: "A", Start: date.Add(11 * time.Hour), IDHash: absent, Name: "王五", Channel: booking.Online})
	current := map[string]string{}
	h.clock = date.Add(9 * time.Hour)
	for h.clock.Before(date.Add(17*time.Hour + 45*time.Minute)) {
		h.tick(time.Duration(20+h.rng.IntN(200)) * time.Second)
		for code := range booked {
			if _, ok := h.try(booking.CheckIn{Code: code}); ok {
				delete(booked, code)
			}
		}
		if h.clock.Hour() < 17 && h.rng.IntN(3) > 0 {
			h.try(queue.IssueTicket{Service: []string{"A", "B"}[h.rng.IntN(2)]})
		}
		if h.clock.Hour() == 17 && h.clock.Minute() >= 30 {
			h.try(overtime.Check{})
		}
		h.consult()
		h.backOffice()
		h.envelopeWork()
		i := h.rng.IntN(2)
		w, actor := []string{"1", "2"}[i], clerk(staff[i])
		switch n := h.rng.IntN(20); {
		case n < 9:
			if out, ok := h.try(queue.CallNext{Window: w, Actor: actor, Current: current[w]}); ok {
				if current[w] != "" {
					h.rate(w)
				}
				current[w] = out.Ticket
				h.intake(w, actor)
			}
		case n < 11:
			if _, ok := h.try(queue.Finish{Window: w, Actor: actor}); ok {
				current[w] = ""
				h.rate(w)
				h.confirm(w, actor)
			}
		case n < 12:
			if _, ok := h.try(queue.Skip{Window: w, Actor: actor}); ok {
				h.skipped = append(h.skipped, current[w])
				if h.rng.IntN(3) == 0 {
					h.try(queue.UndoSkip{Window: w, Ticket: current[w], Actor: actor})
				} else {
					current[w] = ""
				}
			}
		case n < 13:
			if len(h.skipped) > 0 {
				h.try(queue.Requeue{Ticket: h.skipped[0], Actor: actor})
				h.skipped = h.skipped[1:]
			}
		case n < 14:
			other := map[string]string{"1": "B", "2": "A"}[w]
			if _, ok := h.try(queue.Transfer{Window: w, Actor: actor, ToService: other}); ok {
				current[w] = ""
			}
		case n < 15:
			if _, ok := h.try(queue.Pause{Window: w, Actor: actor, Reason: "暂离"}); ok {
				h.tick(3 * time.Minute)
				h.try(queue.Resume{Window: w, Actor: actor})
			}
		case n < 16:
			// A holder giving up: the newest waiting number.
			if h.ids > 0 {
				h.try(queue.CancelTicket{Ticket: fmt.Sprintf("t%06d", h.ids)})
			}
		}
	}
	h.try(overtime.Check{})
	for i, w := range []string{"1", "2"} {
		if _, ok := h.try(queue.Finish{Window: w, Actor: clerk(staff[i])}); ok {
			h.rate(w)
			h.confirm(w, clerk(staff[i]))
		}
		h.try(overtime.Check{})
		h.try(queue.CloseWindow{Window: w, Actor: clerk(staff[i])})
	}
	h.try(hall.Tick{})
	h.try(booking.MarkUnreachable{Code: absent, Actor: room.Actor{Staff: "m1", Role: room.Manager}})
	// The day's appointments served are confirmed in the register, by the
	// applicant one day in two (their ID hash is their code here).
	for _, code := range slices.Sorted(maps.Keys(h.s.Bookings.Bookings)) {
		if b := h.s.Bookings.Bookings[code]; b.Status == booking.Served {
			h.try(booking.Confirm{Code: code, By: booking.ByClerkConfirm, Actor: room.Actor{Staff: "m1", Role: room.Manager}})
			if date.Day()%2 == 0 {
				h.try(booking.Confirm{Code: code, By: booking.ByApplicant, IDHash: code})
			}
		}
	}
}

// consult is a move of the departments: now and then a 咨询号 taken at the
// kiosk, and the oldest one open answered a step further (acknowledged,
// met in the hall or by phone, ended, perhaps handed on to service A), or
// left unanswered to be escalated on the tick.
func (h *simHall) consult() {
	if h.clock.Hour() < 17 && h.rng.IntN(12) == 0 {
		if out, ok := h.try(queue.IssueTicket{Service: []string{"D", "E"}[h.rng.IntN(2)]}); ok {
			h.asked = append(h.asked, out.Ticket)
		}
	}
	h.try(hall.Tick{})
	if len(h.asked) == 0 || h.rng.IntN(3) > 0 {
		return
	}
	id := h.asked[0]
	k := h.s.Consults.Consults[id]
	if k == nil || !k.Open() {
		h.asked = h.asked[1:]
		return
	}
	staff := map[string]room.Actor{"scj": {Staff: "d1"}, "swj": {Staff: "e1"}}[k.Department]
	switch k.Status {
	case consult.Notified:
		if h.rng.IntN(5) > 0 {
			h.try(consult.Acknowledge{Ticket: id, Actor: staff})
		}
	case consult.Coming:
		if k.Department == "swj" {
			h.try(consult.AnswerRemotely{Ticket: id, Mode: consult.ModePhone, Actor: staff})
		} else {
			h.try(consult.Arrive{Ticket: id, Actor: staff})
		}
	default:
		finish := consult.Finish{Ticket: id, Actor: staff}
		if h.rng.IntN(2) == 0 {
			finish.HandOn = "A"
		}
		h.try(finish)
		h.asked = h.asked[1:]
	}
}

// withDepartments gives the hall two departments answering 咨询号: 市场监管局
// (service D) resident in the hall, 税务局 (service E) answering remotely.
func withDepartments(h *liveHall) {
	qs := *h.setup.Queue
	qs.Services = append(slices.Clone(qs.Services), queue.Service{Code: "D", Name: "市场监管咨询", Kind: queue.Consult},
		queue.Service{Code: "E", Name: "税务咨询", Kind: queue.Consult})
	setup := hall.NewSetup(qs, rating.Setup{}, nil, hall.Alerts{})
	setup.Bookings = h.setup.Bookings
	setup.Consults = consult.NewSetup(consult.Setup{Departments: []consult.Department{
		{ID: "scj", Name: "市场监管局", Service: "D", Resident: true, Staff: []consult.Member{{ID: "d1", Terminal: true}}},
		{ID: "swj", Name: "税务局", Service: "E", Staff: []consult.Member{{ID: "e1", Terminal: true}}},
	}})
	h.setup, h.s = setup, hall.NewState(setup)
}

// rate answers the window's evaluator, most times, with a 差评 now and then.
func (h *simHall) rate(w string) {
	switch n := h.rng.IntN(10); {
	case n == 0:
		h.try(rating.Rate{Channel: rating.ChannelEvaluator, Window: w, Level: 1 + h.rng.IntN(2), Reason: "等候时间过长"})
	case n == 1:
		h.try(rating.PressLevel{Window: w, Level: 2}) // a 差评 without a reason
	case n < 8:
		h.try(rating.Rate{Channel: rating.ChannelEvaluator, Window: w, Level: 3 + h.rng.IntN(3)})
	}
}

// confirm confirms an overtime service by both sides, or by one.
func (h *simHall) confirm(w string, actor room.Actor) {
	h.try(overtime.Confirm{Window: w, By: overtime.ByClerk, Actor: actor})
	if h.rng.IntN(2) == 0 {
		h.try(overtime.Confirm{Window: w, By: overtime.ByApplicant})
	}
}

// simMonth runs March 2025's working days.
func simMonth(t *testing.T) *simHall {
	h := &simHall{liveHall: newHall(t), rng: rand.New(rand.NewPCG(11, 2025))}
	withDepartments(h.liveHall)
	withCases(h.liveHall)
	withEnvelopes(h.liveHall)
	for d := at("2025-03-01 00:00:00"); d.Before(at("2025-04-08 00:00:00")); d = d.AddDate(0, 0, 1) {
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		h.workDay(d)
	}
	return h
}

// fromDays is a report the way the hall makes it from its daily figures:
// each day recorded once from its own events (and the day before's),
// stored in its durable form, and the details of the period and of the
// weeks after it read back in order.
func fromDays(t *testing.T, h *liveHall, p Period, now time.Time) *Assembler {
	t.Helper()
	a := NewAssembler(h.setup, p, now)
	last := p.To.Add(Tail)
	for d := p.From.AddDate(0, 0, -1); d.Before(last) && !d.After(now); d = d.AddDate(0, 0, 1) {
		date := d.Format(time.DateOnly)
		r, err := NewRecorder(h.setup, date, now)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range h.events {
			if !e.At.Before(d.AddDate(0, 0, -1)) && e.At.Before(d.AddDate(0, 0, 1)) {
				r.Add(e)
			}
		}
		for k, c := range r.Figures().Cells {
			if err := a.AddCell(date, k, c.Encode()); err != nil {
				t.Fatal(err)
			}
		}
		for _, e := range h.events {
			if r.Period().has(e.At) && IsDetail(e) {
				a.AddDetail(e)
				a.AddFollowUpEvent(e)
			}
		}
	}
	return a
}

func asJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.MarshalIndent(v, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// A month's, a day's and a week's reports, rating statistics and overtime
// register from daily figures equal those from the raw events, over a
// month with every kind of event.
func TestReportsFromDailyFiguresEqualReportsFromEvents(t *testing.T) {
	h := simMonth(t)
	appointments := 0
	for _, e := range h.events {
		if p, ok := e.Data.(queue.TicketIssued); ok && p.Via == queue.ViaBooking {
			appointments++
		}
	}
	if appointments == 0 {
		t.Fatal("the simulated month checked in no appointment")
	}
	kinds := map[string]int{}
	for _, e := range h.events {
		kinds[fmt.Sprintf("%T", e.Data)]++
	}
	for _, want := range []any{consult.Requested{}, consult.Acknowledged{}, consult.Met{}, consult.Ended{}, consult.Escalated{},
		booking.BookingServed{}, booking.RegisterConfirmed{}, queue.TicketIssued{}, queue.TicketCalled{}, queue.TicketSkipped{}, queue.SkipUndone{},
		queue.TicketRequeued{}, queue.TicketTransferred{}, queue.TicketFinished{}, queue.TicketCancelled{}, queue.WindowPaused{},
		rating.Given{}, rating.FollowUpOpened{}, rating.FollowUpClosed{}, rating.FollowUpOverdue{},
		overtime.Started{}, overtime.Served{}, overtime.Confirmed{}, overtime.Ended{},
		cases.Opened{}, cases.NoticeIssued{}, cases.CaseAccepted{}, cases.SupplementAsked{}, cases.Supplied{}, cases.CaseApproved{},
		cases.CaseRefused{}, cases.ResultMade{}, cases.Delivered{}, cases.CaseClosed{}, cases.CaseOverdue{},
		envelope.Issued{}, envelope.Submitted{}, envelope.Reviewed{}, envelope.CourierBooked{}, envelope.Tracked{}, envelope.ReviewLate{}} {
		if kinds[fmt.Sprintf("%T", want)] == 0 {
			t.Fatalf("the simulated month has no %T; it has %v", want, kinds)
		}
	}
	month, _ := Month("2025-03", shanghai)
	day, _ := Day("2025-03-12", shanghai)
	week, _ := Range("2025-03-17", "2025-03-23", shanghai)
	for _, p := range []Period{month, day, week} {
		for _, now := range []time.Time{at("2025-04-07 12:00:00"), at("2025-03-20 16:00:00")} {
			if now.Before(p.From) {
				continue
			}
			// The journal as it stood at now.
			upTo := *h.liveHall
			upTo.events = nil
			for _, e := range h.events {
				if !e.At.After(now) {
					upTo.events = append(upTo.events, e)
				}
			}
			ref := upTo.build(p, now)
			got := fromDays(t, &upTo, p, now)
			want, have := ref.Report("演示"), got.Report("演示")
			if want.Totals.Served == 0 || len(want.Clerks) == 0 || want.Totals.Appointments == 0 || want.Totals.Bookings == 0 || want.Totals.Forfeits == 0 {
				t.Fatalf("%s: an empty reference %+v", p.Label, want.Totals)
			}
			if p.Label == "2025-03" {
				scj, swj := want.Departments[0], want.Departments[1]
				if scj.InPerson == 0 || scj.HandedOn == 0 || swj.Remote == 0 || scj.Late+swj.Late == 0 || scj.Ack.MaxS == 0 || swj.Met.Count == 0 {
					t.Fatalf("%s: the consultations' reference lacks a kind: %+v", p.Label, want.Departments)
				}
				caseKinds(t, p.Label, want.Cases.Totals.CaseCounts)
				envelopeKinds(t, p.Label, want.Envelopes.Totals.EnvelopeCounts)
				for _, it := range want.Envelopes.Items {
					if it.Issued == 0 {
						t.Fatalf("%s: no envelope of %s", p.Label, it.Key)
					}
				}
			}
			if w, g := asJSON(t, want), asJSON(t, have); w != g {
				t.Errorf("%s at %s: the report from daily figures differs:\n%s", p.Label, now, firstDiff(w, g))
			}
			for _, by := range []By{ByClerk, ByWindow, ByService, ByDay} {
				if w, g := asJSON(t, ref.RatingStats(by)), asJSON(t, got.RatingStats(by)); w != g {
					t.Errorf("%s by %s: rating statistics differ:\n%s", p.Label, by, firstDiff(w, g))
				}
			}
			if len(ref.Appointments()) == 0 && p.Label == "2025-03" {
				t.Fatalf("%s: no appointment served in the register", p.Label)
			}
			if w, g := asJSON(t, ref.Appointments()), asJSON(t, got.Appointments()); w != g {
				t.Errorf("%s: the appointments register differs:\n%s", p.Label, firstDiff(w, g))
			}
			if w, g := asJSON(t, ref.Overtime()), asJSON(t, got.Overtime()); w != g {
				t.Errorf("%s: the overtime register differs:\n%s", p.Label, firstDiff(w, g))
			}
		}
	}
}

// firstDiff shows where two long texts part.
func firstDiff(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-300)
	return fmt.Sprintf("want …%s…\n got …%s…", a[lo:min(len(a), i+200)], b[lo:min(len(b), i+200)])
}

// A cell read back is the cell written.
func TestCellRoundTrip(t *testing.T) {
	c := &Cell{Issued: 3, Served: 2, NoShows: -1, Cancelled: 1, Appointments: 2, PreReviewed: 1, Bookings: 4, Forfeits: 1, Levels: [6]int{0, 1, 0, 2, 0, 4}, OvertimeNs: 1e9, OvertimeServices: 2,
		Consults: Consults{Taken: 5, Acknowledged: 4, InPerson: 2, Remote: 1, HandedOn: 1, Late: 1},
		Cases:    CaseCounts{Opened: 9, Tolerated: 2, Settled: 1, Notices: 3, Accepted: 7, Deemed: 1, Supplements: 2, Decided: 6, OnTime: 5, Refused: 1, Closed: 4, Overdue: 1},
		Wait:     Dist{keep: true}, Service: Dist{keep: true}, Ack: Dist{keep: true}, Met: Dist{keep: true}}
	for _, v := range []float64{12.34, 0, 600, 3.05} {
		c.Wait.add(v)
		c.Service.add(v * 2)
		c.Ack.add(v / 2)
		c.Met.add(v * 3)
	}
	h, err := decodeCell(c.Encode())
	if err != nil {
		t.Fatal(err)
	}
	var one hist
	one.addEncoded(h.waitVals)
	if got := one.stats(h.Wait.N, h.Wait.Sum); got != summarise([]float64{12.34, 0, 600, 3.05}) {
		t.Fatalf("waits %+v", got)
	}
	one.reset()
	one.addEncoded(h.metVals)
	if got := one.stats(h.Met.N, h.Met.Sum); got != summarise([]float64{37.02, 0, 1800, 9.15}) {
		t.Fatalf("met %+v", got)
	}
	h.waitVals, h.svcVals, h.ackVals, h.metVals = nil, nil, nil, nil
	c.Wait, c.Service = Dist{N: 4, Sum: c.Wait.Sum}, Dist{N: 4, Sum: c.Service.Sum}
	c.Ack, c.Met = Dist{N: 4, Sum: c.Ack.Sum}, Dist{N: 4, Sum: c.Met.Sum}
	if !reflect.DeepEqual(h.Cell, *c) {
		t.Fatalf("read back %+v, wrote %+v", h.Cell, *c)
	}
	// A cell without consultations reads back with none.
	plain := &Cell{Issued: 3, Wait: Dist{keep: true}, Service: Dist{keep: true}}
	plain.Wait.add(5)
	if h, err := decodeCell(plain.Encode()); err != nil || h.Issued != 3 || h.Wait.N != 1 || h.Consults != (Consults{}) {
		t.Fatalf("a cell without consultations: %+v, %v", h.Cell, err)
	}
	// A cell with cases and no consultation (an item's) reads back with
	// its cases.
	item := &Cell{Cases: CaseCounts{Opened: 2, OnTime: 1}}
	if h, err := decodeCell(item.Encode()); err != nil || h.Cases != item.Cases || h.Consults != (Consults{}) {
		t.Fatalf("an item's cell: %+v, %v", h.Cell, err)
	}
	// An item's cell with envelopes and no case reads back with them, and
	// one with both with both.
	for _, c := range []*Cell{{Envelopes: EnvelopeCounts{Issued: 1, Rejected: 2, Arrived: 1}},
		{Cases: CaseCounts{Opened: 1}, Envelopes: EnvelopeCounts{Late: 3}}} {
		if h, err := decodeCell(c.Encode()); err != nil || h.Envelopes != c.Envelopes || h.Cases != c.Cases {
			t.Fatalf("an item's cell with envelopes: %+v, %v; wrote %+v", h.Cell, err, *c)
		}
	}
	// A cell of format 4, written before the envelopes were counted, reads
	// with its cases and no envelope.
	four := binary.AppendUvarint(nil, 4)
	for _, v := range []int64{3, 2, -1, 1, 1, 0, 2, 0, 4, 1e9, 2, 2, 1, 4, 1} {
		four = binary.AppendVarint(four, v)
	}
	four = binary.AppendUvarint((&Dist{}).append((&Dist{}).append(four)), 0)
	four = binary.AppendUvarint(four, 1)
	for i := range 12 {
		four = binary.AppendVarint(four, int64(i+1))
	}
	if h, err := decodeCell(four); err != nil || h.Cases.Opened != 1 || h.Cases.Overdue != 12 || h.Envelopes != (EnvelopeCounts{}) {
		t.Fatalf("a format 4 cell: %+v, %v", h.Cell, err)
	}
	// A cell of format 3, written before the cases were counted, reads
	// with its consultations and no case.
	three := binary.AppendUvarint(nil, 3)
	for _, v := range []int64{3, 2, -1, 1, 1, 0, 2, 0, 4, 1e9, 2, 2, 1, 4, 1} {
		three = binary.AppendVarint(three, v)
	}
	three = (&Dist{}).append((&Dist{}).append(three))
	three = binary.AppendUvarint(three, 1)
	for _, v := range []int64{5, 4, 2, 1, 1, 1} {
		three = binary.AppendVarint(three, v)
	}
	three = (&Dist{}).append((&Dist{N: 1, Sum: 2, Vals: []int32{20}}).append(three))
	if h, err := decodeCell(three); err != nil || h.Consults.Taken != 5 || h.Ack.N != 1 || h.Cases != (CaseCounts{}) {
		t.Fatalf("a format 3 cell: %+v, %v", h.Cell, err)
	}
	// A cell of format 2, written before the consultations were counted,
	// reads with its bookings and no consultation.
	two := binary.AppendUvarint(nil, 2)
	for _, v := range []int64{3, 2, -1, 1, 1, 0, 2, 0, 4, 1e9, 2, 2, 1, 4, 1} {
		two = binary.AppendVarint(two, v)
	}
	two = (&Dist{}).append((&Dist{N: 1, Sum: 5, Vals: []int32{50}}).append(two))
	if h, err := decodeCell(two); err != nil || h.Bookings != 4 || h.Forfeits != 1 || h.Wait.N != 1 || h.Consults != (Consults{}) || h.Ack.N != 0 {
		t.Fatalf("a format 2 cell: %+v, %v", h.Cell, err)
	}
	// A cell written before the appointments were counted reads with none.
	old := binary.AppendUvarint(nil, 1)
	for _, v := range []int64{3, 2, -1, 1, 1, 0, 2, 0, 4, 1e9, 2} {
		old = binary.AppendVarint(old, v)
	}
	old = (&Dist{}).append((&Dist{}).append(old))
	if h, err := decodeCell(old); err != nil || h.Issued != 3 || h.OvertimeServices != 2 || h.Appointments != 0 || h.Levels[5] != 4 {
		t.Fatalf("a format 1 cell: %+v, %v", h.Cell, err)
	}
	if _, err := decodeCell([]byte{9, 9}); err == nil {
		t.Fatal("a cell of another format read")
	}
}

// A reader after details alone skips the types MayBeDetail refuses without
// decoding them, so every kind of detail must be one it lets through: the
// appointments' register lines (预约服务登记表) as much as the ratings'.
func TestEveryDetailMayBeOne(t *testing.T) {
	for _, p := range []room.Payload{
		rating.Given{Level: rating.Bad}, rating.FollowUpOpened{}, rating.FollowUpClosed{}, rating.FollowUpOverdue{},
		overtime.Served{}, overtime.Confirmed{}, booking.BookingServed{}, booking.RegisterConfirmed{},
	} {
		if !IsDetail(room.Event{Data: p}) {
			t.Errorf("%s is not a detail", p.Type())
		}
		if !MayBeDetail(p.Type()) {
			t.Errorf("%s is a detail MayBeDetail skips", p.Type())
		}
	}
	if MayBeDetail(queue.TicketIssued{}.Type()) {
		t.Error("a ticket issued may be a detail")
	}
}
