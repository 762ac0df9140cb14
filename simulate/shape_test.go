package simulate

import "testing"

func TestShapeFollowsTheProfile(t *testing.T) {
	p, err := LoadProfile("normal")
	if err != nil {
		t.Fatal(err)
	}
	s := p.Shape([]string{"B", "X"})
	b := s["B"]
	// 09:00 a factor of 1.0, 10:00 1.4; nothing before the opening or
	// after issuing stops at 17:00; an unnamed service has the default.
	if len(b) != 96 || b[35] != 0 || b[36] != 1.2 || b[40] != 1.2*1.4 || b[68] != 0 || s["X"][36] != 1.5 {
		t.Fatalf("B %v, X %v", b, s["X"])
	}
}
