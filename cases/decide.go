package cases

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

// Command is a request to the cases' room.
type Command interface{ caseCommand() }

// What the clerk chooses when materials are missing.
const (
	MissingRefuse   = "refuse"   // 一次性告知单: no case, the list of everything missing
	MissingTolerate = "tolerate" // 容缺: the case opens on the applicant's commitment
	// 免跑腿信封: the case opens as under 容缺, the missing materials to come
	// by upload or by post in the envelope the hall issues in the same
	// command (package envelope); the envelope is the commitment.
	MissingEnvelope = "envelope"
)

// Open is the clerk at an intake window, serving a 收件号, receiving a case:
// the item, the applicant (IDHash is the protected ID number, as tickets
// keep it), the materials received by code, and what to do when some are
// missing (Missing: refuse or tolerate, with the Commitment and the working
// days to supply them, DefaultTolerateDays when 0). ID is the case's id,
// chosen by the caller (unguessable) or, when empty, by the environment.
type Open struct {
	ID         string
	Window     string
	Item       string
	Name       string
	IDHash     string
	Phone      string
	Party      Party
	Received   []string
	Missing    string
	Commitment string
	SupplyDays int
	Actor      room.Actor
	// Collect, Address and Recipient are the collection chosen at the
	// counter (as ChooseCollection); Notices the applicant's SMS, sealed by
	// the edge, by NoticeReady, NoticeSupplement and NoticeRefused.
	Collect   string
	Address   string
	Recipient string
	Notices   map[string]outbox.Queued
}

// Accept is the department's 受理.
type Accept struct {
	Case  string
	Actor room.Actor
}

// AskSupplement is the department's 补正通知 for the materials listed.
type AskSupplement struct {
	Case      string
	Materials []string
	Note      string
	Actor     room.Actor
}

// Approve is 准予: the result is to be made.
type Approve struct {
	Case  string
	Actor room.Actor
}

// Refuse is 不予受理 or 不予许可, with the written reason.
type Refuse struct {
	Case   string
	Reason string
	Actor  room.Actor
}

// MarkReady is the department saying the result is made (ResultReady).
type MarkReady struct {
	Case  string
	Actor room.Actor
}

// Deliver hands the result over (output.go): at the output window
// (Window, the clerk signed on there serving the 取件号 linked to the case,
// and the applicant's Signature), which closes the case, or by post
// (Courier and Waybill), which waits for the courier's 签收
// (RecordReceipt). A locker delivers on the applicant's pickup; Locker is
// kept for the events of deliveries journaled before.
type Deliver struct {
	Case      string
	Channel   string
	Window    string
	Signature string
	Courier   string
	Waybill   string
	Locker    string
	Actor     room.Actor
}

// Supply is the applicant bringing materials owed, handed in to a member of
// staff (at an intake window, or the reverse flow of a locker): those of a
// 容缺 acceptance or of a 补正通知.
type Supply struct {
	Case      string
	Materials []string
	Actor     room.Actor
}

// Close ends a refused case once the written decision (不予受理 or 不予许可
// 决定书) is in the applicant's hands; a case with a result closes by its
// delivery.
type Close struct {
	Case  string
	Actor room.Actor
}

func (Close) caseCommand()         {}
func (Supply) caseCommand()        {}
func (Open) caseCommand()          {}
func (Accept) caseCommand()        {}
func (AskSupplement) caseCommand() {}
func (Approve) caseCommand()       {}
func (Refuse) caseCommand()        {}
func (MarkReady) caseCommand()     {}
func (Deliver) caseCommand()       {}

