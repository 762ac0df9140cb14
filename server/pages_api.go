package server

import (
	"net/http"

	"hallfloor/hall"
	"hallfloor/queue"
)

// The web pages' read-only extras: names a public view leaves out, and the
// day's figures per hour for the dashboard's chart.

// namesReply is every name of the hall in both languages, so a page can
// switch language without asking the server to word anything.
type namesReply struct {
	Hall struct {
		Name   string `json:"name"`
		NameEN string `json:"name_en"`
	} `json:"hall"`
	Services []nameEntry `json:"services"`
	Windows  []nameEntry `json:"windows"`
	// Lockers are the locker banks, each with its panel at /locker/{id}.
	Lockers []nameEntry `json:"lockers"`
	// PauseReasons are what the counter offers when a window pauses.
	PauseReasons []string `json:"pause_reasons"`
}

type nameEntry struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
}

// getNames answers GET /api/v1/hall/names.
func (s *Server) getNames(w http.ResponseWriter, r *http.Request) {
	var out namesReply
	out.Hall.Name, out.Hall.NameEN = s.hall.Hall.Name, s.hall.Hall.NameEN
	out.Services = make([]nameEntry, 0, len(s.hall.Services))
	for _, sv := range s.hall.Services {
		out.Services = append(out.Services, nameEntry{ID: sv.Code, Name: sv.Name, NameEN: sv.NameEN})
	}
	out.Windows = make([]nameEntry, 0, len(s.hall.Windows))
	for _, wd := range s.hall.Windows {
		out.Windows = append(out.Windows, nameEntry{ID: wd.ID, Name: wd.Name, NameEN: wd.NameEN})
	}
	out.Lockers = make([]nameEntry, 0, len(s.hall.Devices.Lockers))
	for _, b := range s.hall.Devices.Lockers {
		out.Lockers = append(out.Lockers, nameEntry{ID: b.ID, Name: b.Name})
	}
	out.PauseReasons = s.hall.Queue.Reasons()
	writeJSON(w, http.StatusOK, out)
}

// getHourly answers GET /api/v1/stats/hourly: today's tickets by the hour,
// as the queue counts them.
func (s *Server) getHourly(w http.ResponseWriter, r *http.Request) {
	var reply struct {
		Day   string            `json:"day"`
		Hours []queue.HourCount `json:"hours"`
	}
	err := s.engine.Read(r.Context(), func(st *hall.State, setup *hall.Setup) {
		reply.Day, reply.Hours = st.Day(), st.Queue.Hourly(setup.Queue)
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply)
}
