package config

import (
	"strings"
	"testing"
	"time"

	"hallfloor/locker"
	"hallfloor/sms"
)

func TestDemoLockers(t *testing.T) {
	h := Demo()
	s := h.LockerSetup()
	if len(s.Banks) != 1 || s.Banks[0].ID != "L1" || len(s.Banks[0].Compartments) != 12 {
		t.Fatalf("banks %+v", s.Banks)
	}
	if c := s.Banks[0].Compartments[10]; c.ID != "11" || c.Size != locker.Large {
		t.Fatalf("compartment 11 = %+v", c)
	}
	if s.Retention != 7*24*time.Hour || s.MaxTries != 5 || s.Lockout != 15*time.Minute || s.DoorLimit != 2*time.Minute {
		t.Fatalf("settings %+v", s)
	}
	if _, ok := mustSender(t, h).(sms.LogSender); !ok {
		t.Fatal("the demo sends to the log")
	}
	if h.Setup().Lockers == nil || len(h.Setup().Lockers.Banks) != 1 {
		t.Fatal("the queue setup carries the lockers")
	}
}

func mustSender(t *testing.T, h *Hall) sms.Sender {
	t.Helper()
	s, err := h.SMSSender()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestLockerSettingsProblems(t *testing.T) {
	tests := []struct {
		name, yaml, key string
	}{
		{"retention", "lockers: {retention_days: -1}", "lockers.retention_days"},
		{"tries", "lockers: {max_tries: 100}", "lockers.max_tries"},
		{"lockout", "lockers: {lockout_minutes: -5}", "lockers.lockout_minutes"},
		{"door limit", "lockers: {door_limit_s: 99999}", "lockers.door_limit_s"},
		{"template field", "lockers: {sms: {locker_code: '取件码 {{.Shelf}}'}}", "lockers.sms.locker_code"},
		{"template syntax", "lockers: {sms: {dropoff_code: '{{.Code'}}", "lockers.sms.dropoff_code"},
		{"sender", "sms: {sender: pigeon}", "sms.sender"},
		{"webhook url", "sms: {sender: webhook, url: 'not a url', secret_env: SMS_SECRET}", "sms.url"},
		{"webhook secret in file", "sms: {sender: webhook, url: 'https://gw.example/sms', secret_env: 'hunter2 is the secret'}", "sms.secret_env"},
	}
	base := string(demoYAML)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := removeSections(base) + "\n" + tc.yaml + "\n"
			_, err := Parse([]byte(b))
			if err == nil || !strings.Contains(err.Error(), tc.key+":") {
				t.Fatalf("want a problem at %s, got %v", tc.key, err)
			}
		})
	}
}

// removeSections drops the demo's own lockers and sms sections, which are
// the file's last two.
func removeSections(y string) string {
	i := strings.Index(y, "\n# The pickup lockers' rules")
	if i < 0 {
		panic("demo.yaml: lockers section moved")
	}
	return y[:i]
}

func TestWebhookSenderSecretFromEnvironment(t *testing.T) {
	h := Demo()
	h.SMS = SMS{Sender: "webhook", URL: "https://gw.example/sms", SecretEnv: "HALLFLOOR_TEST_SMS_SECRET", TimeoutS: 3}
	t.Setenv("HALLFLOOR_TEST_SMS_SECRET", "")
	if _, err := h.SMSSender(); err == nil || !strings.Contains(err.Error(), "HALLFLOOR_TEST_SMS_SECRET") {
		t.Fatalf("a missing secret must stop the start: %v", err)
	}
	t.Setenv("HALLFLOOR_TEST_SMS_SECRET", "s3cret")
	s, ok := mustSender(t, h).(sms.WebhookSender)
	if !ok || string(s.Secret) != "s3cret" || s.URL != "https://gw.example/sms" || s.Client.Timeout != 3*time.Second {
		t.Fatalf("sender %+v", s)
	}
}
