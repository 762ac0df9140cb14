package server

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
)

// TestOpenAPIListsEveryRoute: the OpenAPI document is valid JSON, says it
// is OpenAPI 3.1, and names exactly the routes the server answers.
func TestOpenAPIListsEveryRoute(t *testing.T) {
	cfg, eng, keys, log := demoParts(t, false)
	s, err := New(Options{Engine: eng, Hall: cfg, Keys: keys, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest("GET", "/api/openapi.json", nil))
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/openapi.json: %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	var doc struct {
		OpenAPI string                                `json:"openapi"`
		Info    struct{ Title, Version string }       `json:"info"`
		Paths   map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("the OpenAPI document is not JSON: %v", err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1") || doc.Info.Title == "" || doc.Info.Version == "" {
		t.Fatalf("openapi %q, info %+v", doc.OpenAPI, doc.Info)
	}
	documented := map[string]bool{}
	for path, ops := range doc.Paths {
		for method, op := range ops {
			if method == "parameters" || method == "summary" || method == "description" {
				continue
			}
			var o struct {
				Summary   string                     `json:"summary"`
				Responses map[string]json.RawMessage `json:"responses"`
			}
			if err := json.Unmarshal(op, &o); err != nil || o.Summary == "" || len(o.Responses) == 0 {
				t.Errorf("%s %s: an operation needs a summary and responses", strings.ToUpper(method), path)
			}
			documented[strings.ToUpper(method)+" "+path] = true
		}
	}

	served := map[string]bool{}
	err = chi.Walk(s.router, func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		route = strings.TrimSuffix(route, "/*") // a mounted handler
		if route == "" || route == "/" {
			return nil // the web pages, not the API
		}
		served[method+" "+route] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Handle answers every method; the document names the one that means
	// something (GET for metrics, the WebSocket upgrade).
	for r := range served {
		if m, path, _ := strings.Cut(r, " "); m != "GET" && served["GET "+path] && (path == "/metrics" || path == "/ws") {
			delete(served, r)
		}
	}
	var missing, stale []string
	for r := range served {
		if !documented[r] {
			missing = append(missing, r)
		}
	}
	for r := range documented {
		if !served[r] {
			stale = append(stale, r)
		}
	}
	sort.Strings(missing)
	sort.Strings(stale)
	if len(missing) > 0 {
		t.Errorf("routes missing from server/openapi.json:\n  %s", strings.Join(missing, "\n  "))
	}
	if len(stale) > 0 {
		t.Errorf("server/openapi.json documents routes the server does not have:\n  %s", strings.Join(stale, "\n  "))
	}
	if !slices.Contains(keysOf(served), "POST /api/v1/tickets") {
		t.Error("the walk found no ticket route; the test is blind")
	}
}

func keysOf(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
