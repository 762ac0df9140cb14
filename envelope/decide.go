package envelope

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/cases"
	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/room"
)

// Command is a request to the envelopes' room.
type Command interface{ envelopeCommand() }

// Issue is the clerk opening a case with materials missing under the
// envelope (Open.Missing is cases.MissingEnvelope): the case opens and, in
// the same command, its envelope, with the way of each missing material.
// Token is drawn by the edge, unguessable; Notices are the applicant's SMS
// sealed by the edge, by NoticePassed and NoticeRejected (the rejection's
// with the token, for its link).
type Issue struct {
	Open      cases.Open
	Token     string
	Materials []Choice
	Notices   map[string]outbox.Queued
}

// Submit is the applicant, by the envelope's token, submitting a material
// owed: the files the edge stored (by hash). For a post material they are
// the photos for the pre-review.
type Submit struct {
	Token    string
	Material string
	Files    []File
}

// BookCourier is the applicant booking the courier for the paper, once its
// photos passed: who hands it over, where and when; the recipient is the
// envelope's, fixed.
type BookCourier struct {
	Token    string
	Name     string
	Phone    string
	Address  string
	PickupAt time.Time
}

// Review is a clerk passing or rejecting a submission (a rejection with its
// reason), on the envelope of case Case.
type Review struct {
	Case       string
	Submission string
	Pass       bool
	Reason     string
	Actor      room.Actor
}

// RecordPost is a clerk recording a state of a paper's post: picked up, in
// transit, arrived.
type RecordPost struct {
	Case     string
	Material string
	State    Status
	Actor    room.Actor
}

func (Issue) envelopeCommand()       {}
func (Submit) envelopeCommand()      {}
func (BookCourier) envelopeCommand() {}
func (Review) envelopeCommand()      {}
func (RecordPost) envelopeCommand()  {}

// The SMS the edge seals for an envelope at issue, by key in Notices.
const (
	NoticePassed   = "envelope.passed"
	NoticeRejected = "envelope.rejected"
)

// PurposeSubmitted is the SMS telling a group's leader and 业务专员 of a
// submission.
const PurposeSubmitted = "envelope.submitted"

// Words the envelopes' SMS carry in Vars besides the outbox's.
const (
	VarMaterial = "material" // the material's name
	VarReason   = "reason"   // why a submission was rejected
	VarToken    = "token"    // an envelope's token, for an SMS sent without a seal
)

// Bounds of what the applicant types and submits.
const (
	MaxFiles   = 10
	MaxName    = 50
	MaxAddress = 200
	MaxReason  = 500
	// PickupWithin is how far ahead a courier may be booked.
	PickupWithin = 30 * 24 * time.Hour
)

// DecideIssue decides the envelope of a case the cases' room has just
// decided to open (opened): every missing material given a way, none to
// be signed or checked in person, the post's payer by the party, the
// recipient the hall's.
func DecideIssue(s *State, setup *Setup, cs *cases.Setup, c Issue, opened cases.Opened) (Issued, error) {
	it := cs.Item(opened.Case.Item)
	if it == nil {
		return Issued{}, errs.Bad("item", "no_item", "item", opened.Case.Item)
	}
	if len(opened.Missing) == 0 {
		return Issued{}, errs.Bad("envelope", "envelope_nothing_missing")
	}
	if c.Token == "" || s.ByToken(c.Token) != nil || s.Envelopes[opened.Case.ID] != nil {
		return Issued{}, errs.Internalf("envelope_token", "envelope: no new token for case %s", opened.Case.Number)
	}
	ways := map[string]Way{}
	for _, ch := range c.Materials {
		m := it.Material(ch.Code)
		switch {
		case m == nil || !slices.Contains(opened.Missing, ch.Code):
			return Issued{}, errs.Bad("envelope.materials", "envelope_not_missing", "material", ch.Code)
		case ways[ch.Code] != "":
			return Issued{}, errs.Bad("envelope.materials", "case_material_twice", "material", m.Name)
		case m.InPerson:
			return Issued{}, errs.Bad("envelope.materials", "envelope_in_person", "material", m.Name)
		case ch.Way != Upload && ch.Way != Post:
			return Issued{}, errs.Bad("envelope.materials", "envelope_way", "material", m.Name)
		case ch.Way == Post && setup.Recipient.Address == "":
			return Issued{}, errs.R(errs.Conflict, "envelope_no_recipient").OnField("envelope.materials")
		}
		ways[ch.Code] = ch.Way
	}
	var choices []Choice
	for _, code := range opened.Missing {
		if ways[code] == "" {
			name := code
			if m := it.Material(code); m != nil {
				name = m.Name
			}
			return Issued{}, errs.Bad("envelope.materials", "envelope_way_needed", "material", name)
		}
		choices = append(choices, Choice{Code: code, Way: ways[code]})
	}
	return Issued{Case: opened.Case, Token: c.Token, Window: opened.Window, Clerk: opened.Staff, Party: opened.Party,
		Postage: PostageFor(opened.Party), Recipient: setup.Recipient, Materials: choices, Phone: opened.Phone,
		Notices: c.Notices}, nil
}

