package equipment

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"hallfloor/errs"
	"hallfloor/room"
)

func TestReportDevice(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := NewState()
	seq := uint64(0)
	report := func(kind, reason string) room.Outcome {
		t.Helper()
		out, err := Decide(s, Report{Device: "locker:L1:01", Kind: kind, Finding: Finding{Reason: reason}})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range out.Events {
			seq++
			s.Apply(room.Event{Seq: seq, At: at, Data: p})
		}
		return out
	}
	if out := report(OK, ""); len(out.Events) != 0 || len(s.Devices) != 0 {
		t.Fatalf("a device that never reported a problem journaled ok: %v", out.Events)
	}
	report(Alarm, DoorForced)
	h := s.Devices["locker:L1:01"]
	if h == nil || h.Status != Alarm || h.Reports != 1 || !h.Since.Equal(at) || h.Reason != DoorForced {
		t.Fatalf("after an alarm: %+v", h)
	}
	at = at.Add(time.Minute)
	if out := report(OK, DoorClosed); len(out.Events) != 1 {
		t.Fatal("recovery not journaled")
	}
	if h := s.Devices["locker:L1:01"]; h.Status != OK || h.Reports != 1 || !h.Since.Equal(at) {
		t.Fatalf("after recovery: %+v", h)
	}
	// Fine, and saying so again: nothing worth keeping.
	if out := report(OK, ""); len(out.Events) != 0 {
		t.Fatalf("a second ok journaled: %v", out.Events)
	}
	report(Fault, DoorNotOpened)
	if h := s.Devices["locker:L1:01"]; h.Status != Fault || h.Reports != 2 {
		t.Fatalf("after a fault: %+v", h)
	}
	// Other rooms' events leave the health as it is.
	s.Apply(room.Event{Seq: seq + 1, At: at, Data: otherEvent{}})
	if len(s.Devices) != 1 || s.Devices["locker:L1:01"].Status != Fault {
		t.Fatalf("another room's event changed the health: %+v", s.Devices)
	}
	// The event survives the journal's round trip.
	sent := Reported{Device: "d", Kind: Fault, Finding: Finding{Reason: PinUndrivable, Pin: "GPIO17", Detail: "x"}}
	b, _ := json.Marshal(sent)
	p, err := room.Decode("device.reported", b)
	if err != nil || p != sent {
		t.Fatalf("decoded %v %v", p, err)
	}
}

type otherEvent struct{}

func (otherEvent) Type() string { return "other.event" }

func TestReportDeviceRefusesBadInput(t *testing.T) {
	tests := []struct {
		name   string
		cmd    Report
		field  string
		reason string
	}{
		{"no device", Report{Kind: Fault}, "device", "device_name"},
		{"a blank device", Report{Device: "   ", Kind: Fault}, "device", "device_name"},
		{"a long device name", Report{Device: strings.Repeat("d", maxDevice+1), Kind: Fault}, "device", "device_name"},
		{"unknown kind", Report{Device: "d", Kind: "broken"}, "kind", "device_kind"},
		{"long detail", Report{Device: "d", Kind: Fault, Finding: Finding{Detail: strings.Repeat("门", maxDetail+1)}}, "detail", "too_long"},
		{"unknown reason", Report{Device: "d", Kind: Fault, Finding: Finding{Reason: "gremlins"}}, "reason", "device_reason"},
	}
	for _, tc := range tests {
		s := NewState()
		out, err := Decide(s, tc.cmd)
		if err == nil || !errs.Is(errs.Invalid, err) {
			t.Errorf("%s: got %v", tc.name, err)
			continue
		}
		e, _ := errs.As(err)
		if e.Field != tc.field || e.Reason != tc.reason || len(out.Events) != 0 || len(s.Devices) != 0 {
			t.Errorf("%s: %v, state %v", tc.name, err, s.Devices)
		}
	}
	// At the limits, accepted.
	s := NewState()
	if out, err := Decide(s, Report{Device: strings.Repeat("d", maxDevice), Kind: Alert, Finding: Finding{Reason: DoorLeftOpen, Detail: strings.Repeat("门", maxDetail)}}); err != nil || len(out.Events) != 1 {
		t.Fatalf("at the limits: %v %v", out.Events, err)
	}
	if _, err := Decide(s, nil); errs.ReasonOf(err) != "unknown_command" {
		t.Fatalf("no command: %v", err)
	}
}
