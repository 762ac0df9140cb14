package server

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base32"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hallfloor/cases"
	"hallfloor/display"
	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/outbox"
	"hallfloor/room"
	"hallfloor/sms"
)

// Cases (办件) on the API: the catalogue the counter opens cases from, the
// opening at a window serving a 收件号, the back office's list and steps,
// and the applicant's status page, reached by the case's unguessable id
// (the 收件凭证's QR code) or by its number with the phone given at intake.
// The hall decides every step and who may take it; the edge protects the
// ID number before it reaches the hall and words what the hall decided.

func (s *Server) caseRoutes(r chi.Router) {
	r.Get("/case-catalogue", s.withStaff(s.getCaseCatalogue))
	r.Post("/windows/{id}/cases", s.withStaff(s.postOpenCase))
	r.Get("/windows/{id}/cases", s.withStaff(s.getWindowCases))
	r.Get("/cases", s.withStaff(s.getCases))
	r.Get("/cases/load", s.withManager(s.getCaseLoads))
	r.Get("/cases/{id}", s.withStaff(s.getCase))
	for step, build := range caseSteps {
		r.Post("/cases/{id}/"+step, s.withStaff(s.caseStep(build)))
	}
	r.Post("/cases/{id}/cross-decision", s.withStaff(s.postCrossDecision))
	s.caseFlowRoutes(r)
	r.Get("/case-status/{id}", s.getCaseStatus)
	r.Post("/case-status/{id}/collection", s.limitLookups(s.postStatusCollection))
	r.Post("/case-status", s.limitLookups(s.postCaseLookup))
}

// caseStepBody is what a back-office or output step may carry.
type caseStepBody struct {
	Materials []string `json:"materials"`
	Note      string   `json:"note"`
	Reason    string   `json:"reason"`
	Channel   string   `json:"channel"`
	Window    string   `json:"window"`
	Signature string   `json:"signature"`
	Courier   string   `json:"courier"`
	Waybill   string   `json:"waybill"`
	Locker    string   `json:"locker"`
	Agree     *bool    `json:"agree"`
	Text      string   `json:"text"`
	Address   string   `json:"address"`
	Recipient string   `json:"recipient"`
	Approved  *bool    `json:"approved"`
	DecidedAt string   `json:"decided_at"`
}

// caseSteps builds each step's command from its body.
var caseSteps = map[string]func(id string, b caseStepBody, a room.Actor) cases.Command{
	"accept": func(id string, _ caseStepBody, a room.Actor) cases.Command { return cases.Accept{Case: id, Actor: a} },
	"supplement": func(id string, b caseStepBody, a room.Actor) cases.Command {
		return cases.AskSupplement{Case: id, Materials: b.Materials, Note: b.Note, Actor: a}
	},
	"approve": func(id string, _ caseStepBody, a room.Actor) cases.Command { return cases.Approve{Case: id, Actor: a} },
	"refuse": func(id string, b caseStepBody, a room.Actor) cases.Command {
		return cases.Refuse{Case: id, Reason: b.Reason, Actor: a}
	},
	"ready": func(id string, _ caseStepBody, a room.Actor) cases.Command {
		return cases.MarkReady{Case: id, Actor: a}
	},
	"supply": func(id string, b caseStepBody, a room.Actor) cases.Command {
		return cases.Supply{Case: id, Materials: b.Materials, Actor: a}
	},
	"deliver": func(id string, b caseStepBody, a room.Actor) cases.Command {
		return cases.Deliver{Case: id, Channel: b.Channel, Window: b.Window, Signature: b.Signature,
			Courier: b.Courier, Waybill: b.Waybill, Locker: b.Locker, Actor: a}
	},
	"close": func(id string, _ caseStepBody, a room.Actor) cases.Command { return cases.Close{Case: id, Actor: a} },
	"opinion": func(id string, b caseStepBody, a room.Actor) cases.Command {
		return cases.GiveOpinion{Case: id, Agree: b.Agree != nil && *b.Agree, Text: b.Text, Actor: a}
	},
	"collection": func(id string, b caseStepBody, a room.Actor) cases.Command {
		return cases.ChooseCollection{Case: id, Channel: b.Channel, Address: b.Address, Recipient: b.Recipient, Actor: a}
	},
	"receipt": func(id string, _ caseStepBody, a room.Actor) cases.Command {
		return cases.RecordReceipt{Case: id, Actor: a}
	},
	"posted": func(id string, b caseStepBody, a room.Actor) cases.Command {
		return cases.PostMaterials{Case: id, Courier: b.Courier, Waybill: b.Waybill, Actor: a}
	},
	"result-arrived": func(id string, _ caseStepBody, a room.Actor) cases.Command {
		return cases.ResultArrived{Case: id, Actor: a}
	},
}

