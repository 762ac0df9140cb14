package queue

import (
	"encoding/json"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/room"
)

// busyHall is a hall with something in every state: windows closed, idle,
// serving and paused; tickets waiting, priority, sent to a window, called,
// done, no-show and cancelled.
func busyHall(t *testing.T) *hall {
	h := newHall(t, testSetup())
	h.open("1", "2", "3", "4")
	h.issueWith(IssueTicket{ID: "a1", Service: "A", IDHash: "h1"})
	h.issueWith(IssueTicket{ID: "a2", Service: "A"})
	h.issueWith(IssueTicket{ID: "b1", Service: "B", Priority: true, Actor: guide})
	h.issueWith(IssueTicket{ID: "a3", Service: "A", IDHash: "h3"})
	h.issueWith(IssueTicket{ID: "b2", Service: "B"})
	h.issueWith(IssueTicket{ID: "a4", Service: "A"})
	h.issueWith(IssueTicket{ID: "a5", Service: "A"})
	h.advance(time.Minute)
	h.call("1") // a1, then skipped
	h.must(Skip{Window: "1", Actor: clerk("s1")})
	h.call("1") // a2, sent to window 4
	h.must(Transfer{Window: "1", Actor: clerk("s1"), ToWindow: "4"})
	h.call("1") // a3, done
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	h.must(CancelTicket{Ticket: "a5"})
	h.call("2") // b1 (priority), being served
	h.must(Pause{Window: "3", Actor: clerk("s3"), Reason: "break"})
	h.advance(time.Minute)
	return h
}

func TestBadInputChangesNothing(t *testing.T) {
	s1, s2 := clerk("s1"), clerk("s2")
	tests := []struct {
		name string
		cmd  Command
		kind errs.Kind
	}{
		{"issue: unknown service", IssueTicket{ID: "x1", Service: "X"}, errs.Invalid},
		{"issue: empty service", IssueTicket{ID: "x1"}, errs.Invalid},
		{"issue: no id", IssueTicket{Service: "A"}, errs.Internal},
		{"issue: id taken", IssueTicket{ID: "a1", Service: "A"}, errs.Internal},
		{"issue: holder already waiting", IssueTicket{ID: "x1", Service: "A", IDHash: "h3x"}, ""},
		{"open: unknown window", OpenWindow{Window: "9", Actor: clerk("s9")}, errs.NotFound},
		{"open: nobody", OpenWindow{Window: "5"}, errs.Unauthorized},
		{"open: already open", OpenWindow{Window: "1", Actor: s1}, errs.Conflict},
		{"open: someone else's", OpenWindow{Window: "1", Actor: clerk("s9")}, errs.Conflict},
		{"open: clerk busy elsewhere", OpenWindow{Window: "5", Actor: s1}, errs.Conflict},
		{"close: closed", CloseWindow{Window: "5", Actor: clerk("s5")}, errs.Conflict},
		{"close: serving", CloseWindow{Window: "2", Actor: s2}, errs.Conflict},
		{"close: not yours", CloseWindow{Window: "1", Actor: s2}, errs.Forbidden},
		{"close: unknown window", CloseWindow{Window: "9", Actor: s1}, errs.NotFound},
		{"call: closed window", CallNext{Window: "5", Actor: clerk("s5")}, errs.Conflict},
		{"call: paused window", CallNext{Window: "3", Actor: clerk("s3")}, errs.Conflict},
		{"call: not yours", CallNext{Window: "2", Actor: s1}, errs.Forbidden},
		{"call: unknown window", CallNext{Window: "", Actor: s1}, errs.NotFound},
		{"recall: nobody served", Recall{Window: "1", Actor: s1}, errs.Conflict},
		{"recall: not yours", Recall{Window: "2", Actor: s1}, errs.Forbidden},
		{"skip: nobody served", Skip{Window: "1", Actor: s1}, errs.Conflict},
		{"skip: not yours", Skip{Window: "2", Actor: s1}, errs.Forbidden},
		{"finish: nobody served", Finish{Window: "4", Actor: clerk("s4")}, errs.Conflict},
		{"finish: closed window", Finish{Window: "5", Actor: clerk("s5")}, errs.Conflict},
		{"pause: no reason", Pause{Window: "1", Actor: s1}, errs.Invalid},
		{"pause: serving", Pause{Window: "2", Actor: s2, Reason: "x"}, errs.Conflict},
		{"pause: paused", Pause{Window: "3", Actor: clerk("s3"), Reason: "x"}, errs.Conflict},
		{"resume: not paused", Resume{Window: "1", Actor: s1}, errs.Conflict},
		{"resume: not yours", Resume{Window: "3", Actor: s1}, errs.Forbidden},
		{"transfer: nobody served", Transfer{Window: "1", Actor: s1, ToService: "B"}, errs.Conflict},
		{"transfer: unknown service", Transfer{Window: "2", Actor: s2, ToService: "X"}, errs.Invalid},
		{"transfer: unknown window", Transfer{Window: "2", Actor: s2, ToWindow: "9"}, errs.Invalid},
		{"transfer: both", Transfer{Window: "2", Actor: s2, ToService: "A", ToWindow: "1"}, errs.Invalid},
		{"transfer: neither", Transfer{Window: "2", Actor: s2}, errs.Invalid},
		{"transfer: to itself", Transfer{Window: "2", Actor: s2, ToWindow: "2"}, errs.Invalid},
		{"requeue: unknown ticket", Requeue{Ticket: "nope", Actor: s1}, errs.NotFound},
		{"requeue: waiting ticket", Requeue{Ticket: "a4", Actor: s1}, errs.Conflict},
		{"requeue: done ticket", Requeue{Ticket: "a3", Actor: s1}, errs.Conflict},
		{"requeue: nobody", Requeue{Ticket: "a1"}, errs.Unauthorized},
		{"cancel: unknown ticket", CancelTicket{Ticket: "nope"}, errs.NotFound},
		{"cancel: called ticket", CancelTicket{Ticket: "b1"}, errs.Conflict},
		{"cancel: cancelled ticket", CancelTicket{Ticket: "a5"}, errs.Conflict},
		{"cancel: no-show", CancelTicket{Ticket: "a1"}, errs.Conflict},
		{"unknown command", nil, errs.Internal},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := busyHall(t)
			if tt.kind == "" {
				// The holder of a3 has it done; give them a waiting one.
				h.issueWith(IssueTicket{ID: "w1", Service: "A", IDHash: "h3x"})
				tt.kind = errs.Conflict
			}
			before, err := json.Marshal(h.s)
			if err != nil {
				t.Fatal(err)
			}
			holders := len(h.s.holders)
			out, err := Decide(h.s, h.setup, tt.cmd, room.Env{Now: h.now})
			if err == nil {
				t.Fatalf("accepted: %+v", out)
			}
			if k := errs.KindOf(err); k != tt.kind {
				t.Fatalf("error %v is %s, want %s", err, k, tt.kind)
			}
			if len(out.Events) != 0 {
				t.Fatalf("refused, yet events %v", out.Events)
			}
			after, _ := json.Marshal(h.s)
			if string(before) != string(after) {
				t.Fatalf("state changed:\nbefore %s\nafter  %s", before, after)
			}
			if len(h.s.holders) != holders {
				t.Fatal("holders index changed")
			}
		})
	}
}
