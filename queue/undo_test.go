package queue

import (
	"testing"
	"time"
)

// A 过号 taken back within the time to undo it: the citizen is served at the
// window again, and the day does not count a no-show.
func TestUndoSkipRestoresTheTicket(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	a1 := h.issue("A")
	h.issue("A")
	h.call("1")
	h.must(Skip{Window: "1", Actor: clerk("s1")})
	if a1.Status != NoShow || h.s.Services["A"].NoShows != 1 {
		t.Fatalf("after the skip: %s, no-shows %d", a1.Status, h.s.Services["A"].NoShows)
	}
	if tk, until, err := SkipUndo(h.s, h.setup, "1", h.now); err != nil || tk != a1 || !until.Equal(h.now.Add(DefaultUndoSkip)) {
		t.Fatalf("SkipUndo = %v, %v, %v; want A001 until %v", tk, until, err, h.now.Add(DefaultUndoSkip))
	}
	h.advance(DefaultUndoSkip - time.Second)
	out := h.must(UndoSkip{Window: "1", Ticket: a1.ID, Actor: clerk("s1")})
	if got := eventTypes(out.Events); len(got) != 1 || got[0] != "ticket.skip_undone" {
		t.Fatalf("events %v", got)
	}
	w := h.s.Windows["1"]
	if a1.Status != Called || w.Current != a1.ID || w.State != Serving || h.s.Services["A"].NoShows != 0 {
		t.Fatalf("after the undo: ticket %s, window %+v, no-shows %d", a1.Status, w, h.s.Services["A"].NoShows)
	}
	// Once: the skip is undone, there is nothing left to take back.
	if e := h.refuse(UndoSkip{Window: "1", Ticket: a1.ID, Actor: clerk("s1")}, "conflict"); e.Reason != "undo_nothing_skipped" {
		t.Fatalf("a second undo: %v", e)
	}
	// Served after all: the finish counts it as served.
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	if a1.Status != Done || h.s.Services["A"].Served != 1 {
		t.Fatalf("finish after undo: %s, served %d", a1.Status, h.s.Services["A"].Served)
	}
}

// The time to undo is decided from the skip's time and the command's: at
// the limit it is over, and the refusal says so.
func TestUndoSkipTimeLimit(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	a1 := h.issue("A")
	h.call("1")
	h.must(Skip{Window: "1", Actor: clerk("s1")})
	h.advance(DefaultUndoSkip)
	e := h.refuse(UndoSkip{Window: "1", Ticket: a1.ID, Actor: clerk("s1")}, "conflict")
	if e.Reason != "undo_skip_expired" || e.Args["number"] != "A001" || e.Args["seconds"] != "10" {
		t.Fatalf("undo at the limit: %v %v", e.Reason, e.Args)
	}
	if _, _, err := SkipUndo(h.s, h.setup, "1", h.now); err == nil {
		t.Fatal("SkipUndo offers an undo past the limit")
	}
	// The hall file may allow longer.
	s := testSetup()
	s.UndoSkip = 30 * time.Second
	h2 := newHall(t, s)
	h2.open("1")
	b1 := h2.issue("A")
	h2.call("1")
	h2.must(Skip{Window: "1", Actor: clerk("s1")})
	h2.advance(20 * time.Second)
	h2.must(UndoSkip{Window: "1", Ticket: b1.ID, Actor: clerk("s1")})
}

// Once the window has called someone else, the skipped citizen is not put
// back in front of them: undo is refused, requeue is the way.
func TestUndoSkipNotAfterAnotherCall(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1", "2")
	a1, _ := h.issue("A"), h.issue("A")
	h.call("1")
	h.must(Skip{Window: "1", Actor: clerk("s1")})
	// Another clerk, another window: not this window's to undo.
	if e := h.refuse(UndoSkip{Window: "1", Ticket: a1.ID, Actor: clerk("s2")}, "forbidden"); e.Reason != "window_not_yours" {
		t.Fatalf("undo by another clerk: %v", e)
	}
	if e := h.refuse(UndoSkip{Window: "2", Ticket: a1.ID, Actor: clerk("s2")}, "conflict"); e.Reason != "undo_nothing_skipped" {
		t.Fatalf("undo at another window: %v", e)
	}
	h.call("1")
	if e := h.refuse(UndoSkip{Window: "1", Ticket: a1.ID, Actor: clerk("s1")}, "conflict"); e.Reason != "undo_skip_called_since" {
		t.Fatalf("undo after the next call: %v", e)
	}
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	if e := h.refuse(UndoSkip{Window: "1", Ticket: a1.ID, Actor: clerk("s1")}, "conflict"); e.Reason != "undo_skip_called_since" {
		t.Fatalf("undo after the next service finished: %v", e)
	}
	if e := h.refuse(UndoSkip{Window: "1", Actor: clerk("s1")}, "invalid"); e.Field != "ticket" {
		t.Fatalf("undo without a ticket: %v", e)
	}
}