func (s *Server) caseStep(build func(string, caseStepBody, room.Actor) cases.Command) staffHandler {
	return func(w http.ResponseWriter, r *http.Request, p Principal) {
		var body caseStepBody
		if err := decode(r, &body); err != nil {
			s.fail(w, r, err)
			return
		}
		id := chi.URLParam(r, "id")
		s.do(w, r, http.StatusOK, build(id, body, actor(p)), s.caseReply(id))
	}
}

// postCrossDecision records the other area's decision on a 同城通办 case,
// with the day it was made (the hall's zone; today when not given).
func (s *Server) postCrossDecision(w http.ResponseWriter, r *http.Request, p Principal) {
	var body caseStepBody
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Approved == nil {
		s.fail(w, r, errs.Bad("approved", "case_decision_needed"))
		return
	}
	at := s.clock()
	if v := strings.TrimSpace(body.DecidedAt); v != "" {
		d, err := time.ParseInLocation(time.DateOnly, v, s.location())
		if err != nil {
			s.fail(w, r, errs.Bad("decided_at", "case_decided_at_format"))
			return
		}
		at = d
	}
	id := chi.URLParam(r, "id")
	s.do(w, r, http.StatusOK, cases.RecordDecision{Case: id, Approved: *body.Approved, Reason: body.Reason, DecidedAt: at, Actor: actor(p)},
		s.caseReply(id))
}

// caseReply answers a step with the case as it now is.
func (s *Server) caseReply(id string) engine.ReplyFunc {
	return func(st *hall.State, setup *hall.Setup, _ room.Outcome) any {
		k := st.Cases.Cases[id]
		if k == nil {
			return map[string]any{}
		}
		return map[string]any{"case": s.caseViewOf(st, setup, k)}
	}
}

type openCaseBody struct {
	Item       string   `json:"item"`
	Name       string   `json:"name"`
	IDNumber   string   `json:"id_number"`
	Phone      string   `json:"phone"`
	Party      string   `json:"party"`
	Received   []string `json:"received"`
	Missing    string   `json:"missing"`
	Commitment string   `json:"commitment"`
	SupplyDays int      `json:"supply_days"`
	Collect    string   `json:"collect"`
	Address    string   `json:"address"`
	Recipient  string   `json:"recipient"`
	// Envelope is the 免跑腿信封's materials and ways, with "missing":
	// "envelope".
	Envelope *envelopeRequest `json:"envelope"`
}

