package rating

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
	"hallfloor/queue"
	"hallfloor/room"
)

// Command is a request to the ratings room.
type Command interface{ ratingCommand() }

// Rate is an applicant's rating: at the window's evaluator pad (Window
// names it) or on the ticket page (Ticket names it). A 差评 needs a reason.
type Rate struct {
	Channel Channel
	Window  string
	Ticket  string
	Level   int
	Reason  string
}

// PressLevel is one of the five keys of a window's evaluator pressed. The
// keys cannot say why: a 差评 from them opens a follow-up whose reason the
// call-back asks for.
type PressLevel struct {
	Window string
	Level  int
}

// Choose is a level chosen on the evaluator pad before the applicant says
// why (a 差评 asks for a reason on a second screen). The choice is recorded
// at once, so the question can no longer close as if nobody had answered.
// Level 0 takes the choice back: the applicant went back to the levels.
type Choose struct {
	Window string
	Level  int
}

// Dismiss closes a window's open prompt unrated: the evaluator's countdown
// ran out or the applicant chose not to rate.
type Dismiss struct {
	Window string
	Reason string // timeout or declined
}

// CloseFollowUp records what a manager did about a 差评; Reason is the
// applicant's reason learnt at the call-back, needed when the 差评 came
// without one.
type CloseFollowUp struct {
	ID      string
	Action  string
	Outcome string
	Reason  string
	Actor   room.Actor
}

// CheckFollowUps notices follow-ups past their deadline.
type CheckFollowUps struct{}

// RateAgain is the applicant's second rating of a service whose 差评 was
// rectified (整改), given on the page the follow-up's link opens (Token).
type RateAgain struct {
	Token  string
	Level  int
	Reason string
}

func (RateAgain) ratingCommand()      {}
func (Rate) ratingCommand()           {}
func (PressLevel) ratingCommand()     {}
func (Choose) ratingCommand()         {}
func (Dismiss) ratingCommand()        {}
func (CloseFollowUp) ratingCommand()  {}
func (CheckFollowUps) ratingCommand() {}

// Decide checks a command against the ratings, and the queue it rates.
func Decide(s *State, setup *Setup, q *queue.State, qs *queue.Setup, cmd Command, env room.Env) (room.Outcome, error) {
	now := env.Now
	switch c := cmd.(type) {
	case Rate:
		return decideRate(s, setup, q, qs, c, false, now)
	case PressLevel:
		return decideRate(s, setup, q, qs, Rate{Channel: ChannelEvaluator, Window: c.Window, Level: c.Level}, true, now)
	case Choose:
		return decideChoose(s, setup, qs, c, now)
	case Dismiss:
		return decideDismiss(s, setup, qs, c, now)
	case CloseFollowUp:
		return decideClose(s, setup, c, env)
	case RateAgain:
		return decideRateAgain(s, c, now)
	case CheckFollowUps:
		return room.Outcome{Events: Overdue(s, now)}, nil
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "rating: unknown command %T", cmd)
}

// Asking is the prompt open on a window's evaluator at now, or nil: the one
// answer to "does the evaluator ask", for the rule and for the pad.
func Asking(s *State, setup *Setup, window string, now time.Time) *Prompt {
	p := s.Prompts[window]
	if p == nil || !now.Before(p.Expires(setup)) {
		return nil
	}
	return p
}

// CanRate reports whether a ticket can still be rated on its page: its
// service is done and it has not been rated.
func CanRate(s *State, t *queue.Ticket) bool {
	return t != nil && t.Status == queue.Done && s.Rated[t.ID] == 0
}

func decideRate(s *State, setup *Setup, q *queue.State, qs *queue.Setup, c Rate, keys bool, now time.Time) (room.Outcome, error) {
	var t *queue.Ticket
	switch c.Channel {
	case ChannelEvaluator:
		if qs.Window(c.Window) == nil {
			return room.Outcome{}, errs.R(errs.NotFound, "no_window", "window", c.Window)
		}
		p := Asking(s, setup, c.Window, now)
		if p == nil {
			return room.Outcome{}, errs.R(errs.Conflict, "no_prompt", "window", c.Window)
		}
		t = q.Tickets[p.Ticket.ID]
		if t == nil {
			return room.Outcome{}, errs.R(errs.Conflict, "prompt_gone", "window", c.Window)
		}
	case ChannelQR:
		t = q.Tickets[c.Ticket]
		if t == nil {
			return room.Outcome{}, errs.R(errs.NotFound, "no_ticket", "ticket", c.Ticket)
		}
		if t.Status != queue.Done {
			return room.Outcome{}, errs.R(errs.Conflict, "rate_not_done", "number", t.Number, "status", t.Status)
		}
	default:
		return room.Outcome{}, errs.Bad("channel", "rate_channel")
	}
	if s.Rated[t.ID] != 0 {
		return room.Outcome{}, errs.R(errs.Conflict, "rated_already", "number", t.Number)
	}
	reason, err := checkLevel(c.Level, c.Reason, keys)
	if err != nil {
		return room.Outcome{}, err
	}
	given := Given{Ticket: t.Ref(), Window: t.Window, Staff: t.Staff, Level: c.Level, Reason: reason, Channel: c.Channel,
		Case: s.CaseOf(t.ID)}
	return room.Outcome{Ticket: t.ID, Events: rated(s, setup, given, 1, now)}, nil
}

