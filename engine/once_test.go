package engine_test

import (
	"bytes"
	"context"
	"testing"

	"hallfloor/engine"
	"hallfloor/errs"
	"hallfloor/queue"
)

// A key answers again only the request it first answered: the same key
// with another fingerprint is refused as a conflict and changes nothing,
// before and after a restart, since the fingerprint is journaled with the
// answer.
func TestKeyAnswersOnlyItsRequest(t *testing.T) {
	h := newHall(t)
	do := func(service, fp string) engine.Result {
		return h.e.DoOnce(context.Background(), queue.IssueTicket{Service: service}, engine.Once{Key: "kiosk-1", Fingerprint: fp}, ticketReply)
	}
	first := do("A", "body-a")
	if first.Err != nil || first.Repeat {
		t.Fatalf("first: %+v", first)
	}
	for _, when := range []string{"running", "after a restart"} {
		before := h.state()
		if res := do("B", "body-b"); errs.ReasonOf(res.Err) != "idempotency_key_reused" || !errs.Is(errs.Conflict, res.Err) || len(res.Events) != 0 {
			t.Fatalf("%s: the key with another request: %+v", when, res)
		}
		if got := h.state(); got != before {
			t.Fatalf("%s: a reused key changed the state %s", when, diff(before, got))
		}
		if res := do("A", "body-a"); res.Err != nil || !res.Repeat || !bytes.Equal(res.Body, first.Body) {
			t.Fatalf("%s: the same request again: %+v, first %s", when, res, first.Body)
		}
		h = h.restart()
	}
}
