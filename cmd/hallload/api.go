package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"
)

// api speaks to a hall's JSON API as a kiosk or a counter terminal does.
type api struct {
	base   string
	client *http.Client
	token  string
}

func newAPI(base string, conns int) *api {
	return &api{base: base, client: &http.Client{
		Timeout:   30 * time.Second,
		Transport: &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns},
	}}
}

// close lets go of the client's kept connections.
func (a *api) close() { a.client.CloseIdleConnections() }

// apiError is an answer other than the one wanted.
type apiError struct {
	Status int
	Body   string
}

func (e *apiError) Error() string { return fmt.Sprintf("HTTP %d: %s", e.Status, e.Body) }

// Reason is the stable reason code of the hall's refusal, "" if the body
// is not one.
func (e *apiError) Reason() string {
	var b struct {
		Error struct {
			Reason string `json:"reason"`
		} `json:"error"`
	}
	json.Unmarshal([]byte(e.Body), &b)
	return b.Error.Reason
}

// post sends body as JSON and decodes a `want` answer into out (if not nil).
func (a *api) post(ctx context.Context, path string, body any, want int, out any, headers ...string) error {
	return a.do(ctx, http.MethodPost, path, body, want, out, headers...)
}

// get reads path and decodes a 200 answer into out.
func (a *api) get(ctx context.Context, path string, out any) error {
	return a.do(ctx, http.MethodGet, path, nil, http.StatusOK, out)
}

func (a *api) do(ctx context.Context, method, path string, body any, want int, out any, headers ...string) error {
	var buf bytes.Buffer
	if body != nil {
		if err := json.NewEncoder(&buf).Encode(body); err != nil {
			return err
		}
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, &buf)
	if err != nil {
		return err
	}
	if method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	if a.token != "" {
		req.Header.Set("Authorization", "Bearer "+a.token)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	resp, err := a.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode != want {
		return &apiError{Status: resp.StatusCode, Body: string(bytes.TrimSpace(b))}
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

func (a *api) login(ctx context.Context, staff, password string) error {
	var out struct {
		Token string `json:"token"`
	}
	if err := a.post(ctx, "/api/v1/login", map[string]string{"staff": staff, "password": password}, http.StatusOK, &out); err != nil {
		return fmt.Errorf("sign in as %s: %w", staff, err)
	}
	a.token = out.Token
	return nil
}

// openWindow signs the clerk on at the window; being signed on there
// already is fine (a second run against the same server).
func (a *api) openWindow(ctx context.Context, window, staff string) error {
	err := a.post(ctx, "/api/v1/windows/"+window+"/open", nil, http.StatusOK, nil)
	var ae *apiError
	if errors.As(err, &ae) && ae.Status == http.StatusConflict && ae.Reason() == "already_signed_on" {
		return nil
	}
	if err != nil {
		return fmt.Errorf("open window %s as %s: %w", window, staff, err)
	}
	return nil
}

// issue takes one number; key makes it idempotent as a kiosk's retry would be.
func (a *api) issue(ctx context.Context, service, key string) (id string, err error) {
	var out struct {
		ID string `json:"id"`
	}
	err = a.post(ctx, "/api/v1/tickets", map[string]string{"service": service}, http.StatusCreated, &out, "Idempotency-Key", key)
	return out.ID, err
}

// current is the ticket the window serves now, "" when it serves nobody: a
// counter terminal reads it before its first call (a second run against the
// same server finds the window serving the last run's last call).
func (a *api) current(ctx context.Context, window string) (string, error) {
	var out struct {
		Current *struct {
			ID string `json:"id"`
		} `json:"current"`
	}
	if err := a.get(ctx, "/api/v1/windows/"+window, &out); err != nil {
		return "", fmt.Errorf("read window %s: %w", window, err)
	}
	if out.Current == nil {
		return "", nil
	}
	return out.Current.ID, nil
}

// call presses "next" at the window, whose screen shows current as the
// ticket being served ("" for none), and returns the called ticket's id.
// The hall refuses a call made on a stale screen (409 stale_current or
// stale_idle): then someone else acted at the window during the run.
func (a *api) call(ctx context.Context, window, current string) (string, error) {
	var out struct {
		Ticket *struct {
			ID string `json:"id"`
		} `json:"ticket"`
	}
	if err := a.post(ctx, "/api/v1/windows/"+window+"/call", map[string]string{"current": current}, http.StatusOK, &out); err != nil {
		return "", err
	}
	if out.Ticket == nil {
		return "", fmt.Errorf("window %s called nobody: the line is empty", window)
	}
	return out.Ticket.ID, nil
}