// checkLevel checks a level and its reason, which a 差评 needs unless it
// came from the keys, and returns the reason trimmed.
func checkLevel(level int, reason string, keys bool) (string, error) {
	if level < 1 || level > 5 {
		return "", errs.Bad("level", "rate_level")
	}
	reason = strings.TrimSpace(reason)
	if utf8.RuneCountInString(reason) > maxReason {
		return "", errs.Bad("reason", "too_long", "max", maxReason)
	}
	if level <= Bad && reason == "" && !keys {
		return "", errs.Bad("reason", "rate_reason_needed", "level", level)
	}
	return reason, nil
}

// decideRateAgain is the second rating after a rectification: once, within
// its time, with a reason for a 差评 as the first. A second 差评 opens no
// follow-up of its own: it goes to the platform as the second rating, whose
// own rules take it on from there.
func decideRateAgain(s *State, c RateAgain, now time.Time) (room.Outcome, error) {
	var f *FollowUp
	for _, x := range s.FollowUps {
		if c.Token != "" && x.SecondToken == c.Token {
			f = x
		}
	}
	if f == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_second_rating")
	}
	if f.SecondLevel != 0 {
		return room.Outcome{}, errs.R(errs.Conflict, "rated_again_already", "number", f.Ticket.Number)
	}
	if now.After(f.SecondBy) {
		return room.Outcome{}, errs.R(errs.Conflict, "second_rating_closed", "number", f.Ticket.Number)
	}
	reason, err := checkLevel(c.Level, c.Reason, false)
	if err != nil {
		return room.Outcome{}, err
	}
	return room.Outcome{Events: []room.Payload{Given{Ticket: f.Ticket, Window: f.Window, Staff: f.Staff, Level: c.Level,
		Reason: reason, Channel: ChannelSMS, Case: f.Case, Second: true, FollowUp: f.ID}}}, nil
}

// rated is a rating and, for a 差评, the follow-up it opens; n counts the
// follow-ups opened in the same decision, so each gets its own id. A 差评
// without a reason has it asked at the call-back.
func rated(s *State, setup *Setup, g Given, n uint64, now time.Time) []room.Payload {
	out := []room.Payload{g}
	if g.Level <= Bad {
		out = append(out, FollowUpOpened{FollowUp: FollowUp{
			ID: followUpID(s.FollowUpSeq + n), Ticket: g.Ticket, Window: g.Window, Staff: g.Staff,
			Level: g.Level, Reason: g.Reason, ReasonPending: g.Reason == "", Channel: g.Channel, OpenedAt: now,
			Deadline: setup.Calendar.AddWorkingDays(now, setup.FollowUpDays), Case: g.Case,
		}})
	}
	return out
}

func decideChoose(s *State, setup *Setup, qs *queue.Setup, c Choose, now time.Time) (room.Outcome, error) {
	if qs.Window(c.Window) == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_window", "window", c.Window)
	}
	p := Asking(s, setup, c.Window, now)
	if p == nil {
		return room.Outcome{}, errs.R(errs.Conflict, "no_prompt", "window", c.Window)
	}
	if c.Level < 0 || c.Level > 5 {
		return room.Outcome{}, errs.Bad("level", "rate_level")
	}
	if p.Chosen == c.Level {
		return room.Outcome{}, nil // the same tap again
	}
	return room.Outcome{Events: []room.Payload{Chosen{Ticket: p.Ticket, Window: c.Window, Level: c.Level}}}, nil
}

// closeUnanswered is what closing a window's prompt before its rating
// records: the level the applicant chose, when they chose one and did not
// decline (a 差评 whose reason is then asked at the call-back), or the
// prompt closed unrated. n counts the follow-ups opened before in the same
// decision.
func closeUnanswered(s *State, setup *Setup, window string, p *Prompt, reason string, n uint64, now time.Time) []room.Payload {
	c := s.CaseOf(p.Ticket.ID)
	if p.Chosen > 0 && reason != "declined" {
		return rated(s, setup, Given{Ticket: p.Ticket, Window: window, Staff: p.Staff, Level: p.Chosen, Channel: ChannelEvaluator, Case: c}, n, now)
	}
	return []room.Payload{Expired{Ticket: p.Ticket, Window: window, Reason: reason, Case: c}}
}

func followUpID(n uint64) string { return "FU" + strconv.FormatUint(n, 10) }

