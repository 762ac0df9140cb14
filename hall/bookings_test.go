package hall

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/booking"
	"hallfloor/calendar"
	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// bookingSetup is testSetup's bookings: service A in 30-minute slots for
// two, weekdays 09:00–17:30 with the lunch hours (错时办) and on special open
// days.
func bookingSetup(cal *calendar.Calendar) *booking.Setup {
	a := booking.Service{Code: "A", Length: 30 * time.Minute, Capacity: 2, Special: true}
	for d := time.Monday; d <= time.Friday; d++ {
		a.Weekly[d] = []calendar.Session{{Start: 9 * 60, End: 17*60 + 30}}
	}
	return booking.NewSetup(booking.Setup{Calendar: cal, Services: []booking.Service{a}, Clerks: map[string]bool{"s1": true, "s2": true}})
}

// notices are a booking's SMS as the edge seals them, one of each purpose.
func notices(code string) map[string]outbox.Queued {
	out := map[string]outbox.Queued{}
	for _, p := range []string{booking.NoticeConfirmed, booking.NoticeRequested, booking.NoticeAccepted, booking.NoticeDeclined,
		booking.NoticeDay, booking.NoticeSoon, booking.NoticeForfeited} {
		out[p] = outbox.Queued{ID: "sms-" + code + "-" + p, Sealed: []byte("sealed")}
	}
	return out
}

func (f *floor) book(code, id, start string) *booking.Booking {
	f.t.Helper()
	return f.bookOn(code, id, f.now.In(shanghai).Format("2006-01-02"), start)
}

func (f *floor) bookOn(code, id, day, start string) *booking.Booking {
	f.t.Helper()
	f.must(booking.Book{Code: code, Service: "A", Start: at(day, start), IDHash: id,
		Name: "张三", Phone: "13800138000", Channel: booking.Online, Notices: notices(code)})
	return f.s.Bookings.Bookings[code]
}

func purposes(qs []outbox.Queued) []string {
	var out []string
	for _, q := range qs {
		out = append(out, q.Purpose)
	}
	return out
}

// Booked online, the applicant gets the confirmation at once; checked in
// at the kiosk, the ticket is issued in the same command and goes ahead of
// the walk-ins who wait, within the priority run.
func TestCheckInIssuesATicketAheadOfWalkIns(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "08:30:00")
	bs := []*booking.Booking{f.book("b1", "h1", "10:00:00"), f.book("b2", "h2", "10:00:00"), f.book("b3", "h3", "10:30:00"), f.book("b4", "h4", "10:30:00")}
	if q := f.queuedNow(); len(q) != 1 || q[0].Purpose != booking.NoticeConfirmed || q[0].Vars[VarStart] != at("2025-03-10", "10:30:00").Format(time.RFC3339) {
		t.Fatalf("confirmation %+v", q)
	}
	f.now = at("2025-03-10", "09:40:00")
	for range 3 {
		f.issue("A") // A001..A003 walk in
	}
	f.now = at("2025-03-10", "10:01:00")
	for _, b := range bs {
		evs := f.applied(booking.CheckIn{Code: b.Code})
		is := payloads[queue.TicketIssued](evs)
		if len(is) != 1 || is[0].Via != queue.ViaBooking || is[0].IDHash != b.IDHash || b.Status != booking.CheckedIn || b.Ticket != is[0].Ticket.ID {
			t.Fatalf("check-in of %s applied %v; booking %+v", b.Code, types(evs), b)
		}
	}
	f.open("1")
	var got []string
	for range 7 {
		got = append(got, f.call("1"))
	}
	// PriorityRun is 3: three appointments, the walk-in who waits longest,
	// the last appointment, then the walk-ins.
	if want := []string{"A004", "A005", "A006", "A001", "A007", "A002", "A003"}; !slices.Equal(got, want) {
		t.Fatalf("called %v, want %v", got, want)
	}
}

