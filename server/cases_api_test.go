package server_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

type caseReply struct {
	Case *struct {
		ID         string `json:"id"`
		Number     string `json:"number"`
		Status     string `json:"status"`
		Name       string `json:"name"`
		Phone      string `json:"phone"`
		Ticket     string `json:"ticket"`
		StatusPath string `json:"status_path"`
		Department struct {
			Code string `json:"code"`
			Name string `json:"name"`
		} `json:"department"`
		Owed     []struct{ Code, Name string } `json:"owed"`
		Timeline []struct {
			Type      string `json:"type"`
			Staff     string `json:"staff"`
			StaffName string `json:"staff_name"`
		} `json:"timeline"`
	} `json:"case"`
	Notice *struct {
		Item    struct{ Code, Name string }   `json:"item"`
		Missing []struct{ Code, Name string } `json:"missing"`
	} `json:"notice"`
}

// A case over the API: opened at a window serving a 收件号 (a refusal for
// missing materials answers with the 一次性告知单), read only by the hall's
// clerks and managers and its own department, decided there step by step,
// handed over at the output window (to a 取件号's holder, or on a
// manager's word), and followed by the applicant on a
// status page that shows neither the ID number nor the whole phone.
func TestCaseAPI(t *testing.T) {
	h := startHall(t, "")
	clerk := h.login("1001")
	h.act(clerk, "1", "open", nil)
	h.issue("A")
	h.act(clerk, "1", "call", nil)
	id := idNumber("11010519491231002")
	body := map[string]any{"item": "GTDJ", "name": "张三丰", "id_number": id, "phone": "13912345678", "party": "person",
		"received": []string{"sqs", "sfz"}}

	// Missing materials need the clerk's choice; a bad ID number is named.
	if e := h.must(409, "POST", "/api/v1/windows/1/cases", clerk, body).apiError(t); e.Error.Reason != "case_materials_missing" {
		t.Fatalf("missing materials: %+v", e)
	}
	bad := map[string]any{"item": "GTDJ", "name": "张三丰", "id_number": "110105", "party": "person", "received": []string{"sqs", "sfz", "cs"}}
	if e := h.must(400, "POST", "/api/v1/windows/1/cases", clerk, bad).apiError(t); e.Error.Field != "id_number" {
		t.Fatalf("bad ID number: %+v", e)
	}
	body["missing"] = "refuse"
	var notice caseReply
	h.must(200, "POST", "/api/v1/windows/1/cases", clerk, body).into(t, &notice)
	if notice.Case != nil || notice.Notice == nil || notice.Notice.Item.Name != "个体工商户设立登记" ||
		len(notice.Notice.Missing) != 1 || notice.Notice.Missing[0].Name != "经营场所使用证明" {
		t.Fatalf("the one-time notice: %+v", notice)
	}

	body["received"], body["missing"] = []string{"sqs", "sfz", "cs"}, ""
	var opened caseReply
	h.must(200, "POST", "/api/v1/windows/1/cases", clerk, body).into(t, &opened)
	k := opened.Case
	if k == nil || k.Status != "received" || k.Ticket != "A001" || k.Department.Name != "市场监管局" ||
		k.StatusPath != "/c/"+k.ID || len(k.ID) < 16 || len(k.Timeline) != 1 || k.Timeline[0].StaffName != "王丽娟" {
		t.Fatalf("opened %+v", k)
	}

	dept, otherDept, guide, manager := h.login("3001"), h.login("3101"), h.login("2001"), h.login("admin")
	for _, tt := range []struct {
		who, token string
		want       int
	}{{"its department", dept, 200}, {"a clerk", h.login("1002"), 200}, {"a manager", manager, 200},
		{"another department", otherDept, 403}, {"a guide", guide, 403}, {"nobody", "", 401}} {
		if r := h.req("GET", "/api/v1/cases/"+k.ID, tt.token, nil); r.status != tt.want {
			t.Errorf("%s reads the case: %s, want %d", tt.who, r, tt.want)
		}
	}
	var list struct {
		Departments []struct {
			ID    string `json:"id"`
			Cases []struct {
				Number string `json:"number"`
			} `json:"cases"`
		} `json:"departments"`
	}
	h.must(200, "GET", "/api/v1/cases", dept, nil).into(t, &list)
	if len(list.Departments) != 1 || list.Departments[0].ID != "scj" || len(list.Departments[0].Cases) != 1 ||
		list.Departments[0].Cases[0].Number != k.Number {
		t.Fatalf("the department's list: %+v", list)
	}
	if e := h.must(403, "GET", "/api/v1/cases", clerk, nil).apiError(t); e.Error.Reason != "case_department_only" {
		t.Fatalf("a clerk's back office: %+v", e)
	}

	// Only the department decides; a refusal needs its reason.
	if e := h.must(403, "POST", "/api/v1/cases/"+k.ID+"/accept", otherDept, map[string]any{}).apiError(t); e.Error.Reason != "case_not_department" {
		t.Fatalf("another department accepts: %+v", e)
	}
	if e := h.must(400, "POST", "/api/v1/cases/"+k.ID+"/refuse", dept, map[string]any{"reason": " "}).apiError(t); e.Error.Field != "reason" {
		t.Fatalf("a refusal without reason: %+v", e)
	}
	h.must(200, "POST", "/api/v1/cases/"+k.ID+"/accept", dept, map[string]any{})
	// 个体工商户设立登记 is a joint case (联办): 不动产登记中心 gives its
	// opinion on its own page before the lead department approves.
	if e := h.must(409, "POST", "/api/v1/cases/"+k.ID+"/approve", dept, map[string]any{}).apiError(t); e.Error.Reason != "case_opinions_pending" {
		t.Fatalf("approved before the joint opinion: %+v", e)
	}
	var lists struct {
		Departments []struct {
			ID       string `json:"id"`
			Opinions []struct {
				ID string `json:"id"`
			} `json:"opinions"`
		} `json:"departments"`
	}
	h.must(200, "GET", "/api/v1/cases", otherDept, nil).into(t, &lists)
	if len(lists.Departments) != 1 || len(lists.Departments[0].Opinions) != 1 || lists.Departments[0].Opinions[0].ID != k.ID {
		t.Fatalf("the joint department's page: %+v", lists)
	}
	if e := h.must(400, "POST", "/api/v1/cases/"+k.ID+"/opinion", otherDept, map[string]any{"agree": false}).apiError(t); e.Error.Field != "text" {
		t.Fatalf("a disagreement without its words: %+v", e)
	}
	h.must(200, "POST", "/api/v1/cases/"+k.ID+"/opinion", otherDept, map[string]any{"agree": true})
	for _, step := range []string{"approve", "ready"} {
		h.must(200, "POST", "/api/v1/cases/"+k.ID+"/"+step, dept, map[string]any{})
	}

	// The applicant's page: by the id, or by the number with the phone.
	var status struct {
		Case map[string]any `json:"case"`
	}
	r := h.must(200, "GET", "/api/v1/case-status/"+k.ID, "", nil)
	r.into(t, &status)
	if status.Case["status"] != "ready" || status.Case["name"] != "张*丰" || status.Case["phone"] != "139****5678" {
		t.Fatalf("the status page: %v", status.Case)
	}
	for _, secret := range []string{id, "13912345678", "id_hash", "3001"} {
		if strings.Contains(string(r.body), secret) {
			t.Fatalf("the status page shows %q: %s", secret, r.body)
		}
	}
	if e := h.must(404, "POST", "/api/v1/case-status", "", map[string]any{"number": k.Number, "phone": "13912345670"}).apiError(t); e.Error.Reason != "case_lookup_failed" {
		t.Fatalf("a wrong phone: %+v", e)
	}
	h.must(200, "POST", "/api/v1/case-status", "", map[string]any{"number": k.Number, "phone": "13912345678"}).into(t, &status)
	if status.Case["id"] != k.ID {
		t.Fatalf("lookup found %v", status.Case)
	}

	// The output window hands a result over only to the holder of a 取件号
	// linked to it; on a manager's word it goes without one, signed for.
	out := h.login("1007")
	h.act(out, "7", "open", nil)
	if e := h.must(409, "POST", "/api/v1/cases/"+k.ID+"/deliver", out, map[string]any{"channel": "window", "window": "7", "signature": "张三丰"}).apiError(t); e.Error.Reason != "case_not_serving" {
		t.Fatalf("a window delivery serving nobody: %+v", e)
	}
	if e := h.must(400, "POST", "/api/v1/cases/"+k.ID+"/deliver", manager, map[string]any{"channel": "window"}).apiError(t); e.Error.Field != "signature" {
		t.Fatalf("a window delivery without signature: %+v", e)
	}

	// At the kiosk the ID number takes a 取件号 linked to the result; the
	// window serving it sees what to hand over and has it signed for.
	if e := h.must(404, "POST", "/api/v1/pickups", "", map[string]any{"id_number": idNumber("11010519800101001")}).apiError(t); e.Error.Reason != "case_none_ready" {
		t.Fatalf("a 取件号 with nothing ready: %+v", e)
	}
	var pickup struct {
		Ticket struct {
			ID      string `json:"id"`
			Key     string `json:"key"`
			Number  string `json:"number"`
			Service string `json:"service"`
		} `json:"ticket"`
		Cases []string `json:"cases"`
		Slip  struct {
			Kiosk, Status string
		} `json:"slip"`
	}
	// Taken at kiosk K1, its slip prints on K1's printer, with the QR code
	// of the number's page.
	h.must(201, "POST", "/api/v1/pickups", "", map[string]any{"id_number": id, "kiosk": "K1"}).into(t, &pickup)
	if pickup.Ticket.Service != "Q" || len(pickup.Cases) != 1 || pickup.Cases[0] != k.Number {
		t.Fatalf("the 取件号: %+v", pickup)
	}
	if pickup.Slip.Kiosk != "K1" || (pickup.Slip.Status != "printed" && pickup.Slip.Status != "queued") {
		t.Fatalf("the 取件号's slip: %+v", pickup.Slip)
	}
	slip := waitSlips(t, simPrinter(t, h, "K1"), 1)[0]
	if slip.Largest() != pickup.Ticket.Number || !slices.Contains(slip.QRs(), h.url+"/t/"+pickup.Ticket.ID+"?k="+pickup.Ticket.Key) {
		t.Fatalf("the 取件号's slip shows %s with QR %q, want %s and its page", slip.Largest(), slip.QRs(), pickup.Ticket.Number)
	}
	h.act(out, "7", "call", nil)
	var at struct {
		HandOver []struct {
			ID string `json:"id"`
		} `json:"hand_over"`
	}
	h.must(200, "GET", "/api/v1/windows/7/cases", out, nil).into(t, &at)
	if len(at.HandOver) != 1 || at.HandOver[0].ID != k.ID {
		t.Fatalf("window 7 hands over %+v", at)
	}
	var done caseReply
	h.must(200, "POST", "/api/v1/cases/"+k.ID+"/deliver", out, map[string]any{"channel": "window", "window": "7", "signature": "张三丰"}).into(t, &done)
	if done.Case == nil || done.Case.Status != "closed" {
		t.Fatalf("delivered %+v", done.Case)
	}

	// Staff find the case by its number, the ID number or the phone; a
	// department's staff only their own department's.
	for _, q := range []string{"number=" + k.Number, "id_number=" + id, "phone=13912345678"} {
		var found struct {
			Cases []struct{ ID string } `json:"cases"`
		}
		h.must(200, "GET", "/api/v1/case-search?"+q, clerk, nil).into(t, &found)
		if len(found.Cases) != 1 || found.Cases[0].ID != k.ID {
			t.Errorf("search %s: %+v", q, found)
		}
		h.must(200, "GET", "/api/v1/case-search?"+q, otherDept, nil).into(t, &found)
		if len(found.Cases) != 0 {
			t.Errorf("another department finds %s: %+v", q, found)
		}
	}
	if e := h.must(400, "GET", "/api/v1/case-search", clerk, nil).apiError(t); e.Error.Reason != "case_search_needed" {
		t.Fatalf("an empty search: %+v", e)
	}
}

