package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/crypto/bcrypt"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/hall"
	"hallfloor/locker"
	"hallfloor/sms"
)

// lockHall is the demo hall wired as cmd/hallfloor wires it for the
// lockers: devices on simulated pins, the history journal for receipts and
// the outbox dispatcher, whose sender hands each message to the test.
type lockHall struct {
	client
	t    *testing.T
	ts   *httptest.Server
	eng  *engine.Engine
	sent chan sms.Message
	ws   *websocket.Conn
	acts activities
	mgr  string // a manager's token, for the simulator

	mu  sync.Mutex
	now time.Time
}

type chanSender chan sms.Message

func (c chanSender) Send(_ context.Context, m sms.Message) error { c <- m; return nil }

func startLockHall(t *testing.T, tune func(*config.Hall)) *lockHall {
	t.Helper()
	cfg := config.Demo()
	if tune != nil {
		tune(cfg)
	}
	h := &lockHall{t: t, sent: make(chan sms.Message, 100), now: time.Now(), acts: newActivities()}
	run := apptest.Start(t, app.Options{Hall: cfg, Clock: h.clock, Sender: chanSender(h.sent),
		DeviceActivity: h.acts.observe})
	h.client, h.ts, h.eng = client{t, run.URL}, run.HTTP, run.Engine
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(h.ts.URL, "http")+"/ws", nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	var first devMsg
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := c.ReadJSON(&first); err != nil {
		t.Fatal(err)
	}
	h.ws = c
	return h
}

func (h *lockHall) clock() time.Time {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.now
}

func (h *lockHall) advance(d time.Duration) {
	h.mu.Lock()
	h.now = h.now.Add(d)
	h.mu.Unlock()
}

type apiAnswer struct {
	code   int
	body   []byte
	header http.Header
}

func (h *lockHall) call(method, path, token string, body any) apiAnswer {
	h.t.Helper()
	r := h.req(method, path, token, body)
	return apiAnswer{r.status, r.body, r.header}
}

// door moves a compartment's simulated door (demo bank L1: 01-08 on io6:B0-B7).
func (h *lockHall) door(comp string, open bool) {
	h.t.Helper()
	n := map[string]string{"01": "io6%3AB0", "02": "io6%3AB1", "03": "io6%3AB2", "07": "io6%3AB6"}[comp]
	level := "low"
	if open {
		level = "high"
	}
	if h.mgr == "" {
		h.mgr = h.login("admin") // the simulator is a manager's
	}
	if a := h.call("POST", "/api/v1/sim/pins/"+n, h.mgr, map[string]string{"level": level}); a.code != http.StatusAccepted {
		h.t.Fatalf("door %s: %d %s", comp, a.code, a.body)
	}
}

// activity waits for a device to do something.
func (h *lockHall) activity(device, what string) {
	h.t.Helper()
	h.acts.expect(h.t, device, what)
}

func (h *lockHall) event(typ string) devMsg {
	h.t.Helper()
	return nextOfType(h.t, h.ws, typ)
}

var codeRE = regexp.MustCompile(`(?:取件码|投递码) (\d{6})`)

// nextCode waits for the sender to be handed a message and reads its code.
func (h *lockHall) nextCode() (sms.Message, string) {
	h.t.Helper()
	m := h.nextMessage()
	c := codeRE.FindStringSubmatch(m.Text)
	if c == nil {
		h.t.Fatalf("no code in %q", m.Text)
	}
	return m, c[1]
}

// nextMessage is the next SMS the hall sent.
func (h *lockHall) nextMessage() sms.Message {
	h.t.Helper()
	select {
	case m := <-h.sent:
		return m
	case <-time.After(10 * time.Second):
		h.t.Fatal("no SMS was sent")
	}
	return sms.Message{}
}

const (
	applicantID = "11010519491231002X"
	otherID     = "110105198001010016"
)

func deposit(caseNo string) map[string]string {
	return map[string]string{"case": caseNo, "what": "营业执照", "name": "张三", "id_number": applicantID, "phone": "13800138000", "size": "S"}
}

// depositStored runs a deposit to its close and returns the compartment and
// the code the applicant was sent.
func (h *lockHall) depositStored(clerk, caseNo string) (string, string) {
	h.t.Helper()
	return h.depositStoredFor(clerk, deposit(caseNo))
}

