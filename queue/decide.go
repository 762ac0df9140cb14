package queue

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
)

// Actor is who gives a command at a window.
type Actor struct {
	Staff   string
	Manager bool // a manager may act at any window
}

// Command is a request to change the hall.
type Command interface{ command() }

// IssueTicket takes a number. ID is chosen by the caller (unguessable);
// IDHash is the protected form of the holder's ID number, if given.
type IssueTicket struct {
	ID       string
	Service  string
	IDHash   string
	Phone    string
	Priority bool
}

type OpenWindow struct {
	Window string
	Actor  Actor
}

type CloseWindow struct {
	Window string
	Actor  Actor
}

// CallNext finishes the window's current service, if any, and calls the
// best waiting ticket; a window with only a "next" button works this way.
type CallNext struct {
	Window string
	Actor  Actor
}

type Recall struct {
	Window string
	Actor  Actor
}

type Skip struct {
	Window string
	Actor  Actor
}

type Finish struct {
	Window string
	Actor  Actor
}

type Pause struct {
	Window string
	Actor  Actor
	Reason string
}

type Resume struct {
	Window string
	Actor  Actor
}

// TogglePause is a caller's single pause key: it resumes a paused window
// and pauses any other, for Reason.
type TogglePause struct {
	Window string
	Actor  Actor
	Reason string
}

// Transfer sends the window's current ticket to another service or to a
// specific window; exactly one of ToService and ToWindow is set.
type Transfer struct {
	Window    string
	Actor     Actor
	ToService string
	ToWindow  string
}

// Requeue puts a no-show ticket back in line, behind those waiting now.
type Requeue struct {
	Ticket string
	Actor  Actor
}

// CancelTicket is the holder giving up a waiting ticket.
type CancelTicket struct {
	Ticket string
}

// Tick lets time pass: it decides nothing itself, but like every command it
// starts a new day first when one is due.
type Tick struct{}

func (Tick) command()         {}
func (IssueTicket) command()  {}
func (OpenWindow) command()   {}
func (CloseWindow) command()  {}
func (CallNext) command()     {}
func (Recall) command()       {}
func (Skip) command()         {}
func (Finish) command()       {}
func (Pause) command()        {}
func (Resume) command()       {}
func (TogglePause) command()  {}
func (Transfer) command()     {}
func (Requeue) command()      {}
func (CancelTicket) command() {}

// Outcome is what a command decided: the events to journal and the ticket
// the answer is about, if any.
type Outcome struct {
	Events []Payload
	Ticket string
	// Refusal refuses the command although Events are recorded: a wrong
	// pickup code is refused, and the wrong try is kept for the lockout.
	Refusal error
}

// Rollover returns the event that starts a new day if now is past the
// state's day, or nil.
func Rollover(s *State, setup *Setup, now time.Time) Payload {
	day := setup.Day(now)
	if day == s.Day {
		return nil
	}
	ev := DayStarted{Day: day}
	for _, t := range s.Tickets {
		if t.Status == Waiting {
			ev.Cancelled = append(ev.Cancelled, t.ID)
		}
	}
	slices.Sort(ev.Cancelled)
	return ev
}

// Decide checks a command against the state and the hall's rules and returns
// what happens. It changes nothing; an error means nothing happens.
func Decide(s *State, setup *Setup, cmd Command, now time.Time) (Outcome, error) {
	out, err := decide(s, setup, cmd, now)
	if err != nil {
		return Outcome{}, err
	}
	return afterDecide(s, setup, out, now), nil
}

