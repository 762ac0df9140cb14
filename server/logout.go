package server

import (
	"net/http"
	"sync"

	"hallfloor/config"

	"hallfloor/hall"
	"hallfloor/room"
	"hallfloor/session"
)

// signoffs is the edge's copy of the sign-offs' room (package session): per
// member of staff, the last sign-off a token must come after to be good.
// The journal is its record; this copy, read once at start and kept up from
// every commit, only spares each staff request a trip to the engine.
type signoffs struct {
	mu   sync.RWMutex
	last map[string]uint64
}

func newSignoffs(st *session.State) *signoffs {
	s := &signoffs{last: map[string]uint64{}}
	if st != nil {
		for staff, seq := range st.Last {
			s.last[staff] = seq
		}
	}
	return s
}

// of is staff's last sign-off, 0 for none; a nil copy knows none.
func (s *signoffs) of(staff string) uint64 {
	if s == nil {
		return 0
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.last[staff]
}

// note keeps the sign-offs among committed events.
func (s *signoffs) note(evs []room.Event) {
	for _, ev := range evs {
		if p, ok := ev.Data.(session.SignedOff); ok {
			s.mu.Lock()
			s.last[p.Staff] = max(s.last[p.Staff], ev.Seq)
			s.mu.Unlock()
		}
	}
}

// postLogout answers POST /api/v1/logout: the caller's sign-off, which
// ends every token they hold, on every terminal.
func (s *Server) postLogout(w http.ResponseWriter, r *http.Request, p Principal) {
	if p.Role == config.CityManager && s.auth.city != nil {
		writeJSON(w, http.StatusOK, s.auth.city.signOff(p.Staff)) // the city's, not the hall's to journal
		return
	}
	res := s.engine.Do(r.Context(), session.SignOff{Actor: actor(p)}, "", func(*hall.State, *hall.Setup, room.Outcome) any {
		return map[string]any{"staff": p.Staff, "signed_off": true}
	})
	if res.Err != nil {
		s.fail(w, r, res.Err)
		return
	}
	// Known here before the answer leaves, not only once the commit is
	// published: the next request with the old token is already refused.
	s.auth.ended.note(res.Events)
	writeRaw(w, http.StatusOK, res.Body)
}

// end is a sign-off of staff kept in memory alone: the city's, which has
// no journal of its own. Each ends every token signed before it.
func (s *signoffs) end(staff string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last[staff]++
}
