package rating

import (
	"testing"
	"time"

	"hallfloor/queue"
	"hallfloor/room"
)

// A day's records: a service rated on its page after its question closed
// is rated; one whose question never closed is not rated; a second rating
// is its own record; a typed reason is the applicant's text, an offered one
// its code.
func TestDayRecords(t *testing.T) {
	t0 := time.Date(2025, 3, 13, 2, 0, 0, 0, time.UTC)
	p := &Platform{AreaCode: "331002", CreditCode: "HALL", Departments: map[string]string{"scj": "SCJ"},
		ReasonCodes: map[string]string{"等候时间长": "101"}, Channels: DefaultChannelCodes, Location: time.FixedZone("CST", 8*3600)}
	a1 := queue.TicketRef{ID: "t1", Number: "A001"}
	a2 := queue.TicketRef{ID: "t2", Number: "A002"}
	a3 := queue.TicketRef{ID: "t3", Number: "A003"}
	c := &CaseLink{Number: "202503130001", Item: "GT", Department: "scj", Kind: "promised", Party: "person"}
	d := NewDayRecords(p)
	for i, pl := range []room.Payload{
		PromptOpened{Ticket: a1, Window: "1", Staff: "s1", Case: c},
		Expired{Ticket: a1, Window: "1", Reason: "timeout", Case: c},
		Given{Ticket: a1, Window: "1", Staff: "s1", Level: 1, Reason: "等候时间长", Channel: ChannelQR, Case: c},
		PromptOpened{Ticket: a2, Window: "1", Staff: "s1"},
		Given{Ticket: a2, Window: "1", Staff: "s1", Level: 5, Reason: "很好", Channel: ChannelEvaluator},
		PromptOpened{Ticket: a3, Window: "2", Staff: "s2"},
		Given{Ticket: a1, Window: "1", Staff: "s1", Level: 4, Channel: ChannelSMS, Case: c, Second: true, FollowUp: "FU1"},
	} {
		d.Add(room.Event{Seq: uint64(i + 1), At: t0.Add(time.Duration(i) * time.Minute), Data: pl})
	}
	rs := d.Records()
	if len(rs) != 4 {
		t.Fatalf("records %+v", rs)
	}
	if r := rs[0]; r.Satisfaction == nil || *r.Satisfaction != 1 || r.ChannelCode != "3" || r.ReasonCodes[0] != "101" || r.Text != "" ||
		r.DeptCreditCode != "SCJ" || r.CaseNumber != c.Number || r.UserType != "0" || r.CaseKind != "2" || r.Time != "2025-03-13T10:02:00+08:00" {
		t.Errorf("rated on its page after the question closed: %+v", r)
	}
	if r := rs[1]; r.Text != "很好" || len(r.ReasonCodes) != 0 || r.DeptCreditCode != "HALL" || r.CaseNumber != "" || r.UserType != "" {
		t.Errorf("typed reason, no case: %+v", r)
	}
	if r := rs[2]; r.Satisfaction != nil || r.TicketNumber != "A003" || r.Staff != "s2" || r.Time != "2025-03-13T10:05:00+08:00" {
		t.Errorf("a question still open is not rated: %+v", r)
	}
	if r := rs[3]; r.RatingNumber != 2 || *r.Satisfaction != 4 || r.ChannelCode != "7" || r.CaseNumber != c.Number {
		t.Errorf("second rating: %+v", r)
	}
	if row := rs[2].Row(); len(row) != len(RecordColumns) || row[8] != "" || row[12] != "1" {
		t.Errorf("row %v", row)
	}
}
