package server

import (
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/sms"
)

// reminders seals the two SMS a citizen who gave a phone at the kiosk is
// promised (叫号前短信提醒): a few people before their turn, and when called.
// Only the phone is sealed in them; the hall decides when each goes and
// words it from the hall file.
func (s *Server) reminders(cmd queue.IssueTicket) (hall.Command, error) {
	if cmd.Phone == "" {
		return cmd, nil
	}
	near, err := s.notice(sms.PurposeTicketNear, sms.Envelope{To: cmd.Phone})
	if err != nil {
		return nil, errs.Wrap(err, "seal the reminder")
	}
	called, err := s.notice(sms.PurposeTicketCalled, sms.Envelope{To: cmd.Phone})
	if err != nil {
		return nil, errs.Wrap(err, "seal the reminder")
	}
	return hall.IssueTicket{Ticket: cmd, Near: near, Called: called}, nil
}