// The paper materials go to the department in a batch (材料交接表) the
// department's member signs for; a batch of 承诺件 alone waits for the
// session's last half hour, unless the hall is always open.
func TestCaseHandoverAPI(t *testing.T) {
	h := startHall(t, "")
	clerk := h.login("1001")
	h.act(clerk, "1", "open", nil)
	h.issue("A")
	h.act(clerk, "1", "call", nil)
	var opened caseReply
	h.must(200, "POST", "/api/v1/windows/1/cases", clerk, map[string]any{"item": "BDCCX", "name": "李四", "party": "person",
		"id_number": idNumber("11010519491231002"), "received": []string{"sqb", "sfz"}}).into(t, &opened)
	var hv struct {
		Departments []struct {
			Code    string `json:"code"`
			Pending []struct {
				Number string `json:"number"`
			} `json:"pending"`
			Unsigned []struct {
				ID     string `json:"id"`
				Number string `json:"number"`
				Member bool   `json:"member"`
			} `json:"unsigned"`
		} `json:"departments"`
	}
	dept := func(code string) int {
		for i, d := range hv.Departments {
			if d.Code == code {
				return i
			}
		}
		t.Fatalf("no department %s in %+v", code, hv)
		return -1
	}
	h.must(200, "GET", "/api/v1/handover", clerk, nil).into(t, &hv)
	if d := hv.Departments[dept("bdc")]; len(d.Pending) != 1 || d.Pending[0].Number != opened.Case.Number {
		t.Fatalf("the handover: %+v", hv)
	}
	if e := h.must(409, "POST", "/api/v1/handover/scj", clerk, map[string]any{}).apiError(t); e.Error.Reason == "" {
		t.Fatalf("an empty batch: %+v", e)
	}
	var sent struct {
		Batch struct {
			ID     string `json:"id"`
			Number string `json:"number"`
			Cases  []struct {
				Number string `json:"number"`
			} `json:"cases"`
		} `json:"batch"`
	}
	h.must(200, "POST", "/api/v1/handover/bdc", clerk, map[string]any{}).into(t, &sent)
	if len(sent.Batch.Cases) != 1 || sent.Batch.Cases[0].Number != opened.Case.Number || sent.Batch.Number == "" {
		t.Fatalf("the batch: %+v", sent)
	}
	member := h.login("3101")
	h.must(200, "GET", "/api/v1/handover", member, nil).into(t, &hv)
	if d := hv.Departments[dept("bdc")]; len(d.Pending) != 0 || len(d.Unsigned) != 1 || !d.Unsigned[0].Member {
		t.Fatalf("after the batch: %+v", hv)
	}
	if e := h.must(403, "POST", "/api/v1/batches/"+sent.Batch.ID+"/sign", h.login("3001"), map[string]any{}).apiError(t); e.Error.Code != "forbidden" {
		t.Fatalf("another department signs: %+v", e)
	}
	h.must(200, "POST", "/api/v1/batches/"+sent.Batch.ID+"/sign", member, map[string]any{})
	h.must(200, "GET", "/api/v1/handover", member, nil).into(t, &hv)
	if d := hv.Departments[dept("bdc")]; len(d.Unsigned) != 0 {
		t.Fatalf("signed, still unsigned: %+v", hv)
	}
}

