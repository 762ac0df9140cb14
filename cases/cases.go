// Package cases is the room of cases, 办件, from intake to the result in the
// applicant's hands (受办分离: 前台综合受理、后台分类审批、统一窗口出件). A clerk
// serving a 收件号 opens a case for an item of the hall's catalogue (事项)
// with the materials received; when some are missing the clerk either
// refuses with the 一次性告知单 listing every one of them, or accepts under
// 容缺 with the applicant's commitment and its deadline. The item's
// department decides in the back office: accept (受理), ask for supplements
// (补正, only within 5 working days of the receipt: a case left without one
// counts as accepted from the receipt's date), approve or refuse with a
// written reason; the result is made and delivered at the output window,
// by post or through a locker, and the case closes. The promised deadline
// counts working days on the hall's calendar; a case past it is reported
// once. Every step is an event naming who and when (全程流痕), kept on the
// case as its timeline.
package cases

import (
	"slices"
	"time"

	"hallfloor/calendar"
	"hallfloor/outbox"
)

// Kind is how an item is handled.
type Kind string

const (
	Immediate Kind = "immediate" // 即办件: decided the same working day
	Promised  Kind = "promised"  // 承诺件: decided within its promised working days
)

// Party is who applies.
type Party string

const (
	Person     Party = "person"     // 自然人
	Enterprise Party = "enterprise" // 法人
)

// SupplementWithinDays is how many working days after the receipt a
// department may still ask for supplements (台州 三(四)1); later, the case
// counts as accepted from the receipt's date.
const SupplementWithinDays = 5

// DefaultTolerateDays is how many working days a 容缺 applicant has to
// bring the missing materials when the clerk names none.
const DefaultTolerateDays = 5

// Setup is the hall's catalogue of items and the departments deciding them.
type Setup struct {
	Items       []Item
	Departments []Department
	// Calendar counts the working days of deadlines.
	Calendar *calendar.Calendar
	// SignWithin is how long a sent 材料交接 batch may wait for the
	// department's signature before the hall is told
	// (DefaultSignWithin when 0).
	SignWithin time.Duration
	// KeepClosedDays is how many days a closed case stays in the state
	// before it leaves it (DefaultKeepClosedDays when 0); the journal
	// keeps it for ever.
	KeepClosedDays int

	items map[string]*Item
	depts map[string]*Department
}

// Item is one 事项 of the catalogue.
type Item struct {
	Code       string
	Name       string
	NameEN     string
	Department string
	Kind       Kind
	// Days is the promised number of working days (承诺时限); 0 for a 即办件.
	Days      int
	Materials []Material // the 收件清单
	// Joint are the other departments giving their opinion on its cases
	// (联合办理); Department leads.
	Joint []JointDepartment
	// Cross makes it a 同城通办 item, decided by another area's
	// department; Department is then empty.
	Cross *CrossArea
}

// Material is one entry of an item's 收件清单.
type Material struct {
	Code string
	Name string
	// InPerson is a material the 办事指南 wants signed or checked in person
	// (现场核对原件、本人签字): it never comes by the 免跑腿信封.
	InPerson bool
}

// Department is a 审批支撑部门 deciding cases, and its staff (工号).
type Department struct {
	ID    string
	Name  string
	Staff []string
}

// NewSetup indexes a setup; config has validated it.
func NewSetup(s Setup) *Setup {
	s.items = make(map[string]*Item, len(s.Items))
	s.depts = make(map[string]*Department, len(s.Departments))
	for i := range s.Items {
		s.items[s.Items[i].Code] = &s.Items[i]
	}
	for i := range s.Departments {
		s.depts[s.Departments[i].ID] = &s.Departments[i]
	}
	if s.SignWithin <= 0 {
		s.SignWithin = DefaultSignWithin
	}
	if s.KeepClosedDays <= 0 {
		s.KeepClosedDays = DefaultKeepClosedDays
	}
	return &s
}

// Item is the catalogue's item with the code, or nil.
func (s *Setup) Item(code string) *Item {
	if s == nil {
		return nil
	}
	return s.items[code]
}

// Department is the department with the id, or nil.
func (s *Setup) Department(id string) *Department {
	if s == nil {
		return nil
	}
	return s.depts[id]
}

