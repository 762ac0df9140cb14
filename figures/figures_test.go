package figures_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"hallfloor/engine"
	"hallfloor/figures"
	"hallfloor/hall"
	"hallfloor/journal"
	"hallfloor/report"
	"hallfloor/simday"
)

var errEnough = errors.New("enough")

// fromEvents is a period's report the way the hall made it before daily
// figures: every event of the period, the day before and the weeks after.
func fromEvents(tb testing.TB, h *simHall, p report.Period, now time.Time) *report.Builder {
	return eventReport(tb, h.setup, h.hist, p, now)
}

func eventReport(tb testing.TB, setup *hall.Setup, hist journal.Journal, p report.Period, now time.Time) *report.Builder {
	tb.Helper()
	ctx := context.Background()
	b := report.NewBuilder(setup, p, now)
	after, err := hist.SeqBefore(ctx, p.From.Add(-24*time.Hour))
	if err != nil {
		tb.Fatal(err)
	}
	to := p.To.Add(figures.Tail)
	err = hist.Replay(ctx, after, func(rec journal.Record) error {
		if rec.At.After(to) {
			return errEnough
		}
		ev, err := engine.DecodeRecord(rec)
		if err != nil {
			return err
		}
		b.Add(ev)
		return nil
	})
	if err != nil && !errors.Is(err, errEnough) {
		tb.Fatal(err)
	}
	return b
}

