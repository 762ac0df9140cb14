package server

import (
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"hallfloor/config"
	"hallfloor/consult"
	"hallfloor/display"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/room"
)

// 咨询号 on the API: a department's page (its consultations of today and
// whether the member is on duty), and the member's steps: acknowledge,
// arrived, remote, done (perhaps handing on to an intake window) and duty.
// The hall decides who may act; the citizen's ticket page reads where to
// go from GET /tickets/{id} (its consult field).

func (s *Server) consultRoutes(r chi.Router) {
	r.Get("/consults", s.withStaff(s.getConsults))
	r.Post("/consults/{id}/acknowledge", s.withStaff(s.consultAction(func(id string, _ consultBody, a room.Actor) consult.Command {
		return consult.Acknowledge{Ticket: id, Actor: a}
	})))
	r.Post("/consults/{id}/arrived", s.withStaff(s.consultAction(func(id string, _ consultBody, a room.Actor) consult.Command {
		return consult.Arrive{Ticket: id, Actor: a}
	})))
	r.Post("/consults/{id}/remote", s.withStaff(s.consultAction(func(id string, b consultBody, a room.Actor) consult.Command {
		return consult.AnswerRemotely{Ticket: id, Mode: strings.TrimSpace(b.Mode), Actor: a}
	})))
	r.Post("/consults/{id}/done", s.withStaff(s.consultAction(func(id string, b consultBody, a room.Actor) consult.Command {
		return consult.Finish{Ticket: id, HandOn: strings.ToUpper(strings.TrimSpace(b.HandOn)), Actor: a}
	})))
	r.Post("/consult-departments/{id}/duty", s.withStaff(s.postConsultDuty))
}

type consultBody struct {
	Mode   string `json:"mode"`
	HandOn string `json:"hand_on"`
}

func (s *Server) consultAction(build func(id string, b consultBody, a room.Actor) consult.Command) staffHandler {
	return func(w http.ResponseWriter, r *http.Request, p Principal) {
		var body consultBody // none for acknowledge and arrived
		if err := decode(r, &body); err != nil {
			s.fail(w, r, err)
			return
		}
		id := chi.URLParam(r, "id")
		s.do(w, r, http.StatusOK, build(id, body, actor(p)), s.consultReply(id))
	}
}

// consultReply answers a step with the consultation as it now is and, for
// a hand-on, the 收件号 issued.
func (s *Server) consultReply(id string) func(st *hall.State, setup *hall.Setup, out room.Outcome) any {
	return func(st *hall.State, setup *hall.Setup, out room.Outcome) any {
		var reply struct {
			Consult  *consultView        `json:"consult"`
			HandedOn *display.TicketView `json:"handed_on"`
		}
		if k := st.Consults.Consults[id]; k != nil {
			v := s.consultViewOf(st, setup, k)
			reply.Consult = &v
			if k.HandedOn != nil {
				if t := st.Queue.Tickets[k.HandedOn.ID]; t != nil {
					tv := s.view.Ticket(st, t)
					reply.HandedOn = &tv
				}
			}
		}
		return reply
	}
}

