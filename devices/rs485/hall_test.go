package rs485_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/equipment"
	"hallfloor/locker"
	"hallfloor/queue"
)

// The demo hall runs window 6's caller (bus1@3) and compartments 09-12's
// lock board (bus1@10) on the simulated RS485 bus bus1: the devices sit on
// a pseudo-terminal and the hall's transport reads them through its serial
// port, as it would a USB adapter.

type busHall struct {
	t    *testing.T
	h    *apptest.Hall
	acts chan devices.Activity
}

func startBusHall(t *testing.T, tune ...func(*config.Hall)) *busHall {
	cfg := config.Demo()
	for _, f := range tune {
		f(cfg)
	}
	b := &busHall{t: t, acts: make(chan devices.Activity, 4096)}
	b.h = apptest.Start(t, app.Options{Hall: cfg, DeviceActivity: func(a devices.Activity) {
		select {
		case b.acts <- a:
		default:
		}
	}})
	if b.h.Buses.Sim() == nil {
		t.Fatal("the demo's bus1 is simulated")
	}
	return b
}

// expect waits for a device to do something and returns it.
func (b *busHall) expect(device, what string) devices.Activity {
	b.t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		select {
		case a := <-b.acts:
			if a.Device == device && a.What == what {
				return a
			}
		case <-deadline:
			b.t.Fatalf("no %s from %s", what, device)
		}
	}
}

// expectAll waits for a device to do each of some things, in any order.
func (b *busHall) expectAll(device string, whats ...string) {
	b.t.Helper()
	left := slices.Clone(whats)
	deadline := time.After(10 * time.Second)
	for len(left) > 0 {
		select {
		case a := <-b.acts:
			if i := slices.Index(left, a.What); a.Device == device && i >= 0 {
				left = slices.Delete(left, i, i+1)
			}
		case <-deadline:
			b.t.Fatalf("no %v from %s", left, device)
		}
	}
}

func (b *busHall) call(want int, method, path, token string, body any) []byte {
	b.t.Helper()
	var rd io.Reader
	if body != nil {
		data, _ := json.Marshal(body)
		rd = bytes.NewReader(data)
	}
	r, _ := http.NewRequest(method, b.h.URL+path, rd)
	r.Header.Set("Content-Type", "application/json")
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		b.t.Fatalf("%s %s: %d, want %d: %s", method, path, resp.StatusCode, want, out)
	}
	return out
}

// openWindow6 signs clerk 1006 on at window 6 and takes a number it serves.
func (b *busHall) openWindow6() (tk struct{ Number string }) {
	b.t.Helper()
	b.call(200, "POST", "/api/v1/windows/6/open", b.login("1006"), nil)
	json.Unmarshal(b.call(201, "POST", "/api/v1/tickets", "", map[string]string{"service": "C"}), &tk)
	return tk
}

func (b *busHall) login(staff string) string {
	var out struct{ Token string }
	json.Unmarshal(b.call(200, "POST", "/api/v1/login", "", map[string]string{"staff": staff, "password": "demo"}), &out)
	return out.Token
}

// screen is a hall screen on the WebSocket feed, past its snapshot.
func (b *busHall) screen() *websocket.Conn {
	b.t.Helper()
	c, _, err := websocket.DefaultDialer.Dial("ws"+strings.TrimPrefix(b.h.URL, "http")+"/ws", nil)
	if err != nil {
		b.t.Fatal(err)
	}
	b.t.Cleanup(func() { c.Close() })
	var first struct{ Type string }
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	if err := c.ReadJSON(&first); err != nil || first.Type != "snapshot" {
		b.t.Fatalf("first message %q, %v", first.Type, err)
	}
	return c
}

type feedMsg struct {
	Type string          `json:"type"`
	Data json.RawMessage `json:"data"`
}

func nextOfType(t *testing.T, c *websocket.Conn, typ string) json.RawMessage {
	t.Helper()
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	for {
		var m feedMsg
		if err := c.ReadJSON(&m); err != nil {
			t.Fatalf("waiting for %s: %v", typ, err)
		}
		if m.Type == typ {
			return m.Data
		}
	}
}

// until waits for cond, looking again at each request the bus takes.
func (b *busHall) until(what string, cond func() bool) {
	b.t.Helper()
	sb := b.h.Buses.Sim().Bus("bus1")
	deadline := time.After(10 * time.Second)
	for !cond() {
		select {
		case <-sb.Changed():
		case <-deadline:
			b.t.Fatalf("waiting for %s", what)
		}
	}
}

func (b *busHall) health(device string) devices.Health {
	b.t.Helper()
	hs := b.h.Devices.Health()
	i := slices.IndexFunc(hs, func(h devices.Health) bool { return h.Device == device })
	if i < 0 {
		b.t.Fatalf("no device %s", device)
	}
	return hs[i]
}

