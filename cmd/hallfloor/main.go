// Command hallfloor runs a government service hall's floor: the number
// queue, its screens and terminals, and its devices.
//
//	hallfloor serve [-addr :8080] [-data ./data] [-config hall.yaml | -city city.yaml] [-journal sqlite|redis://host:port/db]
//	hallfloor check -config hall.yaml
//	hallfloor hash-password
//	hallfloor backup -out DIR
//	hallfloor audit -month 2026-11 (-ticket A001 -day 2026-11-05 | -window 3)
//	hallfloor simulate [-config hall.yaml] [-profile normal] [-seed 1] [-out DIR]
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // halls run on Asia/Shanghai even where the system has no zoneinfo

	"golang.org/x/crypto/bcrypt"

	"hallfloor/app"
	"hallfloor/config"
	redisjournal "hallfloor/journal/redis"
	"hallfloor/simulate"
	"hallfloor/whatif"
)

func main() {
	if len(os.Args) < 2 {
		usage(os.Stderr)
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "serve":
		err = serve(os.Args[2:])
	case "check":
		err = check(os.Args[2:], os.Stdout)
	case "hash-password":
		err = hashPassword(os.Stdin, os.Stdout)
	case "backup":
		err = backup(os.Args[2:], os.Stdout)
	case "audit":
		err = audit(os.Args[2:], os.Stdout)
	case "simulate":
		err = simulateDay(os.Args[2:], os.Stdout)
	case "help", "-h", "-help", "--help":
		usage(os.Stdout)
		return
	default:
		fmt.Fprintf(os.Stderr, "hallfloor: unknown command %q\n", os.Args[1])
		usage(os.Stderr)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "hallfloor:", err)
		os.Exit(1)
	}
}

func usage(w io.Writer) {
	fmt.Fprint(w, `usage:
  hallfloor serve [-addr :8080] [-data ./data] [-config hall.yaml]
                 [-simulate-devices] [-journal sqlite|redis://host:port/db]
      run the hall; without -config, the embedded demo hall.
      -simulate-devices runs the devices on simulated pins, driven from
      /devices by a signed-in manager; a hall file's hall refuses to start
      without it on a machine without GPIO (the demo hall falls back).
      -journal keeps the journal in Redis instead of a SQLite file under -data;
      redis+sentinel://host:port,…/master/db?wait=1 finds the primary
      through Sentinel and acknowledges once a replica holds each commit
  hallfloor serve -simulate [-addr :8080] [-config hall.yaml] [-data DIR]
      the same, with a simulated morning already under way (the
      monday-peak profile's first hours, ending now): windows serving,
      people waiting, services finished and rated. Its data is a new
      directory, removed on exit, unless -data names an empty one
  hallfloor serve -city city.yaml [-addr :8080] [-data ./data] [-journal …]
      run every hall the city file names, each under /h/{hall id}/ with
      its data in -data/{hall id}/, and the city's page at /city for the
      city's managers
  hallfloor check -config hall.yaml | -city city.yaml
      validate a hall file (or a city file and its halls' files); exits 1
      and names each wrong key
  hallfloor hash-password
      read a password on stdin, print its bcrypt hash for password_hash
  hallfloor backup [-data ./data] [-config hall.yaml] -out DIR
      copy the hall's journal and secret to a new directory, while it
      serves; serve -data DIR starts from the copy
  hallfloor audit [-data ./data] [-config hall.yaml] -month 2026-11
                 (-ticket A001 -day 2026-11-05 | -window 3)
      print a ticket's or a window's trail (全程流痕) in a month, from
      the month's archive and the journal, times in the hall's zone
  hallfloor simulate [-config hall.yaml] [-profile quiet|normal|monday-peak|FILE
                 | -learn-from DATA] [-seed 1] [-data DIR] [-out .]
      run one day of the hall (the demo hall without -config) through its
      engine and journal on a fake clock, and write the day's report
      (report.csv) and each ticket's estimated wait at issue against its
      real wait (tickets.csv); the same seed gives the same files.
      -learn-from learns the day's profile from a hall's journal (its
      arrivals, service times, shares, pauses, last day's window hours)
      and writes it to profile.yaml too
`)
}

