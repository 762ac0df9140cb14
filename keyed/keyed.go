// Package keyed is the hall's one keyed hash (HMAC-SHA256): protected ID
// numbers, pickup codes, holder keys, sign-in tokens and the keys derived
// from the hall's secret are all made here, so there is one construction to
// review and one place to change it.
package keyed

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// Sum is the keyed hash of the parts, written one after another.
func Sum(key []byte, parts ...string) []byte {
	m := hmac.New(sha256.New, key)
	for _, p := range parts {
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}

// Hex is the keyed hash of v as 32 hex digits (128 bits): what the hall
// stores in place of an ID number or a code, and compares.
func Hex(key []byte, v string) string { return hex.EncodeToString(Sum(key, v))[:32] }

// URL is the keyed hash of the parts in URL-safe base64, the whole of it.
func URL(key []byte, parts ...string) string {
	return base64.RawURLEncoding.EncodeToString(Sum(key, parts...))
}

// Derive is a key for one use, derived from the hall's secret by a label,
// so a key leaked from one use opens nothing else.
func Derive(secret []byte, label string) []byte { return Sum(secret, label) }
