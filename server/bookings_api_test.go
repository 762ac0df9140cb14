package server_test

import (
	"context"
	"maps"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/config"
	"hallfloor/devices/escpos/escposim"
	"hallfloor/hall"
)

type bookingAnswer struct {
	Code    string    `json:"code"`
	Service string    `json:"service"`
	Start   time.Time `json:"start"`
	Status  string    `json:"status"`
	Request bool      `json:"request"`
	Channel string    `json:"channel"`
	Name    string    `json:"name"`
	Phone   string    `json:"phone"`
}

// TestBookingsAPI books on the API as the phone page does, is told by SMS
// with the code, is refused a second booking of the day and a full slot
// with the next free ones, cancels with the code and the ID number, is
// listed for the clerk, checks in at the kiosk for a ticket marked 预约 and
// called ahead of a walk-in, and a late booking is forfeited by the clerk.
func TestBookingsAPI(t *testing.T) {
	printer, err := escposim.Listen("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer printer.Close()
	h := startLockHall(t, func(c *config.Hall) {
		c.Devices.Kiosks = []config.KioskDevices{{ID: "K1", Printer: &config.Printer{Address: printer.Addr()}}}
	})
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	h.mu.Lock()
	h.now = time.Date(2027, 1, 4, 8, 0, 0, 0, shanghai) // a Monday
	h.mu.Unlock()
	ids := []string{idNumber("11010519800101001"), idNumber("11010519800101002"), idNumber("11010519800101003"), idNumber("11010519800101004")}

	var slots struct {
		Days []struct {
			Day   string `json:"day"`
			Slots []struct {
				Start time.Time `json:"start"`
				Left  int       `json:"left"`
				Free  bool      `json:"free"`
				Note  *struct{ ZH string }
			} `json:"slots"`
		} `json:"days"`
	}
	for _, page := range []string{"/book", "/bookings"} {
		if r := h.must(200, "GET", page, "", nil); !strings.HasPrefix(r.header.Get("Content-Type"), "text/html") {
			t.Fatalf("%s: %s", page, r.header.Get("Content-Type"))
		}
	}
	h.must(200, "GET", "/api/v1/bookings/slots?service=A&from=2027-01-04&days=2", "", nil).into(t, &slots)
	if len(slots.Days) != 2 || len(slots.Days[0].Slots) != 14 || !slots.Days[0].Slots[0].Free || slots.Days[0].Slots[0].Left != 2 {
		t.Fatalf("slots %+v", slots)
	}

	book := func(id, start string) reply {
		return h.req("POST", "/api/v1/bookings", "", map[string]string{"service": "A", "start": start, "id_number": id, "name": "张三丰", "phone": "13800138000"})
	}
	var b bookingAnswer
	if r := book(ids[0], "2027-01-04 09:00"); r.status != http.StatusCreated {
		t.Fatalf("book: %s", r)
	} else {
		r.into(t, &b)
	}
	if b.Status != "booked" || b.Channel != "online" || b.Name != "张*丰" || b.Phone != "" || len(b.Code) != 8 {
		t.Fatalf("booking %+v", b)
	}
	if m := h.nextMessage(); m.To != "13800138000" || !strings.Contains(m.Text, b.Code) || !strings.Contains(m.Text, "1月4日 09:00") || !strings.Contains(m.Text, "社会民生") {
		t.Fatalf("confirmation SMS %+v", m)
	}
	if e := book(ids[0], "2027-01-04 10:00").apiError(t); e.Error.Reason != "booking_one_per_day" || !strings.Contains(e.Error.Message, "2027-01-04") {
		t.Fatalf("second booking of the day: %+v", e)
	}
	h.must(201, "POST", "/api/v1/bookings", "", map[string]string{"service": "A", "start": "2027-01-04 09:30", "id_number": ids[1], "name": "李四"})
	h.must(201, "POST", "/api/v1/bookings", "", map[string]string{"service": "A", "start": "2027-01-04 09:30", "id_number": ids[2], "name": "王五"})
	full := book(ids[3], "2027-01-04 09:30")
	if e := full.apiError(t); full.status != http.StatusConflict || e.Error.Reason != "booking_slot_full" || !strings.HasPrefix(e.Error.Args["next"], "2027-01-04 10:00") {
		t.Fatalf("full slot: %s", full)
	}
	if r := book(ids[3], "2027-01-04 09:15"); r.status != http.StatusBadRequest || r.apiError(t).Error.Field != "start" {
		t.Fatalf("no such slot: %s", r)
	}

	var c bookingAnswer
	book(ids[3], "2027-01-05 10:00").into(t, &c)
	h.nextMessage()
	if r := h.req("POST", "/api/v1/bookings/"+c.Code+"/cancel", "", map[string]string{"id_number": ids[0]}); r.status != http.StatusNotFound {
		t.Fatalf("cancel with another ID number: %s", r)
	}
	h.must(200, "POST", "/api/v1/bookings/"+c.Code+"/cancel", "", map[string]string{"id_number": ids[3]}).into(t, &c)
	if c.Status != "cancelled" {
		t.Fatalf("cancelled %+v", c)
	}

	clerk := h.login("1001")
	h.must(401, "GET", "/api/v1/bookings", "", nil)
	var list struct {
		Bookings       []bookingAnswer `json:"bookings"`
		DeclineReasons []string        `json:"decline_reasons"`
	}
	h.must(200, "GET", "/api/v1/bookings?day=2027-01-04", clerk, nil).into(t, &list)
	if len(list.Bookings) != 3 || list.Bookings[0].Phone != "13800138000" || list.Bookings[0].Name != "张三丰" || len(list.DeclineReasons) == 0 {
		t.Fatalf("clerks' list %+v", list)
	}

	// 08:40: a walk-in, then the 09:00 booking checks in by ID number.
	h.advance(40 * time.Minute)
	walkIn := h.must(201, "POST", "/api/v1/tickets", "", map[string]string{"service": "A"})
	var tk struct {
		ticket
		Via  string `json:"via"`
		Mark *struct {
			ZH string `json:"zh"`
		} `json:"mark"`
	}
	h.must(201, "POST", "/api/v1/bookings/checkin", "", map[string]string{"id_number": ids[0], "kiosk": "K1"}).into(t, &tk)
	if tk.Via != "booking" || tk.Mark == nil || tk.Mark.ZH != "预约" || tk.Key == "" {
		t.Fatalf("check-in ticket %+v", tk)
	}
	// Checked in at kiosk K1, the booking's slip prints there, marked.
	if slip := waitSlips(t, printer, 1)[0]; slip.Largest() != tk.Number || !slices.Contains(slip.Lines(), "社会民生 · 预约") {
		t.Fatalf("the check-in's slip %q", slip.Lines())
	}
	if r := h.req("POST", "/api/v1/bookings/checkin", "", map[string]string{"code": b.Code}); r.apiError(t).Error.Reason != "booking_checked_in_already" {
		t.Fatalf("second check-in: %s", r)
	}
	h.must(200, "POST", "/api/v1/windows/1/open", clerk, nil)
	var called windowReply
	h.must(200, "POST", "/api/v1/windows/1/call", clerk, map[string]string{"current": ""}).into(t, &called)
	if called.Ticket == nil || called.Ticket.ID != tk.ID {
		t.Fatalf("called %+v, want the appointment before walk-in %s", called.Ticket, walkIn.body)
	}

	// Served, the appointment is a line of the 预约服务登记表, confirmed by
	// the clerk and by the applicant, and filed for the supervision office.
	h.advance(5 * time.Minute)
	h.must(200, "POST", "/api/v1/windows/1/finish", clerk, nil)
	if r := h.req("POST", "/api/v1/bookings/"+b.Code+"/confirm", "", map[string]string{"by": "clerk"}); r.status != http.StatusUnauthorized {
		t.Fatalf("a clerk's confirmation without sign-in: %s", r)
	}
	h.must(200, "POST", "/api/v1/bookings/"+b.Code+"/confirm", clerk, map[string]string{"by": "clerk"})
	var win struct {
		BookingConfirm *struct {
			Number string `json:"number"`
		} `json:"booking_confirm"`
	}
	h.must(200, "GET", "/api/v1/windows/1", "", nil).into(t, &win)
	if win.BookingConfirm == nil || win.BookingConfirm.Number != tk.Number {
		t.Fatalf("the evaluator is not asked to confirm the appointment: %+v", win)
	}
	if r := h.req("POST", "/api/v1/windows/2/booking/applicant-confirm", "", map[string]string{}); r.apiError(t).Error.Reason != "booking_nothing_to_confirm" {
		t.Fatalf("a confirmation at another window: %s", r)
	}
	var line struct {
		Name               string    `json:"name"`
		Window             string    `json:"window"`
		ApplicantConfirmed time.Time `json:"applicant_confirmed"`
	}
	h.must(200, "POST", "/api/v1/bookings/"+b.Code+"/confirm", "", map[string]string{"by": "applicant", "id_number": ids[0]}).into(t, &line)
	if line.Name != "张*丰" || line.Window != "1" || line.ApplicantConfirmed.IsZero() {
		t.Fatalf("the applicant's confirmation answers %+v", line)
	}
	admin := h.login("admin")
	var reg struct {
		Records []struct {
			Code           string    `json:"code"`
			Staff          string    `json:"staff"`
			ClerkConfirmed time.Time `json:"clerk_confirmed"`
		} `json:"records"`
	}
	h.must(200, "GET", "/api/v1/bookings/register?from=2027-01-04&to=2027-01-04", admin, nil).into(t, &reg)
	if len(reg.Records) != 1 || reg.Records[0].Code != b.Code || reg.Records[0].Staff != "1001" || reg.Records[0].ClerkConfirmed.IsZero() {
		t.Fatalf("register %+v", reg)
	}
	if csv := h.must(200, "GET", "/api/v1/bookings/register?from=2027-01-04&to=2027-01-04&format=csv", admin, nil); !strings.Contains(string(csv.body), b.Code) || !strings.Contains(string(csv.body), "办事人确认 applicant confirmed") {
		t.Fatalf("register CSV %s", csv.body)
	}
	h.must(403, "GET", "/api/v1/bookings/register", clerk, nil)

	// 10:00: the 09:30 bookings are late; one applicant cannot be reached.
	h.advance(75 * time.Minute)
	if res := h.eng.Do(context.Background(), hall.Tick{}, "", nil); res.Err != nil {
		t.Fatal(res.Err)
	}
	h.must(200, "GET", "/api/v1/bookings?day=2027-01-04", clerk, nil).into(t, &list)
	late := ""
	for _, x := range list.Bookings {
		if x.Status == "late" {
			late = x.Code
		}
	}
	if late == "" {
		t.Fatalf("no late booking in %+v", list.Bookings)
	}
	var f bookingAnswer
	h.must(200, "POST", "/api/v1/bookings/"+late+"/unreachable", clerk, nil).into(t, &f)
	if f.Status != "forfeited" {
		t.Fatalf("forfeited %+v", f)
	}
	if r := h.req("POST", "/api/v1/bookings/bars/lift", clerk, map[string]string{"id_number": ids[1], "reason": "x"}); r.status != http.StatusForbidden {
		t.Fatalf("a clerk lifts a bar: %s", r)
	}
}

// TestBookingRequestsAPI: in a hall with sessions, a booking in the lunch
// hour (错时办) is a request; the clerk declines one only with a reason, and
// accepts another naming a clerk of the hall on duty; the applicants are
// told by SMS either way.
func TestBookingRequestsAPI(t *testing.T) {
	h := startLockHall(t, func(c *config.Hall) {
		c.Calendar = config.Calendar{Weekly: map[string][]string{"mon": {"09:00-12:00", "13:30-17:30"}}}
		c.Bookings.Services = []config.BookingService{{Service: "A", SlotMinutes: 30, Capacity: 2,
			Weekly: map[string][]string{"mon": {"09:00-17:30"}}}}
		c.Server.PublicURL = "https://hall.example.gov.cn"
	})
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	h.mu.Lock()
	h.now = time.Date(2027, 1, 4, 9, 0, 0, 0, shanghai)
	h.mu.Unlock()
	var a, b bookingAnswer
	h.must(201, "POST", "/api/v1/bookings", "", map[string]string{"service": "A", "start": "2027-01-04 12:00",
		"id_number": idNumber("11010519800101001"), "name": "张三", "phone": "13800138000"}).into(t, &a)
	h.must(201, "POST", "/api/v1/bookings", "", map[string]string{"service": "A", "start": "2027-01-04 12:30",
		"id_number": idNumber("11010519800101002"), "name": "李四", "phone": "13900139000"}).into(t, &b)
	if !a.Request || a.Status != "requested" {
		t.Fatalf("a lunch-hour booking %+v", a)
	}
	// Each request's SMS links its page, with its code, to view or cancel it.
	links := map[string]bool{}
	for range 2 {
		m := h.nextMessage()
		for _, code := range []string{a.Code, b.Code} {
			if strings.Contains(m.Text, "申请已收到") && strings.Contains(m.Text, "https://hall.example.gov.cn/book?code="+code) {
				links[code] = true
			}
		}
	}
	if len(links) != 2 {
		t.Fatalf("request SMS linked %v", links)
	}
	clerk := h.login("1001")
	if e := h.req("POST", "/api/v1/bookings/"+a.Code+"/decline", clerk, map[string]string{"reason": ""}).apiError(t); e.Error.Reason != "booking_decline_reason_needed" {
		t.Fatalf("decline without a reason: %+v", e)
	}
	if e := h.req("POST", "/api/v1/bookings/"+a.Code+"/decline", clerk, map[string]string{"reason": "非工作时间"}).apiError(t); e.Error.Reason != "booking_decline_not_working_day" {
		t.Fatalf("declined for the hour: %+v", e)
	}
	h.must(200, "POST", "/api/v1/bookings/"+b.Code+"/decline", clerk, map[string]string{"reason": "所需材料须审批科室现场核验"})
	if m := h.nextMessage(); m.To != "13900139000" || !strings.Contains(m.Text, "所需材料须审批科室现场核验") {
		t.Fatalf("decline SMS %+v", m)
	}
	// Nobody is on the roster for Monday's lunch hour: the clerk named is
	// refused, in words, until a manager puts 1002 on it for A.
	for _, duty := range []string{"1002", "2001", ""} {
		e := h.req("POST", "/api/v1/bookings/"+a.Code+"/accept", clerk, map[string]string{"on_duty": duty}).apiError(t)
		if e.Error.Reason != "booking_not_on_duty" || e.Error.Field != "on_duty" || !strings.Contains(e.Error.Message, "值班") {
			t.Fatalf("%q on duty off the roster: %+v", duty, e)
		}
	}
	roster := map[string]any{"date": "2027-01-04", "staff": "1002", "services": []string{"A"}, "hours": []string{"12:00-13:30"}}
	if e := h.req("POST", "/api/v1/bookings/roster", clerk, roster).apiError(t); e.Error.Reason != "manager_only" {
		t.Fatalf("a clerk puts one on the roster: %+v", e)
	}
	mgr := h.login("admin")
	for _, c := range []struct {
		field  string
		v      any
		reason string
	}{{"hours", []string{"noon"}, "roster_hours"}, {"staff", "2001", "roster_no_clerk"}, {"date", "2027-01-01", "roster_past"}} {
		bad := maps.Clone(roster)
		bad[c.field] = c.v
		if e := h.req("POST", "/api/v1/bookings/roster", mgr, bad).apiError(t); e.Error.Reason != c.reason {
			t.Fatalf("roster with %s %v: %+v", c.field, c.v, e)
		}
	}
	h.must(201, "POST", "/api/v1/bookings/roster", mgr, roster)
	var list struct {
		Bookings []struct {
			Code     string   `json:"code"`
			Rostered []string `json:"rostered"`
		} `json:"bookings"`
		Roster []struct {
			Staff []struct{ ID, Name string } `json:"staff"`
			Hours []string                    `json:"hours"`
			By    string                      `json:"by"`
		} `json:"roster"`
	}
	h.must(200, "GET", "/api/v1/bookings?day=2027-01-04", clerk, nil).into(t, &list)
	if len(list.Roster) != 1 || list.Roster[0].Staff[0].ID != "1002" || list.Roster[0].Staff[0].Name == "" ||
		!slices.Equal(list.Roster[0].Hours, []string{"12:00-13:30"}) || list.Roster[0].By != "admin" {
		t.Fatalf("the day's roster %+v", list.Roster)
	}
	for _, b := range list.Bookings {
		if b.Code == a.Code && !slices.Equal(b.Rostered, []string{"1002"}) {
			t.Fatalf("on duty for the request: %+v", b)
		}
	}
	var acc bookingAnswer
	h.must(200, "POST", "/api/v1/bookings/"+a.Code+"/accept", clerk, map[string]string{"on_duty": "1002"}).into(t, &acc)
	if acc.Status != "booked" {
		t.Fatalf("accepted %+v", acc)
	}
	if m := h.nextMessage(); m.To != "13800138000" || !strings.Contains(m.Text, "已受理") {
		t.Fatalf("accept SMS %+v", m)
	}
}
