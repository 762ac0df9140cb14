package server

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"hallfloor/devices"
	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/hall"
)

// Devices attach to the node whose hall file names them; on a hall of
// several nodes that node may be a follower. Its pins' commands (a call
// key, a door sensor's report, an evaluator key, a device's own report)
// are then decided by the leader, as a page's commands are: the follower
// posts each to the leader's DeviceCommandPath, signed with a key of the
// hall's secret (which every node shares), and the leader takes it into
// its engine. The path is no part of the API: no page, no person, only a
// node with the hall's secret may use it, for the devices' four kinds of
// command only (devices.DecodeCommand).

// DeviceCommandPath is where the leader takes a follower's device command.
const DeviceCommandPath = "/internal/v1/device-command"

// deviceSigHeader carries "t=<unix ms>,n=<nonce>,s=<hex HMAC-SHA256 of
// t, n and the body>". The time bounds a replay to signWindow; the nonce,
// remembered that long, stops one within it.
const deviceSigHeader = "X-Hallfloor-Signature"

const signWindow = 30 * time.Second

func signDevice(key []byte, t int64, nonce string, body []byte) string {
	m := hmac.New(sha256.New, key)
	fmt.Fprintf(m, "%d\n%s\n", t, nonce)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// deviceRefusal is the leader's refusal as the follower rebuilds it.
type deviceRefusal struct {
	Kind   errs.Kind         `json:"kind"`
	Reason string            `json:"reason"`
	Args   map[string]string `json:"args,omitempty"`
	Field  string            `json:"field,omitempty"`
}

// nonces are the signatures' nonces seen within signWindow.
type nonces struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

// fresh says whether n is new, forgetting those past the window.
func (ns *nonces) fresh(n string, now time.Time) bool {
	ns.mu.Lock()
	defer ns.mu.Unlock()
	if ns.seen == nil {
		ns.seen = map[string]time.Time{}
	}
	for k, at := range ns.seen {
		if now.Sub(at) > 2*signWindow {
			delete(ns.seen, k)
		}
	}
	if _, ok := ns.seen[n]; ok {
		return false
	}
	ns.seen[n] = now
	return true
}

// postDeviceCommand takes a follower's device command at the leader.
func (s *Server) postDeviceCommand(w http.ResponseWriter, r *http.Request) {
	if s.leader == nil || len(s.nodeKey) == 0 {
		http.NotFound(w, r)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 8<<10))
	if err != nil {
		s.fail(w, r, errs.R(errs.Invalid, "body_unreadable"))
		return
	}
	if !s.deviceSigned(r.Header.Get(deviceSigHeader), body) {
		s.fail(w, r, errs.R(errs.Unauthorized, "node_signature"))
		return
	}
	cmd, err := devices.DecodeCommand(body)
	if err != nil {
		s.fail(w, r, errs.R(errs.Invalid, "body_not_json"))
		return
	}
	if !s.engine.Leading() {
		s.noLeader(w, r) // no second hop: the sender asks the leader again
		return
	}
	if res := s.engine.Do(r.Context(), cmd, "", nil); res.Err != nil {
		e, ok := errs.As(res.Err)
		if !ok {
			e = errs.Wrap(res.Err, "device command")
		}
		writeJSON(w, status[e.Kind], deviceRefusal{Kind: e.Kind, Reason: e.Reason, Args: e.Args, Field: e.Field})
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) deviceSigned(header string, body []byte) bool {
	var t int64
	var nonce, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			t, _ = strconv.ParseInt(v, 10, 64)
		case "n":
			nonce = v
		case "s":
			sig = v
		}
	}
	now := time.Now()
	if nonce == "" || sig == "" || now.Sub(time.UnixMilli(t)).Abs() > signWindow {
		return false
	}
	want := signDevice(s.nodeKey, t, nonce, body)
	return hmac.Equal([]byte(sig), []byte(want)) && s.nonces.fresh(nonce, now)
}

// DeviceHall is the hall as a node's devices see it on a hall of several
// nodes: its engine while it leads, the leader's otherwise.
type DeviceHall struct {
	Engine *engine.Engine
	Leader func(ctx context.Context) (string, error)
	Self   string
	Keys   Keys
	Client *http.Client // nil: one bounded by forwardTimeout
}

// Read reads this node's own copy of the hall, which follows the leader's.
func (d *DeviceHall) Read(ctx context.Context, fn func(s *hall.State, setup *hall.Setup)) error {
	return d.Engine.Read(ctx, fn)
}

// Do decides cmd here while this node leads, or has the leader decide it.
// A device's command carries no Idempotency-Key and no reply.
func (d *DeviceHall) Do(ctx context.Context, cmd hall.Command, key string, reply engine.ReplyFunc) engine.Result {
	if d.Engine.Leading() {
		return d.Engine.Do(ctx, cmd, key, reply)
	}
	return engine.Result{Err: d.pass(ctx, cmd)}
}

func (d *DeviceHall) pass(ctx context.Context, cmd hall.Command) error {
	body, err := devices.EncodeCommand(cmd)
	if err != nil {
		return errs.Wrap(err, "device command")
	}
	lctx, cancel := context.WithTimeout(ctx, time.Second)
	addr, err := d.Leader(lctx)
	cancel()
	if err != nil || addr == "" || addr == d.Self {
		return engine.NoLeader()
	}
	var n [12]byte
	rand.Read(n[:])
	nonce, t := hex.EncodeToString(n[:]), time.Now().UnixMilli()
	rctx, cancel := context.WithTimeout(ctx, forwardTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(rctx, http.MethodPost, strings.TrimRight(addr, "/")+DeviceCommandPath, bytes.NewReader(body))
	if err != nil {
		return engine.NoLeader()
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(ForwardedHeader, d.Self)
	req.Header.Set(deviceSigHeader, fmt.Sprintf("t=%d,n=%s,s=%s", t, nonce, signDevice(d.Keys.Node, t, nonce, body)))
	client := d.Client
	if client == nil {
		client = &http.Client{Transport: forwardTransport, Timeout: forwardTimeout}
	}
	resp, err := client.Do(req)
	if err != nil {
		return engine.NoLeader() // the leader gone or paused: the press is lost, as a page's command would be refused
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNoContent {
		return nil
	}
	var ref deviceRefusal
	if resp.StatusCode == http.StatusServiceUnavailable {
		return engine.NoLeader()
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 8<<10)).Decode(&ref); err != nil || ref.Kind == "" {
		return errs.Internalf("node_answer", "the leader answered %d", resp.StatusCode)
	}
	return &errs.Error{Kind: ref.Kind, Reason: ref.Reason, Args: ref.Args, Field: ref.Field}
}