// postOpenCase is the clerk at an intake window receiving a case. The ID
// number is checked and protected here, the phone checked; the case's id
// is drawn here, unguessable, since it opens the applicant's status page.
// A refusal for missing materials answers with the 一次性告知单 to print.
func (s *Server) postOpenCase(w http.ResponseWriter, r *http.Request, p Principal) {
	var body openCaseBody
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	window := chi.URLParam(r, "id")
	cmd := cases.Open{Window: window, Item: strings.TrimSpace(body.Item), Name: body.Name, Party: cases.Party(body.Party),
		Received: body.Received, Missing: body.Missing, Commitment: body.Commitment, SupplyDays: body.SupplyDays,
		Actor: actor(p), ID: newCaseID()}
	if strings.TrimSpace(body.IDNumber) != "" {
		var err error
		if cmd.IDHash, err = s.idHash(body.IDNumber); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	phone, err := checkPhone(body.Phone)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cmd.Phone = phone
	cmd.Collect, cmd.Address, cmd.Recipient = strings.TrimSpace(body.Collect), body.Address, body.Recipient
	if cmd.Notices, err = s.caseNotices(phone); err != nil {
		s.fail(w, r, err)
		return
	}
	var run hall.Command = cmd
	if cmd.Missing == cases.MissingEnvelope {
		if run, err = s.envelopeIssue(cmd, body.Envelope); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.do(w, r, http.StatusOK, run, func(st *hall.State, setup *hall.Setup, out room.Outcome) any {
		reply := struct {
			Case   *caseView   `json:"case,omitempty"`
			Notice *noticeView `json:"notice,omitempty"`
		}{}
		for _, ev := range out.Events {
			switch e := ev.(type) {
			case cases.Opened:
				if k := st.Cases.Cases[e.Case.ID]; k != nil {
					v := s.caseViewOf(st, setup, k)
					reply.Case = &v
				}
			case cases.NoticeIssued:
				n := s.noticeViewOf(setup, e)
				reply.Notice = &n
			}
		}
		return reply
	})
}

// getWindowCases is what the counter's case panel shows: whether a case
// can be opened now (and if not, the hall's words why).
func (s *Server) getWindowCases(w http.ResponseWriter, r *http.Request, p Principal) {
	window := chi.URLParam(r, "id")
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		out := struct {
			CanOpen bool       `json:"can_open"`
			Why     *errorJSON `json:"why,omitempty"`
			// HandOver are the results the window's 取件号 collects.
			HandOver []caseView `json:"hand_over"`
		}{HandOver: []caseView{}}
		for _, k := range hall.HandOver(st, window) {
			out.HandOver = append(out.HandOver, s.caseViewOf(st, setup, k))
		}
		if err := cases.Opening(st.Queue, setup.Queue, window, actor(p)); err != nil {
			e, ok := errs.As(err)
			if !ok {
				return nil, err
			}
			why := refusalJSON(e)
			out.Why = &why
		} else {
			out.CanOpen = true
		}
		return out, nil
	})
}

// caseNotices seals the applicant's SMS of a case, one for each moment the
// hall may send one: the result ready, a 补正通知, a refusal.
func (s *Server) caseNotices(phone string) (map[string]outbox.Queued, error) {
	if phone == "" {
		return nil, nil
	}
	out := map[string]outbox.Queued{}
	for _, p := range []string{cases.NoticeReady, cases.NoticeSupplement, cases.NoticeRefused} {
		q, err := s.notice(p, sms.Envelope{To: phone})
		if err != nil {
			return nil, err
		}
		out[p] = *q
	}
	return out, nil
}

// newCaseID is a case's id: 80 random bits, as a ticket's holder key.
func newCaseID() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b) // never fails: crypto/rand panics rather than return an error
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// checkPhone accepts no phone, or a mainland mobile number.
func checkPhone(v string) (string, error) {
	v = strings.TrimSpace(v)
	if v != "" && !phoneRE.MatchString(v) {
		return "", errs.Bad("phone", "bad_phone")
	}
	return v, nil
}

// named is a code with its name in the hall's languages.
type named struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	NameEN string `json:"name_en,omitempty"`
}

// stepView is one step of a case's timeline for staff: who by name.
type stepView struct {
	Type      string    `json:"type"`
	Staff     string    `json:"staff,omitempty"`
	StaffName string    `json:"staff_name,omitempty"`
	At        time.Time `json:"at"`
}

