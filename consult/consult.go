// Package consult is the room of consultation numbers, 咨询号 (台州 细则
// 三(二)(三)): a number taken for a department brings that department's
// staff to the citizen. Each department answers one consult service of the
// hall (its numbers are the department's 咨询号, taken at the kiosk like any
// other); the moment one is issued, the department's staff on duty are
// notified (on their live page and, for those who asked for it, by SMS).
// One of them acknowledges ("coming"), then marks arrival in the
// consultation area or, for a department not resident in the hall, that it
// answers by video or phone, and at last the end: perhaps handing the
// citizen on to an intake window with a 收件号 that goes ahead of later
// arrivals, the materials marked pre-reviewed (已初审). A number nobody
// acknowledges within the hall's setting raises an alert and sends the
// department's contact an SMS. Where the citizen goes, on the ticket page
// and the hall screen, is read from this state (Where).
package consult

import (
	"time"

	"hallfloor/queue"
	"hallfloor/room"
)

// DefaultAckWithin is how long a department has to acknowledge a 咨询号 when
// the hall file is silent.
const DefaultAckWithin = 5 * time.Minute

// Setup is the hall's departments and the response setting.
type Setup struct {
	Departments []Department
	// AckWithin is how long after the notice a staff member must have
	// acknowledged before the alert and the contact's SMS.
	AckWithin time.Duration

	byID      map[string]*Department
	byService map[string]*Department
}

// Department is a 审批支撑部门 that answers consultations.
type Department struct {
	ID     string
	Name   string
	NameEN string
	// Service is the consult service whose numbers are this department's
	// 咨询号; no window calls it.
	Service string
	// Resident departments have staff in the hall; the others answer by
	// video or phone.
	Resident bool
	// Place is where in the hall the department meets citizens (二楼咨询区);
	// empty is the hall's consultation area. PlaceEN is its English name.
	Place   string
	PlaceEN string
	// Contact is the phone the escalation SMS goes to.
	Contact string
	Staff   []Member
}

// Member is one of a department's consultation staff.
type Member struct {
	ID    string // 工号, as they sign in
	Phone string
	// Terminal: notified on the live page; SMS: notified by text.
	Terminal bool
	SMS      bool
}

// NewSetup indexes a setup; config has validated it.
func NewSetup(s Setup) *Setup {
	if s.AckWithin <= 0 {
		s.AckWithin = DefaultAckWithin
	}
	s.byID = make(map[string]*Department, len(s.Departments))
	s.byService = make(map[string]*Department, len(s.Departments))
	for i := range s.Departments {
		d := &s.Departments[i]
		s.byID[d.ID] = d
		s.byService[d.Service] = d
	}
	return &s
}

// Department is the department with the id, or nil.
func (s *Setup) Department(id string) *Department {
	if s == nil {
		return nil
	}
	return s.byID[id]
}

// ForService is the department whose 咨询号 the service issues, or nil.
func (s *Setup) ForService(code string) *Department {
	if s == nil {
		return nil
	}
	return s.byService[code]
}

// Member is the department's member of staff with the id, or nil.
func (d *Department) Member(id string) *Member {
	for i := range d.Staff {
		if d.Staff[i].ID == id {
			return &d.Staff[i]
		}
	}
	return nil
}

// Status is where a consultation stands.
type Status string

const (
	Notified  Status = "notified"  // the department is told; nobody has answered yet
	Coming    Status = "coming"    // a staff member acknowledged and is on the way
	Arrived   Status = "arrived"   // the staff member is with the citizen
	Remote    Status = "remote"    // answered by video or phone
	Done      Status = "done"      // the consultation ended
	Withdrawn Status = "withdrawn" // the number was cancelled before the end
)

// How a non-resident department answers.
const (
	ModeVideo = "video" // at the hall's video point
	ModePhone = "phone" // the staff member phones the citizen
)

