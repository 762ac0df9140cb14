package sms

import (
	"strings"
	"testing"

	"hallfloor/envelope"
)

// The envelope's SMS are worded under the purposes the hall queues them
// with: the group told of a submission, the applicant of a pass, and of a
// rejection with its reason and the link to upload again, whether the
// token came sealed or, for a later rejection, in the words.
func TestEnvelopeMessagesAreWorded(t *testing.T) {
	w := &Wording{Hall: "湖里区行政服务中心", EnvelopePage: "https://hall.example.gov.cn/e"}
	vars := map[string]string{"case": "202503100001", "what": "食品经营许可", "material": "场所证明", "window": "3", "reason": "照片不清晰"}
	for purpose, says := range map[string][]string{
		envelope.PurposeSubmitted: {"场所证明", "3 号窗口"},
		envelope.NoticePassed:     {"场所证明", "审核通过"},
		envelope.NoticeRejected:   {"照片不清晰", "https://hall.example.gov.cn/e/tok123"},
	} {
		m, err := w.Word("m1", purpose, vars, Envelope{To: "13800138000", Code: "tok123"})
		if err != nil {
			t.Fatalf("%s: %v", purpose, err)
		}
		for _, want := range append(says, "202503100001", "食品经营许可") {
			if !strings.Contains(m.Text, want) {
				t.Errorf("%s: %q does not say %q", purpose, m.Text, want)
			}
		}
	}
	vars["phone"], vars["token"] = "13900139000", "tok456"
	m, err := w.Word("m1.2", envelope.NoticeRejected, vars, Envelope{})
	if err != nil || m.To != "13900139000" || !strings.Contains(m.Text, "/e/tok456") {
		t.Fatalf("a later rejection %+v %v", m, err)
	}
	if bad := DefaultTemplates.Check(); len(bad) != 0 {
		t.Fatalf("templates %v", bad)
	}
}
