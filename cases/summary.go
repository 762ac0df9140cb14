package cases

import "time"

// Load is a department's live load of cases, what the manager's dashboard
// shows: open cases by status, those past their promised deadline, those
// whose 容缺 materials are past due, its handover batches not yet signed
// for, and what was closed today.
type Load struct {
	Department string         `json:"department"`
	Name       string         `json:"name"`
	Open       map[Status]int `json:"open"`
	Overdue    int            `json:"overdue"`
	OwedLate   int            `json:"owed_late"`
	Unsigned   int            `json:"unsigned_batches"`
	ClosedDay  int            `json:"closed_today"`
}

// Loads is every department's load at now; since is the start of the
// hall's day, for what was closed today.
func Loads(s *State, setup *Setup, now, since time.Time) []Load {
	if setup == nil {
		return nil
	}
	out := make([]Load, len(setup.Departments))
	at := map[string]*Load{}
	for i, d := range setup.Departments {
		out[i] = Load{Department: d.ID, Name: d.Name, Open: map[Status]int{}}
		at[d.ID] = &out[i]
	}
	for _, b := range UnsignedBatches(s) {
		if l := at[b.Department]; l != nil {
			l.Unsigned++
		}
	}
	for _, k := range s.Cases {
		l := at[k.Department]
		if l == nil {
			continue
		}
		if k.Status == Closed {
			if last := k.lastStep(); !last.Before(since) {
				l.ClosedDay++
			}
			continue
		}
		l.Open[k.Status]++
		if k.Overdue {
			l.Overdue++
		}
		if len(k.Missing) > 0 && !k.SupplyBy.IsZero() && now.After(k.SupplyBy) {
			l.OwedLate++
		}
	}
	return out
}

func (c *Case) lastStep() time.Time {
	if len(c.Timeline) == 0 {
		return c.ReceivedAt
	}
	return c.Timeline[len(c.Timeline)-1].At
}