// Decide checks a command against the cases and the queue (the window
// serving the 收件号).
func Decide(s *State, setup *Setup, q *queue.State, qs *queue.Setup, cmd Command, env room.Env) (room.Outcome, error) {
	switch c := cmd.(type) {
	case Open:
		return decideOpen(s, setup, q, qs, c, env)
	case SendBatch:
		return decideSendBatch(s, setup, c, env)
	case SignBatch:
		return decideSignBatch(s, setup, c)
	case GiveOpinion:
		return decideOpinion(s, setup, c)
	case PostMaterials, RecordDecision, ResultArrived:
		return decideCross(s, setup, c, env)
	case Accept:
		k, err := deciding(s, setup, c.Case, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if k.Status != Received && k.Status != Supplement {
			return room.Outcome{}, state(k)
		}
		if joint := opinionsAsked(setup, k, env.Now); joint != nil {
			return room.Outcome{Events: append([]room.Payload{CaseAccepted{Case: ref(k), Staff: c.Actor.Staff}}, joint...)}, nil
		}
		return one(CaseAccepted{Case: ref(k), Staff: c.Actor.Staff}), nil
	case AskSupplement:
		k, err := deciding(s, setup, c.Case, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if k.Status != Received && k.Status != Supplement {
			return room.Outcome{}, state(k)
		}
		if by := setup.SupplementBy(k.ReceivedAt); env.Now.After(by) {
			return room.Outcome{}, errs.R(errs.Conflict, "case_supplement_late", "number", k.Number,
				"days", SupplementWithinDays, "by", by.In(setup.location()).Format(time.DateOnly))
		}
		if len(c.Materials) == 0 {
			return room.Outcome{}, errs.Bad("materials", "case_supplement_materials")
		}
		it := setup.Item(k.Item)
		for _, m := range c.Materials {
			if it == nil || !it.has(m) {
				return room.Outcome{}, errs.Bad("materials", "case_no_material", "material", m)
			}
		}
		if utf8.RuneCountInString(c.Note) > 500 {
			return room.Outcome{}, errs.Bad("note", "case_text_long", "max", 500)
		}
		return one(SupplementAsked{Case: ref(k), Staff: c.Actor.Staff, Materials: slices.Clone(c.Materials), Note: c.Note}), nil
	case Approve:
		k, err := deciding(s, setup, c.Case, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if k.Status != Accepted {
			return room.Outcome{}, state(k)
		}
		if err := jointApprovable(setup, k); err != nil {
			return room.Outcome{}, err
		}
		return one(CaseApproved{Case: ref(k), Staff: c.Actor.Staff}), nil
	case Refuse:
		k, err := deciding(s, setup, c.Case, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if !k.Status.Deciding() || k.Status == Approved {
			return room.Outcome{}, state(k)
		}
		reason := strings.TrimSpace(c.Reason)
		if reason == "" {
			return room.Outcome{}, errs.Bad("reason", "case_reason_required")
		}
		if utf8.RuneCountInString(reason) > 500 {
			return room.Outcome{}, errs.Bad("reason", "case_text_long", "max", 500)
		}
		return one(CaseRefused{Case: ref(k), Staff: c.Actor.Staff, Reason: reason, Accepted: k.Status == Accepted,
			Late: env.Now.After(k.Deadline)}), nil
	case MarkReady:
		k, err := deciding(s, setup, c.Case, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if k.Status != Approved {
			return room.Outcome{}, state(k)
		}
		return one(ResultMade{Case: ref(k), Staff: c.Actor.Staff, Late: env.Now.After(k.Deadline)}), nil
	case Deliver:
		return decideDeliver(s, q, qs, c)
	case Close:
		k := s.Cases[c.Case]
		if k == nil {
			return room.Outcome{}, errs.R(errs.NotFound, "no_case", "case", c.Case)
		}
		if !c.Actor.Staffed() {
			return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
		}
		if k.Status != Refused {
			return room.Outcome{}, state(k)
		}
		if err := closable(k); err != nil {
			return room.Outcome{}, err
		}
		return one(CaseClosed{Case: ref(k), Staff: c.Actor.Staff}), nil
	case Supply:
		k := s.Cases[c.Case]
		if k == nil {
			return room.Outcome{}, errs.R(errs.NotFound, "no_case", "case", c.Case)
		}
		if !c.Actor.Staffed() {
			return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
		}
		if !k.Status.Deciding() {
			return room.Outcome{}, state(k)
		}
		if len(c.Materials) == 0 {
			return room.Outcome{}, errs.Bad("materials", "case_supplement_materials")
		}
		for i, m := range c.Materials {
			if !k.Owes(m) || slices.Contains(c.Materials[:i], m) {
				return room.Outcome{}, errs.Bad("materials", "case_not_owed", "material", m)
			}
		}
		// Settled is a 容缺 promise kept: the last of the materials missing
		// at intake handed in (a 补正通知 answered is not one).
		settled := len(k.Missing) > 0
		for _, m := range k.Missing {
			settled = settled && slices.Contains(c.Materials, m)
		}
		return one(Supplied{Case: ref(k), Staff: c.Actor.Staff, Materials: slices.Clone(c.Materials), Settled: settled}), nil
	case ChooseCollection:
		return decideChoose(s, c)
	case TakePickup:
		return decideTakePickup(s, qs, c, env)
	case RecordReceipt:
		return decideReceipt(s, c)
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "cases: unknown command %T", cmd)
}

func one(p room.Payload) room.Outcome { return room.Outcome{Events: []room.Payload{p}} }

func ref(k *Case) Ref { return Ref{ID: k.ID, Number: k.Number, Item: k.Item, Department: k.Department} }

func state(k *Case) error {
	return errs.R(errs.Conflict, "case_wrong_state", "number", k.Number, "status", string(k.Status))
}

func (it *Item) has(code string) bool {
	for _, m := range it.Materials {
		if m.Code == code {
			return true
		}
	}
	return false
}

// deciding finds a case for one of its department's staff: a clerk or a
// manager of the hall does not decide for a department.
func deciding(s *State, setup *Setup, id string, a room.Actor) (*Case, error) {
	k := s.Cases[id]
	if k == nil {
		return nil, errs.R(errs.NotFound, "no_case", "case", id)
	}
	if !a.Staffed() {
		return nil, errs.R(errs.Unauthorized, "sign_in_required")
	}
	if err := notLocal(k); err != nil {
		return nil, err
	}
	d := setup.Department(k.Department)
	if d == nil {
		return nil, errs.R(errs.NotFound, "no_department", "department", k.Department)
	}
	if !d.Member(a.Staff) {
		return nil, errs.R(errs.Forbidden, "case_not_department", "department", d.Name)
	}
	return k, nil
}

// serving finds the 收件号 the actor serves at the window.
func serving(q *queue.State, qs *queue.Setup, window string, a room.Actor) (*queue.Ticket, error) {
	if !a.Staffed() {
		return nil, errs.R(errs.Unauthorized, "sign_in_required")
	}
	w := q.Windows[window]
	if w == nil || qs.Window(window) == nil {
		return nil, errs.R(errs.NotFound, "no_window", "window", window)
	}
	if w.Staff != a.Staff {
		return nil, errs.R(errs.Forbidden, "case_not_at_window", "window", window)
	}
	t := q.Tickets[w.Current]
	if w.State != queue.Serving || t == nil {
		return nil, errs.R(errs.Conflict, "case_not_serving", "window", window)
	}
	if sv := qs.Service(t.Service); sv == nil || sv.Kind != queue.Intake {
		return nil, errs.R(errs.Conflict, "case_not_intake", "number", t.Number)
	}
	return t, nil
}

func decideOpen(s *State, setup *Setup, q *queue.State, qs *queue.Setup, c Open, env room.Env) (room.Outcome, error) {
	t, err := serving(q, qs, c.Window, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	it := setup.Item(c.Item)
	if it == nil {
		return room.Outcome{}, errs.Bad("item", "no_item", "item", c.Item)
	}
	name := strings.TrimSpace(c.Name)
	switch {
	case name == "":
		return room.Outcome{}, errs.Bad("name", "case_name_required")
	case utf8.RuneCountInString(name) > 100:
		return room.Outcome{}, errs.Bad("name", "case_text_long", "max", 100)
	case c.IDHash == "":
		return room.Outcome{}, errs.Bad("id_number", "case_id_required")
	case c.Party != Person && c.Party != Enterprise:
		return room.Outcome{}, errs.Bad("party", "case_party")
	}
	for i, m := range c.Received {
		if !it.has(m) {
			return room.Outcome{}, errs.Bad("received", "case_no_material", "material", m)
		}
		if slices.Contains(c.Received[:i], m) {
			return room.Outcome{}, errs.Bad("received", "case_material_twice", "material", m)
		}
	}
	var missing []string
	for _, m := range it.Materials {
		if !slices.Contains(c.Received, m.Code) {
			missing = append(missing, m.Code)
		}
	}
	open := Opened{Department: it.Department, Kind: it.Kind, Ticket: t.ID, Window: c.Window, Staff: c.Actor.Staff,
		Name: name, IDHash: c.IDHash, Phone: c.Phone, Party: c.Party, Received: slices.Clone(c.Received)}
	if len(missing) > 0 {
		switch c.Missing {
		case MissingRefuse:
			return one(NoticeIssued{Item: it.Code, Ticket: t.ID, Window: c.Window, Staff: c.Actor.Staff, Missing: missing}), nil
		case MissingTolerate, MissingEnvelope:
			commitment := strings.TrimSpace(c.Commitment)
			if commitment == "" && c.Missing == MissingTolerate {
				return room.Outcome{}, errs.Bad("commitment", "case_commitment_required")
			}
			if utf8.RuneCountInString(commitment) > 500 {
				return room.Outcome{}, errs.Bad("commitment", "case_text_long", "max", 500)
			}
			days := c.SupplyDays
			if days == 0 {
				days = DefaultTolerateDays
			}
			if days < 0 || days > 30 {
				return room.Outcome{}, errs.Bad("supply_days", "case_supply_days", "max", 30)
			}
			open.Missing, open.Commitment, open.SupplyBy = missing, commitment, setup.addWorkingDays(env.Now, days)
		default:
			return room.Outcome{}, errs.R(errs.Conflict, "case_materials_missing", "count", len(missing))
		}
	}
	if err := openCollection(c, &open); err != nil {
		return room.Outcome{}, err
	}
	id := c.ID
	if id == "" {
		id = env.ID()
	}
	if id == "" || s.Cases[id] != nil {
		return room.Outcome{}, errs.Internalf("case_id", "cases: no new id for a case (%q)", id)
	}
	day := env.Now.In(setup.location()).Format("20060102")
	n := 1
	if s.Day == day {
		n = s.Seq + 1
	}
	open.Case = Ref{ID: id, Number: fmt.Sprintf("%s%04d", day, n), Item: it.Code, Department: it.Department}
	open.Day, open.Seq = day, n
	open.Deadline = setup.Deadline(it, env.Now)
	open.HandoverBy = setup.HandoverBy(it, env.Now)
	open.AskBy = setup.SupplementBy(env.Now)
	if it.Cross != nil {
		x := *it.Cross
		open.Cross, open.PostBy = &x, setup.addWorkingDays(env.Now, CrossWithinDays)
	}
	return room.Outcome{Events: []room.Payload{open}, Ticket: t.ID}, nil
}

// Due is the cases' job as a function of (state, now): each case still
// owed a decision or its result past its promised deadline is reported
// overdue, once; a case received and left without a 补正通知 past the 5
// working days counts as accepted from the receipt's date.
func Due(s *State, setup *Setup, now time.Time) []room.Payload {
	var late, deemed []string
	s.ensure()
	for id, k := range s.idx.open {
		if k.Cross != nil {
			continue // the other area's promise: see crossarea.go
		}
		if !k.Overdue && k.Status.Deciding() && now.After(k.Deadline) {
			late = append(late, id)
		}
		if k.Status == Received && now.After(askBy(setup, k)) {
			deemed = append(deemed, id)
		}
	}
	// The engine asks every second: only the due are sorted, for a replay
	// to decide the same order.
	slices.Sort(late)
	slices.Sort(deemed)
	var out []room.Payload
	for _, id := range late {
		k := s.Cases[id]
		out = append(out, CaseOverdue{Case: ref(k), Department: k.Department, Deadline: k.Deadline})
	}
	for _, id := range deemed {
		out = append(out, CaseAccepted{Case: ref(s.Cases[id]), Deemed: true})
		out = append(out, opinionsAsked(setup, s.Cases[id], s.Cases[id].ReceivedAt)...)
	}
	out = append(out, proofDue(s, setup, now)...)
	return append(out, flowDue(s, setup, now)...)
}

// List is a department's cases, the earliest deadline first: what its
// back-office page shows.
func List(s *State, department string) []*Case {
	var out []*Case
	for _, k := range s.Cases {
		if k.Department == department {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b *Case) int {
		if c := a.Deadline.Compare(b.Deadline); c != 0 {
			return c
		}
		return strings.Compare(a.Number, b.Number)
	})
	return out
}