// caseView is a case as staff read it: names beside codes, times in the
// hall's zone, what the applicant still owes.
type caseView struct {
	ID           string       `json:"id"`
	Number       string       `json:"number"`
	Item         named        `json:"item"`
	Department   named        `json:"department"`
	Kind         cases.Kind   `json:"kind"`
	Party        cases.Party  `json:"party"`
	Name         string       `json:"name"`
	Phone        string       `json:"phone,omitempty"`
	Ticket       string       `json:"ticket,omitempty"`
	Window       string       `json:"window,omitempty"`
	Clerk        string       `json:"clerk,omitempty"`
	ClerkName    string       `json:"clerk_name,omitempty"`
	Received     []named      `json:"received"`
	Owed         []named      `json:"owed"`
	Commitment   string       `json:"commitment,omitempty"`
	SupplyBy     time.Time    `json:"supply_by,omitzero"`
	Status       cases.Status `json:"status"`
	ReceivedAt   time.Time    `json:"received_at"`
	Deadline     time.Time    `json:"deadline"`
	AcceptedAt   time.Time    `json:"accepted_at,omitzero"`
	SupplementBy time.Time    `json:"supplement_by"`
	Overdue      bool         `json:"overdue"`
	Reason       string       `json:"reason,omitempty"`
	Channel      string       `json:"channel,omitempty"`
	Delivery     string       `json:"delivery,omitempty"`
	Timeline     []stepView   `json:"timeline"`
	StatusPath   string       `json:"status_path"`
	Materials    []named      `json:"materials"` // the item's whole 收件清单, for the steps that name some
	// The collection chosen (and, for post, where to), the compartment
	// holding the result, when it went out and when its 送达凭证 went back.
	Collect     string    `json:"collect,omitempty"`
	Address     string    `json:"address,omitempty"`
	Recipient   string    `json:"recipient,omitempty"`
	Locker      string    `json:"locker,omitempty"`
	DeliveredAt time.Time `json:"delivered_at,omitzero"`
	ProofAt     time.Time `json:"proof_at,omitzero"`
	// The handover of the paper materials, the joint departments'
	// opinions, a 同城通办 case's journey.
	HandoverBy   time.Time       `json:"handover_by,omitzero"`
	Batch        string          `json:"batch,omitempty"`
	HandoverLate bool            `json:"handover_late,omitempty"`
	Opinions     []opinionView   `json:"opinions"`
	Cross        *cases.Crossing `json:"cross,omitempty"`
	// Decides is whether the reader takes its department's steps.
	Decides bool `json:"decides"`
	// Envelope is the case's 免跑腿信封: its token and the applicant's page
	// the 告知单's QR opens.
	Envelope *envelopeLink `json:"envelope,omitempty"`
}

// opinionView is a joint department's opinion (联办) on a case.
type opinionView struct {
	cases.Opinion
	Name string `json:"name"`
}

