// Package config is a hall file: the services, windows, staff and settings of
// one hall, as plain data, with validation that names every wrong key. The
// demo hall is embedded and used when no file is given.
package config

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"hallfloor/cases"
	"hallfloor/consult"
	"hallfloor/envelope"
	"hallfloor/hall"
	"hallfloor/queue"
)

//go:embed demo.yaml
var demoYAML []byte

// Hall is a hall file.
type Hall struct {
	Hall      HallInfo  `yaml:"hall"`
	Queue     Queue     `yaml:"queue"`
	Services  []Service `yaml:"services"`
	Windows   []Window  `yaml:"windows"`
	Staff     []Staff   `yaml:"staff"`
	Server    Server    `yaml:"server"`
	Devices   Devices   `yaml:"devices"`
	Calendar  Calendar  `yaml:"calendar"`
	Ratings   Ratings   `yaml:"ratings"`
	Lockers   Lockers   `yaml:"lockers"`
	SMS       SMS       `yaml:"sms"`
	Alerts    Alerts    `yaml:"alerts"`
	Retention Retention `yaml:"retention"`
	Consult   Consult   `yaml:"consult"`
	Bookings  Bookings  `yaml:"bookings"`
	Cases     Cases     `yaml:"cases"`
	Envelope  Envelope  `yaml:"envelope"`
	Webhooks  []Webhook `yaml:"webhooks"`
}

// HallInfo names the hall.
type HallInfo struct {
	ID       string `yaml:"id"`
	Name     string `yaml:"name"`
	NameEN   string `yaml:"name_en"`
	Timezone string `yaml:"timezone"`
	// Demo marks the embedded demo hall: plain passwords are allowed only here.
	Demo bool `yaml:"demo"`
}

// Queue holds the calling policy's settings.
type Queue struct {
	PriorityRun int `yaml:"priority_run"`
	// PriorityAge is the age from which a number taken with the holder's
	// 居民身份证 on a card reader is a priority number (老年人优先), on
	// the hall's date; a typed ID number never makes one. 0 (the default)
	// is off.
	PriorityAge int `yaml:"priority_age"`
	// CallGapSeconds is the shortest time between two calls from a
	// window's physical call key; a press sooner is the bounce or echo of
	// the one before (default 3).
	CallGapSeconds float64 `yaml:"call_gap_s"`
	// UndoSkipSeconds is how long after a 过号 the clerk may take it back
	// (default 10).
	UndoSkipSeconds float64 `yaml:"undo_skip_s"`
	// PauseReasons are offered at the counter when a window pauses; a clerk
	// may still type another.
	PauseReasons []string `yaml:"pause_reasons"`
	// KeyPauseReason is what a window paused from its caller's pause key
	// shows as its reason (default 暂停服务（呼叫器）).
	KeyPauseReason string `yaml:"key_pause_reason"`
}

// defaultKeyPauseReason is a key pause's reason when the hall file names none.
const defaultKeyPauseReason = "暂停服务（呼叫器）"

// KeyReason is the reason a pause from the caller's key shows.
func (q Queue) KeyReason() string {
	if strings.TrimSpace(q.KeyPauseReason) == "" {
		return defaultKeyPauseReason
	}
	return strings.TrimSpace(q.KeyPauseReason)
}

// defaultPauseReasons are offered when the hall file names none.
var defaultPauseReasons = []string{"午间休息", "临时离开", "系统故障", "业务学习"}

// Reasons are the pause reasons the counter offers.
func (q Queue) Reasons() []string {
	if len(q.PauseReasons) == 0 {
		return defaultPauseReasons
	}
	return q.PauseReasons
}

// Service is a class of service.
type Service struct {
	Code           string     `yaml:"code"`
	Name           string     `yaml:"name"`
	NameEN         string     `yaml:"name_en"`
	Kind           queue.Kind `yaml:"kind"`
	ServiceMinutes float64    `yaml:"service_minutes"`
	DailyCap       int        `yaml:"daily_cap"`
}

