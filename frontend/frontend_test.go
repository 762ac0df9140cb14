package frontend_test

import (
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"hallfloor/frontend"
	"hallfloor/frontend/pagetest"
	"hallfloor/rating"
)

func get(t *testing.T, h http.Handler, path string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
	return w
}

func TestPagesServed(t *testing.T) {
	h := frontend.Handler()
	for _, tc := range []struct {
		path, want string
	}{
		{"/", `href="/kiosk"`},
		{"/kiosk", `src="/static/kiosk.js"`},
		{"/screen/hall", `src="/static/hall.js"`},
		{"/screen/window/3", `src="/static/window.js"`},
		{"/counter/3", `src="/static/counter.js"`},
		{"/t/abcdefghijklmnop", `src="/static/ticket.js"`},
		{"/dashboard", `src="/static/dashboard.js"`},
		{"/evaluate/3", `src="/static/evaluate.js"`},
		{"/book", `src="/static/book.js"`},
		{"/bookings", `src="/static/bookings.js"`},
	} {
		w := get(t, h, tc.path)
		if w.Code != 200 {
			t.Errorf("GET %s: %d", tc.path, w.Code)
			continue
		}
		if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", tc.path, ct)
		}
		if !strings.Contains(w.Body.String(), tc.want) || !strings.Contains(w.Body.String(), `lang="zh-CN"`) {
			t.Errorf("GET %s: page lacks %s or lang=zh-CN", tc.path, tc.want)
		}
		if csp := w.Header().Get("Content-Security-Policy"); csp != frontend.ContentSecurityPolicy || !strings.Contains(csp, "script-src 'self';") {
			t.Errorf("GET %s: CSP %q", tc.path, csp)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", tc.path)
		}
	}
}

func TestStaticAndNotFound(t *testing.T) {
	h := frontend.Handler()
	for _, tc := range []struct {
		path  string
		code  int
		ctype string
	}{
		{"/static/hf.js", 200, "text/javascript; charset=utf-8"},
		{"/static/hf.css", 200, "text/css; charset=utf-8"},
		{"/static/hf-words.js", 200, "text/javascript; charset=utf-8"},
		{"/static/", 404, ""},
		{"/static/kiosk.html", 404, ""},
		{"/static/nope.js", 404, ""},
		{"/nowhere", 404, "application/json; charset=utf-8"},
		{"/screen/window/", 404, "application/json; charset=utf-8"},
	} {
		w := get(t, h, tc.path)
		if w.Code != tc.code {
			t.Errorf("GET %s: %d, want %d", tc.path, w.Code, tc.code)
		}
		if tc.ctype != "" && w.Header().Get("Content-Type") != tc.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", tc.path, w.Header().Get("Content-Type"), tc.ctype)
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("POST", "/kiosk", nil))
	if w.Code == 200 {
		t.Errorf("POST /kiosk answered 200")
	}
}

func TestQR(t *testing.T) {
	h := frontend.Handler()
	long := strings.Repeat("x", 257)
	for _, tc := range []struct {
		name, query string
		code        int
	}{
		{"ticket page", "data=http%3A%2F%2Fhall.example%3A8080%2Ft%2Fabcdefghijklmnop", 200},
		{"chinese", "data=%E6%BC%94%E7%A4%BA", 200},
		{"empty", "data=", 400},
		{"missing", "", 400},
		{"too long", "data=" + long, 400},
		{"not utf-8", "data=%ff%fe", 400},
	} {
		w := get(t, h, "/qr?"+tc.query)
		if w.Code != tc.code {
			t.Errorf("%s: %d, want %d (%s)", tc.name, w.Code, tc.code, w.Body)
			continue
		}
		if tc.code != 200 {
			if !strings.Contains(w.Body.String(), `"code":"invalid"`) || !strings.Contains(w.Body.String(), `"field":"data"`) {
				t.Errorf("%s: error body %s", tc.name, w.Body)
			}
			continue
		}
		body := w.Body.String()
		if w.Header().Get("Content-Type") != "image/svg+xml" || !strings.HasPrefix(body, "<svg ") || !strings.Contains(body, `<path fill="#000" d="M`) {
			t.Errorf("%s: not an SVG QR code: %.120s", tc.name, body)
		}
		// A QR version v has 4v+17 modules a side, plus a quiet zone of 4
		// each side; a ticket address fits well within version 6.
		var n int
		if _, err := fmt.Sscanf(body[strings.Index(body, "viewBox="):], `viewBox="0 0 %d`, &n); err != nil {
			t.Errorf("%s: no viewBox: %v", tc.name, err)
		} else if v := (n - 8 - 17) / 4; (n-8-17)%4 != 0 || v < 1 || v > 6 {
			t.Errorf("%s: %d modules a side is not a QR code of version 1-6", tc.name, n)
		}
	}
}

