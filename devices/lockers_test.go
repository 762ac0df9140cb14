package devices

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"periph.io/x/conn/v3/gpio"

	"hallfloor/config"
	"hallfloor/engine"
	"hallfloor/journal/sqlite"
	"hallfloor/locker"
	"hallfloor/room"
)

// The hall stopped while a pickup's door stood open, and the applicant shut
// it while the hall was down. On start the devices report each door as the
// sensor sees it, so the lockers complete the pickup; a door found open
// with nothing released is an alarm.
func TestDoorsReportedOnStart(t *testing.T) {
	hall, err := config.Parse([]byte(testHall))
	if err != nil {
		t.Fatal(err)
	}
	j, err := sqlite.Open(filepath.Join(t.TempDir(), "hall.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	eng, err := engine.Open(ctx, engine.Options{Setup: hall.Setup(), Journal: j})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan room.Event, 100)
	eng.Subscribe(func(_ *hall.State, evs []room.Event) {
		for _, ev := range evs {
			events <- ev
		}
	})
	m, err := New(Options{Devices: hall.Devices, Hall: eng, Sim: true, Poll: 5 * time.Millisecond, Tick: 2 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	engDone := make(chan struct{})
	go func() { eng.Run(ctx); close(engDone) }()
	defer func() { cancel(); <-engDone }()

	// What the journal holds: an item stored in 01, its pickup released and
	// the door seen open; nothing about 02.
	item := locker.Item{Case: "C1", What: "证照", IDHash: "id", CodeHash: "k", Clerk: "1001"}
	for _, cmd := range []locker.Command{
		locker.Deposit{Size: locker.Small, Item: item},
		locker.DoorChanged{Comp: "L1/01", Open: true},
		locker.DoorChanged{Comp: "L1/01", Open: false},
		locker.Pickup{Bank: "L1", Who: "id", CodeHash: "k"},
		locker.DoorChanged{Comp: "L1/01", Open: true},
	} {
		if res := eng.Do(ctx, cmd, "", nil); res.Err != nil {
			t.Fatal(res.Err)
		}
	}
	for len(events) > 0 {
		<-events
	}
	// The sensors now: 01 shut, 02 (a medium) open.
	if err := m.Sim().Drive("GPIO12", gpio.High); err != nil {
		t.Fatal(err)
	}
	m.mu.Lock()
	for _, in := range m.inputs {
		if in.ref.Pin.Name == "GPIO12" {
			in.deb = newDebouncer(m.window, true) // as found at start
		}
	}
	m.mu.Unlock()
	devDone := make(chan struct{})
	go func() { m.Run(ctx); close(devDone) }()
	defer func() { cancel(); <-devDone }()

	seen := map[string]string{}
	deadline := time.After(10 * time.Second)
	for seen["L1/01"] == "" || seen["L1/02"] == "" {
		select {
		case ev := <-events:
			switch p := ev.Data.(type) {
			case locker.PickedUp:
				seen[p.Comp] = ev.Data.Type()
			case locker.Alarm:
				seen[p.Comp] = ev.Data.Type()
			}
		case <-deadline:
			t.Fatalf("after start the lockers heard %v", seen)
		}
	}
	if seen["L1/01"] != "locker.picked_up" || seen["L1/02"] != "locker.alarm" {
		t.Fatalf("after start: %v", seen)
	}
}
