package config

import "time"

// Retention says how long the hall keeps what it journals. Zero means the
// default.
type Retention struct {
	// JournalDays is how long an event stays in the journal before it moves
	// to the month's archive in the data directory, default 400: a year and
	// a month, so that last year's monthly and yearly reports, which read
	// the raw events, still find every event of their period.
	JournalDays int `yaml:"journal_days"`
	// PersonalDays is how long an applicant's personal data (ID hashes,
	// phone numbers, names) is kept, default 180; archived events never
	// carry it, and the journal's own older events lose it too, while
	// their counts (types, times, windows, services, numbers, levels) stay.
	PersonalDays int `yaml:"personal_days"`
	// ArchiveDays is how long a month's archive is kept after the month's
	// end, for audits; 0, the default, keeps archives for ever, since how
	// long a hall must keep its records is its authority's to say. With it
	// set, the data directory stops growing once the oldest archive goes.
	ArchiveDays int `yaml:"archive_days"`
}

// Retention defaults, and the bounds a hall file may set.
const (
	DefaultJournalDays  = 400
	DefaultPersonalDays = 180
	// MinJournalDays keeps the days a restart, a day's report and the
	// snapshots may need: an archived event is gone from every reader but
	// the audit.
	MinJournalDays = 31
	MaxDays        = 3650
)

// Journal is how long the raw journal is kept.
func (r Retention) Journal() time.Duration {
	return days(orDefault(r.JournalDays, DefaultJournalDays))
}

// Personal is how long personal data is kept.
func (r Retention) Personal() time.Duration {
	return days(orDefault(r.PersonalDays, DefaultPersonalDays))
}

// Archive is how long a month's archive is kept after the month; 0 for
// ever.
func (r Retention) Archive() time.Duration { return days(r.ArchiveDays) }

func days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

func (r Retention) validate(add func(key, format string, args ...any)) {
	if d := r.JournalDays; d != 0 && (d < MinJournalDays || d > MaxDays) {
		add("retention.journal_days", "%d must be 0 (default %d) or between %d and %d days", d, DefaultJournalDays, MinJournalDays, MaxDays)
	}
	if d := r.PersonalDays; d < 0 || d > MaxDays {
		add("retention.personal_days", "%d must be 0 (default %d) or between 1 and %d days", d, DefaultPersonalDays, MaxDays)
	}
	if d := r.ArchiveDays; d < 0 || d > 10*MaxDays {
		add("retention.archive_days", "%d must be 0 (keep for ever) or between 1 and %d days", d, 10*MaxDays)
	}
	// An archive is written once: what it keeps, it keeps, so it must
	// already be past the personal data's retention when written.
	if r.Personal() > r.Journal() {
		add("retention.personal_days", "%d days is longer than the journal's %d: personal data would outlive the journal into the archives",
			orDefault(r.PersonalDays, DefaultPersonalDays), orDefault(r.JournalDays, DefaultJournalDays))
	}
}
