package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"hallfloor/engine"
	"hallfloor/frontend"
)

// The hall's own nodes' pages may call a node's API across origins, their
// pages may connect to the other nodes, and no other origin gets either.
func TestNodesPagesCallEachOther(t *testing.T) {
	s, _, _ := followerNode(t)
	ask := func(method, path, origin string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, nil)
		req.Header.Set("Origin", origin)
		if method == http.MethodOptions {
			req.Header.Set("Access-Control-Request-Method", "POST")
			req.Header.Set("Access-Control-Request-Headers", "authorization,content-type,idempotency-key")
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec
	}
	rec := ask(http.MethodOptions, "/api/v1/windows/1/call", "http://10.0.0.12:8080")
	if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "http://10.0.0.12:8080" ||
		!strings.Contains(rec.Header().Get("Access-Control-Allow-Headers"), "Idempotency-Key") {
		t.Fatalf("preflight from the other node: %d %v", rec.Code, rec.Header())
	}
	rec = ask(http.MethodGet, "/api/v1/hall/names", "http://10.0.0.12:8080")
	if rec.Header().Get("Access-Control-Allow-Origin") != "http://10.0.0.12:8080" || !strings.Contains(rec.Header().Get("Access-Control-Expose-Headers"), ZoneHeader) {
		t.Fatalf("a read from the other node: %v", rec.Header())
	}
	if rec := ask(http.MethodOptions, "/api/v1/windows/1/call", "http://evil.example"); rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("another origin was let in: %v", rec.Header())
	}
	csp := ask(http.MethodGet, "/counter/1", "").Header().Get("Content-Security-Policy")
	if !strings.Contains(csp, "connect-src 'self' http://10.0.0.11:8080 http://10.0.0.12:8080 ws:") {
		t.Fatalf("the pages' policy: %s", csp)
	}
}

// followerNode is a server of a hall of two nodes (10.0.0.11 this one,
// 10.0.0.12) that does not lead, and knows no leader.
func followerNode(t *testing.T) (*Server, *engine.Engine, Keys) {
	t.Helper()
	cfg, eng, keys, log := demoParts(t, true)
	s, err := New(Options{Engine: eng, Hall: cfg, Keys: keys, Logger: log, Self: "http://10.0.0.11:8080",
		Nodes:  []string{"http://10.0.0.11:8080", "http://10.0.0.12:8080/"},
		Leader: func(context.Context) (string, error) { return "", nil }, Pages: frontend.Handler()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s, eng, keys
}
