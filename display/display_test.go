package display

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/rating"
	"hallfloor/room"
)

func TestMaskName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"张三", "张*"},
		{"张三丰", "张*丰"},
		{"欧阳娜娜", "欧**娜"},
		{" 王丽娟 ", "王*娟"},
		{"李", "李"},
		{"", ""},
		{"Alice", "A****"},
	}
	for _, tt := range tests {
		if got := MaskName(tt.in); got != tt.want {
			t.Errorf("MaskName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCallWording(t *testing.T) {
	if got := CallText("A012", "3"); got != "请 A012 号到 3 号窗口办理" {
		t.Errorf("CallText = %q", got)
	}
	if got := CallTextEN("A012", "3"); got != "Number A012, please go to window 3" {
		t.Errorf("CallTextEN = %q", got)
	}
	// The voice reads the number digit by digit, never "A twelve".
	if got := Speech("A012", "3"); got != "请A 0 1 2 号，到3号窗口办理" {
		t.Errorf("Speech = %q", got)
	}
}

func TestLEDLines(t *testing.T) {
	tests := []struct {
		text  string
		width int
		want  []string
	}{
		// 16 cells: 8 Chinese characters or 16 ASCII ones per line.
		{"请 A012 号到 3 号窗口办理", 16, []string{"请 A012 号到 3", "号窗口办理"}},
		{"暂停服务", 16, []string{"暂停服务"}},
		{"ABCDEFGH", 4, []string{"ABCD", "EFGH"}},
		{"", 16, nil},
	}
	for _, tt := range tests {
		got := LEDLines(tt.text, tt.width)
		if !slices.Equal(got, tt.want) {
			t.Errorf("LEDLines(%q, %d) = %q, want %q", tt.text, tt.width, got, tt.want)
		}
		for _, line := range got {
			cells := 0
			for _, r := range line {
				cells += 1
				if r >= 0x1100 {
					cells++
				}
			}
			if cells > tt.width {
				t.Errorf("line %q is %d cells, wider than %d", line, cells, tt.width)
			}
		}
	}
}

// hallWithCall is a small hall where clerk 1001 (王丽娟) serves A001 at
// window 1 and A002 waits.
func hallWithCall(t *testing.T) (*Hall, *hall.State, time.Time) {
	t.Helper()
	setup := hall.NewSetup(queue.Setup{
		Services: []queue.Service{{Code: "A", Name: "社会民生", Kind: queue.Intake, ServiceTime: 5 * time.Minute}},
		Windows:  []queue.WindowSetup{{ID: "1", Name: "综合窗口", Services: []string{"A"}}},
	}, rating.Setup{}, nil, hall.Alerts{})
	h := &Hall{ID: "t", Name: "测试大厅", Setup: setup, StaffNames: map[string]string{"1001": "王丽娟"}}
	s := hall.NewState(setup)
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	do := func(cmd hall.Command) room.Outcome {
		t.Helper()
		out, _, err := s.Run(setup, cmd, room.Env{Now: now})
		if err != nil {
			t.Fatalf("%T: %v", cmd, err)
		}
		now = now.Add(time.Minute)
		return out
	}
	do(queue.IssueTicket{ID: "t1", Service: "A", Phone: "13800138000", IDHash: "secret-hash"})
	do(queue.IssueTicket{ID: "t2", Service: "A"})
	do(queue.OpenWindow{Window: "1", Actor: room.Actor{Staff: "1001"}})
	do(queue.CallNext{Window: "1", Actor: room.Actor{Staff: "1001"}})
	return h, s, now
}

func TestViewShowsNoPrivateData(t *testing.T) {
	h, s, now := hallWithCall(t)
	v := h.View(s, now)
	b, _ := json.Marshal(v)
	for _, secret := range []string{"王丽娟", "13800138000", "secret-hash"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("the public view shows %q: %s", secret, b)
		}
	}
	w := v.Windows[0]
	if w.State != queue.Serving || w.Current == nil || w.Current.Number != "A001" || w.Clerk.Name != "王*娟" || w.Clerk.Staff != "1001" {
		t.Errorf("window view = %+v", w)
	}
	if v.Services[0].Waiting != 1 || len(v.Recent) != 1 || v.Recent[0].Text != "请 A001 号到 1 号窗口办理" {
		t.Errorf("services %+v, recent %+v", v.Services, v.Recent)
	}
}

func TestMessageOfACall(t *testing.T) {
	h, s, now := hallWithCall(t)
	ev := room.Event{Seq: s.Seq, At: now, Data: queue.TicketCalled{
		Ticket: queue.TicketRef{ID: "t1", Number: "A001", Service: "A"}, Window: "1", Staff: "1001"}}
	m := h.Message(s, ev)
	if m.Type != "ticket.called" || m.Text != "请 A001 号到 1 号窗口办理" || m.Speech == "" || m.Waiting["A"] != 1 {
		t.Errorf("message = %+v", m)
	}
	if m.Window == nil || m.Window.Current == nil || m.Window.Current.Number != "A001" {
		t.Errorf("message window = %+v", m.Window)
	}
	// An issued ticket's id, phone and ID hash never reach a screen.
	issued := h.Message(s, room.Event{Seq: 1, At: now, Data: queue.TicketIssued{
		Ticket: queue.TicketRef{ID: "t9", Number: "A009", Service: "A"}, Phone: "13800138000", IDHash: "secret-hash"}})
	b, _ := json.Marshal(issued)
	for _, secret := range []string{"t9", "13800138000", "secret-hash"} {
		if strings.Contains(string(b), secret) {
			t.Errorf("ticket.issued on the wire shows %q: %s", secret, b)
		}
	}
}

func TestWaitingListOrder(t *testing.T) {
	h, s, now := hallWithCall(t)
	list := h.WaitingList(s, "1", now, 10)
	if len(list) != 1 || list[0].Number != "A002" || list[0].Ahead != 0 {
		t.Errorf("waiting list = %+v", list)
	}
	if got := h.WaitingList(s, "nope", now, 10); len(got) != 0 {
		t.Errorf("an unknown window has no list: %+v", got)
	}
	// The list is the calling policy's order: a priority number a guide
	// took goes first, and the first entry is what the next call calls.
	guide := room.Actor{Staff: "2001", Role: room.Guide}
	if _, _, err := s.Run(h.Setup, queue.IssueTicket{ID: "t3", Service: "A", Priority: true, Actor: guide}, room.Env{Now: now}); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Minute)
	list = h.WaitingList(s, "1", now, 10)
	if len(list) != 2 || list[0].Number != "A003" || list[1].Number != "A002" {
		t.Fatalf("waiting list with a priority number = %+v", list)
	}
	out, _, err := s.Run(h.Setup, queue.CallNext{Window: "1", Actor: room.Actor{Staff: "1001"}, Current: "t1"}, room.Env{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if out.Ticket != list[0].ID {
		t.Errorf("the call called %s, the list showed %s first", out.Ticket, list[0].ID)
	}
}

func TestWindowLED(t *testing.T) {
	serving := WindowView{ID: "3", State: queue.Serving, Current: &TicketRef{Number: "A012"}}
	tests := []struct {
		name  string
		v     WindowView
		width int
		want  []string
	}{
		{"serving on a 16-cell bar", serving, 16, []string{"请 A012 号到 3", "号窗口办理"}},
		{"serving on a wide bar", serving, 64, []string{"请 A012 号到 3 号窗口办理"}},
		{"paused", WindowView{ID: "3", State: queue.Paused}, 16, []string{"3号窗口 暂停服务"}},
		{"closed", WindowView{ID: "3", State: queue.Closed}, 16, []string{"3号窗口 暂停办理"}},
		{"idle", WindowView{ID: "3", State: queue.Idle}, 16, []string{"3号窗口 欢迎办理"}},
		{"overtime", WindowView{ID: "3", State: queue.Serving, Overtime: true, Current: &TicketRef{Number: "A012"}}, 32,
			[]string{"延时服务中 请 A012 号到 3 号窗口", "办理"}},
	}
	for _, tt := range tests {
		got := WindowLED(tt.v, tt.width)
		if !slices.Equal(got.Lines, tt.want) {
			t.Errorf("%s: lines %q, want %q", tt.name, got.Lines, tt.want)
		}
	}
}
