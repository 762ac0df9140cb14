package queue

import (
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/room"
)

// TestCallingOrder presses "next" at one window until its lines are empty
// and checks the order in which numbers are called.
func TestCallingOrder(t *testing.T) {
	tests := []struct {
		name   string
		window string
		// arrange issues tickets; it returns the time of the first call.
		arrange func(h *hall)
		want    []string
	}{
		{
			name:   "FIFO across the window's services",
			window: "2",
			arrange: func(h *hall) {
				for _, sv := range []string{"A", "B", "A", "B", "B", "A"} {
					h.issue(sv)
					h.advance(time.Minute)
				}
			},
			want: []string{"A001", "B001", "A002", "B002", "B003", "A003"},
		},
		{
			name:   "same instant: issue order breaks the tie",
			window: "2",
			arrange: func(h *hall) {
				h.issue("B")
				h.issue("A")
				h.issue("B")
			},
			want: []string{"B001", "A001", "B002"},
		},
		{
			name:   "a window calls only its own services",
			window: "1",
			arrange: func(h *hall) {
				h.issue("B")
				h.advance(time.Minute)
				h.issue("A")
				h.issue("Z")
				h.issue("A")
			},
			want: []string{"A001", "A002"},
		},
		{
			name:   "priority goes first",
			window: "1",
			arrange: func(h *hall) {
				h.issue("A")
				h.advance(time.Minute)
				h.issue("A")
				h.advance(time.Minute)
				h.issuePriority("A")
			},
			want: []string{"A003", "A001", "A002"},
		},
		{
			name:   "priority run is capped while normal tickets wait",
			window: "1",
			arrange: func(h *hall) {
				h.issue("A") // A001 normal
				for range 5 {
					h.advance(time.Minute)
					h.issuePriority("A") // A002..A006
				}
				h.advance(time.Minute)
				h.issue("A") // A007 normal
			},
			// PriorityRun is 3: three priority, then the normal one that waits.
			want: []string{"A002", "A003", "A004", "A001", "A005", "A006", "A007"},
		},
		{
			name:   "priority keeps being called when no normal ticket waits",
			window: "1",
			arrange: func(h *hall) {
				for range 5 {
					h.issuePriority("A")
					h.advance(time.Minute)
				}
			},
			want: []string{"A001", "A002", "A003", "A004", "A005"},
		},
		{
			name:   "priority across services is FIFO among itself",
			window: "2",
			arrange: func(h *hall) {
				h.issue("A")
				h.advance(time.Minute)
				h.issuePriority("B")
				h.advance(time.Minute)
				h.issuePriority("A")
			},
			want: []string{"B001", "A002", "A001"},
		},
		{
			name:   "weight 2 for B: a B that waited 6 min beats an A that waited 10",
			window: "3",
			arrange: func(h *hall) {
				h.issue("A")
				h.advance(4 * time.Minute)
				h.issue("B")
				h.advance(6 * time.Minute)
			},
			want: []string{"B001", "A001"},
		},
		{
			name:   "weight 2 for B: a B that waited 4 min loses to an A that waited 10",
			window: "3",
			arrange: func(h *hall) {
				h.issue("A")
				h.advance(6 * time.Minute)
				h.issue("B")
				h.advance(4 * time.Minute)
			},
			want: []string{"A001", "B001"},
		},
		{
			name:   "without weights the longer wait wins",
			window: "2",
			arrange: func(h *hall) {
				h.issue("A")
				h.advance(4 * time.Minute)
				h.issue("B")
				h.advance(6 * time.Minute)
			},
			want: []string{"A001", "B001"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHall(t, testSetup())
			h.open(tt.window)
			tt.arrange(h)
			got := h.drain(tt.window)
			if !slices.Equal(got, tt.want) {
				t.Fatalf("window %s called %v, want %v", tt.window, got, tt.want)
			}
		})
	}
}