// The applicant chooses how to collect on the status page, proving who
// they are with the ID number given at intake.
func TestCaseCollectionOnTheStatusPage(t *testing.T) {
	h := startHall(t, "")
	clerk := h.login("1001")
	h.act(clerk, "1", "open", nil)
	h.issue("A")
	h.act(clerk, "1", "call", nil)
	id := idNumber("11010519491231002")
	var opened caseReply
	h.must(200, "POST", "/api/v1/windows/1/cases", clerk, map[string]any{"item": "BDCCX", "name": "李四", "party": "person",
		"id_number": id, "phone": "13912345678", "received": []string{"sqb", "sfz"}}).into(t, &opened)
	path := "/api/v1/case-status/" + opened.Case.ID + "/collection"
	if e := h.must(401, "POST", path, "", map[string]any{"id_number": idNumber("11010519800101001"), "channel": "post", "address": "椒江区"}).apiError(t); e.Error.Reason != "case_wrong_holder" {
		t.Fatalf("another's ID number: %+v", e)
	}
	if e := h.must(400, "POST", path, "", map[string]any{"id_number": id, "channel": "post"}).apiError(t); e.Error.Field != "address" {
		t.Fatalf("post without an address: %+v", e)
	}
	var st struct {
		Case map[string]any `json:"case"`
	}
	h.must(200, "POST", path, "", map[string]any{"id_number": id, "channel": "post", "address": "椒江区中山路 1 号"}).into(t, &st)
	if st.Case["collect"] != "post" || st.Case["choosable"] != true {
		t.Fatalf("chosen %v", st.Case)
	}
	if strings.Contains(fmt.Sprint(st.Case), "中山路") {
		t.Fatalf("the status page shows the address: %v", st.Case)
	}
}

// Lookups by number and phone are limited per source: a stranger on the
// hall's Wi-Fi cannot try every phone of a case number.
func TestCaseLookupsAreLimited(t *testing.T) {
	h := startHall(t, "")
	var last reply
	for range 30 {
		last = h.req("POST", "/api/v1/case-status", "", map[string]any{"number": "202501010001", "phone": "13900000000"})
		if last.status == 429 {
			break
		}
	}
	if last.status != 429 || last.apiError(t).Error.Reason != "case_lookup_too_many" {
		t.Fatalf("30 lookups: the last answered %s", last)
	}
}
