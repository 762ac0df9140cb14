package server_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/bcrypt"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/engine"
	"hallfloor/equipment"
	"hallfloor/locker"
	"hallfloor/queue"
)

// devHall is the demo hall with its devices on simulated pins, wired as
// cmd/hallfloor wires it, served on a random local port.
type devHall struct {
	client
	tb   testing.TB
	ts   *httptest.Server
	eng  *engine.Engine
	devs *devices.Manager
	acts activities
	mgr  string // a manager's token, for the simulator
}

func startDevHall(tb testing.TB, withDevices bool, debounceMS int, tune ...func(*config.Hall)) *devHall {
	tb.Helper()
	cfg := config.Demo()
	if !withDevices {
		cfg.Devices = config.Devices{}
	}
	if debounceMS > 0 {
		cfg.Devices.DebounceMS = debounceMS
	}
	for _, f := range tune {
		f(cfg)
	}
	h := &devHall{tb: tb, acts: newActivities()}
	run := apptest.Start(tb, app.Options{Hall: cfg, DeviceActivity: h.acts.observe})
	h.client, h.ts, h.eng, h.devs = client{tb, run.URL}, run.HTTP, run.Engine, run.Devices
	return h
}

func (h *devHall) call(method, path, token string, body any) (int, []byte) {
	h.tb.Helper()
	r := h.req(method, path, token, body)
	return r.status, r.body
}

// openWindow1 signs clerk 1001 on at window 1 and issues n tickets for A.
func (h *devHall) openWindow1(n int) {
	h.tb.Helper()
	if code, b := h.call("POST", "/api/v1/windows/1/open", h.login("1001"), nil); code != 200 {
		h.tb.Fatalf("open: %d %s", code, b)
	}
	for range n {
		if code, b := h.call("POST", "/api/v1/tickets", "", map[string]string{"service": "A"}); code != 201 {
			h.tb.Fatalf("issue: %d %s", code, b)
		}
	}
}

type devMsg struct {
	Type string          `json:"type"`
	Seq  uint64          `json:"seq"`
	Data json.RawMessage `json:"data"`
}

func (h *devHall) dialWS() *websocket.Conn {
	h.tb.Helper()
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(h.ts.URL, "http")+"/ws", nil)
	if err != nil {
		h.tb.Fatal(err)
	}
	h.tb.Cleanup(func() { c.Close() })
	var first devMsg
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := c.ReadJSON(&first); err != nil {
		h.tb.Fatal(err)
	}
	return c
}

// nextOfType reads the WebSocket until a message of the type arrives.
func nextOfType(tb testing.TB, c *websocket.Conn, typ string) devMsg {
	tb.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var m devMsg
		if err := c.ReadJSON(&m); err != nil {
			tb.Fatalf("waiting for %s: %v", typ, err)
		}
		if m.Type == typ {
			return m
		}
	}
}

// manager is a manager's token, signed in once: the simulator takes no one else.
func (h *devHall) manager() string {
	if h.mgr == "" {
		h.mgr = h.login("admin")
	}
	return h.mgr
}

func (h *devHall) drive(pin, level string) {
	h.tb.Helper()
	if code, b := h.call("POST", "/api/v1/sim/pins/"+pin, h.manager(), map[string]string{"level": level}); code != http.StatusAccepted {
		h.tb.Fatalf("drive %s %s: %d %s", pin, level, code, b)
	}
}

func (h *devHall) expectActivity(device, what string) {
	h.tb.Helper()
	h.acts.expect(h.tb, device, what)
}

// activities records what the devices did, for a test to wait on.
type activities chan devices.Activity

func newActivities() activities { return make(activities, 4096) }

// observe is the devices' observer; it never blocks them.
func (c activities) observe(a devices.Activity) {
	select {
	case c <- a:
	default:
	}
}

// expect waits for a device to do something.
func (c activities) expect(tb testing.TB, device, what string) {
	tb.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case a := <-c:
			if a.Device == device && a.What == what {
				return
			}
		case <-deadline:
			tb.Fatalf("no %s from %s", what, device)
		}
	}
}

// A press of window 1's "next" button on its simulated pin calls the next
// ticket, and a screen on the WebSocket sees the call for window 1.
func TestButtonPressCallsAndScreenSeesIt(t *testing.T) {
	h := startDevHall(t, true, 0)
	h.openWindow1(2)
	ws := h.dialWS()
	h.drive("GPIO17", "low")
	m := nextOfType(t, ws, "ticket.called")
	var called queue.TicketCalled
	if err := json.Unmarshal(m.Data, &called); err != nil {
		t.Fatal(err)
	}
	if called.Window != "1" || called.Ticket.Number != "A001" || called.Staff != "1001" {
		t.Fatalf("called %+v", called)
	}
	h.drive("GPIO17", "high")
	h.expectActivity("window:1:caller", "released")
}

