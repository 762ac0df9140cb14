package server

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"hallfloor/display"
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
	errs.Busy:         http.StatusTooManyRequests,
	errs.Unavailable:  http.StatusServiceUnavailable,
}

type errorBody struct {
	Error errorJSON `json:"error"`
}

// errorJSON is the one shape of every refusal: the kind, the stable reason
// code and its arguments, the words for a person (Chinese in message,
// English in message_en, from display's one dictionary), and the field.
type errorJSON struct {
	Code      errs.Kind         `json:"code"`
	Reason    string            `json:"reason,omitempty"`
	Args      map[string]string `json:"args,omitempty"`
	Message   string            `json:"message"`
	MessageEN string            `json:"message_en"`
	Field     string            `json:"field,omitempty"`
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.failStatus(w, r, 0, err)
}

// failStatus is fail with an HTTP status other than the kind's own (415 for
// a body that is not JSON, 503 for a hall that cannot record); 0 keeps the
// kind's.
func (s *Server) failStatus(w http.ResponseWriter, r *http.Request, code int, err error) {
	e, ok := errs.As(err)
	if !ok {
		e = errs.Wrap(err, "unexpected failure")
	}
	if code == 0 {
		code = status[e.Kind]
	}
	if e.Kind == errs.Internal {
		s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if retry := e.Args["retry_s"]; retry != "" && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", retry)
	}
	writeJSON(w, code, errorBody{Error: refusalJSON(e)})
}

// refusalJSON is an error in the one shape of a refusal. An internal
// error's arguments stay in the log.
func refusalJSON(e *errs.Error) errorJSON {
	words := display.Refusal(e)
	b := errorJSON{Code: e.Kind, Reason: e.Reason, Args: e.Args, Message: words.ZH, MessageEN: words.EN, Field: e.Field}
	if e.Kind == errs.Internal {
		b.Args = nil
	}
	return b
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, `{"error":{"code":"internal","reason":"internal","message":"服务器出错","message_en":"encode"}}`, http.StatusInternalServerError)
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
			return errs.R(errs.Invalid, "body_one_object")
		}
		return nil
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		if te.Field == "" {
			return errs.R(errs.Invalid, "body_not_object")
		}
		return errs.Bad(te.Field, "field_type", "field", te.Field, "type", te.Type.String())
	}
	if msg := err.Error(); strings.HasPrefix(msg, "json: unknown field ") {
		f := strings.Trim(strings.TrimPrefix(msg, "json: unknown field "), `"`)
		return errs.Bad(f, "unknown_field", "field", f)
	}
	return &errs.Error{Kind: errs.Invalid, Reason: "body_not_json", Detail: err.Error()}
}
