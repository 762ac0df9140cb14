package outbox

import (
	"testing"
	"time"
)

func TestBackoffGrowsAndIsCapped(t *testing.T) {
	want := []time.Duration{30 * time.Second, time.Minute, 2 * time.Minute, 4 * time.Minute, 8 * time.Minute, 16 * time.Minute, 30 * time.Minute, 30 * time.Minute}
	for i, w := range want {
		if got := Backoff(i + 1); got != w {
			t.Errorf("Backoff(%d) = %v, want %v", i+1, got, w)
		}
	}
}

func TestQueueFailSend(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s := New()
	s.Apply(t0, Queued{ID: "m1", Purpose: "locker.code", Sealed: []byte("x")})
	s.Apply(t0.Add(time.Second), Queued{ID: "m2", Purpose: "locker.code"})
	if due := s.Due(t0.Add(time.Second)); len(due) != 2 || due[0].ID != "m1" {
		t.Fatalf("due = %+v, want both, oldest first", due)
	}
	f, ok := s.Fail("m1", "gateway down", t0)
	if !ok || f.Attempts != 1 || !f.Next.Equal(t0.Add(30*time.Second)) || f.GaveUp {
		t.Fatalf("first failure = %+v", f)
	}
	s.Apply(t0, f)
	if due := s.Due(t0.Add(10 * time.Second)); len(due) != 1 || due[0].ID != "m2" {
		t.Fatalf("a failed message waits for its back-off: due = %+v", due)
	}
	s.Apply(t0, Sent{ID: "m2"})
	if due := s.Due(t0.Add(time.Minute)); len(due) != 1 || due[0].ID != "m1" {
		t.Fatalf("after the back-off m1 is due again: %+v", due)
	}
	for i := 2; i <= MaxAttempts; i++ {
		f, _ = s.Fail("m1", "still down", t0)
		s.Apply(t0, f)
	}
	if !f.GaveUp || f.Attempts != MaxAttempts {
		t.Fatalf("after %d attempts the message is given up: %+v", MaxAttempts, f)
	}
	if due := s.Due(t0.Add(24 * time.Hour)); len(due) != 0 {
		t.Errorf("a given-up message is not sent again: %+v", due)
	}
	if _, ok := s.Fail("nope", "x", t0); ok {
		t.Error("failing an unknown message")
	}
}

// A message given up stays for the manager KeepGivenUp after it was
// queued, then leaves the state at the next event of any room; one still
// being tried stays however old.
func TestGivenUpMessagesExpire(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s := New()
	s.Apply(t0, Queued{ID: "m1", Purpose: "locker.code"})
	s.Apply(t0, Queued{ID: "m2", Purpose: "locker.code"})
	for i := 1; i <= MaxAttempts; i++ {
		f, _ := s.Fail("m1", "down", t0)
		s.Apply(t0.Add(time.Hour), f)
	}
	s.Apply(t0.Add(KeepGivenUp-time.Minute), struct{}{})
	if s.Pending["m1"] == nil {
		t.Fatal("a given-up message left before its time")
	}
	s.Apply(t0.Add(KeepGivenUp+time.Hour), struct{}{}) // any room's event
	if s.Pending["m1"] != nil {
		t.Fatal("a given-up message is still kept after KeepGivenUp")
	}
	if s.Pending["m2"] == nil {
		t.Fatal("a message still being tried was forgotten")
	}
}

// A push failed on every attempt is given up and moves to the log with its
// attempts and last answer, without its body; one delivered moves there
// too; a repeated delivery report records nothing more.
func TestPushesRetriedGivenUpAndLogged(t *testing.T) {
	t0 := time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC)
	s := New()
	s.Apply(t0, PushQueued{ID: "p1", Hook: "records", Class: "tickets", Event: "ticket.called", Body: []byte(`{"a":1}`)})
	s.Apply(t0.Add(time.Second), PushQueued{ID: "p2", Hook: "records", Class: "tickets", Event: "ticket.finished", Body: []byte(`{}`)})
	if due := s.DuePushes(t0.Add(time.Second)); len(due) != 2 || due[0].ID != "p1" {
		t.Fatalf("due %+v", due)
	}
	now := t0
	for i := 1; i <= MaxAttempts; i++ {
		out, err := Decide(s, MarkPushFailed{ID: "p1", Status: 500, Reason: "busy"}, now)
		if err != nil {
			t.Fatal(err)
		}
		f := out.Events[0].(PushFailed)
		if f.Attempts != i || f.GaveUp != (i == MaxAttempts) {
			t.Fatalf("attempt %d: %+v", i, f)
		}
		s.Apply(now, f)
		for _, d := range s.DuePushes(now) {
			if d.ID == "p1" {
				t.Fatalf("attempt %d: a failed push is due before its back-off", i)
			}
		}
		now = now.Add(Backoff(i))
	}
	out, _ := Decide(s, MarkPushDelivered{ID: "p2", Status: 204}, now)
	s.Apply(now, out.Events[0])
	if out, _ := Decide(s, MarkPushDelivered{ID: "p2", Status: 204}, now); len(out.Events) != 0 {
		t.Fatal("a repeated delivery report recorded again")
	}
	if _, err := Decide(s, MarkPushFailed{ID: "p2"}, now); err == nil {
		t.Fatal("a delivered push failed afterwards")
	}
	list := s.PushList()
	if len(s.Pushes) != 0 || len(list) != 2 || list[0].ID != "p2" || list[0].Status != 204 || list[0].DeliveredAt.IsZero() ||
		!list[1].GaveUp || list[1].Attempts != MaxAttempts || list[1].Status != 500 || list[1].Body != nil {
		t.Fatalf("log %+v", list)
	}
}
