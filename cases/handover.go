package cases

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"hallfloor/errs"
	"hallfloor/room"
)

// 材料交接 (台州 三(四)): the paper materials of the cases received at the
// intake windows go to each department's back office in batches, with a
// 材料交接表 (the batch's list of 办件编号) its contact signs for. 承诺件 go
// within the last half hour of the morning and of the afternoon session,
// 即办件 within 10 minutes of the receipt.

// ImmediateHandover is how soon a 即办件's materials must be with its
// department after the receipt.
const ImmediateHandover = 10 * time.Minute

// BatchWindow is the last part of a session in which 承诺件 are handed
// over.
const BatchWindow = 30 * time.Minute

// DefaultSignWithin is how long a batch may wait for its signature.
const DefaultSignWithin = 30 * time.Minute

// Batch is one 材料交接 batch: the cases whose materials went together to
// a department, who sent them and who signed for them.
type Batch struct {
	ID         string    `json:"id"`
	Number     string    `json:"number"` // J20250401-01: the day's batches in order
	Department string    `json:"department"`
	Cases      []Ref     `json:"cases"` // the 材料交接表
	SentBy     string    `json:"sent_by"`
	SentAt     time.Time `json:"sent_at"`
	SignedBy   string    `json:"signed_by,omitempty"`
	SignedAt   time.Time `json:"signed_at,omitzero"`
	// Late is the hall told the batch went unsigned past SignWithin.
	Late bool `json:"late,omitempty"`
}

// SendBatch is a hall clerk taking a department's paper materials to its
// back office: every case of the department received and not yet handed
// over goes in the batch.
//
// Outside the last half hour of a session a batch must carry at least one
// 即办件 or one case already late: those go at any time (a 即办件 within 10
// minutes; a late one cannot wait for the next window), and the 承诺件
// waiting go along with them (early never harms a deadline). A batch of
// 承诺件 in time alone waits for the window, when the department expects
// them and its contact is there to sign; sending them piecemeal is what
// the batches are there to avoid.
type SendBatch struct {
	Department string
	Actor      room.Actor
}

// SignBatch is the department's contact signing the batch's 材料交接表.
type SignBatch struct {
	Batch string
	Actor room.Actor
}

func (SendBatch) caseCommand() {}
func (SignBatch) caseCommand() {}

// BatchSent is a batch on its way to the department.
type BatchSent struct {
	Batch      string `json:"batch"`
	Number     string `json:"number"`
	Day        string `json:"day"`
	Seq        int    `json:"seq"`
	Department string `json:"department"`
	Staff      string `json:"staff"`
	Cases      []Ref  `json:"cases"`
}

// BatchSigned is the department's signature on the batch.
type BatchSigned struct {
	Batch      string `json:"batch"`
	Number     string `json:"number"`
	Department string `json:"department"`
	Staff      string `json:"staff"`
}

// HandoverLate is a case whose materials had not gone to its department
// by HandoverBy, once: the hall's alert.
type HandoverLate struct {
	Case       Ref       `json:"case"`
	Department string    `json:"department"`
	Due        time.Time `json:"due"`
}

// BatchUnsigned is a batch left unsigned SignWithin after it was sent,
// once.
type BatchUnsigned struct {
	Batch      string    `json:"batch"`
	Number     string    `json:"number"`
	Department string    `json:"department"`
	SentAt     time.Time `json:"sent_at"`
}

func (BatchSent) Type() string     { return "case.batch_sent" }
func (BatchSigned) Type() string   { return "case.batch_signed" }
func (HandoverLate) Type() string  { return "case.handover_late" }
func (BatchUnsigned) Type() string { return "case.batch_unsigned" }

func (BatchSent) Public() room.Payload     { return Stepped{} }
func (BatchSigned) Public() room.Payload   { return Stepped{} }
func (HandoverLate) Public() room.Payload  { return Stepped{} }
func (BatchUnsigned) Public() room.Payload { return Stepped{} }

