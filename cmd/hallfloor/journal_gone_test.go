package main

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A journal deleted under a serving hall (rm hall-demo.db) is noticed: the
// hall acknowledges nothing more, since what it acknowledged would be gone
// at the next start, and /healthz fails with the reason, so whoever
// watches the hall hears of it.
func TestDeletedJournalStopsTheHall(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a real server")
	}
	data := t.TempDir()
	p := startServe(t, data)
	issue := func() (int, string) {
		t.Helper()
		resp, err := http.Post(p.base+"/api/v1/tickets", "application/json", strings.NewReader(`{"service":"A"}`))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var e struct {
			Error struct{ Reason, Message string }
		}
		json.NewDecoder(resp.Body).Decode(&e)
		return resp.StatusCode, e.Error.Reason
	}
	if code, _ := issue(); code != http.StatusCreated {
		t.Fatalf("first ticket: %d", code)
	}
	db := filepath.Join(data, "hall-demo.db")
	for _, f := range []string{db, db + "-wal", db + "-shm"} {
		if err := os.Remove(f); err != nil {
			t.Fatal(err)
		}
	}
	for range 5 {
		if code, reason := issue(); code != http.StatusInternalServerError || reason != "journal_gone" {
			t.Fatalf("a ticket after the journal was deleted: %d %q, want 500 journal_gone", code, reason)
		}
	}
	resp, err := http.Get(p.base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct {
		Status string
		Error  struct{ Reason, Message string }
	}
	json.NewDecoder(resp.Body).Decode(&h)
	if resp.StatusCode != http.StatusServiceUnavailable || h.Status != "failing" || h.Error.Reason != "journal_gone" || h.Error.Message == "" {
		t.Fatalf("healthz after the journal was deleted: %d %+v", resp.StatusCode, h)
	}
}
