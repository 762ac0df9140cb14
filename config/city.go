package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// CityManager is a manager of the city rather than of one hall: signed
// in on the city level, they read every hall's dashboard and alerts. A
// hall's commands stay the hall's: a city manager acts in a hall only where
// its rules admit the role, and no room's rules admit it today.
const CityManager Role = "city_manager"

// City is a deployment of several halls, each its own single writer with
// its own journal (file or Redis prefix, by hall id), devices and secret,
// served under /h/{hall id}/, and the managers of the city, who sign in
// once and read them all. A city file names its hall files rather than
// holding them, so each hall's file stays the one its own hall checks
// and backs up.
type City struct {
	City struct {
		Name   string `yaml:"name"`
		NameEN string `yaml:"name_en"`
		// Demo admits the city managers' passwords in clear, as the demo
		// hall does its staff's.
		Demo bool `yaml:"demo"`
	} `yaml:"city"`
	// HallFiles are the halls' files, relative to the city file.
	HallFiles []string `yaml:"halls"`
	// Staff are the city's managers, every one of role city_manager.
	Staff []Staff `yaml:"staff"`

	// Halls are the halls the files hold, in their order.
	Halls []*Hall `yaml:"-"`
}

// LoadCity reads a city file and the hall files it names. Each problem
// is keyed by the file it is in.
func LoadCity(path string) (*City, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return nil, Problems{{Key: "yaml", Message: err.Error()}}
	}
	var ps Problems
	unknownKeys(&root, reflect.TypeFor[City](), "", &ps)
	c := &City{}
	if len(root.Content) > 0 {
		if err := root.Decode(c); err != nil {
			ps = append(ps, Problem{Key: "yaml", Message: err.Error()})
		}
	}
	for i, f := range c.HallFiles {
		if !filepath.IsAbs(f) {
			f = filepath.Join(filepath.Dir(path), f)
		}
		h, err := Load(f)
		var hps Problems
		switch {
		case errors.As(err, &hps):
			for _, p := range hps {
				ps = append(ps, Problem{Key: fmt.Sprintf("halls[%d] (%s): %s", i, f, p.Key), Message: p.Message})
			}
		case err != nil:
			ps = append(ps, Problem{Key: fmt.Sprintf("halls[%d]", i), Message: err.Error()})
		default:
			c.Halls = append(c.Halls, h)
		}
	}
	// Every problem at once, as a hall file's: one run of check names them all.
	if ps = append(ps, c.Validate()...); len(ps) > 0 {
		return nil, ps
	}
	return c, nil
}

// Validate checks the city: at least one hall, each with its own id (the
// id names its journal, its Redis prefix and its address), and managers of
// role city_manager with a password hash (in clear only in a demo city).
func (c *City) Validate() Problems {
	var ps Problems
	add := func(key, format string, args ...any) {
		ps = append(ps, Problem{Key: key, Message: fmt.Sprintf(format, args...)})
	}
	if len(c.Halls) == 0 {
		add("halls", "a city names at least one hall file")
	}
	ids := map[string]bool{}
	for i, h := range c.Halls {
		key := fmt.Sprintf("halls[%d]", i)
		if h.Hall.ID != "" {
			key = "halls[" + h.Hall.ID + "]" // its place in the file may be another's when a file did not load
		}
		if h.Hall.ID == "" {
			add(key, "hall %q needs hall.id: its address /h/{id}/, its journal and its Redis prefix are named by it", h.Hall.Name)
			continue
		}
		if ids[h.Hall.ID] {
			add(key, "hall.id %q is another hall's too", h.Hall.ID)
		}
		ids[h.Hall.ID] = true
		// The links a hall sends by SMS must reach it where the city
		// serves it.
		if u := strings.TrimRight(strings.TrimSpace(h.Server.PublicURL), "/"); u != "" && !strings.HasSuffix(u, "/h/"+h.Hall.ID) {
			add(key+".server.public_url", "%q: in a city the hall is served under /h/%s, so its public address ends so (https://city.example/h/%s)", h.Server.PublicURL, h.Hall.ID, h.Hall.ID)
		}
	}
	staff := map[string]bool{}
	for i, s := range c.Staff {
		key := fmt.Sprintf("staff[%d]", i)
		if s.ID == "" || staff[s.ID] {
			add(key+".id", "%q must be given and unique", s.ID)
		}
		staff[s.ID] = true
		if s.Role != CityManager {
			add(key+".role", "%q: the city's staff are city_manager; a hall's own staff belong in its hall file", s.Role)
		}
		if s.PasswordHash == "" && !(c.City.Demo && s.Password != "") {
			add(key+".password_hash", "a city manager needs a bcrypt password_hash (hallfloor hash-password)")
		}
	}
	return ps
}

// SignInHall is the city as the sign-in of its managers sees a hall: its
// staff are the city's managers.
func (c *City) SignInHall() *Hall {
	h := &Hall{Staff: c.Staff}
	h.Hall.ID, h.Hall.Name, h.Hall.NameEN, h.Hall.Demo = "city", c.City.Name, c.City.NameEN, c.City.Demo
	if len(c.Halls) > 0 {
		h.Hall.Timezone = c.Halls[0].Hall.Timezone
	}
	return h
}
