package keyed

import (
	"bytes"
	"testing"
)

func TestKeyedHashes(t *testing.T) {
	k1, k2 := []byte("hall one"), []byte("hall two")
	id := "110105194912310021"
	if a, b := Hex(k1, id), Hex(k1, id); a != b {
		t.Fatal("the same value hashed twice differs")
	}
	if Hex(k1, "110105194912310021") == Hex(k2, "110105194912310021") {
		t.Fatal("two halls' keys give the same hash")
	}
	if len(Hex(k1, "x")) != 32 {
		t.Fatalf("Hex is %d characters", len(Hex(k1, "x")))
	}
	if URL(k1, "ab", "c") != URL(k1, "a", "bc") {
		t.Fatal("parts are one message, written in order")
	}
	if bytes.Equal(Derive(k1, "token"), Derive(k1, "id-number")) {
		t.Fatal("two labels derive one key")
	}
}
