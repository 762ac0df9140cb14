package report

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"hallfloor/cases"
	"hallfloor/envelope"
	"hallfloor/hall"
	"hallfloor/queue"
)

// withEnvelopes gives the hall the fixed recipient of posted papers, so
// an envelope may ask for a paper by post.
func withEnvelopes(h *liveHall) {
	h.setup.Envelopes = envelope.NewSetup(envelope.Setup{
		Recipient: envelope.Recipient{Name: "行政服务中心综合窗口", Phone: "0576-88000000", Address: "椒江区市府大道1号"}})
}

// photo is a stored file of a submission.
func photo(n int) []envelope.File {
	return []envelope.File{{Hash: fmt.Sprintf("%064x", n), Size: 2048, Type: "image/jpeg", Name: "photo.jpg"}}
}

// issueEnvelope opens a case whose last material comes in its 免跑腿信封,
// an upload or a paper by post as the case's number says.
func (h *simHall) issueEnvelope(open cases.Open) {
	missing := open.Received[len(open.Received)-1]
	open.Received = open.Received[:len(open.Received)-1]
	way := []envelope.Way{envelope.Upload, envelope.Post}[h.caseIDs%2]
	if _, ok := h.try(envelope.Issue{Open: open, Token: "tok-" + open.ID, Materials: []envelope.Choice{{Code: missing, Way: way}}}); ok {
		h.open = append(h.open, open.ID)
		h.envelopes = append(h.envelopes, open.ID)
	}
}

// envelopeWork is a move on one of the oldest envelopes still open: the
// applicant submitting (again after a rejection), the clerk passing or
// rejecting, or leaving it long enough to be reported late, the courier
// booked for a paper whose photos passed, and its post recorded up to its
// arrival.
func (h *simHall) envelopeWork() {
	if len(h.envelopes) == 0 || h.rng.IntN(3) > 0 {
		return
	}
	i := h.rng.IntN(min(3, len(h.envelopes)))
	id := h.envelopes[i]
	e := h.s.Envelopes.Envelopes[id]
	if k := h.s.Cases.Cases[id]; e == nil || !e.Open() || k == nil || !k.Status.Deciding() {
		h.envelopes = slices.Delete(h.envelopes, i, i+1)
		return
	}
	m, staff := e.Materials[0], clerk(e.Clerk)
	switch m.Status {
	case envelope.Owed, envelope.Rejected:
		h.ids++
		h.try(envelope.Submit{Token: e.Token, Material: m.Code, Files: photo(h.ids)})
	case envelope.Pending:
		// One in three waits for a later move, perhaps past the setting.
		if n := h.rng.IntN(6); n >= 2 {
			sb := e.Submissions[len(e.Submissions)-1]
			h.try(envelope.Review{Case: id, Submission: sb.ID, Pass: n > 3, Reason: "照片不清晰", Actor: staff})
		}
	case envelope.Passed:
		if e.Courier == nil {
			h.try(envelope.BookCourier{Token: e.Token, Name: "李四", Phone: "13800000000", Address: "椒江区", PickupAt: h.clock.Add(20 * time.Hour)})
		} else {
			h.try(envelope.RecordPost{Case: id, Material: m.Code, State: envelope.PickedUp, Actor: staff})
		}
	case envelope.PickedUp:
		h.try(envelope.RecordPost{Case: id, Material: m.Code, State: envelope.InTransit, Actor: staff})
	case envelope.InTransit:
		h.try(envelope.RecordPost{Case: id, Material: m.Code, State: envelope.Arrived, Actor: staff})
	}
}

// envelopeKinds fails unless the counts have every kind of envelope
// figure: a simulated month missing one could not show that either way
// counts it.
func envelopeKinds(t *testing.T, what string, c EnvelopeCounts) {
	t.Helper()
	for i, f := range c.fields() {
		if *f == 0 {
			t.Fatalf("%s: envelope figure %d is never counted: %+v", what, i, c)
		}
	}
}

