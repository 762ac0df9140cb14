package cases

import (
	"slices"
	"testing"
)

// A 容缺 case still owing materials past its SupplyBy is reported once;
// one that brought them in time, or since, is not owing.
func TestSupplyOverdueOnce(t *testing.T) {
	h := newFlowHall(t)
	open := func(days int) *Case {
		cmd := full()
		cmd.Received, cmd.Missing, cmd.Commitment, cmd.SupplyDays = []string{"m2"}, MissingTolerate, "两日内补交", days
		return h.s.Cases[h.must(t0, cmd)[0].(Opened).Case.ID]
	}
	late, kept := open(2), open(2)
	h.must(clock("2025-04-03", "10:00:00"), Supply{Case: kept.ID, Materials: []string{"m1", "m3"}, Actor: clerk})
	if evs := of[SupplyOverdue](h.due(clock("2025-04-03", "23:59:59"))); len(evs) != 0 {
		t.Fatalf("overdue on its day: %+v", evs)
	}
	evs := of[SupplyOverdue](h.due(clock("2025-04-07", "09:00:00")))
	if len(evs) != 1 || evs[0].Case.ID != late.ID || evs[0].Department != "scj" || !slices.Equal(evs[0].Missing, []string{"m1", "m3"}) ||
		!late.SupplyOwed() || kept.SupplyOwed() {
		t.Fatalf("overdue %+v", evs)
	}
	if again := of[SupplyOverdue](h.due(clock("2025-04-07", "10:00:00"))); len(again) != 0 {
		t.Fatalf("overdue twice: %+v", again)
	}
	h.must(clock("2025-04-07", "11:00:00"), Supply{Case: late.ID, Materials: []string{"m1", "m3"}, Actor: clerk})
	if late.SupplyOwed() || late.Timeline[len(late.Timeline)-2].Type != "case.supply_overdue" {
		t.Fatalf("supplied late %+v", late)
	}
}
