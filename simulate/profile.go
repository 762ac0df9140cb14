// Package simulate runs a hall file through one day against the real
// engine and journal, on a fake clock, from a day profile: who arrives for
// which service each quarter hour, how long each is served, who does not
// come when called, who is recalled or sent to another service, when the
// clerks step away, which windows are open when. It writes the day's
// report and, for every ticket, the wait the kiosk estimated at issue
// against the wait it really had, so estimates can be checked against a
// day that happened the same way every time (a seed).
package simulate

import (
	"embed"
	"errors"
	"fmt"
	"os"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"hallfloor/config"
)

// Profile is a kind of day in a hall.
type Profile struct {
	Name string `yaml:"name"`
	// Date is the day simulated (2006-01-02); its weekday matters to a
	// hall file's calendar.
	Date string `yaml:"date"`
	// Opens, IssueUntil and Closes are the day's hours (15:04): the windows
	// open, the kiosks stop issuing, the windows stop calling.
	Opens      string `yaml:"opens"`
	IssueUntil string `yaml:"issue_until"`
	Closes     string `yaml:"closes"`
	Arrivals   struct {
		// Default is the mean number of walk-ins in a quarter hour of a
		// service the profile does not name in Services.
		Default  float64            `yaml:"default"`
		Services map[string]float64 `yaml:"services"`
		// Hours scales a quarter hour's arrivals by its hour (0-23); an
		// hour left out is 1.
		Hours map[string]float64 `yaml:"hours"`
	} `yaml:"arrivals"`
	// ServiceTimes gives a service's lognormal service time: the mean in
	// minutes and the spread (the sigma of its logarithm). A service left
	// out has the hall file's service_minutes and a spread of 0.5.
	ServiceTimes map[string]ServiceTime `yaml:"service_times"`
	NoShow       float64                `yaml:"no_show"`  // share of calls nobody answers, recalled or not (过号)
	Recall       float64                `yaml:"recall"`   // share of calls recalled once, a minute after
	Transfer     float64                `yaml:"transfer"` // share of services sent on to another service
	Pauses       struct {
		PerHour float64 `yaml:"per_hour"` // a window's pauses in an hour, on average
		Minutes float64 `yaml:"minutes"`  // a pause's mean length
	} `yaml:"pauses"`
	Priority     float64 `yaml:"priority"`     // share of walk-ins a guide issues a priority number (老弱病残孕)
	Appointments float64 `yaml:"appointments"` // share of arrivals, for services taking bookings, who booked (预约)
	// Roster is each window's open hours ("09:00-12:00"); a window left
	// out stays closed. An empty roster opens every window all day.
	Roster map[string][]string `yaml:"roster"`

	date                  time.Time
	opens, issues, closes time.Duration
	hours                 map[int]float64
	roster                map[string][]span
}

// ServiceTime is a service's lognormal service time.
type ServiceTime struct {
	Mean   float64 `yaml:"mean"`   // minutes
	Spread float64 `yaml:"spread"` // sigma of the logarithm
}

type span struct{ from, to time.Duration }

//go:embed profiles/*.yaml
var profiles embed.FS

// Profiles names the profiles the repository holds.
func Profiles() []string {
	entries, _ := profiles.ReadDir("profiles")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	return names
}

// Flat is the day of no profile: a flat 1.5 walk-ins per service each
// quarter hour from 09:00 to 17:00, every window open.
func Flat() *Profile {
	p, err := ParseProfile([]byte(`{name: flat, date: "2026-11-04", opens: "09:00", issue_until: "17:00", closes: "17:30",
arrivals: {default: 1.5}, no_show: 0.05, recall: 0.1, transfer: 0.02, pauses: {per_hour: 0.2, minutes: 5},
priority: 0.03, appointments: 0.05}`))
	if err != nil {
		panic(err)
	}
	return p
}

// LoadProfile reads a profile: one of the repository's by name (normal,
// quiet, monday-peak), or a YAML file by its path; "" is Flat.
func LoadProfile(name string) (*Profile, error) {
	if name == "" {
		return Flat(), nil
	}
	if slices.Contains(Profiles(), name) {
		b, err := profiles.ReadFile(path.Join("profiles", name+".yaml"))
		if err != nil {
			return nil, err
		}
		return ParseProfile(b)
	}
	b, err := os.ReadFile(name)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("profile %q: neither a file nor one of %s", name, strings.Join(Profiles(), ", "))
	}
	if err != nil {
		return nil, err
	}
	p, err := ParseProfile(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return p, nil
}

