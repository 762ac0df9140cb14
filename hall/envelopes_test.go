package hall

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/cases"
	"hallfloor/envelope"
	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/room"
)

// envelopeSetup is testSetup with an item whose 收件清单 has a material to
// be signed in person, the hall's recipient for posted paper, and windows
// 1 and 2 in a group whose leader and 业务专员 have phones.
func envelopeSetup() *Setup {
	s := testSetup()
	cs := *s.Cases
	cs.Items = append(slices.Clone(cs.Items), cases.Item{Code: "KY", Name: "食品经营许可", Department: "scj", Kind: cases.Promised, Days: 5,
		Materials: []cases.Material{{Code: "sqs", Name: "申请书"}, {Code: "zm", Name: "场所证明"}, {Code: "cn", Name: "承诺书", InPerson: true},
			{Code: "tz", Name: "平面图"}}})
	s.Cases = cases.NewSetup(cs)
	s.Envelopes = envelope.NewSetup(envelope.Setup{
		Recipient: envelope.Recipient{Name: "综合窗口收件岗", Phone: "0592-5000000", Address: "湖里区行政服务中心一楼"},
		Groups:    []envelope.Group{{Name: "综合窗口管理小组", Windows: []string{"1", "2"}, Leader: "s9", Specialist: "s8"}},
		Phones:    map[string]string{"s9": "13900000009", "s8": "13900000008"},
	})
	return s
}

func envelopeSealed() map[string]outbox.Queued {
	return map[string]outbox.Queued{
		envelope.NoticePassed:   {ID: "sms-passed", Sealed: []byte("p")},
		envelope.NoticeRejected: {ID: "sms-rejected", Sealed: []byte("r")},
	}
}

// issueEnvelope opens a KY case at window 1 with sqs received and the
// envelope for the rest, returning the case's id.
func (f *floor) issueEnvelope(party cases.Party, token string, ways ...envelope.Choice) string {
	f.t.Helper()
	f.issue("A")
	f.call("1")
	evs := f.applied(envelope.Issue{Open: cases.Open{Window: "1", Item: "KY", Name: "张三", IDHash: "h-" + token,
		Phone: "13800138000", Party: party, Received: []string{"sqs", "cn"}, Actor: clerk("1")},
		Token: token, Materials: ways, Notices: envelopeSealed()})
	iss := payloads[envelope.Issued](evs)
	if len(iss) != 1 || len(payloads[cases.Opened](evs)) != 1 {
		f.t.Fatalf("issued %v", types(evs))
	}
	return iss[0].Case.ID
}

var (
	byUpload = func(code string) envelope.Choice { return envelope.Choice{Code: code, Way: envelope.Upload} }
	byPost   = func(code string) envelope.Choice { return envelope.Choice{Code: code, Way: envelope.Post} }
	photo    = []envelope.File{{Hash: "aa11", Size: 2048, Type: "image/jpeg", Name: "zm.jpg"}}
)

// A person pays the post on delivery, the bureau an enterprise's; the
// recipient is the hall's, whatever the applicant books.
func TestEnvelopePostageAndRecipient(t *testing.T) {
	f := newFloorWith(t, envelopeSetup())
	f.open("1")
	person := f.issueEnvelope(cases.Person, "tok-p", byUpload("zm"), byPost("tz"))
	firm := f.issueEnvelope(cases.Enterprise, "tok-e", byPost("zm"), byPost("tz"))
	if p, e := f.s.Envelopes.Envelopes[person], f.s.Envelopes.Envelopes[firm]; p.Postage != envelope.Collect || e.Postage != envelope.Prepaid {
		t.Fatalf("postage: person %s, enterprise %s", p.Postage, e.Postage)
	}
	// The case opened as under 容缺: what the envelope brings is missing.
	if k := f.s.Cases.Cases[person]; !slices.Equal(k.Missing, []string{"zm", "tz"}) || k.Status != cases.Received {
		t.Fatalf("case %+v", k)
	}
	f.must(envelope.Submit{Token: "tok-e", Material: "zm", Files: photo})
	f.must(envelope.Submit{Token: "tok-e", Material: "tz", Files: photo})
	f.must(envelope.Review{Case: firm, Submission: "1", Pass: true, Actor: clerk("1")})
	f.refuse(envelope.BookCourier{Token: "tok-e", Name: "李四", Phone: "13700137000", Address: "湖里区金山街道", PickupAt: f.now.Add(24 * time.Hour)},
		errs.Conflict, "envelope_courier_early")
	f.must(envelope.Review{Case: firm, Submission: "2", Pass: true, Actor: clerk("1")})
	f.must(envelope.BookCourier{Token: "tok-e", Name: "李四", Phone: "13700137000", Address: "湖里区金山街道", PickupAt: f.now.Add(24 * time.Hour)})
	e := f.s.Envelopes.Envelopes[firm]
	if e.Recipient != f.setup.Envelopes.Recipient || e.Courier == nil || e.Courier.Address != "湖里区金山街道" {
		t.Fatalf("recipient %+v courier %+v", e.Recipient, e.Courier)
	}
}