func decide(s *State, setup *Setup, cmd Command, now time.Time) (Outcome, error) {
	switch c := cmd.(type) {
	case Tick:
		return decideTick(s, setup, now), nil
	case dayCommand:
		return c.decideDay(s, setup, now)
	case IssueTicket:
		return decideIssueInHours(s, setup, c, now)
	case OpenWindow:
		return decideOpen(s, setup, c)
	case CloseWindow:
		w, err := atWindow(s, setup, c.Window, c.Actor)
		if err != nil {
			return Outcome{}, err
		}
		if w.Current != "" {
			return Outcome{}, errs.E(errs.Conflict, "window %s is serving %s; finish or transfer it before signing off", c.Window, s.Tickets[w.Current].Number)
		}
		if n := len(w.Line); n > 0 {
			// Only this window calls them: closed, it would strand them.
			return Outcome{}, errs.E(errs.Conflict, "%d numbers were sent to window %s in particular; call them before signing off", n, c.Window)
		}
		return Outcome{Events: []Payload{WindowClosed{Window: c.Window, Staff: w.Staff}}}, nil
	case CallNext:
		return decideCall(s, setup, c, now)
	case Recall:
		_, t, err := serving(s, setup, c.Window, c.Actor)
		if err != nil {
			return Outcome{}, err
		}
		return Outcome{Ticket: t.ID, Events: []Payload{TicketRecalled{Ticket: t.Ref(), Window: c.Window, Count: t.Recalls + 1}}}, nil
	case Skip:
		_, t, err := serving(s, setup, c.Window, c.Actor)
		if err != nil {
			return Outcome{}, err
		}
		return Outcome{Ticket: t.ID, Events: []Payload{TicketSkipped{Ticket: t.Ref(), Window: c.Window}}}, nil
	case Finish:
		w, t, err := serving(s, setup, c.Window, c.Actor)
		if err != nil {
			return Outcome{}, err
		}
		return Outcome{Ticket: t.ID, Events: []Payload{finished(t, c.Window, w.Staff, now)}}, nil
	case Pause:
		return decidePause(s, setup, c)
	case Resume:
		w, err := atWindow(s, setup, c.Window, c.Actor)
		if err != nil {
			return Outcome{}, err
		}
		if w.State != Paused {
			return Outcome{}, errs.E(errs.Conflict, "window %s is not paused", c.Window)
		}
		return Outcome{Events: []Payload{WindowResumed{Window: c.Window}}}, nil
	case TogglePause:
		if w := s.Windows[c.Window]; w != nil && w.State == Paused {
			return decide(s, setup, Resume{Window: c.Window, Actor: c.Actor}, now)
		}
		return decidePause(s, setup, Pause{Window: c.Window, Actor: c.Actor, Reason: c.Reason})
	case Transfer:
		return decideTransfer(s, setup, c)
	case Requeue:
		return decideRequeue(s, c)
	case ReportDevice:
		return decideReportDevice(s, c)
	case CancelTicket:
		t := s.Tickets[c.Ticket]
		if t == nil {
			return Outcome{}, errs.E(errs.NotFound, "no ticket %q today", c.Ticket)
		}
		if t.Status != Waiting {
			return Outcome{}, errs.E(errs.Conflict, "ticket %s is %s, only a waiting ticket can be cancelled", t.Number, t.Status)
		}
		return Outcome{Ticket: t.ID, Events: []Payload{TicketCancelled{Ticket: t.Ref(), Reason: "holder"}}}, nil
	}
	return Outcome{}, errs.E(errs.Internal, "unknown command %T", cmd)
}

func decideIssue(s *State, setup *Setup, c IssueTicket) (Outcome, error) {
	sv := setup.Service(c.Service)
	if sv == nil {
		return Outcome{}, errs.Field("service", "no service %q in this hall", c.Service)
	}
	if c.ID == "" {
		return Outcome{}, errs.E(errs.Internal, "ticket without id")
	}
	if _, dup := s.Tickets[c.ID]; dup {
		return Outcome{}, errs.E(errs.Internal, "ticket id %s issued twice", c.ID)
	}
	st := s.Services[c.Service]
	if sv.DailyCap > 0 && st.Issued >= sv.DailyCap {
		return Outcome{}, errs.E(errs.Conflict, "all %d numbers for %s are taken today", sv.DailyCap, sv.Name)
	}
	if c.IDHash != "" {
		if id, ok := s.holders[holderKey(c.IDHash, c.Service)]; ok {
			return Outcome{}, &errs.Error{Kind: errs.Conflict, Field: "id_number",
				Message: "this ID number already holds waiting ticket " + s.Tickets[id].Number + " for " + sv.Name}
		}
	}
	n := st.Issued + 1
	ref := TicketRef{ID: c.ID, Number: FormatNumber(sv.Code, n), Service: c.Service}
	return Outcome{Ticket: c.ID, Events: []Payload{TicketIssued{
		Ticket: ref, Priority: c.Priority, IDHash: c.IDHash, Phone: c.Phone, Seqno: n,
	}}}, nil
}

// FormatNumber is a service's letter and at least three digits: A001, A1000.
func FormatNumber(prefix string, n int) string {
	d := strconv.Itoa(n)
	for len(d) < 3 {
		d = "0" + d
	}
	return prefix + d
}

