package booking

import (
	"time"

	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

// Status is where a booking is in its life.
type Status string

const (
	Requested Status = "requested"  // outside working time: waits for a clerk
	Booked    Status = "booked"     // confirmed, waits for the check-in
	Declined  Status = "declined"   // a clerk declined the request, with a reason
	Cancelled Status = "cancelled"  // the applicant cancelled
	CheckedIn Status = "checked_in" // the kiosk gave its ticket
	Late      Status = "late"       // no check-in by LateAfter: the clerk calls the applicant
	Reached   Status = "reached"    // late, and the clerk reached the applicant
	Forfeited Status = "forfeited"  // late and unreachable: 自动放弃
	Served    Status = "served"     // its ticket's service finished: a line of the 预约服务登记表
)

// Live reports whether a booking still holds its slot.
func (st Status) Live() bool {
	return st == Requested || st == Booked || st == CheckedIn || st == Late || st == Reached
}

// Channels a booking is taken through.
const (
	Online  = "online" // the applicant, on the phone page
	ByClerk = "clerk"  // a clerk, for a booking by phone or at the window (预约服务登记表)
)

// Purposes of the SMS a booking sends; the edge seals one of each when the
// booking is made, and the hall queues each at its moment.
const (
	NoticeConfirmed = "booking.confirmed" // the booking, with its code
	NoticeRequested = "booking.requested" // a request received, waiting for a clerk
	NoticeAccepted  = "booking.accepted"
	NoticeDeclined  = "booking.declined"
	NoticeDay       = "booking.remind_day"  // the day before
	NoticeSoon      = "booking.remind_soon" // two hours before
	NoticeForfeited = "booking.forfeited"
)

// Booking is one appointment.
type Booking struct {
	Code    string    `json:"code"`
	Service string    `json:"service"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	Day     string    `json:"day"`
	Request bool      `json:"request,omitempty"`
	Status  Status    `json:"status"`
	// IDHash is the protected ID number; Name and Phone are for the clerk
	// who calls a late applicant, never for a screen.
	IDHash  string `json:"id_hash"`
	Name    string `json:"name,omitempty"`
	Phone   string `json:"phone,omitempty"`
	Channel string `json:"channel"`
	// Clerk entered a booking taken by phone or at the window.
	Clerk  string    `json:"clerk,omitempty"`
	Booked time.Time `json:"booked"`
	// DecidedBy accepted or declined a request, Reason is why it was
	// declined; OnDuty is the clerk on duty for an accepted request.
	DecidedBy string `json:"decided_by,omitempty"`
	OnDuty    string `json:"on_duty,omitempty"`
	Reason    string `json:"reason,omitempty"`
	Ticket    string `json:"ticket,omitempty"` // the ticket of the check-in
	// Reminded are the reminders already queued for the current slot, by
	// purpose; a move clears them, so the new slot is reminded of again.
	Reminded map[string]bool `json:"reminded,omitempty"`
	// Moves counts the moves to another slot, MovedAt is the last one.
	Moves   int       `json:"moves,omitempty"`
	MovedAt time.Time `json:"moved_at,omitzero"`
	// Notices are the sealed SMS of the booking, by purpose.
	Notices map[string]outbox.Queued `json:"notices,omitempty"`
	// ReachedBy is the clerk who reached a late applicant, or found them
	// unreachable.
	ReachedBy string `json:"reached_by,omitempty"`
	// Record is the booking's line of the 预约服务登记表, once served.
	Record *Record `json:"record,omitempty"`
}

// Record is one line of the 预约服务登记表: the appointment served, where,
// by whom and when, confirmed by clerk and applicant.
type Record struct {
	Code    string    `json:"code"`
	Service string    `json:"service"`
	Slot    time.Time `json:"slot"`
	Channel string    `json:"channel"`
	Name    string    `json:"name"`
	Ticket  string    `json:"ticket"` // the number it was served under (A012)
	Window  string    `json:"window"`
	Staff   string    `json:"staff"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
	// ClerkConfirmed and ApplicantConfirmed are when each side confirmed.
	ClerkConfirmed     time.Time `json:"clerk_confirmed,omitzero"`
	ApplicantConfirmed time.Time `json:"applicant_confirmed,omitzero"`
}

// Bar is an ID number's forfeits and whether they bar it from booking.
type Bar struct {
	Forfeits int  `json:"forfeits"`
	Barred   bool `json:"barred,omitempty"`
}

// State is the hall's bookings.
type State struct {
	Bookings map[string]*Booking `json:"bookings"`
	// Bars are the forfeits per protected ID number.
	Bars map[string]*Bar `json:"bars,omitempty"`
	// Confirm is, per window, the booking whose register line its
	// evaluator asks the applicant to confirm.
	Confirm map[string]string `json:"confirm,omitempty"`
	// Roster are the duties managers put on the roster, by date.
	Roster map[string][]Duty `json:"roster,omitempty"`
}

// NewState is a hall without bookings.
func NewState() *State {
	s := &State{}
	s.Adopt()
	return s
}

// Adopt fills in the maps a state restored from a snapshot may lack.
func (s *State) Adopt() {
	if s.Bookings == nil {
		s.Bookings = map[string]*Booking{}
	}
	if s.Bars == nil {
		s.Bars = map[string]*Bar{}
	}
	if s.Confirm == nil {
		s.Confirm = map[string]string{}
	}
	if s.Roster == nil {
		s.Roster = map[string][]Duty{}
	}
}

// Barred reports whether an ID number may not book.
func (s *State) Barred(idHash string) bool {
	b := s.Bars[idHash]
	return b != nil && b.Barred
}

// Taken is how many live bookings hold a service's slot.
func (s *State) Taken(service string, start time.Time) int {
	n := 0
	for _, b := range s.Bookings {
		if b.Service == service && b.Start.Equal(start) && b.Status.Live() {
			n++
		}
	}
	return n
}

// Apply changes the bookings by one event.
func (s *State) Apply(e room.Event) {
	switch p := e.Data.(type) {
	case Made:
		b := p.Booking
		b.Booked = e.At
		if b.Status == "" {
			b.Status = Booked
		}
		s.Bookings[b.Code] = &b
	case RequestAccepted:
		if b := s.Bookings[p.Code]; b != nil {
			b.Status, b.DecidedBy, b.OnDuty = Booked, p.Staff, p.OnDuty
		}
	case RequestDeclined:
		if b := s.Bookings[p.Code]; b != nil {
			b.Status, b.DecidedBy, b.Reason = Declined, p.Staff, p.Reason
		}
	case BookingCancelled:
		if b := s.Bookings[p.Code]; b != nil {
			b.Status = Cancelled
		}
	case BookingCheckedIn:
		if b := s.Bookings[p.Code]; b != nil {
			b.Status, b.Ticket = CheckedIn, p.Ticket
		}
	case MarkedLate:
		if b := s.Bookings[p.Code]; b != nil {
			b.Status = Late
		}
	case ApplicantReached:
		if b := s.Bookings[p.Code]; b != nil {
			b.Status, b.ReachedBy = Reached, p.Staff
		}
	case Moved:
		if b := s.Bookings[p.Code]; b != nil {
			b.Status, b.Start, b.End, b.Day, b.Request = Booked, p.Start, p.End, p.Day, p.Request
			b.ReachedBy = p.Staff
			// The new slot has its own reminders, sent under new ids (a
			// message goes once under its id).
			b.Moves++
			b.MovedAt = e.At
			b.Reminded = nil
		}
	case BookingForfeited:
		if b := s.Bookings[p.Code]; b != nil {
			b.Status, b.ReachedBy = Forfeited, p.Staff
			s.Bars[b.IDHash] = &Bar{Forfeits: p.Forfeits, Barred: p.Barred}
		}
	case RosterPut:
		s.Roster[p.Duty.Date] = append(s.Roster[p.Duty.Date], p.Duty)
	case BarLifted:
		delete(s.Bars, p.IDHash)
	case BookingServed:
		if b := s.Bookings[p.Record.Code]; b != nil {
			r := p.Record
			b.Status, b.Record = Served, &r
			s.Confirm[r.Window] = r.Code
		}
	case RegisterConfirmed:
		if b := s.Bookings[p.Code]; b != nil && b.Record != nil {
			if p.By == ByApplicant {
				b.Record.ApplicantConfirmed = e.At
				if w := b.Record.Window; s.Confirm[w] == p.Code {
					delete(s.Confirm, w)
				}
			} else {
				b.Record.ClerkConfirmed = e.At
			}
		}
	case Reminded:
		if b := s.Bookings[p.Code]; b != nil {
			if b.Reminded == nil {
				b.Reminded = map[string]bool{}
			}
			b.Reminded[p.Notice] = true
		}
	case queue.DayStarted:
		// Past days' bookings are done and filed in the journal; a late one
		// stays until the clerk has said whether its applicant was reached.
		// Today's confirmations are asked for today only.
		clear(s.Confirm)
		for day := range s.Roster {
			if day < p.Day {
				delete(s.Roster, day)
			}
		}
		for code, b := range s.Bookings {
			if b.Day < p.Day && b.Status != Late {
				delete(s.Bookings, code)
			}
		}
	}
}
