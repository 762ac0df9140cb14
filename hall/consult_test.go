package hall

import (
	"slices"
	"testing"
	"time"

	"hallfloor/consult"
	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

func dept(id string) room.Actor { return room.Actor{Staff: id, Role: room.Clerk} }

// where is the direction a ticket's page and the hall screen show.
func (f *floor) where(ticket string) consult.Direction {
	f.t.Helper()
	d, ok := consult.Where(f.s.Consults, f.setup.Consults, ticket)
	if !ok {
		f.t.Fatalf("ticket %s is no department's 咨询号", ticket)
	}
	return d
}

func queued(ps []room.Payload, purpose string) []outbox.Queued {
	var out []outbox.Queued
	for _, q := range payloads[outbox.Queued](ps) {
		if q.Purpose == purpose {
			out = append(out, q)
		}
	}
	return out
}

// A 咨询号 notifies its department's staff at once, one of them comes, and
// the response times are kept; the number leaves the line when it ends.
func TestConsultNotifiedAcknowledgedArrivedDone(t *testing.T) {
	f := newFloor(t)
	t0 := f.now
	evs := f.applied(queue.IssueTicket{Service: "D"})
	id := payloads[queue.TicketIssued](evs)[0].Ticket.ID
	req := payloads[consult.Requested](evs)
	if len(req) != 1 || req[0].Department != "scj" || !slices.Equal(req[0].Notified, []string{"d1", "d2"}) {
		t.Fatalf("the issue notified %+v, want 市场监管局's d1 and d2", req)
	}
	sms := queued(evs, consult.PurposeNotify)
	if len(sms) != 1 || sms[0].Vars[outbox.VarPhone] != "13800000001" || sms[0].Vars[outbox.VarNumber] != "D001" ||
		sms[0].Vars[consult.VarDepartment] != "市场监管局" {
		t.Fatalf("SMS %+v, want one to d1 (the only one with the SMS channel) naming D001", sms)
	}
	if d := f.where(id); d.Place != consult.PlaceWait || d.Number != "D001" || d.Area != "二楼咨询区" {
		t.Fatalf("before an answer the citizen is told %+v", d)
	}

	f.advance(2 * time.Minute)
	ack := payloads[consult.Acknowledged](f.applied(consult.Acknowledge{Ticket: id, Actor: dept("d1")}))
	if len(ack) != 1 || ack[0].Staff != "d1" || ack[0].AfterS != 120 {
		t.Fatalf("acknowledged %+v, want d1 after 120 s", ack)
	}
	if d := f.where(id); d.Place != consult.PlaceComing || d.Staff != "d1" {
		t.Fatalf("after the acknowledgement the citizen is told %+v", d)
	}

	f.advance(3 * time.Minute)
	met := payloads[consult.Met](f.applied(consult.Arrive{Ticket: id, Actor: dept("d1")}))
	if len(met) != 1 || met[0].Mode != "" || met[0].AfterS != 300 {
		t.Fatalf("arrived %+v, want in person 300 s after the notice", met)
	}
	if d := f.where(id); d.Place != consult.PlaceArea {
		t.Fatalf("after the arrival the citizen is told %+v", d)
	}

	f.advance(10 * time.Minute)
	evs = f.applied(consult.Finish{Ticket: id, Actor: dept("d1")})
	end := payloads[consult.Ended](evs)
	if len(end) != 1 || end[0].HandedOn != nil || end[0].AfterS != 600 {
		t.Fatalf("ended %+v, want 600 s from the meeting, no hand-on", end)
	}
	if c := payloads[queue.TicketCancelled](evs); len(c) != 1 || c[0].Reason != consult.CancelReason {
		t.Fatalf("the 咨询号 left the line by %+v, want one cancellation %q", c, consult.CancelReason)
	}
	k := f.s.Consults.Consults[id]
	if k.Status != consult.Done || !k.NotifiedAt.Equal(t0) || !k.AckAt.Equal(t0.Add(2*time.Minute)) ||
		!k.ArrivedAt.Equal(t0.Add(5*time.Minute)) || !k.DoneAt.Equal(t0.Add(15*time.Minute)) {
		t.Fatalf("the consultation keeps %+v", k)
	}
	if f.s.Queue.Waiting("D") != 0 || f.where(id).Place != consult.PlaceDone {
		t.Fatalf("after the end %d wait for D and the citizen is told %+v", f.s.Queue.Waiting("D"), f.where(id))
	}
}

// A department not resident in the hall answers by video or phone, and the
// citizen is told which.
func TestConsultAnsweredRemotely(t *testing.T) {
	for _, tt := range []struct{ mode, place string }{
		{consult.ModeVideo, consult.PlaceVideo},
		{consult.ModePhone, consult.PlacePhone},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			f := newFloor(t)
			evs := f.applied(queue.IssueTicket{Service: "E"})
			id := payloads[queue.TicketIssued](evs)[0].Ticket.ID
			if sms := queued(evs, consult.PurposeNotify); len(sms) != 1 || sms[0].Vars[outbox.VarPhone] != "13800000003" {
				t.Fatalf("SMS %+v, want one to e1", sms)
			}
			f.must(consult.Acknowledge{Ticket: id, Actor: dept("e1")})
			met := payloads[consult.Met](f.applied(consult.AnswerRemotely{Ticket: id, Mode: tt.mode, Actor: dept("e1")}))
			if len(met) != 1 || met[0].Mode != tt.mode {
				t.Fatalf("met %+v, want by %s", met, tt.mode)
			}
			if d := f.where(id); d.Place != tt.place || d.Name != "不动产登记中心" {
				t.Fatalf("the citizen is told %+v, want %s", d, tt.place)
			}
			f.must(consult.Finish{Ticket: id, Actor: dept("e1")})
			if f.s.Consults.Consults[id].Status != consult.Done {
				t.Fatal("a remote consultation did not end")
			}
		})
	}
}