// A window that called a priority ticket and then a normal one starts its
// priority run again.
func TestPriorityRunCountsPerWindow(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1", "2")
	for range 4 {
		h.issuePriority("A")
	}
	h.issue("A") // A005
	for range 4 {
		h.issuePriority("A") // A006..A009
	}
	var got []string
	// Window 2 takes A001..A003; window 1 has its own run and still calls
	// priority first.
	for range 3 {
		got = append(got, h.call("2"))
	}
	got = append(got, h.call("1"))
	if want := []string{"A001", "A002", "A003", "A004"}; !slices.Equal(got, want) {
		t.Fatalf("called %v, want %v", got, want)
	}
	if n := h.s.Windows["2"].PriorityRun; n != 3 {
		t.Fatalf("window 2 priority run %d, want 3", n)
	}
	if got := h.call("2"); got != "A005" {
		t.Fatalf("window 2 after three priority calls %s, want the waiting normal A005", got)
	}
	if n := h.s.Windows["2"].PriorityRun; n != 0 {
		t.Fatalf("window 2 priority run %d after a normal call, want 0", n)
	}
}

func TestTransferToService(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1", "4")
	b1 := h.issue("B") // before A001
	h.advance(time.Minute)
	a1 := h.issue("A")
	h.advance(time.Minute)
	b2 := h.issue("B") // after A001
	h.advance(time.Minute)
	h.call("1")
	h.advance(2 * time.Minute)
	h.issue("B") // B003, arrives during the service

	out := h.must(Transfer{Window: "1", Actor: clerk("s1"), ToService: "B"})
	if out.Ticket != a1.ID {
		t.Fatalf("outcome names %q, want %q", out.Ticket, a1.ID)
	}
	tr, ok := out.Events[0].(TicketTransferred)
	if !ok || tr.ToService != "B" || tr.FromWindow != "1" || tr.ToWindow != "" {
		t.Fatalf("events %+v", out.Events)
	}
	tk := h.s.Tickets[a1.ID]
	if tk.Status != Waiting || tk.Service != "B" || tk.Number != "A001" || tk.Window != "" {
		t.Fatalf("transferred ticket %+v", tk)
	}
	if w := h.s.Windows["1"]; w.State != Idle || w.Current != "" {
		t.Fatalf("window 1 after transfer: %+v", w)
	}
	if got := h.s.Waiting("B"); got != 4 {
		t.Fatalf("B waiting %d, want 4", got)
	}
	// It keeps its number and its place: after B001 who came earlier,
	// ahead of B002 and B003 who came later.
	got := h.drain("4")
	if want := []string{b1.Number, "A001", b2.Number, "B003"}; !slices.Equal(got, want) {
		t.Fatalf("window 4 called %v, want %v", got, want)
	}
}

func TestTransferToWindow(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1", "2", "4")
	a1 := h.issue("A")
	h.advance(time.Minute)
	h.issue("A")
	h.advance(time.Minute)
	h.call("1")
	h.advance(time.Minute)

	// Window 4 serves only B, but a ticket sent to it is its own.
	h.must(Transfer{Window: "1", Actor: clerk("s1"), ToWindow: "4"})
	tk := h.s.Tickets[a1.ID]
	if tk.Status != Waiting || tk.Target != "4" || tk.Service != "A" || tk.Number != "A001" {
		t.Fatalf("transferred ticket %+v", tk)
	}
	if !slices.Equal(h.s.Windows["4"].Line, []string{a1.ID}) {
		t.Fatalf("window 4 line %v", h.s.Windows["4"].Line)
	}
	if slices.Contains(h.s.Services["A"].Line, a1.ID) {
		t.Fatal("ticket sent to window 4 is also in the A line")
	}
	if got := h.s.Ahead(tk); got != 0 {
		t.Fatalf("ahead of it %d", got)
	}
	// Windows 1 and 2 serve A, but this ticket is window 4's alone.
	if got := h.drain("2"); !slices.Equal(got, []string{"A002"}) {
		t.Fatalf("window 2 called %v", got)
	}
	if got := h.call("1"); got != "" {
		t.Fatalf("window 1 called %s", got)
	}
	if got := h.call("4"); got != "A001" {
		t.Fatalf("window 4 called %q, want A001", got)
	}
	if tk := h.s.Tickets[a1.ID]; tk.Target != "" || tk.Window != "4" || tk.Status != Called {
		t.Fatalf("called ticket %+v", tk)
	}
	if len(h.s.Windows["4"].Line) != 0 {
		t.Fatalf("window 4 line %v after the call", h.s.Windows["4"].Line)
	}
}