// The clerk types the number the citizen holds; the room finds today's
// ticket by it and requeues only a no-show.
func TestRequeueByNumber(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	a1, a2 := h.issue("A"), h.issue("A")
	h.call("1")
	h.must(Skip{Window: "1", Actor: clerk("s1")})
	if e := h.refuse(Requeue{Number: "A002", Actor: clerk("s1")}, "conflict"); e.Reason != "requeue_not_no_show" {
		t.Fatalf("requeue a waiting number: %v", e)
	}
	if e := h.refuse(Requeue{Number: "A009", Actor: clerk("s1")}, "not_found"); e.Reason != "requeue_no_number" || e.Args["number"] != "A009" {
		t.Fatalf("requeue a number not issued today: %v %v", e.Reason, e.Args)
	}
	if e := h.refuse(Requeue{Number: "  ", Actor: clerk("s1")}, "invalid"); e.Reason != "requeue_number_needed" || e.Field != "number" {
		t.Fatalf("requeue without a number: %v", e)
	}
	if e := h.refuse(Requeue{Number: "A001", Ticket: a1.ID, Actor: clerk("s1")}, "invalid"); e.Reason != "requeue_one_ticket" {
		t.Fatalf("requeue by id and number: %v", e)
	}
	if e := h.refuse(Requeue{Number: "A001"}, "unauthorized"); e.Reason != "sign_in_required" {
		t.Fatalf("requeue by nobody: %v", e)
	}
	out := h.must(Requeue{Number: " a001", Actor: clerk("s1")})
	if out.Ticket != a1.ID || a1.Status != Waiting {
		t.Fatalf("requeue by number: outcome %+v, ticket %s", out, a1.Status)
	}
	// Behind those waiting now.
	if got := h.drain("1"); len(got) != 2 || got[0] != a2.Number || got[1] != a1.Number {
		t.Fatalf("calls after the requeue: %v", got)
	}
}

// A manager forces a clerk off a window while it serves: nobody is
// stranded, the citizen goes back where they were in line.
func TestForceSignOff(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1", "2")
	a1 := h.issue("A")
	h.advance(time.Minute)
	a2 := h.issue("A")
	h.advance(time.Minute)
	a3 := h.issue("A")
	h.call("2") // A001 at window 2
	h.must(Transfer{Window: "2", Actor: clerk("s2"), ToWindow: "1"})
	h.call("2") // A002 at window 2: A001 waits for window 1 alone
	if e := h.refuse(ForceSignOff{Window: "2", Actor: clerk("s2")}, "forbidden"); e.Reason != "manager_only" {
		t.Fatalf("a clerk forcing: %v", e)
	}
	if e := h.refuse(ForceSignOff{Window: "2"}, "unauthorized"); e.Reason != "sign_in_required" {
		t.Fatalf("nobody forcing: %v", e)
	}
	h.must(ForceSignOff{Window: "1", Actor: manager}) // A001 was sent to 1
	if a1.Status != Waiting || a1.Target != "" {
		t.Fatalf("A001 after window 1 was forced off: %+v", a1)
	}
	out := h.must(ForceSignOff{Window: "2", Actor: manager})
	if got := eventTypes(out.Events); len(got) != 2 || got[0] != "ticket.transferred" || got[1] != "window.closed" {
		t.Fatalf("events %v", got)
	}
	if c := out.Events[1].(WindowClosed); c.Staff != "s2" || c.By != "admin" {
		t.Fatalf("closed: %+v", c)
	}
	if w := h.s.Windows["2"]; w.State != Closed || w.Staff != "" || w.Current != "" {
		t.Fatalf("window 2: %+v", w)
	}
	if e := h.refuse(CallNext{Window: "2", Actor: clerk("s2")}, "conflict"); e.Reason != "window_closed" {
		t.Fatalf("the clerk after being forced off: %v", e)
	}
	if e := h.refuse(ForceSignOff{Window: "2", Actor: manager}, "conflict"); e.Reason != "window_closed" {
		t.Fatalf("forcing a closed window: %v", e)
	}
	// Everyone is back in A's line in the order they came.
	h.open("2")
	if got := h.drain("2"); len(got) != 3 || got[0] != a1.Number || got[1] != a2.Number || got[2] != a3.Number {
		t.Fatalf("calls after the forced sign-off: %v", got)
	}
}

