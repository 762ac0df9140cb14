package engine

import (
	"context"
	"strings"

	"hallfloor/errs"
	"hallfloor/hall"
	"hallfloor/journal"
)

// Once makes a command idempotent. Key names the request (the edge scopes
// it to the caller); Fingerprint is a digest of what the request asked. A
// repeat of the key with the same fingerprint within a day gets the first
// answer and changes nothing; with another fingerprint it is refused as
// idempotency_key_reused, so a key sent again with a different body can
// neither be mistaken for a retry nor fetch someone else's answer.
type Once struct {
	Key         string
	Fingerprint string
}

// DoOnce is Do with a fingerprinted key.
func (e *Engine) DoOnce(ctx context.Context, cmd hall.Command, once Once, reply ReplyFunc) Result {
	return e.submit(ctx, &request{ctx: ctx, cmd: cmd, key: once.Key, fp: once.Fingerprint, reply: reply, done: make(chan Result, 1)})
}

// answered is an idempotent answer as the writer remembers it.
type answered struct {
	journal.Reply
	fp string
}

// The journal keeps an answer under one key; the engine stores the
// request's key and fingerprint in it together, so the fingerprint is as
// durable as the answer and a restart matches repeats on both. A newline
// cannot occur in an HTTP header, so it cannot occur in a key.
const fpSep = "\n"

func joinKey(key, fp string) string {
	if fp == "" {
		return key
	}
	return key + fpSep + fp
}

func splitKey(stored string) (key, fp string) {
	if i := strings.LastIndex(stored, fpSep); i >= 0 {
		return stored[:i], stored[i+len(fpSep):]
	}
	return stored, ""
}

// repeat is how the writer answers a request whose key it has answered
// before: the first answer, or the refusal of a reused key.
func repeat(rep answered, fp string) (body []byte, err error) {
	if rep.fp != fp {
		return nil, errs.R(errs.Conflict, "idempotency_key_reused")
	}
	return rep.Body, nil
}
