package booking

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

// Command is a request to the bookings room.
type Command interface{ bookingCommand() }

// Book takes a booking for Service's slot starting at Start: online by the
// applicant, or by a clerk (Channel ByClerk, Actor the clerk). Code is the
// booking code the edge drew (unguessable); Notices are the booking's SMS,
// sealed by the edge, by purpose.
type Book struct {
	Code    string
	Service string
	Start   time.Time
	IDHash  string
	Name    string
	Phone   string
	Channel string
	Actor   room.Actor
	Notices map[string]outbox.Queued
}

// Cancel is the applicant cancelling, by the booking's code and their ID
// number.
type Cancel struct {
	Code   string
	IDHash string
}

// Accept is a clerk accepting a request outside working time; OnDuty is
// the clerk on duty then, the accepting clerk when empty, who must be on
// the roster for the request's slot and service.
type Accept struct {
	Code   string
	OnDuty string
	Actor  room.Actor
}

// Decline is a clerk declining a request, with the reason, which is always
// given and never that the day is not a working day (罗山 七).
type Decline struct {
	Code   string
	Reason string
	Actor  room.Actor
}

// CheckIn is the applicant at the kiosk, by the booking code or the ID
// number (exactly one). Package hall issues the ticket in the same command.
type CheckIn struct {
	Code   string
	IDHash string
}

// MarkReached is the clerk having reached a late applicant; Move, when
// set, moves the booking to the service's slot that starts then.
type MarkReached struct {
	Code  string
	Move  time.Time
	Actor room.Actor
}

// MarkUnreachable is the clerk having failed to reach a late applicant:
// the booking is forfeited.
type MarkUnreachable struct {
	Code  string
	Actor room.Actor
}

// LiftBar is a manager lifting an ID number's bar, for a reason.
type LiftBar struct {
	IDHash string
	Reason string
	Actor  room.Actor
}

// Who confirms a line of the 预约服务登记表.
const (
	ByClerkConfirm = "clerk"
	ByApplicant    = "applicant"
)

// Confirm confirms a served appointment's line of the 预约服务登记表: By the
// clerk who served it (Actor; a manager may too), or by the applicant, with
// the booking's code and ID number, or at the evaluator of the window that
// served it (Window, the line it asks about).
type Confirm struct {
	Code   string
	By     string
	IDHash string
	Window string
	Actor  room.Actor
}

func (Confirm) bookingCommand()         {}
func (Book) bookingCommand()            {}
func (Cancel) bookingCommand()          {}
func (Accept) bookingCommand()          {}
func (Decline) bookingCommand()         {}
func (CheckIn) bookingCommand()         {}
func (MarkReached) bookingCommand()     {}
func (MarkUnreachable) bookingCommand() {}
func (LiftBar) bookingCommand()         {}

// Bounds of what a person types.
const (
	maxName   = 40
	maxReason = 200
	maxCode   = 32
	// nextFree is how many free slots a refusal for a full slot names.
	nextFree = 3
)

