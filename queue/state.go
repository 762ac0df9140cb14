package queue

import (
	"math"
	"time"
)

// Status is where a ticket is in its life.
type Status string

const (
	Waiting   Status = "waiting"
	Called    Status = "called" // called to a window and being served
	Done      Status = "done"
	NoShow    Status = "no_show"
	Cancelled Status = "cancelled"
)

// WindowState is what a window is doing.
type WindowState string

const (
	Closed  WindowState = "closed"
	Idle    WindowState = "idle"
	Serving WindowState = "serving"
	Paused  WindowState = "paused"
)

// Ticket is one queue number.
type Ticket struct {
	ID       string `json:"id"`
	Number   string `json:"number"`
	Service  string `json:"service"`
	Status   Status `json:"status"`
	Priority bool   `json:"priority,omitempty"`
	// Why is the reason of a priority number the hall gave by itself:
	// PriorityByAge.
	Why      string    `json:"priority_reason,omitempty"`
	Via      string    `json:"via,omitempty"` // the hall's room that issued it (booking, consult): ordered as priority
	IDHash   string    `json:"id_hash,omitempty"`
	Phone    string    `json:"phone,omitempty"`
	IssuedAt time.Time `json:"issued_at"`
	// QueuedAt orders the waiting line; a transfer keeps the original time so
	// the ticket goes ahead of later arrivals, a requeue takes a new one.
	QueuedAt time.Time `json:"queued_at"`
	Order    uint64    `json:"order"` // tie-break: the sequence number that queued it
	// Target is the window a transfer sent it to; only that window calls it.
	Target     string    `json:"target,omitempty"`
	Window     string    `json:"window,omitempty"` // the window that called it
	Staff      string    `json:"staff,omitempty"`
	CalledAt   time.Time `json:"called_at,omitzero"`
	FinishedAt time.Time `json:"finished_at,omitzero"`
	Recalls    int       `json:"recalls,omitempty"`
}

// First reports whether the ticket waits in its service's priority line:
// a priority number, or one a room of the hall issued (an appointment, a
// consultation handed on).
func (t *Ticket) First() bool { return t.Priority || t.Via != "" }

// Ref names the ticket for events.
func (t *Ticket) Ref() TicketRef { return TicketRef{ID: t.ID, Number: t.Number, Service: t.Service} }

// ServiceState is a service's line and its figures for the day.
type ServiceState struct {
	Issued   int      `json:"issued"`   // numbers issued today
	Line     []string `json:"line"`     // waiting normal tickets, in calling order
	Priority []string `json:"priority"` // waiting priority tickets, in calling order
	// AvgServiceS is the live guess of one service's length, in seconds,
	// that estimates use: it starts from the hall file's figure and follows
	// recent services. What was served today is ServiceS over Served.
	AvgServiceS float64 `json:"avg_service_s"`
	Served      int     `json:"served"`
	ServiceS    float64 `json:"service_s"` // total service seconds today
	NoShows     int     `json:"no_shows"`
}

// MeanServiceS is the mean length of the services finished today.
func (sv *ServiceState) MeanServiceS() float64 { return MeanS(sv.ServiceS, sv.Served) }

// Window is a counter's live state.
type Window struct {
	State       WindowState `json:"state"`
	Staff       string      `json:"staff,omitempty"`
	Current     string      `json:"current,omitempty"` // ticket id being served
	PauseReason string      `json:"pause_reason,omitempty"`
	Since       time.Time   `json:"since,omitzero"` // when State last changed
	// Line holds tickets transferred to this window in particular.
	Line        []string `json:"line"`
	PriorityRun int      `json:"priority_run"` // priority calls in a row
	Served      int      `json:"served"`       // today
	ServiceS    float64  `json:"service_s"`    // total service seconds today
	// Skipped is the ticket this window last skipped, until it calls
	// again: the one skip that may still be undone.
	Skipped string `json:"skipped,omitempty"`
}

// MeanServiceS is the mean length of the window's services today.
func (w *Window) MeanServiceS() float64 { return MeanS(w.ServiceS, w.Served) }

// MeanS is a total of seconds over a count, 0 for none: the one mean of
// service lengths that the dashboard, the counter and the reports show.
func MeanS(total float64, n int) float64 {
	if n <= 0 {
		return 0
	}
	return total / float64(n)
}

// State is the queue of one hall: today's numbers, lines and windows.
type State struct {
	Day      string                   `json:"day"`
	Services map[string]*ServiceState `json:"services"`
	Windows  map[string]*Window       `json:"windows"`
	Tickets  map[string]*Ticket       `json:"tickets"`
	// IssuingClosed is set while the hall has said it issues no numbers
	// (issuing.closed), so the change is said once.
	IssuingClosed bool `json:"issuing_closed,omitempty"`

	// holders maps an ID hash and service to the holder's waiting ticket,
	// for the one-waiting-ticket rule. Derived from Tickets.
	holders map[string]string
	// dayFrom and dayTo bound Day in time, so that asking whether a new
	// day is due, before every command, is two comparisons. Derived from
	// Day.
	dayFrom, dayTo time.Time
}