// A check-in the queue refuses (the holder already waits with a number for
// the service) checks nothing in.
func TestCheckInRefusedByTheQueueChangesNothing(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "08:30:00")
	b := f.book("b1", "h1", "10:00:00")
	f.now = at("2025-03-10", "09:45:00")
	f.must(queue.IssueTicket{Service: "A", IDHash: "h1"})
	f.refuse(booking.CheckIn{Code: b.Code}, errs.Conflict, "holder_waits")
	f.refuse(queue.IssueTicket{Service: "A", Via: queue.ViaBooking}, errs.Forbidden, "via_by_room")
}

// The hall's tick marks a booking late 30 minutes after its slot; the clerk
// who cannot reach the applicant forfeits it, and the applicant is told.
func TestLateBookingForfeitedOnTheTick(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "08:30:00")
	b := f.book("b1", "h1", "10:00:00")
	f.now = at("2025-03-10", "10:29:00")
	if Due(f.s, f.setup, f.now) {
		t.Fatal("due before the late mark")
	}
	f.now = at("2025-03-10", "10:30:00")
	if !Due(f.s, f.setup, f.now) {
		t.Fatal("the late mark is not due")
	}
	f.must(Tick{})
	if b.Status != booking.Late {
		t.Fatalf("after the tick: %s", b.Status)
	}
	var late []Alert
	for _, a := range AlertsAt(f.s, f.setup, f.now) {
		if a.Kind == AlertBookingLate {
			late = append(late, a)
		}
	}
	if len(late) != 1 || late[0].Args["slot"] != "2025-03-10 10:00" || late[0].Args["count"] != "1" || late[0].Subject == b.Code {
		t.Fatalf("late alerts %+v", late)
	}
	f.must(booking.MarkUnreachable{Code: b.Code, Actor: clerk("1")})
	if q := f.queuedNow(); !slices.Equal(purposes(q), []string{booking.NoticeForfeited}) {
		t.Fatalf("forfeit queued %v", purposes(q))
	}
}

// A request on a special open day is accepted, or declined with a reason,
// and the applicant is told either way; the reminders follow an accepted
// one.
func TestRequestOnANonWorkingDayAcceptedOrDeclined(t *testing.T) {
	setup := testSetup()
	setup.Calendar().Special = map[string][]calendar.Session{"2025-03-15": {{Start: 9 * 60, End: 12 * 60}}}
	f := newFloorWith(t, setup)
	f.now = at("2025-03-13", "16:00:00")
	ok := f.bookOn("b1", "h1", "2025-03-15", "09:00:00")
	if q := f.queuedNow(); ok.Status != booking.Requested || !slices.Equal(purposes(q), []string{booking.NoticeRequested}) {
		t.Fatalf("request %s, queued %v", ok.Status, purposes(q))
	}
	no := f.bookOn("b2", "h2", "2025-03-15", "09:00:00")
	if a := AlertsAt(f.s, f.setup, f.now); len(a) != 1 || a[0].Kind != AlertBookingRequest || a[0].Args["count"] != "2" {
		t.Fatalf("request alerts %+v", a)
	}
	f.refuse(booking.Decline{Code: no.Code, Actor: clerk("1")}, errs.Invalid, "booking_decline_reason_needed")
	f.refuse(booking.Decline{Code: no.Code, Actor: clerk("1"), Reason: "周六非工作日"}, errs.Invalid, "booking_decline_not_working_day")
	f.must(booking.Decline{Code: no.Code, Actor: clerk("1"), Reason: "须审批科室现场核验，当日无人值守"})
	if q := f.queuedNow(); len(q) != 1 || q[0].Purpose != booking.NoticeDeclined || q[0].Vars[VarReason] != "须审批科室现场核验，当日无人值守" {
		t.Fatalf("decline queued %+v", q)
	}
	// Nobody is on the roster for the Saturday until a manager puts s1 on it.
	f.refuse(booking.Accept{Code: ok.Code, Actor: clerk("1")}, errs.Conflict, "booking_not_on_duty")
	f.must(booking.PutOnRoster{Date: "2025-03-15", Staff: "s1", Actor: manager})
	if d := booking.OnDuty(f.s.Bookings, f.setup.Bookings, "A", ok.Start, ok.End); !slices.Equal(d, []string{"s1"}) {
		t.Fatalf("on duty %v", d)
	}
	f.must(booking.Accept{Code: ok.Code, Actor: clerk("1")})
	if q := f.queuedNow(); ok.Status != booking.Booked || !slices.Equal(purposes(q), []string{booking.NoticeAccepted}) {
		t.Fatalf("accepted %s, queued %v", ok.Status, purposes(q))
	}
	f.now = at("2025-03-14", "09:00:00")
	f.must(Tick{})
	if q := f.queuedNow(); len(q) != 1 || q[0].ID != "sms-b1-"+booking.NoticeDay {
		t.Fatalf("the day before, queued %+v", q)
	}
}

