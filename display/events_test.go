package display

import (
	"slices"
	"strings"
	"testing"

	"hallfloor/room"
)

// Every event a ticket's or a window's trail shows has a name in both
// languages, and every name is of an event the hall journals.
func TestEventsOfTheTrailAreNamed(t *testing.T) {
	types := room.Types()
	for typ := range eventNames {
		if !slices.Contains(types, typ) {
			t.Errorf("%q is named but the hall journals no such event", typ)
		}
	}
	for _, typ := range types {
		room, _, _ := strings.Cut(typ, ".")
		switch room {
		case "ticket", "window", "rating", "followup", "overtime", "issuing", "day", "staff", "consult", "booking", "case":
			if w, ok := eventNames[typ]; !ok || w.ZH == "" || w.EN == "" {
				t.Errorf("event %q has no name for the trail", typ)
			}
		}
	}
	if w := EventName("overtime.started"); w.ZH != "延时服务开始" {
		t.Errorf("overtime is named %q; the hall calls it 延时服务", w.ZH)
	}
}
