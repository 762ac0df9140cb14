package server

import (
	"embed"
	"net/http"
	"net/url"

	"github.com/go-chi/chi/v5"

	"hallfloor/devices"
	"hallfloor/display"
	"hallfloor/equipment"
	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/locker"
	"hallfloor/room"
)

// The devices' face: their health for managers and screens, and, when the
// pins are simulated, the simulator's pins for the /devices page and tests.

// deviceFiles are the devices page and its own script and style; the
// shell they load is the hall's (see lockerPages).
//
//go:embed devices.html devices.js devices.css devices-printers.js
var deviceFiles embed.FS

var devicesPage = page(deviceFiles, "devices.html")

func (s *Server) deviceRoutes(r chi.Router) {
	r.Get("/devices", s.getDevices)
	r.Post("/devices/lockers/{bank}/{compartment}/unlock", s.withStaff(s.postUnlock))
	// The simulator presses call buttons, rates, opens locks and fakes door
	// sensors: a manager's bench, never a public one.
	r.Get("/sim/pins", s.simulator(s.getSimPins))
	r.Post("/sim/pins/{name}", s.simulator(s.postSimPin))
	r.Post("/sim/lockers/{bank}/{compartment}/unlock", s.simulator(s.postSimUnlock))
	s.simPrinterRoutes(r)
}

// getDevicesPage answers GET /devices, the installers' page, with the
// headers of every face.
func (s *Server) getDevicesPage(w http.ResponseWriter, r *http.Request) {
	devicesPage(w, r)
}

// deviceView is a device's live health and its last journaled report.
type deviceView struct {
	devices.Health
	// Said words the device's finding, and LastSaid its last activity's,
	// where they have one.
	Said     *display.Words    `json:"said,omitempty"`
	LastSaid *display.Words    `json:"last_said,omitempty"`
	Reported *equipment.Health `json:"reported,omitempty"`
}

// viewDevice is a device's health with its findings worded.
func viewDevice(h devices.Health) deviceView {
	v := deviceView{Health: h}
	if h.Finding != (equipment.Finding{}) {
		w := display.Finding(h.Finding)
		v.Said = &w
	}
	switch {
	case h.Last != nil && h.Last.Finding != nil:
		w := display.Finding(*h.Last.Finding)
		v.LastSaid = &w
	case h.Last != nil && h.Last.Refusal != nil:
		w := display.Refusal(h.Last.Refusal)
		w = display.Words{ZH: h.Last.Detail + "：" + w.ZH, EN: h.Last.Detail + ": " + w.EN}
		v.LastSaid = &w
	}
	return v
}

// getDevices answers GET /api/v1/devices. Device alarms are pushed to every
// screen anyway, so their health is as public as the hall board. Simulated
// says the pins are a simulator's, which the dashboard and /devices show;
// demo that the hall is the demo hall, whose sign-ins the devices page may
// offer.
func (s *Server) getDevices(w http.ResponseWriter, r *http.Request) {
	reply := struct {
		Simulated bool         `json:"simulated"`
		Demo      bool         `json:"demo"`
		Devices   []deviceView `json:"devices"`
	}{Demo: s.hall.Hall.Demo, Devices: []deviceView{}}
	if s.devices == nil {
		writeJSON(w, http.StatusOK, reply)
		return
	}
	reply.Simulated = s.devices.Simulated()
	for _, h := range s.devices.Health() {
		reply.Devices = append(reply.Devices, viewDevice(h))
	}
	err := s.engine.Read(r.Context(), func(st *hall.State, _ *hall.Setup) {
		for i := range reply.Devices {
			if h := st.Equipment.Devices[reply.Devices[i].Device]; h != nil {
				c := *h
				reply.Devices[i].Reported = &c
			}
		}
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

// postUnlock lets a manager release a compartment's lock (maintenance, a
// stuck item): POST /api/v1/devices/lockers/{bank}/{compartment}/unlock.
func (s *Server) postUnlock(w http.ResponseWriter, r *http.Request, p Principal) {
	s.unlock(w, r, actor(p))
}

// unlock opens a compartment through the lockers, so the opening is
// journaled and its door is not taken for forced; the relay follows the
// journaled release.
func (s *Server) unlock(w http.ResponseWriter, r *http.Request, by room.Actor) {
	if s.devices == nil {
		s.fail(w, r, errs.R(errs.NotFound, "no_devices"))
		return
	}
	bank, box := chi.URLParam(r, "bank"), chi.URLParam(r, "compartment")
	res := s.run(w, r, locker.Open{Comp: locker.Key(bank, box), Actor: by}, nil)
	if res.Err != nil {
		s.fail(w, r, res.Err)
		return
	}
	writeJSON(w, http.StatusAccepted, map[string]string{"bank": bank, "compartment": box, "status": "pulsed"})
}

// simHandler is a simulator endpoint: the simulator and who drives it.
type simHandler func(http.ResponseWriter, *http.Request, devices.Simulator, Principal)

// simulator admits a signed-in manager to the simulator. Its endpoints
// exist only where the pins are simulated (404 where they are real); there,
// in the demo hall too, a press on them is a call, a rating or an opened
// door, so nobody else may make one.
func (s *Server) simulator(h simHandler) http.HandlerFunc {
	manager := s.withManager(func(w http.ResponseWriter, r *http.Request, p Principal) {
		h(w, r, s.devices.Sim(), p)
	})
	return func(w http.ResponseWriter, r *http.Request) {
		if s.devices == nil || s.devices.Sim() == nil {
			s.fail(w, r, errs.R(errs.NotFound, "devices_not_simulated"))
			return
		}
		manager(w, r)
	}
}

// getSimPins answers GET /api/v1/sim/pins: every simulated pin, its role and level.
func (s *Server) getSimPins(w http.ResponseWriter, r *http.Request, sim devices.Simulator, _ Principal) {
	writeJSON(w, http.StatusOK, sim.Pins())
}

// postSimPin answers POST /api/v1/sim/pins/{name} {"level":"low"|"high"}:
// the level arrives at the pin as an edge, and the pin's watcher debounces it
// like any other, so the answer says what was sent, not what it caused.
func (s *Server) postSimPin(w http.ResponseWriter, r *http.Request, sim devices.Simulator, _ Principal) {
	name, err := url.PathUnescape(chi.URLParam(r, "name"))
	if err != nil {
		s.fail(w, r, errs.Bad("name", "bad_pin_name"))
		return
	}
	var body struct {
		Level string `json:"level"`
	}
	if err := decode(r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	level, ok := devices.ParseLevel(body.Level)
	if !ok {
		s.fail(w, r, errs.Bad("level", "bad_level"))
		return
	}
	if err := sim.Drive(name, level); err != nil {
		s.fail(w, r, err)
		return
	}
	p, _ := sim.Pin(name)
	writeJSON(w, http.StatusAccepted, map[string]any{"name": name, "level": body.Level, "role": p.Role})
}

// postSimUnlock lets the devices page pulse a simulated lock, journaled as
// the signed-in manager's maintenance release.
func (s *Server) postSimUnlock(w http.ResponseWriter, r *http.Request, _ devices.Simulator, p Principal) {
	s.unlock(w, r, actor(p))
}