// Every refusal names its reason and changes nothing.
func TestConsultRefusals(t *testing.T) {
	f := newFloor(t)
	d := f.issue("D").ID
	e := f.issue("E").ID
	walkIn := f.issue("A").ID
	for _, tt := range []struct {
		name   string
		cmd    Command
		kind   errs.Kind
		reason string
	}{
		{"nobody signed in", consult.Acknowledge{Ticket: d}, errs.Unauthorized, "sign_in_required"},
		{"a clerk of the hall", consult.Acknowledge{Ticket: d, Actor: clerk("1")}, errs.Forbidden, "consult_not_department"},
		{"the manager", consult.Acknowledge{Ticket: d, Actor: manager}, errs.Forbidden, "consult_not_department"},
		{"another department's staff", consult.Acknowledge{Ticket: d, Actor: dept("e1")}, errs.Forbidden, "consult_not_department"},
		{"no such number", consult.Acknowledge{Ticket: "missing", Actor: dept("d1")}, errs.NotFound, "no_consultation"},
		{"a walk-in's number", consult.Acknowledge{Ticket: walkIn, Actor: dept("d1")}, errs.NotFound, "no_consultation"},
		{"arrive before acknowledging", consult.Arrive{Ticket: d, Actor: dept("d1")}, errs.Conflict, "consult_not_acknowledged"},
		{"finish before meeting", consult.Finish{Ticket: d, Actor: dept("d1")}, errs.Conflict, "consult_not_met"},
		{"remote by no means", consult.AnswerRemotely{Ticket: e, Mode: "letter", Actor: dept("e1")}, errs.Invalid, "consult_mode"},
		{"a stranger goes off duty", consult.SetDuty{Department: "scj", Actor: clerk("1")}, errs.Forbidden, "consult_not_department"},
		{"no such department", consult.SetDuty{Department: "x", Actor: dept("d1")}, errs.NotFound, "no_department"},
		{"a number going first from outside", queue.IssueTicket{Service: "A", Via: queue.ViaConsult}, errs.Forbidden, "via_by_room"},
		{"a kiosk number going first", IssueTicket{Ticket: queue.IssueTicket{Service: "A", Via: queue.ViaBooking}}, errs.Forbidden, "via_by_room"},
	} {
		t.Run(tt.name, func(t *testing.T) { f.refuse(tt.cmd, tt.kind, tt.reason) })
	}

	f.must(consult.Acknowledge{Ticket: d, Actor: dept("d1")})
	f.must(consult.Acknowledge{Ticket: e, Actor: dept("e1")})
	for _, tt := range []struct {
		name   string
		cmd    Command
		kind   errs.Kind
		reason string
	}{
		{"a second acknowledgement", consult.Acknowledge{Ticket: d, Actor: dept("d2")}, errs.Conflict, "consult_taken"},
		{"the same one again", consult.Acknowledge{Ticket: d, Actor: dept("d1")}, errs.Conflict, "consult_taken"},
		{"arrival by who did not take it", consult.Arrive{Ticket: d, Actor: dept("d2")}, errs.Forbidden, "consult_not_yours"},
		{"a resident department remotely", consult.AnswerRemotely{Ticket: d, Mode: consult.ModeVideo, Actor: dept("d1")}, errs.Conflict, "consult_resident"},
	} {
		t.Run(tt.name, func(t *testing.T) { f.refuse(tt.cmd, tt.kind, tt.reason) })
	}

	f.must(consult.Arrive{Ticket: d, Actor: dept("d1")})
	for _, tt := range []struct {
		name   string
		cmd    Command
		kind   errs.Kind
		reason string
	}{
		{"arrive twice", consult.Arrive{Ticket: d, Actor: dept("d1")}, errs.Conflict, "consult_met_already"},
		{"finish by who did not take it", consult.Finish{Ticket: d, Actor: dept("d2")}, errs.Forbidden, "consult_not_yours"},
		{"hand on to a consult service", consult.Finish{Ticket: d, HandOn: "Z", Actor: dept("d1")}, errs.Invalid, "consult_hand_on_service"},
		{"hand on to a pickup or no service", consult.Finish{Ticket: d, HandOn: "Q", Actor: dept("d1")}, errs.Invalid, "consult_hand_on_service"},
	} {
		t.Run(tt.name, func(t *testing.T) { f.refuse(tt.cmd, tt.kind, tt.reason) })
	}

	f.must(consult.Finish{Ticket: d, Actor: dept("d1")})
	f.refuse(consult.Finish{Ticket: d, Actor: dept("d1")}, errs.Conflict, "consult_closed")
	f.refuse(consult.Acknowledge{Ticket: d, Actor: dept("d2")}, errs.Conflict, "consult_closed")
}

