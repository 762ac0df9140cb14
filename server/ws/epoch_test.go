package ws

import "testing"

// In a journal with an epoch, a screen resumes only in that epoch, and is
// told so first; a seq said in another epoch, or in none, gets a fresh
// snapshot, since it counts in another history.
func TestResumeOnlyInTheSameEpoch(t *testing.T) {
	th := newTestHub(t, Options{Backlog: frames(100, 110), Epoch: "e1"})
	c := th.dial("since=105&epoch=e1")
	if m := read(t, c); m.Type != "resume" || m.Seq != 105 {
		t.Fatalf("same epoch: first %s %d, want resume 105", m.Type, m.Seq)
	}
	if m := read(t, c); m.Type != "test" || m.Seq != 106 {
		t.Fatalf("then %s %d, want event 106", m.Type, m.Seq)
	}
	for _, q := range []string{"since=105&epoch=e0", "since=105"} {
		if m := read(t, th.dial(q)); m.Type != "snapshot" || m.Seq != 110 {
			t.Errorf("%s: first %s %d, want the snapshot of 110", q, m.Type, m.Seq)
		}
	}
}
