package server

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"hallfloor/devices"
	"hallfloor/errs"
	"hallfloor/queue"
)

// A node takes a device command only signed with the hall's key, fresh and
// once, and only of a device's kind; one that does not lead sends the
// sender back (no_leader) rather than pass it on again.
func TestDeviceCommandsBetweenNodes(t *testing.T) {
	s, eng, keys := followerNode(t)
	press, _ := devices.EncodeCommand(queue.PressKey{Window: "1", Key: "call"})
	send := func(body []byte, key []byte, t0 time.Time, nonce string) int {
		req := httptest.NewRequest(http.MethodPost, DeviceCommandPath, bytes.NewReader(body))
		if key != nil {
			ms := t0.UnixMilli()
			req.Header.Set(deviceSigHeader, fmt.Sprintf("t=%d,n=%s,s=%s", ms, nonce, signDevice(key, ms, nonce, body)))
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		return rec.Code
	}
	now := time.Now()
	for _, c := range []struct {
		name  string
		body  []byte
		key   []byte
		at    time.Time
		nonce string
		want  int
	}{
		{"unsigned", press, nil, now, "", http.StatusUnauthorized},
		{"another hall's key", press, keys.Token, now, "n1", http.StatusUnauthorized},
		{"stale", press, keys.Node, now.Add(-time.Minute), "n2", http.StatusUnauthorized},
		{"not a device's command", []byte(`{"kind":"queue.CallNext","command":{"Window":"1"}}`), keys.Node, now, "n3", http.StatusBadRequest},
		{"signed, at a node that does not lead", press, keys.Node, now, "n4", http.StatusServiceUnavailable},
		{"the same again", press, keys.Node, now, "n4", http.StatusUnauthorized},
	} {
		if got := send(c.body, c.key, c.at, c.nonce); got != c.want {
			t.Errorf("%s: %d, want %d", c.name, got, c.want)
		}
	}

	// The sending side: with no leader known, a press is refused as no_leader.
	d := &DeviceHall{Engine: eng, Leader: func(context.Context) (string, error) { return "", nil }, Self: "http://self", Keys: keys}
	if res := d.Do(context.Background(), queue.PressKey{Window: "1", Key: "call"}, "", nil); errs.ReasonOf(res.Err) != "no_leader" {
		t.Fatalf("no leader: %v", res.Err)
	}
}
