package booking

import (
	"time"

	"hallfloor/room"
)

// Made is a booking taken: booked at once in working time, or a request.
type Made struct {
	Booking Booking `json:"booking"`
}

// RequestAccepted is a request accepted by a clerk, with the clerk on duty then.
type RequestAccepted struct {
	Code   string `json:"code"`
	Staff  string `json:"staff"`
	OnDuty string `json:"on_duty"`
}

// RequestDeclined is a request declined, always with its reason (罗山 五).
type RequestDeclined struct {
	Code   string `json:"code"`
	Staff  string `json:"staff"`
	Reason string `json:"reason"`
}

// BookingCancelled is the applicant cancelling.
type BookingCancelled struct {
	Code string `json:"code"`
}

// BookingCheckedIn is the check-in at the kiosk and the ticket it gave.
type BookingCheckedIn struct {
	Code   string `json:"code"`
	Ticket string `json:"ticket"`
}

// MarkedLate marks a booking late: no check-in by LateAfter.
type MarkedLate struct {
	Code string `json:"code"`
}

// ApplicantReached is a late applicant reached by the clerk: no forfeit.
type ApplicantReached struct {
	Code  string `json:"code"`
	Staff string `json:"staff"`
}

// Moved is a reached booking moved to another slot.
type Moved struct {
	Code  string    `json:"code"`
	Staff string    `json:"staff"`
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	Day   string    `json:"day"`
	// Request marks a slot outside normal working time, booked at once
	// since clerk and applicant agreed it.
	Request bool `json:"request,omitempty"`
}

// BookingForfeited is a late applicant the clerk could not reach (自动放弃): the
// ID number's forfeits so far, and whether they now bar it.
type BookingForfeited struct {
	Code     string `json:"code"`
	Service  string `json:"service"`
	Staff    string `json:"staff"`
	IDHash   string `json:"id_hash"`
	Forfeits int    `json:"forfeits"`
	Barred   bool   `json:"barred,omitempty"`
}

// BarLifted is a manager lifting an ID number's bar, with the reason.
type BarLifted struct {
	IDHash string `json:"id_hash"`
	Staff  string `json:"staff"`
	Reason string `json:"reason"`
}

// BookingServed is an appointment's service finished: its line of the
// 预约服务登记表, whole, so the register is filed from the journal alone.
type BookingServed struct {
	Record Record `json:"record"`
}

// RegisterConfirmed is the clerk (Staff) or the applicant confirming a line
// of the 预约服务登记表.
type RegisterConfirmed struct {
	Code  string `json:"code"`
	By    string `json:"by"`
	Staff string `json:"staff,omitempty"`
}

// Reminded is a reminder's moment come: the hall queues its SMS.
type Reminded struct {
	Code   string `json:"code"`
	Notice string `json:"notice"`
}

func (Made) Type() string             { return "booking.made" }
func (RequestAccepted) Type() string  { return "booking.accepted" }
func (RequestDeclined) Type() string  { return "booking.declined" }
func (BookingCancelled) Type() string { return "booking.cancelled" }
func (BookingCheckedIn) Type() string { return "booking.checked_in" }
func (MarkedLate) Type() string       { return "booking.late" }
func (ApplicantReached) Type() string { return "booking.reached" }
func (Moved) Type() string            { return "booking.moved" }
func (BookingForfeited) Type() string { return "booking.forfeited" }
func (BarLifted) Type() string        { return "booking.bar_lifted" }
func (Reminded) Type() string         { return "booking.reminded" }

// Public keeps who booked, and the code that checks them in, off the
// screens: what is left is a slot taken.
func (e Made) Public() room.Payload {
	b := e.Booking
	return Made{Booking: Booking{Service: b.Service, Start: b.Start, End: b.End, Day: b.Day, Request: b.Request, Status: b.Status, Channel: b.Channel}}
}

// The other events name a booking by its code, which checks it in: no
// screen is sent them.
func (RequestAccepted) Public() room.Payload  { return nil }
func (RequestDeclined) Public() room.Payload  { return nil }
func (BookingCancelled) Public() room.Payload { return nil }
func (BookingCheckedIn) Public() room.Payload { return nil }
func (MarkedLate) Public() room.Payload       { return nil }
func (ApplicantReached) Public() room.Payload { return nil }
func (Moved) Public() room.Payload            { return nil }
func (BookingForfeited) Public() room.Payload { return nil }
func (BarLifted) Public() room.Payload        { return nil }
func (Reminded) Public() room.Payload         { return nil }

func init() {
	room.Register[Made]()
	room.Register[RequestAccepted]()
	room.Register[RequestDeclined]()
	room.Register[BookingCancelled]()
	room.Register[BookingCheckedIn]()
	room.Register[MarkedLate]()
	room.Register[ApplicantReached]()
	room.Register[Moved]()
	room.Register[BookingForfeited]()
	room.Register[BarLifted]()
	room.Register[Reminded]()
	room.Register[BookingServed]()
	room.Register[RegisterConfirmed]()
}

func (BookingServed) Type() string     { return "booking.served" }
func (RegisterConfirmed) Type() string { return "booking.register_confirmed" }

func (BookingServed) Public() room.Payload     { return nil }
func (RegisterConfirmed) Public() room.Payload { return nil }
