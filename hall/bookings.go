package hall

import (
	"maps"
	"strconv"
	"time"

	"hallfloor/booking"
	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

// Words a booking's SMS carries in its Vars; the code itself is sealed in
// the message by the edge that drew it.
const (
	VarService = "service" // the service's name
	VarStart   = "start"   // the slot's start, RFC 3339; worded in the hall's zone when sent
	VarReason  = "reason"  // why a request was declined
)

// decideBooking routes a command to the bookings room; a check-in also
// issues its ticket, in the same command, ahead of walk-ins (Via booking):
// the booking is checked in only if the queue takes the ticket.
func decideBooking(s *State, setup *Setup, c booking.Command, env room.Env) (room.Outcome, error) {
	out, err := booking.Decide(s.Bookings, setup.Bookings, c, env)
	if err != nil {
		return room.Outcome{}, err
	}
	if _, ok := c.(booking.CheckIn); !ok {
		return out, nil
	}
	ci := out.Events[0].(booking.BookingCheckedIn)
	b := s.Bookings.Bookings[ci.Code]
	q, err := queue.IssueVia(s.Queue, setup.Queue, queue.IssueTicket{
		ID: ci.Ticket, Service: b.Service, IDHash: b.IDHash, Phone: b.Phone, Via: queue.ViaBooking,
	}, env)
	if err != nil {
		return room.Outcome{}, err
	}
	if q.Ticket != ci.Ticket {
		return room.Outcome{}, errs.Internalf("ticket_id_reused", "hall: check-in ticket %s issued as %s", ci.Ticket, q.Ticket)
	}
	return room.Outcome{Ticket: q.Ticket, Events: append(q.Events, ci)}, nil
}

// bookingNotices queues the SMS sealed with a booking for the moment its
// events bring: the confirmation with the code (or the request received),
// the request accepted or declined, each reminder (again for a moved
// booking's new slot), the forfeit.
func bookingNotices(s *State, setup *Setup, events []room.Event) []room.Payload {
	var out []room.Payload
	for _, e := range events {
		var code, notice string
		vars := map[string]string{}
		switch p := e.Data.(type) {
		case booking.Made:
			code, notice = p.Booking.Code, booking.NoticeConfirmed
			if p.Booking.Status == booking.Requested {
				notice = booking.NoticeRequested
			}
		case booking.RequestAccepted:
			code, notice = p.Code, booking.NoticeAccepted
		case booking.RequestDeclined:
			code, notice = p.Code, booking.NoticeDeclined
			vars[VarReason] = p.Reason
		case booking.Reminded:
			code, notice = p.Code, p.Notice
		case booking.BookingForfeited:
			code, notice = p.Code, booking.NoticeForfeited
		default:
			continue
		}
		b := s.Bookings.Bookings[code]
		if b == nil {
			continue
		}
		m, ok := b.Notices[notice]
		if !ok {
			continue // no phone given, or the edge sealed none for it
		}
		m.Purpose = notice
		m.Vars = maps.Clone(m.Vars)
		if m.Vars == nil {
			m.Vars = map[string]string{}
		}
		if _, ok := e.Data.(booking.Reminded); ok && b.Moves > 0 {
			// A moved booking's reminders are new messages: the sealed one
			// went, or would go, under its own id for the old slot, and a
			// seal is bound to its id. A reminder holds no secret; it goes
			// to the phone the booking was made with.
			m.ID, m.Sealed = m.ID+"."+strconv.Itoa(b.Moves), nil
			m.Vars[outbox.VarPhone] = b.Phone
		}
		maps.Copy(m.Vars, vars)
		m.Vars[VarService], m.Vars[VarStart] = b.Service, b.Start.Format(time.RFC3339)
		if sv := setup.Queue.Service(b.Service); sv != nil {
			m.Vars[VarService] = sv.Name
		}
		out = append(out, m)
	}
	return out
}
