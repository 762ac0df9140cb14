package simulate

import "go.yaml.in/yaml/v3"

// WithRoster is the profile with another roster (each window's open
// hours, "09:00-10:00"), checked as a profile file's would be.
func (p *Profile) WithRoster(roster map[string][]string) (*Profile, error) {
	q := *p
	q.Roster = roster
	b, err := yaml.Marshal(&q)
	if err != nil {
		return nil, err
	}
	return ParseProfile(b)
}

// Hours are the hours of the day (0-23) the profile's windows are open
// in, from its opening to its closing.
func (p *Profile) Hours() []int {
	var hs []int
	for h := int(p.opens.Hours()); float64(h) < p.closes.Hours(); h++ {
		hs = append(hs, h)
	}
	return hs
}

// ClosesAt is the profile's closing, as an offset from midnight.
func (p *Profile) ClosesAt() float64 { return p.closes.Minutes() }
