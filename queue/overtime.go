package queue

import (
	"maps"
	"slices"
	"strconv"
	"time"

	"hallfloor/errs"
)

// 延时办 (罗山): when a session ends, every window with people still waiting
// for its services, or still serving, keeps going until they are done, and
// each service it gives then is registered and confirmed by clerk and
// applicant.

// Why overtime ended.
const (
	OvertimeDone    = "queue_empty" // nobody waits and the last service is finished
	OvertimeSession = "session"     // a new session began: the rest is regular work
	OvertimeClosed  = "closed"      // the clerk signed off
)

// Who confirms an overtime service.
const (
	ByClerk     = "clerk"
	ByApplicant = "applicant"
)

// OvertimeRecord is one line of the 延时服务登记表.
type OvertimeRecord struct {
	ID     string    `json:"id"`
	Window string    `json:"window"`
	Staff  string    `json:"staff"`
	Ticket TicketRef `json:"ticket"`
	Start  time.Time `json:"start"`
	End    time.Time `json:"end"`
	// ClerkConfirmed and ApplicantConfirmed are when each side confirmed.
	ClerkConfirmed     time.Time `json:"clerk_confirmed,omitzero"`
	ApplicantConfirmed time.Time `json:"applicant_confirmed,omitzero"`
}

type OvertimeStarted struct {
	Window     string    `json:"window"`
	Staff      string    `json:"staff"`
	SessionEnd time.Time `json:"session_end"`
	Waiting    int       `json:"waiting"`
}

type OvertimeEnded struct {
	Window string `json:"window"`
	Staff  string `json:"staff"`
	Reason string `json:"reason"`
}

// OvertimeServed registers a service finished while its window was in
// overtime.
type OvertimeServed struct {
	Record OvertimeRecord `json:"record"`
}

type OvertimeConfirmed struct {
	ID     string `json:"id"`
	Window string `json:"window"`
	By     string `json:"by"`    // clerk or applicant
	Staff  string `json:"staff"` // who confirmed, for a clerk
}

func (OvertimeStarted) Type() string   { return "overtime.started" }
func (OvertimeEnded) Type() string     { return "overtime.ended" }
func (OvertimeServed) Type() string    { return "overtime.served" }
func (OvertimeConfirmed) Type() string { return "overtime.confirmed" }

func (e OvertimeServed) Public() Payload {
	e.Record.Ticket.ID = ""
	return e
}

// CheckOvertime puts windows into overtime after a session ends, and out of
// it when a new session starts or they have nobody left.
type CheckOvertime struct{}

// ConfirmOvertime confirms an overtime service: By clerk (Actor) or by the
// applicant at the window's evaluator. Record may be empty: the clerk then
// confirms the window's latest unconfirmed record, the applicant the one
// the evaluator shows.
type ConfirmOvertime struct {
	Window string
	Record string
	By     string
	Actor  Actor
}

func (CheckOvertime) command()   {}
func (ConfirmOvertime) command() {}

func (CheckOvertime) decideDay(s *State, setup *Setup, now time.Time) (Outcome, error) {
	return Outcome{Events: checkOvertime(s, setup, now)}, nil
}

// checkOvertime is the overtime job as a function of (state, now).
func checkOvertime(s *State, setup *Setup, now time.Time) []Payload {
	var out []Payload
	cal := setup.Calendar
	if cal.Open(now) {
		for _, ws := range setup.Windows {
			if w := s.Windows[ws.ID]; w.Overtime {
				out = append(out, OvertimeEnded{Window: ws.ID, Staff: w.Staff, Reason: OvertimeSession})
			}
		}
		return out
	}
	end, ended := cal.LastEnd(now)
	for _, ws := range setup.Windows {
		w := s.Windows[ws.ID]
		waiting := s.WindowWaiting(setup, ws.ID)
		busy := w.State != Closed && (w.Current != "" || waiting > 0)
		switch {
		case !w.Overtime && busy && ended:
			out = append(out, OvertimeStarted{Window: ws.ID, Staff: w.Staff, SessionEnd: end, Waiting: waiting})
		case w.Overtime && !busy:
			reason := OvertimeDone
			if w.State == Closed {
				reason = OvertimeClosed
			}
			out = append(out, OvertimeEnded{Window: ws.ID, Staff: w.Staff, Reason: reason})
		}
	}
	return out
}

