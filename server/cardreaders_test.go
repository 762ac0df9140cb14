package server_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"hallfloor/config"
)

// cardRead is what a serial reader's page is given of a card read.
type cardRead struct {
	Seq    int    `json:"seq"`
	Masked string `json:"masked"`
	Token  string `json:"token"`
}

// placeCard lays a card on a simulated reader, as the manager's simulator does.
func (h *lockHall) placeCard(place, number string) {
	h.t.Helper()
	h.simCard(place, map[string]any{"id_number": number})
}

func (h *lockHall) simCard(place string, body map[string]any) {
	h.t.Helper()
	if h.mgr == "" {
		h.mgr = h.login("admin")
	}
	if a := h.call("POST", "/api/v1/sim/card-readers/"+place, h.mgr, body); a.code != http.StatusAccepted {
		h.t.Fatalf("sim card reader %s %v: %d %s", place, body, a.code, a.body)
	}
}

// nextRead asks the place's feed for its next card read after seq, as its
// page does, and checks that the number itself is not in it.
func (h *lockHall) nextRead(place string, after int, number string) cardRead {
	h.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		a := h.call("GET", "/api/v1/card-readers/"+place+"/read?after="+itoa(after), "", nil)
		if a.code == http.StatusNoContent {
			continue // the feed waited its time out: ask again, as the page does
		}
		var c cardRead
		if a.code != http.StatusOK || json.Unmarshal(a.body, &c) != nil || c.Token == "" {
			h.t.Fatalf("card feed of %s: %d %s", place, a.code, a.body)
		}
		if strings.Contains(string(a.body), number) || c.Masked != number[:6]+"********"+number[14:] {
			h.t.Fatalf("the card feed shows %s for %s", a.body, number)
		}
		return c
	}
	h.t.Fatalf("no card read at %s", place)
	return cardRead{}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// refusedFor checks a refusal's status and reason.
func refusedFor(t *testing.T, a apiAnswer, status int, reason string) {
	t.Helper()
	var e apiError
	if a.code != status || json.Unmarshal(a.body, &e) != nil || e.Error.Reason != reason {
		t.Fatalf("status %d %s, want %d %s", a.code, a.body, status, reason)
	}
	if e.Error.Message == "" || e.Error.MessageEN == "" {
		t.Fatalf("refusal %s unworded: %s", reason, a.body)
	}
}