// A ticket sent to a window waits for that window alone, so the window
// must be open to receive it and may not close while it waits.
func TestTransferToWindowNeverStrandsTheTicket(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	a1 := h.issue("A")
	h.call("1")
	h.refuse(Transfer{Window: "1", Actor: clerk("s1"), ToWindow: "4"}, errs.Conflict) // closed
	if tk := h.s.Tickets[a1.ID]; tk.Status != Called || tk.Window != "1" {
		t.Fatalf("refused transfer moved the ticket: %+v", tk)
	}
	h.open("4")
	h.must(Pause{Window: "4", Actor: clerk("s4"), Reason: "break"})
	h.must(Transfer{Window: "1", Actor: clerk("s1"), ToWindow: "4"}) // paused is fine
	h.must(Resume{Window: "4", Actor: clerk("s4")})
	h.refuse(CloseWindow{Window: "4", Actor: clerk("s4")}, errs.Conflict)
	if got := h.call("4"); got != a1.Number {
		t.Fatalf("window 4 called %q", got)
	}
	h.must(Finish{Window: "4", Actor: clerk("s4")})
	h.must(CloseWindow{Window: "4", Actor: clerk("s4")})
}

func TestTransferRefused(t *testing.T) {
	tests := []struct {
		name  string
		cmd   Transfer
		kind  errs.Kind
		field string
	}{
		{"both service and window", Transfer{ToService: "B", ToWindow: "4"}, errs.Invalid, "service"},
		{"neither", Transfer{}, errs.Invalid, "service"},
		{"unknown service", Transfer{ToService: "X"}, errs.Invalid, "service"},
		{"unknown window", Transfer{ToWindow: "99"}, errs.Invalid, "window"},
		{"to itself", Transfer{ToWindow: "1"}, errs.Invalid, "window"},
		{"to a closed window", Transfer{ToWindow: "4"}, errs.Conflict, ""},
		{"another clerk", Transfer{ToService: "B", Actor: clerk("s2")}, errs.Forbidden, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHall(t, testSetup())
			h.open("1")
			h.issue("A")
			h.call("1")
			tt.cmd.Window = "1"
			if tt.cmd.Actor == (room.Actor{}) {
				tt.cmd.Actor = clerk("s1")
			}
			e := h.refuse(tt.cmd, tt.kind)
			if e.Field != tt.field {
				t.Fatalf("field %q, want %q", e.Field, tt.field)
			}
		})
	}
	t.Run("nobody at the window", func(t *testing.T) {
		h := newHall(t, testSetup())
		h.open("1")
		h.refuse(Transfer{Window: "1", Actor: clerk("s1"), ToService: "B"}, errs.Conflict)
	})
}

func TestSkipAndRequeue(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	a1 := h.issue("A")
	h.issue("A")
	h.advance(time.Minute)
	h.issue("A")
	h.call("1")
	h.advance(time.Minute)

	out := h.must(Skip{Window: "1", Actor: clerk("s1")})
	if out.Ticket != a1.ID || !slices.Equal(eventTypes(out.Events), []string{"ticket.skipped"}) {
		t.Fatalf("skip outcome %+v", out)
	}
	if tk := h.s.Tickets[a1.ID]; tk.Status != NoShow {
		t.Fatalf("skipped ticket is %s, want no_show", tk.Status)
	}
	if w := h.s.Windows["1"]; w.State != Idle || w.Current != "" {
		t.Fatalf("window after skip %+v", w)
	}
	if n := h.s.Services["A"].NoShows; n != 1 {
		t.Fatalf("no-shows %d", n)
	}
	// A no-show is not waiting: it cannot be cancelled or skipped again.
	h.refuse(CancelTicket{Ticket: a1.ID}, errs.Conflict)
	h.refuse(Skip{Window: "1", Actor: clerk("s1")}, errs.Conflict)

	h.advance(time.Minute)
	h.must(Requeue{Ticket: a1.ID, Actor: clerk("s1")})
	if tk := h.s.Tickets[a1.ID]; tk.Status != Waiting || tk.Number != "A001" {
		t.Fatalf("requeued ticket %+v", tk)
	}
	h.refuse(Requeue{Ticket: a1.ID, Actor: clerk("s1")}, errs.Conflict)
	h.advance(time.Minute)
	h.issue("A") // A004 comes after the requeue

	// Back of the line: behind those waiting when it came back.
	if got := h.drain("1"); !slices.Equal(got, []string{"A002", "A003", "A001", "A004"}) {
		t.Fatalf("called %v", got)
	}
}