func decideOpen(s *State, setup *Setup, c OpenWindow) (Outcome, error) {
	if setup.Window(c.Window) == nil {
		return Outcome{}, errs.E(errs.NotFound, "no window %q in this hall", c.Window)
	}
	if c.Actor.Staff == "" {
		return Outcome{}, errs.E(errs.Unauthorized, "sign in before opening a window")
	}
	w := s.Windows[c.Window]
	if w.State != Closed {
		if w.Staff == c.Actor.Staff {
			return Outcome{}, errs.E(errs.Conflict, "you are already signed on at window %s", c.Window)
		}
		return Outcome{}, errs.E(errs.Conflict, "window %s is open; staff %s must sign off first", c.Window, w.Staff)
	}
	for id, other := range s.Windows {
		if other.State != Closed && other.Staff == c.Actor.Staff {
			return Outcome{}, errs.E(errs.Conflict, "staff %s is signed on at window %s; sign off there first", c.Actor.Staff, id)
		}
	}
	return Outcome{Events: []Payload{WindowOpened{Window: c.Window, Staff: c.Actor.Staff}}}, nil
}

// atWindow finds an open window the actor may operate.
func atWindow(s *State, setup *Setup, id string, a Actor) (*Window, error) {
	if setup.Window(id) == nil {
		return nil, errs.E(errs.NotFound, "no window %q in this hall", id)
	}
	w := s.Windows[id]
	if w.State == Closed {
		return nil, errs.E(errs.Conflict, "window %s is closed; sign on first", id)
	}
	if w.Staff != a.Staff && !a.Manager {
		return nil, errs.E(errs.Forbidden, "window %s is signed on by staff %s", id, w.Staff)
	}
	return w, nil
}

// serving finds the ticket an operable window is serving.
func serving(s *State, setup *Setup, id string, a Actor) (*Window, *Ticket, error) {
	w, err := atWindow(s, setup, id, a)
	if err != nil {
		return nil, nil, err
	}
	if w.Current == "" {
		return nil, nil, errs.E(errs.Conflict, "window %s is not serving anyone", id)
	}
	return w, s.Tickets[w.Current], nil
}

func finished(t *Ticket, window, staff string, now time.Time) TicketFinished {
	d := now.Sub(t.CalledAt).Seconds()
	if d < 0 {
		d = 0
	}
	return TicketFinished{Ticket: t.Ref(), Window: window, Staff: staff, ServiceS: d}
}

func decideCall(s *State, setup *Setup, c CallNext, now time.Time) (Outcome, error) {
	w, err := atWindow(s, setup, c.Window, c.Actor)
	if err != nil {
		return Outcome{}, err
	}
	if w.State == Paused {
		return Outcome{}, errs.E(errs.Conflict, "window %s is paused; resume it before calling", c.Window)
	}
	var out Outcome
	if w.Current != "" {
		out.Events = append(out.Events, finished(s.Tickets[w.Current], c.Window, w.Staff, now))
	}
	t := pickNext(s, setup, c.Window, now)
	if t == nil {
		return out, nil
	}
	out.Ticket = t.ID
	out.Events = append(out.Events, TicketCalled{Ticket: t.Ref(), Window: c.Window, Staff: w.Staff, Priority: t.Priority})
	return out, nil
}

// pickNext is the calling policy. Among the heads of the lines this window
// serves, priority tickets go first unless the window has called PriorityRun
// of them in a row while others wait; then the longest wait, each wait
// scaled by the window's weight for the service, wins; ties go to the
// earlier queued.
func pickNext(s *State, setup *Setup, windowID string, now time.Time) *Ticket {
	ws := setup.Window(windowID)
	w := s.Windows[windowID]
	var prio, normal *Ticket
	var prioScore, normalScore float64
	better := func(best *Ticket, bestScore float64, t *Ticket, score float64) bool {
		if best == nil || score > bestScore {
			return true
		}
		return score == bestScore && t.Order < best.Order
	}
	consider := func(id string, weight float64) {
		t := s.Tickets[id]
		score := weight * now.Sub(t.QueuedAt).Seconds()
		if t.Priority {
			if better(prio, prioScore, t, score) {
				prio, prioScore = t, score
			}
		} else if better(normal, normalScore, t, score) {
			normal, normalScore = t, score
		}
	}
	maxWeight := 1.0
	for _, code := range ws.Services {
		st := s.Services[code]
		wt := ws.weight(code)
		maxWeight = max(maxWeight, wt)
		if len(st.Priority) > 0 {
			consider(st.Priority[0], wt)
		}
		if len(st.Line) > 0 {
			consider(st.Line[0], wt)
		}
	}
	// Tickets sent to this window in particular: the whole line is this
	// window's, so only its head competes, at the window's highest weight.
	if len(w.Line) > 0 {
		consider(w.Line[0], maxWeight)
	}
	switch {
	case prio == nil:
		return normal
	case normal == nil || w.PriorityRun < setup.PriorityRun:
		return prio
	default:
		return normal
	}
}

