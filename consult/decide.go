package consult

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

// Command is a request to the consultations' room. Ticket is the id of the
// 咨询号; Actor is the department's member of staff who acts.
type Command interface{ consultCommand() }

// Acknowledge says "coming": the actor takes the consultation.
type Acknowledge struct {
	Ticket string
	Actor  room.Actor
}

// Arrive marks the actor, who acknowledged, with the citizen in the
// consultation area.
type Arrive struct {
	Ticket string
	Actor  room.Actor
}

// AnswerRemotely marks the consultation answered by video or phone (Mode),
// for a department not resident in the hall.
type AnswerRemotely struct {
	Ticket string
	Mode   string
	Actor  room.Actor
}

// Finish ends the consultation. HandOn, when set, is the intake service the
// citizen is handed on to: its 收件号 is issued in the same step, ahead of
// later arrivals, with the materials marked pre-reviewed (已初审). NewTicket
// is that number's id, chosen by the caller (unguessable) or, when empty,
// by the environment.
type Finish struct {
	Ticket    string
	HandOn    string
	NewTicket string
	Actor     room.Actor
}

// SetDuty takes the actor off a department's notices (On false), or puts
// them back.
type SetDuty struct {
	Department string
	On         bool
	Actor      room.Actor
}

func (Acknowledge) consultCommand()    {}
func (Arrive) consultCommand()         {}
func (AnswerRemotely) consultCommand() {}
func (Finish) consultCommand()         {}
func (SetDuty) consultCommand()        {}

// CancelReason is why a 咨询号 leaves the queue's line when its consultation
// ends: it was answered by the department, not at a window.
const CancelReason = "consulted"