// A late applicant reached and moved to another day is reminded again of
// the new slot, the day before and two hours before, in new messages (the
// old slot's went under their own ids) to the booking's phone; a reminder
// already due for the old slot is not repeated for it.
func TestMovedBookingIsRemindedAgain(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-09", "09:00:00")
	b := f.bookOn("b1", "h1", "2025-03-10", "10:00:00")
	f.now = at("2025-03-10", "08:00:00")
	f.must(Tick{})
	if q := f.queuedNow(); len(q) != 1 || q[0].ID != "sms-b1-"+booking.NoticeSoon {
		t.Fatalf("two hours before the first slot, queued %+v", q)
	}
	f.now = at("2025-03-10", "10:30:00")
	f.must(Tick{})
	f.must(booking.MarkReached{Code: b.Code, Move: at("2025-03-12", "14:00:00"), Actor: clerk("1")})
	if b.Status != booking.Booked || b.Moves != 1 {
		t.Fatalf("moved %+v", b)
	}
	for _, c := range []struct {
		now, id, purpose string
	}{
		{"2025-03-11 14:00:00", "sms-b1-" + booking.NoticeDay + ".1", booking.NoticeDay},
		{"2025-03-12 12:00:00", "sms-b1-" + booking.NoticeSoon + ".1", booking.NoticeSoon},
	} {
		day, clock, _ := strings.Cut(c.now, " ")
		f.now = at(day, clock)
		f.must(Tick{})
		q := f.queuedNow()
		if len(q) != 1 || q[0].ID != c.id || q[0].Purpose != c.purpose || q[0].Sealed != nil ||
			q[0].Vars[outbox.VarPhone] != "13800138000" || q[0].Vars[VarStart] != at("2025-03-12", "14:00:00").Format(time.RFC3339) {
			t.Fatalf("at %s queued %+v", c.now, q)
		}
		f.must(Tick{})
		if q := f.queuedNow(); len(q) != 0 {
			t.Fatalf("at %s queued again %+v", c.now, q)
		}
	}
}

