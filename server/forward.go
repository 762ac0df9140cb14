package server

import (
	"context"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strings"
	"time"

	"hallfloor/engine"
)

// When several nodes run the hall, a node that does not hold the writing
// lease passes every request that may change the hall (each POST, PUT,
// PATCH and DELETE under /api/v1) to the node that does, and gives its
// caller the leader's answer as it came: the status, the headers and the
// body byte for byte. The Idempotency-Key goes along with the rest, and
// the leader scopes it as it scopes any request (see idempotency.go); so
// a caller that retries after a failover, here or at the new leader,
// gets the first answer and never a second ticket.
//
// Sign-in is answered where it is asked: a sign-in token is an HMAC under
// the hall's secret key, which every node of the hall shares (secret.key
// in each node's data directory, the same file), so a token any node made
// is good at every node. The tries against a password are counted per
// node.
//
// With no leader (the lease lapsed and no node has taken it yet), or a
// leader that cannot be reached, the answer is 503 no_leader, which the
// pages show as reconnecting; the caller tries again.

// ForwardedHeader marks a request one node passed to another. A node that
// gets one and does not lead either answers no_leader rather than pass it
// on again: two nodes each thinking the other leads must not bounce a
// request between them.
const ForwardedHeader = "X-Hallfloor-Forwarded"

// forwardTimeout bounds the wait for the leader's answer. A leader paused
// (SIGSTOP, a frozen VM) accepts connections and answers nothing; past
// this the caller is told no_leader and retries, by then at a new leader.
const forwardTimeout = 5 * time.Second

var forwardTransport = &http.Transport{
	DialContext:           (&net.Dialer{Timeout: time.Second, KeepAlive: 30 * time.Second}).DialContext,
	ResponseHeaderTimeout: forwardTimeout,
	MaxIdleConnsPerHost:   64,
	IdleConnTimeout:       30 * time.Second,
}

// forward passes commands to the leader when this node does not write.
func (s *Server) forward(next http.Handler) http.Handler {
	if s.leader == nil {
		return next // one node runs the hall alone
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions,
			r.URL.Path == "/api/v1/login", s.engine.Leading(),
			// The simulator drives this node's own pins: what they cause
			// goes to the leader as every device's command does.
			strings.HasPrefix(r.URL.Path, "/api/v1/sim/"):
			next.ServeHTTP(w, r)
			return
		case r.Header.Get(ForwardedHeader) != "":
			s.noLeader(w, r)
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), time.Second)
		addr, err := s.leader(ctx)
		cancel()
		if err != nil || addr == "" || addr == s.self {
			s.noLeader(w, r)
			return
		}
		target, err := url.Parse(addr)
		if err != nil {
			s.noLeader(w, r)
			return
		}
		// The leader names its own zone, the same hall's.
		w.Header().Del(ZoneHeader)
		proxy := &httputil.ReverseProxy{
			Rewrite: func(pr *httputil.ProxyRequest) {
				pr.SetURL(target)
				pr.SetXForwarded()
				pr.Out.Header.Set(ForwardedHeader, s.self)
			},
			Transport:      forwardTransport,
			ModifyResponse: dropCORS,
			ErrorHandler: func(w http.ResponseWriter, r *http.Request, err error) {
				s.log.Warn("the leader did not answer a command passed to it", "leader", addr, "err", err)
				s.noLeader(w, r)
			},
		}
		s.metrics.forwarded.Inc()
		proxy.ServeHTTP(w, r)
	})
}

func (s *Server) noLeader(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Retry-After", "1")
	s.fail(w, r, engine.NoLeader())
}

// getNodes tells the pages the hall's nodes, which one leads, and the
// journal's epoch.
func (s *Server) getNodes(w http.ResponseWriter, r *http.Request) {
	out := struct {
		Nodes  []string `json:"nodes"`
		Self   string   `json:"self,omitempty"`
		Leader string   `json:"leader,omitempty"`
		Leads  bool     `json:"leads"`
		Epoch  string   `json:"epoch,omitempty"`
	}{Nodes: s.nodes, Self: s.self, Leads: s.engine.Leading(), Epoch: s.epoch}
	if out.Nodes == nil {
		out.Nodes = []string{}
	}
	if s.leader != nil {
		ctx, cancel := context.WithTimeout(r.Context(), time.Second)
		out.Leader, _ = s.leader(ctx)
		cancel()
	}
	writeJSON(w, http.StatusOK, out)
}
