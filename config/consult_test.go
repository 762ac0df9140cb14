package config

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"hallfloor/consult"
	"hallfloor/hall"
	"hallfloor/outbox"
	"hallfloor/queue"
	"hallfloor/room"
	"hallfloor/sms"
)

// The demo hall's two departments reach the consultations' rules as the
// hall file says, with ack_within's default when it is silent.
func TestConsultSection(t *testing.T) {
	h := Demo()
	cs := h.Setup().Consults
	if cs.AckWithin != 5*time.Minute || len(cs.Departments) != 2 {
		t.Fatalf("demo consultations %+v", cs)
	}
	scj, bdc := cs.ForService("S"), cs.Department("bdc")
	if scj == nil || scj.ID != "scj" || !scj.Resident || scj.Place != "二楼咨询区" || scj.Contact != "13900000001" {
		t.Fatalf("市场监管局 %+v", scj)
	}
	if m := scj.Member("3001"); m == nil || !m.Terminal || !m.SMS || m.Phone != "13800000001" {
		t.Fatalf("3001 %+v", m)
	}
	if m := scj.Member("3002"); m == nil || !m.Terminal || m.SMS {
		t.Fatalf("3002 %+v", m)
	}
	if bdc == nil || bdc.Resident || bdc.Service != "F" {
		t.Fatalf("不动产登记中心 %+v", bdc)
	}
	h.Consult.AckWithinMinutes = 0
	if got := h.Setup().Consults.AckWithin; got != consult.DefaultAckWithin {
		t.Fatalf("ack_within by default %v", got)
	}
	h.Consult.AckWithinMinutes = 2
	if got := h.Setup().Consults.AckWithin; got != 2*time.Minute {
		t.Fatalf("ack_within from the file %v", got)
	}
}

// Every mistake in the section is named by its key.
func TestConsultSectionProblems(t *testing.T) {
	for _, tt := range []struct {
		name  string
		edit  func(h *Hall)
		wants []string
	}{
		{"ack_within out of range", func(h *Hall) { h.Consult.AckWithinMinutes = -1 }, []string{"consult.ack_within_minutes"}},
		{"no such service", func(h *Hall) { h.Consult.Departments[0].Service = "Y" }, []string{"consult.departments[0].service"}},
		{"an intake service", func(h *Hall) { h.Consult.Departments[0].Service = "A" }, []string{"consult.departments[0].service"}},
		{"a service a window calls", func(h *Hall) { h.Consult.Departments[0].Service = "Z" }, []string{"consult.departments[0].service"}},
		{"two departments, one service", func(h *Hall) { h.Consult.Departments[1].Service = "S" }, []string{"consult.departments[1].service"}},
		{"a department twice", func(h *Hall) { h.Consult.Departments[1].ID = "scj" }, []string{"consult.departments[1].id"}},
		{"no name", func(h *Hall) { h.Consult.Departments[0].Name = " " }, []string{"consult.departments[0].name"}},
		{"no contact", func(h *Hall) { h.Consult.Departments[0].Contact = "" }, []string{"consult.departments[0].contact"}},
		{"nobody answers", func(h *Hall) { h.Consult.Departments[1].Staff = nil }, []string{"consult.departments[1].staff"}},
		{"a stranger", func(h *Hall) { h.Consult.Departments[0].Staff[0].ID = "9999" }, []string{"consult.departments[0].staff[0].id"}},
		{"a member twice", func(h *Hall) { h.Consult.Departments[0].Staff[1].ID = "3001" }, []string{"consult.departments[0].staff[1].id"}},
		{"no channel", func(h *Hall) { h.Consult.Departments[0].Staff[1].Channels = nil }, []string{"consult.departments[0].staff[1].channels"}},
		{"an unknown channel", func(h *Hall) { h.Consult.Departments[0].Staff[1].Channels = []string{"pager"} },
			[]string{"consult.departments[0].staff[1].channels[0]"}},
		{"sms without a phone", func(h *Hall) { h.Consult.Departments[0].Staff[0].Phone = "" }, []string{"consult.departments[0].staff[0].phone"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := Demo()
			tt.edit(h)
			var keys []string
			for _, p := range h.Validate() {
				keys = append(keys, p.Key)
			}
			for _, want := range tt.wants {
				if !slices.Contains(keys, want) {
					t.Errorf("no problem under %s in %v", want, keys)
				}
			}
		})
	}
	// A misspelt key is refused as every other is.
	if _, err := Parse(append(append([]byte{}, demoYAML...), []byte("\nconsult_typo: 1\n")...)); err == nil {
		t.Fatal("an unknown key was accepted")
	}
}

// The messages the consultations queue are worded by the hall's templates
// from what the room decided, and go to the phones the hall file lists,
// with nothing sealed.
func TestConsultMessagesAreWorded(t *testing.T) {
	if sms.PurposeConsultNotify != consult.PurposeNotify || sms.PurposeConsultLate != consult.PurposeLate {
		t.Fatal("sms and consult name the consultations' messages differently")
	}
	h := Demo()
	setup := h.Setup()
	s := hall.NewState(setup)
	now := time.Date(2026, 3, 10, 9, 0, 0, 0, setup.Location())
	n := 0
	env := func() room.Env {
		return room.Env{Now: now, NewID: func() string { n++; return fmt.Sprintf("id%d", n) }}
	}
	run := func(cmd hall.Command) []outbox.Queued {
		t.Helper()
		_, evs, err := s.Run(setup, cmd, env())
		if err != nil {
			t.Fatal(err)
		}
		var out []outbox.Queued
		for _, e := range evs {
			if q, ok := e.Data.(outbox.Queued); ok {
				out = append(out, q)
			}
		}
		return out
	}
	w := h.SMSWording()
	notices := run(queue.IssueTicket{Service: "S"})
	if len(notices) != 1 {
		t.Fatalf("notices %+v, want one to 3001", notices)
	}
	m, err := w.Word(notices[0].ID, notices[0].Purpose, notices[0].Vars, sms.Envelope{})
	if err != nil || m.To != "13800000001" || !strings.Contains(m.Text, "市场监管局") || !strings.Contains(m.Text, "S001") {
		t.Fatalf("worded %+v, %v", m, err)
	}
	sealer, err := sms.NewSealer(make([]byte, 32))
	if err != nil {
		t.Fatal(err)
	}
	if e, text, err := sealer.OpenEnvelope(notices[0].ID, notices[0].Sealed); err != nil || e != (sms.Envelope{}) || text != "" {
		t.Fatalf("a notice with nothing sealed opens as %+v %q %v", e, text, err)
	}
	now = now.Add(5 * time.Minute)
	late := run(hall.Tick{})
	if len(late) != 1 {
		t.Fatalf("late notices %+v, want one to the contact", late)
	}
	m, err = w.Word(late[0].ID, late[0].Purpose, late[0].Vars, sms.Envelope{})
	if err != nil || m.To != "13900000001" || !strings.Contains(m.Text, "S001") || !strings.Contains(m.Text, "5 分钟") {
		t.Fatalf("worded %+v, %v", m, err)
	}
}
