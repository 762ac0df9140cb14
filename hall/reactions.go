package hall

import (
	"hallfloor/booking"
	"hallfloor/cases"
	"hallfloor/consult"
	"hallfloor/envelope"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// react is every consequence one room's events have in another, read from
// the state after they applied, never predicted:
//
//   - a finished service opens the evaluator's question at its window (好差评:
//     staff prompt, the applicant may answer or not), and the window's next
//     call closes it, so the pad never asks the next person about the one
//     before (a level already chosen stays as the rating);
//   - a service finished at a window in overtime is registered, and a window
//     in overtime with nobody left to serve, or signed off, leaves overtime
//     (罗山 延时办);
//   - a ticket near the front, or called, sends its holder the SMS held for
//     that moment (reminders.go);
//   - a 咨询号 of a department's service notifies the department's staff on
//     duty, on their page and by SMS (台州 三(二));
//   - a case opened at a window serving a 收件号, or delivered at an output
//     window serving a 取件号, is the case of that service's rating
//     (ratings_link.go);
//   - an event of a class a push subscribes (the 好差评 platform, a
//     webhook) queues its signed delivery in the outbox (pushes.go);
//   - a booking made, accepted, declined, reminded of or forfeited sends
//     the applicant the SMS sealed for it (bookings.go), and an
//     appointment's ticket served is its line of the 预约服务登记表;
//   - a case's result ready, a 补正通知 or a refusal sends the applicant the
//     SMS sealed at Open, and a ready case's result stored in a locker,
//     taken out by the applicant or back by a clerk moves the case
//     (cases_output.go);
//   - a 免跑腿信封's submission reviewed sends the applicant the SMS sealed
//     at issue: passed, or rejected with the reason and the link
//     (envelope.React).
func react(s *State, setup *Setup, events []room.Event) []room.Payload {
	var out []room.Payload
	for _, e := range events {
		switch p := e.Data.(type) {
		case queue.TicketFinished:
			out = append(out, rating.PromptOpened{Ticket: p.Ticket, Window: p.Window, Staff: p.Staff, Case: s.Ratings.CaseOf(p.Ticket.ID)})
		case queue.TicketCalled:
			out = append(out, rating.NextCalled(s.Ratings, setup.Ratings, p.Window, p.Ticket.ID, e.At)...)
		}
	}
	out = append(out, overtime.React(s.Overtime, s.Queue, setup.Queue, events)...)
	out = append(out, remind(s, setup, events)...)
	out = append(out, consult.React(s.Consults, setup.Consults, events)...)
	out = append(out, bookingNotices(s, setup, events)...)
	out = append(out, booking.React(s.Bookings, s.Queue, events)...)
	out = append(out, cases.React(s.Cases, events)...)
	out = append(out, caseNotices(s, setup, events)...)
	out = append(out, envelope.React(s.Envelopes, setup.Cases, events)...)
	out = append(out, caseLinks(s, events)...)
	out = append(out, pushes(s, setup, events)...)
	return out
}
