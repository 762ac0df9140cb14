package server

import (
	"net/http"

	"hallfloor/frontend"
	"net/url"
	"slices"
	"strings"
)

// A page of a hall on several nodes calls the API of another node when
// its own cannot be reached or has no leader (hf.js moves its calls along
// the hall's node list, as it moves its live connection). The page stays
// where it is, at its own node's origin: its sign-in lives in that
// origin's sessionStorage, so reloading at the other node's origin would
// sign the clerk out in the middle of a failover, and a token put in a
// URL to carry it over would end up in histories and logs. So each node
// lets the hall's own nodes' pages call it across origins, and no other
// origin: server.allowed_origins opens the WebSocket to more origins, not
// the API.

// nodeOrigins are the origins of the hall's nodes (server.ha.nodes and
// advertise), as scheme://host.
func nodeOrigins(self string, nodes []string) []string {
	var out []string
	for _, n := range append([]string{self}, nodes...) {
		u, err := url.Parse(n)
		if err != nil || u.Host == "" {
			continue
		}
		o := strings.ToLower(u.Scheme + "://" + u.Host)
		if !slices.Contains(out, o) {
			out = append(out, o)
		}
	}
	return out
}

// corsHeaders name what a page of another node sends and reads: the
// sign-in, the idempotency key, and the clock and zone the pages learn
// from every answer.
const (
	corsAllowHeaders  = "Accept, Authorization, Content-Type, Idempotency-Key"
	corsExposeHeaders = "Date, Retry-After, " + ZoneHeader
)

// nodeCORS answers the hall's other nodes' pages under /api/v1.
func (s *Server) nodeCORS(next http.Handler) http.Handler {
	if len(s.origins) == 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		origin := r.Header.Get("Origin")
		if origin == "" || !slices.Contains(s.origins, strings.ToLower(origin)) {
			next.ServeHTTP(w, r)
			return
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		if r.Method == http.MethodOptions && r.Header.Get("Access-Control-Request-Method") != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE")
			h.Set("Access-Control-Allow-Headers", corsAllowHeaders)
			h.Set("Access-Control-Max-Age", "600")
			w.WriteHeader(http.StatusNoContent)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// dropCORS takes the leader's own CORS headers off an answer passed back
// through a follower, which set its own: a header twice fails the page.
func dropCORS(resp *http.Response) error {
	for k := range resp.Header {
		if strings.HasPrefix(k, "Access-Control-") {
			resp.Header.Del(k)
		}
	}
	return nil
}

// nodePages lets the pages this node serves call the other nodes' API: the
// pages' policy (frontend.ContentSecurityPolicy) connects to their own
// origin only. The WebSocket is left alone, its connection hijacked.
func (s *Server) nodePages(next http.Handler) http.Handler {
	if len(s.origins) == 0 {
		return next
	}
	policy := frontend.PolicyConnecting(s.origins)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path == "/ws" || strings.HasPrefix(r.URL.Path, "/api/") {
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(&policyWriter{ResponseWriter: w, policy: policy}, r)
	})
}

// policyWriter puts the nodes' policy in place of the pages' own as the
// answer's headers go.
type policyWriter struct {
	http.ResponseWriter
	policy string
	wrote  bool
}

func (p *policyWriter) WriteHeader(code int) {
	if !p.wrote {
		p.wrote = true
		if h := p.Header(); h.Get("Content-Security-Policy") == frontend.ContentSecurityPolicy {
			h.Set("Content-Security-Policy", p.policy)
		}
	}
	p.ResponseWriter.WriteHeader(code)
}

func (p *policyWriter) Write(b []byte) (int, error) {
	if !p.wrote {
		p.WriteHeader(http.StatusOK)
	}
	return p.ResponseWriter.Write(b)
}

func (p *policyWriter) Unwrap() http.ResponseWriter { return p.ResponseWriter }