// depositStoredFor is depositStored with the deposit's body given.
func (h *lockHall) depositStoredFor(clerk string, body map[string]string) (string, string) {
	h.t.Helper()
	a := h.call("POST", "/api/v1/lockers/deposits", clerk, body)
	var r struct{ Bank, Comp, Status string }
	if a.code != http.StatusAccepted || json.Unmarshal(a.body, &r) != nil || r.Bank != "L1" || r.Status != "opening" {
		h.t.Fatalf("deposit: %d %s", a.code, a.body)
	}
	select {
	case m := <-h.sent:
		h.t.Fatalf("the code went out before the deposit was stored: %+v", m)
	default:
	}
	h.door(r.Comp, true)
	h.event("locker.door_opened")
	h.door(r.Comp, false)
	h.event("locker.stored")
	_, code := h.nextCode()
	// The sender has it; the dispatcher then records it as sent.
	h.event("outbox.sent")
	return r.Comp, code
}

func TestLockerDepositAndPickupOverHTTP(t *testing.T) {
	h := startLockHall(t, nil)
	clerk, admin := h.login("1001"), h.login("admin")
	comp, code := h.depositStored(clerk, "2026-0001")
	if comp != "01" {
		t.Fatalf("a small item went to %s, want the first small compartment", comp)
	}

	// The manager's outbox shows the message as sent and, in the demo hall
	// only, its text; nobody else sees the outbox.
	a := h.call("GET", "/api/v1/outbox", admin, nil)
	if a.code != 200 || !strings.Contains(string(a.body), code) || !strings.Contains(string(a.body), `"status":"sent"`) || strings.Contains(string(a.body), `"sealed"`) {
		t.Fatalf("outbox: %d %s", a.code, a.body)
	}
	if a := h.call("GET", "/api/v1/outbox", clerk, nil); a.code != http.StatusForbidden {
		t.Fatalf("a clerk read the outbox: %d", a.code)
	}

	// The public list says occupied and nothing more; staff see the case
	// and a masked name; nobody sees a hash.
	pub := h.call("GET", "/api/v1/lockers", "", nil)
	staff := h.call("GET", "/api/v1/lockers", clerk, nil)
	if strings.Contains(string(pub.body), "2026-0001") || !strings.Contains(string(pub.body), `"status":"occupied"`) {
		t.Fatalf("public lockers: %s", pub.body)
	}
	if !strings.Contains(string(staff.body), "2026-0001") || !strings.Contains(string(staff.body), `"name":"张*"`) {
		t.Fatalf("staff lockers: %s", staff.body)
	}
	for _, b := range [][]byte{pub.body, staff.body} {
		if strings.Contains(string(b), "hash") || strings.Contains(string(b), "13800138000") {
			t.Fatalf("a secret in the lockers list: %s", b)
		}
	}

	// A wrong code and a wrong ID get the one same answer.
	wrongCode := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": applicantID, "code": "000000"})
	wrongID := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": "110105194912310021", "code": code})
	if wrongCode.code != 401 || wrongID.code != 401 || string(wrongCode.body) != string(wrongID.body) {
		t.Fatalf("wrong code %d %s / wrong ID %d %s", wrongCode.code, wrongCode.body, wrongID.code, wrongID.body)
	}
	// The check letter may be typed in lower case.
	a = h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": strings.ToLower(applicantID), "code": code})
	if a.code != 200 || !strings.Contains(string(a.body), `"comp":"01"`) {
		t.Fatalf("pickup: %d %s", a.code, a.body)
	}
	h.event("locker.released")
	h.door("01", true)
	h.event("locker.door_opened")
	h.door("01", false)
	m := h.event("locker.picked_up")
	var rec locker.PickedUp
	json.Unmarshal(m.Data, &rec)
	if rec.Comp != "L1/01" || rec.Case != "2026-0001" || rec.Name != "" {
		t.Fatalf("the screens' receipt %s (the name stays off screens)", m.Data)
	}
	// The receipt for the department, read from the journal.
	a = h.call("GET", "/api/v1/lockers/receipts", admin, nil)
	var rs struct {
		Receipts []struct{ Kind, Comp, Case, Name, Clerk string }
	}
	if a.code != 200 || json.Unmarshal(a.body, &rs) != nil || len(rs.Receipts) != 1 {
		t.Fatalf("receipts: %d %s", a.code, a.body)
	}
	if r := rs.Receipts[0]; r.Kind != "picked_up" || r.Comp != "L1/01" || r.Case != "2026-0001" || r.Name != "张三" || r.Clerk != "1001" {
		t.Fatalf("receipt %+v", r)
	}
	if a := h.call("GET", "/api/v1/lockers/receipts", clerk, nil); a.code != http.StatusForbidden {
		t.Fatalf("a clerk read the receipts: %d", a.code)
	}
	// The code was good once.
	if a := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": applicantID, "code": code}); a.code != 401 {
		t.Fatalf("a used code: %d %s", a.code, a.body)
	}
}

