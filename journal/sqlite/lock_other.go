//go:build !(linux || darwin || dragonfly || freebsd || netbsd || openbsd)

package sqlite

import "os"

// lockFile takes no lock where flock is missing (Windows among others):
// there, nothing stops a second hallfloor on the same data directory.
func lockFile(string) (*os.File, error) { return nil, nil }