func TestRequeueRefused(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	a1 := h.issue("A")
	h.refuse(Requeue{Ticket: "nope", Actor: clerk("s1")}, errs.NotFound)
	h.refuse(Requeue{Ticket: a1.ID, Actor: clerk("s1")}, errs.Conflict)
	h.call("1")
	h.must(Skip{Window: "1", Actor: clerk("s1")})
	h.refuse(Requeue{Ticket: a1.ID}, errs.Unauthorized)
}

func TestRecallCounts(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	h.refuse(Recall{Window: "1", Actor: clerk("s1")}, errs.Conflict)
	a1 := h.issue("A")
	h.call("1")
	for want := 1; want <= 3; want++ {
		out := h.must(Recall{Window: "1", Actor: clerk("s1")})
		ev, ok := out.Events[0].(TicketRecalled)
		if !ok || ev.Count != want || ev.Window != "1" || ev.Ticket.ID != a1.ID {
			t.Fatalf("recall %d: %+v", want, out.Events)
		}
		if got := h.s.Tickets[a1.ID].Recalls; got != want {
			t.Fatalf("recalls %d, want %d", got, want)
		}
	}
	if tk := h.s.Tickets[a1.ID]; tk.Status != Called || h.s.Windows["1"].Current != a1.ID {
		t.Fatal("a recall must not change who is being served")
	}
}

func TestPause(t *testing.T) {
	tests := []struct {
		name   string
		reason string
		field  string // "" means accepted
	}{
		{"no reason", "", "reason"},
		{"blank reason", " \t ", "reason"},
		{"too long", strings.Repeat("长", 101), "reason"},
		{"100 characters", strings.Repeat("长", 100), ""},
		{"reason", "午休", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHall(t, testSetup())
			h.open("1")
			cmd := Pause{Window: "1", Actor: clerk("s1"), Reason: tt.reason}
			if tt.field != "" {
				if e := h.refuse(cmd, errs.Invalid); e.Field != tt.field {
					t.Fatalf("field %q", e.Field)
				}
				return
			}
			h.must(cmd)
			w := h.s.Windows["1"]
			if w.State != Paused || w.PauseReason != strings.TrimSpace(tt.reason) {
				t.Fatalf("window %+v", w)
			}
		})
	}
}

func TestPausedWindowCannotCall(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	h.issue("A")
	h.issue("A")
	h.call("1")
	h.refuse(Pause{Window: "1", Actor: clerk("s1"), Reason: "break"}, errs.Conflict) // serving
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	h.must(Pause{Window: "1", Actor: clerk("s1"), Reason: "break"})
	h.refuse(Pause{Window: "1", Actor: clerk("s1"), Reason: "again"}, errs.Conflict)
	h.refuse(CallNext{Window: "1", Actor: clerk("s1")}, errs.Conflict)
	h.must(Resume{Window: "1", Actor: clerk("s1")})
	if w := h.s.Windows["1"]; w.State != Idle || w.PauseReason != "" {
		t.Fatalf("window after resume %+v", w)
	}
	h.refuse(Resume{Window: "1", Actor: clerk("s1")}, errs.Conflict)
	if got := h.call("1"); got != "A002" {
		t.Fatalf("called %q after resume", got)
	}
}

