package hall

import (
	"cmp"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"hallfloor/booking"
	"hallfloor/consult"
	"hallfloor/equipment"
	"hallfloor/queue"
)

// Alerts are the manager's thresholds, from the hall file.
type Alerts struct {
	// WaitTarget is how long a citizen may wait before the dashboard
	// flags the service.
	WaitTarget time.Duration
	// IdleAfter is how long a window may stand idle while people wait for
	// its services before it is flagged.
	IdleAfter time.Duration
	// Shape is the profile the forecast follows, loaded by the edge from
	// the hall file's alerts.forecast_profile; nil follows the day's own
	// recent arrivals.
	Shape Shape
}

// Default alert thresholds.
const (
	DefaultWaitTarget = 30 * time.Minute
	DefaultIdleAfter  = 5 * time.Minute
)

func (a Alerts) withDefaults() Alerts {
	if a.WaitTarget <= 0 {
		a.WaitTarget = DefaultWaitTarget
	}
	if a.IdleAfter <= 0 {
		a.IdleAfter = DefaultIdleAfter
	}
	return a
}

// Alert kinds.
const (
	AlertWait = "wait" // a service's longest wait passed the target
	// AlertWaitForecast: the forecast sees a service's wait pass the target
	// within the hour while it is still under it.
	AlertWaitForecast = "wait_forecast"
	AlertIdle         = "idle"     // a window idles while people wait for it
	AlertPaused       = "paused"   // a window is paused
	AlertFollowUp     = "followup" // a 差评 follow-up is past its deadline
	AlertDevice       = "device"   // a device reports a fault, an alarm or an alert
	AlertDoor         = "door"     // a locker door stands open, or was forced
	AlertConsult      = "consult"  // a 咨询号 nobody of its department acknowledged in time
	// A booking late without a check-in waits for the clerk to call the
	// applicant; a request outside working time waits for a clerk's answer,
	// which 罗山 五 wants at once.
	AlertBookingLate    = "booking_late"
	AlertBookingRequest = "booking_request"
)

// Alert is one thing the manager should look at now. Level is "bad" or
// "warn"; Subject names what it is about (a service code, a window id, a
// follow-up id, a device); Args hold what the words need.
type Alert struct {
	Kind    string            `json:"kind"`
	Level   string            `json:"level"`
	Subject string            `json:"subject"`
	Since   time.Time         `json:"since,omitzero"`
	Args    map[string]string `json:"args,omitempty"`
}

