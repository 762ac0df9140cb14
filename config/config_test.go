package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestDemoHallIsValid(t *testing.T) {
	h := Demo()
	if ps := h.Validate(); len(ps) > 0 {
		t.Fatalf("the demo hall has problems:\n%v", ps)
	}
	if !h.Hall.Demo {
		t.Fatal("the demo hall is not marked demo")
	}
	if len(h.Services) == 0 || len(h.Windows) == 0 || len(h.Staff) == 0 {
		t.Fatalf("the demo hall is empty: %d services, %d windows, %d staff", len(h.Services), len(h.Windows), len(h.Staff))
	}
	hasManager := false
	for _, s := range h.Staff {
		hasManager = hasManager || s.Role == Manager
	}
	if !hasManager {
		t.Fatal("nobody in the demo hall can manage it")
	}
	// Every service has a window that serves it, but a department's 咨询号,
	// which its staff answer.
	for _, sv := range h.Services {
		if h.ConsultServes(sv.Code) {
			continue
		}
		served := false
		for _, w := range h.Windows {
			served = served || slices.Contains(w.Services, sv.Code)
		}
		if !served {
			t.Errorf("no demo window serves %s", sv.Code)
		}
	}
}

// The hall's setup is the hall file, as the rules need it.
func TestQueueSetup(t *testing.T) {
	h := Demo()
	hs := h.Setup()
	if hs.Location().String() != "Asia/Shanghai" {
		t.Fatalf("location %v", hs.Location())
	}
	setup := hs.Queue
	if setup.KeyPauseReason != "暂停服务（呼叫器）" {
		t.Errorf("a key pause's reason by default: %q", setup.KeyPauseReason)
	}
	h.Queue.KeyPauseReason = " 暂停办理 "
	if got := h.Setup().Queue.KeyPauseReason; got != "暂停办理" {
		t.Errorf("a key pause's reason from the hall file: %q", got)
	}
	if setup.PriorityRun != h.Queue.PriorityRun {
		t.Fatalf("priority run %d, file says %d", setup.PriorityRun, h.Queue.PriorityRun)
	}
	for _, sv := range h.Services {
		got := setup.Service(sv.Code)
		if got == nil {
			t.Fatalf("service %s missing", sv.Code)
		}
		if want := time.Duration(sv.ServiceMinutes * float64(time.Minute)); got.ServiceTime != want || got.Kind != sv.Kind || got.Name != sv.Name {
			t.Errorf("service %s: %+v, file says %+v", sv.Code, got, sv)
		}
	}
	for _, w := range h.Windows {
		got := setup.Window(w.ID)
		if got == nil {
			t.Fatalf("window %s missing", w.ID)
		}
		for _, code := range w.Services {
			if !got.Serves(code) {
				t.Errorf("window %s does not serve %s", w.ID, code)
			}
		}
	}
	if setup.Service("X") != nil || setup.Window("nope") != nil {
		t.Fatal("setup invents services or windows")
	}

	// Defaults: a hall without a time zone runs on Shanghai time, without a
	// service length on five minutes, without a priority run on three.
	h2, err := Parse(hallYAML(nil, "hall", `hall: {name: 测试大厅, demo: true}`,
		"queue", "",
		"services", "services:\n  - {code: A, name: 社会民生, kind: intake}",
		"windows", "windows:\n  - {id: \"1\", services: [A]}"))
	if err != nil {
		t.Fatal(err)
	}
	s2 := h2.Setup().Queue
	if s2.Location.String() != "Asia/Shanghai" || s2.Service("A").ServiceTime != 5*time.Minute || s2.PriorityRun != 3 {
		t.Fatalf("defaults: location %v, service time %v, priority run %d", s2.Location, s2.Service("A").ServiceTime, s2.PriorityRun)
	}
}

var sections = []string{"hall", "queue", "calendar", "services", "windows", "staff"}

// validSections is a small valid hall, one YAML section per top-level key.
var validSections = map[string]string{
	"hall":     `hall: {id: test, name: 测试大厅, timezone: Asia/Shanghai}`,
	"queue":    `queue: {priority_run: 2}`,
	"calendar": `calendar: {always_open: true}`,
	"services": `services:
  - {code: A, name: 社会民生, kind: intake, service_minutes: 6}
  - {code: B, name: 工程建设, kind: intake, service_minutes: 10, daily_cap: 200}
  - {code: Q, name: 取件, kind: pickup}`,
	"windows": `windows:
  - {id: "1", name: 综合窗口, services: [A, B], weights: {B: 2}}
  - {id: "2", services: [Q]}`,
	"staff": `staff:
  - {id: "1001", name: 王丽娟, role: clerk, password_hash: "$2a$10$abcdefghijklmnopqrstuv"}
  - {id: admin, name: 管理员, role: manager, password_hash: "$2a$10$abcdefghijklmnopqrstuv"}`,
}

