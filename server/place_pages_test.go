package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"

	"hallfloor/app"
	"hallfloor/app/apptest"
	"hallfloor/frontend"
)

// TestPagesForPlacesTheHallLacks: a window's screen, counter and evaluator
// and a locker bank's panel, at an address naming a window or bank the hall
// does not have, answer 404 with a page that says so in Chinese first, then
// English, and links the hall's real ones; the real ones are the faces.
func TestPagesForPlacesTheHallLacks(t *testing.T) {
	run := apptest.Start(t, app.Options{})
	get := func(path string) (*http.Response, string) {
		t.Helper()
		res, err := http.Get(run.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res, string(b)
	}
	tests := []struct {
		path, zh, en string
		links        []string
	}{
		{"/screen/window/9", "本大厅没有 9 号窗口", "This hall has no window 9", []string{`href="/screen/window/1"`, `href="/screen/window/8"`}},
		{"/counter/9", "本大厅没有 9 号窗口", "This hall has no window 9", []string{`href="/counter/1"`, `href="/counter/8"`}},
		{"/evaluate/x%3Cb%3E", "本大厅没有 x&lt;b&gt; 号窗口", "This hall has no window x&lt;b&gt;", []string{`href="/evaluate/1"`, ">8 号窗口<"}},
		{"/locker/L9", "本大厅没有取件柜 L9", "This hall has no locker bank L9", []string{`href="/locker/L1"`}},
	}
	for _, tc := range tests {
		res, body := get(tc.path)
		if res.StatusCode != http.StatusNotFound || res.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
			res.Header.Get("Content-Security-Policy") != frontend.ContentSecurityPolicy {
			t.Errorf("GET %s: %d %s %q, want a 404 page under the hall's policy", tc.path, res.StatusCode, res.Header.Get("Content-Type"), res.Header.Get("Content-Security-Policy"))
			continue
		}
		// Worded by the server in both languages, with nothing to run.
		if strings.Contains(body, "<script") || strings.Contains(body, "style=") {
			t.Errorf("GET %s: inline script or style:\n%s", tc.path, body)
		}
		_, main, _ := strings.Cut(body, "<h1")
		if zh, en := strings.Index(main, tc.zh), strings.Index(main, tc.en); zh < 0 || en < zh {
			t.Errorf("GET %s: want %q, then %q:\n%s", tc.path, tc.zh, tc.en, body)
		}
		for _, l := range tc.links {
			if !strings.Contains(body, l) {
				t.Errorf("GET %s: no %s:\n%s", tc.path, l, body)
			}
		}
	}
	for _, path := range []string{"/screen/window/3", "/counter/8", "/evaluate/1", "/locker/L1"} {
		if res, body := get(path); res.StatusCode != 200 || !strings.Contains(body, "/static/hf.js") {
			t.Errorf("GET %s: %d, want the face", path, res.StatusCode)
		}
	}
}
