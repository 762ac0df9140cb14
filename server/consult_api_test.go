package server_test

import (
	"testing"
)

type consultReply struct {
	Consult *struct {
		Ticket struct {
			ID     string `json:"id"`
			Number string `json:"number"`
		} `json:"ticket"`
		Status  string `json:"status"`
		Staff   string `json:"staff"`
		AckS    *int   `json:"ack_s"`
		ArriveS *int   `json:"arrive_s"`
		Where   struct {
			Place string `json:"place"`
			Text  string `json:"text"`
		} `json:"where"`
	} `json:"consult"`
	HandedOn *struct {
		ID          string `json:"id"`
		Number      string `json:"number"`
		Service     string `json:"service"`
		Status      string `json:"status"`
		PreReviewed bool   `json:"pre_reviewed"`
	} `json:"handed_on"`
}

type consultTicket struct {
	Number  string `json:"number"`
	Consult *struct {
		Place  string `json:"place"`
		Name   string `json:"name"`
		Text   string `json:"text"`
		TextEN string `json:"text_en"`
	} `json:"consult"`
	PreReviewed bool `json:"pre_reviewed"`
}

// A 咨询号 taken at the kiosk reaches its department's page, is answered
// there step by step, and the citizen's ticket page says where to go at
// every step; the hand-on's 收件号 comes back pre-reviewed.
func TestConsultAPI(t *testing.T) {
	h := startHall(t, "")
	tk := h.issue("S")
	page := func(id string) consultTicket {
		t.Helper()
		var v consultTicket
		h.must(200, "GET", "/api/v1/tickets/"+id, "", nil).into(t, &v)
		return v
	}
	if v := page(tk.ID); v.Consult == nil || v.Consult.Place != "wait" || v.Consult.Name != "市场监管局" || v.Consult.Text == "" || v.Consult.TextEN == "" {
		t.Fatalf("the ticket page says %+v", v.Consult)
	}

	staff, other, clerk := h.login("3001"), h.login("3002"), h.login("1001")
	var list struct {
		Departments []struct {
			ID       string `json:"id"`
			OnDuty   bool   `json:"on_duty"`
			Consults []struct {
				Ticket struct {
					ID     string `json:"id"`
					Number string `json:"number"`
				} `json:"ticket"`
				Status string `json:"status"`
			} `json:"consults"`
		} `json:"departments"`
		HandOn []struct{ Code string } `json:"hand_on"`
	}
	h.must(200, "GET", "/api/v1/consults", staff, nil).into(t, &list)
	if len(list.Departments) != 1 || list.Departments[0].ID != "scj" || !list.Departments[0].OnDuty ||
		len(list.Departments[0].Consults) != 1 || list.Departments[0].Consults[0].Ticket.ID != tk.ID || len(list.HandOn) == 0 {
		t.Fatalf("the department's page lists %+v", list)
	}
	for _, tt := range []struct {
		name, method, path, token string
		body                      any
		status                    int
		reason                    string
	}{
		{"a clerk's page", "GET", "/api/v1/consults", clerk, nil, 403, "consult_staff_only"},
		{"nobody signed in", "POST", "/api/v1/consults/" + tk.ID + "/acknowledge", "", nil, 401, ""},
		{"a clerk acknowledges", "POST", "/api/v1/consults/" + tk.ID + "/acknowledge", clerk, nil, 403, "consult_not_department"},
		{"arrived first", "POST", "/api/v1/consults/" + tk.ID + "/arrived", staff, nil, 409, "consult_not_acknowledged"},
		{"no such number", "POST", "/api/v1/consults/nope/acknowledge", staff, nil, 404, "no_consultation"},
		{"a stray field", "POST", "/api/v1/consults/" + tk.ID + "/done", staff, map[string]any{"service": "A"}, 400, "unknown_field"},
		{"duty unsaid", "POST", "/api/v1/consult-departments/scj/duty", staff, map[string]any{}, 400, "consult_duty_needed"},
		{"a walk-in going first", "POST", "/api/v1/tickets", "", map[string]any{"service": "A", "via": "consult"}, 400, "unknown_field"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := h.must(tt.status, tt.method, tt.path, tt.token, tt.body)
			if tt.reason != "" {
				if e := r.json(t)["error"].(map[string]any); e["reason"] != tt.reason || e["message"] == "" {
					t.Fatalf("refused %v, want %s", e, tt.reason)
				}
			}
		})
	}

	var rep consultReply
	h.must(200, "POST", "/api/v1/consults/"+tk.ID+"/acknowledge", staff, nil).into(t, &rep)
	if rep.Consult == nil || rep.Consult.Status != "coming" || rep.Consult.Staff != "3001" || rep.Consult.AckS == nil || rep.Consult.Where.Place != "coming" {
		t.Fatalf("acknowledged %+v", rep.Consult)
	}
	if r := h.must(409, "POST", "/api/v1/consults/"+tk.ID+"/acknowledge", other, nil); r.json(t)["error"].(map[string]any)["reason"] != "consult_taken" {
		t.Fatalf("a second acknowledgement: %s", r.body)
	}
	h.must(409, "POST", "/api/v1/consults/"+tk.ID+"/remote", staff, map[string]any{"mode": "video"})
	h.must(200, "POST", "/api/v1/consults/"+tk.ID+"/arrived", staff, nil)
	if v := page(tk.ID); v.Consult == nil || v.Consult.Place != "area" {
		t.Fatalf("after the arrival the ticket page says %+v", v.Consult)
	}
	rep = consultReply{}
	h.must(200, "POST", "/api/v1/consults/"+tk.ID+"/done", staff, map[string]any{"hand_on": "a"}).into(t, &rep)
	if rep.HandedOn == nil || rep.HandedOn.Service != "A" || rep.HandedOn.Status != "waiting" || !rep.HandedOn.PreReviewed {
		t.Fatalf("handed on %+v", rep.HandedOn)
	}
	if v := page(tk.ID); v.Consult == nil || v.Consult.Place != "intake" {
		t.Fatalf("after the hand-on the ticket page says %+v", v.Consult)
	}
	if v := page(rep.HandedOn.ID); !v.PreReviewed || v.Consult != nil {
		t.Fatalf("the 收件号's page %+v", v)
	}

	// A department not resident in the hall answers by video.
	remote := h.issue("F")
	far := h.login("3101")
	h.must(200, "POST", "/api/v1/consults/"+remote.ID+"/acknowledge", far, nil)
	h.must(200, "POST", "/api/v1/consults/"+remote.ID+"/remote", far, map[string]any{"mode": "video"})
	if v := page(remote.ID); v.Consult == nil || v.Consult.Place != "video" {
		t.Fatalf("a remote answer: the ticket page says %+v", v.Consult)
	}

	// Off duty, a member's page says so.
	h.must(200, "POST", "/api/v1/consult-departments/scj/duty", other, map[string]any{"on": false})
	list.Departments = nil
	h.must(200, "GET", "/api/v1/consults", other, nil).into(t, &list)
	if len(list.Departments) != 1 || list.Departments[0].OnDuty {
		t.Fatalf("off duty, the page lists %+v", list.Departments)
	}
}