func TestSimPinsAPI(t *testing.T) {
	h := startDevHall(t, true, 0)
	code, b := h.call("GET", "/api/v1/sim/pins", h.manager(), nil)
	var pins []devices.PinInfo
	if code != 200 || json.Unmarshal(b, &pins) != nil {
		t.Fatalf("%d %s", code, b)
	}
	i := slices.IndexFunc(pins, func(p devices.PinInfo) bool { return p.Name == "GPIO17" })
	if i < 0 || pins[i].Role != "button" || pins[i].Window != "1" || pins[i].Action != "next" || pins[i].Level != "high" {
		t.Fatalf("GPIO17 listed as %+v", pins)
	}
	roles := map[string]int{}
	for _, p := range pins {
		roles[p.Role]++
	}
	if roles["button"] != 32 || roles["lamp"] != 8 || roles["evaluator"] != 30 || roles["relay"] < 12 || roles["door"] < 12 {
		t.Fatalf("demo pins by role %v", roles)
	}
	tests := []struct {
		name, path, body string
		code             int
		errCode          string
	}{
		{"bad level", "/api/v1/sim/pins/GPIO17", `{"level":"up"}`, 400, "invalid"},
		{"unknown field", "/api/v1/sim/pins/GPIO17", `{"lvl":"low"}`, 400, "invalid"},
		{"not JSON", "/api/v1/sim/pins/GPIO17", `low`, 400, "invalid"},
		{"unknown pin", "/api/v1/sim/pins/GPIO99", `{"level":"low"}`, 404, "not_found"},
		{"output pin", "/api/v1/sim/pins/GPIO24", `{"level":"high"}`, 409, "conflict"},
		{"unknown compartment", "/api/v1/sim/lockers/L1/99/unlock", ``, 404, "not_found"},
	}
	for _, tc := range tests {
		req, _ := http.NewRequest("POST", h.ts.URL+tc.path, strings.NewReader(tc.body))
		req.Header.Set("Authorization", "Bearer "+h.manager())
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var e struct{ Error struct{ Code string } }
		json.NewDecoder(resp.Body).Decode(&e)
		resp.Body.Close()
		if resp.StatusCode != tc.code || e.Error.Code != tc.errCode {
			t.Errorf("%s: %d %q, want %d %q", tc.name, resp.StatusCode, e.Error.Code, tc.code, tc.errCode)
		}
	}
	// An expander pin's name travels escaped in the path.
	h.drive("io1%3AA0", "low")
	h.expectActivity("window:2:caller", "pressed")
}

func TestLockerAlarmOverHTTPAndWebSocket(t *testing.T) {
	h := startDevHall(t, true, 0)
	ws := h.dialWS()
	h.drive("io6%3AB4", "high") // compartment 05's door, opened with no unlock
	// The lockers' rules raise the alarm; the devices show it.
	m := nextOfType(t, ws, "locker.alarm")
	var rep locker.Alarm
	json.Unmarshal(m.Data, &rep)
	if rep.Comp != "L1/05" {
		t.Fatalf("alarm %+v", rep)
	}
	code, b := h.call("GET", "/api/v1/devices", "", nil)
	var d struct {
		Simulated bool
		Devices   []struct {
			Device   string
			Status   string
			Reported *equipment.Health
			State    map[string]bool
		}
	}
	if code != 200 || json.Unmarshal(b, &d) != nil || !d.Simulated {
		t.Fatalf("%d %s", code, b)
	}
	i := slices.IndexFunc(d.Devices, func(x struct {
		Device   string
		Status   string
		Reported *equipment.Health
		State    map[string]bool
	}) bool {
		return x.Device == "locker:L1:05"
	})
	if i < 0 || d.Devices[i].Status != "alarm" || !d.Devices[i].State["door_open"] {
		t.Fatalf("devices say %s", b)
	}
	// A clerk may not unlock by hand; a manager may.
	if code, _ := h.call("POST", "/api/v1/devices/lockers/L1/06/unlock", h.login("1002"), nil); code != http.StatusForbidden {
		t.Fatalf("clerk unlock: %d", code)
	}
	if code, _ := h.call("POST", "/api/v1/devices/lockers/L1/06/unlock", "", nil); code != http.StatusUnauthorized {
		t.Fatalf("anonymous unlock: %d", code)
	}
	if code, b := h.call("POST", "/api/v1/devices/lockers/L1/06/unlock", h.login("admin"), nil); code != http.StatusAccepted {
		t.Fatalf("manager unlock: %d %s", code, b)
	}
	h.expectActivity("locker:L1:06", "pulse")
}

func TestDevicesWithoutDevices(t *testing.T) {
	h := startDevHall(t, false, 0)
	code, b := h.call("GET", "/api/v1/devices", "", nil)
	if code != 200 || !strings.Contains(string(b), `"devices":[]`) {
		t.Fatalf("%d %s", code, b)
	}
	for _, p := range []struct{ method, path string }{{"GET", "/api/v1/sim/pins"}, {"POST", "/api/v1/sim/pins/GPIO17"}} {
		if code, _ := h.call(p.method, p.path, "", map[string]string{"level": "low"}); code != 404 {
			t.Errorf("%s %s without a simulator: %d", p.method, p.path, code)
		}
	}
}