// ParseProfile reads a profile's YAML, refusing unknown keys and figures
// out of range with the key named.
func ParseProfile(b []byte) (*Profile, error) {
	var p Profile
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&p); err != nil {
		return nil, fmt.Errorf("profile: %w", err)
	}
	var problems []string
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	var err error
	if p.date, err = time.Parse(time.DateOnly, p.Date); err != nil {
		bad("date: %q is not a date (2006-01-02)", p.Date)
	}
	clock := func(key, v string) time.Duration {
		t, err := time.Parse("15:04", v)
		if err != nil {
			bad("%s: %q is not a time of day (15:04)", key, v)
			return 0
		}
		return time.Duration(t.Hour())*time.Hour + time.Duration(t.Minute())*time.Minute
	}
	p.opens, p.issues, p.closes = clock("opens", p.Opens), clock("issue_until", p.IssueUntil), clock("closes", p.Closes)
	if !(p.opens < p.issues && p.issues <= p.closes) {
		bad("opens, issue_until, closes: must come one after the other")
	}
	share := func(key string, v float64) {
		if v < 0 || v > 1 {
			bad("%s: %v is not a share between 0 and 1", key, v)
		}
	}
	share("no_show", p.NoShow)
	share("recall", p.Recall)
	share("transfer", p.Transfer)
	share("priority", p.Priority)
	share("appointments", p.Appointments)
	if p.Arrivals.Default < 0 {
		bad("arrivals.default: %v is negative", p.Arrivals.Default)
	}
	for sv, v := range p.Arrivals.Services {
		if v < 0 {
			bad("arrivals.services.%s: %v is negative", sv, v)
		}
	}
	p.hours = map[int]float64{}
	for h, v := range p.Arrivals.Hours {
		n, err := strconv.Atoi(h)
		if err != nil || n < 0 || n > 23 || v < 0 {
			bad("arrivals.hours.%s: an hour 0-23 with a factor of 0 or more", h)
		}
		p.hours[n] = v
	}
	for sv, st := range p.ServiceTimes {
		if st.Mean <= 0 || st.Spread < 0 {
			bad("service_times.%s: mean must be above 0 minutes and spread 0 or more", sv)
		}
	}
	if p.Pauses.PerHour < 0 || p.Pauses.Minutes < 0 {
		bad("pauses: per_hour and minutes must be 0 or more")
	}
	p.roster = map[string][]span{}
	for w, spans := range p.Roster {
		for _, s := range spans {
			from, to, ok := strings.Cut(s, "-")
			sp := span{clock("roster."+w, from), clock("roster."+w, to)}
			if !ok || sp.from >= sp.to {
				bad("roster.%s: %q is not hours from-to (09:00-12:00)", w, s)
			}
			p.roster[w] = append(p.roster[w], sp)
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return nil, errors.New("profile: " + strings.Join(problems, "; "))
	}
	return &p, nil
}

// fit checks the profile against the hall: the services and windows it
// names must be the hall's.
func (p *Profile) fit(h *config.Hall) error {
	var problems []string
	has := func(code string) bool {
		return slices.ContainsFunc(h.Services, func(s config.Service) bool { return s.Code == code })
	}
	for sv := range p.Arrivals.Services {
		if !has(sv) {
			problems = append(problems, fmt.Sprintf("arrivals.services.%s: the hall has no service %s", sv, sv))
		}
	}
	for sv := range p.ServiceTimes {
		if !has(sv) {
			problems = append(problems, fmt.Sprintf("service_times.%s: the hall has no service %s", sv, sv))
		}
	}
	for w := range p.Roster {
		if !slices.ContainsFunc(h.Windows, func(x config.Window) bool { return x.ID == w }) {
			problems = append(problems, fmt.Sprintf("roster.%s: the hall has no window %s", w, w))
		}
	}
	if len(problems) > 0 {
		slices.Sort(problems)
		return fmt.Errorf("profile %s does not fit hall %s: %s", p.Name, h.Hall.ID, strings.Join(problems, "; "))
	}
	return nil
}

// open says whether window w is rostered at offset d from midnight.
func (p *Profile) open(w string, d time.Duration) bool {
	if len(p.roster) == 0 {
		return d >= p.opens && d < p.closes
	}
	for _, s := range p.roster[w] {
		if d >= s.from && d < s.to {
			return true
		}
	}
	return false
}

// rate is the mean walk-ins for service sv in the quarter hour starting at
// offset d.
func (p *Profile) rate(sv string, d time.Duration) float64 {
	r, ok := p.Arrivals.Services[sv]
	if !ok {
		r = p.Arrivals.Default
	}
	if f, ok := p.hours[int(d/time.Hour)]; ok {
		r *= f
	}
	return r
}
