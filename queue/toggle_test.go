package queue

import (
	"testing"

	"hallfloor/errs"
)

// TestTogglePause: a caller's one pause key pauses an open window with its
// reason, resumes a paused one, and, like a pause, waits for the current
// service to finish.
func TestTogglePause(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	key := TogglePause{Window: "1", Actor: clerk("s1"), Reason: "暂停服务（呼叫器）"}

	h.must(key)
	if w := h.s.Windows["1"]; w.State != Paused || w.PauseReason != "暂停服务（呼叫器）" {
		t.Fatalf("after the first press: %+v", w)
	}
	h.must(key)
	if w := h.s.Windows["1"]; w.State != Idle || w.PauseReason != "" {
		t.Fatalf("after the second press: %+v", w)
	}
	h.issue("A")
	h.call("1")
	h.refuse(key, errs.Conflict)
	h.refuse(TogglePause{Window: "1", Actor: clerk("someone else"), Reason: "x"}, errs.Forbidden)
	h.refuse(TogglePause{Window: "9", Actor: clerk("s1"), Reason: "x"}, errs.NotFound)
}
