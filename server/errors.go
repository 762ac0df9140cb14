package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"hallfloor/errs"
)

// status maps an error kind to its one HTTP status.
var status = map[errs.Kind]int{
	errs.Invalid:      http.StatusBadRequest,
	errs.Unauthorized: http.StatusUnauthorized,
	errs.Forbidden:    http.StatusForbidden,
	errs.NotFound:     http.StatusNotFound,
	errs.Conflict:     http.StatusConflict,
	errs.Internal:     http.StatusInternalServerError,
}

type errorBody struct {
	Error struct {
		Code    errs.Kind `json:"code"`
		Message string    `json:"message"`
		Field   string    `json:"field,omitempty"`
	} `json:"error"`
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var e *errs.Error
	if !errors.As(err, &e) {
		e = errs.Wrap(err, "unexpected failure")
	}
	var b errorBody
	b.Error.Code, b.Error.Message, b.Error.Field = e.Kind, e.Message, e.Field
	if e.Kind == errs.Internal {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
		b.Error.Message = "the server could not do this; nothing was changed, please try again"
	}
	writeJSON(w, status[e.Kind], b)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":{"code":"internal","message":"encode"}}`, http.StatusInternalServerError)
		return
	}
	writeRaw(w, code, b)
}

func writeRaw(w http.ResponseWriter, code int, b []byte) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	w.Write(b)
	w.Write([]byte("\n"))
}

// maxBody bounds a request body; no command of the hall needs more.
const maxBody = 64 << 10

// decode reads a JSON body strictly: an unknown field or a wrong type is an
// invalid request that names the field. An empty body decodes as {}.
func decode(r *http.Request, v any) error {
	dec := json.NewDecoder(io.LimitReader(r.Body, maxBody))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err == nil {
		// A second value after the first would be silently ignored, and
		// the request done on half of what was sent.
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return errs.E(errs.Invalid, "the body must hold one JSON object and nothing after it")
		}
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return errs.E(errs.Invalid, "the body must be a JSON object")
		}
		return errs.Field(te.Field, "%s must be a %s", te.Field, te.Type.String())
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		f := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		return errs.Field(f, "unknown field %q", f)
	}
	return errs.E(errs.Invalid, "the body is not valid JSON: %v", err)
}