// Nobody acknowledging within ack_within raises the alert and sends the
// department's contact one SMS; not a moment before, and only once.
func TestConsultEscalatedAfterAckWithin(t *testing.T) {
	f := newFloor(t)
	id := f.issue("D").ID

	f.advance(consult.DefaultAckWithin - time.Second)
	evs := f.applied(Tick{})
	if len(payloads[consult.Escalated](evs)) != 0 || len(queued(evs, consult.PurposeLate)) != 0 {
		t.Fatalf("escalated before ack_within: %v", types(evs))
	}
	if a := consultAlerts(f); len(a) != 0 {
		t.Fatalf("alert before ack_within: %+v", a)
	}

	f.advance(time.Second)
	if !Due(f.s, f.setup, f.now) {
		t.Fatal("the engine's ticker would not tick at ack_within")
	}
	evs = f.applied(Tick{})
	esc := payloads[consult.Escalated](evs)
	sms := queued(evs, consult.PurposeLate)
	if len(esc) != 1 || esc[0].Ticket.ID != id || len(sms) != 1 || sms[0].Vars[outbox.VarPhone] != "13900000001" ||
		sms[0].Vars[outbox.VarNumber] != "D001" || sms[0].Vars[consult.VarMinutes] != "5" {
		t.Fatalf("at ack_within: escalated %+v, SMS %+v; want one of each, to 市场监管局's contact", esc, sms)
	}
	a := consultAlerts(f)
	if len(a) != 1 || a[0].Subject != "D001" || a[0].Args["department"] != "市场监管局" || a[0].Args["sms"] != "true" {
		t.Fatalf("alerts %+v, want one for D001", a)
	}

	f.advance(time.Minute)
	if evs := f.applied(Tick{}); len(payloads[consult.Escalated](evs)) != 0 || len(queued(evs, consult.PurposeLate)) != 0 {
		t.Fatalf("escalated twice: %v", types(evs))
	}
	// The acknowledgement, late as it is, ends the alert.
	f.must(consult.Acknowledge{Ticket: id, Actor: dept("d2")})
	if a := consultAlerts(f); len(a) != 0 {
		t.Fatalf("alert after the acknowledgement: %+v", a)
	}
}

