// Package server is hallfloor's HTTP edge: the JSON API, the WebSocket, the
// metrics and the web pages. It translates requests into the engine's
// commands and the state into answers; the hall's rules live in queue.
package server

import (
	"context"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/go-chi/chi/v5/middleware"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/display"
	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/figures"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/queue"
	"hallfloor/room"
	"hallfloor/server/ws"
	"hallfloor/uploads"
)

// Options wire a server.
type Options struct {
	Engine *engine.Engine
	Hall   *config.Hall
	Keys   Keys
	Logger *slog.Logger
	Clock  func() time.Time
	// Pages serves the web faces; mounted under / when set.
	Pages http.Handler
	// Backlog seeds the WebSocket resume buffer (the journal's tail).
	Backlog []journal.Record
	// Devices are the hall's buttons, lamps and lockers; nil for none.
	Devices *devices.Manager
	// History is a reading handle on the journal, for reports.
	History journal.Journal
	// Figures are the recorded daily figures reports read; nil reads
	// every report from History's events.
	Figures *figures.Store
	// Uploads are the applicants' files of the 免跑腿信封, by content hash;
	// nil refuses uploads.
	Uploads *uploads.Store

	// For a hall of several nodes (see forward.go). Leader names the node
	// that writes the hall now ("" for none); set, the node passes its
	// commands there while its engine does not lead. Self is this node's
	// address as Leader names it, Nodes every node's, for the pages.
	// Epoch is the journal's identity, which the screens' snapshots and
	// resumes carry.
	Leader func(ctx context.Context) (string, error)
	Self   string
	Nodes  []string
	Epoch  string

	// WhatIf runs the managers' what-ifs of a roster; nil answers them
	// not found.
	WhatIf WhatIf

	// City is the sign-in of the city's managers when the hall is one of
	// a city's (see city.go): their tokens are good here too.
	City *CitySignIn
}

// Server is the HTTP edge of one hall.
type Server struct {
	engine  *engine.Engine
	hall    *config.Hall
	view    *display.Hall
	auth    *auth
	idKey   []byte
	hub     *ws.Hub
	metrics *metrics
	log     *slog.Logger
	clock   func() time.Time
	router  chi.Router
	devices *devices.Manager
	cards   *cardDesk
	lockers *lockerAPI
	limits  *limits
	// shown is the seq of the newest event sent to screens (see frame).
	shown uint64
	// snap is the latest snapshot sent to a joining screen (see snapshot).
	snap snapshotCache

	historyJournal journal.Journal
	figures        *figures.Store
	uploads        *uploads.Store

	leader func(ctx context.Context) (string, error)
	self   string
	nodes  []string
	epoch  string
	// origins are the nodes' own, whose pages may call this node's API
	// (node_origins.go); none for a hall on one node.
	origins []string
	// nodeKey signs the nodes' device commands (device_commands.go).
	nodeKey []byte
	nonces  nonces

	whatIf WhatIf
	// whatIfSlot holds the one what-if the server runs at a time.
	whatIfSlot chan struct{}
}