// An upload rejected with its reason is submitted again and passed; each
// submission tells the clerk (on the terminal: the event names them) and
// the group's leader and 专员 by SMS; the applicant hears of each review;
// the passed upload supplies the case in the same command.
func TestEnvelopeUploadRejectedThenPassed(t *testing.T) {
	f := newFloorWith(t, envelopeSetup())
	f.open("1")
	id := f.issueEnvelope(cases.Person, "tok", byUpload("zm"), byUpload("tz"))
	f.refuse(envelope.Submit{Token: "nope", Material: "zm", Files: photo}, errs.NotFound, "no_envelope")
	f.refuse(envelope.Submit{Token: "tok", Material: "sqs", Files: photo}, errs.Invalid, "envelope_not_missing")
	f.refuse(envelope.Submit{Token: "tok", Material: "zm"}, errs.Invalid, "envelope_files_needed")
	evs := f.applied(envelope.Submit{Token: "tok", Material: "zm", Files: photo})
	sub := payloads[envelope.Submitted](evs)
	if len(sub) != 1 || sub[0].Clerk != "s1" || sub[0].Window != "1" || !slices.Equal(sub[0].Notified, []string{"s9", "s8"}) {
		t.Fatalf("submitted %+v", sub)
	}
	if pub, ok := room.Public(sub[0]).(envelope.Stepped); !ok || pub.Clerk != "s1" || pub.Event != "envelope.submitted" {
		t.Fatalf("the counter is told %+v", room.Public(sub[0]))
	}
	sms := payloads[outbox.Queued](evs)
	if len(sms) != 2 || sms[0].Vars[outbox.VarPhone] != "13900000009" || sms[1].Vars[outbox.VarPhone] != "13900000008" ||
		sms[0].Purpose != envelope.PurposeSubmitted || sms[0].Vars[envelope.VarMaterial] != "场所证明" {
		t.Fatalf("the leader's and 专员's SMS %+v", sms)
	}
	f.refuse(envelope.Submit{Token: "tok", Material: "zm", Files: photo}, errs.Conflict, "envelope_pending")
	f.refuse(envelope.Review{Case: id, Submission: "1", Actor: clerk("1")}, errs.Invalid, "envelope_reason_needed")
	f.refuse(envelope.Review{Case: id, Submission: "1", Reason: "不清晰"}, errs.Unauthorized, "sign_in_required")
	f.refuse(envelope.Review{Case: id, Submission: "1", Reason: "不清晰", Actor: room.Actor{Staff: "e1", Role: room.Clerk}},
		errs.Forbidden, "case_not_yours")
	evs = f.applied(envelope.Review{Case: id, Submission: "1", Reason: "照片不清晰", Actor: clerk("1")})
	sms = payloads[outbox.Queued](evs)
	if len(sms) != 1 || sms[0].ID != "sms-rejected" || sms[0].Vars[envelope.VarReason] != "照片不清晰" || len(payloads[cases.Supplied](evs)) != 0 {
		t.Fatalf("rejected: %v %+v", types(evs), sms)
	}
	if m := f.s.Envelopes.Envelopes[id].Material("zm"); m.Status != envelope.Rejected {
		t.Fatalf("zm %+v", m)
	}
	f.refuse(envelope.Review{Case: id, Submission: "1", Pass: true, Actor: clerk("1")}, errs.Conflict, "envelope_reviewed")
	f.must(envelope.Submit{Token: "tok", Material: "zm", Files: photo})
	evs = f.applied(envelope.Review{Case: id, Submission: "2", Pass: true, Actor: clerk("1")})
	if sp := payloads[cases.Supplied](evs); len(sp) != 1 || !slices.Equal(sp[0].Materials, []string{"zm"}) || sp[0].Settled {
		t.Fatalf("passed: %v", types(evs))
	}
	if sms := payloads[outbox.Queued](evs); len(sms) != 1 || sms[0].ID != "sms-passed" {
		t.Fatalf("passed SMS %+v", sms)
	}
	f.refuse(envelope.Submit{Token: "tok", Material: "zm", Files: photo}, errs.Conflict, "envelope_not_owed")
	// A later rejection (the third) is a new message to the case's phone, with the
	// token for the link.
	f.must(envelope.Submit{Token: "tok", Material: "tz", Files: photo})
	f.must(envelope.Review{Case: id, Submission: "3", Reason: "缺页", Actor: clerk("1")})
	evs = f.applied(envelope.Submit{Token: "tok", Material: "tz", Files: photo})
	if len(payloads[outbox.Queued](evs)) != 2 {
		t.Fatalf("every submission tells the group: %v", types(evs))
	}
	sms = payloads[outbox.Queued](f.applied(envelope.Review{Case: id, Submission: "4", Reason: "仍缺页", Actor: clerk("1")}))
	if len(sms) != 1 || sms[0].ID != "sms-rejected.3" || sms[0].Sealed != nil || sms[0].Vars[outbox.VarPhone] != "13800138000" ||
		sms[0].Vars[envelope.VarToken] != "tok" {
		t.Fatalf("second rejection %+v", sms)
	}
	f.must(envelope.Submit{Token: "tok", Material: "tz", Files: photo})
	evs = f.applied(envelope.Review{Case: id, Submission: "5", Pass: true, Actor: clerk("1")})
	if sp := payloads[cases.Supplied](evs); len(sp) != 1 || !sp[0].Settled {
		t.Fatalf("the last one passed: %v", types(evs))
	}
	// The intake is complete: the case goes on to the department.
	k := f.s.Cases.Cases[id]
	if len(k.Missing) != 0 || k.Status != cases.Received {
		t.Fatalf("case %+v", k)
	}
	f.must(cases.Accept{Case: id, Actor: dept("d1")})
	// The envelope survives the journal.
	r := NewState(f.setup)
	for _, e := range f.journal {
		r.Apply(e)
	}
	if a, b := r.Envelopes.Envelopes[id], f.s.Envelopes.Envelopes[id]; a == nil || len(a.Submissions) != 5 || r.Envelopes.ByToken("tok") != a ||
		a.Material("tz").Status != b.Material("tz").Status {
		t.Fatalf("replayed %+v", a)
	}
}

