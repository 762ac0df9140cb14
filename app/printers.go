package app

import (
	"fmt"

	"hallfloor/config"
	"hallfloor/devices"
	"hallfloor/devices/escpos"
	"hallfloor/devices/escpos/escposim"
	"hallfloor/server"
)

// openPrinters makes the driver of each kiosk's slip printer, run with the
// devices. A printer at "sim" is the fake printer of escposim, started here
// on a port of its own on this machine, so the demo hall prints.
func (a *App) openPrinters(d config.Devices, devs *devices.Manager, o *server.Options) error {
	o.Printers, o.SimPrinters = map[string]server.SlipPrinter{}, map[string]*escposim.Printer{}
	if a.quiet {
		return nil // no driver runs beside the writer alone
	}
	for _, k := range d.Kiosks {
		if k.Printer == nil {
			continue
		}
		addr := k.Printer.Address
		if addr == config.Sim {
			fake, err := escposim.Listen("127.0.0.1:0")
			if err != nil {
				return fmt.Errorf("kiosk %s: the simulated printer: %w", k.ID, err)
			}
			a.closers = append(a.closers, fake.Close)
			a.fakePrinters = append(a.fakePrinters, SimPrinter{Kiosk: k.ID, Printer: fake})
			o.SimPrinters[k.ID] = fake
			addr = fake.Addr()
		}
		pe := devs.AddPeripheral(devices.Health{Device: "kiosk:" + k.ID + ":printer", Kind: "printer"})
		p, err := escpos.New(escpos.Options{Address: addr, Dots: k.Printer.Dots, Encoding: k.Printer.Encoding, Peripheral: pe})
		if err != nil {
			return fmt.Errorf("kiosk %s: %w", k.ID, err)
		}
		devs.AddDriver(p)
		o.Printers[k.ID] = p
	}
	return nil
}

// SimPrinter is a kiosk's simulated slip printer.
type SimPrinter struct {
	Kiosk   string
	Printer *escposim.Printer
}

// SimPrinters are the simulated slip printers the hall runs, for the
// tests and the demo to read what they printed and give them faults.
func (a *App) SimPrinters() []SimPrinter { return a.fakePrinters }
