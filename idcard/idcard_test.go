package idcard

import (
	"testing"

	"hallfloor/errs"
)

// withCheck completes 17 digits with their check character, computed here
// independently of the package: the weighted sum mod 11 indexes "10X98765432".
func withCheck(first17 string) string {
	w := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i, c := range first17 {
		sum += int(c-'0') * w[i]
	}
	return first17 + string("10X98765432"[sum%11])
}

func wrongCheck(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}

func TestValidate(t *testing.T) {
	good := withCheck("11010519491231002")
	tests := []struct {
		name string
		id   string
		ok   bool
	}{
		{"valid", good, true},
		{"valid with spaces around", " " + withCheck("44030419800101001") + " ", true},
		{"lower-case check x", "11010519491231002x", true},
		{"GB 11643 example", "11010519491231002X", true},
		{"wrong check character", good[:17] + wrongCheck(good[17]), false},
		{"too short", "1101051949123100", false},
		{"letters in the body", "1101051949A231002X", false},
		{"13th month", withCheck("11010519491331002"), false},
		{"30 February", withCheck("11010519490230002"), false},
	}
	for _, tt := range tests {
		err := Validate(tt.id)
		if (err == nil) != tt.ok {
			t.Errorf("%s: Validate(%q) = %v, want ok=%v", tt.name, tt.id, err, tt.ok)
		}
		if err != nil {
			if e, ok := err.(*errs.Error); !ok || e.Kind != errs.Invalid || e.Field != "id_number" {
				t.Errorf("%s: error %#v should be invalid on field id_number", tt.name, err)
			}
		}
	}
}

func TestProtect(t *testing.T) {
	key := []byte("hall key")
	a := Protect(key, "11010519491231002x")
	if a != Protect(key, " 11010519491231002X") {
		t.Error("the same number, typed differently, must protect the same")
	}
	if a == Protect([]byte("other key"), "11010519491231002X") {
		t.Error("another hall's key must give another hash")
	}
	if a == Protect(key, "11010519491231003X") {
		t.Error("different numbers gave the same hash")
	}
	if len(a) != 32 {
		t.Errorf("hash length %d", len(a))
	}
}
