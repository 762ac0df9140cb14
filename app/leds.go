package app

import (
	"hallfloor/devices"
	"hallfloor/devices/ledbar"
	"hallfloor/engine"
)

// addLEDs has the LED bars over the windows follow the hall: their
// controllers and bars are listed among the devices, which run their
// drivers, and every commit words each bar's line.
func addLEDs(o Options, eng *engine.Engine, devs *devices.Manager) error {
	leds, err := ledbar.New(ledbar.Options{Devices: o.Hall.Devices, Manager: devs, Hall: eng, Setup: eng.Setup(), Logger: o.Logger})
	if err != nil {
		return err
	}
	eng.Subscribe(leds.Observe)
	return nil
}