// hallYAML is the valid hall with some sections replaced (pairs of name and
// text; an empty text drops the section) and extra text appended.
func hallYAML(extra []string, replace ...string) []byte {
	secs := map[string]string{}
	for k, v := range validSections {
		secs[k] = v
	}
	for i := 0; i+1 < len(replace); i += 2 {
		secs[replace[i]] = replace[i+1]
	}
	var b strings.Builder
	for _, name := range sections {
		if secs[name] != "" {
			b.WriteString(secs[name] + "\n")
		}
	}
	for _, e := range extra {
		b.WriteString(e + "\n")
	}
	return []byte(b.String())
}

func TestParseValidHall(t *testing.T) {
	h, err := Parse(hallYAML(nil))
	if err != nil {
		t.Fatalf("the valid test hall has problems:\n%v", err)
	}
	if h.Hall.Name != "测试大厅" || len(h.Services) != 3 || len(h.Windows) != 2 || h.Windows[0].Weights["B"] != 2 {
		t.Fatalf("parsed %+v", h)
	}
	if s := h.FindStaff("admin"); s == nil || s.Role != Manager {
		t.Fatalf("FindStaff(admin) = %+v", s)
	}
	if h.FindStaff("nobody") != nil || h.FindWindow("9") != nil {
		t.Fatal("found someone who is not there")
	}
	if w := h.FindWindow("2"); w == nil || !slices.Equal(w.Services, []string{"Q"}) {
		t.Fatalf("FindWindow(2) = %+v", w)
	}
}

