package queue

import (
	"slices"
	"testing"
	"time"

	"hallfloor/calendar"
	"hallfloor/errs"
	"hallfloor/room"
)

// issueVia issues a ticket for one of the hall's rooms, as package hall does.
func (h *hall) issueVia(service, via string) *Ticket {
	h.t.Helper()
	if ev := Rollover(h.s, h.setup, h.now); ev != nil {
		h.apply(ev)
	}
	out, err := IssueVia(h.s, h.setup, IssueTicket{Service: service, Via: via}, room.Env{Now: h.now, NewID: h.nextID})
	if err != nil {
		h.t.Fatalf("issue via %s: %v", via, err)
	}
	for _, p := range out.Events {
		h.apply(p)
	}
	return h.s.Tickets[out.Ticket]
}

// A ticket for an appointment or a consultation handed on comes only from
// the hall's rooms: no caller, anonymous or signed in, asks for it.
func TestViaOnlyFromTheHallsRooms(t *testing.T) {
	h := newHall(t, testSetup())
	for _, a := range []room.Actor{{}, guide, clerk("s1"), manager} {
		e := h.refuse(IssueTicket{ID: h.nextID(), Service: "A", Via: ViaBooking, Actor: a}, errs.Forbidden)
		if e.Reason != "via_by_room" || e.Field != "via" {
			t.Fatalf("%q asks for via: %v", a.Role, e)
		}
	}
	if _, err := IssueVia(h.s, h.setup, IssueTicket{Service: "A", Via: "kiosk"}, room.Env{Now: h.now, NewID: h.nextID}); errs.ReasonOf(err) != "unknown_via" {
		t.Fatalf("an unknown room: %v", err)
	}
	tk := h.issueVia("A", ViaBooking)
	if tk.Via != ViaBooking || tk.Priority || !tk.First() {
		t.Fatalf("appointment ticket %+v", tk)
	}
}

// An appointment's ticket and a consultation's hand-on go ahead of walk-ins
// within the priority run: after PriorityRun of them in a row, a walk-in
// who waits is called, so walk-ins are not starved.
func TestViaGoesFirstWithoutStarvingWalkIns(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	h.issue("A") // A001 walk-in
	h.advance(time.Minute)
	h.issue("A") // A002 walk-in
	for _, via := range []string{ViaBooking, ViaConsult, ViaBooking, ViaBooking, ViaConsult} {
		h.advance(time.Minute)
		h.issueVia("A", via) // A003..A007
	}
	if got := h.s.Ahead(h.ticketByNumber("A001")); got != 5 {
		t.Fatalf("a walk-in has %d ahead, want the 5 issued by the rooms", got)
	}
	want := []string{"A003", "A004", "A005", "A001", "A006", "A007", "A002"}
	if got := h.drain("1"); !slices.Equal(got, want) {
		t.Fatalf("called %v, want %v", got, want)
	}
}

// The call carries where the ticket came from, so a screen marks it.
func TestCallCarriesVia(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	tk := h.issueVia("A", ViaConsult)
	out := h.must(CallNext{Window: "1", Actor: clerk("s1")})
	c, ok := out.Events[0].(TicketCalled)
	if !ok || c.Via != ViaConsult || c.Ticket.ID != tk.ID {
		t.Fatalf("call %+v", out.Events)
	}
}

// An appointment of 错时办 is served outside the sessions: its ticket is
// issued when walk-ins are refused, and a daily cap does not take back a
// promised slot. The one-waiting-ticket rule still holds.
func TestViaOutsideHoursAndCap(t *testing.T) {
	setup := testSetup()
	setup.Calendar = &calendar.Calendar{Location: shanghai}
	setup.Calendar.Weekly[time.Monday] = []calendar.Session{{Start: 9 * 60, End: 12 * 60}}
	setup.Services[0].DailyCap = 1
	h := newHall(t, setup)
	h.now = time.Date(2025, 3, 10, 12, 30, 0, 0, shanghai)
	h.refuse(IssueTicket{ID: h.nextID(), Service: "A"}, errs.Conflict)
	h.issueVia("A", ViaBooking)
	h.issueVia("A", ViaBooking)
	first, err := IssueVia(h.s, h.setup, IssueTicket{Service: "B", Via: ViaBooking, IDHash: "h1"}, room.Env{Now: h.now, NewID: h.nextID})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range first.Events {
		h.apply(p)
	}
	_, err = IssueVia(h.s, h.setup, IssueTicket{Service: "B", Via: ViaConsult, IDHash: "h1"}, room.Env{Now: h.now, NewID: h.nextID})
	if errs.ReasonOf(err) != "holder_waits" {
		t.Fatalf("a second waiting ticket for one holder: %v", err)
	}
}
