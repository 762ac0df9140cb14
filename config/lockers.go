package config

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"

	"hallfloor/locker"
	"hallfloor/sms"
)

// Lockers is the pickup lockers' section (取件密码箱); the banks and their
// doors are in the device map (devices.lockers).
type Lockers struct {
	// RetentionDays is how long a result waits before it is overdue (7).
	RetentionDays int `yaml:"retention_days"`
	// MaxTries wrong entries at a panel lock it for that ID number for
	// LockoutMinutes (5 and 15).
	MaxTries       int `yaml:"max_tries"`
	LockoutMinutes int `yaml:"lockout_minutes"`
	// DoorLimitS is how long a door may stand open before the hall is
	// alerted (120).
	DoorLimitS int `yaml:"door_limit_s"`
	// PickupByLastSix lets the applicant type only the last six characters
	// of the ID number at the panel.
	PickupByLastSix bool `yaml:"pickup_by_last_six"`
	// SMS words the messages; each empty one keeps the built-in wording.
	SMS sms.Templates `yaml:"sms"`
}

// SMS is how messages to citizens leave the hall.
type SMS struct {
	// Sender is log (the default: messages go to the server's log) or
	// webhook (posted, signed, to an SMS gateway).
	Sender string `yaml:"sender"`
	URL    string `yaml:"url"`
	// SecretEnv names the environment variable holding the webhook's
	// signing secret; the secret itself never sits in the hall file.
	SecretEnv string `yaml:"secret_env"`
	// TimeoutS bounds one attempt to reach the gateway (10).
	TimeoutS int `yaml:"timeout_s"`
	// NearAhead is how many people may still be before a ticket when its
	// holder, who gave a phone at the kiosk, is told their turn is near
	// (叫号前提醒; 3). The holder is told again when called.
	NearAhead int `yaml:"near_ahead"`
	// TicketNear and TicketCalled word those two messages; empty keeps the
	// built-in wording. Fields: Hall Number Ahead Window.
	TicketNear   string `yaml:"ticket_near"`
	TicketCalled string `yaml:"ticket_called"`
	// ConsultNotify words a department member's notice of a 咨询号,
	// ConsultLate its contact's when nobody answered in time. Fields: Hall
	// Department Number Minutes.
	ConsultNotify string `yaml:"consult_notify"`
	ConsultLate   string `yaml:"consult_late"`
	// The appointments' messages (预约办): the booking confirmed, a
	// request received, accepted or declined, the two reminders (one
	// wording), the forfeit. Fields: Hall Service Start Code Reason Link
	// (the booking's page with its code, from server.public_url; empty
	// without it, so wrap it in {{if .Link}}…{{end}}).
	BookingConfirmed string `yaml:"booking_confirmed"`
	BookingRequested string `yaml:"booking_requested"`
	BookingAccepted  string `yaml:"booking_accepted"`
	BookingDeclined  string `yaml:"booking_declined"`
	BookingReminder  string `yaml:"booking_reminder"`
	BookingForfeited string `yaml:"booking_forfeited"`
}

// smsTemplates are every message's wording: the lockers', the queue's
// reminders, the consultations' and the bookings', the built-in one where
// the hall file is silent.
func (h *Hall) smsTemplates() sms.Templates {
	t := h.Lockers.SMS
	t.TicketNear, t.TicketCalled = h.SMS.TicketNear, h.SMS.TicketCalled
	t.ConsultNotify, t.ConsultLate = h.SMS.ConsultNotify, h.SMS.ConsultLate
	t.BookingConfirmed, t.BookingRequested, t.BookingAccepted = h.SMS.BookingConfirmed, h.SMS.BookingRequested, h.SMS.BookingAccepted
	t.BookingDeclined, t.BookingReminder, t.BookingForfeited = h.SMS.BookingDeclined, h.SMS.BookingReminder, h.SMS.BookingForfeited
	return t.WithDefaults()
}

