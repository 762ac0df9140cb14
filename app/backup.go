package app

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"hallfloor/archive"
	"hallfloor/config"
	"hallfloor/journal/sqlite"
	"hallfloor/server"
)

// JournalFile is where a hall's SQLite journal lives in its data directory.
func JournalFile(h *config.Hall, data string) string {
	return filepath.Join(data, "hall-"+hallID(h)+".db")
}

// Backup copies a hall's data directory to out, which must not exist yet,
// while the hall may go on serving: a consistent copy of the journal, and
// the secret without which its protected ID numbers, pickup codes, sealed
// messages and sign-ins cannot be read, the months the journal has moved
// to its archive, and the applicants' uploaded files. `hallfloor serve
// -data out` starts from the copy.
func Backup(ctx context.Context, h *config.Hall, data, out string) error {
	src := JournalFile(h, data)
	if _, err := os.Stat(src); err != nil {
		return fmt.Errorf("no journal of hall %q in %s: %w", hallID(h), data, err)
	}
	secret, err := os.ReadFile(filepath.Join(data, server.SecretFile))
	if err != nil {
		return fmt.Errorf("the hall's secret: %w", err)
	}
	if err := os.Mkdir(out, 0o750); err != nil {
		return fmt.Errorf("backup directory: %w (it must not exist yet)", err)
	}
	if err := os.WriteFile(filepath.Join(out, server.SecretFile), secret, 0o600); err != nil {
		return err
	}
	// Read-only, and so without the journal's lock, which the serving
	// hall's writer holds: a backup only reads.
	j, err := sqlite.OpenReadOnly(src)
	if err != nil {
		return err
	}
	defer j.Close()
	dst := JournalFile(h, out)
	if err := j.BackupTo(ctx, dst); err != nil {
		return err
	}
	// The journal holds phone numbers and names: only the hall's user reads it.
	if err := os.Chmod(dst, 0o600); err != nil {
		return err
	}
	if err := copyArchive(archive.DirOf(data), archive.DirOf(out)); err != nil {
		return err
	}
	return copyUploads(UploadsDir(data), UploadsDir(out))
}

// copyUploads copies the uploaded files, after the journal: each is named
// by its content's hash and never changes, and one the copied journal
// names was stored before its submission was journaled, so it is there.
// A file still being written (a temp file, not under a hash name) is not
// the journal's and is left out.
func copyUploads(from, to string) error {
	dirs, err := os.ReadDir(from)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("the uploads: %w", err)
	}
	for _, d := range dirs {
		if !d.IsDir() || len(d.Name()) != 2 {
			continue
		}
		files, err := os.ReadDir(filepath.Join(from, d.Name()))
		if err != nil {
			return fmt.Errorf("the uploads: %w", err)
		}
		if err := os.MkdirAll(filepath.Join(to, d.Name()), 0o700); err != nil {
			return fmt.Errorf("the uploads' copy: %w", err)
		}
		for _, f := range files {
			if !f.Type().IsRegular() || strings.HasPrefix(f.Name(), ".") {
				continue
			}
			b, err := os.ReadFile(filepath.Join(from, d.Name(), f.Name()))
			if err != nil {
				return fmt.Errorf("the uploads: %w", err)
			}
			if err := os.WriteFile(filepath.Join(to, d.Name(), f.Name()), b, 0o600); err != nil {
				return fmt.Errorf("the uploads' copy: %w", err)
			}
		}
	}
	return nil
}

// copyArchive copies the months moved out of the journal, which the audit
// reads: each manifest before its parts, since a running archive writes a
// part before the manifest line that names it, so every line copied names
// bytes that are there.
func copyArchive(from, to string) error {
	entries, err := os.ReadDir(from)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("the archive: %w", err)
	}
	if err := os.Mkdir(to, 0o750); err != nil {
		return fmt.Errorf("the archive's copy: %w", err)
	}
	slices.SortStableFunc(entries, func(a, b os.DirEntry) int {
		return cmp.Compare(manifestsFirst(a.Name()), manifestsFirst(b.Name()))
	})
	for _, e := range entries {
		if !e.Type().IsRegular() {
			continue
		}
		b, err := os.ReadFile(filepath.Join(from, e.Name()))
		if err != nil {
			return fmt.Errorf("the archive: %w", err)
		}
		if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o600); err != nil {
			return fmt.Errorf("the archive's copy: %w", err)
		}
	}
	return nil
}

// manifestsFirst orders manifests (0) before the parts they name (1).
func manifestsFirst(name string) int {
	if strings.HasSuffix(name, ".manifest") {
		return 0
	}
	return 1
}
