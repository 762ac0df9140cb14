package hall

import (
	"maps"
	"strconv"
	"strings"
	"time"

	"hallfloor/cases"
	"hallfloor/errs"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
)

// The words a case's SMS carries in its Vars besides outbox.VarCase (the
// 办件编号) and outbox.VarWhat (the item's name).
const (
	VarMaterials = "materials" // a 补正通知's materials, by name, joined by 、
)

// AlertCaseProof is a posted result whose courier's 签收 is not recorded
// one working day after it went out (台州 三(六)3).
const AlertCaseProof = "case_proof"

// decideTakePickup issues a 取件号 at the kiosk for the applicant's
// results waiting for the window, in the same command: the link stands
// only if the queue takes the ticket.
func decideTakePickup(s *State, setup *Setup, c cases.TakePickup, env room.Env) (room.Outcome, error) {
	out, err := cases.Decide(s.Cases, setup.Cases, s.Queue, setup.Queue, c, env)
	if err != nil {
		return room.Outcome{}, err
	}
	p := out.Events[0].(cases.PickupTaken)
	q, err := queue.Decide(s.Queue, setup.Queue, queue.IssueTicket{ID: p.Ticket, Service: p.Service, IDHash: c.IDHash}, env)
	if err != nil {
		return room.Outcome{}, err
	}
	if q.Ticket != p.Ticket {
		return room.Outcome{}, errs.Internalf("ticket_id_reused", "hall: pickup ticket %s issued as %s", p.Ticket, q.Ticket)
	}
	return room.Outcome{Ticket: q.Ticket, Events: append(q.Events, p)}, nil
}

// decideCollection refuses a locker for a hall that has none, then lets
// the cases decide.
func decideCollection(s *State, setup *Setup, c cases.Command, env room.Env) (room.Outcome, error) {
	channel := ""
	switch c := c.(type) {
	case cases.Open:
		channel = c.Collect
	case cases.ChooseCollection:
		channel = c.Channel
	}
	if channel == cases.ChannelLocker && len(setup.Lockers.Banks) == 0 {
		return room.Outcome{}, errs.R(errs.Conflict, "case_no_locker").OnField("channel")
	}
	return cases.Decide(s.Cases, setup.Cases, s.Queue, setup.Queue, c, env)
}

// HandOver are the results the clerk at an output window hands over to the
// holder of the 取件号 it serves (cases.AtWindow).
func HandOver(s *State, window string) []*cases.Case {
	return cases.AtWindow(s.Cases, s.Queue, window)
}

// caseNotices queues the applicant's SMS sealed at Open when their event
// comes: the result ready (worded for the chosen collection), each 补正通知
// with its materials, the refusal. A second 补正通知 is a new message: the
// sealed one went under its own id, and a seal is bound to its id; it
// holds no secret and goes to the phone the case was opened with.
func caseNotices(s *State, setup *Setup, events []room.Event) []room.Payload {
	var out []room.Payload
	for _, e := range events {
		var id, key string
		vars := map[string]string{}
		switch p := e.Data.(type) {
		case cases.ResultMade:
			id, key = p.Case.ID, cases.NoticeReady
		case cases.SupplementAsked:
			id, key = p.Case.ID, cases.NoticeSupplement
			vars[VarMaterials] = materialNames(setup, p.Case.Item, p.Materials)
		case cases.CaseRefused:
			id, key = p.Case.ID, cases.NoticeRefused
		default:
			continue
		}
		k := s.Cases.Cases[id]
		if k == nil {
			continue
		}
		m, ok := k.Notices[key]
		if !ok {
			continue // no phone given, or the edge sealed none for it
		}
		m.Purpose = key
		if key == cases.NoticeReady {
			m.Purpose = cases.ReadyPurpose(k.Collect)
		}
		if key == cases.NoticeSupplement {
			if n := asks(k); n > 1 {
				if k.Phone == "" {
					continue
				}
				m.ID, m.Sealed = m.ID+"."+strconv.Itoa(n), nil
				vars[outbox.VarPhone] = k.Phone
			}
		}
		m.Vars = maps.Clone(m.Vars)
		if m.Vars == nil {
			m.Vars = map[string]string{}
		}
		maps.Copy(m.Vars, vars)
		m.Vars[outbox.VarCase], m.Vars[outbox.VarWhat] = k.Number, k.Item
		if it := setup.Cases.Item(k.Item); it != nil {
			m.Vars[outbox.VarWhat] = it.Name
		}
		out = append(out, m)
	}
	return out
}

// asks counts the 补正通知 of a case, the one just applied included.
func asks(k *cases.Case) int {
	n := 0
	for _, st := range k.Timeline {
		if st.Type == (cases.SupplementAsked{}).Type() {
			n++
		}
	}
	return n
}

// materialNames names materials by the item's 收件清单.
func materialNames(setup *Setup, item string, codes []string) string {
	it := setup.Cases.Item(item)
	names := make([]string, 0, len(codes))
	for _, code := range codes {
		name := code
		if it != nil {
			for _, m := range it.Materials {
				if m.Code == code {
					name = m.Name
				}
			}
		}
		names = append(names, name)
	}
	return strings.Join(names, "、")
}

// proofAlerts are the posted results reported without their 签收. Alerts
// are public: they name the 办件编号 and the department, never the
// applicant or the address.
func proofAlerts(s *State, setup *Setup) []Alert {
	var out []Alert
	for _, k := range cases.ProofsLate(s.Cases) {
		due := setup.Cases.ProofBy(k.DeliveredAt)
		name := k.Department
		if d := setup.Cases.Department(k.Department); d != nil {
			name = d.Name
		}
		out = append(out, Alert{Kind: AlertCaseProof, Level: "bad", Subject: k.Number, Since: due,
			Args: map[string]string{"number": k.Number, "department": name, "deadline": due.In(setup.Location()).Format(time.DateOnly)}})
	}
	return out
}
