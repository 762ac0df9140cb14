package figures_test

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"hallfloor/cases"
	"hallfloor/config"
	"hallfloor/envelope"
	"hallfloor/hall"
	"hallfloor/queue"
	"hallfloor/room"
)

// withCases gives a hall with the demo's departments the demo's item
// catalogue: 个体工商户设立登记 (a 承诺件 of 市场监管局) and 不动产登记资料查询 (a
// 即办件 of 不动产登记中心).
func withCases(h *config.Hall) *config.Hall {
	h.Cases = config.Demo().Cases
	// The 免跑腿信封's recipient, so a paper may come by post; no group,
	// the sim's staff being its own.
	h.Envelope = config.Envelope{Recipient: config.Demo().Envelope.Recipient, ReviewWithinMinutes: 60}
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
	envelope       bool     // its materials owed come in its 免跑腿信封
}

func newCaseWork(h *simHall) *caseWork {
	return &caseWork{h: h, rng: rand.New(rand.NewPCG(3, 5)), neglected: map[string]bool{}}
}

func (c *caseWork) hour(time.Time) {
	type desk struct{ window, staff string }
	var desks []desk
	var open []openCase
	var envs []openEnvelope
	err := c.h.Engine.Read(context.Background(), func(s *hall.State, setup *hall.Setup) {
		envs = openEnvelopes(s)
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
				open = append(open, openCase{id, k.Department, k.Status, slices.Clone(k.Missing), slices.Clone(k.Asked), owed,
					s.Envelopes.Envelopes[id] != nil})
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
	for range 2 {
		if len(envs) > 0 {
			c.envelopeStep(envs[c.rng.IntN(len(envs))])
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
	switch c.rng.IntN(6) {
	case 0:
		open.Received, open.Missing = open.Received[1:], cases.MissingRefuse
	case 1:
		open.Received, open.Missing, open.Commitment = open.Received[1:], cases.MissingTolerate, "三日内补齐"
	case 2:
		c.issueEnvelope(open, it)
		return
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
		if k.envelope {
			return // its envelope brings it
		}
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

// openEnvelope is what the work needs to know of an envelope still open.
type openEnvelope struct {
	id, token, clerk string
	material         envelope.Material
	booked           bool
	last             string // the last submission's id
}

// openEnvelopes are the envelopes whose materials are still to come, of
// cases still deciding, in the order of their cases.
func openEnvelopes(s *hall.State) []openEnvelope {
	var out []openEnvelope
	for _, id := range slices.Sorted(maps.Keys(s.Envelopes.Envelopes)) {
		e := s.Envelopes.Envelopes[id]
		if k := s.Cases.Cases[id]; !e.Open() || k == nil || !k.Status.Deciding() {
			continue
		}
		o := openEnvelope{id: id, token: e.Token, clerk: e.Clerk, material: *e.Materials[0], booked: e.Courier != nil}
		if n := len(e.Submissions); n > 0 {
			o.last = e.Submissions[n-1].ID
		}
		out = append(out, o)
	}
	return out
}

// issueEnvelope opens a case whose first material that may come without
// a visit comes in its 免跑腿信封: an upload, or a paper by post every
// other case.
func (c *caseWork) issueEnvelope(open cases.Open, it cases.Item) {
	for i, m := range it.Materials {
		if m.InPerson {
			continue
		}
		open.Received = slices.Delete(slices.Clone(open.Received), i, i+1)
		way := []envelope.Way{envelope.Upload, envelope.Post}[c.n%2]
		c.h.Do(envelope.Issue{Open: open, Token: fmt.Sprintf("tok%05d", c.n), Materials: []envelope.Choice{{Code: m.Code, Way: way}}}, "")
		return
	}
}

// envelopeStep is the applicant or the clerk moving an envelope on: a
// submission (again after a rejection), a review (one in three left to
// wait, perhaps past the setting), the courier booked for a paper whose
// photos passed, its post recorded up to its arrival.
func (c *caseWork) envelopeStep(e openEnvelope) {
	staff := room.Actor{Staff: e.clerk, Role: room.Clerk}
	post := func(st envelope.Status) {
		c.h.Do(envelope.RecordPost{Case: e.id, Material: e.material.Code, State: st, Actor: staff}, "")
	}
	switch e.material.Status {
	case envelope.Owed, envelope.Rejected:
		c.n++
		c.h.Do(envelope.Submit{Token: e.token, Material: e.material.Code,
			Files: []envelope.File{{Hash: fmt.Sprintf("%064x", c.n), Size: 4096, Type: "image/jpeg", Name: "photo.jpg"}}}, "")
	case envelope.Pending:
		if n := c.rng.IntN(6); n >= 2 {
			c.h.Do(envelope.Review{Case: e.id, Submission: e.last, Pass: n > 3, Reason: "照片不清晰", Actor: staff}, "")
		}
	case envelope.Passed:
		if !e.booked {
			c.h.Do(envelope.BookCourier{Token: e.token, Name: "李四", Phone: "13800000000", Address: "湖里区",
				PickupAt: c.h.Clock.Now().Add(20 * time.Hour)}, "")
		} else {
			post(envelope.PickedUp)
		}
	case envelope.PickedUp:
		post(envelope.InTransit)
	case envelope.InTransit:
		post(envelope.Arrived)
	}
}
