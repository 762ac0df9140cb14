package consult

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

var t0 = time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)

func testSetup() *Setup {
	return NewSetup(Setup{AckWithin: 3 * time.Minute, Departments: []Department{
		{ID: "scj", Name: "市场监管局", Service: "D", Resident: true, Contact: "139", Staff: []Member{
			{ID: "d1", Phone: "1381", Terminal: true, SMS: true}, {ID: "d2", Terminal: true},
		}},
		{ID: "bdc", Name: "不动产登记中心", Service: "E", Staff: []Member{{ID: "e1", SMS: true, Phone: "1383"}}},
	}})
}

// day applies events one after another, a minute apart, as the journal would.
type day struct {
	s   *State
	seq uint64
	at  time.Time
}

func (d *day) apply(ps ...room.Payload) {
	for _, p := range ps {
		d.seq++
		d.s.Apply(room.Event{Seq: d.seq, At: d.at, Data: p})
	}
}

func issued(id, number, service string) queue.TicketIssued {
	return queue.TicketIssued{Ticket: queue.TicketRef{ID: id, Number: number, Service: service}}
}

func TestDefaults(t *testing.T) {
	if s := NewSetup(Setup{}); s.AckWithin != DefaultAckWithin || DefaultAckWithin != 5*time.Minute {
		t.Fatalf("ack_within by default %v", s.AckWithin)
	}
}

// Only a department's service notifies, only its members on duty, and the
// SMS only to those with the channel; a number notified once is not again.
func TestReactNotifiesTheDepartmentOnDuty(t *testing.T) {
	setup := testSetup()
	d := &day{s: NewState(), at: t0}
	d.apply(DutySet{Department: "scj", Staff: "d2", On: false})
	evs := []room.Event{
		{At: t0, Data: issued("x1", "D001", "D")},
		{At: t0, Data: issued("x2", "A001", "A")},
		{At: t0, Data: issued("x3", "E001", "E")},
	}
	out := React(d.s, setup, evs)
	var req []Requested
	var sms []outbox.Queued
	for _, p := range out {
		switch v := p.(type) {
		case Requested:
			req = append(req, v)
		case outbox.Queued:
			sms = append(sms, v)
		}
	}
	if len(req) != 2 || req[0].Department != "scj" || !slices.Equal(req[0].Notified, []string{"d1"}) ||
		req[1].Department != "bdc" || !slices.Equal(req[1].Notified, []string{"e1"}) {
		t.Fatalf("requested %+v", req)
	}
	if len(sms) != 2 || sms[0].Vars[outbox.VarPhone] != "1381" || sms[1].Vars[outbox.VarPhone] != "1383" || sms[0].Sealed != nil {
		t.Fatalf("sms %+v", sms)
	}
	d.apply(out...)
	if again := React(d.s, setup, evs[:1]); len(again) != 0 {
		t.Fatalf("notified twice: %+v", again)
	}
}

// Due escalates at the deadline, not before, once, and not an answered
// number; a department with no contact is escalated without an SMS.
func TestDueAtTheDeadline(t *testing.T) {
	setup := testSetup()
	d := &day{s: NewState(), at: t0}
	d.apply(Requested{Ticket: queue.TicketRef{ID: "x1", Number: "D001"}, Department: "scj"},
		Requested{Ticket: queue.TicketRef{ID: "x2", Number: "D002"}, Department: "scj"},
		Requested{Ticket: queue.TicketRef{ID: "x3", Number: "E001"}, Department: "bdc"})
	d.apply(Acknowledged{Ticket: queue.TicketRef{ID: "x2"}, Staff: "d1"})
	if got := Due(d.s, setup, t0.Add(3*time.Minute-time.Nanosecond)); len(got) != 0 {
		t.Fatalf("due before the deadline: %+v", got)
	}
	got := Due(d.s, setup, t0.Add(3*time.Minute))
	if len(got) != 3 {
		t.Fatalf("due at the deadline %+v, want D001 with its SMS and E001 without", got)
	}
	if e, ok := got[0].(Escalated); !ok || e.Ticket.ID != "x1" || !e.Deadline.Equal(t0.Add(3*time.Minute)) {
		t.Fatalf("first %+v", got[0])
	}
	if q, ok := got[1].(outbox.Queued); !ok || q.Purpose != PurposeLate || q.Vars[outbox.VarPhone] != "139" || q.Vars[VarMinutes] != "3" {
		t.Fatalf("second %+v", got[1])
	}
	if e, ok := got[2].(Escalated); !ok || e.Ticket.ID != "x3" {
		t.Fatalf("third %+v", got[2])
	}
	d.apply(got...)
	if again := Due(d.s, setup, t0.Add(time.Hour)); len(again) != 0 {
		t.Fatalf("escalated twice: %+v", again)
	}
}

