package engine

import (
	"slices"
	"testing"
)

// A stored key gives back the request's key and fingerprint, whether it
// was stored with its seq or before the seq led it; and stored keys sort
// as their seqs do, whatever the keys, so the journal's index of them
// grows at its end.
func TestStoredKeys(t *testing.T) {
	for _, c := range []struct{ stored, key, fp string }{
		{joinKey(7, "scope-digest", "request-digest"), "scope-digest", "request-digest"},
		{joinKey(1<<40, "kiosk-1", ""), "kiosk-1", ""},
		{"scope-digest\nrequest-digest", "scope-digest", "request-digest"}, // stored before the seq
		{"kiosk-1", "kiosk-1", ""},
	} {
		if key, fp := splitKey(c.stored); key != c.key || fp != c.fp {
			t.Errorf("splitKey(%q) = %q, %q; want %q, %q", c.stored, key, fp, c.key, c.fp)
		}
	}
	var stored []string
	for i, key := range []string{"ffff", "0000", "8888", "1111"} {
		stored = append(stored, joinKey(uint64(9+i*7), key, "fp"))
	}
	if !slices.IsSorted(stored) {
		t.Errorf("stored keys out of their seqs' order: %q", stored)
	}
}
