package app

import (
	"context"
	"errors"
	"time"

	"hallfloor/archive"
	"hallfloor/journal/sqlite"
)

// archiveEvery is how often the hall looks for events past their
// retention: a day's worth leaves the journal at a time, in batches.
const archiveEvery = time.Hour

// keepRetention moves the events past the journal's retention to the
// archive, and erases personal data past its own, beside the writer, at
// start and then hourly, until ctx ends. A failure is logged and tried
// again at the next turn: the journal only keeps more than it must.
func (a *App) keepRetention(ctx context.Context, j *sqlite.Journal, data string, now func() time.Time) {
	tick := time.NewTicker(archiveEvery)
	defer tick.Stop()
	for {
		res, err := a.retain(ctx, j, data, now())
		switch {
		case err != nil && ctx.Err() == nil:
			a.log.Error("retention: archiving old events failed; the next turn tries again", "err", err)
		case res.Archived > 0 || res.Scrubbed > 0 || len(res.Deleted) > 0:
			a.log.Info("retention: old events archived, personal data erased", "archived", res.Archived, "months", res.Months,
				"scrubbed", res.Scrubbed, "archives_deleted", res.Deleted)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// retain is one turn of the retention at now, at the hall file's
// settings; turns never overlap.
func (a *App) retain(ctx context.Context, j *sqlite.Journal, data string, now time.Time) (archive.Result, error) {
	a.retaining.Lock()
	defer a.retaining.Unlock()
	loc, _ := a.Hall.Location()
	o := archive.Options{Dir: archive.DirOf(data), Hall: hallID(a.Hall), Location: loc,
		Journal: a.Hall.Retention.Journal(), Personal: a.Hall.Retention.Personal(), Archive: a.Hall.Retention.Archive()}
	return archive.Run(ctx, j, o, now)
}

// KeepRetention runs a turn of the retention now, rather than at the next
// hour's: on a SQLite journal, the events past the journal's retention
// move to the archive and personal data past its own is erased, as the
// hourly turn does.
func (a *App) KeepRetention(ctx context.Context) (archive.Result, error) {
	if a.retainNow == nil {
		return archive.Result{}, errors.New("retention: the journal is not a SQLite file; Redis keeps it by its own means")
	}
	return a.retainNow(ctx)
}