// WindowWaiting is how many tickets the window could call now.
func (s *State) WindowWaiting(setup *Setup, id string) int {
	ws := setup.Window(id)
	if ws == nil {
		return 0
	}
	n := len(s.Windows[id].Line)
	for _, code := range ws.Services {
		st := s.Services[code]
		n += len(st.Line) + len(st.Priority)
	}
	return n
}

func (c ConfirmOvertime) decideDay(s *State, setup *Setup, now time.Time) (Outcome, error) {
	if setup.Window(c.Window) == nil {
		return Outcome{}, errs.E(errs.NotFound, "no window %q in this hall", c.Window)
	}
	w := s.Windows[c.Window]
	var rec *OvertimeRecord
	switch c.By {
	case ByApplicant:
		if w.OvertimeConfirm == "" || (c.Record != "" && c.Record != w.OvertimeConfirm) {
			return Outcome{}, errs.E(errs.Conflict, "no overtime service waits for the applicant's confirmation at window %s", c.Window)
		}
		rec = s.OvertimeLog[w.OvertimeConfirm]
		if !rec.ApplicantConfirmed.IsZero() {
			return Outcome{}, errs.E(errs.Conflict, "overtime service %s is confirmed already", rec.ID)
		}
	case ByClerk:
		if c.Actor.Staff == "" {
			return Outcome{}, errs.E(errs.Unauthorized, "sign in to confirm an overtime service")
		}
		if c.Record != "" {
			rec = s.OvertimeLog[c.Record]
			if rec == nil || rec.Window != c.Window {
				return Outcome{}, errs.E(errs.NotFound, "no overtime service %q at window %s today", c.Record, c.Window)
			}
			if !rec.ClerkConfirmed.IsZero() {
				return Outcome{}, errs.E(errs.Conflict, "overtime service %s is confirmed already", rec.ID)
			}
		} else {
			// The latest one the clerk has not confirmed.
			for _, id := range slices.Sorted(maps.Keys(s.OvertimeLog)) {
				r := s.OvertimeLog[id]
				if r.Window == c.Window && r.ClerkConfirmed.IsZero() && (rec == nil || r.End.After(rec.End)) {
					rec = r
				}
			}
			if rec == nil {
				return Outcome{}, errs.E(errs.Conflict, "no overtime service at window %s waits for the clerk's confirmation", c.Window)
			}
		}
		if rec.Staff != c.Actor.Staff && !c.Actor.Manager {
			return Outcome{}, errs.E(errs.Forbidden, "overtime service %s was given by staff %s", rec.ID, rec.Staff)
		}
	default:
		return Outcome{}, errs.Field("by", "an overtime service is confirmed by the clerk or the applicant")
	}
	return Outcome{Events: []Payload{OvertimeConfirmed{ID: rec.ID, Window: c.Window, By: c.By, Staff: c.Actor.Staff}}}, nil
}

// afterOvertime completes an outcome with what overtime makes of it: each
// service finished at a window in overtime is registered, and a window whose
// line the outcome empties, with its service finished, leaves overtime in
// the same breath.
func afterOvertime(s *State, setup *Setup, out Outcome, now time.Time) Outcome {
	inOvertime := false
	for _, w := range s.Windows {
		inOvertime = inOvertime || w.Overtime
	}
	if !inOvertime {
		return out
	}
	n := s.OvertimeSeq
	for _, ev := range out.Events {
		f, ok := ev.(TicketFinished)
		if !ok || !s.Windows[f.Window].Overtime {
			continue
		}
		n++
		start := now.Add(-time.Duration(f.ServiceS * float64(time.Second)))
		if t := s.Tickets[f.Ticket.ID]; t != nil && !t.CalledAt.IsZero() {
			start = t.CalledAt
		}
		out.Events = append(out.Events, OvertimeServed{Record: OvertimeRecord{
			ID: "OT" + strconv.FormatUint(n, 10), Window: f.Window, Staff: f.Staff,
			Ticket: f.Ticket, Start: start, End: now,
		}})
	}
	out.Events = append(out.Events, overtimeEnds(s, setup, out.Events)...)
	return out
}