func decideDismiss(s *State, setup *Setup, qs *queue.Setup, c Dismiss, now time.Time) (room.Outcome, error) {
	if qs.Window(c.Window) == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_window", "window", c.Window)
	}
	p := s.Prompts[c.Window]
	if p == nil {
		return room.Outcome{}, errs.R(errs.Conflict, "no_prompt", "window", c.Window)
	}
	reason := c.Reason
	if reason == "" {
		reason = "declined"
	}
	if reason != "declined" && reason != "timeout" {
		return room.Outcome{}, errs.Bad("reason", "dismiss_reason")
	}
	return room.Outcome{Events: closeUnanswered(s, setup, c.Window, p, reason, 1, now)}, nil
}

func decideClose(s *State, setup *Setup, c CloseFollowUp, env room.Env) (room.Outcome, error) {
	if !c.Actor.IsManager() {
		return room.Outcome{}, errs.R(errs.Forbidden, "manager_only")
	}
	f := s.FollowUps[c.ID]
	if f == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_followup", "id", c.ID)
	}
	if !f.Open() {
		return room.Outcome{}, errs.R(errs.Conflict, "followup_closed", "id", c.ID, "action", f.Action, "day", f.ClosedAt.Format(time.DateOnly))
	}
	action, ok := FollowUpActions[strings.TrimSpace(c.Action)]
	if !ok {
		return room.Outcome{}, errs.Bad("action", "followup_action")
	}
	outcome := strings.TrimSpace(c.Outcome)
	switch {
	case outcome == "":
		return room.Outcome{}, errs.Bad("outcome", "followup_outcome_needed")
	case utf8.RuneCountInString(outcome) > maxOutcome:
		return room.Outcome{}, errs.Bad("outcome", "too_long", "max", maxOutcome)
	}
	reason := strings.TrimSpace(c.Reason)
	switch {
	case utf8.RuneCountInString(reason) > maxReason:
		return room.Outcome{}, errs.Bad("reason", "too_long", "max", maxReason)
	case f.ReasonPending && reason == "":
		// The keys could not say why; the call-back is where it is asked.
		return room.Outcome{}, errs.Bad("reason", "followup_reason_needed", "id", c.ID)
	case !f.ReasonPending:
		reason = "" // the applicant's own words stand
	}
	closed := FollowUpClosed{ID: c.ID, Action: action, Outcome: outcome, Reason: reason, By: c.Actor.Staff}
	if action == "整改" {
		// The applicant may rate the rectified service once more, within
		// as many working days as the follow-up had.
		closed.SecondToken = env.ID()
		if closed.SecondToken == "" {
			return room.Outcome{}, errs.Internalf("second_token", "rating: no id for the second rating's link")
		}
		closed.SecondBy = setup.Calendar.AddWorkingDays(env.Now, setup.FollowUpDays)
	}
	return room.Outcome{Events: []room.Payload{closed}}, nil
}

// Overdue are the open follow-ups whose deadline has passed and which the
// hall has not yet flagged: the daily job's work, as a function of (state,
// now).
func Overdue(s *State, now time.Time) []room.Payload {
	var out []room.Payload
	for _, id := range slices.Sorted(maps.Keys(s.FollowUps)) {
		f := s.FollowUps[id]
		if f.Late(now) && !f.Overdue {
			out = append(out, FollowUpOverdue{ID: id, Deadline: f.Deadline})
		}
	}
	return out
}

// ExpiredPrompts closes the evaluator prompts whose time is up; a level
// chosen on one stays as the rating.
func ExpiredPrompts(s *State, setup *Setup, now time.Time) []room.Payload {
	var out []room.Payload
	n := uint64(1)
	for _, w := range slices.Sorted(maps.Keys(s.Prompts)) {
		if p := s.Prompts[w]; !now.Before(p.Expires(setup)) {
			evs := closeUnanswered(s, setup, w, p, "timeout", n, now)
			n += opened(evs)
			out = append(out, evs...)
		}
	}
	return out
}

// NextCalled closes the prompt of a window that called its next ticket:
// the evaluator asks about the person at the window, never the one before.
func NextCalled(s *State, setup *Setup, window, ticket string, now time.Time) []room.Payload {
	p := s.Prompts[window]
	if p == nil || p.Ticket.ID == ticket {
		return nil
	}
	return closeUnanswered(s, setup, window, p, "next_call", 1, now)
}

func opened(evs []room.Payload) uint64 {
	var n uint64
	for _, e := range evs {
		if _, ok := e.(FollowUpOpened); ok {
			n++
		}
	}
	return n
}

// FollowUpList returns the follow-ups in the state, oldest first.
func (s *State) FollowUpList() []*FollowUp {
	out := make([]*FollowUp, 0, len(s.FollowUps))
	for _, id := range slices.Sorted(maps.Keys(s.FollowUps)) {
		out = append(out, s.FollowUps[id])
	}
	slices.SortStableFunc(out, func(a, b *FollowUp) int { return a.OpenedAt.Compare(b.OpenedAt) })
	return out
}
