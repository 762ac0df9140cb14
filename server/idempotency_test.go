package server_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// from is a caller at another address of this machine: 127.0.0.2 is
// loopback too, and to the hall a different source.
func from(t *testing.T, ip string) *http.Client {
	t.Helper()
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
	}}
}

// post sends a JSON body with an Idempotency-Key from client c.
func post(t *testing.T, c *http.Client, url, token, key, body string) reply {
	t.Helper()
	req, err := http.NewRequest("POST", url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", key)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}
}

// An Idempotency-Key answers a retry of the same request, from the same
// caller, and nothing else: the same key with another body is refused as a
// conflict and changes nothing, and another anonymous caller who sends the
// key (learnt or guessed) gets a ticket of its own, never the first
// caller's ticket and holder key. Both hold after a restart.
func TestIdempotencyKeyServesOnlyItsRequest(t *testing.T) {
	h := startHall(t, "")
	kiosk, stranger := from(t, "127.0.0.1"), from(t, "127.0.0.2")
	url := func() string { return h.url + "/api/v1/tickets" }

	first := post(t, kiosk, url(), "", "kiosk-1", `{"service":"A"}`)
	var mine ticket
	first.into(t, &mine)
	if first.status != 201 || mine.Key == "" {
		t.Fatalf("first ticket: %s", first)
	}
	seq := h.view().Seq

	check := func(when string) {
		t.Helper()
		// Another body under the key: a conflict, not the first answer.
		r := post(t, kiosk, url(), "", "kiosk-1", `{"service":"B"}`)
		if r.status != 409 || r.apiError(t).Error.Reason != "idempotency_key_reused" {
			t.Fatalf("%s: the key with another body: %s", when, r)
		}
		if strings.Contains(string(r.body), mine.ID) || strings.Contains(string(r.body), mine.Key) {
			t.Fatalf("%s: the refusal carries the first ticket: %s", when, r.body)
		}
		if got := h.view().Seq; got != seq {
			t.Fatalf("%s: a refused repeat changed the hall: seq %d → %d", when, seq, got)
		}
		// The same request again: the first answer.
		again := post(t, kiosk, url(), "", "kiosk-1", `{"service":"A"}`)
		if again.status != 201 || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
			t.Fatalf("%s: the retry: %s, want %s replayed", when, again, first)
		}
	}
	check("serving")

	// Another caller with the same key and body gets its own ticket.
	var theirs ticket
	r := post(t, stranger, url(), "", "kiosk-1", `{"service":"A"}`)
	r.into(t, &theirs)
	if r.status != 201 || theirs.ID == mine.ID || theirs.Key == mine.Key || r.header.Get("Idempotent-Replayed") != "" {
		t.Fatalf("another caller with the key: %s; the first caller's ticket %s", r, first.body)
	}
	seq = h.view().Seq

	h = h.restart()
	check("after a restart")
}

// Every POST that changes the hall honours the key, the drop-off codes and
// the locker unlock included: a retry gets the first answer (the same
// code) and opens or issues nothing more.
func TestIdempotencyKeyOnLockers(t *testing.T) {
	h := startHall(t, "")
	clerk, admin := h.login("1001"), h.login("admin")
	c := http.DefaultClient
	for _, tc := range []struct {
		name, path, token, body string
		want                    int
	}{
		{"drop-off code", "/api/v1/lockers/dropoffs", clerk, `{"case":"2026-0101","size":"M","id_number":"` + applicantID + `"}`, 201},
		{"unlock", "/api/v1/devices/lockers/L1/06/unlock", admin, ``, 202},
	} {
		t.Run(tc.name, func(t *testing.T) {
			first := post(t, c, h.url+tc.path, tc.token, "retry-1", tc.body)
			if first.status != tc.want {
				t.Fatalf("first: %s", first)
			}
			seq := h.view().Seq
			again := post(t, c, h.url+tc.path, tc.token, "retry-1", tc.body)
			if again.status != tc.want || string(again.body) != string(first.body) || again.header.Get("Idempotent-Replayed") != "true" {
				t.Fatalf("the retry: %s, want %s replayed", again, first)
			}
			if got := h.view().Seq; got != seq {
				t.Fatalf("the retry changed the hall: seq %d → %d", seq, got)
			}
		})
	}
}

// Behind a proxy the hall file trusts, a key belongs to the address the
// proxy forwarded for, as the limits see it: two citizens behind the
// hall's proxy who happen to send the same key get a ticket each.
func TestIdempotencyKeyBehindATrustedProxy(t *testing.T) {
	h := proxiedHall(t, "", nil)
	ask := func(addr string) ticket {
		r := h.req("POST", "/api/v1/tickets", "", map[string]string{"service": "A"},
			"X-Forwarded-For", addr, "Idempotency-Key", "same-key")
		if r.status != 201 {
			t.Fatalf("from %s: %s", addr, r)
		}
		var tk ticket
		r.into(t, &tk)
		return tk
	}
	a, again, b := ask("198.51.100.7"), ask("198.51.100.7"), ask("198.51.100.8")
	if again.ID != a.ID {
		t.Errorf("the same citizen's retry got %s, want %s", again.Number, a.Number)
	}
	if b.ID == a.ID || b.Key == a.Key {
		t.Errorf("another citizen behind the proxy got the first citizen's ticket %s", a.Number)
	}
}
