// Package envelope is the room of the 免跑腿信封 (湖里 "免跑腿信封"服务工作方案):
// a case opened with materials missing completes its intake without a
// second trip. The intake clerk issues the envelope with the case, naming
// for each missing material whether it comes as an upload or by post
// (anything to be signed or checked in person cannot); the postage follows
// the case's party (a person pays on delivery, 到付; the bureau pays for an
// enterprise, 寄付) and the recipient is the hall file's, fixed. The
// applicant, holding the envelope's unguessable token (the 告知单's QR),
// uploads each material, or for paper first photos for a pre-review and,
// once passed, books the courier; every submission tells the clerk on the
// terminal and the window group's leader and 业务专员 by SMS. The clerk
// passes or rejects each (a rejection with its reason; the applicant's SMS
// either way), records the post's way, and a passed upload or an arrived
// paper supplies the material to the case in the same command: with the
// last one the case's intake is complete and it goes on as any other.
package envelope

import (
	"slices"
	"strings"
	"time"

	"hallfloor/cases"
	"hallfloor/outbox"
)

// Way is how a missing material comes.
type Way string

const (
	Upload Way = "upload" // 在线提交电子材料
	Post   Way = "post"   // 邮寄纸质材料, after a pre-review of its photos
)

// Postage is who pays the post of paper materials.
type Postage string

const (
	Collect Postage = "collect" // 到付: the applicant, a person, pays the courier
	Prepaid Postage = "prepaid" // 寄付: the bureau pays, for an enterprise
)

// PostageFor is who pays for a case's party (湖里 四(二)): a citizen pays,
// an enterprise's post is the bureau's.
func PostageFor(p cases.Party) Postage {
	if p == cases.Enterprise {
		return Prepaid
	}
	return Collect
}

// DefaultReviewWithin is how long a submission may wait for the clerk's
// review before the dashboard is told, when the hall file is silent.
const DefaultReviewWithin = 60 * time.Minute

// Setup is the hall file's envelope section.
type Setup struct {
	// Recipient is where posted materials go: the hall's, set once, never
	// the applicant's to change.
	Recipient Recipient
	// Groups are the window groups (综合窗口管理小组), each with its leader and
	// its 业务专员, told by SMS of every submission of their windows' envelopes.
	Groups []Group
	// Phones are the staff's mobiles by 工号, for those SMS.
	Phones map[string]string
	// ReviewWithin is how long a submission may wait for review
	// (DefaultReviewWithin when 0).
	ReviewWithin time.Duration
}

// Recipient is the fixed address posted materials go to.
type Recipient struct {
	Name    string `json:"name"`
	Phone   string `json:"phone"`
	Address string `json:"address"`
}

// Group is a group of windows with its leader and 业务专员 (工号).
type Group struct {
	Name       string
	Windows    []string
	Leader     string
	Specialist string
}

// NewSetup fills in the defaults; config has validated it.
func NewSetup(s Setup) *Setup {
	if s.ReviewWithin <= 0 {
		s.ReviewWithin = DefaultReviewWithin
	}
	return &s
}

// GroupOf is the group of the window, or nil.
func (s *Setup) GroupOf(window string) *Group {
	if s == nil {
		return nil
	}
	for i := range s.Groups {
		if slices.Contains(s.Groups[i].Windows, window) {
			return &s.Groups[i]
		}
	}
	return nil
}

// Where a material of an envelope stands.
type Status string

const (
	Owed     Status = "owed"     // nothing submitted yet
	Pending  Status = "pending"  // a submission waits for the clerk
	Rejected Status = "rejected" // the last submission was rejected: submit again
	Passed   Status = "passed"   // an upload passed (supplied), or a paper's photos pre-reviewed
	// The post's way, as the clerk records it; Arrived supplies the material.
	PickedUp  Status = "picked_up"
	InTransit Status = "in_transit"
	Arrived   Status = "arrived"
)

// Logistics are the states of the post the clerk records, in their order.
var Logistics = []Status{PickedUp, InTransit, Arrived}

// Settled reports whether the material is with the hall: an upload passed,
// a paper arrived.
func (m *Material) Settled() bool {
	return (m.Way == Upload && m.Status == Passed) || m.Status == Arrived
}

// Material is one missing material of an envelope.
type Material struct {
	Code   string `json:"code"`
	Way    Way    `json:"way"`
	Status Status `json:"status"`
	// Track is the post's way, one step per state recorded.
	Track []Track `json:"track,omitempty"`
}

// Track is one state of the post.
type Track struct {
	State Status    `json:"state"`
	Staff string    `json:"staff"`
	At    time.Time `json:"at"`
}

// File is one stored file of a submission, named by its content's hash.
type File struct {
	Hash string `json:"hash"`
	Size int64  `json:"size"`
	Type string `json:"type"`
	Name string `json:"name"`
}

// Review states of a submission.
const (
	Waiting = "pending"
	Pass    = "passed"
	Reject  = "rejected"
)