// One day's envelopes: issued with their cases, an upload rejected then
// passed, a paper's photos passed and the paper arrived by post, another
// left unreviewed past the setting; counted per item and in all from the
// events and from the daily figures alike, and in the export's sheet.
func TestEnvelopesReported(t *testing.T) {
	h := newHall(t)
	withCases(h)
	withEnvelopes(h)
	s1 := clerk("s1")
	h.do("2025-03-10 09:00:00", queue.OpenWindow{Window: "1", Actor: s1})
	h.do("2025-03-10 09:00:00", queue.IssueTicket{Service: "A"})
	h.do("2025-03-10 09:01:00", queue.CallNext{Window: "1", Actor: s1})
	issue := func(when, id, item string, received []string, code string, way envelope.Way) {
		h.do(when, envelope.Issue{Open: cases.Open{ID: id, Window: "1", Item: item, Name: "李四", IDHash: "h" + id, Party: cases.Person,
			Received: received, Actor: s1}, Token: "tok-" + id, Materials: []envelope.Choice{{Code: code, Way: way}}})
	}
	issue("2025-03-10 09:02:00", "g1", "GTDJ", []string{"id"}, "lease", envelope.Upload)
	issue("2025-03-10 09:03:00", "g2", "GTDJ", []string{"id"}, "lease", envelope.Post)
	issue("2025-03-10 09:04:00", "b1", "BDCCX", nil, "id", envelope.Upload)
	h.do("2025-03-10 10:00:00", envelope.Submit{Token: "tok-g1", Material: "lease", Files: photo(1)})
	h.do("2025-03-10 10:10:00", envelope.Review{Case: "g1", Submission: "1", Reason: "缺少签字页", Actor: s1})
	h.do("2025-03-10 10:20:00", envelope.Submit{Token: "tok-g1", Material: "lease", Files: photo(2)})
	h.do("2025-03-10 10:30:00", envelope.Review{Case: "g1", Submission: "2", Pass: true, Actor: s1})
	h.do("2025-03-10 10:40:00", envelope.Submit{Token: "tok-g2", Material: "lease", Files: photo(3)})
	h.do("2025-03-10 10:50:00", envelope.Review{Case: "g2", Submission: "1", Pass: true, Actor: s1})
	h.do("2025-03-10 11:00:00", envelope.BookCourier{Token: "tok-g2", Name: "李四", Phone: "13800000000", Address: "椒江区",
		PickupAt: at("2025-03-10 14:00:00")})
	for i, st := range envelope.Logistics {
		h.do(fmt.Sprintf("2025-03-10 15:0%d:00", i), envelope.RecordPost{Case: "g2", Material: "lease", State: st, Actor: s1})
	}
	// b1's upload waits past the hour: reported late, reviewed the next day.
	h.do("2025-03-10 11:00:00", envelope.Submit{Token: "tok-b1", Material: "id", Files: photo(4)})
	h.do("2025-03-10 12:01:00", hall.Tick{})
	h.do("2025-03-11 09:00:00", envelope.Review{Case: "b1", Submission: "1", Reason: "照片模糊", Actor: s1})

	now := at("2025-03-12 10:00:00")
	gtdj := EnvelopeCounts{Issued: 2, Submitted: 3, Passed: 2, Rejected: 1, Arrived: 1}
	for _, c := range []struct {
		label string
		bdc   EnvelopeCounts
		rate  *float64
		sheet string
	}{
		{"2025-03-10", EnvelopeCounts{Issued: 1, Submitted: 1, Late: 1}, nil, "—"},
		{"2025-03", EnvelopeCounts{Issued: 1, Submitted: 1, Late: 1, Rejected: 1}, ptr(0), "0.0%"},
	} {
		total := gtdj
		total.add(c.bdc)
		for name, rep := range bothWays(t, h, c.label, now) {
			v := rep.Envelopes
			if v == nil || len(v.Items) != 2 {
				t.Fatalf("%s from the %s: envelopes %+v", c.label, name, v)
			}
			if it := v.Items[0]; it.Key != "GTDJ" || it.EnvelopeCounts != gtdj || it.PassRate == nil || *it.PassRate != 0.667 {
				t.Errorf("%s from the %s: GTDJ %+v, want %+v", c.label, name, it, gtdj)
			}
			if it := v.Items[1]; it.Key != "BDCCX" || it.EnvelopeCounts != c.bdc || (it.PassRate == nil) != (c.rate == nil) ||
				(c.rate != nil && *it.PassRate != *c.rate) {
				t.Errorf("%s from the %s: BDCCX %+v, want %+v", c.label, name, it, c.bdc)
			}
			if v.Totals.EnvelopeCounts != total || v.Totals.Key != "*" {
				t.Errorf("%s from the %s: totals %+v, want %+v", c.label, name, v.Totals, total)
			}
			sheet := tableNamed(rep.Tables(), "免跑腿信封 Envelopes")
			if len(sheet.Rows) != 3 || sheet.Rows[0][1] != "GTDJ" || sheet.Rows[0][3] != "2" || sheet.Rows[0][6] != "1" ||
				sheet.Rows[0][8] != "1" || sheet.Rows[0][9] != "66.7%" || sheet.Rows[1][7] != "1" || sheet.Rows[1][9] != c.sheet ||
				sheet.Rows[2][0] != "合计 total" || sheet.Rows[2][3] != "3" {
				t.Errorf("%s from the %s: the envelopes' sheet %q", c.label, name, sheet.Rows)
			}
		}
	}
	// A day without envelopes: every row at zero, no rate.
	p, _ := Day("2025-03-12", shanghai)
	if v := fromDays(t, h, p, now).Report("演示").Envelopes; v == nil || v.Totals.EnvelopeCounts != (EnvelopeCounts{}) || v.Totals.PassRate != nil {
		t.Errorf("a day without envelopes: %+v", v)
	}
}

// The report of a hall without an item catalogue has no envelopes.
func TestNoCatalogueNoEnvelopes(t *testing.T) {
	h := newHall(t)
	p, _ := Day("2025-03-10", shanghai)
	if rep := h.build(p, at("2025-03-11 10:00:00")).Report(""); rep.Envelopes != nil {
		t.Fatalf("envelopes %+v", rep.Envelopes)
	}
}
