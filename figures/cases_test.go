package figures_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"hallfloor/cases"
	"hallfloor/config"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/room"
)

// withCases gives a hall with the demo's departments the demo's item
// catalogue: 个体工商户设立登记 (a 承诺件 of 市场监管局) and 不动产登记资料查询 (a
// 即办件 of 不动产登记中心).
func withCases(h *config.Hall) *config.Hall {
	h.Cases = config.Demo().Cases
	return h
}

// caseWork is the hall's cases through the days, moved at each full hour:
// the clerks serving a 收件号 receive one (complete, under 容缺, or refused
// with the 一次性告知单), and the departments take the cases a step
// further, except the one in eight they leave to be deemed accepted and
// overdue.
type caseWork struct {
	h         *simHall
	rng       *rand.Rand
	n         int
	neglected map[string]bool
}

// openCase is what the work needs to know of a case.
type openCase struct {
	id, dept       string
	status         cases.Status
	missing, asked []string
	opinions       []string // joint departments yet to give theirs
}

func newCaseWork(h *simHall) *caseWork {
	return &caseWork{h: h, rng: rand.New(rand.NewPCG(3, 5)), neglected: map[string]bool{}}
}

func (c *caseWork) hour(time.Time) {
	type desk struct{ window, staff string }
	var desks []desk
	var open []openCase
	err := c.h.Engine.Read(context.Background(), func(s *hall.State, setup *hall.Setup) {
		for _, w := range setup.Queue.Windows {
			st := s.Queue.Windows[w.ID]
			if st == nil || st.State != queue.Serving || s.Queue.Tickets[st.Current] == nil {
				continue
			}
			if sv := setup.Queue.Service(s.Queue.Tickets[st.Current].Service); sv != nil && sv.Kind == queue.Intake {
				desks = append(desks, desk{w.ID, st.Staff})
			}
		}
		for id, k := range s.Cases.Cases {
			if k.Status != cases.Closed && !c.neglected[id] {
				var owed []string
				for _, o := range k.Opinions {
					if !o.Given {
						owed = append(owed, o.Department)
					}
				}
				open = append(open, openCase{id, k.Department, k.Status, slices.Clone(k.Missing), slices.Clone(k.Asked), owed})
			}
		}
	})
	if err != nil {
		panic(err)
	}
	slices.SortFunc(open, func(a, b openCase) int { return strings.Compare(a.id, b.id) })
	for _, d := range desks[:min(2, len(desks))] {
		c.intake(d.window, d.staff)
	}
	for range 4 {
		if len(open) > 0 {
			c.step(open[c.rng.IntN(len(open))])
		}
	}
}

func (c *caseWork) intake(window, staff string) {
	c.n++
	it := c.h.setup.Cases.Items[c.rng.IntN(len(c.h.setup.Cases.Items))]
	open := cases.Open{ID: fmt.Sprintf("case%05d", c.n), Window: window, Item: it.Code, Name: "李四",
		IDHash: fmt.Sprintf("%064x", c.n), Party: cases.Person, Actor: room.Actor{Staff: staff, Role: room.Clerk}}
	for _, m := range it.Materials {
		open.Received = append(open.Received, m.Code)
	}
	switch c.rng.IntN(5) {
	case 0:
		open.Received, open.Missing = open.Received[1:], cases.MissingRefuse
	case 1:
		open.Received, open.Missing, open.Commitment = open.Received[1:], cases.MissingTolerate, "三日内补齐"
	}
	if _, ok := c.h.Do(open, ""); ok && c.rng.IntN(8) == 0 {
		c.neglected[open.ID] = true
	}
}

func (c *caseWork) step(k openCase) {
	d := c.h.setup.Cases.Department(k.dept)
	if d == nil {
		return // a 同城通办 case, decided in another area
	}
	staff := room.Actor{Staff: d.Staff[0], Role: room.Clerk}
	hand := room.Actor{Staff: "m1", Role: room.Manager}
	if len(k.missing) > 0 && c.rng.IntN(2) == 0 {
		c.h.Do(cases.Supply{Case: k.id, Materials: k.missing, Actor: hand}, "")
		return
	}
	switch n := c.rng.IntN(10); k.status {
	case cases.Received:
		switch {
		case n < 5:
			c.h.Do(cases.Accept{Case: k.id, Actor: staff}, "")
		case n < 7:
			c.h.Do(cases.AskSupplement{Case: k.id, Materials: []string{"sfz"}, Actor: staff}, "")
		case n < 8:
			c.h.Do(cases.Refuse{Case: k.id, Reason: "不符合条件", Actor: staff}, "")
		}
	case cases.Supplement:
		if len(k.asked) == 0 {
			c.h.Do(cases.Accept{Case: k.id, Actor: staff}, "")
		} else {
			c.h.Do(cases.Supply{Case: k.id, Materials: k.asked, Actor: hand}, "")
		}
	case cases.Accepted:
		if len(k.opinions) > 0 {
			joint := room.Actor{Staff: c.h.setup.Cases.Department(k.opinions[0]).Staff[0], Role: room.Clerk}
			c.h.Do(cases.GiveOpinion{Case: k.id, Agree: true, Actor: joint}, "")
			return
		}
		if n < 8 {
			c.h.Do(cases.Approve{Case: k.id, Actor: staff}, "")
		} else {
			c.h.Do(cases.Refuse{Case: k.id, Reason: "材料不实", Actor: staff}, "")
		}
	case cases.Approved:
		if n < 6 {
			c.h.Do(cases.MarkReady{Case: k.id, Actor: staff}, "")
		}
	case cases.Ready:
		c.h.Do(cases.ChooseCollection{Case: k.id, Channel: cases.ChannelPost, Address: "椒江区", Actor: hand}, "")
		c.h.Do(cases.Deliver{Case: k.id, Channel: cases.ChannelPost, Courier: "EMS", Waybill: "E" + k.id, Actor: hand}, "")
	case cases.Posted:
		c.h.Do(cases.RecordReceipt{Case: k.id, Actor: hand}, "")
	case cases.Refused:
		c.h.Do(cases.Close{Case: k.id, Actor: hand}, "")
	}
}
