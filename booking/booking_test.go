package booking

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"hallfloor/calendar"
	"hallfloor/calendar/calendartest"
	"hallfloor/errs"
	"hallfloor/queue"
	"hallfloor/room"
)

var shanghai = calendartest.Shanghai

// at is a moment in the hall's zone: at("2025-03-10 09:00").
func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func session(from, to string) calendar.Session {
	a, _ := calendar.ParseClock(from)
	b, _ := calendar.ParseClock(to)
	return calendar.Session{Start: a, End: b}
}

// testSetup is the work week with a special open Saturday, 2025-03-15
// 09:00–12:00 (预约办), and two services:
//
//	A: 30-minute slots for 2, weekdays 09:00–17:30 including the lunch
//	   hours 12:00–13:30 (错时办), and on special open days;
//	B: 60-minute slots for 1, weekdays 09:00–12:00 and Saturdays
//	   09:00–11:00, not on special open days.
func testSetup() *Setup {
	cal := calendartest.WorkWeek()
	cal.Special = map[string][]calendar.Session{"2025-03-15": {session("09:00", "12:00")}}
	a := Service{Code: "A", Length: 30 * time.Minute, Capacity: 2, Special: true}
	b := Service{Code: "B", Length: time.Hour, Capacity: 1}
	for d := time.Monday; d <= time.Friday; d++ {
		a.Weekly[d] = []calendar.Session{session("09:00", "12:00"), session("12:00", "13:30"), session("13:30", "17:30")}
		b.Weekly[d] = []calendar.Session{session("09:00", "12:00")}
	}
	b.Weekly[time.Saturday] = []calendar.Session{session("09:00", "11:00")}
	return NewSetup(Setup{Calendar: cal, Services: []Service{a, b}, Roster: testRoster(),
		Clerks: map[string]bool{"s1": true, "s7": true, "s8": true, "admin": true}})
}

// testRoster has s7 on duty for A in the weekday lunch hours, and s8 for
// B all day on Saturdays.
func testRoster() []Duty {
	lunch := Duty{Staff: []string{"s7"}, Services: []string{"A"}, Hours: []calendar.Session{session("12:00", "13:30")}}
	for d := time.Monday; d <= time.Friday; d++ {
		lunch.Weekdays[d] = true
	}
	sat := Duty{Staff: []string{"s8"}, Services: []string{"B"}}
	sat.Weekdays[time.Saturday] = true
	return []Duty{lunch, sat}
}

// hall drives the room as package hall does: Decide, then Apply each event.
type hall struct {
	t     *testing.T
	setup *Setup
	s     *State
	now   time.Time
	seq   uint64
	ids   int
}

func newHall(t *testing.T) *hall {
	return &hall{t: t, setup: testSetup(), s: NewState(), now: at("2025-03-10 09:00")}
}

func (h *hall) env() room.Env {
	return room.Env{Now: h.now, NewID: func() string { h.ids++; return fmt.Sprintf("id%03d", h.ids) }}
}

func (h *hall) apply(ps []room.Payload) {
	for _, p := range ps {
		h.seq++
		h.s.Apply(room.Event{Seq: h.seq, At: h.now, Data: p})
	}
}

func (h *hall) snapshot() string {
	b, err := json.Marshal(h.s)
	if err != nil {
		h.t.Fatal(err)
	}
	return string(b)
}

func (h *hall) must(cmd Command) room.Outcome {
	h.t.Helper()
	out, err := Decide(h.s, h.setup, cmd, h.env())
	if err != nil {
		h.t.Fatalf("%T %+v: %v", cmd, cmd, err)
	}
	h.apply(out.Events)
	return out
}