// overtimeEnds works out, without applying them, what events leave each
// window in overtime with: whether it still serves and how many it could
// still call.
func overtimeEnds(s *State, setup *Setup, events []Payload) []Payload {
	svc := map[string]int{}     // change in each service's lines
	line := map[string]int{}    // change in each window's own line
	cur := map[string]bool{}    // serving after the events, where they changed it
	closed := map[string]bool{} // signed off by the events
	done := map[string]bool{}   // already out of overtime by the events
	dequeue := func(id string) {
		t := s.Tickets[id]
		switch {
		case t == nil || t.Status != Waiting:
		case t.Target != "":
			line[t.Target]--
		default:
			svc[t.Service]--
		}
	}
	for _, ev := range events {
		switch p := ev.(type) {
		case TicketIssued:
			svc[p.Ticket.Service]++
		case TicketCalled:
			dequeue(p.Ticket.ID)
			cur[p.Window] = true
		case TicketCancelled:
			dequeue(p.Ticket.ID)
		case TicketFinished:
			cur[p.Window] = false
		case TicketSkipped:
			cur[p.Window] = false
		case TicketTransferred:
			cur[p.FromWindow] = false
			if p.ToWindow != "" {
				line[p.ToWindow]++
			} else {
				svc[p.ToService]++
			}
		case TicketRequeued:
			svc[p.Ticket.Service]++
		case WindowClosed:
			closed[p.Window] = true
		case OvertimeEnded:
			done[p.Window] = true
		}
	}
	var out []Payload
	for _, ws := range setup.Windows {
		w := s.Windows[ws.ID]
		if !w.Overtime || done[ws.ID] {
			continue
		}
		if closed[ws.ID] {
			out = append(out, OvertimeEnded{Window: ws.ID, Staff: w.Staff, Reason: OvertimeClosed})
			continue
		}
		serving := w.Current != ""
		if v, ok := cur[ws.ID]; ok {
			serving = v
		}
		waiting := s.WindowWaiting(setup, ws.ID) + line[ws.ID]
		for _, code := range ws.Services {
			waiting += svc[code]
		}
		if !serving && waiting <= 0 {
			out = append(out, OvertimeEnded{Window: ws.ID, Staff: w.Staff, Reason: OvertimeDone})
		}
	}
	return out
}

func (s *State) applyOvertime(e Event) {
	switch p := e.Data.(type) {
	case OvertimeStarted:
		w := s.Windows[p.Window]
		w.Overtime, w.OvertimeSince = true, e.At
	case OvertimeEnded:
		w := s.Windows[p.Window]
		w.Overtime, w.OvertimeSince = false, time.Time{}
	case OvertimeServed:
		r := p.Record
		if s.OvertimeLog == nil {
			s.OvertimeLog = map[string]*OvertimeRecord{}
		}
		s.OvertimeLog[r.ID] = &r
		s.OvertimeSeq++
		s.Windows[r.Window].OvertimeConfirm = r.ID
	case OvertimeConfirmed:
		r := s.OvertimeLog[p.ID]
		if r == nil {
			return
		}
		if p.By == ByApplicant {
			r.ApplicantConfirmed = e.At
			if w := s.Windows[p.Window]; w.OvertimeConfirm == p.ID {
				w.OvertimeConfirm = ""
			}
		} else {
			r.ClerkConfirmed = e.At
		}
	case DayStarted:
		// The register is filed from the journal; today's confirmations are
		// asked for today only.
		s.OvertimeLog = nil
		for _, w := range s.Windows {
			w.OvertimeConfirm = ""
		}
	}
}
