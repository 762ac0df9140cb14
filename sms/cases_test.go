package sms

import (
	"strings"
	"testing"

	"hallfloor/cases"
)

// A case's SMS are worded under the purposes the hall queues them with:
// the result ready for each way of collecting, the 补正通知 with its
// materials, the refusal; the second 补正通知, sealed without a phone, goes
// to the phone the hall adds.
func TestCaseMessagesAreWorded(t *testing.T) {
	w := &Wording{Hall: "演示中心"}
	vars := map[string]string{"case": "202503100001", "what": "个体工商户登记", "materials": "申请书、身份证明"}
	tests := []struct {
		purpose string
		says    string
	}{
		{cases.ReadyPurpose(""), "出件窗口"},
		{cases.ReadyPurpose(cases.ChannelWindow), "出件窗口"},
		{cases.ReadyPurpose(cases.ChannelPost), "邮寄"},
		{cases.ReadyPurpose(cases.ChannelLocker), "取件柜"},
		{cases.NoticeSupplement, "申请书、身份证明"},
		{cases.NoticeRefused, "决定书"},
	}
	for _, tc := range tests {
		m, err := w.Word("m1", tc.purpose, vars, Envelope{To: "13800138000"})
		if err != nil {
			t.Errorf("%s: %v", tc.purpose, err)
			continue
		}
		for _, want := range []string{"演示中心", "202503100001", "个体工商户登记", tc.says} {
			if !strings.Contains(m.Text, want) {
				t.Errorf("%s: %q does not say %q", tc.purpose, m.Text, want)
			}
		}
	}
	vars["phone"] = "13900139000"
	if m, err := w.Word("m1.2", cases.NoticeSupplement, vars, Envelope{}); err != nil || m.To != "13900139000" {
		t.Errorf("the second 补正通知 %+v %v", m, err)
	}
}
