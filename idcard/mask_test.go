package idcard

import (
	"testing"
	"time"
)

// A page or a device shows the region and the last four, never the birth
// date; anything not an ID number shows as stars.
func TestMask(t *testing.T) {
	if got := Mask(" 11010519491231002x "); got != "110105********002X" {
		t.Fatalf("Mask = %q", got)
	}
	if got := Mask("1234"); got != "****" {
		t.Fatalf("Mask of a short number = %q", got)
	}
}

func TestBirth(t *testing.T) {
	b, err := Birth(withCheck("11010519560229001"))
	if err != nil || !b.Equal(time.Date(1956, 2, 29, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("Birth = %v, %v", b, err)
	}
	if _, err := Birth("11010519491231002" + wrongCheck('X')); err == nil {
		t.Fatal("Birth of an invalid number")
	}
}
