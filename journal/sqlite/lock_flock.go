//go:build linux || darwin || dragonfly || freebsd || netbsd || openbsd

package sqlite

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"syscall"

	"hallfloor/errs"
)

// lockFile takes an exclusive flock on the lock file beside the journal at
// path. flock suits the job: the kernel lets go of it when the process
// dies, however it dies, so a hall killed by a power cut or SIGKILL never
// leaves a lock that blocks its own restart; and it belongs to the open
// file, so a second Open in the same process is refused too.
//
// The file is left in place on Close. Removing it would let a process that
// opened it just before the removal lock the old file while the next one
// creates and locks a new one: two writers, each holding "the" lock.
func lockFile(path string) (*os.File, error) {
	name := path + ".lock"
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("journal: lock %s: %w", name, err)
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if errors.Is(err, syscall.EWOULDBLOCK) {
		defer f.Close()
		return nil, inUse(path, f)
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("journal: lock %s: %w", name, err)
	}
	// Say who holds it, for the message the next one refused gives. Only
	// informative: the lock is the flock, not the number.
	if err := f.Truncate(0); err == nil {
		f.WriteAt(strconv.AppendInt(nil, int64(os.Getpid()), 10), 0)
	}
	return f, nil
}

// inUse is the refusal, naming the holder as well as the lock file says.
func inUse(path string, f *os.File) error {
	var b [32]byte
	n, _ := f.ReadAt(b[:], 0)
	pid, err := strconv.Atoi(string(bytes.TrimSpace(b[:n])))
	switch {
	case err != nil || pid <= 0:
		// The holder has locked the file but not yet written its pid.
		return inUseErr("journal_in_use", path, fmt.Sprintf("journal %s is in use by another hallfloor process", path))
	case pid == os.Getpid():
		return inUseErr("journal_open_here", path, fmt.Sprintf("journal %s is already open in this process", path))
	}
	e := inUseErr("journal_in_use", path, fmt.Sprintf("journal %s is in use by another hallfloor process (pid %d)", path, pid))
	e.Args["pid"] = strconv.Itoa(pid)
	return e
}

func inUseErr(reason, path, detail string) *errs.Error {
	e := errs.R(errs.Conflict, reason, "path", path)
	e.Detail = detail
	return e
}
