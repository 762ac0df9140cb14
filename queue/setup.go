// Package queue is the room of the hall's numbers: tickets, windows, the
// day's numbering and the calling policy, nothing else. It does no I/O and
// reads no clock; every change is decided from (state, command, environment)
// into events, and applied from events into state, so the journal can
// replay it exactly. Ratings, overtime, lockers and the rest are rooms of
// their own, composed with this one by package hall.
package queue

import (
	"time"

	"hallfloor/calendar"
)

// Kind is what a service's tickets are for (台州 细则 三(二)).
type Kind string

const (
	Intake  Kind = "intake"  // 收件号
	Pickup  Kind = "pickup"  // 取件号, output windows
	Consult Kind = "consult" // 咨询号
)

// Valid reports whether k is one of the known kinds.
func (k Kind) Valid() bool { return k == Intake || k == Pickup || k == Consult }

// Service is a class of service the hall issues numbers for.
type Service struct {
	Code        string        // letter prefix of its numbers, e.g. "A"
	Name        string        // 社会民生
	NameEN      string        // Social affairs
	Kind        Kind          // intake, pickup or consult
	ServiceTime time.Duration // first guess of one service's length, refined live
	DailyCap    int           // numbers per day; 0 means no cap (罗山: no rationing)
}

// WindowSetup is a counter and the services it serves.
type WindowSetup struct {
	ID       string
	Name     string
	Services []string
	// Weights favour some services over others when this window calls;
	// a missing weight is 1. A weight of 2 makes a ticket's wait count double.
	Weights map[string]float64
}

// Setup is the fixed shape of a hall: what the configuration says, as the
// rules need it.
type Setup struct {
	Location *time.Location
	// PriorityRun caps how many priority tickets a window calls in a row while
	// normal tickets wait, so the others are not starved.
	PriorityRun int
	Services    []Service
	Windows     []WindowSetup
	// Calendar says when the hall works; nil is always open.
	Calendar *calendar.Calendar
	// CallGap is the shortest time between two calls from a window's
	// physical call key: a second press sooner is the bounce or echo of the
	// press that made the current call, not a new call.
	CallGap time.Duration
	// UndoSkip is how long after a 过号 the clerk may take it back.
	UndoSkip time.Duration
	// PriorityAge is the age from which a number taken with the holder's
	// 居民身份证 read by a reader is a priority number (老年人优先); 0 is off.
	PriorityAge int
	// KeyPauseReason is the reason a window paused from its caller's key
	// shows: the hall's words, as the reasons a clerk picks are.
	KeyPauseReason string

	services map[string]*Service
	windows  map[string]*WindowSetup
}

// NewSetup indexes a setup for the rules. The caller (config) has validated it.
func NewSetup(s Setup) *Setup {
	if s.Location == nil {
		s.Location = time.UTC
	}
	if s.PriorityRun <= 0 {
		s.PriorityRun = 3
	}
	if s.Calendar == nil {
		// A hall without a calendar is always open and counts deadlines
		// Monday to Friday.
		s.Calendar = &calendar.Calendar{Location: s.Location, AlwaysOpen: true}
	}
	if s.CallGap <= 0 {
		s.CallGap = DefaultCallGap
	}
	if s.UndoSkip <= 0 {
		s.UndoSkip = DefaultUndoSkip
	}
	s.services = make(map[string]*Service, len(s.Services))
	for i := range s.Services {
		if s.Services[i].ServiceTime <= 0 {
			s.Services[i].ServiceTime = 5 * time.Minute
		}
		s.services[s.Services[i].Code] = &s.Services[i]
	}
	s.windows = make(map[string]*WindowSetup, len(s.Windows))
	for i := range s.Windows {
		s.windows[s.Windows[i].ID] = &s.Windows[i]
	}
	return &s
}

// DefaultCallGap applies when the hall file is silent: a clerk presses the
// call key again for a new citizen well after three seconds.
const DefaultCallGap = 3 * time.Second

// DefaultUndoSkip applies when the hall file is silent: long enough to see
// a wrong key, short enough that the citizen is still at the window.
const DefaultUndoSkip = 10 * time.Second

// Service returns the service with the given code, or nil.
func (s *Setup) Service(code string) *Service { return s.services[code] }

// Window returns the window with the given id, or nil.
func (s *Setup) Window(id string) *WindowSetup { return s.windows[id] }

// weight is how much a window favours a service.
func (w *WindowSetup) weight(service string) float64 {
	if v, ok := w.Weights[service]; ok && v > 0 {
		return v
	}
	return 1
}

// Serves reports whether the window serves the service.
func (w *WindowSetup) Serves(service string) bool {
	for _, s := range w.Services {
		if s == service {
			return true
		}
	}
	return false
}

// Day is the hall's local calendar date of t, the unit numbers reset on.
func (s *Setup) Day(t time.Time) string { return t.In(s.Location).Format(time.DateOnly) }