// Submission is one submission of a material: the files, and the review.
type Submission struct {
	ID       string    `json:"id"`
	Material string    `json:"material"`
	Files    []File    `json:"files"`
	At       time.Time `json:"at"`
	State    string    `json:"state"`
	Reason   string    `json:"reason,omitempty"`
	Reviewer string    `json:"reviewer,omitempty"`
	// ReviewedAt is when the clerk decided; Late that the dashboard was
	// told it waited too long.
	ReviewedAt time.Time `json:"reviewed_at,omitzero"`
	Late       bool      `json:"late,omitempty"`
}

// Courier is the applicant's booking of the courier for the paper.
type Courier struct {
	Name     string    `json:"name"`
	Phone    string    `json:"phone"`
	Address  string    `json:"address"`
	PickupAt time.Time `json:"pickup_at"`
	BookedAt time.Time `json:"booked_at"`
}

// Envelope is the 免跑腿信封 of one case.
type Envelope struct {
	// Token opens the applicant's page (the 告知单's QR): unguessable.
	Token string `json:"token"`
	// Case is the case's id, which names the envelope for staff.
	Case   cases.Ref   `json:"case"`
	Window string      `json:"window"`
	Clerk  string      `json:"clerk"`
	Party  cases.Party `json:"party"`
	// Postage and Recipient are fixed when the envelope is issued.
	Postage     Postage       `json:"postage"`
	Recipient   Recipient     `json:"recipient"`
	Materials   []*Material   `json:"materials"`
	Submissions []*Submission `json:"submissions,omitempty"`
	Courier     *Courier      `json:"courier,omitempty"`
	// Phone is the applicant's, for the SMS after the sealed ones.
	Phone string `json:"phone,omitempty"`
	// Notices are the applicant's SMS sealed at issue, by NoticePassed and
	// NoticeRejected.
	Notices  map[string]outbox.Queued `json:"notices,omitempty"`
	IssuedAt time.Time                `json:"issued_at"`
}

// Material is the envelope's material with the code, or nil.
func (e *Envelope) Material(code string) *Material {
	for _, m := range e.Materials {
		if m.Code == code {
			return m
		}
	}
	return nil
}

// Submission is the envelope's submission with the id, or nil.
func (e *Envelope) Submission(id string) *Submission {
	for _, s := range e.Submissions {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// Pending reports whether a submission waits for review.
func (e *Envelope) Pending() bool {
	for _, s := range e.Submissions {
		if s.State == Waiting {
			return true
		}
	}
	return false
}

// Open reports whether a material is still to come.
func (e *Envelope) Open() bool {
	for _, m := range e.Materials {
		if !m.Settled() {
			return true
		}
	}
	return false
}

// Has reports whether a file with the hash belongs to the envelope.
func (e *Envelope) Has(hash string) *File {
	for _, s := range e.Submissions {
		for i := range s.Files {
			if s.Files[i].Hash == hash {
				return &s.Files[i]
			}
		}
	}
	return nil
}

// State is the hall's envelopes, by the case's id.
type State struct {
	Envelopes map[string]*Envelope `json:"envelopes,omitempty"`
	// byToken finds an envelope by its token: rebuilt by Adopt, kept by
	// Apply, never serialised.
	byToken map[string]string
}

// NewState is a hall without envelopes.
func NewState() *State {
	s := &State{}
	s.Adopt()
	return s
}

// Adopt fills in the maps a state restored from a snapshot may lack.
func (s *State) Adopt() {
	if s.Envelopes == nil {
		s.Envelopes = map[string]*Envelope{}
	}
	s.byToken = make(map[string]string, len(s.Envelopes))
	for id, e := range s.Envelopes {
		s.byToken[e.Token] = id
	}
}

// ByToken is the envelope the token opens, or nil.
func (s *State) ByToken(token string) *Envelope {
	if token == "" {
		return nil
	}
	return s.Envelopes[s.byToken[token]]
}

// List is the envelopes in the order the clerks' list shows them:
// those with a submission waiting for review first, the oldest waiting
// first, then the other open ones by their issue.
func (s *State) List() []*Envelope {
	out := make([]*Envelope, 0, len(s.Envelopes))
	for _, e := range s.Envelopes {
		out = append(out, e)
	}
	first := func(e *Envelope) time.Time {
		for _, sb := range e.Submissions {
			if sb.State == Waiting {
				return sb.At
			}
		}
		return time.Time{}
	}
	slices.SortFunc(out, func(a, b *Envelope) int {
		pa, pb := a.Pending(), b.Pending()
		switch {
		case pa && !pb:
			return -1
		case pb && !pa:
			return 1
		case pa && pb:
			if c := first(a).Compare(first(b)); c != 0 {
				return c
			}
		}
		if c := a.IssuedAt.Compare(b.IssuedAt); c != 0 {
			return c
		}
		return strings.Compare(a.Case.Number, b.Case.Number)
	})
	return out
}
