package cases

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
	"hallfloor/room"
)

// 联合办理 (罗山 联合办理工作制度): an item may need the opinion of other
// departments besides the one deciding it. The item's department leads
// (主办): it accepts and decides. From the acceptance each joint
// department gives its opinion within its own working days; the lead
// approves only when every opinion is in and agrees, and a disagreement
// leaves it only the refusal, with its reason. The case's deadline stays
// the item's promised days: the opinions are within it, not added to it.

// JointDepartment is a department giving its opinion on an item's cases,
// within Days working days of the acceptance.
type JointDepartment struct {
	Department string
	Days       int
}

// Opinion is one joint department's on a case.
type Opinion struct {
	Department string    `json:"department"`
	Due        time.Time `json:"due"`
	Given      bool      `json:"given,omitempty"`
	Agree      bool      `json:"agree,omitempty"`
	Text       string    `json:"text,omitempty"`
	Staff      string    `json:"staff,omitempty"`
	At         time.Time `json:"at,omitzero"`
	// Overdue is the hall told the opinion was not in by Due.
	Overdue bool `json:"overdue,omitempty"`
}

// GiveOpinion is a member of a joint department giving its opinion; a
// disagreement needs its text.
type GiveOpinion struct {
	Case  string
	Agree bool
	Text  string
	Actor room.Actor
}

func (GiveOpinion) caseCommand() {}

// OpinionDue is a joint department's opinion asked, and by when.
type OpinionDue struct {
	Department string    `json:"department"`
	Due        time.Time `json:"due"`
}

// OpinionsAsked is the joint departments asked for their opinions as the
// case is accepted (联办通知).
type OpinionsAsked struct {
	Case     Ref          `json:"case"`
	Opinions []OpinionDue `json:"opinions"`
}

// OpinionGiven is a joint department's opinion.
type OpinionGiven struct {
	Case       Ref    `json:"case"`
	Department string `json:"department"`
	Agree      bool   `json:"agree"`
	Text       string `json:"text,omitempty"`
	Staff      string `json:"staff"`
}

// OpinionOverdue is a joint department's opinion not in by its deadline,
// once: its alert and the lead's.
type OpinionOverdue struct {
	Case       Ref       `json:"case"`
	Department string    `json:"department"`
	Lead       string    `json:"lead"`
	Due        time.Time `json:"due"`
}

func (OpinionsAsked) Type() string  { return "case.opinions_asked" }
func (OpinionGiven) Type() string   { return "case.opinion" }
func (OpinionOverdue) Type() string { return "case.opinion_overdue" }

func (OpinionsAsked) Public() room.Payload  { return Stepped{} }
func (OpinionGiven) Public() room.Payload   { return Stepped{} }
func (OpinionOverdue) Public() room.Payload { return Stepped{} }

func init() {
	room.Register[OpinionsAsked]()
	room.Register[OpinionGiven]()
	room.Register[OpinionOverdue]()
}

// opinionsAsked is the event asking the joint departments of the case's
// item for their opinions, counted from accepted, or nil for an item
// without any.
func opinionsAsked(setup *Setup, k *Case, accepted time.Time) []room.Payload {
	it := setup.Item(k.Item)
	if it == nil || len(it.Joint) == 0 {
		return nil
	}
	p := OpinionsAsked{Case: ref(k)}
	for _, j := range it.Joint {
		p.Opinions = append(p.Opinions, OpinionDue{Department: j.Department, Due: setup.addWorkingDays(accepted, j.Days)})
	}
	return []room.Payload{p}
}

// jointApprovable refuses the lead's approval while an opinion is missing
// or disagrees.
func jointApprovable(setup *Setup, k *Case) error {
	var missing int
	for _, o := range k.Opinions {
		if o.Given && !o.Agree {
			return errs.R(errs.Conflict, "case_opinion_disagrees", "number", k.Number, "department", deptName(setup, o.Department))
		}
		if !o.Given {
			missing++
		}
	}
	if missing > 0 {
		return errs.R(errs.Conflict, "case_opinions_pending", "number", k.Number, "count", missing)
	}
	return nil
}

func deptName(setup *Setup, id string) string {
	if d := setup.Department(id); d != nil {
		return d.Name
	}
	return id
}

