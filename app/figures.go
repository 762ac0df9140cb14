package app

import (
	"context"
	"path/filepath"
	"time"

	"hallfloor/config"
	"hallfloor/figures"
)

// FiguresFile is where a hall's daily figures are kept, beside its
// journal. It holds nothing the journal does not, so a backup leaves it
// out: a hall started without it records its days again.
func FiguresFile(h *config.Hall, data string) string {
	return filepath.Join(data, "figures-"+hallID(h)+".db")
}

// openFigures opens the daily figures the reports read.
func (a *App) openFigures(o Options) (*figures.Store, error) {
	fig, err := figures.Open(FiguresFile(o.Hall, o.Data), a.Engine.Setup(), a.history)
	if err != nil {
		return nil, err
	}
	a.closers = append(a.closers, fig.Close)
	return fig, nil
}

// recordFigures records each past day once it has ended, beside the
// engine and off its writer: at start the days not recorded yet, then,
// looking each minute, the day just ended.
func (a *App) recordFigures(ctx context.Context, fig *figures.Store, clock func() time.Time) {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		n, err := fig.CatchUp(ctx, clock())
		switch {
		case ctx.Err() != nil:
			return
		case err != nil:
			a.log.Warn("daily figures not recorded", "err", err)
		case n > 0:
			a.log.Info("daily figures recorded", "days", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// Figures is the hall's daily figures, which its reports read.
func (a *App) Figures() *figures.Store { return a.figures }

// RecordFigures records now, rather than at the next look, every past day
// not recorded yet; it says how many.
func (a *App) RecordFigures(ctx context.Context) (int, error) {
	return a.figures.CatchUp(ctx, a.clock())
}
