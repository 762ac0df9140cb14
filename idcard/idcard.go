// Package idcard checks Chinese resident ID numbers (居民身份证号码, GB 11643)
// and turns them into a protected form, so the hall can enforce one waiting
// ticket per person without ever storing the number itself.
package idcard

import (
	"strings"
	"time"

	"hallfloor/errs"
	"hallfloor/keyed"
)

var weights = [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}

const checkDigits = "10X98765432"

// Normalize upper-cases the check letter and trims spaces.
func Normalize(id string) string { return strings.ToUpper(strings.TrimSpace(id)) }

// Validate checks an 18-character ID number: digits, a real birth date and
// the ISO 7064 MOD 11-2 check character. The message says which part is
// wrong, because a citizen at a kiosk can fix a typo only if told where.
func Validate(id string) error {
	id = Normalize(id)
	if len(id) != 18 {
		return errs.Bad("id_number", "id_length", "count", len([]rune(id)))
	}
	sum := 0
	for i := 0; i < 17; i++ {
		c := id[i]
		if c < '0' || c > '9' {
			return errs.Bad("id_number", "id_digit", "pos", i+1)
		}
		sum += int(c-'0') * weights[i]
	}
	if _, err := time.Parse("20060102", id[6:14]); err != nil {
		return errs.Bad("id_number", "id_birth_date", "date", id[6:14])
	}
	if id[17] != checkDigits[sum%11] {
		return errs.Bad("id_number", "id_check")
	}
	return nil
}

// Protect returns a keyed hash of the ID number: equal for the same person,
// useless to anyone without the hall's key.
func Protect(key []byte, id string) string {
	return keyed.Hex(key, Normalize(id))
}

// Mask shows an ID number as a page or a device may: the region's six
// digits and the last four, the birth date hidden (110101********123X).
func Mask(id string) string {
	id = Normalize(id)
	if len(id) != 18 {
		return "******************"[:min(len(id), 18)]
	}
	return id[:6] + "********" + id[14:]
}

// Birth is the birth date an ID number carries, as a civil date at UTC
// midnight; the number must be valid.
func Birth(id string) (time.Time, error) {
	if err := Validate(id); err != nil {
		return time.Time{}, err
	}
	return time.Parse("20060102", Normalize(id)[6:14])
}
