package simulate

import (
	"time"

	"hallfloor/hall"
)

// Shape is the profile's mean walk-ins per service and quarter hour of
// the day, for the hall's wait forecast: none before it opens or after it
// stops issuing.
func (p *Profile) Shape(services []string) hall.Shape {
	out := hall.Shape{}
	for _, sv := range services {
		q := make([]float64, 24*4)
		for i := range q {
			if d := time.Duration(i) * 15 * time.Minute; d >= p.opens && d < p.issues {
				q[i] = p.rate(sv, d)
			}
		}
		out[sv] = q
	}
	return out
}