func loadHall(path string) (*config.Hall, error) {
	h := config.Demo()
	if path != "" {
		var err error
		if h, err = config.Load(path); err != nil {
			return nil, err
		}
	}
	return h, loadForecastShape(h)
}

// loadForecastShape loads the profile the hall's wait forecast follows.
func loadForecastShape(h *config.Hall) error {
	if h.Alerts.ForecastProfile == "" {
		return nil
	}
	p, err := simulate.LoadProfile(h.Alerts.ForecastProfile)
	if err != nil {
		return fmt.Errorf("alerts.forecast_profile: %w", err)
	}
	codes := make([]string, len(h.Services))
	for i, s := range h.Services {
		codes[i] = s.Code
	}
	h.Alerts.Shape = p.Shape(codes)
	return nil
}

func check(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	path := fs.String("config", "", "hall file to validate")
	cityPath := fs.String("city", "", "city file to validate, with every hall file it names")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *cityPath != "" {
		return checkCity(*cityPath, out)
	}
	if *path == "" {
		return errors.New("check needs -config FILE or -city FILE")
	}
	h, err := config.Load(*path)
	var ps config.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintf(out, "%s: %s\n", *path, p)
		}
		return fmt.Errorf("%s has %d problem(s)", *path, len(ps))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: ok (%s: %d services, %d windows, %d staff)\n", *path, h.Hall.Name, len(h.Services), len(h.Windows), len(h.Staff))
	return nil
}

