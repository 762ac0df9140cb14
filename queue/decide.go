package queue

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
	"hallfloor/room"
)

// Rollover returns the event that starts a new day if now is past the
// state's day, or nil.
func Rollover(s *State, setup *Setup, now time.Time) room.Payload {
	if s.inDay(setup, now) {
		return nil
	}
	day := setup.Day(now)
	if day == s.Day {
		return nil
	}
	// Every waiting ticket is in exactly one line (Verify checks it): the
	// lines are what waits, and far fewer than the day's tickets.
	ev := DayStarted{Day: day}
	for _, sv := range s.Services {
		ev.Cancelled = append(append(ev.Cancelled, sv.Line...), sv.Priority...)
	}
	for _, w := range s.Windows {
		ev.Cancelled = append(ev.Cancelled, w.Line...)
	}
	slices.Sort(ev.Cancelled)
	return ev
}

// Decide checks a command against the state and the hall's rules and returns
// what happens. It changes nothing; an error means nothing happens.
func Decide(s *State, setup *Setup, cmd Command, env room.Env) (room.Outcome, error) {
	now := env.Now
	switch c := cmd.(type) {
	case IssueTicket:
		if c.Via != "" {
			// Only the hall's rooms issue such tickets, through IssueVia:
			// going ahead of walk-ins is an appointment's or a
			// consultation's due, not a field anyone can fill in.
			return room.Outcome{}, errs.R(errs.Forbidden, "via_by_room").OnField("via")
		}
		if c.ID == "" {
			c.ID = env.ID()
		}
		return decideIssue(s, setup, c, now)
	case OpenWindow:
		return decideOpen(s, setup, c)
	case CloseWindow:
		return decideClose(s, setup, c)
	case CallNext:
		return decideCall(s, setup, c, now)
	case PressKey:
		return decideKey(s, setup, c, env)
	case Recall:
		_, t, err := serving(s, setup, c.Window, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		return one(t.ID, TicketRecalled{Ticket: t.Ref(), Window: c.Window, Count: t.Recalls + 1}), nil
	case Skip:
		_, t, err := serving(s, setup, c.Window, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		return one(t.ID, TicketSkipped{Ticket: t.Ref(), Window: c.Window}), nil
	case UndoSkip:
		return decideUndoSkip(s, setup, c, now)
	case ForceSignOff:
		return decideForceSignOff(s, setup, c)
	case Finish:
		w, t, err := serving(s, setup, c.Window, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		return one(t.ID, finished(t, c.Window, w.Staff, now)), nil
	case Pause:
		return decidePause(s, setup, c)
	case Resume:
		w, err := atWindow(s, setup, c.Window, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if w.State != Paused {
			return room.Outcome{}, errs.R(errs.Conflict, "window_not_paused", "window", c.Window)
		}
		return one("", WindowResumed{Window: c.Window}), nil
	case TogglePause:
		if w := s.Windows[c.Window]; w != nil && w.State == Paused {
			return Decide(s, setup, Resume{Window: c.Window, Actor: c.Actor}, env)
		}
		return decidePause(s, setup, Pause(c))
	case Transfer:
		return decideTransfer(s, setup, c)
	case Requeue:
		return decideRequeue(s, c)
	case CancelTicket:
		t := s.Tickets[c.Ticket]
		if t == nil {
			return room.Outcome{}, errs.R(errs.NotFound, "no_ticket", "ticket", c.Ticket)
		}
		if t.Status != Waiting {
			return room.Outcome{}, errs.R(errs.Conflict, "cancel_not_waiting", "number", t.Number, "status", t.Status)
		}
		return one(t.ID, TicketCancelled{Ticket: t.Ref(), Reason: "holder"}), nil
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "queue: unknown command %T", cmd)
}

func one(ticket string, p room.Payload) room.Outcome {
	return room.Outcome{Ticket: ticket, Events: []room.Payload{p}}
}

// IssueVia issues a ticket for one of the hall's rooms (c.Via): an
// appointment checked in, a consultation handed on. Package hall calls it
// once the room has decided the ticket is due, so it is not refused for the
// hour (an appointment of 错时办 is served outside the sessions) nor for a
// daily cap (the slot was promised); the one-waiting-ticket rule holds.
func IssueVia(s *State, setup *Setup, c IssueTicket, env room.Env) (room.Outcome, error) {
	if !ValidVia(c.Via) {
		return room.Outcome{}, errs.Internalf("unknown_via", "queue: ticket via %q", c.Via)
	}
	if c.ID == "" {
		c.ID = env.ID()
	}
	return decideIssue(s, setup, c, env.Now)
}

func decideIssue(s *State, setup *Setup, c IssueTicket, now time.Time) (room.Outcome, error) {
	sv := setup.Service(c.Service)
	if sv == nil {
		return room.Outcome{}, errs.Bad("service", "no_service", "service", c.Service)
	}
	if c.Priority && !c.Actor.Staffed() {
		// 老弱病残孕 go first on a guide's or a clerk's word, not on a
		// checkbox anyone can tick.
		return room.Outcome{}, errs.R(errs.Forbidden, "priority_by_staff").OnField("priority")
	}
	if c.Via == "" {
		if err := checkHours(setup, now); err != nil {
			return room.Outcome{}, err
		}
	}
	if c.ID == "" {
		return room.Outcome{}, errs.Internalf("ticket_without_id", "queue: ticket without id")
	}
	if _, dup := s.Tickets[c.ID]; dup {
		return room.Outcome{}, errs.Internalf("ticket_id_reused", "queue: ticket id %s issued twice", c.ID)
	}
	st := s.Services[c.Service]
	if sv.DailyCap > 0 && st.Issued >= sv.DailyCap && c.Via == "" {
		return room.Outcome{}, errs.R(errs.Conflict, "daily_cap_reached", "cap", sv.DailyCap, "service", sv.Code)
	}
	if c.IDHash != "" {
		if id, ok := s.holders[holderKey(c.IDHash, c.Service)]; ok {
			return room.Outcome{}, errs.R(errs.Conflict, "holder_waits", "number", s.Tickets[id].Number, "service", sv.Code).OnField("id_number")
		}
	}
	n := st.Issued + 1
	ref := TicketRef{ID: c.ID, Number: FormatNumber(sv.Code, n), Service: c.Service}
	ev := TicketIssued{Ticket: ref, Priority: c.Priority, Via: c.Via, IDHash: c.IDHash, Phone: c.Phone, Seqno: n}
	if !ev.Priority && ByAge(setup, c.Card, now) {
		ev.Priority, ev.Why = true, PriorityByAge
	}
	return one(c.ID, ev), nil
}

// FormatNumber is a service's letter and at least three digits: A001, A1000.
func FormatNumber(prefix string, n int) string {
	d := strconv.Itoa(n)
	for len(d) < 3 {
		d = "0" + d
	}
	return prefix + d
}

func decideOpen(s *State, setup *Setup, c OpenWindow) (room.Outcome, error) {
	if setup.Window(c.Window) == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_window", "window", c.Window)
	}
	if !c.Actor.Staffed() {
		return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
	}
	staff, by := c.Actor, ""
	if c.For.Staffed() && c.For.Staff != c.Actor.Staff {
		// Only a manager signs someone else on.
		if !c.Actor.IsManager() {
			return room.Outcome{}, errs.R(errs.Forbidden, "manager_only")
		}
		staff, by = c.For, c.Actor.Staff
	}
	if staff.Role == room.Guide {
		return room.Outcome{}, errs.R(errs.Forbidden, "guide_no_window")
	}
	w := s.Windows[c.Window]
	if w.State != Closed {
		if w.Staff == staff.Staff {
			return room.Outcome{}, errs.R(errs.Conflict, "already_signed_on", "window", c.Window)
		}
		return room.Outcome{}, errs.R(errs.Conflict, "window_taken", "window", c.Window, "staff", w.Staff)
	}
	for id, other := range s.Windows {
		if other.State != Closed && other.Staff == staff.Staff {
			return room.Outcome{}, errs.R(errs.Conflict, "staff_elsewhere", "staff", staff.Staff, "window", id)
		}
	}
	return one("", WindowOpened{Window: c.Window, Staff: staff.Staff, By: by}), nil
}

// decideForceSignOff signs the clerk off whatever the window is doing. A
// manager does this when the clerk cannot (gone home, terminal lost), so
// nobody may be stranded: the citizen being served goes back to the head
// of their line, where they were, and so do those sent to this window.
func decideForceSignOff(s *State, setup *Setup, c ForceSignOff) (room.Outcome, error) {
	if setup.Window(c.Window) == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_window", "window", c.Window)
	}
	if !c.Actor.Staffed() {
		return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
	}
	if !c.Actor.IsManager() {
		return room.Outcome{}, errs.R(errs.Forbidden, "manager_only")
	}
	w := s.Windows[c.Window]
	if w.State == Closed {
		return room.Outcome{}, errs.R(errs.Conflict, "window_closed", "window", c.Window)
	}
	var out room.Outcome
	if w.Current != "" {
		t := s.Tickets[w.Current]
		if holderWaits(s, t, t.Service) == nil {
			out.Events = append(out.Events, TicketTransferred{Ticket: t.Ref(), FromWindow: c.Window, ToService: t.Service})
		} else {
			// The holder already waits again with another number: one
			// waiting ticket each, so this one ends as not served.
			out.Events = append(out.Events, TicketSkipped{Ticket: t.Ref(), Window: c.Window})
		}
	}
	closed := WindowClosed{Window: c.Window, Staff: w.Staff, By: c.Actor.Staff}
	closed.Returned = slices.Clone(w.Line)
	out.Events = append(out.Events, closed)
	return out, nil
}

// SkipUndo answers whether the window's last 过号 may still be taken back
// at now, and until when: the skipped ticket and the end of the time to undo
// it, or the refusal. The counter shows its 撤销过号 key from this answer,
// and UndoSkip is decided by it.
func SkipUndo(s *State, setup *Setup, window string, now time.Time) (*Ticket, time.Time, error) {
	if setup.Window(window) == nil {
		return nil, time.Time{}, errs.R(errs.NotFound, "no_window", "window", window)
	}
	w := s.Windows[window]
	t := s.Tickets[w.Skipped]
	if t == nil || t.Status != NoShow {
		return nil, time.Time{}, errs.R(errs.Conflict, "undo_nothing_skipped", "window", window)
	}
	until := t.FinishedAt.Add(setup.UndoSkip)
	if !now.Before(until) {
		return t, until, errs.R(errs.Conflict, "undo_skip_expired", "number", t.Number, "seconds", int(setup.UndoSkip.Seconds()))
	}
	if w.State == Paused {
		return t, until, errs.R(errs.Conflict, "window_paused", "window", window)
	}
	return t, until, nil
}

func decideUndoSkip(s *State, setup *Setup, c UndoSkip, now time.Time) (room.Outcome, error) {
	w, err := atWindow(s, setup, c.Window, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	if c.Ticket == "" {
		return room.Outcome{}, errs.Bad("ticket", "undo_ticket_needed")
	}
	if w.Skipped != c.Ticket {
		// The clerk means a skip that is no longer the window's last: it
		// called someone since, or the ticket is back in line.
		if t := s.Tickets[c.Ticket]; t != nil && t.Window == c.Window && t.Status == NoShow {
			return room.Outcome{}, errs.R(errs.Conflict, "undo_skip_called_since", "number", t.Number, "window", c.Window)
		}
		return room.Outcome{}, errs.R(errs.Conflict, "undo_nothing_skipped", "window", c.Window)
	}
	t, _, err := SkipUndo(s, setup, c.Window, now)
	if err != nil {
		return room.Outcome{}, err
	}
	return one(t.ID, SkipUndone{Ticket: t.Ref(), Window: c.Window, Staff: w.Staff}), nil
}

func decideClose(s *State, setup *Setup, c CloseWindow) (room.Outcome, error) {
	w, err := atWindow(s, setup, c.Window, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	if w.Current != "" {
		return room.Outcome{}, errs.R(errs.Conflict, "close_while_serving", "window", c.Window, "number", s.Tickets[w.Current].Number)
	}
	if n := len(w.Line); n > 0 {
		// Only this window calls them: closed, it would strand them.
		return room.Outcome{}, errs.R(errs.Conflict, "close_with_own_line", "window", c.Window, "count", n)
	}
	return one("", WindowClosed{Window: c.Window, Staff: w.Staff}), nil
}

// atWindow finds an open window the actor may operate.
func atWindow(s *State, setup *Setup, id string, a room.Actor) (*Window, error) {
	if setup.Window(id) == nil {
		return nil, errs.R(errs.NotFound, "no_window", "window", id)
	}
	w := s.Windows[id]
	if w.State == Closed {
		return nil, errs.R(errs.Conflict, "window_closed", "window", id)
	}
	if w.Staff != a.Staff && !a.IsManager() {
		return nil, errs.R(errs.Forbidden, "window_not_yours", "window", id, "staff", w.Staff)
	}
	return w, nil
}

// serving finds the ticket an operable window is serving.
func serving(s *State, setup *Setup, id string, a room.Actor) (*Window, *Ticket, error) {
	w, err := atWindow(s, setup, id, a)
	if err != nil {
		return nil, nil, err
	}
	if w.Current == "" {
		return nil, nil, errs.R(errs.Conflict, "not_serving", "window", id)
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

func decideCall(s *State, setup *Setup, c CallNext, now time.Time) (room.Outcome, error) {
	w, err := atWindow(s, setup, c.Window, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	if w.State == Paused {
		return room.Outcome{}, errs.R(errs.Conflict, "window_paused", "window", c.Window)
	}
	if c.Current != w.Current {
		// The clerk saw another ticket as current (or none): acting on it
		// would finish someone they never saw.
		if w.Current == "" {
			return room.Outcome{}, errs.R(errs.Conflict, "stale_idle", "window", c.Window)
		}
		return room.Outcome{}, errs.R(errs.Conflict, "stale_current", "window", c.Window, "number", s.Tickets[w.Current].Number)
	}
	out := room.Outcome{Events: make([]room.Payload, 0, 2)}
	if w.Current != "" {
		out.Events = append(out.Events, finished(s.Tickets[w.Current], c.Window, w.Staff, now))
	}
	next := CallOrder(s, setup, c.Window, now, 1)
	if len(next) == 0 {
		return out, nil
	}
	t := next[0]
	out.Ticket = t.ID
	out.Events = append(out.Events, TicketCalled{Ticket: t.Ref(), Window: c.Window, Staff: w.Staff, Priority: t.Priority, Via: t.Via})
	return out, nil
}

// decideKey turns a key of the window's button set into the command the
// signed-on clerk means by it.
func decideKey(s *State, setup *Setup, c PressKey, env room.Env) (room.Outcome, error) {
	if setup.Window(c.Window) == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_window", "window", c.Window)
	}
	w := s.Windows[c.Window]
	if w.State == Closed {
		return room.Outcome{}, errs.R(errs.Conflict, "window_closed", "window", c.Window)
	}
	a := room.Actor{Staff: w.Staff, Role: room.Clerk}
	switch c.Key {
	case KeyCall:
		if w.Current != "" && env.Now.Sub(s.Tickets[w.Current].CalledAt) < setup.CallGap {
			// The bounce or echo of the press that made this call.
			return room.Outcome{}, nil
		}
		return decideCall(s, setup, CallNext{Window: c.Window, Actor: a, Current: w.Current}, env.Now)
	case KeyRecall:
		return Decide(s, setup, Recall{Window: c.Window, Actor: a}, env)
	case KeySkip:
		return Decide(s, setup, Skip{Window: c.Window, Actor: a}, env)
	case KeyPause:
		return Decide(s, setup, TogglePause{Window: c.Window, Actor: a, Reason: setup.KeyPauseReason}, env)
	}
	return room.Outcome{}, errs.Bad("key", "unknown_key", "key", c.Key)
}

// maxPauseReason bounds a typed pause reason.
const maxPauseReason = 100

func decidePause(s *State, setup *Setup, c Pause) (room.Outcome, error) {
	w, err := atWindow(s, setup, c.Window, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	reason := strings.TrimSpace(c.Reason)
	if reason == "" {
		return room.Outcome{}, errs.Bad("reason", "pause_reason_missing")
	}
	if utf8.RuneCountInString(reason) > maxPauseReason {
		return room.Outcome{}, errs.Bad("reason", "too_long", "max", maxPauseReason)
	}
	if w.State == Paused {
		return room.Outcome{}, errs.R(errs.Conflict, "window_already_paused", "window", c.Window)
	}
	if w.Current != "" {
		return room.Outcome{}, errs.R(errs.Conflict, "pause_while_serving", "window", c.Window, "number", s.Tickets[w.Current].Number)
	}
	return one("", WindowPaused{Window: c.Window, Reason: reason}), nil
}

func decideTransfer(s *State, setup *Setup, c Transfer) (room.Outcome, error) {
	_, t, err := serving(s, setup, c.Window, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	ev := TicketTransferred{Ticket: t.Ref(), FromWindow: c.Window}
	switch {
	case c.ToService != "" && c.ToWindow != "":
		return room.Outcome{}, errs.Bad("service", "transfer_one_target")
	case c.ToService != "":
		if setup.Service(c.ToService) == nil {
			return room.Outcome{}, errs.Bad("service", "no_service", "service", c.ToService)
		}
		ev.ToService = c.ToService
	case c.ToWindow != "":
		if err := transferTo(s, setup, c.Window, c.ToWindow); err != nil {
			return room.Outcome{}, err
		}
		ev.ToWindow = c.ToWindow
		ev.ToService = t.Service
	default:
		return room.Outcome{}, errs.Bad("service", "transfer_no_target")
	}
	if err := holderWaits(s, t, ev.ToService); err != nil {
		return room.Outcome{}, err
	}
	return one(t.ID, ev), nil
}

// transferTo refuses a transfer from one window to another that cannot
// take it.
func transferTo(s *State, setup *Setup, from, to string) error {
	if setup.Window(to) == nil {
		return errs.Bad("window", "no_window", "window", to)
	}
	if to == from {
		return errs.Bad("window", "transfer_same_window", "window", from)
	}
	if s.Windows[to].State == Closed {
		// Only that window would call it, and nobody is there.
		return errs.R(errs.Conflict, "transfer_window_closed", "window", to)
	}
	return nil
}

// TransferTarget is another window as a transfer sees it: Refusal is why a
// transfer to it would be refused now (it is closed), nil when it would not.
type TransferTarget struct {
	Window  string
	State   WindowState
	Refusal error
}

// TransferTargets are the windows the counter of window from offers for a
// transfer, in the hall's order, each with the transfer rule's own answer.
func TransferTargets(s *State, setup *Setup, from string) []TransferTarget {
	out := make([]TransferTarget, 0, len(setup.Windows))
	for _, ws := range setup.Windows {
		if ws.ID == from {
			continue
		}
		out = append(out, TransferTarget{Window: ws.ID, State: s.Windows[ws.ID].State, Refusal: transferTo(s, setup, from, ws.ID)})
	}
	return out
}

// holderWaits refuses to put t back in a line of service while its holder
// already waits there with another ticket: a transfer or a requeue must not
// break the one-waiting-ticket rule that issuing keeps.
func holderWaits(s *State, t *Ticket, service string) error {
	if t.IDHash == "" {
		return nil
	}
	if id, ok := s.holders[holderKey(t.IDHash, service)]; ok && id != t.ID {
		return errs.R(errs.Conflict, "holder_waits_other", "number", t.Number, "other", s.Tickets[id].Number).OnField("id_number")
	}
	return nil
}

// maxNumber bounds a typed number: letters and digits, A001 or A1000.
const maxNumber = 12

// TicketByNumber finds today's ticket with a number. A ticket still at a
// window from yesterday may share it; today's is the one meant.
func TicketByNumber(s *State, number string) *Ticket {
	var found *Ticket
	for _, t := range s.Tickets {
		if t.Number == number && (found == nil || t.IssuedAt.After(found.IssuedAt)) {
			found = t
		}
	}
	return found
}

func decideRequeue(s *State, c Requeue) (room.Outcome, error) {
	if !c.Actor.Staffed() {
		return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
	}
	var t *Ticket
	switch number := strings.ToUpper(strings.TrimSpace(c.Number)); {
	case c.Ticket != "" && number != "":
		return room.Outcome{}, errs.Bad("number", "requeue_one_ticket")
	case c.Ticket != "":
		if t = s.Tickets[c.Ticket]; t == nil {
			return room.Outcome{}, errs.R(errs.NotFound, "no_ticket", "ticket", c.Ticket)
		}
	case number == "":
		return room.Outcome{}, errs.Bad("number", "requeue_number_needed")
	case utf8.RuneCountInString(number) > maxNumber:
		return room.Outcome{}, errs.Bad("number", "too_long", "max", maxNumber)
	default:
		if t = TicketByNumber(s, number); t == nil {
			return room.Outcome{}, errs.R(errs.NotFound, "requeue_no_number", "number", number).OnField("number")
		}
	}
	if t.Status != NoShow {
		return room.Outcome{}, errs.R(errs.Conflict, "requeue_not_no_show", "number", t.Number, "status", t.Status)
	}
	if err := holderWaits(s, t, t.Service); err != nil {
		return room.Outcome{}, err
	}
	return one(t.ID, TicketRequeued{Ticket: t.Ref(), Staff: c.Actor.Staff}), nil
}