// A number acknowledged in time, or given up by its holder, is never
// escalated.
func TestConsultNotEscalatedOnceAnswered(t *testing.T) {
	f := newFloor(t)
	answered := f.issue("D").ID
	cancelled := f.issue("D").ID
	f.advance(4 * time.Minute)
	f.must(consult.Acknowledge{Ticket: answered, Actor: dept("d1")})
	f.must(queue.CancelTicket{Ticket: cancelled})
	if d := f.where(cancelled); d.Place != consult.PlaceNone {
		t.Fatalf("a cancelled 咨询号 tells its holder %+v", d)
	}
	f.advance(time.Hour)
	if evs := f.applied(Tick{}); len(payloads[consult.Escalated](evs)) != 0 || len(queued(evs, consult.PurposeLate)) != 0 {
		t.Fatalf("escalated an answered or cancelled number: %v", types(evs))
	}
	if a := consultAlerts(f); len(a) != 0 {
		t.Fatalf("alerts %+v", a)
	}
}

// After a consultation the staff member hands the citizen on: the 收件号 is
// issued in the same step, marked pre-reviewed, and called ahead of later
// walk-ins as priority numbers are.
func TestConsultHandsOnToIntakeAheadOfLaterArrivals(t *testing.T) {
	f := newFloor(t)
	before := f.issue("A")
	id := f.issue("D").ID
	f.must(consult.Acknowledge{Ticket: id, Actor: dept("d1")})
	f.must(consult.Arrive{Ticket: id, Actor: dept("d1")})
	f.advance(time.Minute)
	out := f.must(consult.Finish{Ticket: id, HandOn: "A", NewTicket: "handed", Actor: dept("d1")})
	evs := f.last
	issued := payloads[queue.TicketIssued](func() []room.Payload {
		var ps []room.Payload
		for _, e := range evs {
			ps = append(ps, e.Data)
		}
		return ps
	}())
	if out.Ticket != "handed" || len(issued) != 1 || issued[0].Via != queue.ViaConsult || issued[0].Ticket.Number != "A002" {
		t.Fatalf("the hand-on answered %q and issued %+v, want A002 via consult", out.Ticket, issued)
	}
	if from, ok := f.s.Consults.IsPreReviewed("handed"); !ok || from != id {
		t.Fatalf("the 收件号 is pre-reviewed %v (from %q), want from the 咨询号", ok, from)
	}
	if d := f.where(id); d.Place != consult.PlaceIntake || d.HandedOn == nil || d.HandedOn.Number != "A002" {
		t.Fatalf("the citizen is told %+v, want to wait for A002", d)
	}
	if t2 := f.s.Queue.Tickets["handed"]; t2.Via != queue.ViaConsult || f.s.Queue.Tickets[id].Status != queue.Cancelled {
		t.Fatalf("handed-on ticket %+v; the 咨询号 is %s", t2, f.s.Queue.Tickets[id].Status)
	}
	f.advance(time.Minute)
	later := f.issue("A")
	f.open("1")
	got := []string{f.call("1"), f.call("1"), f.call("1")}
	if want := []string{"A002", before.Number, later.Number}; !slices.Equal(got, want) {
		t.Fatalf("window 1 called %v, want %v: the hand-on first, then the walk-ins in order", got, want)
	}
}