func TestWindowStates(t *testing.T) {
	h := newHall(t, testSetup())
	h.issue("A")
	h.issue("A")
	s1 := clerk("s1")
	steps := []struct {
		cmd  Command
		kind errs.Kind // "" means accepted
		want WindowState
	}{
		{CallNext{Window: "1", Actor: s1}, errs.Conflict, Closed},
		{Pause{Window: "1", Actor: s1, Reason: "x"}, errs.Conflict, Closed},
		{CloseWindow{Window: "1", Actor: s1}, errs.Conflict, Closed},
		{OpenWindow{Window: "1"}, errs.Unauthorized, Closed},
		{OpenWindow{Window: "1", Actor: s1}, "", Idle},
		{OpenWindow{Window: "1", Actor: s1}, errs.Conflict, Idle},
		{OpenWindow{Window: "1", Actor: clerk("s2")}, errs.Conflict, Idle},
		{OpenWindow{Window: "2", Actor: s1}, errs.Conflict, Idle}, // one window per clerk
		{Finish{Window: "1", Actor: s1}, errs.Conflict, Idle},
		{CallNext{Window: "1", Actor: s1}, "", Serving},
		{CloseWindow{Window: "1", Actor: s1}, errs.Conflict, Serving},
		{Finish{Window: "1", Actor: s1}, "", Idle},
		{Pause{Window: "1", Actor: s1, Reason: "会议"}, "", Paused},
		{Resume{Window: "1", Actor: s1}, "", Idle},
		{CallNext{Window: "1", Actor: s1}, "", Serving},
		{CallNext{Window: "1", Actor: s1}, "", Idle}, // finishes A002, nobody left
		{Pause{Window: "1", Actor: s1, Reason: "会议"}, "", Paused},
		{CloseWindow{Window: "1", Actor: s1}, "", Closed},
		{OpenWindow{Window: "1", Actor: clerk("s2")}, "", Idle},
		{CloseWindow{Window: "1", Actor: s1}, errs.Forbidden, Idle},
		{OpenWindow{Window: "99", Actor: s1}, errs.NotFound, Idle},
		{CloseWindow{Window: "1", Actor: clerk("s2")}, "", Closed},
	}
	for i, st := range steps {
		if c, ok := st.cmd.(CallNext); ok {
			c.Current = h.s.Windows[c.Window].Current // what the counter shows
			st.cmd = c
		}
		if st.kind == "" {
			h.must(st.cmd)
		} else {
			h.refuse(st.cmd, st.kind)
		}
		w := h.s.Windows["1"]
		if w.State != st.want {
			t.Fatalf("step %d %T: window %s, want %s", i, st.cmd, w.State, st.want)
		}
		if (w.State == Serving) != (w.Current != "") {
			t.Fatalf("step %d: state %s with current %q", i, w.State, w.Current)
		}
		if (w.State == Closed) != (w.Staff == "") {
			t.Fatalf("step %d: state %s with staff %q", i, w.State, w.Staff)
		}
	}
	if w := h.s.Windows["1"]; w.PauseReason != "" || w.Served != 2 {
		t.Fatalf("window at the end %+v", w)
	}
}

// Only the clerk signed on at a window, or a manager, may operate it.
func TestOnlySignedOnClerkOperatesWindow(t *testing.T) {
	cmds := []func(a room.Actor) Command{
		func(a room.Actor) Command { return CallNext{Window: "1", Actor: a} },
		func(a room.Actor) Command { return Recall{Window: "1", Actor: a} },
		func(a room.Actor) Command { return Skip{Window: "1", Actor: a} },
		func(a room.Actor) Command { return Finish{Window: "1", Actor: a} },
		func(a room.Actor) Command { return Transfer{Window: "1", Actor: a, ToService: "B"} },
		func(a room.Actor) Command { return CloseWindow{Window: "1", Actor: a} },
		func(a room.Actor) Command { return Pause{Window: "1", Actor: a, Reason: "x"} },
		func(a room.Actor) Command { return Resume{Window: "1", Actor: a} },
	}
	actors := []struct {
		name  string
		actor room.Actor
		ok    bool
	}{
		{"the clerk", clerk("s1"), true},
		{"another clerk", clerk("s2"), false},
		{"nobody", room.Actor{}, false},
		{"a manager", manager, true},
	}
	for _, a := range actors {
		for _, mk := range cmds {
			cmd := mk(a.actor)
			t.Run(a.name, func(t *testing.T) {
				h := newHall(t, testSetup())
				h.open("1")
				h.issue("A")
				h.issue("A")
				switch cmd.(type) {
				case Recall, Skip, Finish, Transfer:
					h.call("1")
				case Resume:
					h.must(Pause{Window: "1", Actor: clerk("s1"), Reason: "x"})
				}
				if !a.ok {
					h.refuse(cmd, errs.Forbidden)
					return
				}
				h.must(cmd)
				if staff := h.s.Windows["1"].Staff; staff != "s1" && staff != "" {
					t.Fatalf("acting changed the window's clerk to %q", staff)
				}
			})
		}
	}
}

func TestCallOnEmptyQueue(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	h.issue("B") // window 1 does not serve B
	out := h.must(CallNext{Window: "1", Actor: clerk("s1")})
	if out.Ticket != "" || len(out.Events) != 0 {
		t.Fatalf("call on an empty queue: %+v", out)
	}
	if w := h.s.Windows["1"]; w.State != Idle || w.Current != "" {
		t.Fatalf("window %+v", w)
	}
}

