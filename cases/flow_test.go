package cases

import (
	"fmt"
	"testing"
	"time"

	"hallfloor/calendar"
	"hallfloor/calendar/calendartest"
	"hallfloor/room"
)

// overdue is the promised-deadline events among ps: what the hall reports
// of a deadline, apart from the handover, opinions, post and 容缺 alerts.
func overdue(ps []room.Payload) []room.Payload {
	var out []room.Payload
	for _, p := range ps {
		if _, ok := p.(CaseOverdue); ok {
			out = append(out, p)
		}
	}
	return out
}

// of is the events of type T among ps.
func of[T room.Payload](ps []room.Payload) []T {
	var out []T
	for _, p := range ps {
		if v, ok := p.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// flowSetup is testSetup with a 即办件 of 市场监管局 (JB), a joint item led by
// 市场监管局 with the 不动产登记中心's opinion in 2 working days (LB), and a
// 同城通办 item for 浉河区 (TB).
func flowSetup(cal *calendar.Calendar) *Setup {
	s := testSetup()
	items := append(s.Items,
		Item{Code: "JB", Name: "个体工商户注销", Department: "scj", Kind: Immediate, Materials: []Material{{Code: "m1", Name: "申请书"}}},
		Item{Code: "LB", Name: "食品经营许可", Department: "scj", Kind: Promised, Days: 5, Joint: []JointDepartment{{Department: "bdc", Days: 2}},
			Materials: []Material{{Code: "m1", Name: "申请书"}}},
		Item{Code: "TB", Name: "同城通办·变更登记", Kind: Promised, Days: 3, Cross: &CrossArea{Area: "信阳市浉河区", Department: "浉河区市场监督管理局"},
			Materials: []Material{{Code: "m1", Name: "申请书"}}})
	return NewSetup(Setup{Calendar: cal, Departments: s.Departments, Items: items})
}

func newFlowHall(t *testing.T) *hall {
	h := newHall(t)
	h.set = flowSetup(calendartest.WorkWeek())
	return h
}

// openItem opens a case of the item with every material at a time.
func (h *hall) openItem(at time.Time, item string) *Case {
	h.t.Helper()
	cmd := full()
	cmd.Item = item
	if it := h.set.Item(item); len(it.Materials) == 1 {
		cmd.Received = []string{"m1"}
	}
	id := h.must(at, cmd)[0].(Opened).Case.ID
	return h.s.Cases[id]
}

// due runs the cases' job at a time and applies what it found, as the
// hall's Tick does.
func (h *hall) due(at time.Time) []room.Payload {
	evs := Due(h.s, h.set, at)
	h.apply(at, evs...)
	return evs
}

func clock(day, hm string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04:05", day+" "+hm, sh)
	if err != nil {
		panic(fmt.Sprint(day, hm, err))
	}
	return t
}

func stepTypes(k *Case) []string {
	var out []string
	for _, s := range k.Timeline {
		out = append(out, s.Type+"/"+s.Staff)
	}
	return out
}