// Paper comes by post: its photos pre-reviewed, the courier booked, the
// clerk's states in order, and the arrival supplies the case.
func TestEnvelopePostArrives(t *testing.T) {
	f := newFloorWith(t, envelopeSetup())
	f.open("1")
	id := f.issueEnvelope(cases.Person, "tok", byUpload("zm"), byPost("tz"))
	f.refuse(envelope.RecordPost{Case: id, Material: "zm", State: envelope.Arrived, Actor: clerk("1")}, errs.Invalid, "envelope_not_post")
	f.refuse(envelope.RecordPost{Case: id, Material: "tz", State: envelope.PickedUp, Actor: clerk("1")}, errs.Conflict, "envelope_post_early")
	f.must(envelope.Submit{Token: "tok", Material: "tz", Files: photo})
	evs := f.applied(envelope.Review{Case: id, Submission: "1", Pass: true, Actor: clerk("1")})
	if len(payloads[cases.Supplied](evs)) != 0 {
		t.Fatal("a pre-review supplied the paper")
	}
	book := envelope.BookCourier{Token: "tok", Name: "张三", Phone: "13800138000", Address: "湖里区金山街道", PickupAt: f.now.Add(-time.Hour)}
	f.refuse(book, errs.Invalid, "envelope_pickup_at")
	book.PickupAt = f.now.Add(3 * time.Hour)
	f.must(book)
	f.must(envelope.RecordPost{Case: id, Material: "tz", State: envelope.PickedUp, Actor: clerk("1")})
	f.refuse(book, errs.Conflict, "envelope_courier_gone")
	f.must(envelope.RecordPost{Case: id, Material: "tz", State: envelope.InTransit, Actor: clerk("1")})
	f.refuse(envelope.RecordPost{Case: id, Material: "tz", State: envelope.PickedUp, Actor: clerk("1")}, errs.Conflict, "envelope_post_order")
	evs = f.applied(envelope.RecordPost{Case: id, Material: "tz", State: envelope.Arrived, Actor: clerk("1")})
	if sp := payloads[cases.Supplied](evs); len(sp) != 1 || !slices.Equal(sp[0].Materials, []string{"tz"}) {
		t.Fatalf("arrived: %v", types(evs))
	}
	if k := f.s.Cases.Cases[id]; !slices.Equal(k.Missing, []string{"zm"}) {
		t.Fatalf("missing %v", k.Missing)
	}
	if tr := f.s.Envelopes.Envelopes[id].Material("tz").Track; len(tr) != 3 || tr[2].State != envelope.Arrived {
		t.Fatalf("track %+v", tr)
	}
}

