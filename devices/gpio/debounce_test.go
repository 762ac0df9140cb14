package gpio

import (
	"testing"
	"time"
)

func TestDebouncer(t *testing.T) {
	const w = 30 * time.Millisecond
	type step struct {
		at     time.Duration // since the start
		active bool
	}
	tests := []struct {
		name    string
		steps   []step
		changes []bool // settled levels reported, in order
	}{
		{"clean press and release", []step{{0, true}, {30 * time.Millisecond, true}, {100 * time.Millisecond, false}, {130 * time.Millisecond, false}}, []bool{true, false}},
		{"bouncing press is one press", []step{
			{0, true}, {2 * time.Millisecond, false}, {3 * time.Millisecond, true}, {5 * time.Millisecond, false},
			{6 * time.Millisecond, true}, {20 * time.Millisecond, true}, {36 * time.Millisecond, true}, {50 * time.Millisecond, true},
		}, []bool{true}},
		{"tap shorter than the window is ignored", []step{{0, true}, {20 * time.Millisecond, false}, {60 * time.Millisecond, false}, {200 * time.Millisecond, false}}, nil},
		{"held key does not repeat", []step{{0, true}, {30 * time.Millisecond, true}, {time.Second, true}, {10 * time.Second, true}, {time.Minute, true}}, []bool{true}},
		{"second press within the window is no second press", []step{
			{0, true}, {30 * time.Millisecond, true}, // pressed
			{40 * time.Millisecond, false}, {50 * time.Millisecond, true}, // let go and pressed again at once
			{90 * time.Millisecond, true}, {200 * time.Millisecond, false}, {230 * time.Millisecond, false},
		}, []bool{true, false}},
		{"a new press after a settled release counts", []step{
			{0, true}, {30 * time.Millisecond, true}, {40 * time.Millisecond, false}, {70 * time.Millisecond, false},
			{80 * time.Millisecond, true}, {110 * time.Millisecond, true},
		}, []bool{true, false, true}},
	}
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d := newDebouncer(w, false)
			var got []bool
			for _, s := range tc.steps {
				if level, changed := d.sample(s.active, start.Add(s.at)); changed {
					got = append(got, level)
				}
			}
			if len(got) != len(tc.changes) {
				t.Fatalf("settled changes %v, want %v", got, tc.changes)
			}
			for i := range got {
				if got[i] != tc.changes[i] {
					t.Fatalf("settled changes %v, want %v", got, tc.changes)
				}
			}
		})
	}
}

func TestDebouncerDeadline(t *testing.T) {
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	d := newDebouncer(30*time.Millisecond, false)
	if _, ok := d.deadline(); ok {
		t.Fatal("a settled input has no deadline")
	}
	d.sample(true, start)
	if dl, ok := d.deadline(); !ok || !dl.Equal(start.Add(30*time.Millisecond)) {
		t.Fatalf("deadline %v %v, want start+30ms", dl, ok)
	}
}