func (s *Server) caseViewOf(st *hall.State, setup *hall.Setup, k *cases.Case) caseView {
	in := zoned(s.location())
	it := setup.Cases.Item(k.Item)
	v := caseView{ID: k.ID, Number: k.Number, Item: named{Code: k.Item}, Department: named{Code: k.Department},
		Kind: k.Kind, Party: k.Party, Name: k.Name, Phone: k.Phone, Ticket: ticketNumber(st, k.Ticket), Window: k.Window,
		Clerk: k.Clerk, Commitment: k.Commitment, SupplyBy: in(k.SupplyBy), Status: k.Status,
		ReceivedAt: in(k.ReceivedAt), Deadline: in(k.Deadline), AcceptedAt: in(k.AcceptedAt),
		SupplementBy: in(setup.Cases.SupplementBy(k.ReceivedAt)), Overdue: k.Overdue, Reason: k.Reason,
		Channel: k.Channel, Delivery: k.Delivery, StatusPath: "/c/" + k.ID,
		Received: []named{}, Owed: []named{}, Materials: []named{}, Timeline: []stepView{}}
	if it != nil {
		v.Item.Name, v.Item.NameEN = it.Name, it.NameEN
		for _, m := range it.Materials {
			v.Materials = append(v.Materials, named{Code: m.Code, Name: m.Name})
			if slices.Contains(k.Received, m.Code) {
				v.Received = append(v.Received, named{Code: m.Code, Name: m.Name})
			}
			if k.Owes(m.Code) {
				v.Owed = append(v.Owed, named{Code: m.Code, Name: m.Name})
			}
		}
	}
	if d := setup.Cases.Department(k.Department); d != nil {
		v.Department.Name = d.Name
	}
	v.Collect, v.Address, v.Recipient, v.Locker = k.Collect, k.Address, k.Recipient, k.Locker
	v.DeliveredAt, v.ProofAt, v.HandoverBy, v.HandoverLate = in(k.DeliveredAt), in(k.ProofAt), in(k.HandoverBy), k.HandoverLate
	v.Opinions = []opinionView{}
	for _, o := range k.Opinions {
		ov := opinionView{Opinion: o}
		ov.Due, ov.At = in(o.Due), in(o.At)
		if d := setup.Cases.Department(o.Department); d != nil {
			ov.Name = d.Name
		}
		v.Opinions = append(v.Opinions, ov)
	}
	if b := st.Cases.Batches[k.Batch]; b != nil {
		v.Batch = b.Number
	}
	if k.Cross != nil {
		c := *k.Cross
		v.Cross = &c
	}
	if m := s.hall.FindStaff(k.Clerk); m != nil {
		v.ClerkName = m.Name
	}
	v.Envelope = envelopeLinkOf(st, k.ID)
	for _, p := range k.Timeline {
		sv := stepView{Type: p.Type, Staff: p.Staff, At: in(p.At)}
		if m := s.hall.FindStaff(p.Staff); m != nil {
			sv.StaffName = m.Name
		}
		v.Timeline = append(v.Timeline, sv)
	}
	return v
}

// zoned puts times in the hall's zone, leaving a zero time (a step not
// taken) zero, so it is left out of the answer.
func zoned(loc *time.Location) func(time.Time) time.Time {
	return func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc)
	}
}

// ticketNumber is the number of today's ticket with the id, or "" once
// the day has gone.
func ticketNumber(st *hall.State, id string) string {
	if t := st.Queue.Tickets[id]; t != nil {
		return t.Number
	}
	return ""
}

// noticeView is a 一次性告知单: the item and every material missing.
type noticeView struct {
	Item    named     `json:"item"`
	Missing []named   `json:"missing"`
	Window  string    `json:"window"`
	At      time.Time `json:"at"`
}

func (s *Server) noticeViewOf(setup *hall.Setup, e cases.NoticeIssued) noticeView {
	n := noticeView{Item: named{Code: e.Item}, Missing: []named{}, Window: e.Window, At: s.clock().In(s.location())}
	if it := setup.Cases.Item(e.Item); it != nil {
		n.Item.Name, n.Item.NameEN = it.Name, it.NameEN
		for _, m := range it.Materials {
			if slices.Contains(e.Missing, m.Code) {
				n.Missing = append(n.Missing, named{Code: m.Code, Name: m.Name})
			}
		}
	}
	return n
}

