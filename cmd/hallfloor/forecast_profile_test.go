package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"hallfloor/config"
)

func TestHallLoadsItsForecastProfile(t *testing.T) {
	h, err := loadHall("")
	if err != nil {
		t.Fatal(err)
	}
	if got := h.Setup().Alerts.Shape["B"]; len(got) != 96 || got[36] == 0 {
		t.Fatalf("the demo hall's forecast shape for B: %v", got)
	}
	bad := strings.Replace(string(config.DemoFile()), "forecast_profile: normal", "forecast_profile: no-such-day", 1)
	path := filepath.Join(t.TempDir(), "hall.yaml")
	if err := os.WriteFile(path, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := loadHall(path); err == nil || !strings.Contains(err.Error(), "alerts.forecast_profile") {
		t.Fatalf("an unknown profile: %v", err)
	}
}
