package cases

import (
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
	"hallfloor/room"
)

// 同城通办 (罗山 同城通办工作制度): the applicant applies here for a
// department of another area. The hall's 专窗 receives and checks the
// materials, posts them to that department within one working day, and,
// once it has decided, gets the result back within one working day of the
// decision (四).
//
// It is a property of the item, not of a case: the bureau publishes the
// list of 通办事项 (三), each with its area's department, its materials and
// its promised days, so the clerk picks such an item; nobody improvises
// one at the counter. Such a case has no local department: nobody here
// accepts, asks for supplements or decides it, its materials go by post
// instead of a 材料交接 batch, it is not deemed accepted after 5 working
// days, and the hall's own overdue check leaves it alone (the transit
// does not count in the promised days, and the promise is the other
// area's). Hall staff record what the post and the other area tell: the
// posting, the decision with its date, and the result's arrival; the
// result then goes out like any other.

// CrossWithinDays is how many working days each leg of the post may take.
const CrossWithinDays = 1

// CrossArea is the department of another area deciding a 同城通办 item.
type CrossArea struct {
	Area       string `json:"area"`
	Department string `json:"department"`
}

// Crossing is a 同城通办 case's journey.
type Crossing struct {
	CrossArea
	PostBy   time.Time `json:"post_by"`
	PostedAt time.Time `json:"posted_at,omitzero"`
	Courier  string    `json:"courier,omitempty"`
	Waybill  string    `json:"waybill,omitempty"`
	PostLate bool      `json:"post_late,omitempty"`
	// DecidedAt is the other area's decision as recorded here; the result
	// is due back by ResultBy.
	DecidedAt  time.Time `json:"decided_at,omitzero"`
	ResultBy   time.Time `json:"result_by,omitzero"`
	ArrivedAt  time.Time `json:"arrived_at,omitzero"`
	ResultLate bool      `json:"result_late,omitempty"`
}

// PostMaterials is hall staff posting a 同城通办 case's materials to the
// other area's department.
type PostMaterials struct {
	Case    string
	Courier string
	Waybill string
	Actor   room.Actor
}

// RecordDecision is hall staff recording the other area's decision and its
// date: approved, or refused with the reason its written decision gives.
type RecordDecision struct {
	Case      string
	Approved  bool
	Reason    string
	DecidedAt time.Time
	Actor     room.Actor
}

// ResultArrived is hall staff receiving the other area's result (the
// certificate, or the written refusal).
type ResultArrived struct {
	Case  string
	Actor room.Actor
}

func (PostMaterials) caseCommand()  {}
func (RecordDecision) caseCommand() {}
func (ResultArrived) caseCommand()  {}

// MaterialsPosted is the materials on their way to the other area.
type MaterialsPosted struct {
	Case    Ref    `json:"case"`
	Staff   string `json:"staff"`
	Courier string `json:"courier"`
	Waybill string `json:"waybill"`
}

// CrossDecided is the other area's decision, recorded here.
type CrossDecided struct {
	Case      Ref       `json:"case"`
	Staff     string    `json:"staff"`
	Approved  bool      `json:"approved"`
	Reason    string    `json:"reason,omitempty"`
	DecidedAt time.Time `json:"decided_at"`
	ResultBy  time.Time `json:"result_by"`
}

// CrossResultArrived is the result back in the hall.
type CrossResultArrived struct {
	Case  Ref    `json:"case"`
	Staff string `json:"staff"`
}

// Legs of the journey a CrossLate names.
const (
	LegPost   = "post"   // the materials, to the other area
	LegResult = "result" // the result, back here
)

// CrossLate is a leg of the journey past its working day, once each.
type CrossLate struct {
	Case Ref       `json:"case"`
	Leg  string    `json:"leg"`
	Area string    `json:"area"`
	Due  time.Time `json:"due"`
}

func (MaterialsPosted) Type() string    { return "case.posted" }
func (CrossDecided) Type() string       { return "case.cross_decided" }
func (CrossResultArrived) Type() string { return "case.result_arrived" }
func (CrossLate) Type() string          { return "case.cross_late" }

func (MaterialsPosted) Public() room.Payload    { return Stepped{} }
func (CrossDecided) Public() room.Payload       { return Stepped{} }
func (CrossResultArrived) Public() room.Payload { return Stepped{} }
func (CrossLate) Public() room.Payload          { return Stepped{} }

func init() {
	room.Register[MaterialsPosted]()
	room.Register[CrossDecided]()
	room.Register[CrossResultArrived]()
	room.Register[CrossLate]()
}

// crossing finds a 同城通办 case for hall staff.
func crossing(s *State, id string, a room.Actor) (*Case, error) {
	k := s.Cases[id]
	if k == nil {
		return nil, errs.R(errs.NotFound, "no_case", "case", id)
	}
	if err := hallStaff(a); err != nil {
		return nil, err
	}
	if k.Cross == nil {
		return nil, errs.R(errs.Conflict, "case_not_cross", "number", k.Number)
	}
	return k, nil
}