var envRE = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*$`)

func (h *Hall) validateLockers(add func(key, format string, args ...any)) {
	l := h.Lockers
	if l.RetentionDays < 0 || l.RetentionDays > 90 {
		add("lockers.retention_days", "%d must be between 0 (default 7) and 90", l.RetentionDays)
	}
	if l.MaxTries < 0 || l.MaxTries > 20 {
		add("lockers.max_tries", "%d must be between 0 (default 5) and 20", l.MaxTries)
	}
	if l.LockoutMinutes < 0 || l.LockoutMinutes > 24*60 {
		add("lockers.lockout_minutes", "%d must be between 0 (default 15) and 1440", l.LockoutMinutes)
	}
	if l.DoorLimitS < 0 || l.DoorLimitS > 3600 {
		add("lockers.door_limit_s", "%d must be between 0 (default 120) and 3600", l.DoorLimitS)
	}
	bad := h.smsTemplates().Check()
	names := make([]string, 0, len(bad))
	for n := range bad {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		if strings.HasPrefix(n, "ticket_") || strings.HasPrefix(n, "consult_") || strings.HasPrefix(n, "booking_") {
			add("sms."+n, "%v", bad[n])
		} else {
			add("lockers.sms."+n, "%v", bad[n])
		}
	}
	s := h.SMS
	if s.NearAhead < 0 || s.NearAhead > 50 {
		add("sms.near_ahead", "%d must be between 0 (default 3) and 50", s.NearAhead)
	}
	switch s.Sender {
	case "", "log":
	case "webhook":
		if u, err := url.Parse(s.URL); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			add("sms.url", "%q must be the gateway's http(s) address", s.URL)
		}
		if !envRE.MatchString(s.SecretEnv) {
			add("sms.secret_env", "%q must name an environment variable (e.g. HALLFLOOR_SMS_SECRET)", s.SecretEnv)
		}
	default:
		add("sms.sender", "%q must be log or webhook", s.Sender)
	}
	if s.TimeoutS < 0 || s.TimeoutS > 120 {
		add("sms.timeout_s", "%d must be between 0 (default 10) and 120", s.TimeoutS)
	}
}

// LockerSetup is the lockers as their rules need them: the banks of the
// device map and the lockers' settings.
func (h *Hall) LockerSetup() *locker.Setup {
	l := h.Lockers
	s := locker.Setup{
		Retention: time.Duration(l.RetentionDays) * 24 * time.Hour,
		MaxTries:  l.MaxTries,
		Lockout:   time.Duration(l.LockoutMinutes) * time.Minute,
		DoorLimit: time.Duration(l.DoorLimitS) * time.Second,
	}
	for _, b := range h.Devices.Lockers {
		bs := locker.BankSetup{ID: b.ID, Name: b.Name}
		for _, c := range b.Compartments {
			bs.Compartments = append(bs.Compartments, locker.CompartmentSetup{ID: c.ID, Size: locker.Size(c.Size)})
		}
		s.Banks = append(s.Banks, bs)
	}
	s = s.WithDefaults()
	return &s
}

// SMSSender builds the configured sender. The webhook's secret is read from
// the environment now, so a missing one stops the start instead of every
// message failing later.
// SMSWording words the hall's messages when they are sent: its name, its
// templates, its zone.
func (h *Hall) SMSWording() *sms.Wording {
	loc, err := h.Location()
	if err != nil {
		loc = time.UTC // unreachable after Validate
	}
	return &sms.Wording{Hall: h.Hall.Name, Templates: h.smsTemplates(), Location: loc, BookingPage: h.Server.Link("/book"),
		EnvelopePage: h.Server.Link("/e")}
}

func (h *Hall) SMSSender() (sms.Sender, error) {
	s := h.SMS
	if s.Sender != "webhook" {
		return sms.LogSender{}, nil
	}
	secret := os.Getenv(s.SecretEnv)
	if secret == "" {
		return nil, fmt.Errorf("sms: the environment variable %s (sms.secret_env) is empty", s.SecretEnv)
	}
	timeout := time.Duration(s.TimeoutS) * time.Second
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return sms.WebhookSender{URL: s.URL, Secret: []byte(secret), Client: &http.Client{Timeout: timeout}}, nil
}
