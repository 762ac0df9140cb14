package server

import (
	"context"
	"math"
	"net/http"
	"time"

	"hallfloor/config"
	"hallfloor/display"
	"hallfloor/errs"
	"hallfloor/frontend"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/rating"
)

// CitySignIn is the sign-in of a city's managers: one key of the city's,
// its tokens good at the city's level and, as role city_manager, in every
// hall of the city (see auth.city).
type CitySignIn struct{ auth *auth }

// NewCitySignIn signs the city's managers in with key. Their sign-offs are
// kept in memory, the city having no journal: a restart of the city
// forgives them, and a token signed off before it is good again until it
// expires (16 hours after its sign-in).
func NewCitySignIn(c *config.City, key []byte) *CitySignIn {
	return &CitySignIn{auth: &auth{key: key, hall: c.SignInHall(), now: time.Now, ended: &signoffs{last: map[string]uint64{}}}}
}

// signOff ends every token of a city manager, at the city and in its halls.
func (c *auth) signOff(staff string) map[string]any {
	c.ended.end(staff)
	return map[string]any{"staff": staff, "signed_off": true}
}

// CityOptions wire a city: its file and its halls' servers, in order.
type CityOptions struct {
	City   *config.City
	SignIn *CitySignIn
	Halls  []*Server
	Clock  func() time.Time
}

// City serves a city's halls, each under /h/{hall id}/ as it would serve
// alone at /, and the city's own level: the managers' sign-in, the list of
// halls (GET /api/v1/city) and its page (/city).
type City struct {
	city   *config.City
	signIn *CitySignIn
	halls  []*Server
	byID   map[string]*Server
	clock  func() time.Time
	mux    *http.ServeMux
}

// NewCity builds the city's handler.
func NewCity(o CityOptions) *City {
	if o.Clock == nil {
		o.Clock = time.Now
	}
	c := &City{city: o.City, signIn: o.SignIn, halls: o.Halls, byID: map[string]*Server{}, clock: o.Clock, mux: http.NewServeMux()}
	for _, s := range o.Halls {
		c.byID[s.hall.Hall.ID] = s
	}
	pages := frontend.Handler()
	c.mux.HandleFunc("GET /healthz", c.getHealth)
	// The city's sign-in is refused a cross-site form as a hall's is.
	jsonOnly := o.Halls[0].jsonBodies
	c.mux.Handle("POST /api/v1/login", jsonOnly(http.HandlerFunc(c.postLogin)))
	c.mux.Handle("POST /api/v1/logout", jsonOnly(http.HandlerFunc(c.postLogout)))
	c.mux.HandleFunc("GET /api/v1/city", c.getCity)
	c.mux.Handle("GET /city", frontend.CityPage())
	c.mux.Handle("GET /static/", pages)
	c.mux.Handle("GET /qr", pages)
	c.mux.Handle("/h/{hall}/", http.HandlerFunc(c.toHall))
	c.mux.Handle("GET /{$}", http.RedirectHandler("/city", http.StatusSeeOther))
	c.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		c.fail(w, r, errs.R(errs.NotFound, "no_api", "method", r.Method, "path", r.URL.Path))
	})
	return c
}

func (c *City) ServeHTTP(w http.ResponseWriter, r *http.Request) { c.mux.ServeHTTP(w, r) }

// Close disconnects every hall's screens.
func (c *City) Close() {
	for _, s := range c.halls {
		s.Close()
	}
}

// toHall hands a request under /h/{hall id}/ to the hall, which answers it
// as it answers at / when alone: the same routes, pages and WebSocket.
func (c *City) toHall(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("hall")
	s := c.byID[id]
	if s == nil {
		c.fail(w, r, errs.R(errs.NotFound, "no_hall", "hall", id))
		return
	}
	http.StripPrefix(HallPath(id), s).ServeHTTP(w, r)
}

// HallPath is where a hall of a city is served: its pages and API are
// under it.
func HallPath(id string) string { return "/h/" + id }