// notLocal refuses the local department's steps on a 同城通办 case.
func notLocal(k *Case) error {
	if k.Cross == nil {
		return nil
	}
	return errs.R(errs.Conflict, "case_cross_area", "number", k.Number, "area", k.Cross.Area, "department", k.Cross.Department)
}

func decideCross(s *State, setup *Setup, cmd Command, env room.Env) (room.Outcome, error) {
	switch c := cmd.(type) {
	case PostMaterials:
		k, err := crossing(s, c.Case, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if !k.Cross.PostedAt.IsZero() || k.Status != Received {
			return room.Outcome{}, state(k)
		}
		courier, waybill := strings.TrimSpace(c.Courier), strings.TrimSpace(c.Waybill)
		if courier == "" || waybill == "" {
			return room.Outcome{}, errs.Bad("waybill", "case_waybill_required")
		}
		return one(MaterialsPosted{Case: ref(k), Staff: c.Actor.Staff, Courier: courier, Waybill: waybill}), nil
	case RecordDecision:
		k, err := crossing(s, c.Case, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if k.Cross.PostedAt.IsZero() {
			return room.Outcome{}, errs.R(errs.Conflict, "case_cross_not_posted", "number", k.Number)
		}
		if k.Status != Received {
			return room.Outcome{}, state(k)
		}
		// The decision is the other area's: it cannot predate the posting
		// of the materials it needed, nor lie in the future.
		if c.DecidedAt.IsZero() || c.DecidedAt.After(env.Now) || c.DecidedAt.Before(k.Cross.PostedAt) {
			return room.Outcome{}, errs.Bad("decided_at", "case_cross_decided_at")
		}
		reason := strings.TrimSpace(c.Reason)
		if !c.Approved && reason == "" {
			return room.Outcome{}, errs.Bad("reason", "case_reason_required")
		}
		if utf8.RuneCountInString(reason) > 500 {
			return room.Outcome{}, errs.Bad("reason", "case_text_long", "max", 500)
		}
		return one(CrossDecided{Case: ref(k), Staff: c.Actor.Staff, Approved: c.Approved, Reason: reason, DecidedAt: c.DecidedAt,
			ResultBy: setup.addWorkingDays(c.DecidedAt, CrossWithinDays)}), nil
	case ResultArrived:
		k, err := crossing(s, c.Case, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if k.Cross.DecidedAt.IsZero() {
			return room.Outcome{}, errs.R(errs.Conflict, "case_cross_undecided", "number", k.Number)
		}
		if !k.Cross.ArrivedAt.IsZero() {
			return room.Outcome{}, state(k)
		}
		return one(CrossResultArrived{Case: ref(k), Staff: c.Actor.Staff}), nil
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "cases: unknown command %T", cmd)
}

// closable refuses closing a refused 同城通办 case before its written
// decision came back: there is nothing to hand the applicant yet.
func closable(k *Case) error {
	if k.Cross != nil && k.Cross.ArrivedAt.IsZero() {
		return errs.R(errs.Conflict, "case_cross_undecided", "number", k.Number)
	}
	return nil
}

func (s *State) applyCross(e room.Event) {
	switch p := e.Data.(type) {
	case MaterialsPosted:
		if c := s.Cases[p.Case.ID]; c != nil && c.Cross != nil {
			c.Cross.PostedAt, c.Cross.Courier, c.Cross.Waybill = e.At, p.Courier, p.Waybill
			step(c, p, p.Staff, e.At)
		}
	case CrossDecided:
		if c := s.Cases[p.Case.ID]; c != nil && c.Cross != nil {
			c.Cross.DecidedAt, c.Cross.ResultBy = p.DecidedAt, p.ResultBy
			c.Status = Approved
			if !p.Approved {
				c.Status, c.Reason = Refused, p.Reason
			}
			step(c, p, p.Staff, e.At)
		}
	case CrossResultArrived:
		if c := s.Cases[p.Case.ID]; c != nil && c.Cross != nil {
			c.Cross.ArrivedAt = e.At
			if c.Status == Approved {
				c.Status = Ready
			}
			step(c, p, p.Staff, e.At)
		}
	case CrossLate:
		if c := s.Cases[p.Case.ID]; c != nil && c.Cross != nil {
			if p.Leg == LegPost {
				c.Cross.PostLate = true
			} else {
				c.Cross.ResultLate = true
			}
			step(c, p, "", e.At)
		}
	}
}

// crossDue is a leg past its working day, once each.
func crossDue(k *Case, now time.Time) []room.Payload {
	x := k.Cross
	if x == nil {
		return nil
	}
	switch {
	case x.PostedAt.IsZero() && !x.PostLate && now.After(x.PostBy):
		return []room.Payload{CrossLate{Case: ref(k), Leg: LegPost, Area: x.Area, Due: x.PostBy}}
	case !x.DecidedAt.IsZero() && x.ArrivedAt.IsZero() && !x.ResultLate && now.After(x.ResultBy):
		return []room.Payload{CrossLate{Case: ref(k), Leg: LegResult, Area: x.Area, Due: x.ResultBy}}
	}
	return nil
}