func (s *Server) postConsultDuty(w http.ResponseWriter, r *http.Request, p Principal) {
	var body struct {
		On *bool `json:"on"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.On == nil {
		s.fail(w, r, errs.Bad("on", "consult_duty_needed"))
		return
	}
	dept := chi.URLParam(r, "id")
	s.do(w, r, http.StatusOK, consult.SetDuty{Department: dept, On: *body.On, Actor: actor(p)},
		func(st *hall.State, _ *hall.Setup, _ room.Outcome) any {
			return map[string]any{"department": dept, "staff": p.Staff, "on_duty": st.Consults.OnDuty(dept, p.Staff)}
		})
}

// consultView is a consultation as its department's page shows it: times in
// the hall's zone, the response times in seconds, whether it is late, and
// where the citizen is sent.
type consultView struct {
	Ticket     queue.TicketRef     `json:"ticket"`
	Department string              `json:"department"`
	Status     consult.Status      `json:"status"`
	Notified   []string            `json:"notified"`
	Staff      string              `json:"staff,omitempty"`
	StaffName  string              `json:"staff_name,omitempty"`
	Mode       string              `json:"mode,omitempty"`
	NotifiedAt time.Time           `json:"notified_at"`
	AckAt      time.Time           `json:"ack_at,omitzero"`
	ArrivedAt  time.Time           `json:"arrived_at,omitzero"`
	DoneAt     time.Time           `json:"done_at,omitzero"`
	AckS       *int                `json:"ack_s"`    // notified → acknowledged
	ArriveS    *int                `json:"arrive_s"` // notified → arrived (or answered remotely)
	Late       bool                `json:"late"`
	Escalated  bool                `json:"escalated"`
	HandedOn   *queue.TicketRef    `json:"handed_on,omitempty"`
	Where      display.ConsultView `json:"where"`
}

func (s *Server) consultViewOf(st *hall.State, setup *hall.Setup, k *consult.Consultation) consultView {
	in := zoned(s.location())
	secs := func(t time.Time) *int {
		if t.IsZero() {
			return nil
		}
		n := int(t.Sub(k.NotifiedAt).Seconds())
		return &n
	}
	v := consultView{Ticket: k.Ticket, Department: k.Department, Status: k.Status, Notified: k.Notified, Staff: k.Staff,
		Mode: k.Mode, NotifiedAt: in(k.NotifiedAt), AckAt: in(k.AckAt), ArrivedAt: in(k.ArrivedAt), DoneAt: in(k.DoneAt),
		AckS: secs(k.AckAt), ArriveS: secs(k.ArrivedAt), Late: k.Late(setup.Consults, s.clock()), Escalated: k.Escalated,
		HandedOn: k.HandedOn}
	if v.Notified == nil {
		v.Notified = []string{}
	}
	if st := s.hall.FindStaff(k.Staff); st != nil {
		v.StaffName = st.Name
	}
	v.Where, _ = s.view.Consult(st, k.Ticket.ID)
	return v
}

// getConsults is the consultation page's answer: the departments the
// member answers for (every department, for a manager, who watches but
// does not answer), each with today's consultations, open ones first, and
// the intake services a consultation may hand on to.
func (s *Server) getConsults(w http.ResponseWriter, r *http.Request, p Principal) {
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		type deptView struct {
			ID       string        `json:"id"`
			Name     string        `json:"name"`
			NameEN   string        `json:"name_en,omitempty"`
			Service  string        `json:"service"`
			Resident bool          `json:"resident"`
			Place    string        `json:"place,omitempty"`
			Member   bool          `json:"member"`
			OnDuty   bool          `json:"on_duty"`
			Consults []consultView `json:"consults"`
		}
		type serviceView struct {
			Code string `json:"code"`
			Name string `json:"name"`
		}
		out := struct {
			Departments []deptView    `json:"departments"`
			HandOn      []serviceView `json:"hand_on"`
		}{Departments: []deptView{}, HandOn: []serviceView{}}
		for _, d := range setup.Consults.Departments {
			member := d.Member(p.Staff) != nil
			if !member && p.Role != config.Manager {
				continue
			}
			dv := deptView{ID: d.ID, Name: d.Name, NameEN: d.NameEN, Service: d.Service, Resident: d.Resident, Place: d.Place,
				Member: member, OnDuty: member && st.Consults.OnDuty(d.ID, p.Staff), Consults: []consultView{}}
			for _, k := range consult.List(st.Consults, d.ID) {
				dv.Consults = append(dv.Consults, s.consultViewOf(st, setup, k))
			}
			out.Departments = append(out.Departments, dv)
		}
		if len(out.Departments) == 0 {
			return nil, errs.R(errs.Forbidden, "consult_staff_only")
		}
		for _, sv := range setup.Queue.Services {
			if sv.Kind == queue.Intake {
				out.HandOn = append(out.HandOn, serviceView{Code: sv.Code, Name: sv.Name})
			}
		}
		return out, nil
	})
}