func TestCallWhileServingFinishesFirst(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	a1 := h.issue("A")
	a2 := h.issue("A")
	h.call("1")
	h.advance(7 * time.Minute)

	out := h.must(CallNext{Window: "1", Actor: clerk("s1"), Current: a1.ID})
	if got := eventTypes(out.Events); !slices.Equal(got, []string{"ticket.finished", "ticket.called"}) {
		t.Fatalf("events %v", got)
	}
	fin := out.Events[0].(TicketFinished)
	if fin.Ticket.ID != a1.ID || fin.ServiceS != (7*time.Minute).Seconds() || fin.Staff != "s1" {
		t.Fatalf("finished %+v", fin)
	}
	if out.Ticket != a2.ID {
		t.Fatalf("outcome ticket %q, want %q", out.Ticket, a2.ID)
	}
	if h.s.Tickets[a1.ID].Status != Done || h.s.Tickets[a2.ID].Status != Called {
		t.Fatal("statuses after call")
	}
	if w := h.s.Windows["1"]; w.Current != a2.ID || w.Served != 1 || w.ServiceS != fin.ServiceS {
		t.Fatalf("window %+v", w)
	}

	// Nobody left: the call only finishes.
	h.advance(time.Minute)
	out = h.must(CallNext{Window: "1", Actor: clerk("s1"), Current: a2.ID})
	if got := eventTypes(out.Events); !slices.Equal(got, []string{"ticket.finished"}) || out.Ticket != "" {
		t.Fatalf("last call %+v", out)
	}
	if w := h.s.Windows["1"]; w.State != Idle || w.Current != "" || w.Served != 2 {
		t.Fatalf("window %+v", w)
	}
}

func TestEstimatedWait(t *testing.T) {
	h := newHall(t, testSetup())
	avg := func() time.Duration {
		return time.Duration(h.s.Services["A"].AvgServiceS * float64(time.Second))
	}
	if avg() != 5*time.Minute {
		t.Fatalf("initial mean service %v, want the configured 5m", avg())
	}
	var ts []*Ticket
	for range 4 {
		ts = append(ts, h.issue("A"))
	}

	// Nobody serves A yet: one window is assumed, after the people ahead.
	for i, tk := range ts {
		if got, want := h.s.EstimatedWait(h.setup, tk), time.Duration(i+1)*avg(); got != want {
			t.Errorf("closed hall: ticket %d waits %v, want %v", i, got, want)
		}
	}

	// One window for A alone: each person ahead costs one mean service.
	h.open("1")
	one := make([]time.Duration, len(ts))
	for i, tk := range ts {
		one[i] = h.s.EstimatedWait(h.setup, tk)
		if want := time.Duration(i) * avg(); one[i] != want {
			t.Errorf("one window: ticket %d waits %v, want %v", i, one[i], want)
		}
		if i > 0 && one[i] <= one[i-1] {
			t.Errorf("wait does not grow with people ahead: %v", one)
		}
	}
	if got := h.s.ServiceWait(h.setup, "A"); got != 4*avg() {
		t.Errorf("a new A ticket waits %v, want %v", got, 4*avg())
	}

	// More open windows, shorter waits. Window 2 gives A half its time.
	h.open("2")
	for i, tk := range ts[1:] {
		got := h.s.EstimatedWait(h.setup, tk)
		if got >= one[i+1] {
			t.Errorf("two windows: ticket %d waits %v, not less than %v", i+1, got, one[i+1])
		}
		want := time.Duration(float64(i+1)*avg().Seconds()/1.5) * time.Second
		if d := got - want; d < -time.Second || d > time.Second {
			t.Errorf("two windows: ticket %d waits %v, want about %v", i+1, got, want)
		}
	}

	// The live mean follows finished services.
	last := ts[3]
	before := h.s.EstimatedWait(h.setup, last)
	avgBefore := h.s.Services["A"].AvgServiceS
	h.call("1")
	h.advance(20 * time.Minute)
	out := h.must(Finish{Window: "1", Actor: clerk("s1")})
	fin := out.Events[0].(TicketFinished)
	if fin.ServiceS != 1200 {
		t.Fatalf("service length %v", fin.ServiceS)
	}
	avgAfter := h.s.Services["A"].AvgServiceS
	if !(avgAfter > avgBefore && avgAfter < fin.ServiceS) {
		t.Fatalf("mean moved from %v to %v after a %vs service", avgBefore, avgAfter, fin.ServiceS)
	}
	if want := avgBefore + avgWeight*(fin.ServiceS-avgBefore); avgAfter != want {
		t.Fatalf("mean %v, want %v", avgAfter, want)
	}
	// One person fewer ahead, but each now takes longer.
	after := h.s.EstimatedWait(h.setup, last)
	ahead := h.s.Ahead(last)
	if ahead != 2 {
		t.Fatalf("ahead %d", ahead)
	}
	if want := time.Duration(float64(ahead)*avgAfter/1.5) * time.Second; after-want < -time.Second || after-want > time.Second {
		t.Fatalf("after a long service the last ticket waits %v, want about %v (before %v)", after, want, before)
	}

	// Quick services bring it down again.
	for range 3 {
		h.call("1")
		h.advance(time.Minute)
		h.must(Finish{Window: "1", Actor: clerk("s1")})
	}
	if h.s.Services["A"].AvgServiceS >= avgAfter {
		t.Fatalf("mean %v did not fall after quick services", h.s.Services["A"].AvgServiceS)
	}
	if got := h.s.EstimatedWait(h.setup, h.s.Tickets[h.issue("A").ID]); got != 0 {
		t.Fatalf("nobody ahead, but the wait is %v", got)
	}
}

