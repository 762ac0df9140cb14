package queue

import (
	"time"

	"hallfloor/room"
)

// Command is a request to the queue: what a person did, and what they saw
// when they did it. The room decides the rest.
type Command interface{ queueCommand() }

// IssueTicket takes a number. ID is chosen by the caller (unguessable) or,
// when empty, by the environment; IDHash is the protected form of the
// holder's ID number, if given. Only staff (a guide, a clerk, a manager)
// may issue a priority number. Via names the hall's room a ticket is
// issued for (ViaBooking, ViaConsult); only package hall sets it, through
// IssueVia, never a kiosk.
type IssueTicket struct {
	ID       string
	Service  string
	IDHash   string
	Phone    string
	Priority bool
	Via      string
	Actor    room.Actor
	// Card is what the holder's 居民身份证 said when a reader read it; nil
	// for a number typed in, which could be anyone's.
	Card *Card
}

// Card is what a card reader read of the holder: the birth date its ID
// number carries (a civil date; the clock of the day is ignored).
type Card struct {
	Birth time.Time
}

// The rooms of the hall that issue tickets of their own. A ticket with Via
// set is called as a priority ticket is: ahead of walk-ins, within the
// priority run rule, so walk-ins are not starved.
const (
	ViaBooking = "booking" // an appointment checked in at the kiosk (预约)
	ViaConsult = "consult" // a consultation handed on to an intake window (已初审)
)

// ValidVia reports whether v names a room that issues tickets.
func ValidVia(v string) bool { return v == ViaBooking || v == ViaConsult }

// OpenWindow signs a member of staff on at a window: the actor, or, when a
// manager signs a clerk on (for a window worked from its physical keys, or
// a terminal that will not start), For.
type OpenWindow struct {
	Window string
	Actor  room.Actor
	For    room.Actor
}

type CloseWindow struct {
	Window string
	Actor  room.Actor
}

// CallNext finishes the window's current service, if any, and calls the
// best waiting ticket; a window with only a "next" button works this way.
// Current is the ticket the clerk's screen shows as being served ("" when
// it shows the window idle): if the window serves another, the clerk acted
// on a stale screen (a second tap, another terminal) and the call is
// refused, so a double tap never finishes a citizen unseen.
type CallNext struct {
	Window  string
	Actor   room.Actor
	Current string
}

type Recall struct {
	Window string
	Actor  room.Actor
}

type Skip struct {
	Window string
	Actor  room.Actor
}

// UndoSkip takes back a 过号 made by mistake: Ticket, skipped at Window,
// is served there again. The room allows it only for a short time after
// the skip (Setup.UndoSkip) and only while the window has called nobody
// since.
type UndoSkip struct {
	Window string
	Ticket string
	Actor  room.Actor
}

// ForceSignOff is a manager signing a clerk off a window, serving or not
// (the clerk has gone, the terminal is lost): the ticket being served and
// those sent to this window alone go back to their lines, in their places.
type ForceSignOff struct {
	Window string
	Actor  room.Actor
}

type Finish struct {
	Window string
	Actor  room.Actor
}

type Pause struct {
	Window string
	Actor  room.Actor
	Reason string
}

type Resume struct {
	Window string
	Actor  room.Actor
}

// TogglePause is a caller's single pause key: it resumes a paused window
// and pauses any other, for Reason.
type TogglePause struct {
	Window string
	Actor  room.Actor
	Reason string
}

// Transfer sends the window's current ticket to another service or to a
// specific window; exactly one of ToService and ToWindow is set.
type Transfer struct {
	Window    string
	Actor     room.Actor
	ToService string
	ToWindow  string
}

// Requeue puts a no-show ticket back in line, behind those waiting now.
// The ticket is named by its id or, as a clerk hears it from the citizen,
// by today's number (A001): numbers are per service per day, so a number
// names one ticket of the day.
type Requeue struct {
	Ticket string
	Number string
	Actor  room.Actor
}

// CancelTicket is the holder giving up a waiting ticket.
type CancelTicket struct {
	Ticket string
}

// Keys of a window's physical button set.
const (
	KeyCall   = "call"
	KeyRecall = "recall"
	KeySkip   = "skip"
	KeyPause  = "pause"
)

// PressKey is a key pressed on a window's physical button set. The press
// carries no actor and sees no screen: the room acts for whoever is signed
// on at the window, and tells a new press of the call key from the bounce or
// echo of the press that made the current call by the time since that call.
type PressKey struct {
	Window string
	Key    string
}

func (IssueTicket) queueCommand()  {}
func (OpenWindow) queueCommand()   {}
func (CloseWindow) queueCommand()  {}
func (CallNext) queueCommand()     {}
func (Recall) queueCommand()       {}
func (Skip) queueCommand()         {}
func (UndoSkip) queueCommand()     {}
func (ForceSignOff) queueCommand() {}
func (Finish) queueCommand()       {}
func (Pause) queueCommand()        {}
func (Resume) queueCommand()       {}
func (TogglePause) queueCommand()  {}
func (Transfer) queueCommand()     {}
func (Requeue) queueCommand()      {}
func (CancelTicket) queueCommand() {}
func (PressKey) queueCommand()     {}
