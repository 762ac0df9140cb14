package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"hallfloor/app"
	"hallfloor/archive"
	"hallfloor/journal"
	"hallfloor/journal/sqlite"
)

// audit prints the trail (全程流痕) of a ticket or a window in a month, or
// of a case from its intake to now, from the archives and whatever the
// journal still holds. It
// reads beside a serving hall: the journal read-only, the archive's files
// as written.
func audit(args []string, out io.Writer) error {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	data := fs.String("data", "./data", "the hall's data directory")
	cfgPath := fs.String("config", "", "hall file (YAML); the embedded demo hall when empty")
	var q archive.Query
	fs.StringVar(&q.Month, "month", "", "the month, as 2026-11 (the hall's zone)")
	fs.StringVar(&q.Ticket, "ticket", "", "a ticket's number, as A001, with -day")
	fs.StringVar(&q.Day, "day", "", "the day the ticket was issued, as 2026-11-05")
	fs.StringVar(&q.Window, "window", "", "a window's id")
	fs.StringVar(&q.Case, "case", "", "a case's number (办件编号), as 202611050001: its trail from intake on, over the months since")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := q.Validate(); err != nil {
		return err
	}
	h, err := loadHall(*cfgPath)
	if err != nil {
		return fmt.Errorf("hall file: %w", err)
	}
	loc, err := h.Location()
	if err != nil {
		return err
	}
	var j journal.Journal
	path := app.JournalFile(h, *data)
	if _, err := os.Stat(path); err == nil {
		ro, err := sqlite.OpenReadOnly(path)
		if err != nil {
			return err
		}
		defer ro.Close()
		j = ro
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	id := h.Hall.ID
	if id == "" {
		id = "hall"
	}
	months, err := archive.Months(archive.DirOf(*data), id)
	if err != nil {
		return err
	}
	if j == nil && len(months) == 0 {
		return fmt.Errorf("no journal and no archive of hall %q in %s", id, *data)
	}
	src := archive.MonthSource(context.Background(), archive.DirOf(*data), id, q.Month, loc, j)
	if q.Case != "" {
		if src, err = archive.CaseSource(context.Background(), archive.DirOf(*data), id, q.Case, time.Now().In(loc).Format("2006-01"), loc, j); err != nil {
			return err
		}
	}
	_, err = archive.Audit(out, src, q, loc)
	return err
}
