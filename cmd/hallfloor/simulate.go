package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"go.yaml.in/yaml/v3"

	"hallfloor/simulate"
)

// simulateDay runs a hall file through one simulated day and writes its
// report and estimate-vs-actual table.
func simulateDay(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("simulate", flag.ContinueOnError)
	fs.SetOutput(out)
	cfgPath := fs.String("config", "", "hall file (YAML); the embedded demo hall when empty")
	profile := fs.String("profile", "", "day profile: a YAML file or one of the repository's (quiet, normal, monday-peak); a flat day when empty")
	learnFrom := fs.String("learn-from", "", "a hall's data directory: the day's profile is learned from its journal's past days (written to profile.yaml), instead of -profile")
	seed := fs.Uint64("seed", 1, "the day's seed: the same seed gives the same day")
	data := fs.String("data", "", "directory for the day's journal (empty or new); a temporary one, removed after, when empty")
	dest := fs.String("out", ".", "directory for report.csv and tickets.csv")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("simulate takes no arguments, got %q", fs.Args())
	}
	h, err := loadHall(*cfgPath)
	if err != nil {
		return fmt.Errorf("hall file: %w", err)
	}
	var p *simulate.Profile
	if *learnFrom != "" {
		if *profile != "" {
			return errors.New("simulate takes -profile or -learn-from, not both")
		}
		p, err = simulate.LearnJournal(context.Background(), h, *learnFrom)
	} else {
		p, err = simulate.LoadProfile(*profile)
	}
	if err != nil {
		return err
	}
	dir := *data
	if dir == "" {
		if dir, err = os.MkdirTemp("", "hallfloor-simulate-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return fmt.Errorf("-data %s is not empty: a simulated day starts from a new hall", dir)
	}
	if err := os.MkdirAll(*dest, 0o755); err != nil {
		return err
	}
	day, err := simulate.Run(context.Background(), simulate.Options{Hall: h, Profile: p, Seed: *seed, Data: dir})
	if err != nil {
		return err
	}
	loc := h.Setup().Location()
	var rep, tickets bytes.Buffer
	if err := errors.Join(simulate.WriteReport(&rep, day.Report), simulate.WriteTickets(&tickets, day.Tickets, loc)); err != nil {
		return err
	}
	files := map[string][]byte{"report.csv": rep.Bytes(), "tickets.csv": tickets.Bytes()}
	if *learnFrom != "" {
		if files["profile.yaml"], err = yaml.Marshal(p); err != nil {
			return err
		}
	}
	for name, b := range files {
		if err := os.WriteFile(filepath.Join(*dest, name), b, 0o644); err != nil {
			return err
		}
	}
	called, noShows := 0, 0
	for _, t := range day.Tickets {
		if t.Wait() >= 0 {
			called++
		}
		if t.NoShow {
			noShows++
		}
	}
	fmt.Fprintf(out, "simulated %s (%s, seed %d) in %s: %d tickets, %d called, %d no-shows; wrote %s and %s\n",
		p.Date, p.Name, *seed, h.Hall.Name, len(day.Tickets), called, noShows,
		filepath.Join(*dest, "report.csv"), filepath.Join(*dest, "tickets.csv"))
	return nil
}

// demoProfile is the day whose morning `serve -simulate` plays: a busy one,
// so that every line has people in it.
const demoProfile = "monday-peak"

// simulatedData is the data directory of a simulated morning: a new one,
// since the morning is played on a clock set back, or the one given if it
// is empty; cleanup removes a new one.
func simulatedData(dir string, given bool) (string, func(), error) {
	if given {
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			return "", nil, fmt.Errorf("-data %s is not empty: a simulated morning starts from a new hall", dir)
		}
		return dir, func() {}, nil
	}
	d, err := os.MkdirTemp("", "hallfloor-demo-")
	if err != nil {
		return "", nil, err
	}
	return d, func() { os.RemoveAll(d) }, nil
}