// getHealth is ok while every hall can acknowledge what it is asked.
func (c *City) getHealth(w http.ResponseWriter, r *http.Request) {
	for _, s := range c.halls {
		if s.engine.Health() != nil {
			s.getHealth(w, r)
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (c *City) postLogin(w http.ResponseWriter, r *http.Request) {
	body, err := decodeSignIn(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	// The city's sign-ins are bounded per source as the first hall bounds
	// its own, behind the same trusted proxies.
	src, ok := c.halls[0].admitSignin(w, r)
	if !ok {
		return
	}
	tok, err := c.signIn.auth.login(body.Staff, body.Password, src.key())
	if err != nil {
		c.fail(w, r, err)
		return
	}
	st := c.signIn.auth.hall.FindStaff(body.Staff)
	writeJSON(w, http.StatusOK, map[string]string{"token": tok, "staff": st.ID, "name": st.Name, "role": string(st.Role)})
}

// postLogout signs a city manager off, everywhere in the city.
func (c *City) postLogout(w http.ResponseWriter, r *http.Request) {
	p, err := c.signIn.auth.verify(r)
	if err != nil {
		c.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c.signIn.auth.signOff(p.Staff))
}

func (c *City) fail(w http.ResponseWriter, r *http.Request, err error) {
	if len(c.halls) > 0 {
		c.halls[0].fail(w, r, err) // the refusals are worded alike in every hall
		return
	}
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

// CityHall is one hall as the city sees it now.
type CityHall struct {
	ID     string `json:"id"`
	Name   string `json:"name"`
	NameEN string `json:"name_en"`
	// Dashboard is the hall's own dashboard, where its manager (and the
	// city's, to read) sees the rest.
	Dashboard string `json:"dashboard"`
	Day       string `json:"day"`
	// Waiting is the number waiting in all; Services each line's, with
	// its longest wait.
	Waiting      int           `json:"waiting"`
	LongestWaitS int           `json:"longest_wait_s"`
	Services     []CityService `json:"services"`
	WindowsOpen  int           `json:"windows_open"`
	Windows      int           `json:"windows"`
	Issued       int           `json:"issued"`
	Served       int           `json:"served"`
	// Rated and Bad are today's ratings and 差评 of them; Satisfaction the
	// share of the rated not bad, null before the first rating.
	Rated        int                 `json:"rated"`
	Bad          int                 `json:"bad"`
	Satisfaction *float64            `json:"satisfaction"`
	Alerts       []display.AlertView `json:"alerts"`
	// Failing is why the hall cannot be read or cannot record now (its
	// journal lost, say), null while it can: the city's managers see a hall
	// that is down among the others, not a page that fails with it.
	Failing *errorJSON `json:"failing"`
}

// cityRead bounds how long the city waits for one hall's state: a hall
// whose writer is stuck shows as failing, the others as they are.
const cityRead = 2 * time.Second

// CityService is a service's line in a hall of the city.
type CityService struct {
	Code         string `json:"code"`
	Name         string `json:"name"`
	NameEN       string `json:"name_en"`
	Waiting      int    `json:"waiting"`
	LongestWaitS int    `json:"longest_wait_s"`
}

// getCity lists every hall's live load, windows, figures of the day and
// alerts, for the city's managers; each hall is read from its own state
// through its engine. A hall's manager is refused: the city is not theirs.
func (c *City) getCity(w http.ResponseWriter, r *http.Request) {
	if _, err := c.cityManager(r); err != nil {
		c.fail(w, r, err)
		return
	}
	out := struct {
		Name   string     `json:"name"`
		NameEN string     `json:"name_en"`
		Halls  []CityHall `json:"halls"`
	}{Name: c.city.City.Name, NameEN: c.city.City.NameEN, Halls: []CityHall{}}
	for _, s := range c.halls {
		ctx, cancel := context.WithTimeout(r.Context(), cityRead)
		h, err := c.hallNow(ctx, s)
		cancel()
		if err == nil {
			err = s.engine.Health()
		}
		if err != nil {
			id := s.hall.Hall.ID
			e, ok := errs.As(err)
			if !ok {
				e = errs.Wrap(err, "hall")
			}
			f := refusalJSON(e)
			h.ID, h.Name, h.NameEN, h.Dashboard, h.Failing = id, s.hall.Hall.Name, s.hall.Hall.NameEN, HallPath(id)+"/dashboard", &f
			if h.Services == nil {
				h.Services, h.Alerts = []CityService{}, []display.AlertView{}
			}
		}
		out.Halls = append(out.Halls, h)
	}
	writeJSON(w, http.StatusOK, out)
}

// cityManager is the city's manager a request comes from; a token of one
// of the halls' staff is known but refused.
func (c *City) cityManager(r *http.Request) (Principal, error) {
	p, err := c.signIn.auth.verify(r)
	if err == nil {
		return p, nil
	}
	for _, s := range c.halls {
		if _, herr := s.auth.verify(r); herr == nil {
			return Principal{}, errs.R(errs.Forbidden, "city_manager_only")
		}
	}
	return Principal{}, err
}

func (c *City) hallNow(ctx context.Context, s *Server) (CityHall, error) {
	var h CityHall
	err := s.engine.Read(ctx, func(st *hall.State, _ *hall.Setup) {
		now := c.clock()
		v := s.view.View(st, now)
		h = CityHall{ID: v.Hall.ID, Name: v.Hall.Name, NameEN: v.Hall.NameEN, Day: v.Hall.Day,
			Dashboard: HallPath(v.Hall.ID) + "/dashboard", Alerts: v.Alerts, Windows: len(v.Windows), Services: []CityService{}}
		for _, sv := range v.Services {
			h.Services = append(h.Services, CityService{Code: sv.Code, Name: sv.Name, NameEN: sv.NameEN, Waiting: sv.Waiting, LongestWaitS: sv.LongestWaitS})
			h.Waiting += sv.Waiting
			h.LongestWaitS = max(h.LongestWaitS, sv.LongestWaitS)
			h.Issued += sv.Issued
			h.Served += sv.Served
		}
		for _, wv := range v.Windows {
			if wv.State != queue.Closed {
				h.WindowsOpen++
			}
		}
		good := 0
		for _, lvl := range st.Ratings.Rated {
			h.Rated++
			if lvl <= rating.Bad {
				h.Bad++
			} else {
				good++
			}
		}
		if h.Rated > 0 {
			sat := math.Round(float64(good)/float64(h.Rated)*1000) / 1000
			h.Satisfaction = &sat
		}
	})
	return h, err
}
