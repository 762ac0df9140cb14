package server_test

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/frontend"
	"hallfloor/frontend/pagetest"
)

// The server's own pages (the lockers' and the devices') are faces like the
// frontend's: the same shell, words from the one dictionary, the same
// headers.

// TestPageFiles checks the server's page files as the frontend's are
// checked: every text key they name is in the dictionary, no script words
// anything itself, and no page has inline script or style.
func TestPageFiles(t *testing.T) {
	words := pagetest.LoadWords(t)
	files, _ := filepath.Glob("lockers/*")
	files = append(files, "devices.html", "devices.js", "devices.css")
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		pagetest.CheckKeys(t, words, f, b)
		switch filepath.Ext(f) {
		case ".html":
			pagetest.CheckHTML(t, f, b)
		case ".js":
			pagetest.CheckScript(t, f, b)
		}
	}
}

// samples stand in for a route's parameters.
var samples = map[string]string{"bank": "L1", "ticket": "abcdefghijklmnop"}

var param = regexp.MustCompile(`\{([a-z]+)(?::[^}]*)?\}`)

func fill(route string) string {
	route = strings.TrimSuffix(route, "{$}")
	return param.ReplaceAllStringFunc(route, func(p string) string {
		if v, ok := samples[param.FindStringSubmatch(p)[1]]; ok {
			return v
		}
		return "1"
	})
}

// TestEveryPageHasTheHallsHeaders asks for every page the server serves,
// found by walking its router (and, where the frontend is mounted, the
// frontend's own list of pages), and checks each has the one
// Content-Security-Policy and the other headers of a face, loads the
// shared shell, has no inline script or style, and that every script and
// style it names is served likewise.
func TestEveryPageHasTheHallsHeaders(t *testing.T) {
	run := apptest.Start(t, app.Options{})
	var pages []string
	err := chi.Walk(run.Server.Routes(), func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		switch {
		case method != http.MethodGet:
		case route == "/*": // the frontend, mounted at the root
			pages = append(pages, frontend.Pages()...)
		case strings.HasPrefix(route, "/api/"), route == "/ws", route == "/metrics", route == "/healthz",
			strings.HasSuffix(route, "/*"), strings.HasSuffix(route, "/{file}"): // not pages
		default:
			pages = append(pages, route)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"/devices", "/locker/{bank}", "/lockers", "/kiosk", "/counter/{id}", "/dashboard"} {
		if !slices.Contains(pages, want) {
			t.Fatalf("the router has no page %s; found %v", want, pages)
		}
	}
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		res, err := http.Get(run.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, b
	}
	headers := func(path string, res *http.Response, typ string) {
		t.Helper()
		h := res.Header
		if res.StatusCode != 200 || h.Get("Content-Type") != typ {
			t.Errorf("GET %s: %d %s, want 200 %s", path, res.StatusCode, h.Get("Content-Type"), typ)
		}
		if got := h.Get("Content-Security-Policy"); got != frontend.ContentSecurityPolicy {
			t.Errorf("GET %s: Content-Security-Policy %q, want %q", path, got, frontend.ContentSecurityPolicy)
		}
		if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") != "same-origin" || h.Get("Cache-Control") != "no-cache" {
			t.Errorf("GET %s: headers %v", path, h)
		}
	}
	ref := regexp.MustCompile(`<(?:script src|link rel="stylesheet" href)="([^"]+)"`)
	slices.Sort(pages)
	t.Logf("pages: %v", pages)
	for _, route := range pages {
		path := fill(route)
		res, body := get(path)
		headers(path, res, "text/html; charset=utf-8")
		pagetest.CheckHTML(t, path, body)
		var loads []string
		for _, m := range ref.FindAllStringSubmatch(string(body), -1) {
			loads = append(loads, m[1])
		}
		// One shell: its style first, its words and script before the
		// page's own.
		if len(loads) < 4 || loads[0] != "/static/hf.css" || !slices.Contains(loads, "/static/hf-words.js") ||
			slices.Index(loads, "/static/hf-words.js")+1 != slices.Index(loads, "/static/hf.js") {
			t.Errorf("GET %s: loads %v, not the shell (hf.css, hf-words.js, hf.js) first", path, loads)
		}
		for _, a := range loads {
			typ := "text/javascript; charset=utf-8"
			if strings.HasSuffix(a, ".css") {
				typ = "text/css; charset=utf-8"
			}
			res, _ := get(a)
			headers(a, res, typ)
		}
	}
}
