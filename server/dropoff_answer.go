package server

import (
	"encoding/json"
	"net/http"

	"hallfloor/errs"
	"hallfloor/locker"
)

// dropoffAnswer binds a sealed answer's code to its purpose.
const dropoffAnswer = "dropoff-answer"

type dropoffReply struct {
	Sealed []byte      `json:"sealed"`
	Case   string      `json:"case"`
	Size   locker.Size `json:"size"`
	SMS    bool        `json:"sms"`
}

// writeDropoff opens the code of a drop-off's answer, first or repeated.
func (s *Server) writeDropoff(w http.ResponseWriter, r *http.Request, body []byte) {
	var a dropoffReply
	if err := json.Unmarshal(body, &a); err != nil {
		s.fail(w, r, errs.Wrap(err, "read the drop-off answer"))
		return
	}
	env, _, err := s.lockers.sealer.OpenEnvelope(dropoffAnswer, a.Sealed)
	if err != nil {
		s.fail(w, r, errs.Wrap(err, "open the drop-off answer"))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusCreated, map[string]any{"code": env.Code, "case": a.Case, "size": a.Size, "sms": a.SMS})
}