// Where follows the consultation through every state; a ticket of no
// department has no direction.
func TestWhereFollowsTheState(t *testing.T) {
	setup := testSetup()
	d := &day{s: NewState(), at: t0}
	ref := queue.TicketRef{ID: "x1", Number: "E001", Service: "E"}
	place := func() string {
		dir, ok := Where(d.s, setup, "x1")
		if !ok {
			t.Fatal("no direction")
		}
		return dir.Place
	}
	if _, ok := Where(d.s, setup, "x1"); ok {
		t.Fatal("a direction before the notice")
	}
	d.apply(Requested{Ticket: ref, Department: "bdc"})
	for _, step := range []struct {
		ev    room.Payload
		place string
	}{
		{nil, PlaceWait},
		{Acknowledged{Ticket: ref, Staff: "e1"}, PlaceComing},
		{Met{Ticket: ref, Staff: "e1", Mode: ModeVideo}, PlaceVideo},
		{Ended{Ticket: ref, Staff: "e1", HandedOn: &queue.TicketRef{ID: "y1", Number: "A007"}}, PlaceIntake},
		{queue.TicketCancelled{Ticket: ref, Reason: CancelReason}, PlaceIntake},
	} {
		if step.ev != nil {
			d.apply(step.ev)
		}
		if got := place(); got != step.place {
			t.Fatalf("after %T the citizen is told %s, want %s", step.ev, got, step.place)
		}
	}
	if from, ok := d.s.IsPreReviewed("y1"); !ok || from != "x1" {
		t.Fatalf("pre-reviewed %v from %q", ok, from)
	}
	k := d.s.Consults["x1"]
	if k.Status != Done || k.HandedOn.Number != "A007" {
		t.Fatalf("the consultation %+v", k)
	}
	// A holder's cancellation before the end withdraws it.
	d.apply(Requested{Ticket: queue.TicketRef{ID: "x2"}, Department: "scj"}, queue.TicketCancelled{Ticket: queue.TicketRef{ID: "x2"}, Reason: "holder"})
	if dir, _ := Where(d.s, setup, "x2"); dir.Place != PlaceNone {
		t.Fatalf("a cancelled number tells %+v", dir)
	}
	// The new day forgets today's consultations and keeps who is off duty.
	d.apply(DutySet{Department: "scj", Staff: "d1"}, queue.DayStarted{Day: "2025-03-11"})
	if len(d.s.Consults) != 0 || len(d.s.PreReviewed) != 0 || d.s.OnDuty("scj", "d1") {
		t.Fatalf("after the day %+v", d.s)
	}
}

// The department's page lists open consultations first, oldest first.
func TestListOpenFirst(t *testing.T) {
	d := &day{s: NewState(), at: t0}
	d.apply(Requested{Ticket: queue.TicketRef{ID: "a", Number: "D001"}, Department: "scj"})
	d.at = t0.Add(time.Minute)
	d.apply(Requested{Ticket: queue.TicketRef{ID: "b", Number: "D002"}, Department: "scj"},
		Requested{Ticket: queue.TicketRef{ID: "c", Number: "E001"}, Department: "bdc"})
	d.apply(Acknowledged{Ticket: queue.TicketRef{ID: "a"}, Staff: "d1"}, Met{Ticket: queue.TicketRef{ID: "a"}, Staff: "d1"},
		Ended{Ticket: queue.TicketRef{ID: "a"}, Staff: "d1"})
	var got []string
	for _, k := range List(d.s, "scj") {
		got = append(got, k.Ticket.Number)
	}
	if !slices.Equal(got, []string{"D002", "D001"}) {
		t.Fatalf("listed %v", got)
	}
}

// Screens never see a ticket's id, which opens its page.
func TestPublicEventsHideTicketIDs(t *testing.T) {
	ref := queue.TicketRef{ID: "secret", Number: "D001"}
	for _, p := range []room.Payload{
		Requested{Ticket: ref}, Acknowledged{Ticket: ref}, Met{Ticket: ref}, Escalated{Ticket: ref},
		Ended{Ticket: ref, HandedOn: &queue.TicketRef{ID: "secret", Number: "A001"}},
	} {
		b, _ := json.Marshal(room.Public(p))
		if strings.Contains(string(b), "secret") {
			t.Errorf("%s shows %s", p.Type(), b)
		}
	}
}