// Consultation is one 咨询号 and its answer.
type Consultation struct {
	Ticket     queue.TicketRef `json:"ticket"`
	Department string          `json:"department"`
	Status     Status          `json:"status"`
	// Notified are the staff on duty the notice went to.
	Notified []string `json:"notified,omitempty"`
	Staff    string   `json:"staff,omitempty"` // who acknowledged
	Mode     string   `json:"mode,omitempty"`  // video or phone, when remote
	// The response times: notified → acknowledged → arrived (or answered
	// remotely) → done.
	NotifiedAt time.Time `json:"notified_at"`
	AckAt      time.Time `json:"ack_at,omitzero"`
	ArrivedAt  time.Time `json:"arrived_at,omitzero"`
	DoneAt     time.Time `json:"done_at,omitzero"`
	// Escalated is set once the alert's SMS went to the department's contact.
	Escalated bool `json:"escalated,omitempty"`
	// HandedOn is the 收件号 the citizen was handed on to, if any.
	HandedOn *queue.TicketRef `json:"handed_on,omitempty"`
}

// Open reports whether the consultation still waits for its end.
func (c *Consultation) Open() bool { return c.Status != Done && c.Status != Withdrawn }

// Deadline is when an unacknowledged consultation becomes late.
func (c *Consultation) Deadline(setup *Setup) time.Time { return c.NotifiedAt.Add(setup.AckWithin) }

// Late reports whether nobody has acknowledged the consultation within the
// hall's setting at now: the rule of the alert and of the contact's SMS.
func (c *Consultation) Late(setup *Setup, now time.Time) bool {
	return c.Status == Notified && !now.Before(c.Deadline(setup))
}

// State is today's consultations.
type State struct {
	// Consults are today's consultations, by the ticket id of the 咨询号.
	Consults map[string]*Consultation `json:"consults,omitempty"`
	// OffDuty are the members (department/staff) who said they are off
	// duty; the others are notified.
	OffDuty map[string]bool `json:"off_duty,omitempty"`
	// PreReviewed maps a 收件号 handed on after a consultation to the 咨询号
	// whose staff reviewed its materials (已初审).
	PreReviewed map[string]string `json:"pre_reviewed,omitempty"`
}

// NewState is a day without consultations.
func NewState() *State {
	s := &State{}
	s.Adopt()
	return s
}

// Adopt fills in the maps a state restored from a snapshot may lack.
func (s *State) Adopt() {
	if s.Consults == nil {
		s.Consults = map[string]*Consultation{}
	}
	if s.OffDuty == nil {
		s.OffDuty = map[string]bool{}
	}
	if s.PreReviewed == nil {
		s.PreReviewed = map[string]string{}
	}
}

func dutyKey(department, staff string) string { return department + "/" + staff }

// OnDuty reports whether a department's member is notified of its numbers.
func (s *State) OnDuty(department, staff string) bool { return !s.OffDuty[dutyKey(department, staff)] }

// IsPreReviewed reports whether a ticket's materials were reviewed in a
// consultation before it was handed on, and by which 咨询号.
func (s *State) IsPreReviewed(ticket string) (string, bool) {
	id, ok := s.PreReviewed[ticket]
	return id, ok
}

// Requested tells a department of a new 咨询号: the notice its staff on duty
// see on their page (and, for some, by SMS).
type Requested struct {
	Ticket     queue.TicketRef `json:"ticket"`
	Department string          `json:"department"`
	Notified   []string        `json:"notified,omitempty"`
}

// Acknowledged is a staff member saying "coming".
type Acknowledged struct {
	Ticket     queue.TicketRef `json:"ticket"`
	Department string          `json:"department"`
	Staff      string          `json:"staff"`
	// AfterS is the time from the notice, in seconds.
	AfterS float64 `json:"after_s"`
}

// Met is the staff member with the citizen: in the consultation area, or
// by video or phone (Mode) for a department not resident in the hall.
type Met struct {
	Ticket     queue.TicketRef `json:"ticket"`
	Department string          `json:"department"`
	Staff      string          `json:"staff"`
	Mode       string          `json:"mode,omitempty"`
	// AfterS is the time from the notice, in seconds.
	AfterS float64 `json:"after_s"`
}

