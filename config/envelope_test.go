package config

import (
	"slices"
	"testing"
	"time"
)

// The demo hall's envelope reaches the rules as the hall file says: the
// fixed recipient, the group's leader and 专员 with their phones, the
// review setting, the material signed in person.
func TestEnvelopeSection(t *testing.T) {
	s := Demo().Setup()
	e := s.Envelopes
	if e.Recipient.Address == "" || e.Recipient.Phone != "0592-5000000" || e.ReviewWithin != 60*time.Minute {
		t.Fatalf("envelope %+v", e)
	}
	g := e.GroupOf("3")
	if g == nil || g.Leader != "1007" || g.Specialist != "1008" || e.Phones["1007"] != "13800001007" || e.GroupOf("7") != nil {
		t.Fatalf("groups %+v phones %v", e.Groups, e.Phones)
	}
	if m := s.Cases.Item("GTDJ").Material("sfz"); m == nil || !m.InPerson {
		t.Fatalf("经营者身份证明 %+v", m)
	}
}

// Every mistake in the section is named by its key.
func TestEnvelopeSectionProblems(t *testing.T) {
	for _, tt := range []struct {
		name string
		edit func(h *Hall)
		want string
	}{
		{"a recipient without address", func(h *Hall) { h.Envelope.Recipient.Address = " " }, "envelope.recipient.address"},
		{"a recipient's bad phone", func(h *Hall) { h.Envelope.Recipient.Phone = "call us" }, "envelope.recipient.phone"},
		{"a window twice", func(h *Hall) {
			h.Envelope.Groups = append(h.Envelope.Groups, EnvelopeGroup{Name: "二组", Windows: []string{"1"}, Leader: "1007", Specialist: "1008"})
		}, "envelope.groups[1].windows[0]"},
		{"no such window", func(h *Hall) { h.Envelope.Groups[0].Windows = []string{"99"} }, "envelope.groups[0].windows[0]"},
		{"a leader unknown", func(h *Hall) { h.Envelope.Groups[0].Leader = "9999" }, "envelope.groups[0].leader"},
		{"a 专员 without phone", func(h *Hall) { h.Envelope.Groups[0].Specialist = "1001" }, "envelope.groups[0].specialist"},
		{"a staff phone wrong", func(h *Hall) { h.Staff[0].Phone = "abc" }, "staff[0].phone"},
		{"a review setting out of range", func(h *Hall) { h.Envelope.ReviewWithinMinutes = -1 }, "envelope.review_within_minutes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := Demo()
			tt.edit(h)
			var keys []string
			for _, p := range h.Validate() {
				keys = append(keys, p.Key)
			}
			if !slices.Contains(keys, tt.want) {
				t.Errorf("no problem under %s in %v", tt.want, keys)
			}
		})
	}
}