// Decide checks a command against the consultations and the queue.
func Decide(s *State, setup *Setup, q *queue.State, qs *queue.Setup, cmd Command, env room.Env) (room.Outcome, error) {
	switch c := cmd.(type) {
	case Acknowledge:
		k, d, err := staffOf(s, setup, c.Ticket, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		switch {
		case k.Status == Notified:
		case !k.Open():
			return room.Outcome{}, errs.R(errs.Conflict, "consult_closed", "number", k.Ticket.Number)
		default:
			return room.Outcome{}, errs.R(errs.Conflict, "consult_taken", "number", k.Ticket.Number, "staff", k.Staff)
		}
		return one(k, Acknowledged{Ticket: k.Ticket, Department: d.ID, Staff: c.Actor.Staff, AfterS: secs(env.Now, k.NotifiedAt)}), nil
	case Arrive:
		k, d, err := taker(s, setup, c.Ticket, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		return one(k, Met{Ticket: k.Ticket, Department: d.ID, Staff: c.Actor.Staff, AfterS: secs(env.Now, k.NotifiedAt)}), nil
	case AnswerRemotely:
		if c.Mode != ModeVideo && c.Mode != ModePhone {
			return room.Outcome{}, errs.Bad("mode", "consult_mode")
		}
		k, d, err := taker(s, setup, c.Ticket, c.Actor)
		if err != nil {
			return room.Outcome{}, err
		}
		if d.Resident {
			return room.Outcome{}, errs.R(errs.Conflict, "consult_resident", "department", d.Name)
		}
		return one(k, Met{Ticket: k.Ticket, Department: d.ID, Staff: c.Actor.Staff, Mode: c.Mode, AfterS: secs(env.Now, k.NotifiedAt)}), nil
	case Finish:
		return decideFinish(s, setup, q, qs, c, env)
	case SetDuty:
		d := setup.Department(c.Department)
		if d == nil {
			return room.Outcome{}, errs.R(errs.NotFound, "no_department", "department", c.Department)
		}
		if err := member(d, c.Actor); err != nil {
			return room.Outcome{}, err
		}
		if s.OnDuty(d.ID, c.Actor.Staff) == c.On {
			return room.Outcome{}, nil // already so: nothing to record
		}
		return room.Outcome{Events: []room.Payload{DutySet{Department: d.ID, Staff: c.Actor.Staff, On: c.On}}}, nil
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "consult: unknown command %T", cmd)
}

func one(k *Consultation, p room.Payload) room.Outcome {
	return room.Outcome{Ticket: k.Ticket.ID, Events: []room.Payload{p}}
}

func secs(now, since time.Time) float64 { return now.Sub(since).Seconds() }

// member refuses an actor who is not one of the department's consultation
// staff: a manager or a clerk of the hall does not answer for a department.
func member(d *Department, a room.Actor) error {
	if !a.Staffed() {
		return errs.R(errs.Unauthorized, "sign_in_required")
	}
	if d.Member(a.Staff) == nil {
		return errs.R(errs.Forbidden, "consult_not_department", "department", d.Name)
	}
	return nil
}

// staffOf finds the consultation for one of its department's staff.
func staffOf(s *State, setup *Setup, ticket string, a room.Actor) (*Consultation, *Department, error) {
	k := s.Consults[ticket]
	if k == nil {
		return nil, nil, errs.R(errs.NotFound, "no_consultation", "ticket", ticket)
	}
	d := setup.Department(k.Department)
	if d == nil {
		// A department the hall file no longer lists: nobody may act for it.
		return nil, nil, errs.R(errs.NotFound, "no_department", "department", k.Department)
	}
	if err := member(d, a); err != nil {
		return nil, nil, err
	}
	return k, d, nil
}

// taker finds an acknowledged consultation for the member who took it.
func taker(s *State, setup *Setup, ticket string, a room.Actor) (*Consultation, *Department, error) {
	k, d, err := staffOf(s, setup, ticket, a)
	if err != nil {
		return nil, nil, err
	}
	switch k.Status {
	case Notified:
		return nil, nil, errs.R(errs.Conflict, "consult_not_acknowledged", "number", k.Ticket.Number)
	case Coming:
	case Arrived, Remote:
		return nil, nil, errs.R(errs.Conflict, "consult_met_already", "number", k.Ticket.Number)
	default:
		return nil, nil, errs.R(errs.Conflict, "consult_closed", "number", k.Ticket.Number)
	}
	if k.Staff != a.Staff {
		return nil, nil, errs.R(errs.Forbidden, "consult_not_yours", "number", k.Ticket.Number, "staff", k.Staff)
	}
	return k, d, nil
}

func decideFinish(s *State, setup *Setup, q *queue.State, qs *queue.Setup, c Finish, env room.Env) (room.Outcome, error) {
	k, d, err := staffOf(s, setup, c.Ticket, c.Actor)
	if err != nil {
		return room.Outcome{}, err
	}
	switch k.Status {
	case Arrived, Remote:
	case Notified, Coming:
		return room.Outcome{}, errs.R(errs.Conflict, "consult_not_met", "number", k.Ticket.Number)
	default:
		return room.Outcome{}, errs.R(errs.Conflict, "consult_closed", "number", k.Ticket.Number)
	}
	if k.Staff != c.Actor.Staff {
		return room.Outcome{}, errs.R(errs.Forbidden, "consult_not_yours", "number", k.Ticket.Number, "staff", k.Staff)
	}
	end := Ended{Ticket: k.Ticket, Department: d.ID, Staff: c.Actor.Staff, AfterS: secs(env.Now, k.ArrivedAt)}
	var out room.Outcome
	if c.HandOn != "" {
		sv := qs.Service(c.HandOn)
		if sv == nil || sv.Kind != queue.Intake {
			return room.Outcome{}, errs.Bad("hand_on", "consult_hand_on_service", "service", c.HandOn)
		}
		id := c.NewTicket
		if id == "" {
			id = env.ID()
		}
		var idHash string
		if t := q.Tickets[k.Ticket.ID]; t != nil {
			idHash = t.IDHash
		}
		// Issued as the hall's rooms issue their numbers (queue.IssueVia):
		// numbered and one waiting number per ID number, as any, but not
		// refused for the hour or the daily cap, since the citizen is in
		// the hall already and the consultation has pre-reviewed the case;
		// the actor stands for the citizen.
		issued, err := queue.IssueVia(q, qs, queue.IssueTicket{ID: id, Service: c.HandOn, IDHash: idHash, Via: queue.ViaConsult, Actor: c.Actor}, env)
		if err != nil {
			return room.Outcome{}, err
		}
		for _, p := range issued.Events {
			if ti, ok := p.(queue.TicketIssued); ok {
				ref := ti.Ticket
				end.HandedOn = &ref
			}
		}
		out.Ticket = issued.Ticket
		out.Events = append(out.Events, issued.Events...)
	} else {
		out.Ticket = k.Ticket.ID
	}
	out.Events = append([]room.Payload{end}, out.Events...)
	if t := q.Tickets[k.Ticket.ID]; t != nil && t.Status == queue.Waiting {
		out.Events = append(out.Events, queue.TicketCancelled{Ticket: k.Ticket, Reason: CancelReason})
	}
	return out, nil
}

// SMS purposes of the consultations.
const (
	PurposeNotify = "consult.notify" // a department's member told of a new 咨询号
	PurposeLate   = "consult.late"   // the department's contact told nobody answered
)

// Words the consultations' messages carry in Vars, besides the outbox's.
const (
	VarDepartment = "department"
	VarMinutes    = "minutes"
)

// React is what the consultations make of events just applied: a 咨询号 of a
// department's service notifies its staff on duty, on their page (the
// Requested event) and, for those with the SMS channel, by text. The
// messages' ids come from the ticket's, so a replay decides the same.
func React(s *State, setup *Setup, events []room.Event) []room.Payload {
	var out []room.Payload
	for _, e := range events {
		ti, ok := e.Data.(queue.TicketIssued)
		if !ok {
			continue
		}
		d := setup.ForService(ti.Ticket.Service)
		if d == nil || s.Consults[ti.Ticket.ID] != nil {
			continue
		}
		req := Requested{Ticket: ti.Ticket, Department: d.ID}
		var sms []room.Payload
		for _, m := range d.Staff {
			if !s.OnDuty(d.ID, m.ID) {
				continue
			}
			req.Notified = append(req.Notified, m.ID)
			if m.SMS && m.Phone != "" {
				sms = append(sms, outbox.Queued{ID: "consult-" + ti.Ticket.ID + "-" + m.ID, Purpose: PurposeNotify,
					Vars: map[string]string{outbox.VarPhone: m.Phone, outbox.VarNumber: ti.Ticket.Number, VarDepartment: d.Name}})
			}
		}
		out = append(out, req)
		out = append(out, sms...)
	}
	return out
}

// Due is the consultations' job as a function of (state, now): each 咨询号
// nobody acknowledged within the setting is escalated, once, with an SMS to
// its department's contact.
func Due(s *State, setup *Setup, now time.Time) []room.Payload {
	// The engine asks every second: only the late are sorted, for a replay
	// to decide the same order.
	var late []string
	for id, k := range s.Consults {
		if !k.Escalated && k.Late(setup, now) {
			late = append(late, id)
		}
	}
	slices.Sort(late)
	var out []room.Payload
	for _, id := range late {
		k := s.Consults[id]
		out = append(out, Escalated{Ticket: k.Ticket, Department: k.Department, Deadline: k.Deadline(setup)})
		d := setup.Department(k.Department)
		if d != nil && d.Contact != "" {
			out = append(out, outbox.Queued{ID: "consult-late-" + id, Purpose: PurposeLate,
				Vars: map[string]string{outbox.VarPhone: d.Contact, outbox.VarNumber: k.Ticket.Number, VarDepartment: d.Name,
					VarMinutes: strconv.Itoa(int(setup.AckWithin.Minutes()))}})
		}
	}
	return out
}

// Where a citizen holding a 咨询号 is sent.
const (
	PlaceWait   = "wait"   // wait in the consultation area: the department is told
	PlaceComing = "coming" // a staff member is on the way
	PlaceArea   = "area"   // the staff member is in the consultation area
	PlaceVideo  = "video"  // the video point of the consultation area
	PlacePhone  = "phone"  // the staff member phones
	PlaceIntake = "intake" // handed on: wait for the 收件号's call
	PlaceDone   = "done"   // the consultation ended
	PlaceNone   = "none"   // the number was given up
)

// Direction is what the ticket page and the hall screen say of a 咨询号:
// where to go, read from the consultation's state.
type Direction struct {
	Number     string           `json:"number"` // the 咨询号
	Place      string           `json:"place"`
	Department string           `json:"department"`
	Name       string           `json:"name"`
	NameEN     string           `json:"name_en,omitempty"`
	Area       string           `json:"area,omitempty"` // the department's place in the hall, if named
	AreaEN     string           `json:"area_en,omitempty"`
	Staff      string           `json:"staff,omitempty"`
	HandedOn   *queue.TicketRef `json:"handed_on,omitempty"`
}

// Where is the direction for a ticket, and false when it is no department's
// 咨询号.
func Where(s *State, setup *Setup, ticket string) (Direction, bool) {
	k := s.Consults[ticket]
	if k == nil {
		return Direction{}, false
	}
	dir := Direction{Number: k.Ticket.Number, Department: k.Department, Name: k.Department, Staff: k.Staff, HandedOn: k.HandedOn}
	if d := setup.Department(k.Department); d != nil {
		dir.Name, dir.NameEN, dir.Area, dir.AreaEN = d.Name, d.NameEN, d.Place, d.PlaceEN
	}
	switch k.Status {
	case Notified:
		dir.Place = PlaceWait
	case Coming:
		dir.Place = PlaceComing
	case Arrived:
		dir.Place = PlaceArea
	case Remote:
		dir.Place = PlacePhone
		if k.Mode == ModeVideo {
			dir.Place = PlaceVideo
		}
	case Done:
		dir.Place = PlaceDone
		if k.HandedOn != nil {
			dir.Place = PlaceIntake
		}
	default:
		dir.Place = PlaceNone
	}
	return dir, true
}

// List is a department's consultations of today, open ones first, each
// oldest first: what its page shows.
func List(s *State, department string) []*Consultation {
	var out []*Consultation
	for _, k := range s.Consults {
		if k.Department == department {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b *Consultation) int {
		if a.Open() != b.Open() {
			if a.Open() {
				return -1
			}
			return 1
		}
		return cmp.Or(a.NotifiedAt.Compare(b.NotifiedAt), strings.Compare(a.Ticket.Number, b.Ticket.Number))
	})
	return out
}
