// Package errs gives hallfloor's errors a kind and a reason, so every edge
// (HTTP, GPIO, the command line) can tell a citizen's mistake from a
// conflict in the hall or a fault of the server, answer each the same way
// everywhere, and word it for a person in their language.
//
// An error is built from typed parts: the kind says what the caller can do
// (and maps to one HTTP status), the reason is a stable code with its
// arguments (window_paused{window: 3}) that package display words in
// Chinese and English, the field names the input that was wrong. No
// sentence made here reaches a person; Detail is for the log.
package errs

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Kind classifies an error by what the caller can do about it.
type Kind string

// The kinds map one to one onto HTTP statuses in package server.
const (
	Internal     Kind = "internal"     // our fault; the caller can only retry later
	Invalid      Kind = "invalid"      // the request is malformed or breaks a rule
	NotFound     Kind = "not_found"    // the thing named does not exist
	Conflict     Kind = "conflict"     // the hall is not in a state that allows it
	Unauthorized Kind = "unauthorized" // who is asking is unknown
	Forbidden    Kind = "forbidden"    // who is asking may not do this
	Busy         Kind = "busy"         // too much from this caller now; retry after a while
	Unavailable  Kind = "unavailable"  // no node can write the hall now; retry, here or at another node
)

// Error is an error with a kind, a reason and its arguments, and, for bad
// input, the field that was wrong.
type Error struct {
	Kind Kind
	// Reason is the stable code of what went wrong, e.g. "window_paused";
	// Args are its named arguments, e.g. {"window": "3"}.
	Reason string
	Args   map[string]string
	Field  string
	// Detail says more for the log; it is never shown to a person.
	Detail string
	Err    error // underlying cause, if any; never shown to the caller
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(string(e.Kind))
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
		if len(e.Args) > 0 {
			b.WriteByte('{')
			for i, k := range slices.Sorted(maps.Keys(e.Args)) {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(k + ":" + e.Args[k])
			}
			b.WriteByte('}')
		}
	}
	if e.Field != "" {
		b.WriteString(" (" + e.Field + ")")
	}
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// R builds an error of a kind for a reason, with its arguments as name,
// value pairs: R(Conflict, "window_paused", "window", "3").
func R(kind Kind, reason string, args ...any) *Error {
	e := &Error{Kind: kind, Reason: reason}
	if len(args) > 0 {
		e.Args = make(map[string]string, len(args)/2)
		for i := 0; i+1 < len(args); i += 2 {
			e.Args[fmt.Sprint(args[i])] = fmt.Sprint(args[i+1])
		}
	}
	return e
}

// Bad builds an Invalid error that names the offending field.
func Bad(field, reason string, args ...any) *Error {
	e := R(Invalid, reason, args...)
	e.Field = field
	return e
}

// OnField names the input field an error is about.
func (e *Error) OnField(field string) *Error {
	e.Field = field
	return e
}

// Wrap marks err as an internal failure with a detail for the log.
func Wrap(err error, format string, args ...any) *Error {
	return &Error{Kind: Internal, Reason: "internal", Detail: fmt.Sprintf(format, args...), Err: err}
}

// Internalf is an internal failure that has no cause beyond itself: a bug,
// or the hall shutting down.
func Internalf(reason, format string, args ...any) *Error {
	return &Error{Kind: Internal, Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// As finds the *Error in err's chain.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// KindOf reports the kind of err; errors without one are Internal.
func KindOf(err error) Kind {
	if e, ok := As(err); ok {
		return e.Kind
	}
	return Internal
}

// ReasonOf reports the reason code of err, or "" for an error without one.
func ReasonOf(err error) string {
	if e, ok := As(err); ok {
		return e.Reason
	}
	return ""
}

// Is reports whether err has the given kind.
func Is(kind Kind, err error) bool { return err != nil && KindOf(err) == kind }