// refuse runs a command that must be refused with the kind and reason, and
// checks that it changed nothing.
func (h *hall) refuse(cmd Command, kind errs.Kind, reason string) *errs.Error {
	h.t.Helper()
	before := h.snapshot()
	out, err := Decide(h.s, h.setup, cmd, h.env())
	e, ok := errs.As(err)
	if !ok || e.Kind != kind || e.Reason != reason {
		h.t.Fatalf("%T %+v: %v, want %s %s", cmd, cmd, err, kind, reason)
	}
	if len(out.Events) > 0 || h.snapshot() != before {
		h.t.Fatalf("%T refused (%v) but decided %v", cmd, err, out.Events)
	}
	return e
}

// book books online for id at the service's slot and returns the booking.
func (h *hall) book(id, service, start string) *Booking {
	h.t.Helper()
	out := h.must(Book{Service: service, Start: at(start), IDHash: id, Name: "张三", Phone: "13800138000", Channel: Online})
	return h.s.Bookings[out.Events[0].(Made).Booking.Code]
}

func (h *hall) bookCmd(id, service, start string) Book {
	return Book{Service: service, Start: at(start), IDHash: id, Name: "张三", Channel: Online}
}

var (
	clerk   = room.Actor{Staff: "s1", Role: room.Clerk}
	guide   = room.Actor{Staff: "g1", Role: room.Guide}
	manager = room.Actor{Staff: "admin", Role: room.Manager}
)

func starts(ss []Slot) []string {
	var out []string
	for _, s := range ss {
		mark := ""
		if s.Request {
			mark = "?"
		}
		out = append(out, s.Start.In(shanghai).Format("01-02 15:04")+mark)
	}
	return out
}

// A service's slots follow its hours, cut into its slot length: hours
// outside the sessions (错时办) and special open days (预约办) are requests,
// a holiday has none, and a special open day takes only the services
// declared for it.
func TestSlotsOfADay(t *testing.T) {
	setup := testSetup()
	tests := []struct {
		service, day string
		want         []string
	}{
		{"B", "2025-03-10", []string{"03-10 09:00", "03-10 10:00", "03-10 11:00"}},
		{"A", "2025-03-15", []string{"03-15 09:00?", "03-15 09:30?", "03-15 10:00?", "03-15 10:30?", "03-15 11:00?", "03-15 11:30?"}},
		{"B", "2025-03-15", nil}, // special open day, B not declared for it
		{"B", "2025-03-22", []string{"03-22 09:00?", "03-22 10:00?"}},
		{"A", "2025-04-04", nil}, // 清明
		{"B", "2025-04-27", []string{"04-27 09:00", "04-27 10:00", "04-27 11:00"}}, // 调休 Sunday, worked as a Monday
		{"A", "2025-03-16", nil}, // Sunday
		{"C", "2025-03-10", nil}, // no bookings
	}
	for _, tt := range tests {
		if got := starts(setup.Slots(tt.service, at(tt.day+" 12:00"))); !slices.Equal(got, tt.want) {
			t.Errorf("%s on %s: %v, want %v", tt.service, tt.day, got, tt.want)
		}
	}
	mon := setup.Slots("A", at("2025-03-10 00:00"))
	if len(mon) != 6+3+8 {
		t.Fatalf("A has %d slots on a Monday, want 17", len(mon))
	}
	for _, sl := range mon {
		lunch := !sl.Start.Before(at("2025-03-10 12:00")) && sl.Start.Before(at("2025-03-10 13:30"))
		if sl.Request != lunch {
			t.Errorf("slot %s request %v", sl.Start.In(shanghai).Format("15:04"), sl.Request)
		}
	}
}