// Window is a counter.
type Window struct {
	ID       string             `yaml:"id"`
	Name     string             `yaml:"name"`
	NameEN   string             `yaml:"name_en"`
	Services []string           `yaml:"services"`
	Weights  map[string]float64 `yaml:"weights"`
}

// Role is what a member of staff may do.
type Role string

const (
	Clerk   Role = "clerk"
	Manager Role = "manager"
	Guide   Role = "guide" // 导办员: takes numbers, priority ones too, for others
)

// Staff is a person who signs in.
type Staff struct {
	ID   string `yaml:"id"`
	Name string `yaml:"name"`
	Role Role   `yaml:"role"`
	// PasswordHash is a bcrypt hash. Password, in clear, is accepted only in
	// the demo hall.
	PasswordHash string `yaml:"password_hash"`
	Password     string `yaml:"password"`
	// Phone is the member's mobile, for the SMS their roles bring (a
	// 免跑腿信封 group's leader and 业务专员).
	Phone string `yaml:"phone"`
}

// Server holds settings of the network edge.
type Server struct {
	// AllowedOrigins are the web origins (besides the server's own) whose
	// pages may open the WebSocket.
	AllowedOrigins []string `yaml:"allowed_origins"`
	// Kiosks, TrustedProxies and Limits bound what one source may ask of
	// the hall; see limits.go.
	Kiosks         []string `yaml:"kiosks"`
	TrustedProxies []string `yaml:"trusted_proxies"`
	Limits         Limits   `yaml:"limits"`
	// Connections bound the time and number of clients' connections.
	Connections Connections `yaml:"connections"`
	// PublicURL is the address applicants reach the hall's pages at from
	// their phones (https://hall.example.gov.cn), for the links an SMS
	// carries: a booking's confirmation links its page to cancel. Without
	// it the messages carry no link.
	PublicURL string `yaml:"public_url"`
	// HA runs the hall on several nodes sharing a Redis journal.
	HA HA `yaml:"ha"`
}

// Link is the hall's public address of a page's path, or "" when the hall
// file names none.
func (s Server) Link(path string) string {
	base := strings.TrimRight(strings.TrimSpace(s.PublicURL), "/")
	if base == "" {
		return ""
	}
	return base + path
}

// Problem is one thing wrong with a hall file.
type Problem struct {
	Key     string // e.g. services[2].code
	Message string
}

func (p Problem) String() string { return p.Key + ": " + p.Message }

// Problems is every problem found in a hall file.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// DemoFile is the demo hall's file, for tools that run it with settings
// of their own added.
func DemoFile() []byte { return append([]byte(nil), demoYAML...) }

// Demo returns the embedded demo hall.
func Demo() *Hall {
	h, err := Parse(demoYAML)
	if err != nil {
		panic("config: embedded demo hall is invalid: " + err.Error())
	}
	return h
}

// Load reads and validates a hall file.
func Load(path string) (*Hall, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(b)
}

// Parse decodes and validates a hall file. Unknown keys are errors, so a
// misspelt setting is never silently ignored.
func Parse(b []byte) (*Hall, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, Problems{{Key: "yaml", Message: err.Error()}}
	}
	// Every problem at once: unknown keys, values of the wrong type, and
	// values that break a rule, so one run of check names them all.
	var ps Problems
	unknownKeys(&root, reflect.TypeFor[Hall](), "", &ps)
	var h Hall
	if len(root.Content) > 0 {
		if err := root.Decode(&h); err != nil {
			var te *yaml.TypeError
			if !errors.As(err, &te) {
				return nil, append(ps, Problem{Key: "yaml", Message: err.Error()})
			}
			for _, m := range te.Errors {
				ps = append(ps, Problem{Key: "yaml", Message: m})
			}
		}
	}
	ps = append(ps, h.Validate()...)
	if len(ps) > 0 {
		return nil, ps
	}
	return &h, nil
}

var (
	codeRE = regexp.MustCompile(`^[A-Z]$`)
	idRE   = regexp.MustCompile(`^[0-9A-Za-z_-]{1,16}$`)
)