// getCaseCatalogue is what the counter opens cases from: the items with
// their 收件清单, the departments deciding them.
func (s *Server) getCaseCatalogue(w http.ResponseWriter, r *http.Request, _ Principal) {
	s.read(w, r, func(_ *hall.State, setup *hall.Setup) (any, error) {
		type itemView struct {
			named
			Department string     `json:"department"`
			Kind       cases.Kind `json:"kind"`
			Days       int        `json:"days"`
			Materials  []named    `json:"materials"`
		}
		out := struct {
			Items       []itemView `json:"items"`
			Departments []named    `json:"departments"`
		}{Items: []itemView{}, Departments: []named{}}
		if setup.Cases == nil {
			return out, nil
		}
		for _, it := range setup.Cases.Items {
			iv := itemView{named: named{Code: it.Code, Name: it.Name, NameEN: it.NameEN}, Department: it.Department,
				Kind: it.Kind, Days: it.Days, Materials: []named{}}
			for _, m := range it.Materials {
				iv.Materials = append(iv.Materials, named{Code: m.Code, Name: m.Name})
			}
			out.Items = append(out.Items, iv)
		}
		for _, d := range setup.Cases.Departments {
			out.Departments = append(out.Departments, named{Code: d.ID, Name: d.Name})
		}
		return out, nil
	})
}

// getCases is the back office's page: the departments the member reads,
// each with its cases by the earliest deadline; closed ones only with
// ?closed=1.
func (s *Server) getCases(w http.ResponseWriter, r *http.Request, p Principal) {
	withClosed := r.URL.Query().Get("closed") == "1"
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		type deptView struct {
			ID    string     `json:"id"`
			Name  string     `json:"name"`
			Cases []caseView `json:"cases"`
			// Opinions are other departments' cases waiting for this one's
			// opinion (联办); Batches the 材料交接表 waiting for its signature.
			Opinions []caseView  `json:"opinions"`
			Batches  []batchView `json:"batches"`
		}
		depts := cases.Departments(setup.Cases, actor(p))
		if len(depts) == 0 {
			return nil, errs.R(errs.Forbidden, "case_department_only")
		}
		out := struct {
			Departments []deptView `json:"departments"`
		}{Departments: []deptView{}}
		for _, d := range depts {
			dv := deptView{ID: d.ID, Name: d.Name, Cases: []caseView{}, Opinions: []caseView{}, Batches: []batchView{}}
			for _, k := range cases.AwaitingOpinion(st.Cases, d.ID) {
				dv.Opinions = append(dv.Opinions, s.caseViewOf(st, setup, k))
			}
			for _, b := range cases.UnsignedBatches(st.Cases) {
				if b.Department == d.ID {
					dv.Batches = append(dv.Batches, s.batchViewOf(setup, b, actor(p)))
				}
			}
			for _, k := range cases.List(st.Cases, d.ID) {
				if k.Status == cases.Closed && !withClosed {
					continue
				}
				v := s.caseViewOf(st, setup, k)
				v.Decides = cases.Decides(setup.Cases, k, actor(p))
				dv.Cases = append(dv.Cases, v)
			}
			out.Departments = append(out.Departments, dv)
		}
		return out, nil
	})
}

// getCaseLoads is the dashboard's panel of cases: each department's open
// cases by status, overdue, 容缺 materials past due, closed today.
// nowAndDay is now in the hall's zone and the start of its day, for the
// dashboard's panels counting what happened today.
func (s *Server) nowAndDay() (now, day time.Time) {
	now = s.clock().In(s.location())
	return now, time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
}

func (s *Server) getCaseLoads(w http.ResponseWriter, r *http.Request, _ Principal) {
	now, day := s.nowAndDay()
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		loads := cases.Loads(st.Cases, setup.Cases, now, day)
		if loads == nil {
			loads = []cases.Load{}
		}
		return map[string]any{"departments": loads}, nil
	})
}

func (s *Server) getCase(w http.ResponseWriter, r *http.Request, p Principal) {
	id := chi.URLParam(r, "id")
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		k, err := cases.Read(st.Cases, setup.Cases, id, actor(p))
		if err != nil {
			return nil, err
		}
		v := s.caseViewOf(st, setup, k)
		v.Decides = cases.Decides(setup.Cases, k, actor(p))
		return map[string]any{"case": v}, nil
	})
}