// inDay reports whether now falls within the state's day.
func (s *State) inDay(setup *Setup, now time.Time) bool {
	if s.dayTo.IsZero() && s.Day != "" {
		if d, err := time.ParseInLocation(time.DateOnly, s.Day, setup.Location); err == nil {
			s.dayFrom, s.dayTo = d, d.AddDate(0, 0, 1)
		}
	}
	return !now.Before(s.dayFrom) && now.Before(s.dayTo)
}

// NewState is an empty hall for the setup.
func NewState(setup *Setup) *State {
	s := &State{
		Services: map[string]*ServiceState{},
		Windows:  map[string]*Window{},
		Tickets:  map[string]*Ticket{},
	}
	s.Adopt(setup)
	return s
}

// Adopt fits a state (perhaps restored from a snapshot taken under an older
// configuration) to the setup: new services and windows appear, empty.
func (s *State) Adopt(setup *Setup) {
	if s.Services == nil {
		s.Services = map[string]*ServiceState{}
	}
	if s.Windows == nil {
		s.Windows = map[string]*Window{}
	}
	if s.Tickets == nil {
		s.Tickets = map[string]*Ticket{}
	}
	for _, sv := range setup.Services {
		if s.Services[sv.Code] == nil {
			s.Services[sv.Code] = &ServiceState{AvgServiceS: sv.ServiceTime.Seconds()}
		}
	}
	for _, w := range setup.Windows {
		if s.Windows[w.ID] == nil {
			s.Windows[w.ID] = &Window{State: Closed}
		}
	}
	s.reindex()
}

func (s *State) reindex() {
	s.holders = map[string]string{}
	for _, t := range s.Tickets {
		if t.Status == Waiting && t.IDHash != "" {
			s.holders[holderKey(t.IDHash, t.Service)] = t.ID
		}
	}
}

func holderKey(idHash, service string) string { return idHash + "|" + service }

// Waiting is how many tickets wait for a service, wherever they wait.
func (s *State) Waiting(service string) int {
	sv := s.Services[service]
	if sv == nil {
		return 0
	}
	n := len(sv.Line) + len(sv.Priority)
	for _, w := range s.Windows {
		for _, id := range w.Line {
			if s.Tickets[id].Service == service {
				n++
			}
		}
	}
	return n
}

// Ahead counts the tickets that will be called before t.
func (s *State) Ahead(t *Ticket) int {
	if t.Status != Waiting {
		return 0
	}
	i, _ := s.position(*s.lineOf(t), t)
	if t.Target == "" && !t.First() {
		i += len(s.Services[t.Service].Priority) // priority tickets go first
	}
	return i
}

// EstimatedWait guesses how long t still waits.
func (s *State) EstimatedWait(setup *Setup, t *Ticket) time.Duration {
	if t.Status != Waiting {
		return 0
	}
	return s.estimate(setup, t.Service, s.Ahead(t))
}

// ServiceWait is the estimated wait of a ticket issued now for the service.
func (s *State) ServiceWait(setup *Setup, service string) time.Duration {
	sv := s.Services[service]
	if sv == nil {
		return 0 // a service the hall does not have: nobody waits for it
	}
	return s.estimate(setup, service, len(sv.Line)+len(sv.Priority))
}

// estimate is the people ahead times the live mean service length, shared
// among the open windows that serve the service (a window serving three
// services gives each a third of its time).
func (s *State) estimate(setup *Setup, service string, ahead int) time.Duration {
	capacity := 0.0
	for _, ws := range setup.Windows {
		if s.Windows[ws.ID].State == Closed || !ws.Serves(service) {
			continue
		}
		capacity += 1 / float64(len(ws.Services))
	}
	people := float64(ahead)
	if capacity == 0 {
		// Nobody serves it now; assume one window will, after the people ahead.
		capacity, people = 1, people+1
	}
	secs := people * s.Services[service].AvgServiceS / capacity
	return time.Duration(math.Round(secs)) * time.Second
}

// WindowWaiting is how many tickets the window could call now.
func (s *State) WindowWaiting(setup *Setup, id string) int {
	ws := setup.Window(id)
	if ws == nil {
		return 0
	}
	n := len(s.Windows[id].Line)
	for _, code := range ws.Services {
		st := s.Services[code]
		n += len(st.Line) + len(st.Priority)
	}
	return n
}
