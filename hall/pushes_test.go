package hall

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hallfloor/cases"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/rating"
)

// Each event of a class a webhook takes queues one signed delivery, and the
// platform gets the record of each rating; a case's steps say its number,
// item, department and who took them, never the applicant's name, ID number
// or phone, nor the signature given for the result.
func TestPushesQueuedForTheirClasses(t *testing.T) {
	setup := withOutputWindow()
	setup.Pushes = Pushes{
		Platform: &rating.Platform{AreaCode: "331002", CreditCode: "HALL", Departments: map[string]string{"scj": "SCJ"},
			Channels: rating.DefaultChannelCodes, Location: shanghai},
		Hooks: []PushHook{{Name: "records", Classes: []string{ClassCases, ClassRatings}}, {Name: "screens", Classes: []string{ClassTickets}}},
	}
	f := newFloorWith(t, setup)
	f.open("1", "6")
	f.must(queue.IssueTicket{Service: "A", IDHash: "idhash-1", Phone: "13800138000"})
	f.call("1")
	opened := f.applied(cases.Open{Window: "1", Item: "GT", Name: "张三", IDHash: "idhash-1", Phone: "13800138000",
		Party: cases.Person, Received: []string{"m1", "m2"}, Actor: clerk("1")})
	q := payloads[outbox.PushQueued](opened)
	if len(q) != 1 || q[0].Hook != "records" || q[0].Class != ClassCases || q[0].Event != "case.opened" {
		t.Fatalf("case opened: %v", types(opened))
	}
	var env struct {
		ID, Class, Type, At string
		Data                CaseData
	}
	if err := json.Unmarshal(q[0].Body, &env); err != nil {
		t.Fatal(err)
	}
	if env.ID != q[0].ID || env.Data.Number == "" || env.Data.Item != "GT" || env.Data.Department != "scj" ||
		env.Data.Staff != "s1" || env.Data.Party != "person" || env.At != "2025-03-10T09:00:00+08:00" {
		t.Fatalf("envelope %+v", env)
	}
	caseID := payloads[cases.Opened](opened)[0].Case.ID
	f.advance(time.Minute)
	fin := f.applied(queue.Finish{Window: "1", Actor: clerk("1")})
	if q := payloads[outbox.PushQueued](fin); len(q) != 1 || q[0].Hook != "screens" || q[0].Event != "ticket.finished" {
		t.Fatalf("finished: %v", types(fin))
	}
	rated := f.applied(rating.Rate{Channel: rating.ChannelEvaluator, Window: "1", Level: 5})
	q = payloads[outbox.PushQueued](rated)
	if len(q) != 2 || q[0].Hook != PlatformHook || q[1].Hook != "records" {
		t.Fatalf("rated: %+v", q)
	}
	var rec rating.Record
	if err := json.Unmarshal(q[0].Body, &rec); err != nil || rec.CaseNumber != env.Data.Number || rec.DeptCreditCode != "SCJ" || *rec.Satisfaction != 5 {
		t.Fatalf("platform record %+v %v", rec, err)
	}
	dl := f.handOver(caseID, "张三签收")
	if q := payloads[outbox.PushQueued](dl); len(q) != 2 || q[0].Event != "case.delivered" || q[1].Event != "case.closed" {
		t.Fatalf("delivered: %v", types(dl))
	}
	for _, e := range f.journal {
		p, ok := e.Data.(outbox.PushQueued)
		if !ok {
			continue
		}
		for _, secret := range []string{"张三", "idhash-1", "13800138000"} {
			if strings.Contains(string(p.Body), secret) {
				t.Errorf("%s carries %q: %s", p.ID, secret, p.Body)
			}
		}
	}
	// screens: A001 called and finished, C001 called; records: the case's
	// six steps and the rating; the platform: the rating.
	if n := len(f.s.Outbox.DuePushes(f.now)); n != 11 {
		t.Errorf("%d pushes due, want 11", n)
	}
}
