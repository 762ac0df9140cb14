package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"hallfloor/sms"
)

// TestRemindersGoOutBySMS takes a number with a phone at the kiosk behind
// four others and serves the line: the holder gets one SMS when three are
// left before them and one when called, worded from the hall file, and the
// manager's outbox lists both; the phone appears on no public payload, and
// the others, who gave no phone, get nothing.
func TestRemindersGoOutBySMS(t *testing.T) {
	h := startLockHall(t, nil)
	const phone = "13800138000"
	for range 4 {
		h.must(http.StatusCreated, "POST", "/api/v1/tickets", "", map[string]string{"service": "A"})
	}
	var tk ticket
	h.must(http.StatusCreated, "POST", "/api/v1/tickets", "", map[string]string{"service": "A", "phone": phone}).into(t, &tk)
	if tk.Number != "A005" || tk.Ahead != 4 {
		t.Fatalf("ticket %+v", tk)
	}
	held := h.event("outbox.held")
	if strings.Contains(string(held.Data), phone) || strings.Contains(string(held.Data), tk.ID) {
		t.Fatalf("a public frame names the holder: %s", held.Data)
	}
	if b := h.must(200, "GET", "/api/v1/hall", "", nil).body; strings.Contains(string(b), phone) {
		t.Fatalf("the public view shows the phone: %s", b)
	}

	clerk := h.login("1001")
	h.must(200, "POST", "/api/v1/windows/1/open", clerk, nil)
	current := ""
	next := func() {
		t.Helper()
		h.advance(time.Minute)
		var r windowReply
		h.must(200, "POST", "/api/v1/windows/1/call", clerk, map[string]string{"current": current}).into(t, &r)
		current = r.Ticket.ID
	}
	next() // A001: three before A005
	near := h.nextMessage()
	if near.To != phone || !strings.Contains(near.Text, "A005 号前面还有 3 人") || !strings.HasPrefix(near.Text, "【演示政务服务中心】") {
		t.Fatalf("near SMS %+v", near)
	}
	next() // two before it: nothing more
	next()
	next()
	next() // A005
	called := h.nextMessage()
	if called.To != phone || !strings.Contains(called.Text, "请 A005 号到 1 号窗口办理") {
		t.Fatalf("called SMS %+v", called)
	}
	h.must(200, "POST", "/api/v1/windows/1/recall", clerk, nil)
	h.must(200, "POST", "/api/v1/windows/1/finish", clerk, nil)
	h.event("rating.prompted")
	select {
	case m := <-h.sent:
		t.Fatalf("a third SMS went out: %+v", m)
	default:
	}

	var box struct {
		Messages []struct {
			Purpose string `json:"purpose"`
			Status  string `json:"status"`
			To      string `json:"to"`
			Text    string `json:"text"`
		} `json:"messages"`
	}
	h.must(200, "GET", "/api/v1/outbox", h.login("admin"), nil).into(t, &box)
	purposes := map[string]int{}
	for _, m := range box.Messages {
		purposes[m.Purpose]++
		if m.To != phone {
			t.Errorf("outbox message to %q: %+v", m.To, m)
		}
	}
	if purposes[sms.PurposeTicketNear] != 1 || purposes[sms.PurposeTicketCalled] != 1 || len(box.Messages) != 2 {
		t.Fatalf("outbox %+v", box.Messages)
	}
}
