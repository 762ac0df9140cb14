package server_test

import (
	"strings"
	"testing"
)

// A waiting ticket's id is its holder's to read it by; it becomes public
// only once the ticket is called. The window's public answer lists the
// waiting by number and wait; the signed-in counter gets their ids to act on.
func TestWindowListsWaitingIDsOnlyToStaff(t *testing.T) {
	h := startHall(t, "")
	first, second := h.issue("A"), h.issue("A")

	type listed struct {
		Queue []map[string]any `json:"queue"`
	}
	var public listed
	r := h.must(200, "GET", "/api/v1/windows/1", "", nil)
	r.into(t, &public)
	if len(public.Queue) != 2 || public.Queue[0]["number"] != first.Number || public.Queue[1]["number"] != second.Number {
		t.Fatalf("public waiting list %v, want %s and %s", public.Queue, first.Number, second.Number)
	}
	for _, tk := range public.Queue {
		if _, ok := tk["id"]; ok {
			t.Errorf("public waiting list names an id: %v", tk)
		}
		if _, ok := tk["estimated_wait_s"]; !ok {
			t.Errorf("public waiting list lacks the wait: %v", tk)
		}
	}
	if strings.Contains(string(r.body), first.ID) || strings.Contains(string(r.body), second.ID) {
		t.Fatalf("a waiting ticket's id is in the public answer: %s", r.body)
	}

	var staff listed
	h.must(200, "GET", "/api/v1/windows/1", h.login("1001"), nil).into(t, &staff)
	if len(staff.Queue) != 2 || staff.Queue[0]["id"] != first.ID || staff.Queue[1]["id"] != second.ID {
		t.Fatalf("the counter's waiting list %v, want ids %s and %s", staff.Queue, first.ID, second.ID)
	}
	// A sign-in that is sent must be good.
	if e := h.must(401, "GET", "/api/v1/windows/1", "not-a-token", nil).apiError(t); e.Error.Code != "unauthorized" {
		t.Fatalf("a bad sign-in: %+v", e.Error)
	}

	// Once called, the id is public: the window's current ticket names it.
	clerk := h.login("1001")
	h.act(clerk, "1", "open", nil)
	h.act(clerk, "1", "call", map[string]string{})
	var after struct {
		Current *ticket `json:"current"`
	}
	h.must(200, "GET", "/api/v1/windows/1", "", nil).into(t, &after)
	if after.Current == nil || after.Current.ID != first.ID {
		t.Fatalf("the called ticket %+v, want %s", after.Current, first.ID)
	}
}