func init() {
	room.Register[BatchSent]()
	room.Register[BatchSigned]()
	room.Register[HandoverLate]()
	room.Register[BatchUnsigned]()
}

// HandoverBy is when the materials of a case of the item received at t
// must be with the department: 10 minutes after the receipt for a 即办件;
// for a 承诺件 the end of the session it was received in, or, received
// outside the sessions (延时办), the end of the next one. An always-open
// hall (the demo) has no session ends to batch towards: its 承诺件 go by
// the end of the receipt's day, and batches go at any time. A 同城通办
// case is posted, not handed over: zero.
func (s *Setup) HandoverBy(it *Item, received time.Time) time.Time {
	switch {
	case it.Cross != nil:
		return time.Time{}
	case it.Kind == Immediate:
		return received.Add(ImmediateHandover)
	case s.Calendar == nil || s.Calendar.AlwaysOpen:
		return s.addWorkingDays(received, 0)
	}
	if _, end, ok := s.Calendar.Current(received); ok {
		return end
	}
	if next, ok := s.Calendar.NextOpening(received); ok {
		if _, end, ok := s.Calendar.Current(next); ok {
			return end
		}
	}
	return s.addWorkingDays(received, 1)
}

// InBatchWindow reports whether 承诺件 may be handed over at t: within the
// last half hour of a session, or at any time in an always-open hall.
func (s *Setup) InBatchWindow(t time.Time) bool {
	if s.Calendar == nil || s.Calendar.AlwaysOpen {
		return true
	}
	_, end, ok := s.Calendar.Current(t)
	return ok && end.Sub(t) <= BatchWindow
}

// nextBatchWindow is when the next batch window opens after t.
func (s *Setup) nextBatchWindow(t time.Time) time.Time {
	if _, end, ok := s.Calendar.Current(t); ok {
		return end.Add(-BatchWindow)
	}
	if next, ok := s.Calendar.NextOpening(t); ok {
		if _, end, ok := s.Calendar.Current(next); ok {
			return end.Add(-BatchWindow)
		}
	}
	return time.Time{}
}

// Pending is a department's cases whose paper materials still wait to be
// handed over, by 办件编号: what the next batch takes.
func Pending(s *State, department string) []*Case {
	s.ensure()
	var out []*Case
	for _, k := range s.idx.open {
		if k.Department == department && k.Batch == "" && k.Cross == nil {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b *Case) int { return strings.Compare(a.Number, b.Number) })
	return out
}

// hallStaff is a signed-in member of the hall's staff, not a guide: who
// carries materials and records what the post brings.
func hallStaff(a room.Actor) error {
	if !a.Staffed() {
		return errs.R(errs.Unauthorized, "sign_in_required")
	}
	if a.Role == room.Guide {
		return errs.R(errs.Forbidden, "case_hall_staff")
	}
	return nil
}

func decideSendBatch(s *State, setup *Setup, c SendBatch, env room.Env) (room.Outcome, error) {
	if err := hallStaff(c.Actor); err != nil {
		return room.Outcome{}, err
	}
	d := setup.Department(c.Department)
	if d == nil {
		return room.Outcome{}, errs.Bad("department", "no_department", "department", c.Department)
	}
	pending := Pending(s, d.ID)
	if len(pending) == 0 {
		return room.Outcome{}, errs.R(errs.Conflict, "case_batch_empty", "department", d.Name)
	}
	urgent := func(k *Case) bool { return k.Kind == Immediate || env.Now.After(k.HandoverBy) }
	if !setup.InBatchWindow(env.Now) && !slices.ContainsFunc(pending, urgent) {
		at := ""
		if t := setup.nextBatchWindow(env.Now); !t.IsZero() {
			at = t.In(setup.location()).Format("01-02 15:04")
		}
		return room.Outcome{}, errs.R(errs.Conflict, "case_batch_window", "department", d.Name, "at", at)
	}
	id := env.ID()
	if id == "" || s.Batches[id] != nil {
		return room.Outcome{}, errs.Internalf("case_id", "cases: no new id for a batch (%q)", id)
	}
	day := env.Now.In(setup.location()).Format("20060102")
	n := 1
	if s.BatchDay == day {
		n = s.BatchSeq + 1
	}
	refs := make([]Ref, len(pending))
	for i, k := range pending {
		refs[i] = ref(k)
	}
	return one(BatchSent{Batch: id, Number: fmt.Sprintf("J%s-%02d", day, n), Day: day, Seq: n, Department: d.ID,
		Staff: c.Actor.Staff, Cases: refs}), nil
}

