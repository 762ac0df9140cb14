// Package errs gives hallfloor's errors a kind, so every edge (HTTP, GPIO,
// the command line) can tell a citizen's mistake from a conflict in the hall
// or a fault of the server, and answer each the same way everywhere.
package errs

import (
	"errors"
	"fmt"
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
)

// Error is an error with a kind, a human message and, for bad input, the
// field that was wrong.
type Error struct {
	Kind    Kind
	Message string
	Field   string
	Err     error // underlying cause, if any; never shown to the caller
}

func (e *Error) Error() string {
	s := string(e.Kind) + ": " + e.Message
	if e.Field != "" {
		s += " (" + e.Field + ")"
	}
	if e.Err != nil {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// E builds an error of the given kind with a formatted message.
func E(kind Kind, format string, args ...any) *Error {
	return &Error{Kind: kind, Message: fmt.Sprintf(format, args...)}
}

// Field builds an Invalid error that names the offending field.
func Field(field, format string, args ...any) *Error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Wrap marks err as an internal failure with a message for the log.
func Wrap(err error, format string, args ...any) *Error {
	return &Error{Kind: Internal, Message: fmt.Sprintf(format, args...), Err: err}
}

// KindOf reports the kind of err; errors without one are Internal.
func KindOf(err error) Kind {
	var e *Error
	if errors.As(err, &e) {
		return e.Kind
	}
	return Internal
}

// Is reports whether err has the given kind.
func Is(kind Kind, err error) bool { return err != nil && KindOf(err) == kind }