// Decide checks a command against the bookings and returns what happens.
// A CheckIn's outcome names the ticket to issue (its id from env) in its
// BookingCheckedIn event; package hall issues it.
func Decide(s *State, setup *Setup, cmd Command, env room.Env) (room.Outcome, error) {
	now := env.Now
	switch c := cmd.(type) {
	case Book:
		if c.Code == "" {
			c.Code = env.ID()
		}
		return decideBook(s, setup, c, now)
	case Cancel:
		b, err := owned(s, c.Code, c.IDHash)
		if err != nil {
			return room.Outcome{}, err
		}
		if b.Status != Booked && b.Status != Requested {
			return room.Outcome{}, errs.R(errs.Conflict, "booking_not_cancellable", "status", b.Status)
		}
		if until := b.Start.Add(-setup.Limits.CancelBefore); !now.Before(until) {
			return room.Outcome{}, errs.R(errs.Conflict, "booking_cancel_closed", "hours", hours(setup.Limits.CancelBefore))
		}
		return one(BookingCancelled{Code: b.Code}), nil
	case Accept:
		b, err := request(s, c.Code, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		duty := strings.TrimSpace(c.OnDuty)
		if duty == "" {
			duty = c.Actor.Staff
		}
		if err := onDuty(s, setup, b, duty); err != nil {
			return room.Outcome{}, err
		}
		return one(RequestAccepted{Code: b.Code, Staff: c.Actor.Staff, OnDuty: duty}), nil
	case Decline:
		b, err := request(s, c.Code, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		reason, err := declineReason(c.Reason)
		if err != nil {
			return room.Outcome{}, err
		}
		return one(RequestDeclined{Code: b.Code, Staff: c.Actor.Staff, Reason: reason}), nil
	case CheckIn:
		b, err := checkIn(s, setup, c, now)
		if err != nil {
			return room.Outcome{}, err
		}
		id := env.ID()
		if id == "" {
			return room.Outcome{}, errs.Internalf("ticket_without_id", "booking: check-in without a ticket id")
		}
		return room.Outcome{Ticket: id, Events: []room.Payload{BookingCheckedIn{Code: b.Code, Ticket: id}}}, nil
	case MarkReached:
		b, err := late(s, c.Code, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if c.Move.IsZero() {
			return one(ApplicantReached{Code: b.Code, Staff: c.Actor.Staff}), nil
		}
		sl, err := free(s, setup, b.Service, c.Move, b.Code)
		if err != nil {
			return room.Outcome{}, err
		}
		if !sl.Start.After(now) {
			return room.Outcome{}, errs.Bad("move", "booking_move_past")
		}
		day := setup.Day(sl.Start)
		if n := s.liveOn(b.IDHash, day, b.Code); n >= setup.Limits.PerDay {
			return room.Outcome{}, errs.R(errs.Conflict, "booking_one_per_day", "day", day, "count", setup.Limits.PerDay).OnField("move")
		}
		// The clerk and the applicant agreed the new slot on the phone: it
		// is booked, whether in working time or not.
		return one(Moved{Code: b.Code, Staff: c.Actor.Staff, Start: sl.Start, End: sl.End, Day: day, Request: sl.Request}), nil
	case MarkUnreachable:
		b, err := late(s, c.Code, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		n := 1
		if bar := s.Bars[b.IDHash]; bar != nil {
			n += bar.Forfeits
		}
		return one(BookingForfeited{Code: b.Code, Service: b.Service, Staff: c.Actor.Staff, IDHash: b.IDHash, Forfeits: n, Barred: n >= setup.Limits.Forfeits}), nil
	case Confirm:
		return decideConfirm(s, c)
	case PutOnRoster:
		return decidePutOnRoster(s, setup, c, now)
	case LiftBar:
		if !c.Actor.Staffed() {
			return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
		}
		if !c.Actor.IsManager() {
			return room.Outcome{}, errs.R(errs.Forbidden, "manager_only")
		}
		if !s.Barred(c.IDHash) {
			return room.Outcome{}, errs.R(errs.Conflict, "booking_not_barred").OnField("id_number")
		}
		reason := strings.TrimSpace(c.Reason)
		if reason == "" {
			return room.Outcome{}, errs.Bad("reason", "booking_lift_reason_needed")
		}
		if utf8.RuneCountInString(reason) > maxReason {
			return room.Outcome{}, errs.Bad("reason", "too_long", "max", maxReason)
		}
		return one(BarLifted{IDHash: c.IDHash, Staff: c.Actor.Staff, Reason: reason}), nil
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "booking: unknown command %T", cmd)
}

func one(p room.Payload) room.Outcome { return room.Outcome{Events: []room.Payload{p}} }

// hours words a limit in hours for a refusal's arguments: 2, 0.5.
func hours(d time.Duration) string { return strconv.FormatFloat(d.Hours(), 'f', -1, 64) }

func decideBook(s *State, setup *Setup, c Book, now time.Time) (room.Outcome, error) {
	sv := setup.Service(c.Service)
	if sv == nil {
		return room.Outcome{}, errs.Bad("service", "booking_no_service", "service", c.Service)
	}
	switch c.Channel {
	case Online:
	case ByClerk:
		if !c.Actor.Staffed() {
			return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
		}
		if c.Actor.Role == room.Guide {
			return room.Outcome{}, errs.R(errs.Forbidden, "booking_by_clerk")
		}
	default:
		return room.Outcome{}, errs.Bad("channel", "booking_channel")
	}
	if c.IDHash == "" {
		return room.Outcome{}, errs.Bad("id_number", "booking_id_needed")
	}
	name := strings.TrimSpace(c.Name)
	if name == "" {
		return room.Outcome{}, errs.Bad("name", "booking_name_needed")
	}
	if utf8.RuneCountInString(name) > maxName {
		return room.Outcome{}, errs.Bad("name", "too_long", "max", maxName)
	}
	if c.Code == "" || len(c.Code) > maxCode {
		return room.Outcome{}, errs.Internalf("booking_without_code", "booking: code %q", c.Code)
	}
	if _, dup := s.Bookings[c.Code]; dup {
		return room.Outcome{}, errs.Internalf("booking_code_reused", "booking: code %s issued twice", c.Code)
	}
	sl, ok := setup.SlotAt(c.Service, c.Start)
	if !ok {
		return room.Outcome{}, errs.Bad("start", "booking_no_slot", "service", c.Service)
	}
	if err := lead(setup, sl, now); err != nil {
		return room.Outcome{}, err
	}
	if s.Barred(c.IDHash) {
		return room.Outcome{}, errs.R(errs.Forbidden, "booking_barred", "count", s.Bars[c.IDHash].Forfeits).OnField("id_number")
	}
	day := setup.Day(sl.Start)
	if n := s.liveOn(c.IDHash, day, ""); n >= setup.Limits.PerDay {
		return room.Outcome{}, errs.R(errs.Conflict, "booking_one_per_day", "day", day, "count", setup.Limits.PerDay).OnField("id_number")
	}
	if s.Taken(c.Service, sl.Start) >= sv.Capacity {
		var next []string
		for _, f := range FreeSlots(s, setup, c.Service, sl.End, now, nextFree) {
			next = append(next, f.Start.In(setup.loc()).Format("2006-01-02 15:04"))
		}
		return room.Outcome{}, errs.R(errs.Conflict, "booking_slot_full", "slot", sl.Start.In(setup.loc()).Format("2006-01-02 15:04"), "next", strings.Join(next, ", ")).OnField("start")
	}
	b := Booking{
		Code: c.Code, Service: c.Service, Start: sl.Start, End: sl.End, Day: day, Request: sl.Request,
		Status: Booked, IDHash: c.IDHash, Name: name, Phone: c.Phone, Channel: c.Channel,
		Notices: maps.Clone(c.Notices),
	}
	if sl.Request {
		b.Status = Requested
	}
	if c.Channel == ByClerk {
		b.Clerk = c.Actor.Staff
	}
	return room.Outcome{Events: []room.Payload{Made{Booking: b}}}, nil
}

// liveOn counts an ID number's live bookings of a day, but except.
func (s *State) liveOn(idHash, day, except string) int {
	n := 0
	for code, b := range s.Bookings {
		if code != except && b.IDHash == idHash && b.Day == day && b.Status.Live() {
			n++
		}
	}
	return n
}

// lead refuses a slot too soon or too far ahead of now.
func lead(setup *Setup, sl Slot, now time.Time) error {
	if sl.Start.Before(now.Add(setup.Limits.MinLead)) {
		return errs.R(errs.Conflict, "booking_too_soon", "minutes", int(setup.Limits.MinLead.Minutes())).OnField("start")
	}
	if sl.Start.After(setup.Horizon(now)) {
		return errs.R(errs.Conflict, "booking_too_far", "days", setup.Limits.MaxDays).OnField("start")
	}
	return nil
}

// Offer is a slot as the booking page shows it: what is left of it, and
// why a booking of it would be refused now (too soon, too far, full), nil
// when it would not.
type Offer struct {
	Slot
	Left    int
	Refusal error
}

// Offers are a service's slots on the hall's date of day, each with the
// rule's own answer for a booking made at now (an applicant's own limits,
// one a day and the bar, are not known here).
func Offers(s *State, setup *Setup, service string, day, now time.Time) []Offer {
	sv := setup.Service(service)
	if sv == nil {
		return nil
	}
	var out []Offer
	for _, sl := range setup.Slots(service, day) {
		o := Offer{Slot: sl, Left: max(0, sv.Capacity-s.Taken(service, sl.Start))}
		switch {
		case lead(setup, sl, now) != nil:
			o.Refusal = lead(setup, sl, now)
		case o.Left == 0:
			o.Refusal = errs.R(errs.Conflict, "booking_slot_full", "slot", sl.Start.In(setup.loc()).Format("2006-01-02 15:04"), "next", "")
		}
		out = append(out, o)
	}
	return out
}

// FreeSlots are the next n slots of a service, from from on, that a booking
// made at now could take: within the lead time, with room left. The phone
// page lists them; a full slot's refusal names the first few.
func FreeSlots(s *State, setup *Setup, service string, from, now time.Time, n int) []Slot {
	sv := setup.Service(service)
	if sv == nil {
		return nil
	}
	var out []Slot
	end := setup.Horizon(now)
	for day := from; !day.After(end) && len(out) < n; day = nextDay(day, setup) {
		for _, sl := range setup.Slots(service, day) {
			if sl.Start.Before(from) || lead(setup, sl, now) != nil || s.Taken(service, sl.Start) >= sv.Capacity {
				continue
			}
			out = append(out, sl)
			if len(out) == n {
				break
			}
		}
	}
	return out
}

// nextDay is the start of the hall's next date after t's.
func nextDay(t time.Time, setup *Setup) time.Time {
	y, m, d := t.In(setup.loc()).Date()
	return time.Date(y, m, d+1, 0, 0, 0, 0, setup.loc())
}

// free finds a slot a live booking (except) could move to.
func free(s *State, setup *Setup, service string, start time.Time, except string) (Slot, error) {
	sl, ok := setup.SlotAt(service, start)
	if !ok {
		return Slot{}, errs.Bad("move", "booking_no_slot", "service", service)
	}
	taken := s.Taken(service, sl.Start)
	if b := s.Bookings[except]; b != nil && b.Start.Equal(sl.Start) {
		taken--
	}
	if taken >= setup.Service(service).Capacity {
		return Slot{}, errs.R(errs.Conflict, "booking_slot_full", "slot", sl.Start.In(setup.loc()).Format("2006-01-02 15:04"), "next", "").OnField("move")
	}
	return sl, nil
}

// owned finds a booking by code for the holder of the ID number; a wrong
// pairing is not found, so a code alone tells nothing.
func owned(s *State, code, idHash string) (*Booking, error) {
	b := s.Bookings[strings.TrimSpace(code)]
	if b == nil || idHash == "" || b.IDHash != idHash {
		return nil, errs.R(errs.NotFound, "no_booking").OnField("code")
	}
	return b, nil
}

// staffOn finds a booking a clerk acts on.
func staffOn(s *State, code string, a room.Actor) (*Booking, error) {
	if !a.Staffed() {
		return nil, errs.R(errs.Unauthorized, "sign_in_required")
	}
	if a.Role == room.Guide {
		return nil, errs.R(errs.Forbidden, "booking_by_clerk")
	}
	b := s.Bookings[strings.TrimSpace(code)]
	if b == nil {
		return nil, errs.R(errs.NotFound, "no_booking").OnField("code")
	}
	return b, nil
}

// request finds a request a clerk accepts or declines.
func request(s *State, code string, a room.Actor) (*Booking, error) {
	b, err := staffOn(s, code, a)
	if err != nil {
		return nil, err
	}
	if b.Status != Requested {
		return nil, errs.R(errs.Conflict, "booking_not_requested", "status", b.Status)
	}
	return b, nil
}

// late finds a late booking a clerk marks reached or unreachable.
func late(s *State, code string, a room.Actor) (*Booking, error) {
	b, err := staffOn(s, code, a)
	if err != nil {
		return nil, err
	}
	if b.Status != Late {
		return nil, errs.R(errs.Conflict, "booking_not_late", "status", b.Status)
	}
	return b, nil
}

// notWorkingDay are the words of a reason the hall may not decline for (罗山
// 七: windows may not decline because the day is not a working day), nor,
// for 错时办, because the hour is outside the sessions: taking those is the
// point of the booking.
var notWorkingDay = []string{"非工作日", "休息日", "节假日", "周末", "双休日", "非工作时间", "下班", "午休",
	"not a working day", "weekend", "holiday", "outside working hours", "after hours"}

func declineReason(r string) (string, error) {
	reason := strings.TrimSpace(r)
	if reason == "" {
		return "", errs.Bad("reason", "booking_decline_reason_needed")
	}
	if utf8.RuneCountInString(reason) > maxReason {
		return "", errs.Bad("reason", "too_long", "max", maxReason)
	}
	low := strings.ToLower(reason)
	for _, w := range notWorkingDay {
		if strings.Contains(low, w) {
			return "", errs.Bad("reason", "booking_decline_not_working_day")
		}
	}
	return reason, nil
}

// DeclineAllowed reports whether a reason may be given for a decline, for
// config's check of the hall file's list.
func DeclineAllowed(reason string) bool {
	_, err := declineReason(reason)
	return err == nil
}

// checkIn finds the booking a kiosk check-in means and checks its window.
func checkIn(s *State, setup *Setup, c CheckIn, now time.Time) (*Booking, error) {
	code := strings.TrimSpace(c.Code)
	var b *Booking
	switch {
	case code != "" && c.IDHash != "":
		return nil, errs.Bad("code", "booking_checkin_one")
	case code != "":
		if b = s.Bookings[code]; b == nil {
			return nil, errs.R(errs.NotFound, "no_booking").OnField("code")
		}
	case c.IDHash != "":
		// The holder's booking of today nearest its check-in: one a day
		// by default, a few at most.
		day := setup.Day(now)
		for _, code := range slices.Sorted(maps.Keys(s.Bookings)) {
			o := s.Bookings[code]
			if o.IDHash != c.IDHash || o.Day != day || !o.Status.Live() {
				continue
			}
			if b == nil || (b.Status != Booked && o.Status == Booked) ||
				(o.Status == Booked && b.Status == Booked && absDur(o.Start.Sub(now)) < absDur(b.Start.Sub(now))) {
				b = o
			}
		}
		if b == nil {
			return nil, errs.R(errs.NotFound, "no_booking_today").OnField("id_number")
		}
	default:
		return nil, errs.Bad("code", "booking_checkin_needs")
	}
	switch b.Status {
	case Booked:
	case Requested:
		return nil, errs.R(errs.Conflict, "booking_not_accepted")
	case CheckedIn:
		return nil, errs.R(errs.Conflict, "booking_checked_in_already")
	default:
		return nil, errs.R(errs.Conflict, "booking_not_checkin", "status", b.Status)
	}
	from, until := b.Start.Add(-setup.Limits.CheckInBefore), b.Start.Add(setup.Limits.CheckInAfter)
	if now.Before(from) {
		return nil, errs.R(errs.Conflict, "booking_checkin_early", "at", from.In(setup.loc()).Format("15:04"))
	}
	if !now.Before(until) {
		return nil, errs.R(errs.Conflict, "booking_checkin_closed", "at", until.In(setup.loc()).Format("15:04"))
	}
	return b, nil
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

// since is when the booking took its slot: made, or last moved.
func (b *Booking) since() time.Time {
	if b.MovedAt.After(b.Booked) {
		return b.MovedAt
	}
	return b.Booked
}

// Due is what time alone makes of the bookings at now: a booking without a
// check-in by LateAfter shows as late, and each reminder's moment comes
// once per slot (the day before, two hours before), for a booking made or
// moved there before it.
func Due(s *State, setup *Setup, now time.Time) []room.Payload {
	var out []room.Payload
	for _, code := range slices.Sorted(maps.Keys(s.Bookings)) {
		b := s.Bookings[code]
		if b.Status != Booked {
			continue
		}
		if !now.Before(b.Start.Add(setup.Limits.LateAfter)) {
			out = append(out, MarkedLate{Code: code})
			continue
		}
		for _, r := range []struct {
			notice string
			before time.Duration
		}{{NoticeDay, setup.Limits.RemindDay}, {NoticeSoon, setup.Limits.RemindSoon}} {
			at := b.Start.Add(-r.before)
			if b.Reminded[r.notice] || now.Before(at) || !b.since().Before(at) || !now.Before(b.Start) {
				continue
			}
			if r.notice == NoticeDay && !now.Before(b.Start.Add(-setup.Limits.RemindSoon)) {
				continue // the two-hour one says it now
			}
			out = append(out, Reminded{Code: code, Notice: r.notice})
		}
	}
	return out
}

func decideConfirm(s *State, c Confirm) (room.Outcome, error) {
	var b *Booking
	switch {
	case c.By == ByApplicant && c.Window != "":
		code := s.Confirm[c.Window]
		if code == "" {
			return room.Outcome{}, errs.R(errs.Conflict, "booking_nothing_to_confirm", "window", c.Window)
		}
		b = s.Bookings[code]
	case c.By == ByApplicant:
		o, err := owned(s, c.Code, c.IDHash)
		if err != nil {
			return room.Outcome{}, err
		}
		b = o
	case c.By == ByClerkConfirm:
		o, err := staffOn(s, c.Code, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		b = o
	default:
		return room.Outcome{}, errs.Bad("by", "booking_confirm_by")
	}
	if b.Record == nil {
		return room.Outcome{}, errs.R(errs.Conflict, "booking_not_served")
	}
	r := b.Record
	switch {
	case c.By == ByApplicant && !r.ApplicantConfirmed.IsZero(), c.By == ByClerkConfirm && !r.ClerkConfirmed.IsZero():
		return room.Outcome{}, errs.R(errs.Conflict, "booking_confirmed_already")
	case c.By == ByClerkConfirm && r.Staff != c.Actor.Staff && !c.Actor.IsManager():
		return room.Outcome{}, errs.R(errs.Forbidden, "booking_not_yours", "staff", r.Staff)
	}
	ev := RegisterConfirmed{Code: b.Code, By: c.By}
	if c.By == ByClerkConfirm {
		ev.Staff = c.Actor.Staff
	}
	return one(ev), nil
}

// React is what the bookings make of events just applied: the service of
// a checked-in appointment's ticket finished is its line of the 预约服务登记表.
func React(s *State, q *queue.State, events []room.Event) []room.Payload {
	var out []room.Payload
	for _, e := range events {
		f, ok := e.Data.(queue.TicketFinished)
		if !ok {
			continue
		}
		t := q.Tickets[f.Ticket.ID]
		if t == nil || t.Via != queue.ViaBooking {
			continue
		}
		for _, code := range slices.Sorted(maps.Keys(s.Bookings)) {
			b := s.Bookings[code]
			if b.Ticket != t.ID || b.Status != CheckedIn {
				continue
			}
			start := e.At.Add(-time.Duration(f.ServiceS * float64(time.Second)))
			if !t.CalledAt.IsZero() {
				start = t.CalledAt
			}
			out = append(out, BookingServed{Record: Record{Code: code, Service: b.Service, Slot: b.Start, Channel: b.Channel,
				Name: b.Name, Ticket: t.Number, Window: f.Window, Staff: f.Staff, Start: start, End: e.At}})
		}
	}
	return out
}