func (s *Setup) location() *time.Location {
	if s.Calendar != nil && s.Calendar.Location != nil {
		return s.Calendar.Location
	}
	return time.UTC
}

// addWorkingDays is the end of the n-th working day after t's date (n 0:
// the end of t's day), on the hall's calendar, Monday to Friday without one.
func (s *Setup) addWorkingDays(t time.Time, n int) time.Time {
	if s.Calendar != nil {
		return s.Calendar.AddWorkingDays(t, n)
	}
	c := &calendar.Calendar{Location: time.UTC, AlwaysOpen: true}
	return c.AddWorkingDays(t, n)
}

// Deadline is when a case of the item received at t must be decided: the
// end of the receipt's day for a 即办件, the end of the last promised
// working day for a 承诺件.
func (s *Setup) Deadline(it *Item, received time.Time) time.Time {
	if it.Kind == Immediate {
		return s.addWorkingDays(received, 0)
	}
	return s.addWorkingDays(received, it.Days)
}

// SupplementBy is the last moment a department may ask for supplements of
// a case received at t.
func (s *Setup) SupplementBy(received time.Time) time.Time {
	return s.addWorkingDays(received, SupplementWithinDays)
}

// Member reports whether staff is one of the department's.
func (d *Department) Member(staff string) bool {
	for _, m := range d.Staff {
		if m == staff {
			return true
		}
	}
	return false
}

// Status is where a case stands.
type Status string

const (
	Received   Status = "received"   // 已收件: waits for the department
	Supplement Status = "supplement" // 补正: the department asked for more
	Accepted   Status = "accepted"   // 已受理
	Approved   Status = "approved"   // 准予: the result is being made
	Refused    Status = "refused"    // 不予受理 / 不予许可
	Ready      Status = "ready"      // the result waits for the applicant
	Posted     Status = "posted"     // 已邮寄: handed to the courier, waiting for its 签收 (送达凭证)
	Closed     Status = "closed"     // delivered: 办结
)

// Deciding reports whether the department still owes a decision or the
// result: the span the promised deadline covers.
func (st Status) Deciding() bool {
	return st == Received || st == Supplement || st == Accepted || st == Approved
}

// Delivery channels.
const (
	ChannelWindow = "window" // 窗口出件, signed for
	ChannelPost   = "post"   // 邮寄, by courier with a waybill
	ChannelLocker = "locker" // 自助取件柜
)

// Step is one entry of a case's timeline (全程流痕): what, who, when.
type Step struct {
	Type  string    `json:"type"`
	Staff string    `json:"staff,omitempty"`
	At    time.Time `json:"at"`
}

