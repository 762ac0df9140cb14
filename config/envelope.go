package config

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"hallfloor/envelope"
)

// Envelope is the hall file's section of the 免跑腿信封 (湖里 方案): where
// posted materials go, the window groups whose leader and 业务专员 are told
// of each submission, and how long a submission may wait for review.
type Envelope struct {
	// Recipient is the fixed address of posted materials, printed for the
	// applicant and never theirs to change; without it no material may
	// come by post.
	Recipient EnvelopeRecipient `yaml:"recipient"`
	Groups    []EnvelopeGroup   `yaml:"groups"`
	// ReviewWithinMinutes is how long a submission may wait for the
	// clerk's review before the dashboard flags it (60 when 0).
	ReviewWithinMinutes int `yaml:"review_within_minutes"`
}

// EnvelopeRecipient is the hall's address for posted materials.
type EnvelopeRecipient struct {
	Name    string `yaml:"name"`
	Phone   string `yaml:"phone"`
	Address string `yaml:"address"`
}

// EnvelopeGroup is a 综合窗口管理小组: its windows, its leader and its 业务专员
// (工号 of the hall's staff, with a phone for the SMS).
type EnvelopeGroup struct {
	Name       string   `yaml:"name"`
	Windows    []string `yaml:"windows"`
	Leader     string   `yaml:"leader"`
	Specialist string   `yaml:"specialist"`
}

func (h *Hall) validateEnvelope(add func(key, format string, args ...any)) {
	e := h.Envelope
	r := e.Recipient
	if r != (EnvelopeRecipient{}) {
		switch {
		case strings.TrimSpace(r.Name) == "":
			add("envelope.recipient.name", "missing; the courier needs whom to deliver to")
		case utf8.RuneCountInString(r.Name) > 50:
			add("envelope.recipient.name", "is longer than 50 characters")
		}
		if !phoneRE.MatchString(r.Phone) {
			add("envelope.recipient.phone", "%q is not a phone number; the courier calls it", r.Phone)
		}
		switch {
		case strings.TrimSpace(r.Address) == "":
			add("envelope.recipient.address", "missing; posted materials go there")
		case utf8.RuneCountInString(r.Address) > 200:
			add("envelope.recipient.address", "is longer than 200 characters")
		}
	}
	if m := e.ReviewWithinMinutes; m < 0 || m > 7*24*60 {
		add("envelope.review_within_minutes", "%d must be between 1 and 10080 minutes (60 when left out)", m)
	}
	windows := map[string]string{}
	for i, g := range e.Groups {
		key := fmt.Sprintf("envelope.groups[%d]", i)
		if strings.TrimSpace(g.Name) == "" {
			add(key+".name", "missing; the group's name shows in the hall file's errors and the reports")
		}
		if len(g.Windows) == 0 {
			add(key+".windows", "a group has at least one window")
		}
		for j, w := range g.Windows {
			wk := fmt.Sprintf("%s.windows[%d]", key, j)
			switch {
			case h.FindWindow(w) == nil:
				add(wk, "no window %q", w)
			case windows[w] != "":
				add(wk, "window %q is in group %q already", w, windows[w])
			}
			windows[w] = g.Name
		}
		for role, id := range map[string]string{"leader": g.Leader, "specialist": g.Specialist} {
			st := h.FindStaff(id)
			switch {
			case id == "":
				add(key+"."+role, "missing; the %s is told by SMS of each submission", role)
			case st == nil:
				add(key+"."+role, "no member of staff %q", id)
			case st.Phone == "":
				add(key+"."+role, "%q has no phone in the staff list; the SMS needs one", id)
			}
		}
	}
}

// EnvelopeSetup is the section as the envelopes' rules need it.
func (h *Hall) EnvelopeSetup() envelope.Setup {
	r := h.Envelope.Recipient
	s := envelope.Setup{Recipient: envelope.Recipient{Name: strings.TrimSpace(r.Name), Phone: strings.TrimSpace(r.Phone),
		Address: strings.TrimSpace(r.Address)}, ReviewWithin: time.Duration(h.Envelope.ReviewWithinMinutes) * time.Minute,
		Phones: map[string]string{}}
	for _, g := range h.Envelope.Groups {
		s.Groups = append(s.Groups, envelope.Group{Name: strings.TrimSpace(g.Name), Windows: g.Windows, Leader: g.Leader,
			Specialist: g.Specialist})
	}
	for _, st := range h.Staff {
		if st.Phone != "" {
			s.Phones[st.ID] = st.Phone
		}
	}
	return s
}