// Every booking command of the walk, right and wrong.
func randomBookingCommand(r *rand.Rand, f *floor, a room.Actor) Command {
	codes := slices.Sorted(maps.Keys(f.s.Bookings.Bookings))
	pick := func() (string, string) {
		if len(codes) == 0 || r.IntN(20) == 0 {
			return "missing", "h0"
		}
		b := f.s.Bookings.Bookings[codes[r.IntN(len(codes))]]
		return b.Code, b.IDHash
	}
	slot := func() time.Time {
		if r.IntN(2) == 0 {
			// Soon, so that check-ins fall in their window.
			if free := booking.FreeSlots(f.s.Bookings, f.setup.Bookings, "A", f.now, f.now, 3); len(free) > 0 {
				return free[r.IntN(len(free))].Start
			}
		}
		day := f.now.AddDate(0, 0, r.IntN(3))
		ss := f.setup.Bookings.Slots("A", day)
		if len(ss) == 0 {
			return f.now
		}
		return ss[r.IntN(len(ss))].Start
	}
	id := fmt.Sprintf("h%d", r.IntN(12))
	switch r.IntN(10) {
	case 9:
		code, h := pick()
		switch r.IntN(3) {
		case 0:
			return booking.Confirm{Code: code, By: booking.ByApplicant, IDHash: h}
		case 1:
			return booking.Confirm{By: booking.ByApplicant, Window: []string{"1", "2", "3"}[r.IntN(3)]}
		}
		return booking.Confirm{Code: code, By: booking.ByClerkConfirm, Actor: a}
	case 0, 1:
		c := booking.Book{Service: "A", Start: slot(), IDHash: id, Name: "李四", Channel: booking.Online}
		if r.IntN(3) == 0 {
			c.Channel, c.Actor = booking.ByClerk, a
		}
		return c
	case 2:
		code, h := pick()
		if r.IntN(4) == 0 {
			h = id
		}
		return booking.Cancel{Code: code, IDHash: h}
	case 3, 8:
		code, h := pick()
		// Mostly a booking that waits for its check-in, as at a kiosk.
		var booked []string
		for _, c := range codes {
			if b := f.s.Bookings.Bookings[c]; b.Status == booking.Booked && f.now.After(b.Start.Add(-time.Hour)) {
				booked = append(booked, c)
			}
		}
		if len(booked) > 0 && r.IntN(4) > 0 {
			b := f.s.Bookings.Bookings[booked[r.IntN(len(booked))]]
			code, h = b.Code, b.IDHash
		}
		if r.IntN(2) == 0 {
			return booking.CheckIn{IDHash: h}
		}
		return booking.CheckIn{Code: code}
	case 4:
		code, _ := pick()
		if r.IntN(4) == 0 {
			// A clerk (or not) put on the roster today or in the next days,
			// the whole day or the lunch hours.
			c := booking.PutOnRoster{Date: f.now.AddDate(0, 0, r.IntN(4)-1).In(shanghai).Format(time.DateOnly),
				Staff: []string{"s1", "s2", "g1"}[r.IntN(3)], Actor: []room.Actor{a, manager}[r.IntN(2)]}
			if r.IntN(2) == 0 {
				c.Hours = []calendar.Session{{Start: 12 * 60, End: 13*60 + 30}}
			}
			return c
		}
		if r.IntN(2) == 0 {
			return booking.Accept{Code: code, Actor: a, OnDuty: []string{"", "s1", "s2"}[r.IntN(3)]}
		}
		return booking.Decline{Code: code, Actor: a, Reason: []string{"", "材料须现场核验", "非工作日"}[r.IntN(3)]}
	case 5:
		code, _ := pick()
		c := booking.MarkReached{Code: code, Actor: a}
		if r.IntN(2) == 0 {
			c.Move = slot()
		}
		return c
	case 6:
		code, _ := pick()
		return booking.MarkUnreachable{Code: code, Actor: a}
	}
	return booking.LiftBar{IDHash: id, Reason: "本人说明情况", Actor: []room.Actor{a, manager}[r.IntN(2)]}
}