// TestNoExternalLoads keeps the pages self-contained: a hall screen must
// work on a network that reaches only the server.
func TestNoExternalLoads(t *testing.T) {
	url := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	err := filepath.WalkDir("static", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range url.FindAllString(string(b), -1) {
			if m == "http://www.w3.org" || m == "//www.w3.org" {
				continue // the SVG namespace name, never fetched
			}
			t.Errorf("%s refers to %s", path, m)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestWords checks the dictionary: Chinese and English have exactly the
// same keys, and every key a page names is in it.
func TestWords(t *testing.T) {
	words := pagetest.LoadWords(t)
	pagetest.CheckWords(t, words)
	if len(words.Keys["zh"]) < 100 {
		t.Fatalf("the dictionary has %d keys; is hf-words.js read whole?", len(words.Keys["zh"]))
	}
	eachFile(t, func(name string, b []byte) { pagetest.CheckKeys(t, words, name, b) })
}

// TestNoInlineWords keeps every word on the pages in the dictionary and
// every script in a file of its own: a page's scripts word nothing
// themselves, and its HTML has no inline script or style (refused by the
// Content-Security-Policy) and no text the shell does not word.
func TestNoInlineWords(t *testing.T) {
	eachFile(t, func(name string, b []byte) {
		switch filepath.Ext(name) {
		case ".html":
			pagetest.CheckHTML(t, name, b)
		case ".js":
			if !strings.HasSuffix(name, "words.js") {
				pagetest.CheckScript(t, name, b)
			}
		}
	})
}

func eachFile(t *testing.T, fn func(name string, b []byte)) {
	t.Helper()
	files, _ := filepath.Glob("static/*")
	if len(files) == 0 {
		t.Fatal("no files in static/")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fn(f, b)
	}
}

// TestPagesAreSmall bounds what each page loads, its HTML and every
// stylesheet and script it names: as sent (gzipped, which every browser
// takes) and as the browser must then read it. A cheap screen box on a busy
// network should load a page in one go, however many faces the hall has.
// The staff's pages (the manager's dashboard, the back office, a window's
// counter), on a desk's PC, may send and read half as much again.
func TestPagesAreSmall(t *testing.T) {
	const screenSent, screenBudget, deskSent, deskBudget = 40 << 10, 128 << 10, 60 << 10, 192 << 10
	desk := map[string]bool{"/dashboard": true, "/cases": true, "/counter/1": true, "/whatif": true}
	ref := regexp.MustCompile(`(?:src|href)="(/static/[^"]+)"`)
	id := regexp.MustCompile(`\{[^}]*\}`)
	h := frontend.Handler()
	get := func(path string) (sent int, body []byte) {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Accept-Encoding", "gzip, deflate, br")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 || w.Header().Get("Content-Encoding") != "gzip" {
			t.Fatalf("GET %s: %d, encoding %q; want 200 gzipped", path, w.Code, w.Header().Get("Content-Encoding"))
		}
		zr, err := gzip.NewReader(w.Body)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		sent = w.Body.Len()
		if body, err = io.ReadAll(zr); err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		return sent, body
	}
	for _, pattern := range frontend.Pages() {
		page := id.ReplaceAllString(strings.TrimSuffix(pattern, "{$}"), "1")
		sent, body := get(page)
		read := len(body)
		for _, m := range ref.FindAllStringSubmatch(string(body), -1) {
			s, b := get(m[1])
			sent, read = sent+s, read+len(b)
		}
		sentBudget := screenSent
		if desk[page] {
			sentBudget = deskSent
		}
		if sent > sentBudget {
			t.Errorf("%s sends %d bytes; keep a page under %d", page, sent, sentBudget)
		}
		readBudget := screenBudget
		if desk[page] {
			readBudget = deskBudget
		}
		if read > readBudget {
			t.Errorf("%s loads %d bytes; keep a page under %d", page, read, readBudget)
		}
	}
}

// A client that does not take gzip gets each file as it is.
func TestPagesPlainWithoutGzip(t *testing.T) {
	h := frontend.Handler()
	for _, path := range []string{"/kiosk", "/static/hf.js"} {
		for _, accept := range []string{"", "gzip;q=0", "identity"} {
			r := httptest.NewRequest("GET", path, nil)
			if accept != "" {
				r.Header.Set("Accept-Encoding", accept)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != 200 || w.Header().Get("Content-Encoding") != "" || !strings.Contains(w.Body.String(), "hf") {
				t.Errorf("GET %s (Accept-Encoding %q): %d, encoding %q", path, accept, w.Code, w.Header().Get("Content-Encoding"))
			}
			if !strings.Contains(w.Header().Get("Vary"), "Accept-Encoding") {
				t.Errorf("GET %s: Vary %q, want Accept-Encoding", path, w.Header().Get("Vary"))
			}
		}
	}
}

// The pages word the five 好差评 levels as the ratings room names them, in
// both languages: the two lists cannot drift apart again.
func TestLevelsAreTheRatingsRoomsOwn(t *testing.T) {
	words := pagetest.LoadWords(t)
	for _, l := range rating.Levels {
		key := fmt.Sprintf("level.%d", l.Value)
		if got := words.Text["zh"][key]; got != l.Name {
			t.Errorf("%s is %q on the pages, %q in the ratings room", key, got, l.Name)
		}
		if got := words.Text["en"][key]; got != l.NameEN {
			t.Errorf("%s is %q on the pages in English, %q in the ratings room", key, got, l.NameEN)
		}
	}
}
