package cases

import (
	"slices"
	"time"

	"hallfloor/room"
)

// SupplyOverdue is a 容缺 case whose SupplyBy passed with materials still
// missing, once: the department's and the manager's alert, since the
// department may not decide before the applicant has brought them
// (台州 三(九)).
type SupplyOverdue struct {
	Case       Ref       `json:"case"`
	Department string    `json:"department"`
	SupplyBy   time.Time `json:"supply_by"`
	Missing    []string  `json:"missing"`
}

func (SupplyOverdue) Type() string         { return "case.supply_overdue" }
func (SupplyOverdue) Public() room.Payload { return Stepped{} }

func init() { room.Register[SupplyOverdue]() }

// supplyDue is a case still owing its 容缺 materials past SupplyBy, once.
func supplyDue(k *Case, now time.Time) []room.Payload {
	if k.SupplyLate || len(k.Missing) == 0 || k.SupplyBy.IsZero() || !k.Status.Deciding() || !now.After(k.SupplyBy) {
		return nil
	}
	return []room.Payload{SupplyOverdue{Case: ref(k), Department: k.Department, SupplyBy: k.SupplyBy, Missing: slices.Clone(k.Missing)}}
}

func (s *State) applySupplyOverdue(p SupplyOverdue, at time.Time) {
	if c := s.Cases[p.Case.ID]; c != nil {
		c.SupplyLate = true
		step(c, p, "", at)
	}
}