// A press of the RS485 caller's call key at window 6 calls the next number:
// a hall screen on the WebSocket sees the call, and the caller's display
// shows the number.
func TestCallerKeyCallsAndDisplayShowsNumber(t *testing.T) {
	b := startBusHall(t)
	tk := b.openWindow6()
	ws := b.screen()
	sim := b.h.Buses.Sim()
	caller := sim.Unit("bus1@3")
	if err := sim.Drive("bus1@3:key1", devices.High); err != nil {
		t.Fatal(err)
	}
	var called queue.TicketCalled
	if err := json.Unmarshal(nextOfType(t, ws, "ticket.called"), &called); err != nil {
		t.Fatal(err)
	}
	if called.Window != "6" || called.Ticket.Number != tk.Number || tk.Number == "" {
		t.Fatalf("called %+v, want %s at window 6", called, tk.Number)
	}
	b.until("the caller's display to show "+tk.Number, func() bool { return caller.Text() == tk.Number })
	// Blank at start, then the number.
	for b.expect("window:6:display", "shown").Detail != tk.Number {
	}
	sim.Drive("bus1@3:key1", devices.Low)
	b.expect("window:6:caller", "released")
}

// A door of the lock board opened by hand, with no release, is the
// lockers' alarm, on the screens and on the compartment.
func TestForcedDoorOnBusIsAlarm(t *testing.T) {
	b := startBusHall(t)
	ws := b.screen()
	b.h.Buses.Sim().Drive("bus1@10:door2", devices.High) // compartment 10
	var alarm locker.Alarm
	json.Unmarshal(nextOfType(t, ws, "locker.alarm"), &alarm)
	if alarm.Comp != "L1/10" {
		t.Fatalf("alarm %+v, want L1/10", alarm)
	}
	b.expect("locker:L1:10", equipment.Alarm)
	if h := b.health("locker:L1:10"); h.Status != equipment.Alarm || h.Finding.Reason != equipment.DoorForced {
		t.Fatalf("compartment 10: %+v", h)
	}
}

// A release pulses the board's lock: the lock's coil goes on and off, the
// door springs open and the compartment stays ok; a jammed lock's door
// stays shut and the compartment reports it.
func TestLockPulseOpensDoor(t *testing.T) {
	b := startBusHall(t, func(h *config.Hall) { h.Devices.Lockers[0].ConfirmS = 1 })
	mgr := b.login("admin")
	board := b.h.Buses.Sim().Unit("bus1@10")
	b.call(202, "POST", "/api/v1/sim/lockers/L1/11/unlock", mgr, nil)
	// The poll may read the door open before the pulse is booked.
	b.expectAll("locker:L1:11", "pulse", "opened")
	b.until("lock 3 to be let go", func() bool { return !board.Coil(2) })
	if n := board.Pulses(2); n != 1 {
		t.Fatalf("lock 3 energised %d times", n)
	}
	if h := b.health("locker:L1:11"); h.Status != equipment.OK || !h.State["door_open"] {
		t.Fatalf("compartment 11 after the release: %+v", h)
	}
	b.h.Buses.Sim().Drive("bus1@10:door3", devices.Low)
	b.expect("locker:L1:11", "closed")

	board.Jam(3, true)
	b.call(202, "POST", "/api/v1/sim/lockers/L1/12/unlock", mgr, nil)
	a := b.expect("locker:L1:12", equipment.Fault)
	if a.Finding.Reason != equipment.DoorNotOpened || board.Input(3) {
		t.Fatalf("a jammed lock: %+v, door open %v", a.Finding, board.Input(3))
	}
}

// A lock board that stops answering is faulty, itself and its doors; when
// it answers again it is ok.
func TestSilentBoardFaultThenOK(t *testing.T) {
	b := startBusHall(t)
	board := b.h.Buses.Sim().Unit("bus1@10")
	board.Silence(true)
	a := b.expect("bus:bus1@10", equipment.Fault)
	if a.Finding.Reason != equipment.DeviceSilent || a.Finding.Pin != "bus1@10" {
		t.Fatalf("a silent board: %+v", a.Finding)
	}
	if f := b.expect("locker:L1:09", equipment.Fault).Finding; f.Reason != equipment.PinUnreadable || f.Pin != "bus1@10:door1" {
		t.Fatalf("compartment 09's door of a silent board: %+v", f)
	}
	board.Silence(false)
	if f := b.expect("bus:bus1@10", equipment.OK).Finding; f.Reason != equipment.DeviceAnswers {
		t.Fatalf("the board answers again: %+v", f)
	}
	b.expect("locker:L1:09", equipment.OK)
	if h := b.health("bus:bus1@10"); h.Status != equipment.OK {
		t.Fatalf("board: %+v", h)
	}
}