// A card on kiosk K1's serial reader reaches the kiosk's page as a masked
// number and a token; the ticket taken with the token is the card
// holder's (one waiting ticket per person still holds) and, the holder
// being 70 or older, a priority number; the token serves once, for 60 s.
func TestCardReadAtTheKiosk(t *testing.T) {
	h := startLockHall(t, nil)
	elder := idNumber("11010519500101001") // 76 in 2026: the demo hall's priority_age is 70
	if a := h.call("GET", "/api/v1/card-readers/kiosk:K1", "", nil); a.code != 200 || !strings.Contains(string(a.body), `"mode":"serial"`) {
		t.Fatalf("kiosk K1's reader: %d %s", a.code, a.body)
	}
	h.placeCard("kiosk:K1", elder)
	read := h.nextRead("kiosk:K1", 0, elder)

	var tk ticket
	a := h.call("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "card": read.Token})
	if a.code != http.StatusCreated || json.Unmarshal(a.body, &tk) != nil || !tk.Priority || !strings.Contains(string(a.body), `"priority_reason":"age"`) {
		t.Fatalf("ticket by card: %d %s", a.code, a.body)
	}
	refusedFor(t, h.call("POST", "/api/v1/tickets", "", map[string]string{"service": "B", "card": read.Token}), 400, "card_gone")

	// The ticket is bound to the protected number: the same person, typed
	// or read again, does not get a second one for the service.
	refusedFor(t, h.call("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "id_number": elder}), 409, "holder_waits")
	h.placeCard("kiosk:K1", elder)
	again := h.nextRead("kiosk:K1", read.Seq, elder)
	refusedFor(t, h.call("POST", "/api/v1/tickets", "", map[string]string{"service": "A", "card": again.Token}), 409, "holder_waits")

	// Typed, the same age proves nothing: not a priority number.
	a = h.call("POST", "/api/v1/tickets", "", map[string]string{"service": "B", "id_number": elder})
	if a.code != http.StatusCreated || json.Unmarshal(a.body, &tk) != nil || tk.Priority {
		t.Fatalf("typed 76-year-old: %d %s", a.code, a.body)
	}

	// A read not used within 60 s lapses.
	young := idNumber("11010519900101001")
	h.placeCard("kiosk:K1", young)
	late := h.nextRead("kiosk:K1", again.Seq, young)
	h.advance(61 * time.Second)
	refusedFor(t, h.call("POST", "/api/v1/tickets", "", map[string]string{"service": "C", "card": late.Token}), 400, "card_gone")
	refusedFor(t, h.call("POST", "/api/v1/tickets", "", map[string]string{"service": "C", "card": "not-a-token"}), 400, "card_gone")
	refusedFor(t, h.call("POST", "/api/v1/tickets", "", map[string]string{"service": "C", "card": "x", "id_number": young}), 400, "card_or_typed")
}

// A card on locker bank L1's reader opens the holder's compartment with
// the code; a token from the kiosk does not serve at the panel.
func TestCardReadAtTheLockerPanel(t *testing.T) {
	h := startLockHall(t, nil)
	clerk := h.login("1001")
	comp, code := h.depositStored(clerk, "2026-0001")
	h.placeCard("kiosk:K1", applicantID)
	kiosk := h.nextRead("kiosk:K1", 0, applicantID)
	refusedFor(t, h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"card": kiosk.Token, "code": code}), 400, "card_gone")

	h.placeCard("locker:L1", applicantID)
	read := h.nextRead("locker:L1", 0, applicantID)
	a := h.call("POST", "/api/v1/lockers/L1/pickup", "", map[string]string{"card": read.Token, "code": code})
	if a.code != 200 || !strings.Contains(string(a.body), `"comp":"`+comp+`"`) {
		t.Fatalf("pickup by card: %d %s", a.code, a.body)
	}
	h.event("locker.released")
}

// A reader that stops answering is a fault on /api/v1/devices, in the
// hall's words, and is ok again once it answers.
func TestSilentCardReaderIsAFault(t *testing.T) {
	h := startLockHall(t, nil)
	const dev = "kiosk:K1:card_reader"
	h.simCard("kiosk:K1", map[string]any{"silent": true})
	h.activity(dev, "fault")
	var v struct {
		Devices []struct {
			Device, Kind, Status string
			Said                 struct{ ZH, EN string }
		}
	}
	h.must(200, "GET", "/api/v1/devices", "", nil).into(t, &v)
	found := false
	for _, d := range v.Devices {
		if d.Device == dev {
			found = true
			if d.Status != "fault" || d.Kind != "card_reader" || !strings.HasPrefix(d.Said.ZH, "身份证阅读器无应答") {
				t.Fatalf("the silent reader on /devices: %+v", d)
			}
		}
	}
	if !found {
		t.Fatalf("no %s on /devices: %+v", dev, v.Devices)
	}
	h.simCard("kiosk:K1", map[string]any{"silent": false})
	h.activity(dev, "ok")
}

// Only the kiosk's own machine may take its card reads: with the hall's
// kiosks elsewhere, a caller on this machine is refused.
func TestCardFeedOnlyForThePlace(t *testing.T) {
	h := startLockHall(t, func(c *config.Hall) { c.Server.Kiosks = []string{"10.9.0.0/16"} })
	refusedFor(t, h.call("GET", "/api/v1/card-readers/kiosk:K1/read", "", nil), 403, "card_elsewhere")
	refusedFor(t, h.call("GET", "/api/v1/card-readers/kiosk:K9/read", "", nil), 404, "no_card_reader")
}
