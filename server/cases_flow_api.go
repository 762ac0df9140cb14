package server

import (
	"encoding/json"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"hallfloor/cases"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/room"
)

// The ways of a case beyond its department's steps: the handover of paper
// materials in batches (材料交接表) and their signature, the kiosk's 取件号
// for results waiting at the output window, the search of cases by number,
// ID number or phone, and the applicant's choice of collection on the
// status page. The hall decides each; the edge protects ID numbers first.

func (s *Server) caseFlowRoutes(r chi.Router) {
	r.Get("/handover", s.withStaff(s.getHandover))
	r.Post("/handover/{dept}", s.withStaff(s.postSendBatch))
	r.Post("/batches/{id}/sign", s.withStaff(s.postSignBatch))
	r.Get("/case-search", s.withStaff(s.getCaseSearch))
	r.Post("/pickups", s.postCasePickup)
}

// batchView is a 材料交接表: its number, the department, the cases it
// carries, who sent and who signed it.
type batchView struct {
	ID         string      `json:"id"`
	Number     string      `json:"number"`
	Department named       `json:"department"`
	Cases      []cases.Ref `json:"cases"`
	SentBy     string      `json:"sent_by"`
	SentByName string      `json:"sent_by_name,omitempty"`
	SentAt     string      `json:"sent_at"`
	Signed     bool        `json:"signed"`
	SignedBy   string      `json:"signed_by,omitempty"`
	Late       bool        `json:"late"`
	Member     bool        `json:"member"` // the reader may sign it
}

func (s *Server) batchViewOf(setup *hall.Setup, b *cases.Batch, a room.Actor) batchView {
	v := batchView{ID: b.ID, Number: b.Number, Department: named{Code: b.Department}, Cases: b.Cases, SentBy: b.SentBy,
		SentAt: b.SentAt.In(s.location()).Format("2006-01-02 15:04"), Signed: !b.SignedAt.IsZero(), SignedBy: b.SignedBy, Late: b.Late}
	if d := setup.Cases.Department(b.Department); d != nil {
		v.Department.Name = d.Name
		v.Member = d.Member(a.Staff)
	}
	if m := s.hall.FindStaff(b.SentBy); m != nil {
		v.SentByName = m.Name
	}
	return v
}

// getHandover is the front desk's and the departments' view of handovers:
// per department, the cases whose paper materials wait for the next batch
// and by when, and the batches sent but not yet signed for.
func (s *Server) getHandover(w http.ResponseWriter, r *http.Request, p Principal) {
	a := actor(p)
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		type pending struct {
			Number     string `json:"number"`
			Item       named  `json:"item"`
			HandoverBy string `json:"handover_by"`
			Late       bool   `json:"late"`
		}
		type deptView struct {
			named
			Pending  []pending   `json:"pending"`
			Unsigned []batchView `json:"unsigned"`
		}
		out := struct {
			InWindow    bool       `json:"in_window"` // a batch of 承诺件 may go now
			Departments []deptView `json:"departments"`
		}{InWindow: setup.Cases.InBatchWindow(s.clock()), Departments: []deptView{}}
		if setup.Cases == nil {
			return out, nil
		}
		unsigned := cases.UnsignedBatches(st.Cases)
		for _, d := range setup.Cases.Departments {
			dv := deptView{named: named{Code: d.ID, Name: d.Name}, Pending: []pending{}, Unsigned: []batchView{}}
			for _, k := range cases.Pending(st.Cases, d.ID) {
				pv := pending{Number: k.Number, Item: named{Code: k.Item}, Late: k.HandoverLate,
					HandoverBy: k.HandoverBy.In(s.location()).Format("2006-01-02 15:04")}
				if it := setup.Cases.Item(k.Item); it != nil {
					pv.Item.Name, pv.Item.NameEN = it.Name, it.NameEN
				}
				dv.Pending = append(dv.Pending, pv)
			}
			for _, b := range unsigned {
				if b.Department == d.ID {
					dv.Unsigned = append(dv.Unsigned, s.batchViewOf(setup, b, a))
				}
			}
			out.Departments = append(out.Departments, dv)
		}
		return out, nil
	})
}

func (s *Server) postSendBatch(w http.ResponseWriter, r *http.Request, p Principal) {
	if err := decode(r, &struct{}{}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusOK, cases.SendBatch{Department: chi.URLParam(r, "dept"), Actor: actor(p)}, s.batchReply(p))
}

func (s *Server) postSignBatch(w http.ResponseWriter, r *http.Request, p Principal) {
	if err := decode(r, &struct{}{}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusOK, cases.SignBatch{Batch: chi.URLParam(r, "id"), Actor: actor(p)}, s.batchReply(p))
}

