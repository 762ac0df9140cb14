package frontend_test

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"hallfloor/config"
)

// allDayHall opens the hall and takes bookings for A every day, all day,
// so that a slot an hour or more ahead is always within working hours.
func allDayHall(c *config.Hall) {
	c.Calendar = config.Calendar{Weekly: map[string][]string{}}
	for _, wd := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
		c.Calendar.Weekly[wd] = []string{"00:00-23:59"}
	}
	for i := range c.Bookings.Services {
		if c.Bookings.Services[i].Service == "A" {
			c.Bookings.Services[i].Weekly = map[string][]string{}
			for _, wd := range []string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"} {
				c.Bookings.Services[i].Weekly[wd] = []string{"00:00-23:59"}
			}
		}
	}
}

// outboxRow waits on a signed-in dashboard for the outbox's message to
// phone worded as purpose, and returns its text.
func outboxRow(dash *tab, phone, purpose string) string {
	dash.T().Helper()
	find := `Array.from(document.querySelectorAll('#outbox tr[data-message]')).filter(function (r) {
	  return r.querySelector('td.num').textContent === '` + phone + `' && r.querySelector('td.purpose').textContent === '` + purpose + `'; })`
	dash.WaitJS(find + `.length === 1`)
	return dash.EvalString(find + `[0].textContent`)
}

// bookingsSignIn signs a clerk in on the booking list.
func bookingsSignIn(tb *tab, staff string) {
	tb.T().Helper()
	tb.WaitJS(`!document.getElementById('signin').hidden`)
	tb.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), staff),
		chromedp.SendKeys(chromedp.CSS("#password"), "demo"),
		chromedp.Click(chromedp.CSS(`#signin button[type="submit"]`)),
	)
	tb.WaitJS(`!document.getElementById('work').hidden`)
}

