package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"
)

// idleReport is what connected, idle screens cost the server.
type idleReport struct {
	Screens       int
	Setup         time.Duration
	Before, After mem
	Measured      string // whose memory: the child's, this process's, or none
}

// runIdle connects the screens, lets them sit idle and reads the server's
// memory before and after. memOf is nil when the server's memory cannot be
// read (a hall given with -url).
func runIdle(ctx context.Context, base string, o options, memOf func() (mem, error)) (*idleReport, error) {
	if o.Clients < 1 {
		return nil, errors.New("-clients must be at least 1")
	}
	r := &idleReport{Screens: o.Clients}
	var err error
	if memOf != nil {
		if r.Before, err = memOf(); err != nil {
			return nil, err
		}
	}
	start := time.Now()
	ss, err := connectScreens(ctx, base, o.Clients, max(1, o.Dialers), o.Sources)
	if err != nil {
		return nil, err
	}
	defer ss.close()
	r.Setup = time.Since(start)
	if memOf != nil {
		if r.After, err = memOf(); err != nil {
			return nil, err
		}
	}
	for _, s := range ss.list {
		s.mu.Lock()
		err := s.err
		s.mu.Unlock()
		if err != nil {
			return nil, fmt.Errorf("a screen's connection ended while idle: %w", err)
		}
	}
	return r, nil
}

func (r *idleReport) print(w io.Writer, where string) {
	fmt.Fprintf(w, "hallload screens: %s\n", where)
	fmt.Fprintf(w, "  screens      %d connected with snapshots in %s, then idle\n", r.Screens, round(r.Setup))
	if r.Measured == "" {
		fmt.Fprintln(w, "  memory       not measured: the server is another process (run without -url)")
		return
	}
	fmt.Fprintf(w, "  memory of    %s, after a collection\n", r.Measured)
	line := func(name string, m mem) {
		fmt.Fprintf(w, "  %-12s heap %.1f MiB, stacks %.1f MiB, RSS %.1f MiB, %d goroutines\n",
			name, mib(m.Heap), mib(m.Stacks), mib(m.RSS), m.Goroutines)
	}
	line("before", r.Before)
	line("after", r.After)
	n := float64(r.Screens)
	live := float64(r.After.Heap+r.After.Stacks) - float64(r.Before.Heap+r.Before.Stacks)
	fmt.Fprintf(w, "  per screen   heap+stacks %.1f KiB, RSS %.1f KiB, %.2f goroutines\n",
		live/n/1024, (float64(r.After.RSS)-float64(r.Before.RSS))/n/1024,
		float64(r.After.Goroutines-r.Before.Goroutines)/n)
}

func mib(b uint64) float64 { return float64(b) / (1 << 20) }
