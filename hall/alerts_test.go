package hall

import (
	"testing"
	"time"

	"hallfloor/equipment"
	"hallfloor/queue"
)

// The hall decides its alerts from the hall file's thresholds: a wait past
// the target, a window idle while people wait, a paused window, a device
// fault, a forced locker door.
func TestAlertsFromTheHallFile(t *testing.T) {
	f := newFloor(t)
	kinds := func() map[string]string {
		out := map[string]string{}
		for _, a := range AlertsAt(f.s, f.setup, f.now) {
			out[a.Kind+":"+a.Subject] = a.Level
		}
		return out
	}
	f.must(queue.OpenWindow{Window: "1", Actor: clerk("1")})
	f.must(queue.IssueTicket{Service: "A"})
	if got := kinds(); len(got) != 0 {
		t.Fatalf("a fresh hall has alerts %v", got)
	}
	f.now = f.now.Add(f.setup.Alerts.IdleAfter + time.Second)
	if got := kinds(); got["idle:1"] != "bad" || got["wait:A"] != "" {
		t.Fatalf("after %v idle: %v", f.setup.Alerts.IdleAfter, got)
	}
	f.now = f.now.Add(f.setup.Alerts.WaitTarget)
	if got := kinds(); got["wait:A"] != "bad" {
		t.Fatalf("past the wait target: %v", got)
	}
	f.must(queue.CallNext{Window: "1", Actor: clerk("1")})
	f.must(queue.Finish{Window: "1", Actor: clerk("1")})
	f.must(queue.Pause{Window: "1", Actor: clerk("1"), Reason: "午间休息"})
	f.must(equipment.Report{Device: "locker:L1:02", Kind: equipment.Alarm, Finding: equipment.Finding{Reason: equipment.DoorForced}})
	f.must(equipment.Report{Device: "window:2:lamp", Kind: equipment.Fault})
	got := kinds()
	if got["idle:1"] != "" || got["wait:A"] != "" || got["paused:1"] != "warn" ||
		got["door:locker:L1:02"] != "bad" || got["device:window:2:lamp"] != "bad" {
		t.Fatalf("alerts %v", got)
	}
}