// TestAppointmentJourney books a slot on the phone page, finds the
// confirmation SMS with the booking code in the outbox, is refused at the
// kiosk with the code before the check-in opens and checks in with the ID
// number when the slot comes, is called at the counter ahead
// of a walk-in taken earlier, marked 预约, and both the clerk (on the
// booking list) and the applicant (on the evaluator) confirm the line of
// the 预约服务登记表.
func TestAppointmentJourney(t *testing.T) {
	var ahead atomic.Int64
	clock := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
	h := startHallWith(t, allDayHall, clock)
	const phone, id = "13800138123", "11010519491231002X"

	book := openTab(t, h.url("/book"), 390, 844)
	book.WaitJS(`document.querySelector('#services button[data-service="A"][aria-pressed="true"]') !== null && document.querySelector('#slots button:not([disabled])') !== null`)
	book.WaitText("#pick", "选择时段")
	slotStart := book.EvalString(`document.querySelector('#slots button:not([disabled])').getAttribute('data-start')`)
	start, err := time.Parse(time.RFC3339, slotStart)
	if err != nil {
		t.Fatalf("slot start %q: %v", slotStart, err)
	}
	if d := time.Until(start); d < time.Hour {
		t.Fatalf("the first free slot starts in %v, within the hour's lead", d)
	}
	book.Do(chromedp.Click(chromedp.CSS(`#slots button:not([disabled])`)))
	book.WaitJS(`!document.getElementById('form').hidden`)
	book.Do(
		chromedp.SendKeys(chromedp.CSS("#name"), "张三"),
		chromedp.SendKeys(chromedp.CSS("#idnumber"), id),
		chromedp.SendKeys(chromedp.CSS("#phone"), phone),
		chromedp.Click(chromedp.CSS("#go")),
	)
	book.WaitJS(`!document.getElementById('done').hidden`)
	book.WaitText("#done-title", "预约成功")
	code := book.Text("#code")
	if len(code) != 8 {
		t.Fatalf("the booking code shown is %q", code)
	}
	if alt := book.EvalString(`document.getElementById('qr').alt`); alt != code {
		t.Errorf("the QR is of %q, want the code %q", alt, code)
	}
	book.WaitText("#done", "凭预约码或身份证号在大厅取号机签到")

	// The confirmation SMS to the phone given, with the code.
	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	managerSignIn(dash)
	if row := outboxRow(dash, phone, "预约码"); !strings.Contains(row, code) {
		t.Errorf("the confirmation SMS does not give the code %s: %q", code, row)
	}

	// At the kiosk before the check-in opens, the code is known and refused
	// with the time it opens.
	kiosk := openTab(t, h.url("/kiosk"), 1080, 1920)
	kiosk.WaitJS(`document.body.classList.contains('online') && document.querySelector('button.svc[data-service="A"]') !== null`)
	kiosk.WaitText("#checkin-box summary", "预约签到")
	kiosk.Do(
		chromedp.Click(chromedp.CSS("#checkin-box summary")),
		chromedp.SendKeys(chromedp.CSS("#checkin-id"), strings.ToLower(code)),
		chromedp.Click(chromedp.CSS("#checkin-go")),
	)
	kiosk.WaitText("#error", "签到时间未到，请于")
	if e := kiosk.Text("#error"); !strings.Contains(e, start.Add(-30*time.Minute).In(shanghai(t)).Format("15:04")) {
		t.Errorf("the early check-in's refusal %q does not say when it opens", e)
	}
	kiosk.WaitJS(`document.getElementById('checkin-id').value === ''`)

	// The slot comes; a walk-in for A takes a number first, then the
	// applicant checks in with the ID number.
	ahead.Store(int64(time.Until(start)))
	walkin := h.issue("A")
	kiosk.WaitJS(`document.getElementById('checkin-box').open`)
	kiosk.Do(
		chromedp.SendKeys(chromedp.CSS("#checkin-id"), id),
		chromedp.Click(chromedp.CSS("#checkin-go")),
	)
	kiosk.WaitJS(`!document.getElementById('overlay').hidden`)
	kiosk.WaitText("#slip-service", "预约")
	appt := kiosk.Text("#slip-number")
	if appt == "" || appt == walkin.Number {
		t.Fatalf("the check-in's ticket is %q (the walk-in's is %s)", appt, walkin.Number)
	}
	kiosk.Do(chromedp.Click(chromedp.CSS("#done")))

	// At the counter the appointment heads the line, ahead of the walk-in
	// taken before it, with its mark; the call brings it first.
	eval := openTab(t, h.url("/evaluate/1"), 1280, 800)
	eval.WaitJS(`document.body.classList.contains('online')`)
	counter := openTab(t, h.url("/counter/1"), 1366, 768)
	signOn(counter, "1001")
	counter.WaitJS(`document.querySelectorAll('#queue tr[data-ticket]').length === 2`)
	var line []string
	counter.Eval(`Array.from(document.querySelectorAll('#queue tr[data-ticket] td.num')).map(function (c) { return c.textContent; })`, &line)
	if len(line) != 2 || line[0] != appt+"预约" || line[1] != walkin.Number {
		t.Errorf("the counter's line %q, want %s marked 预约, then %s", line, appt, walkin.Number)
	}
	counter.Do(chromedp.Click(chromedp.CSS("#act-call")))
	counter.WaitText("#cur-number", appt)
	counter.WaitText("#cur-mark", "预约")
	counter.Do(chromedp.Click(chromedp.CSS("#act-finish")))

	// The evaluator asks the applicant to confirm the appointment served.
	eval.WaitJS(`!document.getElementById('bk').hidden`)
	eval.WaitText("#bk", "预约服务确认")
	eval.WaitText("#bk-text", appt+" 号预约于")
	eval.WaitText("#bk-text", "请确认")
	eval.Do(chromedp.Click(chromedp.CSS("#bk-confirm")))
	eval.WaitJS(`document.getElementById('bk').hidden`)
	eval.WaitText("#bk-done", "已确认预约服务，谢谢！")

	// The clerk confirms it on the booking list, which then shows it
	// confirmed by both.
	list := openTab(t, h.url("/bookings"), 1366, 900)
	bookingsSignIn(list, "1001")
	row := `#rows tr[data-code="` + code + `"]`
	list.WaitText(row, "已办结")
	list.WaitText(row, "申请人已确认")
	list.Do(chromedp.Click(chromedp.CSS(row + " button")))
	list.WaitJS(`!document.getElementById('confirm').hidden`)
	list.Do(chromedp.Click(chromedp.CSS("#confirm")))
	list.WaitText(row, "窗口已确认")
	list.WaitText(row, "申请人已确认")

	var reg struct {
		Records []struct {
			Code               string    `json:"code"`
			Ticket             string    `json:"ticket"`
			Staff              string    `json:"staff"`
			ClerkConfirmed     time.Time `json:"clerk_confirmed"`
			ApplicantConfirmed time.Time `json:"applicant_confirmed"`
		} `json:"records"`
	}
	day := start.In(shanghai(t)).Format(time.DateOnly)
	h.call(200, "GET", "/api/v1/bookings/register?from="+day+"&to="+day, h.login("admin"), nil, &reg)
	if len(reg.Records) != 1 || reg.Records[0].Code != code || reg.Records[0].Ticket != appt || reg.Records[0].Staff != "1001" ||
		reg.Records[0].ClerkConfirmed.IsZero() || reg.Records[0].ApplicantConfirmed.IsZero() {
		t.Errorf("the register holds %+v, want %s served as %s by 1001 and confirmed by both", reg.Records, code, appt)
	}
}