// Case is one 办件.
type Case struct {
	ID         string `json:"id"`     // unguessable: opens the case's status page
	Number     string `json:"number"` // 办件编号
	Item       string `json:"item"`
	Department string `json:"department"`
	Kind       Kind   `json:"kind"`
	Ticket     string `json:"ticket,omitempty"` // the 收件号 served when opened
	Window     string `json:"window,omitempty"`
	Clerk      string `json:"clerk,omitempty"`

	Name   string `json:"name"`
	IDHash string `json:"id_hash"`
	Phone  string `json:"phone,omitempty"`
	Party  Party  `json:"party"`

	Received []string `json:"received,omitempty"` // material codes
	// Missing, Commitment and SupplyBy are the 容缺 acceptance: what the
	// applicant still owes, their promise, and by when.
	Missing    []string  `json:"missing,omitempty"`
	Commitment string    `json:"commitment,omitempty"`
	SupplyBy   time.Time `json:"supply_by,omitzero"`

	Status     Status    `json:"status"`
	ReceivedAt time.Time `json:"received_at"`
	Deadline   time.Time `json:"deadline"`
	// AcceptedAt is when the case counts as accepted: the receipt's time
	// when no 补正通知 came within 5 working days.
	AcceptedAt time.Time `json:"accepted_at,omitzero"`
	Overdue    bool      `json:"overdue,omitempty"`
	// Asked are the materials of the last 补正通知.
	Asked  []string `json:"asked,omitempty"`
	Reason string   `json:"reason,omitempty"` // a refusal's written reason

	Channel  string `json:"channel,omitempty"`
	Delivery string `json:"delivery,omitempty"` // signature, courier and waybill, or the compartment

	// Collect is how the applicant chose to collect the result (collect.go),
	// with the postal Address and Recipient; none: at the window.
	Collect   string `json:"collect,omitempty"`
	Address   string `json:"address,omitempty"`
	Recipient string `json:"recipient,omitempty"`
	// Notices are the applicant's SMS sealed at Open, by NoticeReady,
	// NoticeSupplement, NoticeRefused.
	Notices map[string]outbox.Queued `json:"notices,omitempty"`
	// PickupTicket is the last 取件号 linked to the case at the kiosk.
	PickupTicket string `json:"pickup_ticket,omitempty"`
	// Locker is the compartment holding the result, while it does.
	Locker string `json:"locker,omitempty"`
	// DeliveredAt is when the result went out; ProofAt when its 送达凭证
	// went back to the department; ProofLate that a posted result's 签收
	// was reported missing.
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
	ProofAt     time.Time `json:"proof_at,omitzero"`
	ProofLate   bool      `json:"proof_late,omitempty"`

	Timeline []Step `json:"timeline"`

	// HandoverBy is when the paper materials must be with the department
	// (材料交接); Batch is the batch that took them, HandoverLate that
	// the hall was told they had not gone in time.
	HandoverBy   time.Time `json:"handover_by,omitzero"`
	Batch        string    `json:"batch,omitempty"`
	HandoverLate bool      `json:"handover_late,omitempty"`
	// Opinions are the joint departments' (联办), from the acceptance on.
	Opinions []Opinion `json:"opinions,omitempty"`
	// Cross is a 同城通办 case's journey to the other area and back.
	Cross *Crossing `json:"cross,omitempty"`
	// AskBy is the last moment the department may ask for supplements:
	// past it, a case still received counts as accepted. Zero on a case
	// opened before it was recorded; Due then counts it again.
	AskBy time.Time `json:"ask_by,omitzero"`
	// SupplyLate is the 容缺 deadline passed with materials still missing.
	SupplyLate bool `json:"supply_late,omitempty"`
	// ClosedAt is when the case closed; it leaves the state
	// KeepClosedDays later.
	ClosedAt time.Time `json:"closed_at,omitzero"`
}

// Material is the item's material with the code, or nil.
func (it *Item) Material(code string) *Material {
	for i := range it.Materials {
		if it.Materials[i].Code == code {
			return &it.Materials[i]
		}
	}
	return nil
}

// Owes reports whether the applicant still owes the material: missing at a
// 容缺 acceptance, or asked for by a 补正通知.
func (c *Case) Owes(material string) bool {
	return slices.Contains(c.Missing, material) || slices.Contains(c.Asked, material)
}

// State is the hall's cases; unlike tickets they outlive the day.
type State struct {
	Cases map[string]*Case `json:"cases,omitempty"`
	// Day and Seq are the last 办件编号's day (YYYYMMDD) and its number in
	// the day: the sequence starts again each day.
	Day string `json:"day,omitempty"`
	Seq int    `json:"seq,omitempty"`
	// Notices counts the 一次性告知单 issued, the refused intakes.
	Notices int `json:"notices,omitempty"`
	// Batches are the 材料交接 batches; BatchDay and BatchSeq number them
	// within the day.
	Batches  map[string]*Batch `json:"batches,omitempty"`
	BatchDay string            `json:"batch_day,omitempty"`
	BatchSeq int               `json:"batch_seq,omitempty"`

	// The indexes Due reads instead of every case: rebuilt by Adopt, kept
	// by Apply, never serialised.
	idx index
}

// NewState is a hall without cases.
func NewState() *State {
	s := &State{}
	s.Adopt()
	return s
}

// Adopt fills in the maps a state restored from a snapshot may lack.
func (s *State) Adopt() {
	if s.Cases == nil {
		s.Cases = map[string]*Case{}
	}
	if s.Batches == nil {
		s.Batches = map[string]*Batch{}
	}
	s.reindex()
}

// ByNumber is the case with the 办件编号, or nil.
func (s *State) ByNumber(number string) *Case {
	for _, c := range s.Cases {
		if c.Number == number {
			return c
		}
	}
	return nil
}