func decideOpinion(s *State, setup *Setup, c GiveOpinion) (room.Outcome, error) {
	k := s.Cases[c.Case]
	if k == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_case", "case", c.Case)
	}
	if !c.Actor.Staffed() {
		return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
	}
	if len(k.Opinions) == 0 {
		if it := setup.Item(k.Item); it != nil && len(it.Joint) > 0 && (k.Status == Received || k.Status == Supplement) {
			return room.Outcome{}, state(k) // opinions are asked at the acceptance
		}
		return room.Outcome{}, errs.R(errs.Conflict, "case_not_joint", "number", k.Number)
	}
	// A member of two joint departments speaks for the first still owing.
	at, member := -1, false
	for i, o := range k.Opinions {
		if d := setup.Department(o.Department); d != nil && d.Member(c.Actor.Staff) {
			member = true
			if !o.Given && at < 0 {
				at = i
			}
		}
	}
	switch {
	case !member:
		return room.Outcome{}, errs.R(errs.Forbidden, "case_not_joint_department", "number", k.Number)
	case at < 0:
		return room.Outcome{}, errs.R(errs.Conflict, "case_opinion_given", "number", k.Number)
	case k.Status != Accepted:
		return room.Outcome{}, state(k)
	}
	text := strings.TrimSpace(c.Text)
	if !c.Agree && text == "" {
		return room.Outcome{}, errs.Bad("text", "case_opinion_reason")
	}
	if utf8.RuneCountInString(text) > 500 {
		return room.Outcome{}, errs.Bad("text", "case_text_long", "max", 500)
	}
	return one(OpinionGiven{Case: ref(k), Department: k.Opinions[at].Department, Agree: c.Agree, Text: text, Staff: c.Actor.Staff}), nil
}

func (s *State) applyOpinions(p OpinionsAsked, at time.Time) {
	c := s.Cases[p.Case.ID]
	if c == nil {
		return
	}
	c.Opinions = make([]Opinion, len(p.Opinions))
	for i, o := range p.Opinions {
		c.Opinions[i] = Opinion{Department: o.Department, Due: o.Due}
	}
	step(c, p, "", at)
}

func (s *State) applyOpinion(p OpinionGiven, at time.Time) {
	c := s.Cases[p.Case.ID]
	if c == nil {
		return
	}
	if i := slices.IndexFunc(c.Opinions, func(o Opinion) bool { return o.Department == p.Department }); i >= 0 {
		o := &c.Opinions[i]
		o.Given, o.Agree, o.Text, o.Staff, o.At = true, p.Agree, p.Text, p.Staff, at
	}
	step(c, p, p.Staff, at)
}

func (s *State) applyOpinionOverdue(p OpinionOverdue, at time.Time) {
	c := s.Cases[p.Case.ID]
	if c == nil {
		return
	}
	if i := slices.IndexFunc(c.Opinions, func(o Opinion) bool { return o.Department == p.Department }); i >= 0 {
		c.Opinions[i].Overdue = true
	}
	step(c, p, "", at)
}

// opinionsDue is a case's opinions past their deadline, once each; only
// while the lead has not decided.
func opinionsDue(k *Case, now time.Time) []room.Payload {
	if k.Status != Accepted {
		return nil
	}
	var out []room.Payload
	for _, o := range k.Opinions {
		if !o.Given && !o.Overdue && now.After(o.Due) {
			out = append(out, OpinionOverdue{Case: ref(k), Department: o.Department, Lead: k.Department, Due: o.Due})
		}
	}
	return out
}

// AwaitingOpinion is the cases waiting for the department's opinion, the
// earliest due first: what its back-office page shows beside its own.
func AwaitingOpinion(s *State, department string) []*Case {
	s.ensure()
	type due struct {
		k  *Case
		at time.Time
	}
	var ds []due
	for _, k := range s.idx.open {
		if k.Status != Accepted {
			continue
		}
		for _, o := range k.Opinions {
			if o.Department == department && !o.Given {
				ds = append(ds, due{k, o.Due})
			}
		}
	}
	slices.SortFunc(ds, func(a, b due) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return strings.Compare(a.k.Number, b.k.Number)
	})
	out := make([]*Case, len(ds))
	for i, d := range ds {
		out[i] = d.k
	}
	return out
}
