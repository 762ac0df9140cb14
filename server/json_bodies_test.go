package server_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

// A body is taken only when it is declared JSON: a page on another site can
// send a form or text/plain to the hall without the browser asking first,
// and must not be able to take a number, rate a window or act at all. What
// is refused changes nothing and says what was wrong.
func TestBodiesMustBeDeclaredJSON(t *testing.T) {
	h := startHall(t, "")
	clerk := h.login("1001")
	body := `{"service":"A"}`
	for _, tc := range []struct {
		name, path, token, ctype, body string
		want                           int
		reason                         string
	}{
		{"text/plain ticket", "/api/v1/tickets", "", "text/plain", body, 415, "body_not_json_type"},
		{"form ticket", "/api/v1/tickets", "", "application/x-www-form-urlencoded", body, 415, "body_not_json_type"},
		{"multipart ticket", "/api/v1/tickets", "", "multipart/form-data; boundary=x", body, 415, "body_not_json_type"},
		{"untyped ticket", "/api/v1/tickets", "", "", body, 415, "body_type_missing"},
		{"text/plain rating", "/api/v1/windows/1/rating", "", "text/plain", `{"level":5}`, 415, "body_not_json_type"},
		{"form with no body on a staff action", "/api/v1/windows/1/open", clerk, "application/x-www-form-urlencoded", "", 415, "body_not_json_type"},
		{"JSON ticket", "/api/v1/tickets", "", "application/json", body, 201, ""},
		{"JSON with a charset", "/api/v1/tickets", "", "application/json; charset=utf-8", body, 201, ""},
		{"JSON in capitals", "/api/v1/tickets", "", "Application/JSON", body, 201, ""},
		{"no body and no type", "/api/v1/windows/2/open", h.login("1002"), "", "", 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := h.view().Seq
			req, err := http.NewRequest("POST", h.url+tc.path, strings.NewReader(tc.body))
			if err != nil {
				t.Fatal(err)
			}
			if tc.body == "" {
				req.Body, req.ContentLength = http.NoBody, 0
			}
			if tc.ctype != "" {
				req.Header.Set("Content-Type", tc.ctype)
			}
			if tc.token != "" {
				req.Header.Set("Authorization", "Bearer "+tc.token)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			data, err := io.ReadAll(resp.Body)
			resp.Body.Close()
			if err != nil {
				t.Fatal(err)
			}
			r := reply{status: resp.StatusCode, body: data}
			if r.status != tc.want {
				t.Fatalf("status %d, want %d: %s", r.status, tc.want, r.body)
			}
			if tc.reason == "" {
				return
			}
			e := r.apiError(t)
			if e.Error.Reason != tc.reason || e.Error.Field != "Content-Type" {
				t.Fatalf("refused with %+v, want reason %s on Content-Type", e.Error, tc.reason)
			}
			if after := h.view().Seq; after != before {
				t.Fatalf("a refused body changed the hall: seq %d → %d", before, after)
			}
		})
	}
}