func TestLockerPanelLockout(t *testing.T) {
	h := startLockHall(t, nil)
	_, code := h.depositStored(h.login("1001"), "2026-0002")
	var first string
	for i := 1; i <= 5; i++ {
		a := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": applicantID, "code": "999999"})
		if a.code != 401 {
			t.Fatalf("try %d: %d %s", i, a.code, a.body)
		}
		if first == "" {
			first = string(a.body)
		} else if string(a.body) != first {
			t.Fatalf("try %d answered differently: %s vs %s", i, a.body, first)
		}
	}
	a := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": applicantID, "code": code})
	if a.code != http.StatusForbidden || a.header.Get("Retry-After") == "" {
		t.Fatalf("after five wrong tries, even the right code: %d %s (Retry-After %q)", a.code, a.body, a.header.Get("Retry-After"))
	}
	// Another person at the panel is not locked out.
	if a := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": "110105194912310021", "code": "1"}); a.code != 401 {
		t.Fatalf("another ID: %d", a.code)
	}
	h.advance(15*time.Minute + time.Second)
	if a := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": applicantID, "code": code}); a.code != 200 {
		t.Fatalf("after the lockout: %d %s", a.code, a.body)
	}
}

func TestLockerDropoffReplaceCodeAndService(t *testing.T) {
	h := startLockHall(t, nil)
	clerk := h.login("1003")

	// A drop-off code, shown to the clerk once and sent to the phone.
	a := h.call("POST", "/api/v1/lockers/dropoffs", clerk, map[string]string{"case": "2026-0100", "size": "M", "phone": "13900139000", "id_number": applicantID})
	var d struct{ Code string }
	if a.code != http.StatusCreated || json.Unmarshal(a.body, &d) != nil || len(d.Code) != 6 {
		t.Fatalf("drop-off code: %d %s", a.code, a.body)
	}
	if m, c := h.nextCode(); c != d.Code || m.To != "13900139000" {
		t.Fatalf("drop-off SMS %+v", m)
	}
	if a := h.call("POST", "/api/v1/lockers/L1/dropoff", "", map[string]string{"id_number": applicantID, "code": "123"}); a.code != 401 {
		t.Fatalf("wrong drop-off code: %d", a.code)
	}
	if a := h.call("POST", "/api/v1/lockers/L1/dropoff", "", map[string]string{"id_number": otherID, "code": d.Code}); a.code != 401 {
		t.Fatalf("the drop-off code with another's ID number: %d", a.code)
	}
	a = h.call("POST", "/api/v1/lockers/L1/dropoff", "", map[string]string{"id_number": applicantID, "code": d.Code})
	if a.code != 200 || !strings.Contains(string(a.body), `"comp":"07"`) {
		t.Fatalf("drop-off at the panel: %d %s (want the first medium, 07)", a.code, a.body)
	}
	h.door("07", true)
	h.event("locker.door_opened")
	h.door("07", false)
	var got locker.DropoffReceived
	json.Unmarshal(h.event("locker.dropoff_received").Data, &got)
	if got.Clerk != "1003" || got.Case != "2026-0100" {
		t.Fatalf("the clerk is told %+v", got)
	}
	if a := h.call("POST", "/api/v1/lockers/L1/07/collect", clerk, nil); a.code != http.StatusAccepted {
		t.Fatalf("collect: %d %s", a.code, a.body)
	}
	h.door("07", true)
	h.event("locker.door_opened")
	h.door("07", false)
	h.event("locker.collected")

	// A lost code is replaced: the new one is sent, the old one dies.
	comp, old := h.depositStored(clerk, "2026-0101")
	if a := h.call("POST", "/api/v1/lockers/L1/"+comp+"/replace-code", clerk, nil); a.code != 200 || strings.Contains(string(a.body), old) {
		t.Fatalf("replace code: %d %s", a.code, a.body)
	}
	_, fresh := h.nextCode()
	if a := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": applicantID, "code": old}); a.code != 401 {
		t.Fatalf("the old code: %d", a.code)
	}
	if fresh != old {
		if a := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": applicantID, "code": fresh}); a.code != 200 {
			t.Fatalf("the new code: %d %s", a.code, a.body)
		}
	}

	// Out of service: taken out of allocation until repaired.
	if a := h.call("POST", "/api/v1/lockers/L1/02/service", clerk, map[string]any{"out": true, "reason": "锁舌卡住"}); a.code != 200 || !strings.Contains(string(a.body), "out_of_service") {
		t.Fatalf("out of service: %d %s", a.code, a.body)
	}
	a = h.call("POST", "/api/v1/lockers/deposits", clerk, deposit("2026-0102"))
	if a.code != http.StatusAccepted || !strings.Contains(string(a.body), `"comp":"03"`) {
		t.Fatalf("a deposit while 02 is out of service: %d %s", a.code, a.body)
	}
}

