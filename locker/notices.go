package locker

import (
	"maps"
	"time"

	"hallfloor/outbox"
)

// A notice to the applicant (the pickup code, the overdue reminder, the
// drop-off code) is sealed by the edge with only what must stay secret: the
// recipient and the code. Its words are what the lockers decided, added here
// when the notice is queued, and the text is worded from them when it is
// sent, so an SMS can never name a bank or a deadline the lockers did not
// choose.

// worded is a copy of the notice with the words of the compartment key and
// the item it is about.
func worded(n *outbox.Queued, setup *Setup, key string, it *Item) outbox.Queued {
	q := *n
	q.Vars = maps.Clone(n.Vars)
	if q.Vars == nil {
		q.Vars = map[string]string{}
	}
	if key != "" {
		bank, comp := splitKey(key)
		q.Vars[outbox.VarBank], q.Vars[outbox.VarComp] = setup.BankName(bank), comp
	}
	if it != nil {
		q.Vars[outbox.VarCase], q.Vars[outbox.VarWhat] = it.Case, it.What
		if !it.Deadline.IsZero() {
			q.Vars[outbox.VarDeadline] = it.Deadline.Format(time.RFC3339)
		}
		if it.Phone != "" {
			q.Vars[outbox.VarPhone] = it.Phone
		}
	}
	return q
}

func splitKey(key string) (bank, comp string) {
	for i := len(key) - 1; i >= 0; i-- {
		if key[i] == '/' {
			return key[:i], key[i+1:]
		}
	}
	return "", key
}

// BankName is how a bank is named to an applicant: its name, or its id.
func (s *Setup) BankName(id string) string {
	for _, b := range s.Banks {
		if b.ID == id {
			if b.Name != "" {
				return b.Name
			}
			return b.ID
		}
	}
	return id
}
