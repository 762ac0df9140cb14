package simulate_test

import (
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"hallfloor/app"
	"hallfloor/config"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/simulate"
)

// files are a day's two outputs as the command writes them.
func files(t *testing.T, h *config.Hall, d *simulate.Day) (report, tickets string) {
	t.Helper()
	var r, tk bytes.Buffer
	if err := simulate.WriteReport(&r, d.Report); err != nil {
		t.Fatal(err)
	}
	if err := simulate.WriteTickets(&tk, d.Tickets, h.Setup().Location()); err != nil {
		t.Fatal(err)
	}
	return r.String(), tk.String()
}

func runDay(t *testing.T, profile string, seed uint64) (*config.Hall, *simulate.Day, string) {
	t.Helper()
	p, err := simulate.LoadProfile(profile)
	if err != nil {
		t.Fatal(err)
	}
	h, dir := config.Demo(), t.TempDir()
	d, err := simulate.Run(context.Background(), simulate.Options{Hall: h, Profile: p, Seed: seed, Data: dir})
	if err != nil {
		t.Fatal(err)
	}
	return h, d, dir
}

func TestSameSeedSameDay(t *testing.T) {
	h, a, _ := runDay(t, "normal", 7)
	_, b, _ := runDay(t, "normal", 7)
	ra, ta := files(t, h, a)
	rb, tb := files(t, h, b)
	if ra != rb {
		t.Errorf("the same seed gave two reports:\n%s\n----\n%s", ra, rb)
	}
	if ta != tb {
		t.Errorf("the same seed gave two ticket tables:\n%s\n----\n%s", ta, tb)
	}
	if !bytes.Equal(a.State, b.State) {
		t.Error("the same seed left the hall in two states")
	}
	if a.Report.Totals.Issued < 100 || len(a.Tickets) != a.Report.Totals.Issued {
		t.Errorf("a normal day issued %d numbers, the table has %d rows", a.Report.Totals.Issued, len(a.Tickets))
	}
	kinds := map[string]int{}
	noShows, estimated := 0, 0
	for _, tk := range a.Tickets {
		kinds[tk.Kind]++
		if tk.NoShow {
			noShows++
		}
		if tk.Estimate > 0 {
			estimated++
		}
	}
	if kinds["priority"] == 0 || kinds["appointment"] == 0 || noShows == 0 || estimated == 0 {
		t.Errorf("a normal day has kinds %v, %d no-shows, %d tickets with a wait estimated", kinds, noShows, estimated)
	}

	_, c, _ := runDay(t, "normal", 8)
	if rc, tc := files(t, h, c); rc == ra || tc == ta {
		t.Error("another seed gave the same day")
	}
}

// A simulated day drives the hall's own rules: the hall restored from the
// day's journal is the hall the day left.
func TestReplayedDayEqualsSimulated(t *testing.T) {
	h, d, dir := runDay(t, "monday-peak", 3)
	// Without its snapshots, the hall is the day's events applied again.
	db, err := sql.Open("sqlite", "file:"+app.JournalFile(h, dir))
	if err != nil {
		t.Fatal(err)
	}
	res, err := db.Exec(`DELETE FROM snapshots`)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		t.Log("the day left no snapshot to delete")
	}
	db.Close()
	a, err := app.Open(context.Background(), app.Options{Hall: h, Data: dir, Sim: true,
		Clock: func() time.Time { return d.End }, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	got, err := simulate.StateJSON(context.Background(), a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, d.State) {
		t.Errorf("the hall restored from the journal differs from the simulated one:\n%s\n----\n%s", got, d.State)
	}
	if !strings.Contains(string(got), `"state":"closed"`) || len(d.Tickets) < 100 {
		t.Errorf("the day did not run through: %d tickets", len(d.Tickets))
	}
}

func TestProfiles(t *testing.T) {
	for _, name := range simulate.Profiles() {
		if _, err := simulate.LoadProfile(name); err != nil {
			t.Errorf("profile %s: %v", name, err)
		}
	}
	if len(simulate.Profiles()) < 3 {
		t.Errorf("profiles: %v", simulate.Profiles())
	}
}

func TestBadProfiles(t *testing.T) {
	for _, c := range []struct{ yaml, want string }{
		{`{name: x, date: "2026-11-04", opens: "09:00", issue_until: "17:00", closes: "17:30", speed: 3}`, "field speed not found"},
		{`{name: x, date: "04.11.2026", opens: "09:00", issue_until: "17:00", closes: "17:30"}`, "date:"},
		{`{name: x, date: "2026-11-04", opens: "18:00", issue_until: "17:00", closes: "17:30"}`, "one after the other"},
		{`{name: x, date: "2026-11-04", opens: "09:00", issue_until: "17:00", closes: "17:30", no_show: 1.5}`, "no_show: 1.5 is not a share"},
		{`{name: x, date: "2026-11-04", opens: "09:00", issue_until: "17:00", closes: "17:30", roster: {"1": ["12:00-09:00"]}}`, "roster.1"},
		{`{name: x, date: "2026-11-04", opens: "09:00", issue_until: "17:00", closes: "17:30", service_times: {A: {mean: 0}}}`, "service_times.A"},
		{`{name: x, date: "2026-11-04", opens: "09:00", issue_until: "17:00", closes: "17:30", arrivals: {hours: {"25": 1}}}`, "arrivals.hours.25"},
	} {
		_, err := simulate.ParseProfile([]byte(c.yaml))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error saying %q", c.yaml, err, c.want)
		}
	}
	// A profile naming what the hall has not is refused before the day.
	p, err := simulate.ParseProfile([]byte(`{name: x, date: "2026-11-04", opens: "09:00", issue_until: "17:00", closes: "17:30",
arrivals: {services: {X: 1}}, roster: {"99": ["09:00-12:00"]}}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = simulate.Run(context.Background(), simulate.Options{Hall: config.Demo(), Profile: p, Data: t.TempDir()})
	if err == nil || !strings.Contains(err.Error(), "arrivals.services.X: the hall has no service X") || !strings.Contains(err.Error(), "roster.99") {
		t.Errorf("a profile for another hall: %v", err)
	}
	if _, err := simulate.LoadProfile("no-such-day"); err == nil || !strings.Contains(err.Error(), "quiet") {
		t.Errorf("an unknown profile: %v", err)
	}
}

// Another estimate reads the hall where the kiosk's does: at each issue,
// and every five minutes.
func TestLooks(t *testing.T) {
	p, err := simulate.LoadProfile("quiet")
	if err != nil {
		t.Fatal(err)
	}
	issued, looks := 0, []time.Time{}
	d, err := simulate.Run(context.Background(), simulate.Options{Hall: config.Demo(), Profile: p, Seed: 2, Data: t.TempDir(),
		Issued: func(id string, st *hall.State, _ *hall.Setup) {
			if q := st.Queue.Tickets[id]; q != nil && q.Status == queue.Waiting {
				issued++
			}
		},
		Look: func(now time.Time, _ *hall.State, _ *hall.Setup) { looks = append(looks, now) }})
	if err != nil {
		t.Fatal(err)
	}
	if issued != len(d.Tickets) {
		t.Errorf("shown %d issues, the day issued %d", issued, len(d.Tickets))
	}
	if len(looks) < 8*12 || looks[1].Sub(looks[0]) != simulate.LookEvery ||
		looks[0].In(config.Demo().Setup().Location()).Format("15:04") != "09:00" {
		t.Errorf("looks: %d, from %v", len(looks), looks[:min(2, len(looks))])
	}
}
