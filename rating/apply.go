package rating

import (
	"hallfloor/queue"
	"hallfloor/room"
)

// Apply changes the ratings by one event; other rooms' events leave them as
// they are, but for the new day.
func (s *State) Apply(e room.Event) {
	switch p := e.Data.(type) {
	case PromptOpened:
		s.Prompts[p.Window] = &Prompt{Ticket: p.Ticket, Staff: p.Staff, OpenedAt: e.At}
	case Chosen:
		if pr := s.Prompts[p.Window]; pr != nil && pr.Ticket.ID == p.Ticket.ID {
			pr.Chosen = p.Level
		}
	case Given:
		if p.Second {
			if f := s.FollowUps[p.FollowUp]; f != nil {
				f.SecondLevel = p.Level
			}
			break
		}
		s.Rated[p.Ticket.ID] = p.Level
		s.closePrompt(p.Window, p.Ticket.ID)
	case Linked:
		if _, ok := s.Cases[p.Ticket.ID]; !ok {
			s.Cases[p.Ticket.ID] = p.Case
		}
	case Expired:
		s.closePrompt(p.Window, p.Ticket.ID)
	case FollowUpOpened:
		f := p.FollowUp
		s.FollowUps[f.ID] = &f
		s.FollowUpSeq++
	case FollowUpOverdue:
		if f := s.FollowUps[p.ID]; f != nil {
			f.Overdue = true
		}
	case FollowUpClosed:
		if f := s.FollowUps[p.ID]; f != nil {
			f.Action, f.Outcome, f.ClosedBy, f.ClosedAt = p.Action, p.Outcome, p.By, e.At
			if f.ReasonPending && p.Reason != "" {
				f.Reason, f.ReasonPending = p.Reason, false
			}
			f.SecondToken, f.SecondBy = p.SecondToken, p.SecondBy
		}
	case queue.DayStarted:
		// Yesterday's services leave memory, and so do their prompts and
		// ratings; a follow-up stays until it is closed and a day has passed,
		// or, rectified, until its second rating is given or its time is up.
		clear(s.Prompts)
		clear(s.Rated)
		clear(s.Cases)
		for id, f := range s.FollowUps {
			if !f.Open() && !f.AwaitsSecond(e.At) {
				delete(s.FollowUps, id)
			}
		}
	}
}

func (s *State) closePrompt(window, ticket string) {
	if p := s.Prompts[window]; p != nil && p.Ticket.ID == ticket {
		delete(s.Prompts, window)
	}
}