// A manager signs a clerk on at a window (one worked from its keys); nobody
// else signs on anyone but themselves.
func TestManagerSignsClerkOn(t *testing.T) {
	h := newHall(t, testSetup())
	if e := h.refuse(OpenWindow{Window: "1", Actor: clerk("s2"), For: clerk("s1")}, "forbidden"); e.Reason != "manager_only" {
		t.Fatalf("a clerk signing another on: %v", e)
	}
	if e := h.refuse(OpenWindow{Window: "1", Actor: manager, For: guide}, "forbidden"); e.Reason != "guide_no_window" {
		t.Fatalf("a guide signed on: %v", e)
	}
	out := h.must(OpenWindow{Window: "1", Actor: manager, For: clerk("s1")})
	if o := out.Events[0].(WindowOpened); o.Staff != "s1" || o.By != "admin" {
		t.Fatalf("opened: %+v", o)
	}
	if e := h.refuse(OpenWindow{Window: "2", Actor: manager, For: clerk("s1")}, "conflict"); e.Reason != "staff_elsewhere" {
		t.Fatalf("the clerk at two windows: %v", e)
	}
	// The keys act for the clerk signed on.
	h.issue("A")
	h.must(PressKey{Window: "1", Key: KeyCall})
	if w := h.s.Windows["1"]; w.Current == "" || h.s.Tickets[w.Current].Staff != "s1" {
		t.Fatalf("window 1 after its call key: %+v", w)
	}
	// The manager closes it again, as the clerk would (not while serving).
	if e := h.refuse(CloseWindow{Window: "1", Actor: manager}, "conflict"); e.Reason != "close_while_serving" {
		t.Fatalf("close while serving: %v", e)
	}
	h.must(Finish{Window: "1", Actor: manager})
	h.must(CloseWindow{Window: "1", Actor: manager})
}

// The counter's transfer list is the transfer rule's own answer.
func TestTransferTargetsAreTheRulesAnswer(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1", "3")
	got := map[string]string{}
	for _, tt := range TransferTargets(h.s, h.setup, "1") {
		got[tt.Window] = ""
		if tt.Refusal != nil {
			got[tt.Window] = tt.Refusal.Error()
		}
	}
	if _, self := got["1"]; self || len(got) != 4 {
		t.Fatalf("targets %v", got)
	}
	if got["3"] != "" || got["2"] == "" || got["4"] == "" {
		t.Fatalf("open window 3 and closed 2, 4: %v", got)
	}
	h.issue("A")
	h.call("1")
	h.refuse(Transfer{Window: "1", Actor: clerk("s1"), ToWindow: "2"}, "conflict")
}

// What a service took today is the mean of what it took, not the live guess
// the estimates start from the hall file's figure.
func TestServiceMeanIsWhatWasServed(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	h.issue("A")
	h.issue("A")
	h.call("1")
	h.advance(time.Second)
	h.call("1")
	h.advance(3 * time.Second)
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	sv, w := h.s.Services["A"], h.s.Windows["1"]
	if sv.MeanServiceS() != 2 || w.MeanServiceS() != 2 {
		t.Fatalf("mean of 1 s and 3 s: service %v, window %v", sv.MeanServiceS(), w.MeanServiceS())
	}
	if sv.AvgServiceS < 60 {
		t.Fatalf("the estimate's guess moved to %v at once", sv.AvgServiceS)
	}
}