// verifyBookings checks what must hold of the bookings after every step: no
// slot holds more than its capacity, a bar follows the forfeits, and a
// booking checked in today has its ticket, issued for the booking.
func verifyBookings(f *floor) error {
	s, setup := f.s.Bookings, f.setup.Bookings
	taken := map[string]int{}
	for code, b := range s.Bookings {
		if b.Status.Live() {
			k := b.Service + b.Start.String()
			taken[k]++
			if taken[k] > setup.Service(b.Service).Capacity {
				return fmt.Errorf("slot %s of %s holds %d bookings", b.Start, b.Service, taken[k])
			}
		}
		if b.Request && b.DecidedBy != "" && b.Status != booking.Declined && b.Moves == 0 && b.Day >= f.s.Day() &&
			!slices.Contains(booking.OnDuty(s, setup, b.Service, b.Start, b.End), b.OnDuty) {
			return fmt.Errorf("request %s accepted with %s on duty, off the roster %v", code, b.OnDuty, booking.Roster(s, setup, b.Day))
		}
		if (b.Status == booking.Served) != (b.Record != nil) {
			return fmt.Errorf("booking %s is %s with record %+v", code, b.Status, b.Record)
		}
		if b.Status == booking.CheckedIn && b.Day == f.s.Day() {
			t := f.s.Queue.Tickets[b.Ticket]
			if t == nil || t.Via != queue.ViaBooking {
				return fmt.Errorf("booking %s checked in with ticket %+v", code, t)
			}
		}
	}
	for w, code := range s.Confirm {
		if b := s.Bookings[code]; b == nil || b.Record == nil || b.Record.Window != w || !b.Record.ApplicantConfirmed.IsZero() {
			return fmt.Errorf("window %s's evaluator asks about booking %s: %+v", w, code, b)
		}
	}
	for day, ds := range s.Roster {
		for _, d := range ds {
			if day < f.s.Day() || len(d.Staff) != 1 || !setup.Clerks[d.Staff[0]] {
				return fmt.Errorf("roster of %s holds %+v", day, d)
			}
		}
	}
	for id, bar := range s.Bars {
		if bar.Barred != (bar.Forfeits >= setup.Limits.Forfeits) {
			return fmt.Errorf("%s has %d forfeits, barred %v", id, bar.Forfeits, bar.Barred)
		}
	}
	return nil
}

// An appointment's ticket served is its line of the 预约服务登记表, which the
// clerk who served it and the applicant each confirm once.
func TestServedAppointmentIsRegisteredAndConfirmed(t *testing.T) {
	f := newFloor(t)
	f.now = at("2025-03-10", "08:30:00")
	b := f.book("b1", "h1", "10:00:00")
	f.now = at("2025-03-10", "09:50:00")
	f.must(booking.CheckIn{IDHash: "h1"})
	f.refuse(booking.Confirm{Code: b.Code, By: booking.ByApplicant, IDHash: "h1"}, errs.Conflict, "booking_not_served")
	f.open("1")
	f.call("1")
	f.advance(6 * time.Minute)
	evs := f.applied(queue.Finish{Window: "1", Actor: clerk("1")})
	served := payloads[booking.BookingServed](evs)
	if len(served) != 1 || b.Status != booking.Served || b.Record == nil {
		t.Fatalf("finish applied %v; booking %+v", types(evs), b)
	}
	r := served[0].Record
	if r.Window != "1" || r.Staff != "s1" || r.Ticket != "A001" || r.Name != "张三" || r.End.Sub(r.Start) != 6*time.Minute {
		t.Fatalf("register line %+v", r)
	}
	if len(payloads[rating.PromptOpened](evs)) != 1 {
		t.Fatalf("the evaluator is not asked after an appointment: %v", types(evs))
	}
	f.refuse(booking.Confirm{Code: b.Code, By: booking.ByClerkConfirm, Actor: clerk("2")}, errs.Forbidden, "booking_not_yours")
	f.refuse(booking.Confirm{Code: b.Code, By: booking.ByApplicant, IDHash: "h2"}, errs.NotFound, "no_booking")
	f.must(booking.Confirm{Code: b.Code, By: booking.ByClerkConfirm, Actor: clerk("1")})
	// The applicant taps the window's evaluator, which asks about it.
	f.refuse(booking.Confirm{By: booking.ByApplicant, Window: "2"}, errs.Conflict, "booking_nothing_to_confirm")
	if f.s.Bookings.Confirm["1"] != b.Code {
		t.Fatalf("window 1's evaluator asks about %q", f.s.Bookings.Confirm["1"])
	}
	f.must(booking.Confirm{By: booking.ByApplicant, Window: "1"})
	if len(f.s.Bookings.Confirm) != 0 {
		t.Fatalf("still asked: %v", f.s.Bookings.Confirm)
	}
	f.refuse(booking.Confirm{Code: b.Code, By: booking.ByApplicant, IDHash: "h1"}, errs.Conflict, "booking_confirmed_already")
	if b.Record.ClerkConfirmed.IsZero() || b.Record.ApplicantConfirmed.IsZero() {
		t.Fatalf("confirmations %+v", b.Record)
	}
}