// batchReply answers with the batch the command sent or signed.
func (s *Server) batchReply(p Principal) func(*hall.State, *hall.Setup, room.Outcome) any {
	return func(st *hall.State, setup *hall.Setup, out room.Outcome) any {
		for _, ev := range out.Events {
			var id string
			switch e := ev.(type) {
			case cases.BatchSent:
				id = e.Batch
			case cases.BatchSigned:
				id = e.Batch
			}
			if b := st.Cases.Batches[id]; b != nil {
				return map[string]any{"batch": s.batchViewOf(setup, b, actor(p))}
			}
		}
		return map[string]any{}
	}
}

// getCaseSearch finds cases by 办件编号 (number), ID number (id_number,
// matched by its protected form) or phone, for staff who may read them:
// the newest first, at most cases.SearchLimit.
func (s *Server) getCaseSearch(w http.ResponseWriter, r *http.Request, p Principal) {
	q := cases.Query{Number: strings.TrimSpace(r.URL.Query().Get("number")), Phone: strings.TrimSpace(r.URL.Query().Get("phone"))}
	if id := strings.TrimSpace(r.URL.Query().Get("id_number")); id != "" {
		var err error
		if q.IDHash, err = s.idHash(id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if q.Number == "" && q.IDHash == "" && q.Phone == "" {
		s.fail(w, r, errs.Bad("number", "case_search_needed"))
		return
	}
	a := actor(p)
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		out := []caseView{}
		for _, k := range cases.Search(st.Cases, q) {
			if cases.Sees(setup.Cases, k, a) {
				v := s.caseViewOf(st, setup, k)
				v.Decides = cases.Decides(setup.Cases, k, a)
				out = append(out, v)
			}
		}
		return map[string]any{"cases": out}, nil
	})
}

// postCasePickup is the kiosk's 取件号: the applicant's ID number (read or
// typed) finds their results waiting at the output window, and the hall
// issues the number linked to them. Limited per source as numbers are.
func (s *Server) postCasePickup(w http.ResponseWriter, r *http.Request) {
	if !s.admitIssue(w, r) {
		return
	}
	var body struct {
		IDNumber string `json:"id_number"`
		Card     string `json:"card"` // the kiosk's card reader's token, instead of id_number
		Service  string `json:"service"`
		// Kiosk is the kiosk the number is taken at, whose printer prints
		// its slip (slips.go).
		Kiosk string `json:"kiosk"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	number, _, err := s.heldID(body.IDNumber, body.Card, "kiosk:")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	h, err := s.idHash(number)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cmd := cases.TakePickup{IDHash: h, Service: strings.TrimSpace(body.Service)}
	res := s.run(w, r, cmd, func(st *hall.State, setup *hall.Setup, out room.Outcome) any {
		t := st.Queue.Tickets[out.Ticket]
		if t == nil {
			return map[string]any{}
		}
		reply := pickupReply{Ticket: s.issueReply(st, setup, out).(issuedTicket), Cases: []string{}}
		for _, k := range st.Cases.Cases {
			if k.PickupTicket == t.ID {
				reply.Cases = append(reply.Cases, k.Number)
			}
		}
		return reply
	})
	if res.Err != nil || res.Repeat || body.Kiosk == "" {
		s.answer(w, r, http.StatusCreated, res)
		return
	}
	// Taken at a kiosk: its slip prints there, as a number's does.
	var reply pickupReply
	if err := json.Unmarshal(res.Body, &reply); err != nil {
		s.fail(w, r, err)
		return
	}
	slip := s.printTicket(r, body.Kiosk, reply.Ticket)
	reply.Slip = &slip
	writeJSON(w, http.StatusCreated, reply)
}

// pickupReply is a 取件号 as the kiosk gets it: the ticket, the 办件编号 it
// collects and, taken at a kiosk, what became of its slip.
type pickupReply struct {
	Ticket issuedTicket `json:"ticket"`
	Cases  []string     `json:"cases"`
	Slip   *slipAnswer  `json:"slip,omitempty"`
}

// postStatusCollection is the applicant choosing, on the status page, how
// to collect the result: the case's id (from the receipt) and the ID
// number given at intake prove who chooses. Tries are limited as lookups.
func (s *Server) postStatusCollection(w http.ResponseWriter, r *http.Request) {
	var body struct {
		IDNumber  string `json:"id_number"`
		Channel   string `json:"channel"`
		Address   string `json:"address"`
		Recipient string `json:"recipient"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	h, err := s.idHash(body.IDNumber)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	id := chi.URLParam(r, "id")
	cmd := cases.ChooseCollection{Case: id, Channel: strings.TrimSpace(body.Channel), Address: body.Address,
		Recipient: body.Recipient, IDHash: h}
	s.do(w, r, http.StatusOK, cmd, func(st *hall.State, setup *hall.Setup, _ room.Outcome) any {
		if k := st.Cases.Cases[id]; k != nil {
			return map[string]any{"case": s.statusViewOf(st, setup, k)}
		}
		return map[string]any{}
	})
}