// Decide checks an applicant's or a clerk's command on an envelope against
// the envelopes and the cases.
func Decide(s *State, setup *Setup, cs *cases.State, csSetup *cases.Setup, cmd Command, env room.Env) (room.Outcome, error) {
	switch c := cmd.(type) {
	case Submit:
		return decideSubmit(s, setup, cs, csSetup, c)
	case BookCourier:
		return decideBook(s, cs, c, env)
	case Review:
		return decideReview(s, cs, csSetup, c)
	case RecordPost:
		return decidePost(s, cs, csSetup, c)
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "envelope: unknown command %T", cmd)
}

// byToken finds the envelope and its case, still open for supplies.
func byToken(s *State, cs *cases.State, token string) (*Envelope, *cases.Case, error) {
	e := s.ByToken(token)
	if e == nil {
		return nil, nil, errs.R(errs.NotFound, "no_envelope")
	}
	k := cs.Cases[e.Case.ID]
	if k == nil || !k.Status.Deciding() {
		return nil, nil, errs.R(errs.Conflict, "envelope_case_done", "number", e.Case.Number)
	}
	return e, k, nil
}

// reading finds an envelope for a member of staff who may read its case.
func reading(s *State, cs *cases.State, csSetup *cases.Setup, id string, a room.Actor) (*Envelope, *cases.Case, error) {
	e := s.Envelopes[id]
	if e == nil {
		return nil, nil, errs.R(errs.NotFound, "no_envelope")
	}
	k, err := cases.Read(cs, csSetup, id, a)
	if err != nil {
		return nil, nil, err
	}
	return e, k, nil
}

// material is the envelope's missing material with the code, and its name.
func material(e *Envelope, csSetup *cases.Setup, code string) (*Material, string, error) {
	m := e.Material(code)
	if m == nil {
		return nil, "", errs.Bad("material", "envelope_not_missing", "material", code)
	}
	return m, materialName(csSetup, e.Case.Item, m.Code), nil
}

func decideSubmit(s *State, setup *Setup, cs *cases.State, csSetup *cases.Setup, c Submit) (room.Outcome, error) {
	e, k, err := byToken(s, cs, c.Token)
	if err != nil {
		return room.Outcome{}, err
	}
	m, name, err := material(e, csSetup, c.Material)
	if err != nil {
		return room.Outcome{}, err
	}
	switch {
	case m.Status == Pending:
		return room.Outcome{}, errs.R(errs.Conflict, "envelope_pending", "material", name)
	case m.Status != Owed && m.Status != Rejected, !k.Owes(m.Code):
		return room.Outcome{}, errs.R(errs.Conflict, "envelope_not_owed", "material", name)
	case len(c.Files) == 0:
		return room.Outcome{}, errs.Bad("file", "envelope_files_needed")
	case len(c.Files) > MaxFiles:
		return room.Outcome{}, errs.Bad("file", "envelope_files_many", "max", MaxFiles)
	}
	for i, f := range c.Files {
		if f.Hash == "" || len(f.Hash) > 128 || f.Size <= 0 || f.Type == "" {
			return room.Outcome{}, errs.Internalf("envelope_file", "envelope: file %d of a submission is not stored", i)
		}
	}
	sub := Submitted{Case: e.Case, Submission: strconv.Itoa(len(e.Submissions) + 1), Material: m.Code, Way: m.Way,
		Files: slices.Clone(c.Files), Clerk: e.Clerk, Window: e.Window}
	out := []room.Payload{nil}
	if g := setup.GroupOf(e.Window); g != nil {
		for _, staff := range []string{g.Leader, g.Specialist} {
			phone := setup.Phones[staff]
			if staff == "" || phone == "" || slices.Contains(sub.Notified, staff) {
				continue
			}
			sub.Notified = append(sub.Notified, staff)
			out = append(out, outbox.Queued{ID: "envelope-" + e.Case.Number + "-" + sub.Submission + "-" + staff,
				Purpose: PurposeSubmitted, Vars: map[string]string{outbox.VarPhone: phone, outbox.VarCase: e.Case.Number,
					outbox.VarWhat: itemName(csSetup, e.Case.Item), VarMaterial: name, outbox.VarWindow: e.Window}})
		}
	}
	out[0] = sub
	return room.Outcome{Events: out}, nil
}

