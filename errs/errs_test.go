package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestKinds(t *testing.T) {
	base := errors.New("disk full")
	tests := []struct {
		err  error
		kind Kind
	}{
		{E(Conflict, "window %s is closed", "3"), Conflict},
		{Field("service", "no service %q", "X"), Invalid},
		{Wrap(base, "append"), Internal},
		{fmt.Errorf("while calling: %w", E(NotFound, "no ticket")), NotFound},
		{base, Internal},
	}
	for _, tt := range tests {
		if got := KindOf(tt.err); got != tt.kind {
			t.Errorf("KindOf(%v) = %s, want %s", tt.err, got, tt.kind)
		}
		if !Is(tt.kind, tt.err) {
			t.Errorf("Is(%s, %v) = false", tt.kind, tt.err)
		}
	}
	if Is(Invalid, nil) {
		t.Error("nil has no kind")
	}
	if !errors.Is(Wrap(base, "append"), base) {
		t.Error("a wrapped error unwraps to its cause")
	}
	f := Field("phone", "bad")
	if f.Field != "phone" || f.Error() != "invalid: bad (phone)" {
		t.Errorf("Field error = %q %q", f.Field, f.Error())
	}
}