// AlertsAt is every alert of the hall at now, decided once on the server
// from the hall file's thresholds, so every dashboard shows the same.
func AlertsAt(s *State, setup *Setup, now time.Time) []Alert {
	var out []Alert
	q, qs := s.Queue, setup.Queue
	longest := map[string]time.Time{}
	for _, t := range q.Tickets {
		if t.Status == queue.Waiting {
			if old, ok := longest[t.Service]; !ok || t.QueuedAt.Before(old) {
				longest[t.Service] = t.QueuedAt
			}
		}
	}
	for _, sv := range qs.Services {
		if setup.Consults.ForService(sv.Code) != nil {
			continue // a department's 咨询号: its alert is the unanswered notice's
		}
		if since, ok := longest[sv.Code]; ok && now.Sub(since) > setup.Alerts.WaitTarget {
			out = append(out, Alert{Kind: AlertWait, Level: "bad", Subject: sv.Code, Since: since,
				Args: map[string]string{"service": sv.Code, "minutes": strconv.Itoa(int(now.Sub(since).Minutes())),
					"target": strconv.Itoa(int(setup.Alerts.WaitTarget.Minutes()))}})
		}
	}
	out = append(out, forecastAlerts(s, setup, now, longest)...)
	for _, ws := range qs.Windows {
		w := q.Windows[ws.ID]
		switch {
		case w.State == queue.Idle && q.WindowWaiting(qs, ws.ID) > 0 && now.Sub(w.Since) > setup.Alerts.IdleAfter:
			out = append(out, Alert{Kind: AlertIdle, Level: "bad", Subject: ws.ID, Since: w.Since,
				Args: map[string]string{"window": ws.ID, "waiting": strconv.Itoa(q.WindowWaiting(qs, ws.ID)),
					"minutes": strconv.Itoa(int(now.Sub(w.Since).Minutes()))}})
		case w.State == queue.Paused:
			out = append(out, Alert{Kind: AlertPaused, Level: "warn", Subject: ws.ID, Since: w.Since,
				Args: map[string]string{"window": ws.ID, "reason": w.PauseReason}})
		}
	}
	for _, f := range s.Ratings.FollowUpList() {
		if f.Late(now) {
			out = append(out, Alert{Kind: AlertFollowUp, Level: "bad", Subject: f.ID, Since: f.Deadline,
				Args: map[string]string{"id": f.ID, "window": f.Window, "number": f.Ticket.Number,
					"deadline": f.Deadline.In(setup.Location()).Format(time.DateOnly)}})
		}
	}
	for _, k := range consultsLate(s, setup, now) {
		d := setup.Consults.Department(k.Department)
		name := k.Department
		if d != nil {
			name = d.Name
		}
		out = append(out, Alert{Kind: AlertConsult, Level: "bad", Subject: k.Ticket.Number, Since: k.Deadline(setup.Consults),
			Args: map[string]string{"number": k.Ticket.Number, "department": name,
				"minutes": strconv.Itoa(int(now.Sub(k.NotifiedAt).Minutes())), "sms": strconv.FormatBool(k.Escalated)}})
	}
	out = append(out, bookingAlerts(s, setup)...)
	out = append(out, caseAlerts(s, setup, now)...)
	out = append(out, proofAlerts(s, setup)...)
	out = append(out, envelopeAlerts(s, setup)...)
	for _, id := range slices.Sorted(maps.Keys(s.Equipment.Devices)) {
		h := s.Equipment.Devices[id]
		if h.Status == equipment.OK {
			continue
		}
		level, kind := "bad", AlertDevice
		if h.Status == equipment.Alert {
			level = "warn"
		}
		if strings.HasPrefix(id, "locker:") && h.Status != equipment.Fault {
			kind = AlertDoor
		}
		out = append(out, Alert{Kind: kind, Level: level, Subject: id, Since: h.Since,
			Args: map[string]string{"device": id, "status": h.Status, "reason": h.Reason, "pin": h.Pin, "detail": h.Detail}})
	}
	return out
}

// consultsLate are the 咨询号 nobody acknowledged in time, oldest first.
func consultsLate(s *State, setup *Setup, now time.Time) []*consult.Consultation {
	var out []*consult.Consultation
	for _, k := range s.Consults.Consults {
		if k.Late(setup.Consults, now) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b *consult.Consultation) int {
		return cmp.Or(a.NotifiedAt.Compare(b.NotifiedAt), strings.Compare(a.Ticket.Number, b.Ticket.Number))
	})
	return out
}

// bookingAlerts are the late bookings and the undecided requests, one
// alert per service and slot: alerts are public, so they name the slot and
// how many, never the applicant or the code.
func bookingAlerts(s *State, setup *Setup) []Alert {
	type key struct {
		kind, service string
		start         time.Time
	}
	count := map[key]int{}
	for _, b := range s.Bookings.Bookings {
		switch b.Status {
		case booking.Late:
			count[key{AlertBookingLate, b.Service, b.Start}]++
		case booking.Requested:
			count[key{AlertBookingRequest, b.Service, b.Start}]++
		}
	}
	keys := slices.SortedFunc(maps.Keys(count), func(a, b key) int {
		return cmp.Or(strings.Compare(a.kind, b.kind), a.start.Compare(b.start), strings.Compare(a.service, b.service))
	})
	out := make([]Alert, 0, len(keys))
	for _, k := range keys {
		slot := k.start.In(setup.Location()).Format("2006-01-02 15:04")
		out = append(out, Alert{Kind: k.kind, Level: "warn", Subject: k.service + " " + slot, Since: k.start,
			Args: map[string]string{"service": k.service, "slot": slot, "count": strconv.Itoa(count[k])}})
	}
	return out
}