// Book from an hour to five working days ahead (special open days book
// within the horizon but do not count towards it).
func TestLeadTime(t *testing.T) {
	tests := []struct {
		start  string
		reason string
	}{
		{"2025-03-10 09:30", "booking_too_soon"},
		{"2025-03-10 09:00", "booking_too_soon"},
		{"2025-03-10 10:00", ""},
		{"2025-03-15 09:00", ""}, // special Saturday
		{"2025-03-17 17:00", ""}, // the fifth working day
		{"2025-03-18 09:00", "booking_too_far"},
		{"2025-03-10 10:15", "booking_no_slot"},
	}
	for i, tt := range tests {
		h := newHall(t)
		c := h.bookCmd(fmt.Sprint("h", i), "A", tt.start)
		if tt.reason == "" {
			h.must(c)
			continue
		}
		kind := errs.Conflict
		if tt.reason == "booking_no_slot" {
			kind = errs.Invalid
		}
		h.refuse(c, kind, tt.reason)
	}
}

// A slot takes as many bookings as its capacity; a full one is refused
// with the next free slots, and a cancellation frees its place.
func TestSlotCapacity(t *testing.T) {
	h := newHall(t)
	h.book("h1", "A", "2025-03-10 14:00")
	first := h.book("h2", "A", "2025-03-10 14:00")
	h.book("h3", "A", "2025-03-10 14:30")
	h.book("h4", "A", "2025-03-10 14:30")
	e := h.refuse(h.bookCmd("h5", "A", "2025-03-10 14:00"), errs.Conflict, "booking_slot_full")
	if e.Args["next"] != "2025-03-10 15:00, 2025-03-10 15:30, 2025-03-10 16:00" || e.Field != "start" {
		t.Fatalf("full slot refused with %v", e)
	}
	if got := starts(FreeSlots(h.s, h.setup, "B", at("2025-03-10 00:00"), h.now, 2)); !slices.Equal(got, []string{"03-10 10:00", "03-10 11:00"}) {
		t.Fatalf("B's free slots %v", got)
	}
	h.must(Cancel{Code: first.Code, IDHash: "h2"})
	h.book("h5", "A", "2025-03-10 14:00")
}

// One booking per ID number per day; another day, or after a cancel, is
// fine.
func TestOnePerDay(t *testing.T) {
	h := newHall(t)
	b := h.book("h1", "A", "2025-03-11 10:00")
	e := h.refuse(h.bookCmd("h1", "B", "2025-03-11 11:00"), errs.Conflict, "booking_one_per_day")
	if e.Field != "id_number" || e.Args["day"] != "2025-03-11" {
		t.Fatalf("second booking of a day: %v", e)
	}
	h.book("h1", "A", "2025-03-12 10:00")
	h.must(Cancel{Code: b.Code, IDHash: "h1"})
	h.book("h1", "B", "2025-03-11 11:00")
}

// Cancel by the code and the ID number until two hours before the slot.
func TestCancelWindow(t *testing.T) {
	h := newHall(t)
	b := h.book("h1", "A", "2025-03-10 12:00") // a request: cancellable too
	c := h.book("h2", "A", "2025-03-10 14:00")
	h.refuse(Cancel{Code: b.Code, IDHash: "h2"}, errs.NotFound, "no_booking")
	h.refuse(Cancel{Code: "nope", IDHash: "h1"}, errs.NotFound, "no_booking")
	h.now = at("2025-03-10 09:30")
	h.must(Cancel{Code: c.Code, IDHash: "h2"})
	h.refuse(Cancel{Code: c.Code, IDHash: "h2"}, errs.Conflict, "booking_not_cancellable")
	h.now = at("2025-03-10 10:00")
	if e := h.refuse(Cancel{Code: b.Code, IDHash: "h1"}, errs.Conflict, "booking_cancel_closed"); e.Args["hours"] != "2" {
		t.Fatalf("cancel too late: %v", e)
	}
}

