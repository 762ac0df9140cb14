// Package hall is the aggregate of one service hall: it composes the rooms
// of the domain (the queue, ratings, overtime, lockers, consultations, the
// outbox, the equipment's health and cases), routes each command to its room and
// each event to every room, and computes, in one place (reactions.go), what
// an event of one room makes another do. Like its rooms it does no I/O and
// reads no clock: the engine gives it the time and new ids in a room.Env.
package hall

import (
	"time"

	"hallfloor/booking"
	"hallfloor/calendar"
	"hallfloor/cases"
	"hallfloor/consult"
	"hallfloor/envelope"
	"hallfloor/equipment"
	"hallfloor/locker"
	"hallfloor/outbox"
	"hallfloor/overtime"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
	"hallfloor/session"
)

// Setup is the fixed shape of a hall, room by room.
type Setup struct {
	Queue   *queue.Setup
	Ratings *rating.Setup
	Lockers *locker.Setup
	// Consults are the departments that answer 咨询号.
	Consults *consult.Setup
	// Bookings are the services' appointment slots (预约办); none unless
	// the hall file declares them.
	Bookings *booking.Setup
	// Cases are the item catalogue (事项) and the departments deciding its
	// cases; none unless the hall file declares them.
	Cases *cases.Setup
	// Envelopes are the 免跑腿信封's recipient, window groups and review
	// setting.
	Envelopes *envelope.Setup
	Alerts    Alerts
	// Pushes are the hall's signed deliveries to its other systems: the
	// provincial 好差评 platform and the hall file's webhooks (pushes.go).
	Pushes Pushes
	// NearAhead is how many people may still be before a ticket when its
	// holder's "your turn is near" SMS goes (DefaultNearAhead when 0).
	NearAhead int
}

// NewSetup indexes a hall's setup. The caller (config) has validated it; a
// missing part gets its defaults.
func NewSetup(q queue.Setup, r rating.Setup, l *locker.Setup, a Alerts) *Setup {
	qs := queue.NewSetup(q)
	if r.Calendar == nil {
		r.Calendar = qs.Calendar
	}
	r = r.WithDefaults()
	if l == nil {
		l = &locker.Setup{}
	}
	ls := l.WithDefaults()
	return &Setup{Queue: qs, Ratings: &r, Lockers: &ls, Consults: consult.NewSetup(consult.Setup{}), Alerts: a.withDefaults(),
		Bookings: booking.NewSetup(booking.Setup{Calendar: qs.Calendar}), Cases: cases.NewSetup(cases.Setup{Calendar: qs.Calendar}),
		Envelopes: envelope.NewSetup(envelope.Setup{})}
}

// Location is the hall's time zone.
func (s *Setup) Location() *time.Location { return s.Queue.Location }

// Calendar says when the hall works.
func (s *Setup) Calendar() *calendar.Calendar { return s.Queue.Calendar }

// State is the whole hall: its place in history and every room's state.
type State struct {
	Seq       uint64           `json:"seq"`
	Queue     *queue.State     `json:"queue"`
	Ratings   *rating.State    `json:"ratings"`
	Overtime  *overtime.State  `json:"overtime"`
	Lockers   *locker.State    `json:"lockers"`
	Outbox    *outbox.State    `json:"outbox"`
	Equipment *equipment.State `json:"equipment"`
	Sessions  *session.State   `json:"sessions"`
	Consults  *consult.State   `json:"consults"`
	Bookings  *booking.State   `json:"bookings"`
	Cases     *cases.State     `json:"cases"`
	Envelopes *envelope.State  `json:"envelopes"`
}

// NewState is an empty hall for the setup.
func NewState(setup *Setup) *State {
	s := &State{}
	s.Adopt(setup)
	return s
}

// Adopt fits a state (perhaps restored from a snapshot taken under an older
// configuration) to the setup: missing rooms, services and windows appear,
// empty.
func (s *State) Adopt(setup *Setup) {
	if s.Queue == nil {
		s.Queue = queue.NewState(setup.Queue)
	}
	s.Queue.Adopt(setup.Queue)
	if s.Ratings == nil {
		s.Ratings = rating.NewState()
	}
	s.Ratings.Adopt()
	if s.Overtime == nil {
		s.Overtime = overtime.NewState()
	}
	s.Overtime.Adopt()
	if s.Lockers == nil {
		s.Lockers = &locker.State{}
	}
	s.Lockers.Adopt(setup.Lockers)
	if s.Outbox == nil {
		s.Outbox = outbox.New()
	}
	if s.Equipment == nil {
		s.Equipment = equipment.NewState()
	}
	s.Equipment.Adopt()
	if s.Sessions == nil {
		s.Sessions = session.NewState()
	}
	s.Sessions.Adopt()
	if s.Consults == nil {
		s.Consults = consult.NewState()
	}
	s.Consults.Adopt()
	if s.Bookings == nil {
		s.Bookings = booking.NewState()
	}
	s.Bookings.Adopt()
	if s.Cases == nil {
		s.Cases = cases.NewState()
	}
	s.Cases.Adopt()
	if s.Envelopes == nil {
		s.Envelopes = envelope.NewState()
	}
	s.Envelopes.Adopt()
}

// Apply changes the hall by one event: every room sees it and keeps what
// is its own.
func (s *State) Apply(e room.Event) {
	s.Seq = e.Seq
	s.Queue.Apply(e)
	s.Ratings.Apply(e)
	s.Overtime.Apply(e)
	s.Lockers.Apply(e.At, e.Data)
	s.Outbox.Apply(e.At, e.Data)
	s.Equipment.Apply(e)
	s.Sessions.Apply(e)
	s.Consults.Apply(e)
	s.Bookings.Apply(e)
	s.Cases.Apply(e)
	s.Envelopes.Apply(e)
}

// Day is the hall's current day, as its numbering knows it.
func (s *State) Day() string { return s.Queue.Day }
