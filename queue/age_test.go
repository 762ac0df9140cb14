package queue

import (
	"testing"
	"time"
)

// born is a civil date of birth, as a card's ID number carries it.
func born(y int, m time.Month, d int) *Card {
	return &Card{Birth: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// A number taken with a card read is priority from the hall's age on, on
// the hall's date; a typed number proves nobody's age; 0 is off.
func TestPriorityByAgeOnCard(t *testing.T) {
	setup := testSetup()
	setup.PriorityAge = 70
	h := newHall(t, setup) // t0 is 2025-03-10 09:00 in Shanghai
	h.open("1")
	young := h.issueWith(IssueTicket{Service: "A", Card: born(1955, 3, 11)}) // 70 tomorrow
	typed := h.issue("A")
	old := h.issueWith(IssueTicket{Service: "A", Card: born(1955, 3, 10)}) // 70 today
	if young.Priority || typed.Priority {
		t.Fatalf("69 by card (%v) or typed (%v) made priority", young.Priority, typed.Priority)
	}
	if !old.Priority || old.Why != PriorityByAge {
		t.Fatalf("70 by card: priority %v, reason %q", old.Priority, old.Why)
	}
	// The priority line goes first: the 70-year-old is called before
	// those who came earlier.
	if got := h.call("1"); got != old.Number {
		t.Fatalf("first call %s, want %s", got, old.Number)
	}

	setup = testSetup()
	h = newHall(t, setup)
	if tk := h.issueWith(IssueTicket{Service: "A", Card: born(1930, 1, 1)}); tk.Priority {
		t.Fatal("with priority_age 0 a 95-year-old's card made priority")
	}
}

// The hall's date is its own zone's: at 23:30 UTC on the 9th it is already
// the 10th in Shanghai.
func TestPriorityAgeOnTheHallsDate(t *testing.T) {
	setup := testSetup()
	setup.PriorityAge = 70
	now := time.Date(2025, 3, 9, 23, 30, 0, 0, time.UTC)
	if !ByAge(setup, born(1955, 3, 10), now) {
		t.Fatal("70 on the hall's date, not on UTC's: not priority")
	}
	if got := Age(time.Date(1956, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2026, 2, 28, 0, 0, 0, 0, time.UTC)); got != 69 {
		t.Fatalf("born 29 February, on 28 February: %d", got)
	}
	if got := Age(time.Date(1956, 2, 29, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)); got != 70 {
		t.Fatalf("born 29 February, on 1 March: %d", got)
	}
}

// A staff's priority number keeps no reason of the hall's.
func TestStaffPriorityHasNoAgeReason(t *testing.T) {
	setup := testSetup()
	setup.PriorityAge = 70
	h := newHall(t, setup)
	if tk := h.issueWith(IssueTicket{Service: "A", Priority: true, Actor: guide, Card: born(1940, 1, 1)}); !tk.Priority || tk.Why != "" {
		t.Fatalf("guide's priority: %v %q", tk.Priority, tk.Why)
	}
}