// What must be signed or checked in person never goes in an envelope;
// every missing material needs its way; the envelope comes only with its
// case.
func TestEnvelopeRefusals(t *testing.T) {
	f := newFloorWith(t, envelopeSetup())
	f.open("1")
	f.issue("A")
	f.call("1")
	open := cases.Open{Window: "1", Item: "KY", Name: "张三", IDHash: "h1", Party: cases.Person, Received: []string{"sqs"}, Actor: clerk("1")}
	f.refuse(envelope.Issue{Open: open, Token: "t", Materials: []envelope.Choice{byUpload("zm"), byUpload("tz"), byPost("cn")}},
		errs.Invalid, "envelope_in_person")
	open.Received = []string{"sqs", "cn"}
	f.refuse(envelope.Issue{Open: open, Token: "t", Materials: []envelope.Choice{byUpload("zm")}}, errs.Invalid, "envelope_way_needed")
	f.refuse(envelope.Issue{Open: open, Token: "t", Materials: []envelope.Choice{byUpload("zm"), byUpload("tz"), byUpload("sqs")}},
		errs.Invalid, "envelope_not_missing")
	f.refuse(envelope.Issue{Open: open, Token: "t", Materials: []envelope.Choice{byUpload("zm"), {Code: "tz", Way: "fax"}}},
		errs.Invalid, "envelope_way")
	open.Missing = cases.MissingEnvelope
	f.refuse(open, errs.Invalid, "envelope_needed")
	open.Received = []string{"sqs", "cn", "zm", "tz"}
	f.refuse(envelope.Issue{Open: open, Token: "t"}, errs.Invalid, "envelope_nothing_missing")
	// Without the hall's recipient, nothing comes by post.
	f.setup.Envelopes = envelope.NewSetup(envelope.Setup{})
	open.Received = []string{"sqs", "cn"}
	f.refuse(envelope.Issue{Open: open, Token: "t", Materials: []envelope.Choice{byUpload("zm"), byPost("tz")}},
		errs.Conflict, "envelope_no_recipient")
}

// A submission waiting past the setting raises the dashboard's alert,
// reported once, until it is reviewed.
func TestEnvelopeReviewLate(t *testing.T) {
	f := newFloorWith(t, envelopeSetup())
	f.open("1")
	id := f.issueEnvelope(cases.Person, "tok", byUpload("zm"), byUpload("tz"))
	f.must(envelope.Submit{Token: "tok", Material: "zm", Files: photo})
	f.advance(59 * time.Minute)
	if evs := f.applied(Tick{}); len(payloads[envelope.ReviewLate](evs)) != 0 {
		t.Fatalf("late too soon: %v", types(evs))
	}
	f.advance(2 * time.Minute)
	if evs := f.applied(Tick{}); len(payloads[envelope.ReviewLate](evs)) != 1 {
		t.Fatalf("not late: %v", types(evs))
	}
	f.advance(time.Minute)
	if len(envelope.Due(f.s.Envelopes, f.setup.Envelopes, f.now)) != 0 {
		t.Fatal("late twice")
	}
	alerts := func() (out []Alert) {
		for _, a := range AlertsAt(f.s, f.setup, f.now) {
			if a.Kind == AlertEnvelopeReview {
				out = append(out, a)
			}
		}
		return out
	}
	if a := alerts(); len(a) != 1 || a[0].Args["number"] != f.s.Cases.Cases[id].Number || a[0].Args["minutes"] != "60" {
		t.Fatalf("alerts %+v", a)
	}
	b, _ := json.Marshal(alerts())
	if strings.Contains(string(b), "张三") {
		t.Fatal("an alert names the applicant")
	}
	f.must(envelope.Review{Case: id, Submission: "1", Pass: true, Actor: clerk("1")})
	if a := alerts(); len(a) != 0 {
		t.Fatalf("reviewed, still alerted %+v", a)
	}
}
