package overtime

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"hallfloor/calendar"
	"hallfloor/errs"
	"hallfloor/queue"
	"hallfloor/room"
)

// Command is a request to the overtime room.
type Command interface{ overtimeCommand() }

// Check puts windows into overtime after a session ends, and out of it when
// a new session starts or they have nobody left.
type Check struct{}

// Confirm confirms an overtime service: By clerk (Actor) or by the
// applicant at the window's evaluator. Record may be empty: the clerk then
// confirms the window's latest unconfirmed record, the applicant the one
// the evaluator shows.
type Confirm struct {
	Window string
	Record string
	By     string
	Actor  room.Actor
}

// RemindHandover sends the handover reminder if the last half hour of a
// session has begun and it has not been sent for this session.
type RemindHandover struct{}

func (Check) overtimeCommand()          {}
func (Confirm) overtimeCommand()        {}
func (RemindHandover) overtimeCommand() {}

// Decide checks a command against the overtime and the queue.
func Decide(s *State, cal *calendar.Calendar, q *queue.State, qs *queue.Setup, cmd Command, env room.Env) (room.Outcome, error) {
	switch c := cmd.(type) {
	case Check:
		return room.Outcome{Events: Due(s, cal, q, qs, env.Now)}, nil
	case RemindHandover:
		return room.Outcome{Events: HandoverDue(s, cal, q, qs, env.Now)}, nil
	case Confirm:
		return decideConfirm(s, qs, c)
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "overtime: unknown command %T", cmd)
}

// Due is the overtime job as a function of (state, now).
func Due(s *State, cal *calendar.Calendar, q *queue.State, qs *queue.Setup, now time.Time) []room.Payload {
	var out []room.Payload
	if cal.Open(now) {
		for _, ws := range qs.Windows {
			if s.In(ws.ID) {
				out = append(out, Ended{Window: ws.ID, Staff: s.staff(ws.ID, q), Reason: EndSession})
			}
		}
		return out
	}
	end, ended := cal.LastEnd(now)
	for _, ws := range qs.Windows {
		w := q.Windows[ws.ID]
		waiting := q.WindowWaiting(qs, ws.ID)
		busy := w.State != queue.Closed && (w.Current != "" || waiting > 0)
		switch {
		case !s.In(ws.ID) && busy && ended:
			out = append(out, Started{Window: ws.ID, Staff: w.Staff, SessionEnd: end, Waiting: waiting})
		case s.In(ws.ID) && !busy:
			reason := EndDone
			if w.State == queue.Closed {
				reason = EndClosed
			}
			out = append(out, Ended{Window: ws.ID, Staff: s.staff(ws.ID, q), Reason: reason})
		}
	}
	return out
}

// staff is who a window's overtime names: the clerk signed on now, or, at
// a window nobody is signed on to, the one who was when it started.
func (s *State) staff(window string, q *queue.State) string {
	if w := q.Windows[window]; w != nil && w.Staff != "" {
		return w.Staff
	}
	if w := s.Windows[window]; w != nil {
		return w.Staff
	}
	return ""
}

// React is what overtime makes of events just applied, read from the state
// they led to: each service finished at a window in overtime is registered,
// and a window in overtime that signed off, or has nobody left to serve,
// leaves overtime.
func React(s *State, q *queue.State, qs *queue.Setup, events []room.Event) []room.Payload {
	if len(s.Windows) == 0 {
		return nil
	}
	var out []room.Payload
	n := s.Seq
	for _, e := range events {
		f, ok := e.Data.(queue.TicketFinished)
		if !ok || !s.In(f.Window) {
			continue
		}
		n++
		start := e.At.Add(-time.Duration(f.ServiceS * float64(time.Second)))
		if t := q.Tickets[f.Ticket.ID]; t != nil && !t.CalledAt.IsZero() {
			start = t.CalledAt
		}
		out = append(out, Served{Record: Record{
			ID: "OT" + strconv.FormatUint(n, 10), Window: f.Window, Staff: f.Staff,
			Ticket: f.Ticket, Start: start, End: e.At,
		}})
	}
	for _, ws := range qs.Windows {
		if !s.In(ws.ID) {
			continue
		}
		w := q.Windows[ws.ID]
		switch {
		case w.State == queue.Closed:
			out = append(out, Ended{Window: ws.ID, Staff: lastStaff(events, ws.ID), Reason: EndClosed})
		case w.Current == "" && q.WindowWaiting(qs, ws.ID) == 0:
			out = append(out, Ended{Window: ws.ID, Staff: w.Staff, Reason: EndDone})
		}
	}
	return out
}

// lastStaff is who signed a window off in events: a closed window no longer
// says.
func lastStaff(events []room.Event, window string) string {
	for _, e := range slices.Backward(events) {
		if c, ok := e.Data.(queue.WindowClosed); ok && c.Window == window {
			return c.Staff
		}
	}
	return ""
}

func decideConfirm(s *State, qs *queue.Setup, c Confirm) (room.Outcome, error) {
	if qs.Window(c.Window) == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_window", "window", c.Window)
	}
	var rec *Record
	switch c.By {
	case ByApplicant:
		id := s.Confirm[c.Window]
		if id == "" || (c.Record != "" && c.Record != id) {
			return room.Outcome{}, errs.R(errs.Conflict, "overtime_nothing_to_confirm", "window", c.Window)
		}
		rec = s.Log[id]
		if !rec.ApplicantConfirmed.IsZero() {
			return room.Outcome{}, errs.R(errs.Conflict, "overtime_confirmed_already", "id", rec.ID)
		}
	case ByClerk:
		if !c.Actor.Staffed() {
			return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
		}
		if c.Record != "" {
			rec = s.Log[c.Record]
			if rec == nil || rec.Window != c.Window {
				return room.Outcome{}, errs.R(errs.NotFound, "no_overtime_record", "id", c.Record, "window", c.Window)
			}
			if !rec.ClerkConfirmed.IsZero() {
				return room.Outcome{}, errs.R(errs.Conflict, "overtime_confirmed_already", "id", rec.ID)
			}
		} else {
			// The latest one the clerk has not confirmed.
			for _, id := range slices.Sorted(maps.Keys(s.Log)) {
				r := s.Log[id]
				if r.Window == c.Window && r.ClerkConfirmed.IsZero() && (rec == nil || r.End.After(rec.End)) {
					rec = r
				}
			}
			if rec == nil {
				return room.Outcome{}, errs.R(errs.Conflict, "overtime_nothing_to_confirm", "window", c.Window)
			}
		}
		if rec.Staff != c.Actor.Staff && !c.Actor.IsManager() {
			return room.Outcome{}, errs.R(errs.Forbidden, "overtime_not_yours", "id", rec.ID, "staff", rec.Staff)
		}
	default:
		return room.Outcome{}, errs.Bad("by", "overtime_confirm_by")
	}
	return room.Outcome{Events: []room.Payload{Confirmed{ID: rec.ID, Window: c.Window, By: c.By, Staff: c.Actor.Staff}}}, nil
}
