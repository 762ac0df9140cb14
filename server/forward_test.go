package server

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/journal/sqlite"
)

// A node that does not write the hall passes its commands to the leader
// and answers with the leader's answer as it came; it answers reads and
// sign-ins itself; with no leader, or one it cannot reach, or a request
// another node passed to it already, it answers 503 no_leader.
func TestFollowerPassesCommandsToTheLeader(t *testing.T) {
	cfg, eng, keys, log := demoParts(t, true)
	var mu sync.Mutex
	var seen []*http.Request
	leaderSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen = append(seen, r.Clone(context.Background()))
		mu.Unlock()
		w.Header().Set("X-From", "leader")
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, `{"number":"A001", "spaced":true}`)
	}))
	defer leaderSrv.Close()
	leader := leaderSrv.URL
	s, err := New(Options{Engine: eng, Hall: cfg, Keys: keys, Logger: log, Self: "http://self",
		Leader: func(context.Context) (string, error) { return leader, nil }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	do := func(method, path string, headers ...string) *httptest.ResponseRecorder {
		body := `{"service":"A"}`
		if path == "/api/v1/login" {
			body = `{"staff":"1001","password":"demo"}`
		}
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	hits := func() int { mu.Lock(); defer mu.Unlock(); return len(seen) }

	rec := do("POST", "/api/v1/tickets", "Idempotency-Key", "k1")
	if rec.Code != http.StatusCreated || rec.Body.String() != `{"number":"A001", "spaced":true}` || rec.Header().Get("X-From") != "leader" {
		t.Fatalf("forwarded: %d %q %v", rec.Code, rec.Body, rec.Header())
	}
	if got := seen[0]; got.Header.Get("Idempotency-Key") != "k1" || got.Header.Get(ForwardedHeader) != "http://self" || got.Header.Get("X-Forwarded-For") == "" || got.URL.Path != "/api/v1/tickets" {
		t.Fatalf("the leader got %s %v", got.URL, got.Header)
	}
	if rec := do("GET", "/api/v1/hall"); rec.Code != http.StatusOK || hits() != 1 {
		t.Fatalf("a read: %d, %d requests at the leader", rec.Code, hits())
	}
	if rec := do("POST", "/api/v1/login"); rec.Code != http.StatusOK || hits() != 1 {
		t.Fatalf("a sign-in: %d %s, %d requests at the leader", rec.Code, rec.Body, hits())
	}
	noLeader := func(what string, rec *httptest.ResponseRecorder) {
		t.Helper()
		if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), `"reason":"no_leader"`) ||
			!strings.Contains(rec.Body.String(), "正在重新连接") || rec.Header().Get("Retry-After") == "" {
			t.Errorf("%s: %d %s %v", what, rec.Code, rec.Body, rec.Header())
		}
	}
	noLeader("passed on already", do("POST", "/api/v1/tickets", ForwardedHeader, "http://other"))
	leader = ""
	noLeader("no leader", do("POST", "/api/v1/tickets"))
	leader = "http://self"
	noLeader("itself named leader, not leading yet", do("POST", "/api/v1/tickets"))
	leaderSrv.Close()
	leader = leaderSrv.URL
	noLeader("the leader gone", do("POST", "/api/v1/tickets"))
	if hits() != 1 {
		t.Fatalf("%d requests at the leader, want 1", hits())
	}
}

// demoParts are what a server of the demo hall is made from: its file, an
// engine on a SQLite journal in a temporary directory (following, not
// writing, when follower), its keys and a quiet log.
func demoParts(t *testing.T, follower bool) (*config.Hall, *engine.Engine, Keys, *slog.Logger) {
	t.Helper()
	dir := t.TempDir()
	cfg := config.Demo()
	j, err := sqlite.Open(filepath.Join(dir, "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { j.Close() })
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	eng, err := engine.Open(context.Background(), engine.Options{Setup: cfg.Setup(), Journal: j, Logger: log, Follower: follower})
	if err != nil {
		t.Fatal(err)
	}
	keys, err := LoadKeys(dir)
	if err != nil {
		t.Fatal(err)
	}
	return cfg, eng, keys, log
}
