package envelope

import (
	"time"

	"hallfloor/cases"
)

// Load is the hall's live load of 免跑腿信封, what the manager's dashboard
// shows: envelopes whose materials are still owed, submissions waiting
// for the clerks' review and those of them waiting past the setting, and
// the reviews of the day.
type Load struct {
	Open    int `json:"open"`
	Waiting int `json:"waiting"`
	Late    int `json:"late"`
	// ReviewWithin is the setting, in minutes, that Late is measured by.
	ReviewWithin  int `json:"review_within_minutes"`
	PassedToday   int `json:"passed_today"`
	RejectedToday int `json:"rejected_today"`
}

// Loads is the envelopes' load at now; since is the start of the hall's
// day, for the day's reviews. An envelope whose case no longer decides
// (refused, or its result made without the material) owes nothing more
// and is not open. A submission is late once it has waited longer than
// the setting, whether or not the tick has reported it yet.
func Loads(s *State, cs *cases.State, setup *Setup, now, since time.Time) Load {
	l := Load{ReviewWithin: int(setup.ReviewWithin / time.Minute)}
	for id, e := range s.Envelopes {
		if k := cs.Cases[id]; e.Open() && k != nil && k.Status.Deciding() {
			l.Open++
		}
		for _, sb := range e.Submissions {
			switch {
			case sb.State == Waiting:
				l.Waiting++
				if now.Sub(sb.At) > setup.ReviewWithin {
					l.Late++
				}
			case sb.ReviewedAt.Before(since):
			case sb.State == Pass:
				l.PassedToday++
			case sb.State == Reject:
				l.RejectedToday++
			}
		}
	}
	return l
}
