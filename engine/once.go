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
//
// The stored key begins with the seq it was answered at, in sixteen hex
// digits, so that the journal's index of keys grows at its end as the
// events' does: the keys themselves are digests, and a batch of answers
// filed under them landed on as many pages of that index, each written to
// the journal's log and then to its file again, for every commit (two
// fifths of an append's CPU). The same key answered again after a day is a
// second entry; the later one is the one loaded, and the earlier goes when
// its day is forgotten. Keys stored before have no seq.
const fpSep = "\n"

func joinKey(seq uint64, key, fp string) string {
	var b strings.Builder
	b.Grow(16 + len(fpSep) + len(key) + len(fpSep) + len(fp))
	var n [16]byte
	for i := range n {
		n[i] = "0123456789abcdef"[seq>>(60-4*i)&0xf]
	}
	b.Write(n[:])
	b.WriteString(fpSep)
	b.WriteString(key)
	b.WriteString(fpSep)
	b.WriteString(fp)
	return b.String()
}

// splitKey reads a stored key: seq, key and fingerprint, or, as stored
// before the seq led it, key and fingerprint, or the key alone.
func splitKey(stored string) (key, fp string) {
	if strings.Count(stored, fpSep) == 2 {
		_, stored, _ = strings.Cut(stored, fpSep)
	}
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
