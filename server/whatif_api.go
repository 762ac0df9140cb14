package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"hallfloor/errs"
)

// WhatIf runs a manager's what-ifs of a roster (hallfloor/whatif's
// Runner): Answer runs a day profile, its seed and a roster (hour →
// service → windows), or, smallest, searches for the smallest roster;
// Choices are what a roster may hold (the profiles, their hours, the
// services and the windows serving each). It lives outside the server
// because the simulator opens a hall of its own.
type WhatIf interface {
	Choices() any
	Answer(ctx context.Context, smallest bool, req WhatIfRequest) (any, error)
}

// WhatIfRequest is the body of POST /api/v1/whatif(/smallest).
type WhatIfRequest struct {
	Profile string                    `json:"profile"`
	Seed    uint64                    `json:"seed"`
	Roster  map[string]map[string]int `json:"roster"`
}

// whatIfTimeout bounds a what-if: a search simulates up to 30 days of a
// second or so each.
const whatIfTimeout = 2 * time.Minute

func (s *Server) whatIfRoutes(r chi.Router) {
	r.Get("/whatif", s.withHallManager(func(w http.ResponseWriter, r *http.Request, _ Principal) {
		if s.whatIf == nil {
			s.fail(w, r, errs.R(errs.NotFound, "whatif_off"))
			return
		}
		writeJSON(w, http.StatusOK, s.whatIf.Choices())
	}))
	r.Post("/whatif", s.withHallManager(s.postWhatIf(false)))
	r.Post("/whatif/smallest", s.withHallManager(s.postWhatIf(true)))
}

// postWhatIf runs one simulation at a time on the server: a day simulated
// takes a core for a second or more, and the hall's own work comes first.
func (s *Server) postWhatIf(smallest bool) staffHandler {
	return func(w http.ResponseWriter, r *http.Request, _ Principal) {
		if s.whatIf == nil {
			s.fail(w, r, errs.R(errs.NotFound, "whatif_off"))
			return
		}
		var body WhatIfRequest
		if err := decode(r, &body); err != nil {
			s.fail(w, r, err)
			return
		}
		select {
		case s.whatIfSlot <- struct{}{}:
			defer func() { <-s.whatIfSlot }()
		default:
			s.fail(w, r, errs.R(errs.Busy, "whatif_busy", "retry_s", "5"))
			return
		}
		ctx, cancel := context.WithTimeout(r.Context(), whatIfTimeout)
		defer cancel()
		a, err := s.whatIf.Answer(ctx, smallest, body)
		if errors.Is(err, context.DeadlineExceeded) {
			err = errs.R(errs.Unavailable, "whatif_timeout", "minutes", strconv.Itoa(int(whatIfTimeout.Minutes())))
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, a)
	}
}