func decideSignBatch(s *State, setup *Setup, c SignBatch) (room.Outcome, error) {
	b := s.Batches[c.Batch]
	if b == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_batch", "batch", c.Batch)
	}
	if !c.Actor.Staffed() {
		return room.Outcome{}, errs.R(errs.Unauthorized, "sign_in_required")
	}
	d := setup.Department(b.Department)
	if d == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_department", "department", b.Department)
	}
	if !d.Member(c.Actor.Staff) {
		return room.Outcome{}, errs.R(errs.Forbidden, "case_not_department", "department", d.Name)
	}
	if !b.SignedAt.IsZero() {
		return room.Outcome{}, errs.R(errs.Conflict, "case_batch_signed", "number", b.Number, "staff", b.SignedBy)
	}
	return one(BatchSigned{Batch: b.ID, Number: b.Number, Department: b.Department, Staff: c.Actor.Staff}), nil
}

func (s *State) applyBatchSent(p BatchSent, at time.Time) {
	s.ensure()
	b := &Batch{ID: p.Batch, Number: p.Number, Department: p.Department, Cases: p.Cases, SentBy: p.Staff, SentAt: at}
	s.Batches[b.ID] = b
	s.idx.unsigned[b.ID] = b
	s.BatchDay, s.BatchSeq = p.Day, p.Seq
	for _, r := range p.Cases {
		if c := s.Cases[r.ID]; c != nil {
			c.Batch = b.ID
			step(c, p, p.Staff, at)
		}
	}
}

func (s *State) applyBatchSigned(p BatchSigned, at time.Time) {
	s.ensure()
	b := s.Batches[p.Batch]
	if b == nil {
		return
	}
	b.SignedBy, b.SignedAt = p.Staff, at
	delete(s.idx.unsigned, b.ID)
	for _, r := range b.Cases {
		if c := s.Cases[r.ID]; c != nil {
			step(c, p, p.Staff, at)
		}
	}
}

// handoverDue is a case's materials late, once.
func handoverDue(k *Case, now time.Time) []room.Payload {
	if k.Batch != "" || k.HandoverLate || k.HandoverBy.IsZero() || !now.After(k.HandoverBy) {
		return nil
	}
	return []room.Payload{HandoverLate{Case: ref(k), Department: k.Department, Due: k.HandoverBy}}
}

// batchesDue is the batches unsigned too long, once each, by id.
func batchesDue(s *State, setup *Setup, now time.Time) []room.Payload {
	var late []*Batch
	for _, b := range s.idx.unsigned {
		if !b.Late && now.Sub(b.SentAt) > setup.signWithin() {
			late = append(late, b)
		}
	}
	slices.SortFunc(late, func(a, b *Batch) int { return strings.Compare(a.ID, b.ID) })
	out := make([]room.Payload, 0, len(late))
	for _, b := range late {
		out = append(out, BatchUnsigned{Batch: b.ID, Number: b.Number, Department: b.Department, SentAt: b.SentAt})
	}
	return out
}

func (s *Setup) signWithin() time.Duration {
	if s == nil || s.SignWithin <= 0 {
		return DefaultSignWithin
	}
	return s.SignWithin
}