// A transfer or a requeue must not give a holder a second waiting ticket in
// a line: the one-waiting-ticket rule holds however a ticket gets there.
func TestTransferAndRequeueKeepOneWaitingTicketPerID(t *testing.T) {
	tests := []struct {
		name string
		// act moves the called ticket a1 (held by h1) back into line A or
		// B, while h1 already waits there with another ticket.
		act func(h *hall) Command
	}{
		{"transfer to a service", func(h *hall) Command {
			h.issueWith(IssueTicket{Service: "B", IDHash: "h1"})
			return Transfer{Window: "1", Actor: clerk("s1"), ToService: "B"}
		}},
		{"transfer to a window", func(h *hall) Command {
			h.open("2")
			h.issueWith(IssueTicket{Service: "A", IDHash: "h1"})
			return Transfer{Window: "1", Actor: clerk("s1"), ToWindow: "2"}
		}},
		{"requeue", func(h *hall) Command {
			h.must(Skip{Window: "1", Actor: clerk("s1")})
			h.issueWith(IssueTicket{Service: "A", IDHash: "h1"})
			return Requeue{Ticket: "a1", Actor: clerk("s1")}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHall(t, testSetup())
			h.open("1")
			h.issueWith(IssueTicket{ID: "a1", Service: "A", IDHash: "h1"})
			h.call("1")
			cmd := tt.act(h)
			if e := h.refuse(cmd, errs.Conflict); e.Field != "id_number" {
				t.Fatalf("field %q, want id_number", e.Field)
			}
			// Without the other ticket the move is fine.
			for _, tk := range h.s.Tickets {
				if tk.ID != "a1" && tk.Status == Waiting {
					h.must(CancelTicket{Ticket: tk.ID})
				}
			}
			h.must(cmd)
			if st := h.s.Tickets["a1"].Status; st != Waiting {
				t.Fatalf("a1 is %s", st)
			}
			// And the rule still holds for new tickets.
			h.refuse(IssueTicket{ID: h.nextID(), Service: h.s.Tickets["a1"].Service, IDHash: "h1"}, errs.Conflict)
		})
	}
}

func TestServiceWaitUnknownService(t *testing.T) {
	h := newHall(t, testSetup())
	if got := h.s.ServiceWait(h.setup, "X"); got != 0 {
		t.Fatalf("wait for an unknown service %v", got)
	}
	if got := h.s.Waiting("X"); got != 0 {
		t.Fatalf("waiting for an unknown service %d", got)
	}
}

// The day's hourly figures count each ticket in the local hour it was
// issued, last called and finished; yesterday's ticket kept at a window is
// not today's.
func TestHourly(t *testing.T) {
	h := newHall(t, testSetup())
	h.open("1")
	h.issue("A")
	h.advance(time.Hour)
	h.issue("A")
	h.call("1")
	h.advance(10 * time.Minute)
	h.call("1")
	h.must(Finish{Window: "1", Actor: clerk("s1")})
	got := h.s.Hourly(h.setup)
	if len(got) != 24 {
		t.Fatalf("%d hours", len(got))
	}
	nine, ten := got[9], got[10]
	if nine.Issued != 1 || ten.Issued != 1 || ten.Called != 2 || ten.Finished != 2 || nine.Called != 0 {
		t.Fatalf("09:00 %+v, 10:00 %+v", nine, ten)
	}
}