// A booking outside working time is a request: a clerk accepts it (with
// the clerk on duty) or declines it, always with a reason and never for the
// day not being a working day; until then it does not check in.
func TestRequestsAcceptedOrDeclined(t *testing.T) {
	h := newHall(t)
	lunch := h.book("h1", "A", "2025-03-10 12:00")
	sat := h.book("h2", "A", "2025-03-15 09:00")
	inHours := h.book("h3", "A", "2025-03-10 10:00")
	if lunch.Status != Requested || sat.Status != Requested || inHours.Status != Booked {
		t.Fatalf("statuses %s %s %s", lunch.Status, sat.Status, inHours.Status)
	}
	h.now = at("2025-03-10 11:40")
	h.refuse(CheckIn{Code: lunch.Code}, errs.Conflict, "booking_not_accepted")
	h.refuse(Accept{Code: lunch.Code}, errs.Unauthorized, "sign_in_required")
	h.refuse(Accept{Code: lunch.Code, Actor: guide}, errs.Forbidden, "booking_by_clerk")
	h.refuse(Accept{Code: inHours.Code, Actor: clerk}, errs.Conflict, "booking_not_requested")
	h.must(Accept{Code: lunch.Code, Actor: clerk, OnDuty: "s7"})
	if lunch.Status != Booked || lunch.OnDuty != "s7" || lunch.DecidedBy != "s1" {
		t.Fatalf("accepted request %+v", lunch)
	}
	h.refuse(Decline{Code: sat.Code, Actor: clerk}, errs.Invalid, "booking_decline_reason_needed")
	h.refuse(Decline{Code: sat.Code, Actor: clerk, Reason: "  "}, errs.Invalid, "booking_decline_reason_needed")
	for _, r := range []string{"周六为非工作日", "Not a working day", "节假日不办理", "午休时间不受理", "非工作时间"} {
		h.refuse(Decline{Code: sat.Code, Actor: clerk, Reason: r}, errs.Invalid, "booking_decline_not_working_day")
	}
	h.must(Decline{Code: sat.Code, Actor: clerk, Reason: "该业务须由审批科室现场核验，当日无人值守"})
	if sat.Status != Declined || sat.Reason == "" {
		t.Fatalf("declined request %+v", sat)
	}
	h.refuse(Accept{Code: sat.Code, Actor: clerk}, errs.Conflict, "booking_not_requested")
	// A declined request frees the day and the slot.
	h.now = at("2025-03-10 13:00")
	h.book("h2", "A", "2025-03-15 09:00")
	if !DeclineAllowed("材料不全") || DeclineAllowed("休息日") {
		t.Fatal("DeclineAllowed disagrees with the rule")
	}
}

// Check in from 30 minutes before to 30 minutes after the slot's start, by
// the code or by the ID number.
func TestCheckInWindow(t *testing.T) {
	tests := []struct {
		now    string
		byID   bool
		reason string
	}{
		{"2025-03-10 09:29", false, "booking_checkin_early"},
		{"2025-03-10 09:30", false, ""},
		{"2025-03-10 10:29", true, ""},
		{"2025-03-10 10:30", true, "booking_checkin_closed"},
	}
	for _, tt := range tests {
		h := newHall(t)
		b := h.book("h1", "A", "2025-03-10 10:00")
		h.now = at(tt.now)
		c := CheckIn{Code: b.Code}
		if tt.byID {
			c = CheckIn{IDHash: "h1"}
		}
		if tt.reason != "" {
			h.refuse(c, errs.Conflict, tt.reason)
			continue
		}
		out := h.must(c)
		if b.Status != CheckedIn || b.Ticket == "" || out.Ticket != b.Ticket {
			t.Fatalf("checked in at %s: %+v, outcome %+v", tt.now, b, out)
		}
		h.refuse(c, errs.Conflict, "booking_checked_in_already")
	}
	h := newHall(t)
	h.book("h1", "A", "2025-03-11 10:00")
	h.refuse(CheckIn{IDHash: "h1"}, errs.NotFound, "no_booking_today")
	h.refuse(CheckIn{IDHash: "h1", Code: "x"}, errs.Invalid, "booking_checkin_one")
	h.refuse(CheckIn{}, errs.Invalid, "booking_checkin_needs")
	h.refuse(CheckIn{Code: "x"}, errs.NotFound, "no_booking")
}

