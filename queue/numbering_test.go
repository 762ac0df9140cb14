package queue

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"hallfloor/errs"
)

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		prefix string
		n      int
		want   string
	}{
		{"A", 1, "A001"},
		{"A", 9, "A009"},
		{"A", 10, "A010"},
		{"B", 99, "B099"},
		{"A", 100, "A100"},
		{"A", 999, "A999"},
		{"A", 1000, "A1000"},
		{"Z", 12345, "Z12345"},
	}
	for _, tt := range tests {
		if got := FormatNumber(tt.prefix, tt.n); got != tt.want {
			t.Errorf("FormatNumber(%q, %d) = %q, want %q", tt.prefix, tt.n, got, tt.want)
		}
	}
}

func TestNumberingPerService(t *testing.T) {
	h := newHall(t, testSetup())
	var got []string
	for _, sv := range []string{"A", "A", "B", "A", "Z", "B", "A"} {
		got = append(got, h.issue(sv).Number)
		h.advance(time.Second)
	}
	want := []string{"A001", "A002", "B001", "A003", "Z001", "B002", "A004"}
	if !slices.Equal(got, want) {
		t.Fatalf("numbers %v, want %v", got, want)
	}
	for code, n := range map[string]int{"A": 4, "B": 2, "Z": 1} {
		if got := h.s.Services[code].Issued; got != n {
			t.Errorf("service %s issued %d, want %d", code, got, n)
		}
	}
}

// Past 999 the number grows instead of wrapping into one issued today.
func TestNumberingPast999(t *testing.T) {
	h := newHall(t, testSetup())
	h.bulk = true
	seen := map[string]bool{}
	var last string
	for i := 1; i <= 1001; i++ {
		tk := h.issue("A")
		if seen[tk.Number] {
			t.Fatalf("ticket %d got %s, already issued today", i, tk.Number)
		}
		seen[tk.Number] = true
		if want := fmt.Sprintf("A%03d", i); tk.Number != want {
			t.Fatalf("ticket %d is %s, want %s", i, tk.Number, want)
		}
		last = tk.Number
	}
	if last != "A1001" {
		t.Fatalf("last number %s, want A1001", last)
	}
	if !seen["A999"] || !seen["A1000"] {
		t.Fatal("A999 or A1000 missing")
	}
}

// Numbers are never reused within a day, whatever happens to the tickets.
func TestNumberNotReusedAfterCancelOrRequeue(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	a1 := h.issue("A")
	a2 := h.issue("A")
	h.must(CancelTicket{Ticket: a2.ID})
	h.call("1") // A001
	h.must(Skip{Window: "1", Actor: clerk("s1")})
	h.must(Requeue{Ticket: a1.ID, Actor: clerk("s1")})
	a3 := h.issue("A")
	if a3.Number != "A003" {
		t.Fatalf("after a cancel and a requeue the next number is %s, want A003", a3.Number)
	}
	if a1.Number != "A001" {
		t.Fatalf("requeue renumbered A001 to %s", a1.Number)
	}
}

func TestRollover(t *testing.T) {
	setup := testSetup()
	tests := []struct {
		name    string
		day     string
		now     time.Time
		wantDay string // "" means no rollover
	}{
		{"first command of a fresh hall", "", t0, "2025-03-10"},
		{"same day", "2025-03-10", t0, ""},
		{"a second before local midnight", "2025-03-10", time.Date(2025, 3, 10, 23, 59, 59, 0, shanghai), ""},
		{"local midnight", "2025-03-10", time.Date(2025, 3, 11, 0, 0, 0, 0, shanghai), "2025-03-11"},
		// 00:30 in Shanghai is still the previous day in UTC.
		{"after local midnight, before UTC midnight", "2025-03-10", time.Date(2025, 3, 10, 16, 30, 0, 0, time.UTC), "2025-03-11"},
		// UTC midnight is 08:00 in Shanghai: no new day there.
		{"UTC midnight is not the hall's", "2025-03-11", time.Date(2025, 3, 11, 0, 0, 1, 0, time.UTC), ""},
		{"several days closed", "2025-03-07", t0, "2025-03-10"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewState(setup)
			s.Day = tt.day
			ev := Rollover(s, setup, tt.now)
			if tt.wantDay == "" {
				if ev != nil {
					t.Fatalf("Rollover = %+v, want none", ev)
				}
				return
			}
			ds, ok := ev.(DayStarted)
			if !ok {
				t.Fatalf("Rollover = %#v, want DayStarted", ev)
			}
			if ds.Day != tt.wantDay {
				t.Fatalf("new day %s, want %s", ds.Day, tt.wantDay)
			}
		})
	}
}

