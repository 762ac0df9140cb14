package sms

import (
	"bytes"
	"context"
	"crypto/hmac"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"hallfloor/booking"
)

func TestSealRoundTripAndBinding(t *testing.T) {
	s, err := NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	m := Message{ID: "m1", To: "13800138000", Text: "取件码 123456"}
	sealed, err := s.Seal(m)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(sealed), "123456") {
		t.Fatal("the code is visible in the sealed message")
	}
	got, err := s.Open("m1", sealed)
	if err != nil || got != m {
		t.Fatalf("Open = %+v, %v", got, err)
	}
	if _, err := s.Open("m2", sealed); err == nil {
		t.Error("a sealed message opened under another id")
	}
	other, _ := NewSealer([]byte(strings.Repeat("k", 32)))
	if _, err := other.Open("m1", sealed); err == nil {
		t.Error("a sealed message opened with another key")
	}
}

func TestWebhookSender(t *testing.T) {
	secret := []byte("gateway secret")
	now := time.Unix(1_790_000_000, 0)
	var got Message
	var sig, key string
	status := http.StatusOK
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		sig, key = r.Header.Get("X-Hallfloor-Signature"), r.Header.Get("Idempotency-Key")
		json.Unmarshal(body, &got)
		if !hmac.Equal([]byte(sig), []byte(Sign(secret, now.Unix(), body))) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(status)
	}))
	defer gw.Close()

	ws := WebhookSender{URL: gw.URL, Secret: secret, Now: func() time.Time { return now }}
	m := Message{ID: "m1", To: "13800138000", Text: "您好"}
	if err := ws.Send(context.Background(), m); err != nil {
		t.Fatalf("send: %v", err)
	}
	if got != m || key != "m1" || !strings.HasPrefix(sig, "t=1790000000,v1=") {
		t.Errorf("gateway got %+v key %q sig %q", got, key, sig)
	}

	wrong := WebhookSender{URL: gw.URL, Secret: []byte("other"), Now: ws.Now}
	if err := wrong.Send(context.Background(), m); err == nil {
		t.Error("a badly signed message must be reported as not sent")
	}
	status = http.StatusServiceUnavailable
	if err := ws.Send(context.Background(), m); err == nil || !strings.Contains(err.Error(), "503") {
		t.Errorf("a 503 must be a failure naming it, got %v", err)
	}
}

func TestWebhookTimeout(t *testing.T) {
	release := make(chan struct{})
	gw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer gw.Close()
	defer close(release)
	ws := WebhookSender{URL: gw.URL, Secret: []byte("s"), Client: &http.Client{Timeout: 50 * time.Millisecond}}
	if err := ws.Send(context.Background(), Message{ID: "m"}); err == nil {
		t.Error("a gateway that never answers must fail the send")
	}
}

func TestRender(t *testing.T) {
	text, err := Render(DefaultTemplates.LockerCode, Vars{
		Hall: "演示中心", Case: "2026-001", What: "营业执照", Bank: "一号柜", Code: "482913", Deadline: "11月27日",
	})
	if err != nil || !strings.Contains(text, "482913") || !strings.Contains(text, "一号柜") || !strings.Contains(text, "11月27日") {
		t.Fatalf("Render = %q, %v", text, err)
	}
	if _, err := Render(DefaultTemplates.LockerCode, map[string]string{"Hall": "x"}); err == nil {
		t.Error("a missing field must be an error, not '<no value>' in an SMS")
	}
}

func TestTemplatesCheck(t *testing.T) {
	if bad := DefaultTemplates.Check(); len(bad) != 0 {
		t.Fatalf("the built-in templates are refused: %v", bad)
	}
	tt := Templates{LockerCode: "取件码 {{.Code}}，格口 {{.Shelf}}"}.WithDefaults()
	if bad := tt.Check(); bad["locker_code"] == nil || len(bad) != 1 {
		t.Fatalf("a template naming an unknown field must be refused alone: %v", bad)
	}
	if tt.DropoffCode != DefaultTemplates.DropoffCode {
		t.Error("an empty template keeps the built-in wording")
	}
}