func asJSON(tb testing.TB, v any) string {
	tb.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

type figureSet interface {
	Report(string) report.Report
	RatingStats(report.By) []report.RatingRow
}

func same(t *testing.T, what string, want, got figureSet) {
	t.Helper()
	if w, g := asJSON(t, want.Report("演示")), asJSON(t, got.Report("演示")); w != g {
		t.Errorf("%s: the report from daily figures differs\nwant %s\n got %s", what, w, g)
	}
	for _, by := range []report.By{report.ByClerk, report.ByDay, report.ByService, report.ByWindow} {
		if w, g := asJSON(t, want.RatingStats(by)), asJSON(t, got.RatingStats(by)); w != g {
			t.Errorf("%s by %s: rating statistics differ\nwant %s\n got %s", what, by, w, g)
		}
	}
}

// Days recorded through the journal of a real engine, some before later
// days closed their follow-ups and some after, give the reports the
// events give; today's figures, not recorded, are read live; recording a
// day again changes nothing.
func TestRecordedDaysGiveTheReportsOfTheEvents(t *testing.T) {
	dir := t.TempDir()
	h := startHall(t, dir, withCases(simday.WithDepartments(simday.Hall(6))))
	h.Bad = 15
	h.Hourly = newCaseWork(h).hour
	store, err := figures.Open(filepath.Join(dir, "figures.db"), h.setup, h.hist)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	h.run(8, 150)
	// The eight days recorded at the ninth's start: the follow-ups of the
	// first days are closed only later.
	if n, err := store.CatchUp(ctx, time.Date(2025, 1, 9, 8, 0, 0, 0, shanghai)); err != nil || n != 8 {
		t.Fatalf("caught up %d days, %v; want 8", n, err)
	}
	for d := 8; d < 20; d++ {
		h.Day(time.Date(2025, 1, 1+d, 0, 0, 0, 0, shanghai), 150)
	}
	for _, k := range []string{"queue.TicketIssued", "queue.SkipUndone", "queue.TicketRequeued", "queue.TicketTransferred",
		"queue.WindowPaused", "queue.TicketCancelled", "rating.FollowUpOpened", "rating.FollowUpClosed", "rating.FollowUpOverdue",
		"overtime.Served", "overtime.Confirmed", "overtime.Started",
		"consult.Requested", "consult.Acknowledged", "consult.Met", "consult.Ended", "consult.Escalated",
		"cases.Opened", "cases.NoticeIssued", "cases.CaseAccepted", "cases.SupplementAsked", "cases.Supplied", "cases.CaseRefused",
		"cases.ResultMade", "cases.Delivered", "cases.CaseClosed", "cases.CaseOverdue",
		"envelope.Issued", "envelope.Submitted", "envelope.Reviewed", "envelope.CourierBooked", "envelope.Tracked", "envelope.ReviewLate"} {
		if h.Kinds[k] == 0 {
			t.Fatalf("the simulation has no %s: %v", k, h.Kinds)
		}
	}
	// Day 20 is today: recorded up to the 19th, the 20th read live.
	now := time.Date(2025, 1, 20, 21, 0, 0, 0, shanghai)
	if n, err := store.CatchUp(ctx, now); err != nil || n != 11 {
		t.Fatalf("caught up %d days, %v; want 11", n, err)
	}
	if err := store.RecordDay(ctx, "2025-01-03", now); err != nil {
		t.Fatal(err)
	}
	month, _ := report.Month("2025-01", shanghai)
	first, _ := report.Day("2025-01-02", shanghai)
	week, _ := report.Range("2025-01-06", "2025-01-12", shanghai)
	today, _ := report.Day("2025-01-20", shanghai)
	for _, p := range []report.Period{month, first, week, today} {
		got, err := store.Assemble(ctx, p, now, true)
		if err != nil {
			t.Fatal(err)
		}
		want := fromEvents(t, h, p, now)
		if want.Report("").Totals.Served == 0 {
			t.Fatalf("%s: nothing served", p.Label)
		}
		if p.Label == "2025-01" {
			deps := want.Report("").Departments
			if len(deps) != 2 || deps[0].InPerson == 0 || deps[1].Remote == 0 || deps[0].HandedOn+deps[1].HandedOn == 0 ||
				deps[0].Late+deps[1].Late == 0 || deps[0].Ack.MaxS == 0 || deps[1].Met.Count == 0 {
				t.Fatalf("%s: the consultations lack a kind: %+v", p.Label, deps)
			}
			cs := want.Report("").Cases
			if cs == nil || cs.Totals.Opened == 0 || cs.Totals.Tolerated == 0 || cs.Totals.Settled == 0 || cs.Totals.Notices == 0 ||
				cs.Totals.Deemed == 0 || cs.Totals.Supplements == 0 || cs.Totals.OnTime == 0 || cs.Totals.OnTime == cs.Totals.Decided ||
				cs.Totals.Refused == 0 || cs.Totals.Closed == 0 || cs.Totals.Overdue == 0 {
				t.Fatalf("%s: the cases lack a kind: %+v", p.Label, cs)
			}
			v := want.Report("").Envelopes
			if v == nil || v.Totals.Issued == 0 || v.Totals.Submitted == 0 || v.Totals.Passed == 0 || v.Totals.Rejected == 0 ||
				v.Totals.Late == 0 || v.Totals.Arrived == 0 {
				t.Fatalf("%s: the envelopes lack a kind: %+v", p.Label, v)
			}
		}
		same(t, p.Label, want, got)
		// A report alone reads no details.
		bare, err := store.Assemble(ctx, p, now, false)
		if err != nil {
			t.Fatal(err)
		}
		if w, g := asJSON(t, want.Report("")), asJSON(t, bare.Report("")); w != g {
			t.Errorf("%s without details: the report differs\nwant %s\n got %s", p.Label, w, g)
		}
		if w, g := asJSON(t, want.Overtime()), asJSON(t, got.Overtime()); w != g {
			t.Errorf("%s: the overtime register differs\nwant %s\n got %s", p.Label, w, g)
		}
	}
}

// A day recorded twice has the same rows.
func TestRecordingADayAgainGivesTheSameRows(t *testing.T) {
	dir := t.TempDir()
	h := startSim(t, dir, 4)
	store, err := figures.Open(filepath.Join(dir, "figures.db"), h.setup, h.hist)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	h.run(2, 80)
	ctx := context.Background()
	now := time.Date(2025, 1, 3, 9, 0, 0, 0, shanghai)
	p, _ := report.Day("2025-01-02", shanghai)
	var reports []string
	for range 2 {
		if err := store.RecordDay(ctx, "2025-01-02", now); err != nil {
			t.Fatal(err)
		}
		a, err := store.Assemble(ctx, p, now, true)
		if err != nil {
			t.Fatal(err)
		}
		reports = append(reports, fmt.Sprint(asJSON(t, a.Report("")), asJSON(t, a.Overtime())))
	}
	if reports[0] != reports[1] {
		t.Fatalf("recorded again:\n%s\n%s", reports[0], reports[1])
	}
}
