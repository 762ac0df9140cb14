package server

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"

	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/hall"
)

// A client that may have lost an answer (a kiosk whose network dropped)
// sends the request again with the same Idempotency-Key, and gets the first
// answer instead of a second ticket. Two things keep one caller's key from
// serving another:
//
//   - The key is scoped to the method, the path and the caller: the
//     Authorization sent, or for an anonymous caller its network address,
//     which a caller elsewhere cannot take. A kiosk's retry comes from the
//     kiosk; a stranger who learns or guesses its key gets a scope of their
//     own, and so neither its ticket nor its holder key. (Behind a proxy
//     every anonymous caller has the proxy's address; the hall's pages then
//     still draw keys of 96 random bits, which cannot be guessed.)
//   - The request's fingerprint (a digest of its query and body) is kept
//     with the answer: the same key with a different request is refused as
//     idempotency_key_reused, never answered with the first answer.
//
// The journal keeps the scope only as a digest, so no sign-in token is
// written into it.

// maxIdempotencyKey bounds the header; a key is a nonce, not a document.
const maxIdempotencyKey = 200

type onceCtx struct{}

// idempotent reads the body of a request that carries an Idempotency-Key,
// to fingerprint it, and gives it back to the handler unchanged.
func (s *Server) idempotent(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Header.Get("Idempotency-Key")
		if key == "" || r.Method == http.MethodGet || r.Method == http.MethodHead {
			next.ServeHTTP(w, r)
			return
		}
		if len(key) > maxIdempotencyKey {
			s.fail(w, r, errs.Bad("Idempotency-Key", "too_long", "max", maxIdempotencyKey))
			return
		}
		// One byte past the bound, so decode still sees a body too long.
		body, err := readBody(r, maxBody+1)
		if err != nil {
			s.fail(w, r, errs.R(errs.Invalid, "body_unreadable"))
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		once := engine.Once{
			Key:         digest("idempotency-scope", r.Method, r.URL.Path, s.caller(r), key),
			Fingerprint: digest("idempotency-request", r.URL.RawQuery, string(body)),
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), onceCtx{}, once)))
	})
}

// caller is who a key belongs to: the sign-in sent, else the address the
// request came from, found as the limits find it (behind a proxy the hall
// file trusts, the address it forwarded for).
func (s *Server) caller(r *http.Request) string {
	if a := r.Header.Get("Authorization"); a != "" {
		return "authorization\x00" + a
	}
	return "address\x00" + s.limits.sources.of(r).addr.String()
}

// digest hashes parts unambiguously (each is length-prefixed by the NUL
// that follows it, and none holds a NUL that matters: a collision needs
// parts that differ only in where one ends).
func digest(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		io.WriteString(h, p)
		h.Write(nul)
	}
	var sum [sha256.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

var nul = []byte{0}

// readBody reads at most limit bytes of the request's body into a buffer of
// the length the request declares (a kiosk's body is a few dozen bytes,
// where io.ReadAll starts at 512 and grows).
func readBody(r *http.Request, limit int64) ([]byte, error) {
	n := r.ContentLength
	if n < 0 || n >= limit {
		n = 512 // unknown or too long: grow as it comes
	}
	b := make([]byte, 0, n+1) // one more, to see the end without growing
	lr := io.LimitReader(r.Body, limit)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		m, err := lr.Read(b[len(b):cap(b)])
		b = b[:len(b)+m]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// run runs a command through the engine under the request's
// Idempotency-Key, if it has one, and marks an answer given again.
func (s *Server) run(w http.ResponseWriter, r *http.Request, cmd hall.Command, reply engine.ReplyFunc) engine.Result {
	once, _ := r.Context().Value(onceCtx{}).(engine.Once)
	res := s.engine.DoOnce(r.Context(), cmd, once, reply)
	if res.Repeat {
		w.Header().Set("Idempotent-Replayed", "true")
	}
	return res
}