// Validate returns every problem in the hall, each naming its key.
func (h *Hall) Validate() Problems {
	var ps Problems
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	if h.Hall.Name == "" {
		add("hall.name", "missing; the hall's name shows on every screen")
	}
	h.Alerts.validate(add)
	h.Server.validate(add)
	if g := h.Queue.CallGapSeconds; g < 0 || g > 60 {
		add("queue.call_gap_s", "%v must be between 0 (default 3) and 60 seconds", g)
	}
	if g := h.Queue.UndoSkipSeconds; g < 0 || g > 300 {
		add("queue.undo_skip_s", "%v must be between 0 (default 10) and 300 seconds", g)
	}
	if h.Hall.ID != "" && !idRE.MatchString(h.Hall.ID) {
		add("hall.id", "%q must be 1-16 letters, digits, - or _", h.Hall.ID)
	}
	loc, err := h.Location()
	if err != nil {
		add("hall.timezone", "unknown time zone %q", h.Hall.Timezone)
	} else {
		h.Calendar.build(loc, add)
	}
	if h.Queue.PriorityRun < 0 {
		add("queue.priority_run", "must be 0 (default 3) or more")
	}
	if a := h.Queue.PriorityAge; a < 0 || a > 120 {
		add("queue.priority_age", "%d must be between 0 (off) and 120", a)
	}
	if n := utf8.RuneCountInString(strings.TrimSpace(h.Queue.KeyPauseReason)); n > 100 {
		add("queue.key_pause_reason", "a reason has 1 to 100 characters")
	}
	for i, r := range h.Queue.PauseReasons {
		if n := utf8.RuneCountInString(strings.TrimSpace(r)); n == 0 || n > 100 {
			add(fmt.Sprintf("queue.pause_reasons[%d]", i), "a reason has 1 to 100 characters")
		}
	}
	services := map[string]bool{}
	if len(h.Services) == 0 {
		add("services", "a hall needs at least one service")
	}
	for i, s := range h.Services {
		key := fmt.Sprintf("services[%d]", i)
		switch {
		case !codeRE.MatchString(s.Code):
			add(key+".code", "%q must be one capital letter (it prefixes the numbers)", s.Code)
		case services[s.Code]:
			add(key+".code", "%q is used by an earlier service", s.Code)
		}
		services[s.Code] = true
		if s.Name == "" {
			add(key+".name", "missing")
		}
		if !s.Kind.Valid() {
			add(key+".kind", "%q must be intake, pickup or consult", s.Kind)
		}
		if s.ServiceMinutes < 0 || s.ServiceMinutes > 480 {
			add(key+".service_minutes", "%v must be between 0 (default 5) and 480", s.ServiceMinutes)
		}
		if s.DailyCap < 0 {
			add(key+".daily_cap", "must be 0 (no cap) or more")
		}
	}
	windows := map[string]bool{}
	if len(h.Windows) == 0 {
		add("windows", "a hall needs at least one window")
	}
	for i, w := range h.Windows {
		key := fmt.Sprintf("windows[%d]", i)
		checkID(add, key+".id", w.ID, "window", windows)
		if len(w.Services) == 0 {
			add(key+".services", "a window must serve at least one service")
		}
		for j, s := range w.Services {
			if !services[s] {
				add(fmt.Sprintf("%s.services[%d]", key, j), "no service %q", s)
			}
		}
		for s, v := range w.Weights {
			if !services[s] {
				add(key+".weights."+s, "no service %q", s)
			} else if v <= 0 || v > 100 {
				add(key+".weights."+s, "%v must be more than 0 and at most 100", v)
			}
		}
	}
	staff := map[string]bool{}
	for i, s := range h.Staff {
		key := fmt.Sprintf("staff[%d]", i)
		checkID(add, key+".id", s.ID, "member of staff", staff)
		if s.Name == "" {
			add(key+".name", "missing")
		}
		if s.Role != Clerk && s.Role != Manager && s.Role != Guide {
			add(key+".role", "%q must be clerk, manager or guide", s.Role)
		}
		switch {
		case s.Password != "" && !h.Hall.Demo:
			add(key+".password", "clear-text passwords are only for the demo hall; use password_hash (hallfloor hash-password)")
		case s.Password == "" && s.PasswordHash == "":
			add(key+".password_hash", "missing; this person could never sign in")
		case s.PasswordHash != "" && !strings.HasPrefix(s.PasswordHash, "$2"):
			add(key+".password_hash", "is not a bcrypt hash")
		}
		if s.Phone != "" && !phoneRE.MatchString(s.Phone) {
			add(key+".phone", "%q is not a phone number", s.Phone)
		}
	}
	h.validateDevices(add)
	h.Ratings.validate(add)
	h.validateLockers(add)
	h.Server.Connections.validate(add)
	h.Server.HA.validate(add)
	h.Retention.validate(add)
	h.validateConsult(add)
	h.validateBookings(add)
	h.validateCases(add)
	h.validateEnvelope(add)
	h.validatePushes(add)
	return ps
}