// TestBookingRequestDeclined books a slot outside the hall's hours (错时办),
// which the phone page says is a request; on the clerks' list it shows as
// 待受理, a decline without a reason is refused in the dictionary's words,
// the decline with a reason is recorded and the applicant's SMS says so.
func TestBookingRequestDeclined(t *testing.T) {
	now := time.Now().In(shanghai(t))
	// Every day is a working day of one minute, half a day from now: a
	// booking at any other hour, as the first free slot an hour or two
	// ahead, is 错时办.
	session := now.Truncate(time.Hour).Add(12 * time.Hour)
	h := startHallWith(t, func(c *config.Hall) {
		allDayHall(c)
		for wd := range c.Calendar.Weekly {
			c.Calendar.Weekly[wd] = []string{session.Format("15:04") + "-" + session.Add(time.Minute).Format("15:04")}
		}
	}, nil)
	const phone = "13800138456"

	book := openTab(t, h.url("/book"), 390, 844)
	book.WaitJS(`document.querySelector('#slots button:not([disabled])') !== null`)
	book.WaitText("#slots button:not([disabled]) small", "错时预约，需窗口受理")
	book.Do(chromedp.Click(chromedp.CSS(`#slots button:not([disabled])`)))
	book.WaitText("#chosen", "错时预约，需窗口受理")
	book.Do(
		chromedp.SendKeys(chromedp.CSS("#name"), "李四"),
		chromedp.SendKeys(chromedp.CSS("#idnumber"), "110105194912310038"),
		chromedp.SendKeys(chromedp.CSS("#phone"), phone),
		chromedp.Click(chromedp.CSS("#go")),
	)
	book.WaitText("#done-title", "预约申请已提交，窗口受理后短信通知")
	code := book.Text("#code")
	if code == "" {
		t.Fatal("the request shows no booking code")
	}

	// The list shows the request on its day.
	var mine struct {
		Start time.Time `json:"start"`
	}
	list := openTab(t, h.url("/bookings"), 1366, 900)
	bookingsSignIn(list, "1001")
	row := `#rows tr[data-code="` + code + `"]`
	tok := h.login("1001")
	var all struct {
		Bookings []struct {
			Code  string    `json:"code"`
			Start time.Time `json:"start"`
		} `json:"bookings"`
	}
	for i := 0; i < 6 && mine.Start.IsZero(); i++ {
		h.call(200, "GET", "/api/v1/bookings?day="+now.AddDate(0, 0, i).Format(time.DateOnly), tok, nil, &all)
		for _, b := range all.Bookings {
			if b.Code == code {
				mine.Start = b.Start
			}
		}
	}
	if mine.Start.IsZero() {
		t.Fatalf("booking %s is on none of the list's days", code)
	}
	list.WaitJS(`document.querySelector('#days button') !== null`)
	list.Do(chromedp.Click(chromedp.CSS(`#days button[data-day="` + mine.Start.In(shanghai(t)).Format(time.DateOnly) + `"]`)))
	list.WaitText(row, "待受理")
	list.WaitText(row, "李四")
	list.WaitText(row, phone)

	// Declined without a reason: refused, in the dictionary's words.
	list.Do(chromedp.Click(chromedp.CSS(row + " button")))
	list.WaitJS(`!document.getElementById('decline').hidden`)
	list.Do(chromedp.Click(chromedp.CSS("#decline")))
	list.WaitText("#error", "不予受理时请选择或填写原因")
	list.WaitText(row, "待受理")

	// With a reason: declined, the reason on the list and in the SMS.
	const reason = "该时段无法安排业务人员"
	list.Do(
		chromedp.SendKeys(chromedp.CSS("#reason"), reason),
		chromedp.Click(chromedp.CSS("#decline")),
	)
	list.WaitText(row, "不予受理 · "+reason)
	if e := list.EvalString(`document.getElementById('error').textContent`); e != "" {
		t.Errorf("the list still says %q after the decline", e)
	}

	dash := openTab(t, h.url("/dashboard"), 1920, 1080)
	managerSignIn(dash)
	outboxRow(dash, phone, "预约申请回执")
	if sms := outboxRow(dash, phone, "预约不予受理通知"); !strings.Contains(sms, reason) {
		t.Errorf("the decline's SMS does not give the reason: %q", sms)
	}
}
