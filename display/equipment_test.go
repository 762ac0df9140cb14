package display

import (
	"testing"

	"hallfloor/equipment"
)

// Every reason a device's report may give is worded in both languages, and
// the words name the pin and the detail the report carries.
func TestEveryDeviceFindingIsWorded(t *testing.T) {
	for _, r := range equipment.Reasons {
		w, ok := findingWords[r]
		if !ok || w.ZH == "" || w.EN == "" {
			t.Errorf("device reason %q has no words", r)
		}
	}
	got := Finding(equipment.Finding{Reason: equipment.PinUndrivable, Pin: "GPIO24", Detail: "on: i2c: remote I/O error"})
	if got.ZH != "无法驱动引脚 GPIO24：on: i2c: remote I/O error" || got.EN != "Pin GPIO24 cannot be driven: on: i2c: remote I/O error" {
		t.Errorf("an undrivable pin is worded %+v", got)
	}
	if got := Finding(equipment.Finding{Reason: equipment.DoorNotOpened, Detail: "2s"}); got.ZH != "开锁脉冲后 2s 内柜门未打开" {
		t.Errorf("a door that did not open is worded %+v", got)
	}
	// A report journaled before reasons were given shows as it was.
	if got := Finding(equipment.Finding{Detail: "柜门已关闭 (door closed)"}); got.ZH != "柜门已关闭 (door closed)" {
		t.Errorf("an old report is worded %+v", got)
	}
}
