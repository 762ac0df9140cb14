package sqlite

import (
	"fmt"
	"os"

	"hallfloor/errs"
)

// identity is what the journal's files were when the writer opened them.
// SQLite holds them open by descriptor, not by name: a file deleted (rm
// hall-demo.db) or replaced under it takes every later commit, fsynced and
// acknowledged, into an inode that no one will open again, and the next
// start finds an empty or older hall. Comparing the path with the file
// opened (device and inode, os.SameFile) catches that before anything more
// is acknowledged.
type identity struct {
	files []watched
}

type watched struct {
	path string
	info os.FileInfo
}

// watchFiles remembers the database and, in WAL mode, its -wal and -shm
// files, which hold the commits not yet copied into the database and the
// index to them. SQLite keeps both while a connection is open, and the
// writer's one connection stays open until Close.
func watchFiles(path string) (*identity, error) {
	id := &identity{}
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if os.IsNotExist(err) && p != path {
			continue // not made yet; nothing can be lost from it
		}
		if err != nil {
			return nil, fmt.Errorf("journal: %w", err)
		}
		id.files = append(id.files, watched{p, fi})
	}
	return id, nil
}

// check fails when a watched path no longer names the file opened. It is a
// few stat calls, cheap beside the fsync of a commit.
func (id *identity) check() error {
	for _, w := range id.files {
		fi, err := os.Stat(w.path)
		switch {
		case os.IsNotExist(err):
			return gone(w.path, "was deleted")
		case err != nil:
			return gone(w.path, "cannot be checked: "+err.Error())
		case !os.SameFile(w.info, fi):
			return gone(w.path, "was replaced by another file")
		}
	}
	return nil
}

func gone(path, what string) error {
	e := errs.Internalf("journal_gone",
		"journal file %s %s while the hall had it open; nothing more is acknowledged: restore it from the backup (hallfloor backup) and restart, or restart to begin from what is on disk", path, what)
	e.Args = map[string]string{"path": path}
	return e
}