// Each wrong key is reported by name.
func TestParseNamesEachWrongKey(t *testing.T) {
	tests := []struct {
		name string
		yaml []byte
		// keys must each be named by a problem (in its key, or in its
		// message for problems the YAML decoder finds).
		keys []string
	}{
		{"unknown top-level key", hallYAML([]string{"colour: red"}), []string{"colour"}},
		{"misspelt setting", hallYAML(nil, "queue", "queue: {priority_runs: 2}"), []string{"queue.priority_runs"}},
		{"unknown key in a service", hallYAML(nil, "services", "services:\n  - {code: A, name: x, kind: intake, cap: 3}"), []string{"services[0].cap"}},
		{"two unknown keys", hallYAML([]string{"colour: red", "size: big"}), []string{"colour", "size"}},
		{"wrong type", hallYAML(nil, "queue", "queue: {priority_run: many}"), []string{"yaml"}},
		{"not YAML", []byte("hall: [\n"), []string{"yaml"}},
		{"empty file", []byte(""), []string{"hall.name", "services", "windows"}},

		{"hall without a name", hallYAML(nil, "hall", "hall: {id: test}"), []string{"hall.name"}},
		{"bad hall id", hallYAML(nil, "hall", "hall: {id: 'a b', name: x}"), []string{"hall.id"}},
		{"unknown time zone", hallYAML(nil, "hall", "hall: {name: x, timezone: Mars/Olympus}"), []string{"hall.timezone"}},
		{"negative priority run", hallYAML(nil, "queue", "queue: {priority_run: -1}"), []string{"queue.priority_run"}},
		{"key pause reason too long", hallYAML(nil, "queue", "queue: {key_pause_reason: "+strings.Repeat("停", 101)+"}"), []string{"queue.key_pause_reason"}},

		{"no services", hallYAML(nil, "services", "", "windows", ""), []string{"services", "windows"}},
		{"duplicate service code", hallYAML(nil, "services", "services:\n  - {code: A, name: x, kind: intake}\n  - {code: A, name: y, kind: intake}"), []string{"services[1].code"}},
		{"service code of two letters", hallYAML(nil, "services", "services:\n  - {code: AB, name: x, kind: intake}"), []string{"services[0].code", "windows[0].services[0]"}},
		{"lower-case service code", hallYAML(nil, "services", "services:\n  - {code: a, name: x, kind: intake}"), []string{"services[0].code"}},
		{"service without a name", hallYAML(nil, "services", "services:\n  - {code: A, kind: intake}\n  - {code: B, name: y, kind: intake}\n  - {code: Q, name: z, kind: pickup}"), []string{"services[0].name"}},
		{"unknown kind", hallYAML(nil, "services", "services:\n  - {code: A, name: x, kind: intake}\n  - {code: B, name: y, kind: takeaway}\n  - {code: Q, name: z, kind: pickup}"), []string{"services[1].kind"}},
		{"service too long", hallYAML(nil, "services", "services:\n  - {code: A, name: x, kind: intake, service_minutes: 481}\n  - {code: B, name: y, kind: intake}\n  - {code: Q, name: z, kind: pickup}"), []string{"services[0].service_minutes"}},
		{"negative daily cap", hallYAML(nil, "services", "services:\n  - {code: A, name: x, kind: intake, daily_cap: -1}\n  - {code: B, name: y, kind: intake}\n  - {code: Q, name: z, kind: pickup}"), []string{"services[0].daily_cap"}},

		{"window names a missing service", hallYAML(nil, "windows", "windows:\n  - {id: \"1\", services: [A, X]}"), []string{"windows[0].services[1]"}},
		{"window without services", hallYAML(nil, "windows", "windows:\n  - {id: \"1\", services: [A]}\n  - {id: \"2\"}"), []string{"windows[1].services"}},
		{"duplicate window id", hallYAML(nil, "windows", "windows:\n  - {id: \"1\", services: [A]}\n  - {id: \"1\", services: [B]}"), []string{"windows[1].id"}},
		{"bad window id", hallYAML(nil, "windows", "windows:\n  - {id: \"窗口一\", services: [A]}"), []string{"windows[0].id"}},
		{"weight for a missing service", hallYAML(nil, "windows", "windows:\n  - {id: \"1\", services: [A], weights: {X: 2}}"), []string{"windows[0].weights.X"}},
		{"zero weight", hallYAML(nil, "windows", "windows:\n  - {id: \"1\", services: [A], weights: {A: 0}}"), []string{"windows[0].weights.A"}},
		{"weight too big", hallYAML(nil, "windows", "windows:\n  - {id: \"1\", services: [A], weights: {A: 101}}"), []string{"windows[0].weights.A"}},

		{"clear password outside the demo", hallYAML(nil, "staff", "staff:\n  - {id: \"1001\", name: x, role: clerk, password: demo}"), []string{"staff[0].password"}},
		{"no password at all", hallYAML(nil, "staff", "staff:\n  - {id: \"1001\", name: x, role: clerk}"), []string{"staff[0].password_hash"}},
		{"hash that is not bcrypt", hallYAML(nil, "staff", "staff:\n  - {id: \"1001\", name: x, role: clerk, password_hash: md5xyz}"), []string{"staff[0].password_hash"}},
		{"unknown role", hallYAML(nil, "staff", "staff:\n  - {id: \"1001\", name: x, role: boss, password_hash: \"$2a$x\"}"), []string{"staff[0].role"}},
		{"duplicate staff id", hallYAML(nil, "staff", "staff:\n  - {id: \"1001\", name: x, role: clerk, password_hash: \"$2a$x\"}\n  - {id: \"1001\", name: y, role: clerk, password_hash: \"$2a$x\"}"), []string{"staff[1].id"}},
		{"staff without a name", hallYAML(nil, "staff", "staff:\n  - {id: \"1001\", role: clerk, password_hash: \"$2a$x\"}"), []string{"staff[0].name"}},

		{"reminder too far ahead", hallYAML([]string{"sms: {near_ahead: 51}"}), []string{"sms.near_ahead"}},
		{"reminder with a misspelt field", hallYAML([]string{"sms: {ticket_near: \"{{.Numbr}}\", ticket_called: \"{{.Windows}}\"}"}), []string{"sms.ticket_near", "sms.ticket_called"}},

		{"several problems at once", hallYAML(nil,
			"hall", "hall: {name: x, timezone: Nowhere/At_All}",
			"windows", "windows:\n  - {id: \"1\", services: [A, X]}\n  - {id: \"1\", services: [B]}",
			"staff", "staff:\n  - {id: \"1001\", name: x, role: clerk, password: demo}"),
			[]string{"hall.timezone", "windows[0].services[1]", "windows[1].id", "staff[0].password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h, err := Parse(tt.yaml)
			if err == nil {
				t.Fatalf("accepted:\n%s\nas %+v", tt.yaml, h)
			}
			if h != nil {
				t.Fatal("a hall came back with the problems")
			}
			var ps Problems
			if !errors.As(err, &ps) {
				t.Fatalf("error %T %v is not Problems", err, err)
			}
			for _, key := range tt.keys {
				found := false
				for _, p := range ps {
					found = found || p.Key == key || (p.Key == "yaml" && strings.Contains(p.Message, key))
				}
				if !found {
					t.Errorf("no problem names %q; problems:\n%v", key, ps)
				}
			}
			for _, p := range ps {
				if p.Key == "" || p.Message == "" {
					t.Errorf("problem without key or message: %+v", p)
				}
				if !strings.Contains(err.Error(), p.String()) {
					t.Errorf("the error text leaves out %q", p)
				}
			}
		})
	}
}

// The demo hall alone may keep clear-text passwords.
func TestClearPasswordOnlyInDemo(t *testing.T) {
	staff := "staff:\n  - {id: \"1001\", name: x, role: clerk, password: demo}"
	if _, err := Parse(hallYAML(nil, "hall", "hall: {name: x, demo: true}", "staff", staff)); err != nil {
		t.Fatalf("demo hall with a clear password: %v", err)
	}
	if _, err := Parse(hallYAML(nil, "hall", "hall: {name: x}", "staff", staff)); err == nil {
		t.Fatal("a real hall accepted a clear password")
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "hall.yaml")
	if err := os.WriteFile(good, hallYAML(nil), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(good); err != nil {
		t.Fatalf("Load of a valid file: %v", err)
	}
	bad := filepath.Join(dir, "bad.yaml")
	if err := os.WriteFile(bad, hallYAML([]string{"colour: red"}), 0o600); err != nil {
		t.Fatal(err)
	}
	var ps Problems
	if _, err := Load(bad); !errors.As(err, &ps) {
		t.Fatalf("Load of a bad file: %v", err)
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("Load of a missing file: %v", err)
	}
}