// checkCity validates a city file and its halls' files, naming each
// problem with the file it is in.
func checkCity(path string, out io.Writer) error {
	c, err := config.LoadCity(path)
	var ps config.Problems
	if errors.As(err, &ps) {
		for _, p := range ps {
			fmt.Fprintf(out, "%s: %s\n", path, p)
		}
		return fmt.Errorf("%s has %d problem(s)", path, len(ps))
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s: ok (%s: %d halls, %d city managers)\n", path, c.City.Name, len(c.Halls), len(c.Staff))
	for _, h := range c.Halls {
		fmt.Fprintf(out, "  /h/%s/: %s: %d services, %d windows, %d staff\n", h.Hall.ID, h.Hall.Name, len(h.Services), len(h.Windows), len(h.Staff))
	}
	return nil
}

func backup(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("backup", flag.ContinueOnError)
	data := fs.String("data", "./data", "the hall's data directory")
	cfgPath := fs.String("config", "", "hall file (YAML); the embedded demo hall when empty")
	dest := fs.String("out", "", "a new directory for the copy")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *dest == "" {
		return errors.New("backup needs -out DIR (a directory that does not exist yet)")
	}
	hall, err := loadHall(*cfgPath)
	if err != nil {
		return fmt.Errorf("hall file: %w", err)
	}
	if err := app.Backup(context.Background(), hall, *data, *dest); err != nil {
		return err
	}
	fmt.Fprintf(out, "hall %s backed up to %s\n", hall.Hall.Name, *dest)
	return nil
}

func hashPassword(in io.Reader, out io.Writer) error {
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	pw := strings.TrimRight(line, "\r\n")
	if len(pw) < 8 {
		return errors.New("a password needs at least 8 characters")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pw), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	fmt.Fprintln(out, string(h))
	return nil
}

func serve(args []string) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	addr := fs.String("addr", ":8080", "address to listen on")
	data := fs.String("data", "./data", "directory for the journal and keys")
	cfgPath := fs.String("config", "", "hall file (YAML); the embedded demo hall when empty")
	var simPins bool
	const simUsage = "run the devices on simulated pins, even where the machine has GPIO; without it a hall file's hall needs its pins"
	fs.BoolVar(&simPins, "simulate-devices", false, simUsage)
	fs.BoolVar(&simPins, "sim", false, "the same as -simulate-devices")
	cityPath := fs.String("city", "", "city file (YAML) naming several hall files, served under /h/{hall id}/; instead of -config")
	demo := fs.Bool("simulate", false, "start with a simulated morning already under way (windows serving, people waiting, ratings), in a new data directory; for a demo")
	journalAt := fs.String("journal", "sqlite", `where the journal lives: "sqlite" (a file under -data) redis://host:port/db or redis+sentinel://host:port,…/master/db (keys prefixed with the hall's id; ?wait=N for N replicas)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	if *demo && (*cityPath != "" || *journalAt != "sqlite") {
		return errors.New("serve -simulate plays its morning in one hall with its journal in a new data directory: not with -city or -journal")
	}
	if *cityPath != "" {
		if *cfgPath != "" {
			return errors.New("serve takes -config (one hall) or -city (a city's halls), not both")
		}
		return serveCity(*cityPath, *addr, *data, *journalAt, simPins, log)
	}
	hall, err := loadHall(*cfgPath)
	if err != nil {
		return fmt.Errorf("hall file: %w", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := app.Options{Hall: hall, Data: *data, Journal: *journalAt, Logger: log, Sim: simPins,
		WhatIf: whatif.New(hall)}
	var morning *simulate.Morning
	var clock *simulate.BehindClock
	if *demo {
		dataSet := false
		fs.Visit(func(f *flag.Flag) { dataSet = dataSet || f.Name == "data" })
		dir, cleanup, err := simulatedData(*data, dataSet)
		if err != nil {
			return err
		}
		defer cleanup()
		p, err := simulate.LoadProfile(demoProfile)
		if err != nil {
			return err
		}
		m := simulate.NewMorning(p, 1, time.Now(), hall.Setup().Location())
		morning, clock = &m, simulate.NewBehindClock(m.Start)
		opts.Data, opts.Clock, *data = dir, clock.Now, dir
	}
	a, err := app.Open(ctx, opts)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		a.Close()
		return err
	}
	a.Start()
	if morning != nil {
		if err := morning.Play(a, clock); err != nil {
			a.Close()
			return fmt.Errorf("simulated morning: %w", err)
		}
		log.Info("a simulated morning is under way: its numbers, calls and ratings are in the journal", "profile", morning.Profile.Name)
	}
	if simPins && a.Devices.Simulated() {
		// (The demo's fall-back to simulated pins has its own warning.)
		log.Warn("the devices run on simulated pins: buttons, lamps and locks are driven from /devices, not wired to this machine")
	}
	log.Info("hallfloor serving", "hall", hall.Hall.Name, "addr", ln.Addr().String(), "data", *data, "journal", journalName(*journalAt))
	if hall.Hall.Demo {
		log.Info("demo hall: clerks 1001-1008, guides 2001-2002 and manager admin sign in with password \"demo\"", "open", app.URL(ln))
	}
	return a.Serve(ctx, ln)
}

// journalName is the -journal value fit for the log: a Redis URL without
// its password.
func journalName(s string) string {
	if strings.Contains(s, "://") {
		return redisjournal.Redacted(s)
	}
	return s
}

// serveCity runs a city's halls on one listener.
func serveCity(path, addr, data, journalAt string, simPins bool, log *slog.Logger) error {
	city, err := config.LoadCity(path)
	if err != nil {
		return fmt.Errorf("city file: %w", err)
	}
	for _, h := range city.Halls {
		if err := loadForecastShape(h); err != nil {
			return fmt.Errorf("hall %s: %w", h.Hall.ID, err)
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := app.OpenCity(ctx, app.CityOptions{City: city, Data: data, Journal: journalAt, Logger: log, Sim: simPins})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		c.Close()
		return err
	}
	c.Start()
	for _, h := range city.Halls {
		log.Info("hall", "hall", h.Hall.Name, "at", app.URL(ln)+"/h/"+h.Hall.ID+"/")
	}
	log.Info("hallfloor serving a city", "city", city.City.Name, "halls", len(city.Halls), "addr", ln.Addr().String(),
		"data", data, "journal", journalName(journalAt), "open", app.URL(ln)+"/city")
	return c.Serve(ctx, ln)
}
