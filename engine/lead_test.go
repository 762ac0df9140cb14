package engine_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"hallfloor/engine"
	"hallfloor/journal/sqlite"
)

// A node may take the lease before its writer loop has started: Lead then
// reads the journal to its end there and then, and the engine leads.
func TestLeadBeforeRun(t *testing.T) {
	j, err := sqlite.Open(filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	e, err := engine.Open(context.Background(), engine.Options{Setup: demoSetup(), Journal: j, Follower: true})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- e.Lead(ctx) }()
	select {
	case err := <-done:
		if err != nil || !e.Leading() {
			t.Fatalf("lead before run: %v, leading %v", err, e.Leading())
		}
	case <-ctx.Done():
		t.Fatal("Lead before Run never returned")
	}
}