func decidePause(s *State, setup *Setup, c Pause) (Outcome, error) {
	w, err := atWindow(s, setup, c.Window, c.Actor)
	if err != nil {
		return Outcome{}, err
	}
	reason := strings.TrimSpace(c.Reason)
	if reason == "" {
		return Outcome{}, errs.Field("reason", "say why the window pauses")
	}
	if utf8.RuneCountInString(reason) > 100 {
		return Outcome{}, errs.Field("reason", "the reason is longer than 100 characters")
	}
	if w.State == Paused {
		return Outcome{}, errs.E(errs.Conflict, "window %s is already paused", c.Window)
	}
	if w.Current != "" {
		return Outcome{}, errs.E(errs.Conflict, "window %s is serving %s; finish it before pausing", c.Window, s.Tickets[w.Current].Number)
	}
	return Outcome{Events: []Payload{WindowPaused{Window: c.Window, Reason: reason}}}, nil
}

func decideTransfer(s *State, setup *Setup, c Transfer) (Outcome, error) {
	_, t, err := serving(s, setup, c.Window, c.Actor)
	if err != nil {
		return Outcome{}, err
	}
	ev := TicketTransferred{Ticket: t.Ref(), FromWindow: c.Window}
	switch {
	case c.ToService != "" && c.ToWindow != "":
		return Outcome{}, errs.Field("service", "transfer to a service or to a window, not both")
	case c.ToService != "":
		if setup.Service(c.ToService) == nil {
			return Outcome{}, errs.Field("service", "no service %q in this hall", c.ToService)
		}
		ev.ToService = c.ToService
	case c.ToWindow != "":
		if setup.Window(c.ToWindow) == nil {
			return Outcome{}, errs.Field("window", "no window %q in this hall", c.ToWindow)
		}
		if c.ToWindow == c.Window {
			return Outcome{}, errs.Field("window", "the ticket is already at window %s", c.Window)
		}
		if s.Windows[c.ToWindow].State == Closed {
			// Only that window would call it, and nobody is there.
			return Outcome{}, errs.E(errs.Conflict, "window %s is closed; transfer to its service instead", c.ToWindow)
		}
		ev.ToWindow = c.ToWindow
		ev.ToService = t.Service
	default:
		return Outcome{}, errs.Field("service", "name the service or the window to transfer to")
	}
	if err := holderWaits(s, t, ev.ToService); err != nil {
		return Outcome{}, err
	}
	return Outcome{Ticket: t.ID, Events: []Payload{ev}}, nil
}

// holderWaits refuses to put t back in a line of service while its holder
// already waits there with another ticket: a transfer or a requeue must not
// break the one-waiting-ticket rule that issuing keeps.
func holderWaits(s *State, t *Ticket, service string) error {
	if t.IDHash == "" {
		return nil
	}
	if id, ok := s.holders[holderKey(t.IDHash, service)]; ok && id != t.ID {
		return &errs.Error{Kind: errs.Conflict, Field: "id_number",
			Message: "the holder of " + t.Number + " already waits with " + s.Tickets[id].Number + "; cancel that ticket first"}
	}
	return nil
}

func decideRequeue(s *State, c Requeue) (Outcome, error) {
	if c.Actor.Staff == "" {
		return Outcome{}, errs.E(errs.Unauthorized, "sign in to requeue a ticket")
	}
	t := s.Tickets[c.Ticket]
	if t == nil {
		return Outcome{}, errs.E(errs.NotFound, "no ticket %q today", c.Ticket)
	}
	if t.Status != NoShow {
		return Outcome{}, errs.E(errs.Conflict, "ticket %s is %s; only a no-show can be requeued", t.Number, t.Status)
	}
	if err := holderWaits(s, t, t.Service); err != nil {
		return Outcome{}, err
	}
	return Outcome{Ticket: t.ID, Events: []Payload{TicketRequeued{Ticket: t.Ref(), Staff: c.Actor.Staff}}}, nil
}
