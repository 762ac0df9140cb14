package devices

import (
	"reflect"
	"testing"

	"hallfloor/equipment"
	"hallfloor/locker"
	"hallfloor/queue"
	"hallfloor/rating"
)

// Every command the devices issue survives the trip to the leader as it
// was; any other command is not taken.
func TestDeviceCommandsTravel(t *testing.T) {
	for _, cmd := range []any{
		queue.PressKey{Window: "3", Key: "call"},
		locker.DoorChanged{Comp: locker.Key("L1", "03"), Open: true},
		equipment.Report{Device: "locker:L1:03", Kind: equipment.Fault, Finding: equipment.Finding{Reason: "pin_unreadable", Pin: "gpio17", Detail: "EIO"}},
		rating.PressLevel{Window: "2", Level: 5},
	} {
		b, err := EncodeCommand(cmd)
		if err != nil {
			t.Fatal(err)
		}
		got, err := DecodeCommand(b)
		if err != nil || !reflect.DeepEqual(got, cmd) {
			t.Fatalf("%T: got %#v, %v from %s", cmd, got, err, b)
		}
	}
	if _, err := EncodeCommand(queue.CallNext{Window: "1"}); err == nil {
		t.Fatal("a clerk's command passed as a device's")
	}
	if _, err := DecodeCommand([]byte(`{"kind":"queue.CallNext","command":{"Window":"1"}}`)); err == nil {
		t.Fatal("a clerk's command taken as a device's")
	}
}