func decideBook(s *State, cs *cases.State, c BookCourier, env room.Env) (room.Outcome, error) {
	e, _, err := byToken(s, cs, c.Token)
	if err != nil {
		return room.Outcome{}, err
	}
	posts := 0
	for _, m := range e.Materials {
		if m.Way != Post {
			continue
		}
		posts++
		switch m.Status {
		case Passed:
		case PickedUp, InTransit, Arrived:
			return room.Outcome{}, errs.R(errs.Conflict, "envelope_courier_gone")
		default:
			return room.Outcome{}, errs.R(errs.Conflict, "envelope_courier_early")
		}
	}
	if posts == 0 {
		return room.Outcome{}, errs.R(errs.Conflict, "envelope_no_post")
	}
	name, address := strings.TrimSpace(c.Name), strings.TrimSpace(c.Address)
	switch {
	case name == "":
		return room.Outcome{}, errs.Bad("name", "envelope_courier_name")
	case utf8.RuneCountInString(name) > MaxName:
		return room.Outcome{}, errs.Bad("name", "case_text_long", "max", MaxName)
	case strings.TrimSpace(c.Phone) == "":
		return room.Outcome{}, errs.Bad("phone", "bad_phone")
	case address == "":
		return room.Outcome{}, errs.Bad("pickup_address", "envelope_courier_address")
	case utf8.RuneCountInString(address) > MaxAddress:
		return room.Outcome{}, errs.Bad("pickup_address", "case_text_long", "max", MaxAddress)
	case !c.PickupAt.After(env.Now) || c.PickupAt.After(env.Now.Add(PickupWithin)):
		return room.Outcome{}, errs.Bad("pickup_at", "envelope_pickup_at", "days", int(PickupWithin/(24*time.Hour)))
	}
	return room.Outcome{Events: []room.Payload{CourierBooked{Case: e.Case, Name: name, Phone: strings.TrimSpace(c.Phone),
		Address: address, PickupAt: c.PickupAt}}}, nil
}

