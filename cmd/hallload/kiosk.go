package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// kiosk is one ticket machine of the issue run: one keep-alive HTTP/1.1
// connection, on which it sends its requests one after another, as a kiosk
// does. It writes each request itself and reads the answer with net/http's
// parser. net/http's client spends two goroutines and their hand-offs on
// every request, which on two cores came out of the hall's share: the
// load's own CPU was a third of the hall's.
type kiosk struct {
	host string // host:port
	conn net.Conn
	r    *bufio.Reader
	req  []byte // the request being written, reused
	body []byte // the answer's body, reused
}

// issuer takes numbers as one kiosk.
type issuer interface {
	issue(ctx context.Context, service, key string) (id string, err error)
	close()
}

// newIssuer is a kiosk of its own for a hall over plain HTTP; over HTTPS
// it is net/http's client, which speaks TLS.
func newIssuer(base string, conns int) (issuer, error) {
	if strings.HasPrefix(base, "https://") {
		return newAPI(base, conns), nil
	}
	return newKiosk(base)
}

// kioskTimeout bounds one request, as the HTTP client's timeout did.
const kioskTimeout = 30 * time.Second

func newKiosk(base string) (*kiosk, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("issue mode speaks plain HTTP, not %s", u.Scheme)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "80")
	}
	return &kiosk{host: host}, nil
}

func (k *kiosk) close() {
	if k.conn != nil {
		k.conn.Close()
		k.conn = nil
	}
}

// issue takes one number for service; key makes it idempotent as a
// kiosk's retry would be. A connection the hall closed between two
// requests is dialled again, and the request sent on it once more (the
// key makes that safe).
func (k *kiosk) issue(ctx context.Context, service, key string) (string, error) {
	body, err := json.Marshal(struct {
		Service string `json:"service"`
	}{service})
	if err != nil {
		return "", err
	}
	k.req = append(k.req[:0], "POST /api/v1/tickets HTTP/1.1\r\nHost: "...)
	k.req = append(k.req, k.host...)
	k.req = append(k.req, "\r\nUser-Agent: hallload\r\nContent-Type: application/json\r\nIdempotency-Key: "...)
	k.req = append(k.req, key...)
	k.req = append(k.req, "\r\nContent-Length: "...)
	k.req = strconv.AppendInt(k.req, int64(len(body)), 10)
	k.req = append(k.req, "\r\n\r\n"...)
	k.req = append(k.req, body...)
	status, err := k.roundTrip(ctx)
	if err != nil && k.conn == nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
		status, err = k.roundTrip(ctx) // the kept connection had gone
	}
	if err != nil {
		return "", err
	}
	if status != http.StatusCreated {
		return "", &apiError{Status: status, Body: string(bytes.TrimSpace(k.body))}
	}
	var out struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(k.body, &out); err != nil {
		return "", err
	}
	return out.ID, nil
}

// roundTrip sends k.req and reads the answer's status and body (into
// k.body). On a failure the connection is dropped.
func (k *kiosk) roundTrip(ctx context.Context) (int, error) {
	if k.conn == nil {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", k.host)
		if err != nil {
			return 0, err
		}
		k.conn = c
		if k.r == nil {
			k.r = bufio.NewReaderSize(c, 4096)
		} else {
			k.r.Reset(c)
		}
	}
	status, err := k.exchange()
	if err != nil {
		k.close()
	}
	return status, err
}

func (k *kiosk) exchange() (int, error) {
	if err := k.conn.SetDeadline(time.Now().Add(kioskTimeout)); err != nil {
		return 0, err
	}
	if _, err := k.conn.Write(k.req); err != nil {
		return 0, err
	}
	resp, err := http.ReadResponse(k.r, nil)
	if err != nil {
		return 0, err
	}
	k.body, err = readAll(k.body[:0], resp.Body)
	resp.Body.Close()
	if err != nil {
		return 0, err
	}
	if resp.Close {
		k.close() // the hall said it closes this one; the next is dialled
	}
	return resp.StatusCode, nil
}

// readAll appends r to b, growing it only when an answer is longer than
// any before.
func readAll(b []byte, r io.Reader) ([]byte, error) {
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if errors.Is(err, io.EOF) {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}
