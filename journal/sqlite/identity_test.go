package sqlite_test

import (
	"os"
	"testing"

	"hallfloor/errs"
	"hallfloor/journal"
	"hallfloor/journal/journaltest"
	"hallfloor/journal/sqlite"
)

// A journal file deleted or replaced under the open handle is noticed
// before the next commit: the commit would go into a file the next start
// never reads. Each of the three files counts, a fresh journal's as well
// as a reopened one's.
func TestJournalFileGoneIsNoticed(t *testing.T) {
	for _, tc := range []struct {
		name, suffix string
		replace      bool
	}{
		{"database deleted", "", false},
		{"WAL deleted", "-wal", false},
		{"index deleted", "-shm", false},
		{"database replaced", "", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			j, path := open(t)
			if err := j.Append(ctx, journal.Batch{Records: journaltest.Records(1, 2)}); err != nil {
				t.Fatal(err)
			}
			if err := j.Check(); err != nil {
				t.Fatalf("a journal in place: %v", err)
			}
			victim := path + tc.suffix
			if _, err := os.Stat(victim); err != nil {
				t.Fatalf("SQLite keeps %s while open: %v", victim, err)
			}
			if err := os.Remove(victim); err != nil {
				t.Fatal(err)
			}
			if tc.replace {
				if err := os.WriteFile(victim, nil, 0o600); err != nil {
					t.Fatal(err)
				}
			}
			for _, err := range []error{j.Check(), j.Append(ctx, journal.Batch{Records: journaltest.Records(3, 1)})} {
				if errs.ReasonOf(err) != "journal_gone" || errs.KindOf(err) != errs.Internal {
					t.Fatalf("after removing %s: %v, want journal_gone", victim, err)
				}
			}
		})
	}
	// A reader beside the writer does not check: it appends nothing.
	_, path := open(t)
	r, err := sqlite.OpenReadOnly(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := r.Check(); err != nil {
		t.Fatalf("read-only handle: %v", err)
	}
}
