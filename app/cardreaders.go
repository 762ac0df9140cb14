package app

import (
	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/devices/cardreader"
	"hallfloor/devices/cardreader/cardsim"
	"hallfloor/server"
)

// openCardReaders puts the serial 居民身份证 readers of the kiosks and the
// locker panels among the devices: each read goes to the server, which
// holds it for the place's page. A reader on port sim is a simulated one
// on a pseudo-terminal pair, which the manager's simulator places cards
// on. A quiet hall (a simulation) reads no cards.
func (a *App) openCardReaders(devs *devices.Manager, srv *server.Server) error {
	if a.quiet {
		return nil
	}
	type reader struct {
		place string
		c     *config.CardReader
	}
	var readers []reader
	for _, k := range a.Hall.Devices.Kiosks {
		readers = append(readers, reader{"kiosk:" + k.ID, k.CardReader})
	}
	for _, b := range a.Hall.Devices.Lockers {
		readers = append(readers, reader{"locker:" + b.ID, b.CardReader})
	}
	for _, r := range readers {
		if !r.c.Serial() {
			continue // none, or a keyboard reader typing into its page
		}
		port := r.c.Port
		if port == config.Sim {
			sim, err := cardsim.Open()
			if err != nil {
				return err
			}
			a.closers = append(a.closers, sim.Close)
			srv.SimulatedCardReader(r.place, sim)
			port = sim.Path()
		}
		place := r.place
		dev := devs.AddPeripheral(devices.Health{Device: place + ":card_reader", Kind: "card_reader"})
		devs.AddDriver(cardreader.New(cardreader.Options{Device: dev, Open: cardreader.Serial(port, r.c.BaudRate()),
			Card: func(number string) { srv.CardRead(place, number) }}))
	}
	return nil
}
