package queue

import "time"

// PriorityByAge is the reason of a number made priority for its holder's
// age.
const PriorityByAge = "age"

// ByAge reports whether a number taken with a card read is a priority
// number for its holder's age: the hall's PriorityAge reached on the
// hall's date. Only a card read counts: a number typed in could be
// anyone's, so it proves nobody's age.
func ByAge(setup *Setup, card *Card, now time.Time) bool {
	if card == nil || setup.PriorityAge <= 0 || card.Birth.IsZero() {
		return false
	}
	return Age(card.Birth, now.In(setup.Location)) >= setup.PriorityAge
}

// Age is the age in whole years on the date of on of someone born on
// the civil date of birth. Born on 29 February, one is a year older on
// 1 March in a common year.
func Age(birth, on time.Time) int {
	by, bm, bd := birth.Date()
	y, m, d := on.Date()
	age := y - by
	if m < bm || (m == bm && d < bd) {
		age--
	}
	return age
}