// Thirty minutes after the slot with no check-in a booking is late; only
// the clerk's word that the applicant could not be reached forfeits it.
// Reached, it may move to another slot.
func TestLateForfeitsOnlyWhenUnreachable(t *testing.T) {
	h := newHall(t)
	a := h.book("h1", "A", "2025-03-10 10:00")
	b := h.book("h2", "A", "2025-03-10 10:00")
	c := h.book("h3", "A", "2025-03-10 10:30")
	h.refuse(MarkUnreachable{Code: a.Code, Actor: clerk}, errs.Conflict, "booking_not_late")
	h.now = at("2025-03-10 10:29")
	if due := Due(h.s, h.setup, h.now); len(due) != 0 {
		t.Fatalf("due before the late mark: %v", due)
	}
	h.now = at("2025-03-10 10:30")
	due := Due(h.s, h.setup, h.now)
	if len(due) != 2 || due[0] != (MarkedLate{Code: a.Code}) && due[1] != (MarkedLate{Code: a.Code}) {
		t.Fatalf("due at 10:30: %v", due)
	}
	h.apply(due)
	if a.Status != Late || b.Status != Late || c.Status != Booked {
		t.Fatalf("late: %s %s %s", a.Status, b.Status, c.Status)
	}
	if len(Due(h.s, h.setup, h.now)) != 0 {
		t.Fatal("late marked twice")
	}
	h.refuse(MarkReached{Code: a.Code}, errs.Unauthorized, "sign_in_required")
	h.must(MarkReached{Code: a.Code, Actor: clerk})
	if a.Status != Reached || h.s.Bars["h1"] != nil {
		t.Fatalf("reached: %+v, bar %+v", a, h.s.Bars["h1"])
	}
	h.refuse(MarkUnreachable{Code: a.Code, Actor: clerk}, errs.Conflict, "booking_not_late")
	h.refuse(MarkReached{Code: b.Code, Actor: clerk, Move: at("2025-03-10 10:30")}, errs.Invalid, "booking_move_past")
	h.refuse(MarkReached{Code: b.Code, Actor: clerk, Move: at("2025-03-10 10:45")}, errs.Invalid, "booking_no_slot")
	h.book("h2", "A", "2025-03-11 10:00")
	h.refuse(MarkReached{Code: b.Code, Actor: clerk, Move: at("2025-03-11 10:30")}, errs.Conflict, "booking_one_per_day")
	h.must(MarkReached{Code: b.Code, Actor: clerk, Move: at("2025-03-10 14:00")})
	if b.Status != Booked || !b.Start.Equal(at("2025-03-10 14:00")) {
		t.Fatalf("moved: %+v", b)
	}
}

// Three forfeits bar the ID number from booking until a manager lifts the
// bar, with a reason.
func TestThreeForfeitsBarUntilLifted(t *testing.T) {
	h := newHall(t)
	for i, day := range []string{"2025-03-10", "2025-03-11", "2025-03-12"} {
		b := h.book("h1", "B", day+" 10:00")
		h.now = at(day + " 10:30")
		h.apply(Due(h.s, h.setup, h.now))
		h.must(MarkUnreachable{Code: b.Code, Actor: clerk})
		if b.Status != Forfeited || h.s.Bars["h1"].Forfeits != i+1 || h.s.Barred("h1") != (i == 2) {
			t.Fatalf("forfeit %d: %+v, bar %+v", i+1, b, h.s.Bars["h1"])
		}
		h.now = at(day + " 12:00")
	}
	e := h.refuse(h.bookCmd("h1", "A", "2025-03-13 10:00"), errs.Forbidden, "booking_barred")
	if e.Args["count"] != "3" || e.Field != "id_number" {
		t.Fatalf("barred: %v", e)
	}
	h.refuse(h.bookCmd("h1", "A", "2025-03-13 10:00"), errs.Forbidden, "booking_barred")
	h.refuse(LiftBar{IDHash: "h1", Reason: "本人说明情况", Actor: clerk}, errs.Forbidden, "manager_only")
	h.refuse(LiftBar{IDHash: "h1", Actor: manager}, errs.Invalid, "booking_lift_reason_needed")
	h.refuse(LiftBar{IDHash: "h2", Reason: "x", Actor: manager}, errs.Conflict, "booking_not_barred")
	h.must(LiftBar{IDHash: "h1", Reason: "本人说明情况，系住院未能到场", Actor: manager})
	h.book("h1", "A", "2025-03-13 10:00")
	if h.s.Barred("h1") {
		t.Fatal("still barred")
	}
}

