// Package rating is the room of 好差评 (国办发〔2019〕51号, GB/T 39735-2020):
// the evaluator's question after each service, one rating per service, and
// the follow-up every 差评 opens. Rating is voluntary: the room never fills
// in a level or a reason for the applicant.
package rating

import (
	"time"

	"hallfloor/calendar"
	"hallfloor/queue"
)

// Levels of 好差评, best first.
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

// LevelName is the Chinese name of a level, "" for none.
func LevelName(v int) string {
	for _, l := range Levels {
		if l.Value == v {
			return l.Name
		}
	}
	return ""
}

// Bad is the highest level that counts as 差评: it needs a reason and
// opens a follow-up.
const Bad = 2

// Channel is where a rating was given.
type Channel string

const (
	ChannelEvaluator Channel = "evaluator" // 评价器 at the window: the pad page or its five keys
	ChannelQR        Channel = "qr"        // 二维码: the ticket page on the applicant's phone
	// ChannelSMS is the second rating's page, whose link the applicant gets
	// after a 差评 was rectified (短信).
	ChannelSMS Channel = "sms"
)

// Channels are where a rating may come from, for the record's channel code.
var Channels = []Channel{ChannelEvaluator, ChannelQR, ChannelSMS}

// FollowUpActions are what a manager records on a 差评 (回访, 整改, 说明),
// by either name.
var FollowUpActions = map[string]string{
	"回访": "回访", "callback": "回访",
	"整改": "整改", "rectify": "整改",
	"说明": "说明", "explain": "说明",
}

// Setup is the hall's 好差评 settings.
type Setup struct {
	// Reasons offered for a 差评; the applicant may also type one.
	Reasons []string
	// FollowUpDays is the follow-up deadline in working days (5, 7 or 15
	// by province).
	FollowUpDays int
	// PromptTimeout is how long the evaluator asks after a service before the
	// prompt closes as not rated.
	PromptTimeout time.Duration
	// Calendar counts the follow-up's working days.
	Calendar *calendar.Calendar
}

// DefaultFollowUpDays and DefaultPromptTimeout apply when the hall file is silent.
const (
	DefaultFollowUpDays  = 5
	DefaultPromptTimeout = 60 * time.Second
)

// maxReason bounds a typed reason, maxOutcome a follow-up's outcome.
const (
	maxReason  = 200
	maxOutcome = 1000
)

// WithDefaults fills in what the hall file left out.
func (r Setup) WithDefaults() Setup {
	if r.FollowUpDays <= 0 {
		r.FollowUpDays = DefaultFollowUpDays
	}
	if r.PromptTimeout <= 0 {
		r.PromptTimeout = DefaultPromptTimeout
	}
	if r.Calendar == nil {
		r.Calendar = &calendar.Calendar{Location: time.UTC, AlwaysOpen: true}
	}
	return r
}

// Prompt is the question open on a window's evaluator after a service.
type Prompt struct {
	Ticket   queue.TicketRef `json:"ticket"`
	Staff    string          `json:"staff"`
	OpenedAt time.Time       `json:"opened_at"`
	// Chosen is the level the applicant chose on the pad before being
	// asked why: a question that closes with it unanswered keeps it.
	Chosen int `json:"chosen,omitempty"`
}

// Expires is when the prompt closes unanswered.
func (p *Prompt) Expires(setup *Setup) time.Time {
	return p.OpenedAt.Add(setup.PromptTimeout)
}

// FollowUp is the manager's work on one 差评.
type FollowUp struct {
	ID     string          `json:"id"`
	Ticket queue.TicketRef `json:"ticket"`
	Window string          `json:"window"`
	Staff  string          `json:"staff"`
	Level  int             `json:"level"`
	Reason string          `json:"reason"`
	// ReasonPending: the applicant gave the level where no reason can be
	// given (the evaluator's keys), so the call-back asks for it.
	ReasonPending bool      `json:"reason_pending,omitempty"`
	Channel       Channel   `json:"channel"`
	OpenedAt      time.Time `json:"opened_at"`
	Deadline      time.Time `json:"deadline"`
	// Overdue is set once the hall noticed the deadline passed unanswered.
	Overdue  bool      `json:"overdue,omitempty"`
	Action   string    `json:"action,omitempty"`
	Outcome  string    `json:"outcome,omitempty"`
	ClosedBy string    `json:"closed_by,omitempty"`
	ClosedAt time.Time `json:"closed_at,omitzero"`
	// Case is the case the rated service served, when it had one.
	Case *CaseLink `json:"case,omitempty"`
	// SecondToken opens the second rating of a follow-up closed by
	// rectification (整改), until SecondBy; SecondLevel is that rating once
	// given. The token is a secret of the applicant's link.
	SecondToken string    `json:"second_token,omitempty"`
	SecondBy    time.Time `json:"second_by,omitzero"`
	SecondLevel int       `json:"second_level,omitempty"`
}

// AwaitsSecond reports whether the follow-up's rectification may still be
// rated a second time at now.
func (f *FollowUp) AwaitsSecond(now time.Time) bool {
	return f.SecondToken != "" && f.SecondLevel == 0 && !now.After(f.SecondBy)
}

// Open reports whether the follow-up still waits for its outcome.
func (f *FollowUp) Open() bool { return f.ClosedAt.IsZero() }

// Late reports whether the follow-up is open past its deadline at now.
func (f *FollowUp) Late(now time.Time) bool { return f.Open() && now.After(f.Deadline) }

// State is the hall's 好差评 of today and its open follow-ups.
type State struct {
	// Prompts are the evaluators' open questions, by window.
	Prompts map[string]*Prompt `json:"prompts,omitempty"`
	// Rated holds today's ratings by ticket id: one service, one rating.
	Rated map[string]int `json:"rated,omitempty"`
	// FollowUps are the 差评 follow-ups still open, and those closed today.
	FollowUps   map[string]*FollowUp `json:"followups,omitempty"`
	FollowUpSeq uint64               `json:"followup_seq,omitempty"`
	// Cases are today's services that served a case, by ticket id.
	Cases map[string]CaseLink `json:"cases,omitempty"`
}

// NewState is a hall with nothing rated.
func NewState() *State {
	s := &State{}
	s.Adopt()
	return s
}

// Adopt fills in the maps a state restored from a snapshot may lack.
func (s *State) Adopt() {
	if s.Prompts == nil {
		s.Prompts = map[string]*Prompt{}
	}
	if s.Rated == nil {
		s.Rated = map[string]int{}
	}
	if s.FollowUps == nil {
		s.FollowUps = map[string]*FollowUp{}
	}
	if s.Cases == nil {
		s.Cases = map[string]CaseLink{}
	}
}