// checkID reports an id that is malformed or used by an earlier entry of
// the same list, and remembers it.
func checkID(add func(key, format string, args ...any), key, id, what string, seen map[string]bool) {
	switch {
	case !idRE.MatchString(id):
		add(key, "%q must be 1-16 letters, digits, - or _", id)
	case seen[id]:
		add(key, "%q is used by an earlier %s", id, what)
	}
	seen[id] = true
}

// Location is the hall's time zone; Asia/Shanghai when not set.
func (h *Hall) Location() (*time.Location, error) {
	tz := h.Hall.Timezone
	if tz == "" {
		tz = "Asia/Shanghai"
	}
	return time.LoadLocation(tz)
}

// Setup is the hall as its rules need it, room by room.
func (h *Hall) Setup() *hall.Setup {
	loc, err := h.Location()
	if err != nil {
		loc = time.UTC // unreachable after Validate
	}
	cal := h.CalendarSetup()
	q := queue.Setup{Location: loc, PriorityRun: h.Queue.PriorityRun, PriorityAge: h.Queue.PriorityAge, Calendar: cal,
		CallGap:        time.Duration(h.Queue.CallGapSeconds * float64(time.Second)),
		UndoSkip:       time.Duration(h.Queue.UndoSkipSeconds * float64(time.Second)),
		KeyPauseReason: h.Queue.KeyReason()}
	for _, sv := range h.Services {
		q.Services = append(q.Services, queue.Service{
			Code: sv.Code, Name: sv.Name, NameEN: sv.NameEN, Kind: sv.Kind,
			ServiceTime: time.Duration(sv.ServiceMinutes * float64(time.Minute)), DailyCap: sv.DailyCap,
		})
	}
	for _, w := range h.Windows {
		q.Windows = append(q.Windows, queue.WindowSetup{ID: w.ID, Name: w.Name, Services: w.Services, Weights: w.Weights})
	}
	r := h.RatingSetup()
	r.Calendar = cal
	setup := hall.NewSetup(q, r, h.LockerSetup(), h.Alerts.setup())
	setup.NearAhead = h.SMS.NearAhead
	setup.Consults = consult.NewSetup(h.ConsultSetup())
	setup.Bookings = h.BookingSetup(setup.Calendar())
	setup.Cases = cases.NewSetup(h.CasesSetup(setup.Calendar()))
	setup.Envelopes = envelope.NewSetup(h.EnvelopeSetup())
	setup.Pushes = h.PushSetup(loc)
	return setup
}

// FindStaff returns the member of staff with the id, or nil.
func (h *Hall) FindStaff(id string) *Staff {
	for i := range h.Staff {
		if h.Staff[i].ID == id {
			return &h.Staff[i]
		}
	}
	return nil
}

// FindWindow returns the window with the id, or nil.
func (h *Hall) FindWindow(id string) *Window {
	for i := range h.Windows {
		if h.Windows[i].ID == id {
			return &h.Windows[i]
		}
	}
	return nil
}