func TestDevicesPage(t *testing.T) {
	h := startDevHall(t, true, 0)
	get := func(path string) (*http.Response, string) {
		resp, err := http.Get(h.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, string(b)
	}
	resp, page := get("/devices")
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(page, `<script src="/device-assets/devices.js" defer></script>`) {
		t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), page)
	}
	// The page's script is a file of its own, which drives the simulator.
	resp, script := get("/device-assets/devices.js")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" || !strings.Contains(script, "/api/v1/sim/pins") {
		t.Fatalf("devices.js: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	for _, path := range []string{"/device-assets/devices.html", "/device-assets/nope.js", "/locker-assets/panel.html"} {
		if resp, _ := get(path); resp.StatusCode != 404 {
			t.Errorf("GET %s: %d, want 404", path, resp.StatusCode)
		}
	}
}

// BenchmarkButtonToWebSocket measures a call button from the edge on its pin
// to the ticket.called message on a screen's WebSocket: debounce, the
// command through the engine (SQLite commit included) and the push. It
// presses far faster than a clerk, so the hall's call gap (a press within
// it is the bounce of the last call, not a new one) is cut to a
// millisecond: each press here is a new call.
func BenchmarkButtonToWebSocket(b *testing.B) {
	for _, debounce := range []int{30, 1} {
		b.Run(fmt.Sprintf("debounce=%dms", debounce), func(b *testing.B) {
			h := startDevHall(b, true, debounce, func(c *config.Hall) { c.Queue.CallGapSeconds = 0.001 })
			h.openWindow1(b.N + 1)
			ws := h.dialWS()
			var lat []time.Duration
			b.ResetTimer()
			for range b.N {
				start := time.Now()
				h.drive("GPIO17", "low")
				nextOfType(b, ws, "ticket.called")
				lat = append(lat, time.Since(start))
				h.drive("GPIO17", "high")
				h.expectActivity("window:1:caller", "released")
			}
			b.StopTimer()
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
		})
	}
}

// TestSimulatorNeedsAManager: on simulated pins the simulator presses call
// buttons, rates and opens doors, so in a real hall started with
// -simulate-devices (and in the demo hall) it takes a signed-in manager:
// nobody anonymous, no clerk.
func TestSimulatorNeedsAManager(t *testing.T) {
	cfg := config.Demo()
	cfg.Hall.Demo = false
	hash, err := bcrypt.GenerateFromPassword([]byte("a real password"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	for i := range cfg.Staff {
		cfg.Staff[i].Password, cfg.Staff[i].PasswordHash = "", string(hash)
	}
	run := apptest.Start(t, app.Options{Hall: cfg, Sim: true})
	c := client{t, run.URL}
	signIn := func(staff string) string {
		var out struct{ Token string }
		c.must(200, "POST", "/api/v1/login", "", map[string]string{"staff": staff, "password": "a real password"}).into(t, &out)
		return out.Token
	}
	clerk, manager := signIn("1001"), signIn("admin")

	var view struct{ Simulated, Demo bool }
	c.must(200, "GET", "/api/v1/devices", "", nil).into(t, &view)
	if !view.Simulated || view.Demo {
		t.Fatalf("devices view %+v: want simulated, not the demo", view)
	}
	calls := []struct {
		method, path string
		body         any
		ok           int
	}{
		{"GET", "/api/v1/sim/pins", nil, 200},
		{"POST", "/api/v1/sim/pins/GPIO17", map[string]string{"level": "low"}, 202},
		{"POST", "/api/v1/sim/pins/io6%3AB0", map[string]string{"level": "high"}, 202},
		{"POST", "/api/v1/sim/lockers/L1/05/unlock", nil, 202},
	}
	for _, k := range calls {
		for _, who := range []struct {
			name, token string
			want        int
		}{{"anonymous", "", 401}, {"clerk", clerk, 403}, {"manager", manager, k.ok}} {
			if r := c.req(k.method, k.path, who.token, k.body); r.status != who.want {
				t.Errorf("%s %s as %s: %d %s, want %d", k.method, k.path, who.name, r.status, r.body, who.want)
			}
		}
	}
}

// TestDemoSimulatorNeedsAManager: the demo hall's simulator is no more open
// than a real hall's; its devices page offers the demo's manager sign-in.
func TestDemoSimulatorNeedsAManager(t *testing.T) {
	h := startDevHall(t, true, 0)
	var view struct{ Simulated, Demo bool }
	h.must(200, "GET", "/api/v1/devices", "", nil).into(t, &view)
	if !view.Simulated || !view.Demo {
		t.Fatalf("devices view %+v", view)
	}
	if code, b := h.call("POST", "/api/v1/sim/pins/GPIO17", "", map[string]string{"level": "low"}); code != 401 {
		t.Errorf("anonymous press in the demo hall: %d %s", code, b)
	}
	if code, b := h.call("POST", "/api/v1/sim/pins/GPIO17", h.login("1001"), map[string]string{"level": "low"}); code != 403 {
		t.Errorf("a clerk's press in the demo hall: %d %s", code, b)
	}
}
