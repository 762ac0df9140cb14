package queue

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
)

// Levels of 好差评 (国办发〔2019〕51号, GB/T 39735-2020), best first.
var Levels = []Level{
	{5, "非常满意", "Very satisfied"},
	{4, "满意", "Satisfied"},
	{3, "基本满意", "Fairly satisfied"},
	{2, "不满意", "Dissatisfied"},
	{1, "非常不满意", "Very dissatisfied"},
}

// Level is one step of the five-level rating.
type Level struct {
	Value  int    `json:"level"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// BadRating is the highest level that counts as 差评: it needs a reason and
// opens a follow-up.
const BadRating = 2

// Channel is where a rating was given.
type Channel string

const (
	ChannelEvaluator Channel = "evaluator" // 评价器 at the window
	ChannelQR        Channel = "qr"        // 二维码: the ticket page on the applicant's phone
)

// FollowUp actions a manager records on a 差评 (回访, 整改, 说明).
var FollowUpActions = map[string]string{
	"回访": "回访", "callback": "回访",
	"整改": "整改", "rectify": "整改",
	"说明": "说明", "explain": "说明",
}

// RatingSetup is the hall's 好差评 settings.
type RatingSetup struct {
	// Reasons offered for a 差评; the applicant may also type one.
	Reasons []string
	// FollowUpDays is the follow-up deadline in working days (5, 7 or 15
	// by province).
	FollowUpDays int
	// PromptTimeout is how long the evaluator asks after a service before the
	// prompt closes as not rated.
	PromptTimeout time.Duration
}

// DefaultFollowUpDays and DefaultPromptTimeout apply when the hall file is silent.
const (
	DefaultFollowUpDays  = 5
	DefaultPromptTimeout = 60 * time.Second
)

// maxReason bounds a typed reason or outcome.
const (
	maxReason  = 200
	maxOutcome = 1000
)

func (r RatingSetup) withDefaults() RatingSetup {
	if r.FollowUpDays <= 0 {
		r.FollowUpDays = DefaultFollowUpDays
	}
	if r.PromptTimeout <= 0 {
		r.PromptTimeout = DefaultPromptTimeout
	}
	return r
}

// RatingPrompt is the question open on a window's evaluator after a service.
type RatingPrompt struct {
	Ticket   TicketRef `json:"ticket"`
	Staff    string    `json:"staff"`
	OpenedAt time.Time `json:"opened_at"`
}

// Expires is when the prompt closes unanswered.
func (p *RatingPrompt) Expires(setup *Setup) time.Time {
	return p.OpenedAt.Add(setup.Ratings.PromptTimeout)
}

// FollowUp is the manager's work on one 差评.
type FollowUp struct {
	ID       string    `json:"id"`
	Ticket   TicketRef `json:"ticket"`
	Window   string    `json:"window"`
	Staff    string    `json:"staff"`
	Level    int       `json:"level"`
	Reason   string    `json:"reason"`
	Channel  Channel   `json:"channel"`
	OpenedAt time.Time `json:"opened_at"`
	Deadline time.Time `json:"deadline"`
	// Overdue is set once the hall noticed the deadline passed unanswered.
	Overdue  bool      `json:"overdue,omitempty"`
	Action   string    `json:"action,omitempty"`
	Outcome  string    `json:"outcome,omitempty"`
	ClosedBy string    `json:"closed_by,omitempty"`
	ClosedAt time.Time `json:"closed_at,omitzero"`
}

// Open reports whether the follow-up still waits for its outcome.
func (f *FollowUp) Open() bool { return f.ClosedAt.IsZero() }

// Late reports whether the follow-up is open past its deadline at now.
func (f *FollowUp) Late(now time.Time) bool { return f.Open() && now.After(f.Deadline) }

// RatingGiven is one rating: the record 好差评 asks for.
type RatingGiven struct {
	Ticket  TicketRef `json:"ticket"`
	Window  string    `json:"window"`
	Staff   string    `json:"staff"`
	Level   int       `json:"level"`
	Reason  string    `json:"reason,omitempty"`
	Channel Channel   `json:"channel"`
}

// RatingExpired closes a window's prompt without a rating: the applicant
// did not answer in time or declined. Nothing is filled in for them.
type RatingExpired struct {
	Ticket TicketRef `json:"ticket"`
	Window string    `json:"window"`
	Reason string    `json:"reason"` // timeout or declined
}

type FollowUpOpened struct {
	FollowUp FollowUp `json:"followup"`
}

// FollowUpOverdue is the hall noticing that a follow-up missed its deadline.
type FollowUpOverdue struct {
	ID       string    `json:"id"`
	Deadline time.Time `json:"deadline"`
}

type FollowUpClosed struct {
	ID      string `json:"id"`
	Action  string `json:"action"`
	Outcome string `json:"outcome"`
	By      string `json:"by"`
}

func (RatingGiven) Type() string     { return "rating.given" }
func (RatingExpired) Type() string   { return "rating.expired" }
func (FollowUpOpened) Type() string  { return "followup.opened" }
func (FollowUpOverdue) Type() string { return "followup.overdue" }
func (FollowUpClosed) Type() string  { return "followup.closed" }

// Public keeps the applicant's words and the ticket id off the screens.
func (e RatingGiven) Public() Payload {
	e.Ticket.ID, e.Reason = "", ""
	return e
}

func (e RatingExpired) Public() Payload {
	e.Ticket.ID = ""
	return e
}

func (e FollowUpOpened) Public() Payload {
	e.FollowUp.Ticket.ID, e.FollowUp.Reason = "", ""
	return e
}

func (e FollowUpClosed) Public() Payload {
	e.Outcome = ""
	return e
}

// Rate is an applicant's rating: at the window's evaluator (Window names it)
// or on the ticket page (Ticket names it).
type Rate struct {
	Channel Channel
	Window  string
	Ticket  string
	Level   int
	Reason  string
}

// DismissRating closes a window's open prompt unrated: the evaluator's
// countdown ran out or the applicant chose not to rate.
type DismissRating struct {
	Window string
	Reason string // timeout or declined
}

// CloseFollowUp records what a manager did about a 差评.
type CloseFollowUp struct {
	ID      string
	Action  string
	Outcome string
	Actor   Actor
}

// CheckFollowUps notices follow-ups past their deadline.
type CheckFollowUps struct{}

func (Rate) command()           {}
func (DismissRating) command()  {}
func (CloseFollowUp) command()  {}
func (CheckFollowUps) command() {}

func (c Rate) decideDay(s *State, setup *Setup, now time.Time) (Outcome, error) {
	var t *Ticket
	switch c.Channel {
	case ChannelEvaluator:
		if setup.Window(c.Window) == nil {
			return Outcome{}, errs.E(errs.NotFound, "no window %q in this hall", c.Window)
		}
		p := s.Windows[c.Window].Rating
		if p == nil || !now.Before(p.Expires(setup)) {
			return Outcome{}, errs.E(errs.Conflict, "no rating is asked at window %s now", c.Window)
		}
		t = s.Tickets[p.Ticket.ID]
	case ChannelQR:
		t = s.Tickets[c.Ticket]
		if t == nil {
			return Outcome{}, errs.E(errs.NotFound, "no ticket %q today", c.Ticket)
		}
		if t.Status != Done {
			return Outcome{}, errs.E(errs.Conflict, "ticket %s is %s; it can be rated once its service is done", t.Number, t.Status)
		}
	default:
		return Outcome{}, errs.Field("channel", "rate at the evaluator or on the ticket page")
	}
	if t == nil {
		return Outcome{}, errs.E(errs.Conflict, "the service asked about at window %s is no longer in today's queue", c.Window)
	}
	if t.Rating != 0 {
		return Outcome{}, errs.E(errs.Conflict, "ticket %s has been rated already: one service, one rating", t.Number)
	}
	if c.Level < 1 || c.Level > 5 {
		return Outcome{}, errs.Field("level", "choose a level from 1 (非常不满意) to 5 (非常满意)")
	}
	reason := strings.TrimSpace(c.Reason)
	if utf8.RuneCountInString(reason) > maxReason {
		return Outcome{}, errs.Field("reason", "the reason is longer than %d characters", maxReason)
	}
	if c.Level <= BadRating && reason == "" {
		return Outcome{}, errs.Field("reason", "a rating of %d needs a reason: choose one or type it", c.Level)
	}
	given := RatingGiven{Ticket: t.Ref(), Window: t.Window, Staff: t.Staff, Level: c.Level, Reason: reason, Channel: c.Channel}
	out := Outcome{Ticket: t.ID, Events: []Payload{given}}
	if c.Level <= BadRating {
		out.Events = append(out.Events, FollowUpOpened{FollowUp: FollowUp{
			ID: followUpID(s.FollowUpSeq + 1), Ticket: t.Ref(), Window: t.Window, Staff: t.Staff,
			Level: c.Level, Reason: reason, Channel: c.Channel, OpenedAt: now,
			Deadline: setup.Calendar.AddWorkingDays(now, setup.Ratings.FollowUpDays),
		}})
	}
	return out, nil
}

func followUpID(n uint64) string { return "FU" + strconv.FormatUint(n, 10) }

func (c DismissRating) decideDay(s *State, setup *Setup, now time.Time) (Outcome, error) {
	if setup.Window(c.Window) == nil {
		return Outcome{}, errs.E(errs.NotFound, "no window %q in this hall", c.Window)
	}
	p := s.Windows[c.Window].Rating
	if p == nil {
		return Outcome{}, errs.E(errs.Conflict, "no rating is asked at window %s now", c.Window)
	}
	reason := c.Reason
	if reason == "" {
		reason = "declined"
	}
	if reason != "declined" && reason != "timeout" {
		return Outcome{}, errs.Field("reason", "the reason is timeout or declined")
	}
	return Outcome{Events: []Payload{RatingExpired{Ticket: p.Ticket, Window: c.Window, Reason: reason}}}, nil
}

func (c CloseFollowUp) decideDay(s *State, _ *Setup, _ time.Time) (Outcome, error) {
	if !c.Actor.Manager {
		return Outcome{}, errs.E(errs.Forbidden, "only a manager records a follow-up")
	}
	f := s.FollowUps[c.ID]
	if f == nil {
		return Outcome{}, errs.E(errs.NotFound, "no open follow-up %q", c.ID)
	}
	if !f.Open() {
		return Outcome{}, errs.E(errs.Conflict, "follow-up %s was closed (%s) on %s", c.ID, f.Action, f.ClosedAt.Format(time.DateOnly))
	}
	action, ok := FollowUpActions[strings.TrimSpace(c.Action)]
	if !ok {
		return Outcome{}, errs.Field("action", "the action is 回访, 整改 or 说明")
	}
	outcome := strings.TrimSpace(c.Outcome)
	switch {
	case outcome == "":
		return Outcome{}, errs.Field("outcome", "record the outcome of the follow-up")
	case utf8.RuneCountInString(outcome) > maxOutcome:
		return Outcome{}, errs.Field("outcome", "the outcome is longer than %d characters", maxOutcome)
	}
	return Outcome{Events: []Payload{FollowUpClosed{ID: c.ID, Action: action, Outcome: outcome, By: c.Actor.Staff}}}, nil
}

func (CheckFollowUps) decideDay(s *State, _ *Setup, now time.Time) (Outcome, error) {
	return Outcome{Events: overdueFollowUps(s, now)}, nil
}

// overdueFollowUps are the open follow-ups whose deadline has passed and
// which the hall has not yet flagged: the daily job's work, as a function of
// (state, now).
func overdueFollowUps(s *State, now time.Time) []Payload {
	var out []Payload
	for _, id := range slices.Sorted(maps.Keys(s.FollowUps)) {
		f := s.FollowUps[id]
		if f.Late(now) && !f.Overdue {
			out = append(out, FollowUpOverdue{ID: id, Deadline: f.Deadline})
		}
	}
	return out
}

// expiredPrompts closes the evaluator prompts whose time is up.
func expiredPrompts(s *State, setup *Setup, now time.Time) []Payload {
	var out []Payload
	for _, ws := range setup.Windows {
		if p := s.Windows[ws.ID].Rating; p != nil && !now.Before(p.Expires(setup)) {
			out = append(out, RatingExpired{Ticket: p.Ticket, Window: ws.ID, Reason: "timeout"})
		}
	}
	return out
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

func (s *State) applyRating(e Event) {
	switch p := e.Data.(type) {
	case TicketFinished:
		// Every finished service opens the evaluator's question; a prompt
		// still open from the service before closes unrated.
		s.Windows[p.Window].Rating = &RatingPrompt{Ticket: p.Ticket, Staff: p.Staff, OpenedAt: e.At}
	case RatingGiven:
		if t := s.Tickets[p.Ticket.ID]; t != nil {
			t.Rating = p.Level
		}
		s.closePrompt(p.Window, p.Ticket.ID)
	case RatingExpired:
		s.closePrompt(p.Window, p.Ticket.ID)
	case FollowUpOpened:
		f := p.FollowUp
		if s.FollowUps == nil {
			s.FollowUps = map[string]*FollowUp{}
		}
		s.FollowUps[f.ID] = &f
		s.FollowUpSeq++
	case FollowUpOverdue:
		if f := s.FollowUps[p.ID]; f != nil {
			f.Overdue = true
		}
	case FollowUpClosed:
		if f := s.FollowUps[p.ID]; f != nil {
			f.Action, f.Outcome, f.ClosedBy, f.ClosedAt = p.Action, p.Outcome, p.By, e.At
		}
	case DayStarted:
		// Yesterday's services leave memory, and so do their prompts; a
		// follow-up stays until it is closed and a day has passed.
		for _, w := range s.Windows {
			w.Rating = nil
		}
		for id, f := range s.FollowUps {
			if !f.Open() {
				delete(s.FollowUps, id)
			}
		}
	}
}

func (s *State) closePrompt(window, ticket string) {
	if w := s.Windows[window]; w != nil && w.Rating != nil && w.Rating.Ticket.ID == ticket {
		w.Rating = nil
	}
}