// New builds a server and subscribes it to the engine's events. Call before
// the engine runs.
func New(o Options) (*Server, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Clock == nil {
		o.Clock = time.Now
	}
	names := map[string]string{}
	for _, st := range o.Hall.Staff {
		names[st.ID] = st.Name
	}
	s := &Server{
		engine: o.Engine,
		hall:   o.Hall,
		view: &display.Hall{ID: o.Hall.Hall.ID, Name: o.Hall.Hall.Name, NameEN: o.Hall.Hall.NameEN,
			Setup: o.Engine.Setup(), StaffNames: names, Clock: o.Clock},
		auth:    &auth{key: o.Keys.Token, hall: o.Hall, now: o.Clock},
		idKey:   o.Keys.ID,
		metrics: newMetrics(),
		log:     o.Logger,
		clock:   o.Clock,
		devices: o.Devices,
		cards:   newCardDesk(),

		historyJournal: o.History,
		figures:        o.Figures,
		uploads:        o.Uploads,

		leader: o.Leader, self: o.Self, nodes: o.Nodes, epoch: o.Epoch,
		whatIf: o.WhatIf, whatIfSlot: make(chan struct{}, 1),
	}
	if o.Leader != nil {
		s.origins = nodeOrigins(o.Self, o.Nodes)
		s.nodeKey = o.Keys.Node
	}
	backlog, err := s.frames(o.Backlog)
	if err != nil {
		return nil, err
	}
	if o.City != nil {
		s.auth.city = o.City.auth
	}
	if s.lockers, err = newLockerAPI(o.Keys, o.Hall); err != nil {
		return nil, err
	}
	if s.limits, err = newLimits(o.Hall.Server); err != nil {
		return nil, err
	}
	if err := o.Engine.Read(context.Background(), func(st *hall.State, _ *hall.Setup) {
		s.auth.ended = newSignoffs(st.Sessions)
	}); err != nil {
		return nil, err
	}
	s.hub = ws.NewHub(ws.Options{
		Snapshot: s.snapshot, Origins: o.Hall.Server.AllowedOrigins,
		Logger: o.Logger, Stats: s.metrics, Backlog: backlog, Epoch: o.Epoch,
	})
	o.Engine.Subscribe(s.publish)
	o.Engine.ObserveCommits(s.metrics.commitObserver)
	s.router = s.routes(o.Pages)
	return s, nil
}

// View is the display of this hall, for the web pages.
func (s *Server) View() *display.Hall { return s.view }

// Hub is the WebSocket hub.
func (s *Server) Hub() *ws.Hub { return s.hub }

// Close disconnects the WebSocket clients.
func (s *Server) Close() { s.hub.Close() }

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

