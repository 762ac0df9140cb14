package outbox

import (
	"encoding/json"
	"slices"
	"strings"
	"time"

	"hallfloor/errs"
	"hallfloor/room"
)

// Pushes are the outbox's other half: signed deliveries to the hall's other
// systems (a provincial 好差评 platform, a records system), queued by the
// event that needs them, in the same commit, and delivered by the edge on
// the same back-off as the SMS. Their body is decided here, whole: it
// carries no ID number or phone (docs/SECURITY.md), so it needs no seal.

// PushQueued is a new delivery to the hook named Hook.
type PushQueued struct {
	ID    string          `json:"id"`
	Hook  string          `json:"hook"`
	Class string          `json:"class"` // tickets, cases, ratings or lockers
	Event string          `json:"event"` // the event's type it reports
	Body  json.RawMessage `json:"body"`
}

// PushDelivered is a delivery the receiver took (a 2xx answer).
type PushDelivered struct {
	ID     string `json:"id"`
	Status int    `json:"status"`
}

// PushFailed is a failed attempt; the edge tries again at Next, or gives up.
type PushFailed struct {
	ID       string    `json:"id"`
	Attempts int       `json:"attempts"`
	Status   int       `json:"status,omitempty"` // the receiver's answer, 0 when none came
	Error    string    `json:"error"`
	Next     time.Time `json:"next,omitzero"`
	GaveUp   bool      `json:"gave_up,omitempty"`
}

func (PushQueued) Type() string    { return "push.queued" }
func (PushDelivered) Type() string { return "push.delivered" }
func (PushFailed) Type() string    { return "push.failed" }

// Pushes are no screen's business.
func (PushQueued) Public() room.Payload    { return nil }
func (PushDelivered) Public() room.Payload { return nil }
func (PushFailed) Public() room.Payload    { return nil }

func init() {
	room.Register[PushQueued]()
	room.Register[PushDelivered]()
	room.Register[PushFailed]()
}

// Push is one delivery, pending or done.
type Push struct {
	ID          string          `json:"id"`
	Hook        string          `json:"hook"`
	Class       string          `json:"class"`
	Event       string          `json:"event"`
	Body        json.RawMessage `json:"body,omitempty"`
	Queued      time.Time       `json:"queued"`
	Attempts    int             `json:"attempts"`
	Next        time.Time       `json:"next"`
	Status      int             `json:"status,omitempty"`
	Error       string          `json:"error,omitempty"`
	GaveUp      bool            `json:"gave_up,omitempty"`
	DeliveredAt time.Time       `json:"delivered_at,omitzero"`
}

// KeepPushLog bounds the deliveries done (delivered or given up) the
// manager can look back on.
const KeepPushLog = 200

func (s *State) applyPush(at time.Time, p any) {
	if s.Pushes == nil {
		s.Pushes = map[string]*Push{}
	}
	switch e := p.(type) {
	case PushQueued:
		s.Pushes[e.ID] = &Push{ID: e.ID, Hook: e.Hook, Class: e.Class, Event: e.Event, Body: e.Body, Queued: at, Next: at}
	case PushDelivered:
		if m := s.Pushes[e.ID]; m != nil {
			m.Attempts++
			m.Status, m.Error, m.DeliveredAt = e.Status, "", at
			s.donePush(m)
		}
	case PushFailed:
		if m := s.Pushes[e.ID]; m != nil {
			m.Attempts, m.Status, m.Error, m.Next, m.GaveUp = e.Attempts, e.Status, e.Error, e.Next, e.GaveUp
			if e.GaveUp {
				s.donePush(m)
			}
		}
	}
}

// donePush moves a delivery to the log, without its body: what was sent
// stays in the journal, the log says only whether and when it went.
func (s *State) donePush(m *Push) {
	delete(s.Pushes, m.ID)
	done := *m
	done.Body = nil
	s.PushLog = append(s.PushLog, done)
	if n := len(s.PushLog) - KeepPushLog; n > 0 {
		s.PushLog = slices.Delete(s.PushLog, 0, n)
	}
}

// DuePushes lists the deliveries to attempt at now, oldest first.
func (s *State) DuePushes(now time.Time) []Push {
	var out []Push
	for _, m := range s.Pushes {
		if !m.Next.After(now) {
			out = append(out, *m)
		}
	}
	slices.SortFunc(out, func(a, b Push) int {
		if c := a.Queued.Compare(b.Queued); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// PushList is every delivery the outbox knows, the newest first: those
// pending, then those done.
func (s *State) PushList() []Push {
	out := make([]Push, 0, len(s.Pushes)+len(s.PushLog))
	for _, m := range s.Pushes {
		c := *m
		c.Body = nil
		out = append(out, c)
	}
	out = append(out, s.PushLog...)
	slices.SortStableFunc(out, func(a, b Push) int {
		if c := b.Queued.Compare(a.Queued); c != 0 {
			return c
		}
		return strings.Compare(b.ID, a.ID)
	})
	return out
}

// MarkPushDelivered is the edge reporting a delivery the receiver took.
type MarkPushDelivered struct {
	ID     string
	Status int
}

// MarkPushFailed is a failed attempt at a delivery: the receiver's status,
// or 0 when none answered, and what went wrong.
type MarkPushFailed struct {
	ID     string
	Status int
	Reason string
}

func (MarkPushDelivered) outboxCommand() {}
func (MarkPushFailed) outboxCommand()    {}

func decidePush(s *State, cmd Command, now time.Time) (room.Outcome, error) {
	switch c := cmd.(type) {
	case MarkPushDelivered:
		if s.Pushes[c.ID] == nil {
			return room.Outcome{}, nil // recorded before
		}
		return room.Outcome{Events: []room.Payload{PushDelivered(c)}}, nil
	case MarkPushFailed:
		m := s.Pushes[c.ID]
		if m == nil {
			return room.Outcome{}, errs.R(errs.NotFound, "no_message", "id", c.ID)
		}
		reason := strings.TrimSpace(c.Reason)
		if len(reason) > maxFailure {
			reason = strings.ToValidUTF8(reason[:maxFailure], "")
		}
		f := PushFailed{ID: c.ID, Attempts: m.Attempts + 1, Status: c.Status, Error: reason}
		if f.Attempts >= MaxAttempts {
			f.GaveUp = true
		} else {
			f.Next = now.Add(Backoff(f.Attempts))
		}
		return room.Outcome{Events: []room.Payload{f}}, nil
	}
	return room.Outcome{}, errs.Internalf("unknown_command", "outbox: unknown command %T", cmd)
}