// Each reminder's moment comes once, the day before and two hours before,
// and only for a booking made before it.
func TestRemindersOnce(t *testing.T) {
	h := newHall(t)
	early := h.book("h1", "A", "2025-03-11 10:00")
	h.now = at("2025-03-11 07:30")
	late := h.book("h2", "A", "2025-03-11 10:00") // made after the day-before moment
	// The day before, for the booking made early only.
	h2 := newHall(t)
	b := h2.book("h1", "A", "2025-03-11 10:00")
	h2.now = at("2025-03-10 09:59")
	if due := Due(h2.s, h2.setup, h2.now); len(due) != 0 {
		t.Fatalf("due a day and a minute before: %v", due)
	}
	h2.now = at("2025-03-10 10:00")
	if due := Due(h2.s, h2.setup, h2.now); !slices.Equal(due, []room.Payload{Reminded{Code: b.Code, Notice: NoticeDay}}) {
		t.Fatalf("due a day before: %v", due)
	}
	h2.apply(Due(h2.s, h2.setup, h2.now))
	h2.now = at("2025-03-11 07:59")
	if due := Due(h2.s, h2.setup, h2.now); len(due) != 0 {
		t.Fatalf("due twice: %v", due)
	}
	h2.now = at("2025-03-11 08:00")
	if due := Due(h2.s, h2.setup, h2.now); !slices.Equal(due, []room.Payload{Reminded{Code: b.Code, Notice: NoticeSoon}}) {
		t.Fatalf("due two hours before: %v", due)
	}
	// In the first hall, the booking made at 07:30 gets the two-hour one
	// and not the day-before one, whose moment had passed.
	h.now = at("2025-03-11 08:00")
	due := Due(h.s, h.setup, h.now)
	want := []room.Payload{Reminded{Code: early.Code, Notice: NoticeSoon}, Reminded{Code: late.Code, Notice: NoticeSoon}}
	slices.SortFunc(due, func(a, b room.Payload) int { return cmpCode(a, b) })
	slices.SortFunc(want, func(a, b room.Payload) int { return cmpCode(a, b) })
	if !slices.Equal(due, want) {
		t.Fatalf("due at 08:00: %v, want %v", due, want)
	}
}

