package hall

import (
	"reflect"
	"testing"
	"time"

	"hallfloor/queue"
)

// busyB is a morning of B numbers, one every five minutes from 09:00 to
// 09:25, with the windows given open and the first number at the counter.
func busyB(t *testing.T, target time.Duration, windows ...string) *floor {
	t.Helper()
	return busyBFrom(t, newFloor(t), target, windows...)
}

func busyBFrom(t *testing.T, f *floor, target time.Duration, windows ...string) *floor {
	t.Helper()
	f.setup.Alerts.WaitTarget = target
	for _, w := range windows {
		f.must(queue.OpenWindow{Window: w, Actor: clerk(w)})
	}
	for i := range 6 {
		f.must(queue.IssueTicket{Service: "B"})
		if i == 0 {
			f.must(queue.CallNext{Window: windows[0], Actor: clerk(windows[0])})
		}
		if i < 5 {
			f.now = f.now.Add(5 * time.Minute)
		}
	}
	return f
}

func alertOf(f *floor, kind, subject string) *Alert {
	for _, a := range AlertsAt(f.s, f.setup, f.now) {
		if a.Kind == kind && a.Subject == subject {
			return &a
		}
	}
	return nil
}

func TestForecastWarnsBeforeTheWaitPassesTheTarget(t *testing.T) {
	// One window for B at ten minutes a service: 1.5 an hour's quarter
	// served, 3 arriving. Five wait, 50 minutes, under the hour's target.
	f := busyB(t, time.Hour, "4")
	if a := alertOf(f, AlertWait, "B"); a != nil {
		t.Fatalf("the wait is under the target yet: %+v", a)
	}
	a := alertOf(f, AlertWaitForecast, "B")
	if a == nil {
		t.Fatalf("no forecast alert: %+v", ForecastAt(f.s, f.setup, f.now))
	}
	if a.Args["at"] != "09:40" || a.Args["target"] != "60" || a.Args["service"] != "B" || a.Level != "warn" {
		t.Fatalf("alert %+v", a)
	}
	fc := ForecastAt(f.s, f.setup, f.now)
	var b ServiceForecast
	for _, x := range fc {
		if x.Service == "B" {
			b = x
		}
	}
	if len(b.Steps) != 9 || b.Steps[0].Waiting != 5 || b.Steps[0].WaitS != 3000 || b.Steps[1].Waiting != 6.5 || b.Steps[8].Waiting != 17 {
		t.Fatalf("B's steps %+v", b.Steps)
	}
	if !reflect.DeepEqual(fc, ForecastAt(f.s, f.setup, f.now)) || !reflect.DeepEqual(AlertsAt(f.s, f.setup, f.now), AlertsAt(f.s, f.setup, f.now)) {
		t.Fatal("the forecast differs for one state")
	}
}

func TestForecastQuietWithSpareWindows(t *testing.T) {
	// Windows 2, 3 and 4 give B two windows' time: as many served as come.
	f := busyB(t, time.Hour, "4", "2", "3")
	if a := alertOf(f, AlertWaitForecast, "B"); a != nil {
		t.Fatalf("alert with spare windows: %+v", a)
	}
}

func TestForecastGivesWayToTheWaitAlert(t *testing.T) {
	// The oldest B has waited 20 minutes, over a 15 minute target: the
	// wait alert says it, the forecast no longer.
	f := busyB(t, 15*time.Minute, "4")
	if alertOf(f, AlertWait, "B") == nil || alertOf(f, AlertWaitForecast, "B") != nil {
		t.Fatalf("alerts %+v", AlertsAt(f.s, f.setup, f.now))
	}
}

func TestForecastFollowsTheProfile(t *testing.T) {
	// A profile of one B a quarter hour from 09:00, eight from 10:15:
	// today came a little above it, so the rush comes as it says, a fifth
	// larger. The last half hour's rate alone sees no rush.
	f := newFloor(t)
	f.setup.Alerts.WaitTarget = time.Hour
	f.must(queue.OpenWindow{Window: "4", Actor: clerk("4")})
	for range 4 {
		f.must(queue.IssueTicket{Service: "B"})
		f.now = f.now.Add(15 * time.Minute)
	}
	f.now = f.now.Add(-10 * time.Minute) // 09:50
	if a := alertOf(f, AlertWaitForecast, "B"); a != nil {
		t.Fatalf("without a profile: %+v", a)
	}
	shape := make([]float64, 96)
	for i := 36; i < 68; i++ {
		shape[i] = 1
	}
	for i := 41; i < 49; i++ {
		shape[i] = 8
	}
	f.setup.Alerts.Shape = Shape{"B": shape}
	a := alertOf(f, AlertWaitForecast, "B")
	if a == nil || a.Args["at"] != "10:35" {
		t.Fatalf("alert %+v; forecast %+v", a, ForecastAt(f.s, f.setup, f.now))
	}
}

func TestForecastNoArrivalsAfterTheSession(t *testing.T) {
	// The same rush from 11:05: the morning session ends at 12:00, so the
	// line stops growing then and the window works it down.
	f := newFloor(t)
	f.now = f.now.Add(2*time.Hour + 5*time.Minute)
	busyBFrom(t, f, time.Hour, "4")
	var b ServiceForecast
	for _, x := range ForecastAt(f.s, f.setup, f.now) {
		if x.Service == "B" {
			b = x
		}
	}
	// 11:30 5, 11:45 6.5, 12:00 8, then 1.5 served a quarter hour.
	if b.Steps[2].Waiting != 8 || b.Steps[3].Waiting != 6.5 || b.Steps[8].Waiting != 0 {
		t.Fatalf("B's steps %+v", b.Steps)
	}
}