// At local midnight the numbers start again at 001, waiting tickets are
// cancelled, and a ticket still at a window stays until it is finished.
func TestNumberingResetsAtLocalMidnight(t *testing.T) {
	h := newHall(t, testSetup())
	h.now = time.Date(2025, 3, 10, 23, 50, 0, 0, shanghai)
	h.open("1")
	a1 := h.issue("A")
	a2 := h.issue("A")
	h.issue("B")
	h.issueWith(IssueTicket{Service: "A", IDHash: "h1"})
	if got := h.call("1"); got != a1.Number {
		t.Fatalf("called %s, want %s", got, a1.Number)
	}

	h.now = time.Date(2025, 3, 10, 23, 59, 59, 0, shanghai)
	if ev := Rollover(h.s, h.setup, h.now); ev != nil {
		t.Fatalf("rollover before midnight: %+v", ev)
	}
	h.now = time.Date(2025, 3, 11, 0, 0, 5, 0, shanghai)
	ev := Rollover(h.s, h.setup, h.now)
	ds, ok := ev.(DayStarted)
	if !ok {
		t.Fatalf("no rollover after midnight: %#v", ev)
	}
	waiting := []string{}
	for id, tk := range h.s.Tickets {
		if tk.Status == Waiting {
			waiting = append(waiting, id)
		}
	}
	slices.Sort(waiting)
	if !slices.Equal(ds.Cancelled, waiting) {
		t.Fatalf("DayStarted cancels %v, want the waiting tickets %v", ds.Cancelled, waiting)
	}
	h.apply(ev)

	if h.s.Day != "2025-03-11" {
		t.Fatalf("state day %s", h.s.Day)
	}
	if _, ok := h.s.Tickets[a2.ID]; ok {
		t.Error("yesterday's waiting ticket is still in the state")
	}
	if tk := h.s.Tickets[a1.ID]; tk == nil || tk.Status != Called {
		t.Errorf("the ticket at window 1 was dropped at midnight: %+v", tk)
	}
	for code, sv := range h.s.Services {
		if sv.Issued != 0 || len(sv.Line) != 0 || len(sv.Priority) != 0 {
			t.Errorf("service %s not reset: %+v", code, sv)
		}
	}
	if n := h.issue("A").Number; n != "A001" {
		t.Fatalf("first A of the new day is %s, want A001", n)
	}
	if n := h.issue("B").Number; n != "B001" {
		t.Fatalf("first B of the new day is %s, want B001", n)
	}
	// The holder of yesterday's cancelled ticket may take a new one.
	h.issueWith(IssueTicket{Service: "A", IDHash: "h1"})
	// Yesterday's ticket at the window can still be finished.
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	if h.s.Services["A"].Served != 1 {
		t.Errorf("served %d", h.s.Services["A"].Served)
	}
}

func TestOneWaitingTicketPerID(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	first := h.issueWith(IssueTicket{Service: "A", IDHash: "hash-1"})

	tests := []struct {
		name  string
		cmd   IssueTicket
		field string // "" means accepted
	}{
		{"same ID, same service", IssueTicket{Service: "A", IDHash: "hash-1"}, "id_number"},
		{"same ID, other service", IssueTicket{Service: "B", IDHash: "hash-1"}, ""},
		{"other ID, same service", IssueTicket{Service: "A", IDHash: "hash-2"}, ""},
		{"no ID given", IssueTicket{Service: "A"}, ""},
		{"no ID given again", IssueTicket{Service: "A"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.t = t
			tt.cmd.ID = h.nextID()
			if tt.field == "" {
				h.must(tt.cmd)
				return
			}
			e := h.refuse(tt.cmd, errs.Conflict)
			if e.Field != tt.field {
				t.Fatalf("field %q, want %q", e.Field, tt.field)
			}
		})
	}
	h.t = t

	// Once the first ticket is called, the holder may queue again.
	if got := h.call("1"); got != first.Number {
		t.Fatalf("called %s, want %s", got, first.Number)
	}
	second := h.issueWith(IssueTicket{Service: "A", IDHash: "hash-1"})
	h.refuse(IssueTicket{ID: h.nextID(), Service: "A", IDHash: "hash-1"}, errs.Conflict)

	// A cancelled ticket frees the holder too.
	h.must(CancelTicket{Ticket: second.ID})
	h.issueWith(IssueTicket{Service: "A", IDHash: "hash-1"})
}

// The rule survives a snapshot: the index of holders is rebuilt on restore.
func TestOneWaitingTicketPerIDAfterRestore(t *testing.T) {
	h := newHall(t, testSetup())
	h.issueWith(IssueTicket{Service: "A", IDHash: "hash-1"})
	restored := &State{}
	if err := json.Unmarshal([]byte(h.snapshot()), restored); err != nil {
		t.Fatal(err)
	}
	restored.Adopt(h.setup)
	h.s = restored
	h.refuse(IssueTicket{ID: h.nextID(), Service: "A", IDHash: "hash-1"}, errs.Conflict)
}

func TestDailyCap(t *testing.T) {
	setup := NewSetup(Setup{
		Location: shanghai,
		Services: []Service{
			{Code: "A", Name: "capped", Kind: Intake, DailyCap: 2},
			{Code: "B", Name: "uncapped", Kind: Intake},
		},
		Windows: []WindowSetup{{ID: "1", Services: []string{"A", "B"}}},
	})
	h := newHall(t, setup)
	h.issue("A")
	h.issue("A")
	h.refuse(IssueTicket{ID: h.nextID(), Service: "A"}, errs.Conflict)
	// The cap counts numbers issued, not numbers waiting.
	h.must(CancelTicket{Ticket: h.ticketByNumber("A001").ID})
	h.refuse(IssueTicket{ID: h.nextID(), Service: "A"}, errs.Conflict)
	// Without a cap there is no rationing (罗山 延时办).
	h.bulk = true
	for range 1500 {
		h.issue("B")
	}
	h.bulk = false
	// The next day the cap starts again.
	h.now = h.now.Add(24 * time.Hour)
	if n := h.issue("A").Number; n != "A001" {
		t.Fatalf("next day's first capped number %s", n)
	}
}
