package hall

import (
	"encoding/json"
	"slices"
	"strconv"
	"time"

	"hallfloor/cases"
	"hallfloor/locker"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

// Pushes are the hall's signed deliveries: the ratings to the provincial
// 好差评 platform, when the hall file configures it, and each webhook's
// classes of events. Where they go and with which secret is the edge's
// (push.Dispatcher); what goes, and when, is decided here.
type Pushes struct {
	// Platform is the 好差评 platform's codes; nil when the hall pushes no
	// ratings to one.
	Platform *rating.Platform
	Hooks    []PushHook
}

// PushHook is a webhook of the hall file and the classes it takes.
type PushHook struct {
	Name    string
	Classes []string
}

// PlatformHook names the 好差评 platform's deliveries in the outbox.
const PlatformHook = "ratings-platform"

// Classes of events a webhook may take.
const (
	ClassTickets = "tickets" // a ticket called, a service finished
	ClassCases   = "cases"   // each step of a case (办件)
	ClassRatings = "ratings" // a rating given, first or second
	ClassLockers = "lockers" // a result picked up from a locker
)

// PushClasses are the classes a webhook may name.
var PushClasses = []string{ClassTickets, ClassCases, ClassRatings, ClassLockers}

// pushClass is the class an event belongs to, or "" when no push takes it.
func pushClass(p room.Payload) string {
	switch p.(type) {
	case queue.TicketCalled, queue.TicketFinished:
		return ClassTickets
	case cases.Opened, cases.CaseAccepted, cases.SupplementAsked, cases.Supplied, cases.CaseApproved,
		cases.CaseRefused, cases.ResultMade, cases.Delivered, cases.CaseClosed, cases.CaseOverdue:
		return ClassCases
	case rating.Given:
		return ClassRatings
	case locker.PickedUp:
		return ClassLockers
	}
	return ""
}

// pushes queues, for each event, the platform's record of a rating and a
// delivery to each webhook taking its class.
func pushes(s *State, setup *Setup, events []room.Event) []room.Payload {
	ps := setup.Pushes
	if ps.Platform == nil && len(ps.Hooks) == 0 {
		return nil
	}
	var out []room.Payload
	for _, e := range events {
		class := pushClass(e.Data)
		if class == "" {
			continue
		}
		if g, ok := e.Data.(rating.Given); ok && ps.Platform != nil {
			out = append(out, pushOf(PlatformHook, class, e, ps.Platform.Rated(g, e.At)))
		}
		for _, h := range ps.Hooks {
			if slices.Contains(h.Classes, class) {
				out = append(out, pushOf(h.Name, class, e, pushEnvelope(s, setup, h.Name, class, e)))
			}
		}
	}
	return out
}

func pushOf(hook, class string, e room.Event, body any) outbox.PushQueued {
	b, err := json.Marshal(body)
	if err != nil {
		// Every body is made of strings and numbers here: a failure is a bug.
		panic("hall: a push body does not encode: " + err.Error())
	}
	return outbox.PushQueued{ID: pushID(hook, e), Hook: hook, Class: class, Event: e.Data.Type(), Body: b}
}

// pushID is unique per hook and event, and the same on every attempt, so a
// receiver can drop a repeat.
func pushID(hook string, e room.Event) string {
	return hook + "-" + strconv.FormatUint(e.Seq, 10) + "-" + strconv.FormatInt(e.At.Unix(), 36)
}

// Envelope is a webhook's body: which event, when, and what it says that
// may leave the hall (docs/SECURITY.md): numbers, codes and staff ids, never
// an applicant's name, ID number or phone.
type Envelope struct {
	ID    string `json:"id"`
	Class string `json:"class"`
	Type  string `json:"type"`
	Seq   uint64 `json:"seq"`
	At    string `json:"at"`
	Data  any    `json:"data"`
}

// TicketData is what a ticket's call or finished service says.
type TicketData struct {
	Number   string  `json:"number"`
	Service  string  `json:"service"`
	Window   string  `json:"window"`
	Staff    string  `json:"staff"`
	ServiceS float64 `json:"service_s,omitempty"`
}

// CaseData is what a case's step says.
type CaseData struct {
	Number     string `json:"number"`
	Item       string `json:"item"`
	Department string `json:"department,omitempty"`
	Kind       string `json:"kind,omitempty"`
	Party      string `json:"party,omitempty"`
	Staff      string `json:"staff,omitempty"`
	Window     string `json:"window,omitempty"`
	Channel    string `json:"channel,omitempty"` // a delivery's
}

// PickupData is a result picked up from a locker.
type PickupData struct {
	Compartment string `json:"compartment"`
	Case        string `json:"case"`
	Clerk       string `json:"clerk"`
}

func pushEnvelope(s *State, setup *Setup, hook, class string, e room.Event) Envelope {
	env := Envelope{ID: pushID(hook, e), Class: class, Type: e.Data.Type(), Seq: e.Seq,
		At: e.At.In(setup.Location()).Format(time.RFC3339)}
	switch p := e.Data.(type) {
	case queue.TicketCalled:
		env.Data = TicketData{Number: p.Ticket.Number, Service: p.Ticket.Service, Window: p.Window, Staff: p.Staff}
	case queue.TicketFinished:
		env.Data = TicketData{Number: p.Ticket.Number, Service: p.Ticket.Service, Window: p.Window, Staff: p.Staff, ServiceS: p.ServiceS}
	case rating.Given:
		pl := setup.Pushes.Platform
		if pl == nil {
			// Without a platform the record has no codes of the hall
			// file's, but the channels' codes are the platform's own.
			pl = &rating.Platform{Location: setup.Location(), Channels: rating.DefaultChannelCodes}
		}
		env.Data = pl.Rated(p, e.At)
	case locker.PickedUp:
		env.Data = PickupData{Compartment: p.Comp, Case: p.Case, Clerk: p.Clerk}
	default:
		if class == ClassCases {
			env.Data = caseData(s, e.Data)
		}
	}
	return env
}

// caseData is what a case's step says: every step names its case and who
// took it, read here from the event's own fields (a delivery's window and
// channel too), never its applicant's; the rest from the case after the
// step applied.
func caseData(s *State, p room.Payload) CaseData {
	var step struct {
		Case    cases.Ref `json:"case"`
		Staff   string    `json:"staff"`
		Window  string    `json:"window"`
		Channel string    `json:"channel"`
	}
	if b, err := json.Marshal(p); err == nil {
		_ = json.Unmarshal(b, &step) // the fields are the event's own: they decode
	}
	d := CaseData{Number: step.Case.Number, Item: step.Case.Item, Staff: step.Staff, Window: step.Window, Channel: step.Channel}
	if c := s.Cases.Cases[step.Case.ID]; c != nil {
		d.Department, d.Kind, d.Party = c.Department, string(c.Kind), string(c.Party)
	}
	return d
}
