package cases

import (
	"slices"
	"strings"
)

// What is late now, as the dashboard's alerts show it: each stays until
// what was owed is done, the events that raised it having said so once.

// HandoverOwed reports whether the case's materials are late and still
// not handed over.
func (k *Case) HandoverOwed() bool { return k.HandoverLate && k.Batch == "" && k.Status != Closed }

// LateOpinions are the joint opinions past their deadline and still not
// given while the lead waits for them.
func (k *Case) LateOpinions() []Opinion {
	if k.Status != Accepted {
		return nil
	}
	var out []Opinion
	for _, o := range k.Opinions {
		if o.Overdue && !o.Given {
			out = append(out, o)
		}
	}
	return out
}

// LateLeg is the 同城通办 leg late and not yet done (LegPost, LegResult),
// or "".
func (k *Case) LateLeg() string {
	switch x := k.Cross; {
	case x == nil || k.Status == Closed:
		return ""
	case x.PostLate && x.PostedAt.IsZero():
		return LegPost
	case x.ResultLate && x.ArrivedAt.IsZero():
		return LegResult
	}
	return ""
}

// SupplyOwed reports whether the 容缺 materials are late and still
// missing.
func (k *Case) SupplyOwed() bool { return k.SupplyLate && len(k.Missing) > 0 && k.Status.Deciding() }

// OpenCases is the cases not closed, by 办件编号.
func OpenCases(s *State) []*Case {
	s.ensure()
	out := make([]*Case, 0, len(s.idx.open))
	for _, k := range s.idx.open {
		out = append(out, k)
	}
	slices.SortFunc(out, func(a, b *Case) int { return strings.Compare(a.Number, b.Number) })
	return out
}

// UnsignedBatches is the batches still waiting for their signature, the
// oldest first.
func UnsignedBatches(s *State) []*Batch {
	s.ensure()
	out := make([]*Batch, 0, len(s.idx.unsigned))
	for _, b := range s.idx.unsigned {
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b *Batch) int {
		if c := a.SentAt.Compare(b.SentAt); c != 0 {
			return c
		}
		return strings.Compare(a.Number, b.Number)
	})
	return out
}