// Ended closes a consultation, perhaps handing the citizen on to an intake
// window with the materials pre-reviewed.
type Ended struct {
	Ticket     queue.TicketRef  `json:"ticket"`
	Department string           `json:"department"`
	Staff      string           `json:"staff"`
	HandedOn   *queue.TicketRef `json:"handed_on,omitempty"`
	// AfterS is the consultation's length, from the meeting, in seconds.
	AfterS float64 `json:"after_s"`
}

// Escalated is the hall noticing that nobody acknowledged in time: the
// dashboard's alert, and the SMS to the department's contact queued beside.
type Escalated struct {
	Ticket     queue.TicketRef `json:"ticket"`
	Department string          `json:"department"`
	Deadline   time.Time       `json:"deadline"`
}

// DutySet is a member going off duty, or back on.
type DutySet struct {
	Department string `json:"department"`
	Staff      string `json:"staff"`
	On         bool   `json:"on"`
}

func (Requested) Type() string    { return "consult.requested" }
func (Acknowledged) Type() string { return "consult.acknowledged" }
func (Met) Type() string          { return "consult.met" }
func (Ended) Type() string        { return "consult.ended" }
func (Escalated) Type() string    { return "consult.escalated" }
func (DutySet) Type() string      { return "consult.duty" }

// A waiting ticket's id opens its page: screens see the numbers only.

func (e Requested) Public() room.Payload    { e.Ticket.ID = ""; return e }
func (e Acknowledged) Public() room.Payload { e.Ticket.ID = ""; return e }
func (e Met) Public() room.Payload          { e.Ticket.ID = ""; return e }
func (e Escalated) Public() room.Payload    { e.Ticket.ID = ""; return e }

func (e Ended) Public() room.Payload {
	e.Ticket.ID = ""
	if e.HandedOn != nil {
		h := *e.HandedOn
		h.ID = ""
		e.HandedOn = &h
	}
	return e
}

func init() {
	room.Register[Requested]()
	room.Register[Acknowledged]()
	room.Register[Met]()
	room.Register[Ended]()
	room.Register[Escalated]()
	room.Register[DutySet]()
}

// Apply changes the consultations by one event.
func (s *State) Apply(e room.Event) {
	switch p := e.Data.(type) {
	case Requested:
		s.Consults[p.Ticket.ID] = &Consultation{Ticket: p.Ticket, Department: p.Department, Status: Notified,
			Notified: p.Notified, NotifiedAt: e.At}
	case Acknowledged:
		if c := s.Consults[p.Ticket.ID]; c != nil {
			c.Status, c.Staff, c.AckAt = Coming, p.Staff, e.At
		}
	case Met:
		if c := s.Consults[p.Ticket.ID]; c != nil {
			c.Status, c.ArrivedAt, c.Mode = Arrived, e.At, p.Mode
			if p.Mode != "" {
				c.Status = Remote
			}
		}
	case Ended:
		if c := s.Consults[p.Ticket.ID]; c != nil {
			c.Status, c.DoneAt = Done, e.At
			if p.HandedOn != nil {
				h := *p.HandedOn
				c.HandedOn = &h
				s.PreReviewed[h.ID] = p.Ticket.ID
			}
		}
	case Escalated:
		if c := s.Consults[p.Ticket.ID]; c != nil {
			c.Escalated = true
		}
	case DutySet:
		if p.On {
			delete(s.OffDuty, dutyKey(p.Department, p.Staff))
		} else {
			s.OffDuty[dutyKey(p.Department, p.Staff)] = true
		}
	case queue.TicketCancelled:
		// The holder gave the number up, or it went with the day: nobody
		// need come any more.
		if c := s.Consults[p.Ticket.ID]; c != nil && c.Open() {
			c.Status, c.DoneAt = Withdrawn, e.At
		}
	case queue.DayStarted:
		// Today's consultations are in the journal; the new day starts
		// without them. Who is off duty stays so until they say otherwise.
		clear(s.Consults)
		clear(s.PreReviewed)
	}
}