func cmpCode(a, b room.Payload) int {
	x, y := a.(Reminded).Code, b.(Reminded).Code
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// Bad bookings are refused and change nothing.
func TestBookRefusals(t *testing.T) {
	h := newHall(t)
	ok := h.bookCmd("h1", "A", "2025-03-10 10:00")
	tests := []struct {
		mut    func(*Book)
		kind   errs.Kind
		reason string
	}{
		{func(b *Book) { b.Service = "C" }, errs.Invalid, "booking_no_service"},
		{func(b *Book) { b.Channel = "fax" }, errs.Invalid, "booking_channel"},
		{func(b *Book) { b.Channel = ByClerk }, errs.Unauthorized, "sign_in_required"},
		{func(b *Book) { b.Channel, b.Actor = ByClerk, guide }, errs.Forbidden, "booking_by_clerk"},
		{func(b *Book) { b.IDHash = "" }, errs.Invalid, "booking_id_needed"},
		{func(b *Book) { b.Name = " " }, errs.Invalid, "booking_name_needed"},
		{func(b *Book) { b.Name = string(make([]rune, 41)) }, errs.Invalid, "too_long"},
	}
	for _, tt := range tests {
		c := ok
		tt.mut(&c)
		h.refuse(c, tt.kind, tt.reason)
	}
	c := ok
	c.Channel, c.Actor = ByClerk, clerk
	out := h.must(c)
	if b := out.Events[0].(Made).Booking; b.Clerk != "s1" || b.Channel != ByClerk {
		t.Fatalf("a clerk's booking %+v", b)
	}
}

// A new day forgets the past days' bookings, but a late one waits for the
// clerk's word.
func TestNewDayKeepsLateBookings(t *testing.T) {
	h := newHall(t)
	done := h.book("h1", "A", "2025-03-10 10:00")
	late := h.book("h2", "A", "2025-03-10 10:00")
	next := h.book("h3", "A", "2025-03-11 10:00")
	h.now = at("2025-03-10 10:00")
	h.must(CheckIn{Code: done.Code})
	h.now = at("2025-03-10 10:30")
	h.apply(Due(h.s, h.setup, h.now))
	h.apply([]room.Payload{dayStarted("2025-03-11")})
	if h.s.Bookings[done.Code] != nil || h.s.Bookings[late.Code] == nil || h.s.Bookings[next.Code] == nil {
		t.Fatalf("after the day: %v", h.s.Bookings)
	}
}

func dayStarted(day string) room.Payload { return queue.DayStarted{Day: day} }

// The booking page's offer is the rule's own answer, slot by slot.
func TestOffersAreTheRulesAnswer(t *testing.T) {
	h := newHall(t)
	h.book("h1", "B", "2025-03-10 10:00")
	offers := Offers(h.s, h.setup, "B", at("2025-03-10 00:00"), h.now)
	if len(offers) != 3 {
		t.Fatalf("offers %+v", offers)
	}
	for i, want := range []string{"booking_too_soon", "booking_slot_full", ""} {
		if got := errs.ReasonOf(offers[i].Refusal); got != want {
			t.Errorf("slot %d: %q, want %q", i, got, want)
		}
		_, err := Decide(h.s, h.setup, h.bookCmd("h9", "B", offers[i].Start.In(shanghai).Format("2006-01-02 15:04")), h.env())
		if got := errs.ReasonOf(err); got != want {
			t.Errorf("slot %d booked: %q, offer says %q", i, got, want)
		}
	}
	if offers[2].Left != 1 || offers[1].Left != 0 {
		t.Fatalf("left %d %d", offers[1].Left, offers[2].Left)
	}
}

// A request is accepted only with a clerk on duty for its slot and
// service: the hall file's roster (by weekday: s7 for A at lunch, s8 for B
// on Saturdays) or a manager's line for a date. Anyone else is refused,
// and the refusal says whether the clerk is off duty then or on duty for
// other services.
func TestAcceptNeedsAClerkOnTheRoster(t *testing.T) {
	h := newHall(t)
	lunch := h.book("h1", "A", "2025-03-10 12:00")
	sat9 := h.book("h2", "A", "2025-03-15 09:00")
	sat10 := h.book("h3", "A", "2025-03-15 10:00")
	h.now = at("2025-03-10 11:00")
	if got := OnDuty(h.s, h.setup, "A", lunch.Start, lunch.End); !slices.Equal(got, []string{"s7"}) {
		t.Fatalf("on duty at lunch: %v", got)
	}
	if e := h.refuse(Accept{Code: lunch.Code, Actor: clerk}, errs.Conflict, "booking_not_on_duty"); e.Args["staff"] != "s1" || e.Args["slot"] != "2025-03-10 12:00" || e.Field != "on_duty" {
		t.Fatalf("s1 off duty: %+v", e)
	}
	h.refuse(Accept{Code: lunch.Code, Actor: clerk, OnDuty: "s8"}, errs.Conflict, "booking_not_on_duty")
	if e := h.refuse(Accept{Code: sat9.Code, Actor: clerk, OnDuty: "s8"}, errs.Conflict, "booking_duty_other_service"); e.Args["service"] != "A" {
		t.Fatalf("s8 on duty for B only: %+v", e)
	}
	h.refuse(Accept{Code: sat9.Code, Actor: clerk, OnDuty: "s7"}, errs.Conflict, "booking_not_on_duty")

	// A manager puts s1 on the roster for the special Saturday, 09:00–10:00, for A.
	put := PutOnRoster{Date: "2025-03-15", Staff: "s1", Services: []string{"a"}, Hours: []calendar.Session{session("09:00", "10:00")}, Actor: manager}
	for _, c := range []struct {
		cmd    PutOnRoster
		kind   errs.Kind
		reason string
	}{
		{func() PutOnRoster { c := put; c.Actor = room.Actor{}; return c }(), errs.Unauthorized, "sign_in_required"},
		{func() PutOnRoster { c := put; c.Actor = clerk; return c }(), errs.Forbidden, "manager_only"},
		{func() PutOnRoster { c := put; c.Date = "15/03/2025"; return c }(), errs.Invalid, "bad_date"},
		{func() PutOnRoster { c := put; c.Date = "2025-03-09"; return c }(), errs.Invalid, "roster_past"},
		{func() PutOnRoster { c := put; c.Staff = "g1"; return c }(), errs.Invalid, "roster_no_clerk"},
		{func() PutOnRoster { c := put; c.Staff = "nobody"; return c }(), errs.Invalid, "roster_no_clerk"},
		{func() PutOnRoster { c := put; c.Services = []string{"Z"}; return c }(), errs.Invalid, "booking_no_service"},
		{func() PutOnRoster {
			c := put
			c.Hours = []calendar.Session{session("10:00", "09:00")}
			return c
		}(), errs.Invalid, "roster_hours"},
	} {
		h.refuse(c.cmd, c.kind, c.reason)
	}
	h.must(put)
	h.refuse(put, errs.Conflict, "roster_already")
	if r := Roster(h.s, h.setup, "2025-03-15"); len(r) != 2 || r[1].By != "admin" || !slices.Equal(r[1].Services, []string{"A"}) {
		t.Fatalf("Saturday's roster %+v", r)
	}
	h.refuse(Accept{Code: sat10.Code, Actor: clerk}, errs.Conflict, "booking_not_on_duty")
	h.must(Accept{Code: sat9.Code, Actor: clerk})
	h.must(Accept{Code: lunch.Code, Actor: clerk, OnDuty: "s7"})
	if sat9.Status != Booked || sat9.OnDuty != "s1" || lunch.OnDuty != "s7" {
		t.Fatalf("accepted %+v %+v", sat9, lunch)
	}
	// The managers' lines go with their day.
	h.apply([]room.Payload{dayStarted("2025-03-16")})
	if len(h.s.Roster) != 0 {
		t.Fatalf("past roster kept: %v", h.s.Roster)
	}
}

// A weekday's lines hold on the weekdays the calendar works as such: none
// on a holiday, Monday's on a 调休 Sunday.
func TestRosterFollowsTheCalendar(t *testing.T) {
	h := newHall(t)
	for _, c := range []struct {
		day  string
		want []string
	}{{"2025-04-03 12:00", []string{"s7"}}, {"2025-04-04 12:00", nil}, {"2025-04-27 12:00", []string{"s7"}}, {"2025-04-26 12:00", nil}} {
		st := at(c.day)
		if got := OnDuty(h.s, h.setup, "A", st, st.Add(30*time.Minute)); !slices.Equal(got, c.want) {
			t.Errorf("%s: on duty %v, want %v", c.day, got, c.want)
		}
	}
}