func (s *Server) routes(pages http.Handler) chi.Router {
	r := chi.NewRouter()
	r.Use(middleware.Recoverer)
	r.Use(s.sayZone, s.nodePages)
	r.Get("/healthz", s.getHealth)
	r.Handle("/metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	r.Handle("/ws", s.hub)
	r.Get("/api/openapi.json", serveOpenAPI)
	r.Get("/devices", s.getDevicesPage)
	r.Post(DeviceCommandPath, s.postDeviceCommand)
	s.lockerPages(r)
	// The envelope's upload is a multipart form, not JSON: it is no
	// cross-site risk, since only the envelope's unguessable token, never a
	// sign-in, lets it through.
	r.Post("/api/v1/envelopes/{token}/uploads", s.limitEnvelopes(s.postEnvelopeUpload))
	r.Route("/api/v1", func(r chi.Router) {
		r.Use(s.nodeCORS, s.forward, s.jsonBodies, s.idempotent)
		r.Get("/hall", s.getHall)
		r.Get("/nodes", s.getNodes)
		r.Get("/alerts", s.getAlerts)
		r.Get("/forecast", s.withStaff(s.getForecast))
		r.Get("/hall/names", s.getNames)
		r.Get("/stats/hourly", s.getHourly)
		r.Post("/login", s.postLogin)
		r.Post("/logout", s.withStaff(s.postLogout))
		r.Post("/tickets", s.postTicket)
		r.Get("/tickets/{id}", s.getTicket)
		r.Post("/tickets/{id}/cancel", s.asHolder(s.postCancel))
		r.Post("/tickets/{id}/requeue", s.withStaff(s.postRequeue))
		r.Post("/tickets/requeue", s.withStaff(s.postRequeueByNumber))
		r.Get("/windows/{id}", s.getWindow)
		r.Get("/windows/{id}/led", s.getWindowLED)
		s.deviceRoutes(r)
		s.cardReaderRoutes(r)
		s.managerRoutes(r)
		s.lockerRoutes(r)
		s.consultRoutes(r)
		s.bookingRoutes(r)
		s.caseRoutes(r)
		s.envelopeRoutes(r)
		s.whatIfRoutes(r)
		for action, build := range windowActions {
			r.Post("/windows/{id}/"+action, s.withStaff(s.windowAction(build)))
		}
		r.NotFound(func(w http.ResponseWriter, r *http.Request) {
			s.fail(w, r, errs.R(errs.NotFound, "no_api", "method", r.Method, "path", r.URL.Path))
		})
		r.MethodNotAllowed(func(w http.ResponseWriter, r *http.Request) {
			s.fail(w, r, errs.R(errs.Invalid, "method_not_allowed", "method", r.Method, "path", r.URL.Path))
		})
	})
	if pages != nil {
		s.windowPages(r, pages)
		r.Mount("/", pages)
	}
	return r
}

// getHealth is ok while the hall can acknowledge what it is asked; 503
// with the reason when it cannot (its journal is gone), so a supervisor or
// load balancer stops sending it work. Not logged: pages poll it.
func (s *Server) getHealth(w http.ResponseWriter, r *http.Request) {
	if err := s.engine.Health(); err != nil {
		e, ok := errs.As(err)
		if !ok {
			e = errs.Wrap(err, "health")
		}
		writeJSON(w, http.StatusServiceUnavailable, struct {
			Status string    `json:"status"`
			Error  errorJSON `json:"error"`
		}{"failing", refusalJSON(e)})
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// ZoneHeader names the hall's time zone on every answer, so a page shows
// its times in the hall's zone whatever the zone of its browser.
const ZoneHeader = "X-Hall-Time-Zone"

func (s *Server) sayZone(next http.Handler) http.Handler {
	zone := s.location().String()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set(ZoneHeader, zone)
		next.ServeHTTP(w, r)
	})
}

// publish sends a committed batch to the WebSocket clients and the metrics.
// It runs in the engine's writer, so it sees the state the batch led to.
func (s *Server) publish(st *hall.State, evs []room.Event) {
	s.metrics.observe(st, evs)
	s.auth.ended.note(evs)
	frames := make([]ws.Frame, 0, len(evs))
	for _, ev := range evs {
		f, err := s.frame(st, ev)
		if err != nil {
			s.log.Error("encode event", "seq", ev.Seq, "err", err)
			continue
		}
		frames = append(frames, f)
	}
	s.hub.Publish(frames)
}

// frames encodes journal records for the resume buffer. Counts and window
// views in them are those of now, which is what a resuming screen needs.
func (s *Server) frames(recs []journal.Record) ([]ws.Frame, error) {
	if len(recs) == 0 {
		return nil, nil
	}
	var out []ws.Frame
	err := s.engine.Read(context.Background(), func(st *hall.State, _ *hall.Setup) {
		for _, r := range recs {
			ev, err := engine.DecodeRecord(r)
			if err != nil {
				continue
			}
			if f, err := s.frame(st, ev); err == nil {
				out = append(out, f)
			}
		}
	})
	return out, err
}

// snapshotReuse is how long, on the hall's clock, screens joining at one
// seq share one encoded snapshot. The view also says what depends on the
// time alone (the longest wait, alerts, when issuing opens), so a screen
// joining later than this gets it afresh even when nothing has happened.
const snapshotReuse = time.Second

// snapshotCache is the newest snapshot message and the seq and time it
// was built at.
type snapshotCache struct {
	mu  sync.Mutex
	seq uint64
	at  time.Time
	msg []byte
}

// snapshot builds the first WebSocket message. A crowd of screens joining
// at one seq (after a restart, say) shares one encoding: the state is
// viewed and marshalled once, not once per screen.
func (s *Server) snapshot() (uint64, []byte, error) {
	var seq uint64
	var b []byte
	var err error
	rerr := s.engine.Read(context.Background(), func(st *hall.State, _ *hall.Setup) {
		now := s.clock()
		c := &s.snap
		c.mu.Lock()
		defer c.mu.Unlock()
		if age := now.Sub(c.at); c.msg != nil && c.seq == st.Seq && age >= 0 && age < snapshotReuse {
			seq, b = c.seq, c.msg
			return
		}
		v := s.view.View(st, now)
		seq = v.Seq
		if b, err = ws.EncodeSnapshotOf(v.Seq, s.epoch, v); err == nil {
			c.seq, c.at, c.msg = seq, now, b
		}
	})
	if rerr != nil {
		return 0, nil, rerr
	}
	return seq, b, err
}

// read answers a GET from the committed state: fn runs inside the engine's
// writer and returns the answer, or an error to send instead.
func (s *Server) read(w http.ResponseWriter, r *http.Request, fn func(st *hall.State, setup *hall.Setup) (any, error)) {
	var v any
	var ferr error
	if err := s.engine.Read(r.Context(), func(st *hall.State, setup *hall.Setup) { v, ferr = fn(st, setup) }); err != nil {
		s.fail(w, r, err)
		return
	}
	if ferr != nil {
		s.fail(w, r, ferr)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

func (s *Server) getHall(w http.ResponseWriter, r *http.Request) {
	s.read(w, r, func(st *hall.State, _ *hall.Setup) (any, error) { return s.view.View(st, s.clock()), nil })
}

// getAlerts is what every dashboard flags now, decided here once.
func (s *Server) getAlerts(w http.ResponseWriter, r *http.Request) {
	s.read(w, r, func(st *hall.State, _ *hall.Setup) (any, error) {
		return map[string]any{"alerts": s.view.Alerts(st, s.clock())}, nil
	})
}

// getForecast is each service's next two hours as the dashboard charts
// them: for the staff, who decide who opens a window.
func (s *Server) getForecast(w http.ResponseWriter, r *http.Request, _ Principal) {
	s.read(w, r, func(st *hall.State, setup *hall.Setup) (any, error) {
		return map[string]any{"services": hall.ForecastAt(st, setup, s.clock()), "target_s": int(setup.Alerts.WaitTarget.Seconds())}, nil
	})
}

// signInBody is a sign-in's request: the staff number and password.
type signInBody struct {
	Staff    string `json:"staff"`
	Password string `json:"password"`
}

// decodeSignIn reads a sign-in's request, which names its staff number.
func decodeSignIn(r *http.Request) (signInBody, error) {
	var body signInBody
	if err := decode(r, &body); err != nil {
		return body, err
	}
	if body.Staff == "" {
		return body, errs.Bad("staff", "staff_needed")
	}
	return body, nil
}

func (s *Server) postLogin(w http.ResponseWriter, r *http.Request) {
	body, err := decodeSignIn(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	src, ok := s.admitSignin(w, r)
	if !ok {
		return
	}
	tok, err := s.auth.login(body.Staff, body.Password, src.key())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	st := s.hall.FindStaff(body.Staff)
	writeJSON(w, http.StatusOK, map[string]string{
		"token": tok, "staff": st.ID, "name": st.Name, "role": string(st.Role),
	})
}

var phoneRE = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

func (s *Server) postTicket(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Service  string `json:"service"`
		IDNumber string `json:"id_number"`
		Card     string `json:"card"` // a card reader's token, instead of id_number
		Phone    string `json:"phone"`
		Priority bool   `json:"priority"`
	}
	// Staff (a guide at the door, a clerk) may be signed in; the hall
	// decides what they may issue. A sign-in that is sent must be good.
	who, staff, err := s.auth.maybePrincipal(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !staff && !s.admitIssue(w, r) {
		return // staff are not limited as anonymous callers are
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}

	cmd := queue.IssueTicket{Service: strings.ToUpper(strings.TrimSpace(body.Service)), Priority: body.Priority, Actor: actor(who)}
	if cmd.Service == "" {
		s.fail(w, r, errs.Bad("service", "service_needed"))
		return
	}
	if err := s.issueHolder(&cmd, body.IDNumber, body.Card); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Phone != "" {
		cmd.Phone = strings.TrimSpace(body.Phone)
		if !phoneRE.MatchString(cmd.Phone) {
			s.fail(w, r, errs.Bad("phone", "bad_phone"))
			return
		}
	}
	issue, err := s.reminders(cmd)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.do(w, r, http.StatusCreated, issue, s.issueReply)
}

// ticketReply answers with the ticket a command concerned.
func (s *Server) ticketReply(st *hall.State, _ *hall.Setup, out room.Outcome) any {
	return s.view.Ticket(st, st.Queue.Tickets[out.Ticket])
}

func (s *Server) getTicket(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	s.read(w, r, func(st *hall.State, _ *hall.Setup) (any, error) {
		t := st.Queue.Tickets[id]
		if t == nil {
			return nil, errs.R(errs.NotFound, "no_ticket", "ticket", id)
		}
		return s.view.Ticket(st, t), nil
	})
}

func (s *Server) postCancel(w http.ResponseWriter, r *http.Request) {
	s.do(w, r, http.StatusOK, queue.CancelTicket{Ticket: chi.URLParam(r, "id")}, s.ticketReply)
}

func (s *Server) postRequeue(w http.ResponseWriter, r *http.Request, p Principal) {
	s.do(w, r, http.StatusOK, queue.Requeue{Ticket: chi.URLParam(r, "id"), Actor: actor(p)}, s.ticketReply)
}

// windowReply is the answer to a window action: the ticket it concerned (or
// null) and the window as it now is.
func (s *Server) windowReply(window string) engine.ReplyFunc {
	return func(st *hall.State, _ *hall.Setup, out room.Outcome) any {
		var reply struct {
			Ticket   *display.TicketView `json:"ticket"`
			Window   display.WindowView  `json:"window"`
			UndoSkip *display.UndoView   `json:"undo_skip"`
		}
		if t := st.Queue.Tickets[out.Ticket]; t != nil {
			v := s.view.Ticket(st, t)
			reply.Ticket = &v
		}
		reply.Window, _ = s.view.Window(st, window)
		reply.UndoSkip = s.view.SkipUndo(st, window, s.clock())
		return reply
	}
}

// getWindow answers a window and what it would call next. A waiting
// ticket's id lets whoever holds it read the ticket, and it becomes public
// only when the ticket is called; so the public answer lists the waiting
// by number and wait alone, and only signed-in staff (the counter) get
// their ids.
func (s *Server) getWindow(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	_, staff, err := s.auth.maybePrincipal(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.read(w, r, func(st *hall.State, _ *hall.Setup) (any, error) {
		v, ok := s.view.Window(st, id)
		if !ok {
			return nil, errs.R(errs.NotFound, "no_window", "window", id)
		}
		now := s.clock()
		waiting := s.view.WaitingList(st, id, now, 50)
		undo, targets := s.view.SkipUndo(st, id, now), s.view.TransferTargets(st, id)
		if staff {
			return struct {
				display.WindowView
				Queue      []display.TicketView     `json:"queue"`
				UndoSkip   *display.UndoView        `json:"undo_skip"`
				TransferTo []display.TransferTarget `json:"transfer_to"`
			}{v, waiting, undo, targets}, nil
		}
		public := make([]waitingTicket, len(waiting))
		for i, t := range waiting {
			public[i] = waitingTicket{TicketView: t}
		}
		return struct {
			display.WindowView
			Queue      []waitingTicket          `json:"queue"`
			UndoSkip   *display.UndoView        `json:"undo_skip"`
			TransferTo []display.TransferTarget `json:"transfer_to"`
		}{v, public, undo, targets}, nil
	})
}

// waitingTicket is a waiting ticket as anyone may see it: its id, which
// the outer field shadows, is left out.
type waitingTicket struct {
	display.TicketView
	ID string `json:"id,omitempty"`
}

// getWindowLED is the text for the LED bar over a window, split to its
// width in cells (?width=, default 16: a 64×16 bar of eight characters).
func (s *Server) getWindowLED(w http.ResponseWriter, r *http.Request) {
	id := chi.URLParam(r, "id")
	width := 16
	if v := r.URL.Query().Get("width"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 4 || n > 512 {
			s.fail(w, r, errs.Bad("width", "led_width"))
			return
		}
		width = n
	}
	s.read(w, r, func(st *hall.State, _ *hall.Setup) (any, error) {
		v, ok := s.view.Window(st, id)
		if !ok {
			return nil, errs.R(errs.NotFound, "no_window", "window", id)
		}
		return display.WindowLED(v, width), nil
	})
}

// windowActions build the command for POST /api/v1/windows/{id}/{action}.
var windowActions = map[string]func(window string, a room.Actor, r *http.Request) (hall.Command, error){
	"open": func(w string, a room.Actor, r *http.Request) (hall.Command, error) {
		// A manager may name the clerk to sign on; the role is filled in
		// from the hall file by windowAction.
		var body struct {
			Staff string `json:"staff"`
		}
		err := decode(r, &body)
		return queue.OpenWindow{Window: w, Actor: a, For: room.Actor{Staff: strings.TrimSpace(body.Staff)}}, err
	},
	"close": func(w string, a room.Actor, _ *http.Request) (hall.Command, error) {
		return queue.CloseWindow{Window: w, Actor: a}, nil
	},
	"call": func(w string, a room.Actor, r *http.Request) (hall.Command, error) {
		// The ticket the clerk's screen shows as current ("" for none):
		// the hall refuses a call made on a stale screen.
		var body struct {
			Current string `json:"current"`
		}
		err := decode(r, &body)
		return queue.CallNext{Window: w, Actor: a, Current: body.Current}, err
	},
	"recall": func(w string, a room.Actor, _ *http.Request) (hall.Command, error) {
		return queue.Recall{Window: w, Actor: a}, nil
	},
	"skip": func(w string, a room.Actor, _ *http.Request) (hall.Command, error) {
		return queue.Skip{Window: w, Actor: a}, nil
	},
	"undo-skip": func(w string, a room.Actor, r *http.Request) (hall.Command, error) {
		var body struct {
			Ticket string `json:"ticket"`
		}
		err := decode(r, &body)
		return queue.UndoSkip{Window: w, Ticket: body.Ticket, Actor: a}, err
	},
	"force-signoff": func(w string, a room.Actor, _ *http.Request) (hall.Command, error) {
		return queue.ForceSignOff{Window: w, Actor: a}, nil
	},
	"finish": func(w string, a room.Actor, _ *http.Request) (hall.Command, error) {
		return queue.Finish{Window: w, Actor: a}, nil
	},
	"resume": func(w string, a room.Actor, _ *http.Request) (hall.Command, error) {
		return queue.Resume{Window: w, Actor: a}, nil
	},
	"pause": func(w string, a room.Actor, r *http.Request) (hall.Command, error) {
		var body struct {
			Reason string `json:"reason"`
		}
		err := decode(r, &body)
		return queue.Pause{Window: w, Actor: a, Reason: body.Reason}, err
	},
	"transfer": func(w string, a room.Actor, r *http.Request) (hall.Command, error) {
		var body struct {
			Service string `json:"service"`
			Window  string `json:"window"`
		}
		err := decode(r, &body)
		return queue.Transfer{Window: w, Actor: a, ToService: strings.ToUpper(body.Service), ToWindow: body.Window}, err
	},
}

func (s *Server) windowAction(build func(string, room.Actor, *http.Request) (hall.Command, error)) staffHandler {
	return func(w http.ResponseWriter, r *http.Request, p Principal) {
		id := chi.URLParam(r, "id")
		cmd, err := build(id, actor(p), r)
		if err == nil {
			cmd, err = s.withStaffRole(cmd)
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.do(w, r, http.StatusOK, cmd, s.windowReply(id))
	}
}

func actor(p Principal) room.Actor {
	return room.Actor{Staff: p.Staff, Role: room.Role(p.Role)}
}

type staffHandler func(http.ResponseWriter, *http.Request, Principal)

// withStaff admits only signed-in staff.
func (s *Server) withStaff(h staffHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p, err := s.auth.principal(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		h(w, r, p)
	}
}

// do runs a command through the engine and writes its answer; with an
// Idempotency-Key, a repeat gets the first answer (see idempotent).
func (s *Server) do(w http.ResponseWriter, r *http.Request, code int, cmd hall.Command, reply engine.ReplyFunc) {
	res := s.run(w, r, cmd, reply)
	if res.Err != nil {
		s.metrics.httpErrors.WithLabelValues(string(errs.KindOf(res.Err))).Inc()
		s.fail(w, r, res.Err)
		return
	}
	writeRaw(w, code, res.Body)
}