// statusView is the applicant's page of their case: where it is, what is
// missing, how it is collected. No ID number, the phone masked, no staff.
type statusView struct {
	ID         string       `json:"id"`
	Number     string       `json:"number"`
	Item       named        `json:"item"`
	Department string       `json:"department"`
	Kind       cases.Kind   `json:"kind"`
	Name       string       `json:"name"`
	Phone      string       `json:"phone,omitempty"`
	Status     cases.Status `json:"status"`
	ReceivedAt time.Time    `json:"received_at"`
	Deadline   time.Time    `json:"deadline"`
	Owed       []named      `json:"owed"`
	SupplyBy   time.Time    `json:"supply_by,omitzero"`
	Reason     string       `json:"reason,omitempty"`
	Channel    string       `json:"channel,omitempty"`
	Timeline   []publicStep `json:"timeline"`
	// Collect is the way chosen; Choosable whether it may still change.
	Collect   string `json:"collect,omitempty"`
	Choosable bool   `json:"choosable"`
	InLocker  bool   `json:"in_locker"`
}

type publicStep struct {
	Type string    `json:"type"`
	At   time.Time `json:"at"`
}

func (s *Server) statusViewOf(st *hall.State, setup *hall.Setup, k *cases.Case) statusView {
	sv := s.caseViewOf(st, setup, k)
	out := statusView{ID: k.ID, Number: k.Number, Item: sv.Item, Department: sv.Department.Name, Kind: k.Kind,
		Name: display.MaskName(k.Name), Phone: maskPhone(k.Phone), Status: k.Status, ReceivedAt: sv.ReceivedAt,
		Deadline: sv.Deadline, Owed: sv.Owed, SupplyBy: sv.SupplyBy, Reason: k.Reason, Channel: k.Channel,
		Timeline: []publicStep{}, Collect: k.Collect, Choosable: k.Choosable(), InLocker: k.Locker != ""}
	for _, p := range sv.Timeline {
		out.Timeline = append(out.Timeline, publicStep{Type: p.Type, At: p.At})
	}
	return out
}

func maskPhone(p string) string {
	if len(p) != 11 {
		return ""
	}
	return p[:3] + "****" + p[7:]
}

// getCaseStatus is the applicant's page by the case's id, which only the
// 收件凭证 and the applicant's SMS carry.
func (s *Server) getCaseStatus(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		k := st.Cases.Cases[id]
		if k == nil {
			return nil, errs.R(errs.NotFound, "no_case", "case", id)
		}
		return map[string]any{"case": s.statusViewOf(st, setup, k)}, nil
	})
}

// postCaseLookup finds a case by its number and the phone given at
// intake, for an applicant without the receipt's QR code; a wrong pair
// says nothing of which half was wrong, and tries are limited per source.
func (s *Server) postCaseLookup(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Number string `json:"number"`
		Phone  string `json:"phone"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	number, phone := strings.TrimSpace(body.Number), strings.TrimSpace(body.Phone)
	if number == "" || phone == "" {
		s.fail(w, r, errs.Bad("number", "case_lookup_needed"))
		return
	}
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		k := st.Cases.ByNumber(number)
		if k == nil || k.Phone == "" || subtle.ConstantTimeCompare([]byte(k.Phone), []byte(phone)) != 1 {
			return nil, errs.R(errs.NotFound, "case_lookup_failed")
		}
		return map[string]any{"case": s.statusViewOf(st, setup, k)}, nil
	})
}

// limitLookups refuses a source that tries case numbers and phones too
// often, before its try reaches the hall.
func (s *Server) limitLookups(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		src := s.limits.sources.of(r)
		if s.admit(w, r, s.limits.lookup, src, lookupsPerMinute, "case_lookup_too_many") {
			h(w, r)
		}
	}
}

// lookupsPerMinute is how many case lookups one source may try: an
// applicant types their number a few times at most.
const lookupsPerMinute = 10
