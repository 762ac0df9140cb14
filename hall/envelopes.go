package hall

import (
	"strconv"

	"hallfloor/cases"
	"hallfloor/envelope"
	"hallfloor/errs"
	"hallfloor/room"
)

// AlertEnvelopeReview is a 免跑腿信封 submission waiting for the clerk's
// review longer than the hall's setting.
const AlertEnvelopeReview = "envelope_review"

// decideEnvelopeIssue opens a case with its 免跑腿信封 in one command: the case as
// under 容缺, the envelope for its missing materials; neither stands
// without the other.
func decideEnvelopeIssue(s *State, setup *Setup, c envelope.Issue, env room.Env) (room.Outcome, error) {
	c.Open.Missing = cases.MissingEnvelope
	out, err := decideCollection(s, setup, c.Open, env)
	if err != nil {
		return room.Outcome{}, err
	}
	for _, p := range out.Events {
		if o, ok := p.(cases.Opened); ok {
			iss, err := envelope.DecideIssue(s.Envelopes, setup.Envelopes, setup.Cases, c, o)
			if err != nil {
				return room.Outcome{}, err
			}
			out.Events = append(out.Events, iss)
			return out, nil
		}
	}
	return room.Outcome{}, errs.Internalf("envelope_open", "hall: an envelope's case did not open")
}

// decideEnvelope routes a command to the envelopes; a passed upload or an
// arrived paper supplies its material to the case in the same command, so
// the last one completes the case's intake.
func decideEnvelope(s *State, setup *Setup, c envelope.Command, env room.Env) (room.Outcome, error) {
	out, err := envelope.Decide(s.Envelopes, setup.Envelopes, s.Cases, setup.Cases, c, env)
	if err != nil {
		return room.Outcome{}, err
	}
	var more []room.Payload
	for _, p := range out.Events {
		id, material, staff, ok := envelope.Supplies(p)
		if !ok {
			continue
		}
		a := room.Actor{Staff: staff}
		if r, ok := c.(envelope.Review); ok {
			a = r.Actor
		} else if r, ok := c.(envelope.RecordPost); ok {
			a = r.Actor
		}
		sup, err := cases.Decide(s.Cases, setup.Cases, s.Queue, setup.Queue, cases.Supply{Case: id, Materials: []string{material}, Actor: a}, env)
		if err != nil {
			return room.Outcome{}, err
		}
		more = append(more, sup.Events...)
	}
	out.Events = append(out.Events, more...)
	return out, nil
}

// envelopeAlerts are the envelopes with a submission reported waiting too
// long for review. Alerts are public: the 办件编号 and the window, never
// the applicant.
func envelopeAlerts(s *State, setup *Setup) []Alert {
	var out []Alert
	for _, e := range envelope.LateReviews(s.Envelopes) {
		for _, sb := range e.Submissions {
			if sb.State != envelope.Waiting || !sb.Late {
				continue
			}
			out = append(out, Alert{Kind: AlertEnvelopeReview, Level: "warn", Subject: e.Case.Number + "/" + sb.ID, Since: sb.At,
				Args: map[string]string{"number": e.Case.Number, "window": e.Window,
					"minutes": strconv.Itoa(int(setup.Envelopes.ReviewWithin.Minutes()))}})
		}
	}
	return out
}
