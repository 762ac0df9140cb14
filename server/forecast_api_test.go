package server_test

import "testing"

// TestForecastAPI drives B past what its one window serves: four numbers
// in a moment, one at the counter, three waiting thirty minutes' worth.
func TestForecastAPI(t *testing.T) {
	h := startHall(t, "")
	h.must(401, "GET", "/api/v1/forecast", "", nil)
	tok := h.login("1003")
	h.act(tok, "3", "open", nil)
	for range 4 {
		h.issue("B")
	}
	h.act(tok, "3", "call", nil)
	var out struct {
		TargetS  int `json:"target_s"`
		Services []struct {
			Service string `json:"service"`
			Steps   []struct {
				At      string  `json:"at"`
				Waiting float64 `json:"waiting"`
				WaitS   int     `json:"wait_s"`
			} `json:"steps"`
		} `json:"services"`
	}
	h.must(200, "GET", "/api/v1/forecast", h.login("admin"), nil).into(t, &out)
	found := false
	for _, sv := range out.Services {
		if sv.Service != "B" {
			continue
		}
		found = true
		if len(sv.Steps) != 9 || sv.Steps[0].Waiting != 3 || sv.Steps[0].WaitS > out.TargetS || sv.Steps[1].WaitS <= out.TargetS || sv.Steps[0].At == "" {
			t.Fatalf("B's forecast %+v, target %d", sv.Steps, out.TargetS)
		}
	}
	if !found || out.TargetS != 1800 {
		t.Fatalf("forecast %+v", out)
	}
	var al struct {
		Alerts []struct{ Kind, Subject, Text, TextEN string }
	}
	h.must(200, "GET", "/api/v1/alerts", "", nil).into(t, &al)
	for _, a := range al.Alerts {
		if a.Kind == "wait_forecast" && a.Subject == "B" {
			return
		}
	}
	t.Fatalf("no forecast alert for B: %+v", al.Alerts)
}