// What the outbox keeps sealed is only the recipient and the code; the words
// come from the hall's decision when the message is sent, times in the
// hall's zone. A message sealed whole by an older hallfloor still opens as
// its text.
func TestEnvelopeWordedAtSendTime(t *testing.T) {
	s, err := NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := s.SealEnvelope("m1", Envelope{To: "13800138000", Code: "246810"})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(sealed, []byte("246810")) {
		t.Fatal("the code lies in clear in the sealed envelope")
	}
	env, legacy, err := s.OpenEnvelope("m1", sealed)
	if err != nil || legacy != "" || env.Code != "246810" || env.To != "13800138000" {
		t.Fatalf("opened %+v %q %v", env, legacy, err)
	}
	if _, _, err := s.OpenEnvelope("m2", sealed); err == nil {
		t.Fatal("an envelope opened under another message's id")
	}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	w := &Wording{Hall: "演示中心", Location: shanghai}
	m, err := w.Word("m1", PurposeLockerCode, map[string]string{"case": "C9", "what": "营业执照", "bank": "一号柜", "comp": "03",
		"deadline": "2026-11-27T09:30:00Z"}, env)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"演示中心", "C9", "营业执照", "一号柜03号柜格", "246810", "11月27日 17:30"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the SMS %q does not say %q", m.Text, want)
		}
	}
	if m.To != "13800138000" || m.ID != "m1" {
		t.Errorf("message %+v", m)
	}
	// A recipient the room added, for an envelope sealed without one.
	if m, err := w.Word("m3", PurposeLockerOverdue, map[string]string{"phone": "13900139000", "case": "C9", "bank": "一号柜"}, Envelope{}); err != nil || m.To != "13900139000" {
		t.Errorf("overdue notice %+v %v", m, err)
	}
	if _, err := w.Word("m4", PurposeLockerOverdue, nil, Envelope{}); err == nil {
		t.Error("a message without a recipient was worded")
	}
	old, _ := s.Seal(Message{ID: "m5", To: "13700137000", Text: "旧短信"})
	if env, legacy, err := s.OpenEnvelope("m5", old); err != nil || legacy != "旧短信" || env.To != "13700137000" {
		t.Errorf("a message sealed whole opened as %+v %q %v", env, legacy, err)
	}
}

// A booking's messages are worded from what the hall decided (the service's
// name, the slot's start in the hall's zone, a decline's reason) and the
// sealed code; each purpose package booking queues has its words.
func TestBookingMessagesWorded(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	w := &Wording{Hall: "演示大厅", Location: loc}
	vars := map[string]string{"service": "社会民生", "start": "2026-12-07T02:00:00Z", "reason": "材料须现场核验"}
	m, err := w.Word("m1", PurposeBookingConfirmed, vars, Envelope{To: "13800138000", Code: "K7Q2M9"})
	if err != nil || !strings.Contains(m.Text, "12月7日 10:00") || !strings.Contains(m.Text, "K7Q2M9") || !strings.Contains(m.Text, "社会民生") {
		t.Fatalf("confirmation %q, %v", m.Text, err)
	}
	if m, err := w.Word("m2", PurposeBookingDeclined, vars, Envelope{To: "13800138000"}); err != nil || !strings.Contains(m.Text, "材料须现场核验") {
		t.Fatalf("decline %q, %v", m.Text, err)
	}
	for _, p := range []string{booking.NoticeConfirmed, booking.NoticeRequested, booking.NoticeAccepted, booking.NoticeDeclined,
		booking.NoticeDay, booking.NoticeSoon, booking.NoticeForfeited} {
		if DefaultTemplates.For(p) == "" {
			t.Errorf("no words for %s", p)
		}
	}
}

// The confirmation and the request received link the booking's page with
// its code, to view or cancel it, when the hall has a public address; the
// other messages, and a hall without one, carry no link.
func TestBookingConfirmationLinksItsPage(t *testing.T) {
	vars := map[string]string{"service": "社会民生", "start": "2026-12-07T02:00:00Z"}
	env := Envelope{To: "13800138000", Code: "K7Q2M9XW"}
	w := &Wording{Hall: "演示大厅", BookingPage: "https://hall.example.gov.cn/book"}
	for _, p := range []string{PurposeBookingConfirmed, PurposeBookingRequested} {
		m, err := w.Word("m1", p, vars, env)
		if err != nil || !strings.Contains(m.Text, "https://hall.example.gov.cn/book?code=K7Q2M9XW") {
			t.Fatalf("%s: %q, %v", p, m.Text, err)
		}
	}
	for _, p := range []string{PurposeBookingAccepted, PurposeBookingRemindDay} {
		if m, err := w.Word("m2", p, vars, Envelope{To: "13800138000"}); err != nil || strings.Contains(m.Text, "http") {
			t.Fatalf("%s: %q, %v", p, m.Text, err)
		}
	}
	bare := &Wording{Hall: "演示大厅"}
	if m, err := bare.Word("m3", PurposeBookingConfirmed, vars, env); err != nil || strings.Contains(m.Text, "http") || strings.Contains(m.Text, "取消：") {
		t.Fatalf("without a public address: %q, %v", m.Text, err)
	}
	// A hall's own wording may place the link where it likes.
	own := &Wording{Hall: "演示大厅", BookingPage: "https://h.gov.cn/book", Templates: Templates{BookingConfirmed: "{{.Code}} {{.Link}}"}}
	if m, err := own.Word("m4", PurposeBookingConfirmed, vars, env); err != nil || m.Text != "K7Q2M9XW https://h.gov.cn/book?code=K7Q2M9XW" {
		t.Fatalf("own wording: %q, %v", m.Text, err)
	}
}
