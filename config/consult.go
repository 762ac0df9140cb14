package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/consult"
	"hallfloor/queue"
)

// Consult is the hall file's section of 咨询号 (台州 细则 三(二)(三)): the
// departments (审批支撑部门) whose staff answer consultations, and how soon
// one of them must acknowledge. Each department answers the numbers of one
// consult service of its own, taken at the kiosk like any other; no window
// serves that service, since the department's staff come to the citizen.
type Consult struct {
	// AckWithinMinutes is how long after the notice a member of the
	// department must acknowledge before the dashboard alerts and the
	// department's contact gets an SMS (default 5).
	AckWithinMinutes float64      `yaml:"ack_within_minutes"`
	Departments      []Department `yaml:"departments"`
}

// Department is a department that answers 咨询号.
type Department struct {
	ID     string `yaml:"id"`
	Name   string `yaml:"name"`
	NameEN string `yaml:"name_en"`
	// Service is the consult service whose numbers are this department's.
	Service string `yaml:"service"`
	// Resident: the department has staff in the hall. A department not
	// resident answers by video or phone.
	Resident bool `yaml:"resident"`
	// Place is where its staff meet citizens (default the consultation area).
	Place   string `yaml:"place"`
	PlaceEN string `yaml:"place_en"`
	// Contact is the phone told when nobody acknowledges in time.
	Contact string          `yaml:"contact"`
	Staff   []ConsultMember `yaml:"staff"`
}

// ConsultMember is one of a department's consultation staff: a member of
// the hall's staff (they sign in as such), how they are notified, and the
// phone an SMS goes to.
type ConsultMember struct {
	ID       string   `yaml:"id"`
	Phone    string   `yaml:"phone"`
	Channels []string `yaml:"channels"` // terminal (the live page), sms
}

// Channels a member is notified by.
const (
	ChannelTerminal = "terminal"
	ChannelSMS      = "sms"
)

var phoneRE = regexp.MustCompile(`^\+?[0-9][0-9-]{4,19}$`)

func (h *Hall) validateConsult(add func(key, format string, args ...any)) {
	c := h.Consult
	if c.AckWithinMinutes < 0 || c.AckWithinMinutes > 120 {
		add("consult.ack_within_minutes", "%v must be between 0 (default 5) and 120", c.AckWithinMinutes)
	}
	ids := map[string]bool{}
	byService := map[string]string{}
	for i, d := range c.Departments {
		key := fmt.Sprintf("consult.departments[%d]", i)
		checkID(add, key+".id", d.ID, "department", ids)
		if strings.TrimSpace(d.Name) == "" {
			add(key+".name", "missing; the department's name shows to the citizen")
		} else if utf8.RuneCountInString(d.Name) > 50 {
			add(key+".name", "is longer than 50 characters")
		}
		if utf8.RuneCountInString(d.Place) > 50 || utf8.RuneCountInString(d.PlaceEN) > 80 {
			add(key+".place", "a place is named by at most 50 characters")
		}
		var sv *Service
		for j := range h.Services {
			if h.Services[j].Code == d.Service {
				sv = &h.Services[j]
			}
		}
		switch {
		case sv == nil:
			add(key+".service", "no service %q", d.Service)
		case sv.Kind != queue.Consult:
			add(key+".service", "service %q is %s, not consult", d.Service, sv.Kind)
		case byService[d.Service] != "":
			add(key+".service", "service %q already answers for department %q", d.Service, byService[d.Service])
		default:
			byService[d.Service] = d.ID
			for _, w := range h.Windows {
				if slices.Contains(w.Services, d.Service) {
					add(key+".service", "window %q serves %q; a department's 咨询号 is answered by its staff, not called at a window", w.ID, d.Service)
				}
			}
		}
		if !phoneRE.MatchString(d.Contact) {
			add(key+".contact", "%q is not a phone number; the contact is told when nobody answers in time", d.Contact)
		}
		if len(d.Staff) == 0 {
			add(key+".staff", "a department needs at least one member to answer its 咨询号")
		}
		members := map[string]bool{}
		for j, m := range d.Staff {
			mk := fmt.Sprintf("%s.staff[%d]", key, j)
			switch {
			case h.FindStaff(m.ID) == nil:
				add(mk+".id", "no member of staff %q; department staff sign in as the hall's staff", m.ID)
			case members[m.ID]:
				add(mk+".id", "%q is listed twice", m.ID)
			}
			members[m.ID] = true
			if len(m.Channels) == 0 {
				add(mk+".channels", "missing; terminal, sms or both")
			}
			for k, ch := range m.Channels {
				switch ch {
				case ChannelTerminal:
				case ChannelSMS:
					if !phoneRE.MatchString(m.Phone) {
						add(mk+".phone", "%q is not a phone number; the sms channel needs one", m.Phone)
					}
				default:
					add(fmt.Sprintf("%s.channels[%d]", mk, k), "%q must be terminal or sms", ch)
				}
			}
			if m.Phone != "" && !phoneRE.MatchString(m.Phone) && !slices.Contains(m.Channels, ChannelSMS) {
				add(mk+".phone", "%q is not a phone number", m.Phone)
			}
		}
	}
}

// ConsultSetup is the section as the consultations' rules need it.
func (h *Hall) ConsultSetup() consult.Setup {
	c := h.Consult
	s := consult.Setup{AckWithin: time.Duration(c.AckWithinMinutes * float64(time.Minute))}
	for _, d := range c.Departments {
		cd := consult.Department{ID: d.ID, Name: strings.TrimSpace(d.Name), NameEN: d.NameEN, Service: d.Service,
			Resident: d.Resident, Place: d.Place, PlaceEN: d.PlaceEN, Contact: d.Contact}
		for _, m := range d.Staff {
			cd.Staff = append(cd.Staff, consult.Member{ID: m.ID, Phone: m.Phone,
				Terminal: slices.Contains(m.Channels, ChannelTerminal), SMS: slices.Contains(m.Channels, ChannelSMS)})
		}
		s.Departments = append(s.Departments, cd)
	}
	return s
}

// ConsultServes reports whether a service's numbers are a department's
// 咨询号, answered by its staff rather than at a window.
func (h *Hall) ConsultServes(code string) bool {
	for _, d := range h.Consult.Departments {
		if d.Service == code {
			return true
		}
	}
	return false
}