// A member off duty is not notified, and back on duty is again.
func TestConsultNotifiesOnlyStaffOnDuty(t *testing.T) {
	f := newFloor(t)
	f.must(consult.SetDuty{Department: "scj", On: false, Actor: dept("d1")})
	evs := f.applied(queue.IssueTicket{Service: "D"})
	if req := payloads[consult.Requested](evs); len(req) != 1 || !slices.Equal(req[0].Notified, []string{"d2"}) {
		t.Fatalf("notified %+v, want d2 only", req)
	}
	if sms := queued(evs, consult.PurposeNotify); len(sms) != 0 {
		t.Fatalf("SMS to a member off duty: %+v", sms)
	}
	if out := f.must(consult.SetDuty{Department: "scj", On: false, Actor: dept("d1")}); len(out.Events) != 0 {
		t.Fatalf("going off duty twice recorded %v", types(out.Events))
	}
	f.must(consult.SetDuty{Department: "scj", On: true, Actor: dept("d1")})
	evs = f.applied(queue.IssueTicket{Service: "D"})
	if req := payloads[consult.Requested](evs); len(req) != 1 || !slices.Equal(req[0].Notified, []string{"d1", "d2"}) {
		t.Fatalf("notified %+v, want d1 and d2", req)
	}
}

// A new day starts without yesterday's consultations, and a waiting 咨询号
// that went with the day is never escalated.
func TestConsultsGoWithTheDay(t *testing.T) {
	f := newFloor(t)
	f.issue("D")
	f.now = time.Date(2025, 3, 11, 9, 0, 0, 0, shanghai)
	f.must(Tick{})
	if n := len(f.s.Consults.Consults); n != 0 {
		t.Fatalf("%d consultations outlived the day", n)
	}
	if a := consultAlerts(f); len(a) != 0 {
		t.Fatalf("alerts %+v", a)
	}
}

func consultAlerts(f *floor) []Alert { return f.alertsOf(AlertConsult) }

// A department's 咨询号 is never called at a window, so the reminders a
// phone asked for are withdrawn at once rather than sent out of turn.
func TestConsultNumberHoldsNoReminders(t *testing.T) {
	f := newFloor(t)
	for range 5 {
		f.issue("D")
	}
	tk := f.issueWithPhone("D")
	if len(f.s.Outbox.Held) != 0 {
		t.Fatalf("reminders held for %s: %v", tk.Number, f.s.Outbox.Held)
	}
	if q := f.queuedFor(tk.Number); len(q["ticket.near"]) != 0 || len(q["ticket.called"]) != 0 {
		t.Fatalf("a reminder queued for a 咨询号: %v", q)
	}
}

// A consultation that ends after the hall stops issuing numbers still hands
// its citizen on: the 收件号 is issued as the hall's rooms issue theirs
// (queue.IssueVia), not refused for the hour, since the citizen is in the
// hall and pre-reviewed; a walk-in at that moment is refused.
func TestConsultHandsOnAfterIssuingCloses(t *testing.T) {
	f := newFloor(t)
	f.advance(8*time.Hour + 15*time.Minute) // 17:15
	id := f.issue("D").ID
	f.must(consult.Acknowledge{Ticket: id, Actor: dept("d1")})
	f.must(consult.Arrive{Ticket: id, Actor: dept("d1")})
	f.advance(20 * time.Minute) // 17:35, past the day's last session
	f.refuse(queue.IssueTicket{Service: "A"}, errs.Conflict, "hall_closed_until")
	out := f.must(consult.Finish{Ticket: id, HandOn: "A", NewTicket: "late", Actor: dept("d1")})
	if tk := f.s.Queue.Tickets["late"]; out.Ticket != "late" || tk == nil || tk.Via != queue.ViaConsult || tk.Status != queue.Waiting {
		t.Fatalf("the hand-on after hours answered %q, ticket %+v", out.Ticket, tk)
	}
}
