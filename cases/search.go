package cases

import (
	"slices"
	"strings"
)

// SearchLimit is the most cases a search returns: a counter looks for one
// applicant's cases, not for a report.
const SearchLimit = 50

// Query finds cases by what the applicant or the clerk has at hand: the
// 办件编号, the ID number (protected, as cases keep it: IDHash) or the
// phone. Every field given must match exactly; an empty query finds
// nothing.
type Query struct {
	Number string
	IDHash string
	Phone  string
	// Limit caps the answer (SearchLimit when 0 or more).
	Limit int
}

// Search is the cases matching the query, the newest receipt first, at
// most the limit. Closed cases are found as long as the state keeps them.
func Search(s *State, q Query) []*Case {
	q.Number, q.Phone = strings.TrimSpace(q.Number), strings.TrimSpace(q.Phone)
	if q.Number == "" && q.IDHash == "" && q.Phone == "" {
		return nil
	}
	if q.Limit <= 0 || q.Limit > SearchLimit {
		q.Limit = SearchLimit
	}
	var out []*Case
	for _, k := range s.Cases {
		if (q.Number == "" || k.Number == q.Number) && (q.IDHash == "" || k.IDHash == q.IDHash) && (q.Phone == "" || k.Phone == q.Phone) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b *Case) int {
		if c := b.ReceivedAt.Compare(a.ReceivedAt); c != 0 {
			return c
		}
		return strings.Compare(b.Number, a.Number)
	})
	if len(out) > q.Limit {
		out = out[:q.Limit]
	}
	return out
}
