package server

import (
	"net/http"
	"time"

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
	out.PauseReasons = s.hall.Queue.Reasons()
	writeJSON(w, http.StatusOK, out)
}

// hourCount is one local hour of the day: numbers issued in it, tickets
// whose latest call fell in it, and services finished in it.
type hourCount struct {
	Hour     int `json:"hour"`
	Issued   int `json:"issued"`
	Called   int `json:"called"`
	Finished int `json:"finished"`
}

// getHourly answers GET /api/v1/stats/hourly: today's (the hall's local
// day) tickets counted by the hour they were issued, last called and
// finished, all 24 hours present so a chart needs no gaps filled.
func (s *Server) getHourly(w http.ResponseWriter, r *http.Request) {
	var reply struct {
		Day   string      `json:"day"`
		Hours []hourCount `json:"hours"`
	}
	reply.Hours = make([]hourCount, 24)
	for h := range reply.Hours {
		reply.Hours[h].Hour = h
	}
	err := s.engine.Read(r.Context(), func(st *hall.State, setup *hall.Setup) {
		reply.Day = st.Day()
		hour := func(t time.Time) (int, bool) {
			if t.IsZero() || setup.Queue.Day(t) != st.Day() {
				return 0, false
			}
			return t.In(setup.Location()).Hour(), true
		}
		for _, t := range st.Queue.Tickets {
			if h, ok := hour(t.IssuedAt); ok {
				reply.Hours[h].Issued++
			}
			if h, ok := hour(t.CalledAt); ok {
				reply.Hours[h].Called++
			}
			if h, ok := hour(t.FinishedAt); ok && t.Status == queue.Done {
				reply.Hours[h].Finished++
			}
		}
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply)
}
