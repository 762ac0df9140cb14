package archive

import (
	"bytes"
	"encoding/json"
	"strings"
)

// personalKeys are the fields, in any event's payload at any depth, that
// name or identify an applicant: the keyed hashes of an ID number and of
// its last six (id_hash, tail_hash, and a wrong try's who), a phone
// number, and a sealed message, whose text holds the recipient. What
// counts (types, times, windows, services, numbers, levels, clerks) is in
// other fields and stays.
var personalKeys = map[string]bool{
	"id_hash":   true,
	"tail_hash": true,
	"phone":     true,
	"sealed":    true,
}

// lockerPersonal are the fields that are personal in the lockers' events
// only: there "name" is the applicant's (an item's holder, a receipt's
// signatory) and "who" the hash of the ID a wrong try was made for;
// elsewhere a name is a service's or a level's.
var lockerPersonal = map[string]bool{"name": true, "who": true}

// casePersonal are the fields personal in the cases' events: the
// applicant's name, the signature a result was collected against, the
// words of a 容缺 commitment, a postal address and its recipient.
var casePersonal = map[string]bool{"name": true, "signature": true, "commitment": true, "address": true, "recipient": true}

// Scrub returns an event's payload without the applicant's personal data,
// and whether anything was removed; a payload without any comes back as
// it was, byte for byte.
func Scrub(typ string, data []byte) ([]byte, bool) {
	var v any
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber() // numbers come back exactly as they were written
	if err := d.Decode(&v); err != nil {
		return data, false // not JSON: nothing this build can read to erase
	}
	var room map[string]bool
	switch {
	case strings.HasPrefix(typ, "locker."):
		room = lockerPersonal
	case strings.HasPrefix(typ, "case."):
		room = casePersonal
	}
	if !strip(v, room) {
		return data, false
	}
	out, err := json.Marshal(v)
	if err != nil {
		return data, false
	}
	return out, true
}

// strip removes the personal fields from v in place: those of every room,
// and those of the event's own (room, nil for none).
func strip(v any, room map[string]bool) bool {
	changed := false
	switch x := v.(type) {
	case map[string]any:
		for k, c := range x {
			if personalKeys[k] || room[k] {
				delete(x, k)
				changed = true
				continue
			}
			changed = strip(c, room) || changed
		}
	case []any:
		for _, c := range x {
			changed = strip(c, room) || changed
		}
	}
	return changed
}
