package ledbar

import (
	"sync"

	"hallfloor/config"
	"hallfloor/devices/ledbar/ledsim"
	"hallfloor/errs"
)

// A controller at address "sim" is the simulator of package ledsim, run
// in-process on a port of its own, so the demo hall's bars show on
// /devices without a controller on the network.

// simulators are the simulated controllers running, by controller.
type simulators struct {
	mu     sync.Mutex
	byName map[string]*ledsim.Controller
}

func (s *simulators) add(name string, c *ledsim.Controller) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byName == nil {
		s.byName = map[string]*ledsim.Controller{}
	}
	s.byName[name] = c
}

// Sim is the simulated controller running for a controller at address
// "sim", once its driver runs; nil otherwise.
func (b *Bars) Sim(name string) *ledsim.Controller {
	b.sims.mu.Lock()
	defer b.sims.mu.Unlock()
	return b.sims.byName[name]
}

// address is where the controller is reached; for address "sim" it starts
// the simulator, which stop closes.
func (c *controller) address() (addr string, stop func(), err error) {
	if c.cfg.Address != config.Sim {
		return c.cfg.Address, func() {}, nil
	}
	sim, err := ledsim.Start("127.0.0.1:0", c.enc)
	if err != nil {
		return "", nil, errs.Wrap(err, "starting the simulated LED controller")
	}
	c.all.sims.add(c.cfg.Name, sim)
	return sim.Addr(), func() { sim.Close() }, nil
}