func decideReview(s *State, cs *cases.State, csSetup *cases.Setup, c Review) (room.Outcome, error) {
	e, k, err := reading(s, cs, csSetup, c.Case, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	sb := e.Submission(c.Submission)
	if sb == nil {
		return room.Outcome{}, errs.R(errs.NotFound, "no_submission", "submission", c.Submission)
	}
	if sb.State != Waiting {
		return room.Outcome{}, errs.R(errs.Conflict, "envelope_reviewed")
	}
	if !k.Status.Deciding() {
		return room.Outcome{}, errs.R(errs.Conflict, "envelope_case_done", "number", k.Number)
	}
	reason := strings.TrimSpace(c.Reason)
	if !c.Pass && reason == "" {
		return room.Outcome{}, errs.Bad("reason", "envelope_reason_needed")
	}
	if utf8.RuneCountInString(reason) > MaxReason {
		return room.Outcome{}, errs.Bad("reason", "case_text_long", "max", MaxReason)
	}
	m := e.Material(sb.Material)
	return room.Outcome{Events: []room.Payload{Reviewed{Case: e.Case, Submission: sb.ID, Material: sb.Material, Way: m.Way,
		Pass: c.Pass, Reason: reason, Staff: c.Actor.Staff}}}, nil
}

func decidePost(s *State, cs *cases.State, csSetup *cases.Setup, c RecordPost) (room.Outcome, error) {
	e, k, err := reading(s, cs, csSetup, c.Case, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	m, name, err := material(e, csSetup, c.Material)
	if err != nil {
		return room.Outcome{}, err
	}
	at := slices.Index(Logistics, c.State)
	switch {
	case m.Way != Post:
		return room.Outcome{}, errs.Bad("material", "envelope_not_post", "material", name)
	case at < 0:
		return room.Outcome{}, errs.Bad("state", "envelope_post_state")
	case !k.Status.Deciding():
		return room.Outcome{}, errs.R(errs.Conflict, "envelope_case_done", "number", k.Number)
	case e.Courier == nil || (m.Status != Passed && !slices.Contains(Logistics, m.Status)):
		return room.Outcome{}, errs.R(errs.Conflict, "envelope_post_early", "material", name)
	case slices.Index(Logistics, m.Status) >= at:
		return room.Outcome{}, errs.R(errs.Conflict, "envelope_post_order", "material", name, "state", string(m.Status))
	}
	return room.Outcome{Events: []room.Payload{Tracked{Case: e.Case, Material: m.Code, State: c.State, Staff: c.Actor.Staff}}}, nil
}

// Supplies is the material an event brings to its case, for the hall to
// supply in the same command: a passed upload, an arrived paper.
func Supplies(p room.Payload) (caseID, material, staff string, ok bool) {
	switch p := p.(type) {
	case Reviewed:
		if p.Pass && p.Way == Upload {
			return p.Case.ID, p.Material, p.Staff, true
		}
	case Tracked:
		if p.State == Arrived {
			return p.Case.ID, p.Material, p.Staff, true
		}
	}
	return "", "", "", false
}

// Due is the envelopes' job as a function of (state, now): each submission
// waiting for review past the setting is reported, once.
func Due(s *State, setup *Setup, now time.Time) []room.Payload {
	var out []room.Payload
	for _, id := range slices.Sorted(maps.Keys(s.Envelopes)) {
		e := s.Envelopes[id]
		for _, sb := range e.Submissions {
			if sb.State == Waiting && !sb.Late && now.Sub(sb.At) > setup.ReviewWithin {
				out = append(out, ReviewLate{Case: e.Case, Submission: sb.ID, Since: sb.At})
			}
		}
	}
	return out
}

// LateReviews are the submissions reported late and still waiting, with
// their envelopes: the dashboard's alerts.
func LateReviews(s *State) []*Envelope {
	var out []*Envelope
	for _, e := range s.List() {
		for _, sb := range e.Submissions {
			if sb.State == Waiting && sb.Late {
				out = append(out, e)
				break
			}
		}
	}
	return out
}

// React queues the applicant's SMS sealed at issue when a review comes:
// passed, or rejected with the reason (and the link to submit again). A
// later review of the same kind is a new message: the sealed one went
// under its own id, and a seal is bound to its id; it goes to the phone
// the case was opened with, the token in its words for the link.
func React(s *State, cs *cases.Setup, events []room.Event) []room.Payload {
	var out []room.Payload
	for _, ev := range events {
		p, ok := ev.Data.(Reviewed)
		if !ok {
			continue
		}
		e := s.Envelopes[p.Case.ID]
		if e == nil {
			continue
		}
		key := NoticeRejected
		if p.Pass {
			key = NoticePassed
		}
		m, ok := e.Notices[key]
		if !ok {
			continue // no phone given, or the edge sealed none for it
		}
		m.Purpose = key
		m.Vars = maps.Clone(m.Vars)
		if m.Vars == nil {
			m.Vars = map[string]string{}
		}
		if n := reviews(e, p.Pass); n > 1 {
			if e.Phone == "" {
				continue
			}
			m.ID, m.Sealed = m.ID+"."+strconv.Itoa(n), nil
			m.Vars[outbox.VarPhone], m.Vars[VarToken] = e.Phone, e.Token
		}
		m.Vars[outbox.VarCase], m.Vars[outbox.VarWhat] = e.Case.Number, itemName(cs, e.Case.Item)
		m.Vars[VarMaterial] = materialName(cs, e.Case.Item, p.Material)
		if !p.Pass {
			m.Vars[VarReason] = p.Reason
		}
		out = append(out, m)
	}
	return out
}

// reviews counts the envelope's reviews that passed (or rejected), the one
// just applied included.
func reviews(e *Envelope, pass bool) int {
	n := 0
	for _, sb := range e.Submissions {
		if (pass && sb.State == Pass) || (!pass && sb.State == Reject) {
			n++
		}
	}
	return n
}

func itemName(cs *cases.Setup, code string) string {
	if it := cs.Item(code); it != nil {
		return it.Name
	}
	return code
}

func materialName(cs *cases.Setup, item, code string) string {
	if it := cs.Item(item); it != nil {
		if m := it.Material(code); m != nil {
			return m.Name
		}
	}
	return code
}