func TestLockerBadInputChangesNothing(t *testing.T) {
	h := startLockHall(t, nil)
	clerk := h.login("1001")
	before := h.call("GET", "/api/v1/lockers", clerk, nil).body
	with := func(k, v string) map[string]string { d := deposit("C1"); d[k] = v; return d }
	tests := []struct {
		name, method, path, token string
		body                      any
		code                      int
		field                     string
	}{
		{"no case", "POST", "/api/v1/lockers/deposits", clerk, with("case", " "), 400, "case"},
		{"bad ID", "POST", "/api/v1/lockers/deposits", clerk, with("id_number", "110105194912310020"), 400, "id_number"},
		{"bad phone", "POST", "/api/v1/lockers/deposits", clerk, with("phone", "12345"), 400, "phone"},
		{"bad size", "POST", "/api/v1/lockers/deposits", clerk, with("size", "XL"), 400, "size"},
		{"no such bank", "POST", "/api/v1/lockers/deposits", clerk, with("bank", "Z9"), 400, "bank"},
		{"unknown field", "POST", "/api/v1/lockers/deposits", clerk, `{"case":"x","colour":"red"}`, 400, "colour"},
		{"not signed in", "POST", "/api/v1/lockers/deposits", "", deposit("C1"), 401, ""},
		{"empty pickup", "POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"id_number": "", "code": ""}, 400, ""},
		{"pickup at no bank", "POST", "/api/v1/lockers/ZZ/pickup", "", map[string]string{"id_number": applicantID, "code": "123456"}, 404, ""},
		{"retrieve an empty one", "POST", "/api/v1/lockers/L1/05/retrieve", clerk, nil, 409, ""},
		{"no such compartment", "POST", "/api/v1/lockers/L1/99/retrieve", clerk, nil, 404, ""},
		{"out of service without reason", "POST", "/api/v1/lockers/L1/05/service", clerk, map[string]any{"out": true}, 400, "reason"},
		{"maintenance by a clerk", "POST", "/api/v1/lockers/L1/05/open", clerk, nil, 403, ""},
		{"drop-off without size", "POST", "/api/v1/lockers/dropoffs", clerk, map[string]string{"case": "C2", "id_number": applicantID}, 400, "size"},
		{"drop-off without the applicant's ID", "POST", "/api/v1/lockers/dropoffs", clerk, map[string]string{"case": "C2", "size": "S"}, 400, "id_number"},
		{"bad receipt dates", "GET", "/api/v1/lockers/receipts?from=yesterday", h.login("admin"), nil, 400, "from"},
	}
	for _, tc := range tests {
		a := h.call(tc.method, tc.path, tc.token, tc.body)
		var e struct{ Error struct{ Code, Field string } }
		json.Unmarshal(a.body, &e)
		if a.code != tc.code || (tc.field != "" && e.Error.Field != tc.field) {
			t.Errorf("%s: %d %s, want %d field %q", tc.name, a.code, a.body, tc.code, tc.field)
		}
	}
	if after := h.call("GET", "/api/v1/lockers", clerk, nil).body; string(after) != string(before) {
		t.Errorf("refused requests changed the lockers:\n%s\n%s", before, after)
	}
	select {
	case m := <-h.sent:
		t.Errorf("a refused request sent %+v", m)
	default:
	}
}

// Outside the demo hall the outbox never shows a message's text.
func TestOutboxTextOnlyInTheDemo(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("demo"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	h := startLockHall(t, func(c *config.Hall) {
		c.Hall.Demo = false
		for i := range c.Staff {
			c.Staff[i].Password, c.Staff[i].PasswordHash = "", string(hash)
		}
	})
	_, code := h.depositStored(h.login("1001"), "2026-0200")
	a := h.call("GET", "/api/v1/outbox", h.login("admin"), nil)
	if a.code != 200 || strings.Contains(string(a.body), code) || strings.Contains(string(a.body), "13800138000") || !strings.Contains(string(a.body), `"status":"sent"`) {
		t.Fatalf("outbox outside the demo: %d %s", a.code, a.body)
	}
}

// TestOverdueRemindsTheApplicant: an item left past its retention alerts
// the hall and sends the applicant the reminder sealed at deposit.
func TestOverdueRemindsTheApplicant(t *testing.T) {
	h := startLockHall(t, nil)
	h.depositStored(h.login("1001"), "2026-0300")
	h.advance(7*24*time.Hour + time.Minute)
	if res := h.eng.Do(context.Background(), hall.Tick{}, "", nil); res.Err != nil {
		t.Fatal(res.Err)
	}
	if m := h.event("locker.overdue"); !strings.Contains(string(m.Data), "2026-0300") {
		t.Fatalf("overdue event %s", m.Data)
	}
	m := h.nextMessage()
	if m.To != "13800138000" || !strings.Contains(m.Text, "2026-0300") || !strings.Contains(m.Text, "已超过保管期限") {
		t.Fatalf("reminder %+v", m)
	}
}
