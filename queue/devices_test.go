package queue

import (
	"encoding/json"
	"testing"
	"time"

	"hallfloor/errs"
)

func TestReportDevice(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	s := &State{}
	seq := uint64(0)
	report := func(kind, detail string) Outcome {
		t.Helper()
		out, err := Decide(s, nil, ReportDevice{Device: "locker:L1:01", Kind: kind, Detail: detail}, at)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range out.Events {
			seq++
			s.Apply(Event{Seq: seq, At: at, Data: p})
		}
		return out
	}
	if out := report(DeviceOK, ""); len(out.Events) != 0 {
		t.Fatalf("a device that never reported a problem journaled ok: %v", out.Events)
	}
	report(DeviceAlarm, "door opened without a command")
	h := s.Devices["locker:L1:01"]
	if h == nil || h.Status != DeviceAlarm || h.Reports != 1 || !h.Since.Equal(at) {
		t.Fatalf("after an alarm: %+v", h)
	}
	if out := report(DeviceOK, "door closed"); len(out.Events) != 1 {
		t.Fatal("recovery not journaled")
	}
	if h := s.Devices["locker:L1:01"]; h.Status != DeviceOK || h.Reports != 1 {
		t.Fatalf("after recovery: %+v", h)
	}
	// The event survives the journal's round trip.
	b, _ := json.Marshal(DeviceReported{Device: "d", Kind: DeviceFault, Detail: "x"})
	p, err := Decode("device.reported", b)
	if err != nil || p != (DeviceReported{Device: "d", Kind: DeviceFault, Detail: "x"}) {
		t.Fatalf("decoded %v %v", p, err)
	}
}

func TestReportDeviceRefusesBadInput(t *testing.T) {
	long := make([]rune, 201)
	for i := range long {
		long[i] = '门'
	}
	tests := []struct {
		name  string
		cmd   ReportDevice
		field string
	}{
		{"no device", ReportDevice{Kind: DeviceFault}, "device"},
		{"unknown kind", ReportDevice{Device: "d", Kind: "broken"}, "kind"},
		{"long detail", ReportDevice{Device: "d", Kind: DeviceFault, Detail: string(long)}, "detail"},
	}
	for _, tc := range tests {
		s := &State{}
		_, err := Decide(s, nil, tc.cmd, time.Time{})
		var e *errs.Error
		if err == nil || !errs.Is(errs.Invalid, err) {
			t.Errorf("%s: got %v", tc.name, err)
			continue
		}
		if e, _ = err.(*errs.Error); e.Field != tc.field || len(s.Devices) != 0 {
			t.Errorf("%s: field %q, state %v", tc.name, e.Field, s.Devices)
		}
	}
}
