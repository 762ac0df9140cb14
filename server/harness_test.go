package server_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"hallfloor/app"
	"hallfloor/app/apptest"
)

// demoHall is a running demo hall assembled as `hallfloor serve` assembles it
// (package app): the embedded demo hall, a SQLite journal in a data
// directory, served on a random local port.
type demoHall struct {
	client
	t   *testing.T
	dir string
	ts  *httptest.Server
	run *apptest.Hall
}

// startHall starts a hall on dir (a fresh temporary directory when empty).
// It stops by itself when the test ends.
func startHall(t *testing.T, dir string) *demoHall {
	t.Helper()
	if dir == "" {
		dir = t.TempDir()
	}
	run := apptest.Start(t, app.Options{Data: dir})
	return &demoHall{client: client{t, run.URL}, t: t, dir: dir, ts: run.HTTP, run: run}
}

func (h *demoHall) stop() { h.run.Stop() }

// restart stops the hall and starts it again on the same data directory.
func (h *demoHall) restart() *demoHall {
	h.stop()
	return startHall(h.t, h.dir)
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

// json decodes the body into a generic value.
func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.body)
	}
	return m
}

func (r reply) into(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decode %T: %v\n%s", v, err, r.body)
	}
}

// client speaks to a hall's API as its pages, kiosks and terminals do.
type client struct {
	tb  testing.TB
	url string
}

// req sends a request. body is sent as is when it is a string, and as JSON
// otherwise; headers come in name, value pairs.
func (h client) req(method, path, token string, body any, headers ...string) reply {
	h.tb.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			h.tb.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	r, err := http.NewRequest(method, h.url+path, rd)
	if err != nil {
		h.tb.Fatal(err)
	}
	if body != nil {
		r.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		r.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		r.Header.Set(headers[i], headers[i+1])
	}
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		h.tb.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		h.tb.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: data}
}

// must sends a request and fails the test unless it answers want.
func (h client) must(want int, method, path, token string, body any, headers ...string) reply {
	h.tb.Helper()
	r := h.req(method, path, token, body, headers...)
	if r.status != want {
		h.tb.Fatalf("%s %s: status %d, want %d\n%s", method, path, r.status, want, r.body)
	}
	return r
}

func (h client) login(staff string) string {
	h.tb.Helper()
	var out struct{ Token string }
	h.must(200, "POST", "/api/v1/login", "", map[string]string{"staff": staff, "password": "demo"}).into(h.tb, &out)
	if out.Token == "" {
		h.tb.Fatal("login gave no token")
	}
	return out.Token
}

type ticket struct {
	ID       string `json:"id"`
	Number   string `json:"number"`
	Service  string `json:"service"`
	Status   string `json:"status"`
	Priority bool   `json:"priority"`
	Window   string `json:"window"`
	Recalls  int    `json:"recalls"`
	Text     string `json:"text"`
	Ahead    int    `json:"ahead"`
	Key      string `json:"key"` // the holder key, in the answer to taking a number
}

type window struct {
	ID          string   `json:"id"`
	State       string   `json:"state"`
	Current     *ticket  `json:"current"`
	PauseReason string   `json:"pause_reason"`
	Services    []string `json:"services"`
	Clerk       *struct {
		Staff string `json:"staff"`
		Name  string `json:"name"`
	} `json:"clerk"`
}

type windowReply struct {
	Ticket *ticket `json:"ticket"`
	Window window  `json:"window"`
}

func (h *demoHall) issue(service string) ticket {
	h.t.Helper()
	var tk ticket
	h.must(201, "POST", "/api/v1/tickets", "", map[string]any{"service": service}).into(h.t, &tk)
	return tk
}

func (h *demoHall) act(token, win, action string, body any) windowReply {
	h.t.Helper()
	var out windowReply
	h.must(200, "POST", "/api/v1/windows/"+win+"/"+action, token, body).into(h.t, &out)
	return out
}

type hallView struct {
	Seq      uint64 `json:"seq"`
	Services []struct {
		Code    string `json:"code"`
		Issued  int    `json:"issued"`
		Waiting int    `json:"waiting"`
		Served  int    `json:"served"`
	} `json:"services"`
	Windows []window `json:"windows"`
}

func (h *demoHall) view() hallView {
	h.t.Helper()
	var v hallView
	h.must(200, "GET", "/api/v1/hall", "", nil).into(h.t, &v)
	return v
}

// idNumber makes a resident ID number with a correct check character.
func idNumber(first17 string) string {
	weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range first17 {
		sum += int(c-'0') * weights[i]
	}
	return first17 + string("10X98765432"[sum%11])
}

// apiError is the error shape of every failed request: the kind, the
// stable reason code and its arguments, the words for a person (Chinese in
// message, English in message_en) and the field.
type apiError struct {
	Error struct {
		Code      string            `json:"code"`
		Reason    string            `json:"reason"`
		Args      map[string]string `json:"args"`
		Message   string            `json:"message"`
		MessageEN string            `json:"message_en"`
		Field     string            `json:"field"`
	} `json:"error"`
}

func (r reply) apiError(t *testing.T) apiError {
	t.Helper()
	var e apiError
	r.into(t, &e)
	if e.Error.Code == "" || e.Error.Reason == "" || e.Error.Message == "" || e.Error.MessageEN == "" {
		t.Fatalf("error answer without code, reason or message: %s", r.body)
	}
	return e
}

func (r reply) String() string { return fmt.Sprintf("%d %s", r.status, r.body) }

// ticket reads a ticket as its page does.
func (h *demoHall) ticket(id string) ticket {
	h.t.Helper()
	var tk ticket
	h.must(200, "GET", "/api/v1/tickets/"+id, "", nil).into(h.t, &tk)
	return tk
}
