package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindsAndReasonsSurviveWrapping(t *testing.T) {
	base := errors.New("disk full")
	tests := []struct {
		err    error
		kind   Kind
		reason string
	}{
		{R(Conflict, "window_closed", "window", "3"), Conflict, "window_closed"},
		{Bad("service", "no_service", "service", "X"), Invalid, "no_service"},
		{Wrap(base, "append"), Internal, "internal"},
		{fmt.Errorf("while calling: %w", R(NotFound, "no_ticket")), NotFound, "no_ticket"},
		{base, Internal, ""},
	}
	for _, tt := range tests {
		if got := KindOf(tt.err); got != tt.kind {
			t.Errorf("KindOf(%v) = %s, want %s", tt.err, got, tt.kind)
		}
		if !Is(tt.kind, tt.err) {
			t.Errorf("Is(%s, %v) = false", tt.kind, tt.err)
		}
		if got := ReasonOf(tt.err); got != tt.reason {
			t.Errorf("ReasonOf(%v) = %q, want %q", tt.err, got, tt.reason)
		}
	}
	if Is(Invalid, nil) {
		t.Error("nil has no kind")
	}
	if !errors.Is(Wrap(base, "append"), base) {
		t.Error("a wrapped error unwraps to its cause")
	}
	f := Bad("phone", "bad_phone")
	if f.Field != "phone" || f.Error() != "invalid: bad_phone (phone)" {
		t.Errorf("Bad error = %q %q", f.Field, f.Error())
	}
	if got := R(Conflict, "window_paused", "window", 3).Error(); got != "conflict: window_paused{window:3}" {
		t.Errorf("Error() = %q", got)
	}
}
