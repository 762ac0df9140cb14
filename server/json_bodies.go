package server

import (
	"mime"
	"net/http"

	"hallfloor/errs"
)

// jsonBodies admits a request that changes something only when what it
// sends is declared JSON. A browser sends a cross-site form or a text/plain
// body without asking first (no CORS preflight), so a page on any site that
// a hall PC opens could otherwise take numbers, rate windows or confirm
// overtime in the hall's name; application/json cannot be sent that way.
// A request with no body may leave the type out (POST …/recall); one that
// names another type is refused even when empty, as a form's would be.
func (s *Server) jsonBodies(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodGet || r.Method == http.MethodHead || r.Method == http.MethodOptions {
			next.ServeHTTP(w, r)
			return
		}
		ct := r.Header.Get("Content-Type")
		hasBody := r.ContentLength != 0 // -1 is a body of unknown length
		if ct == "" && !hasBody {
			next.ServeHTTP(w, r)
			return
		}
		if ct == "application/json" {
			next.ServeHTTP(w, r) // what every kiosk sends: no need to parse it
			return
		}
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			e := errs.R(errs.Invalid, "body_not_json_type", "type", ct)
			if ct == "" {
				e = errs.R(errs.Invalid, "body_type_missing")
			}
			s.failStatus(w, r, http.StatusUnsupportedMediaType, e.OnField("Content-Type"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
