// Command estimates runs the wait-estimate benchmark: five seeded mornings
// of a hall through its real engine and journal, each ticket's estimate
// shown at its issue and every five minutes after against the wait it
// really had, for the old formula and the forecast. It prints the table
// docs/ESTIMATES.md holds.
//
//	go run ./cmd/estimates
package main

import (
	"fmt"
	"os"

	"hallfloor/waitbench"
)

func main() {
	dir, err := os.MkdirTemp("", "estimates")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	names, probes, err := waitbench.RunAll(dir)
	os.RemoveAll(dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	waitbench.Table(os.Stdout, names, probes)
}
