package uploads

import (
	"bytes"
	"mime"
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// sniffLen is how much of the start of a file its type is judged by: what
// net/http.DetectContentType looks at.
const sniffLen = 512

// magic is the signature each strictly checked type must start with.
// DetectContentType follows the WHATWG sniffing table, which may grow
// lenient rules (it already skips leading white space for HTML and XML);
// a file the back office will open in a browser must be what it says
// from its first byte, whatever a later Go does.
var magic = map[string][]byte{
	"image/jpeg":      {0xFF, 0xD8, 0xFF},
	"image/png":       {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'},
	"application/pdf": []byte("%PDF-"),
}

// detect judges a file's MIME type by its first bytes, without
// parameters. A type with a signature whose signature is missing is
// reported as unknown, so an executable renamed .jpg, or a script that
// merely mentions %PDF-, is not taken for an image or a PDF.
func detect(head []byte) string {
	t, _, err := mime.ParseMediaType(http.DetectContentType(head))
	if err != nil {
		return "application/octet-stream"
	}
	if sig, ok := magic[t]; ok && !bytes.HasPrefix(head, sig) {
		return "application/octet-stream"
	}
	return t
}

// shortType words a MIME type for the refusal a person reads.
func shortType(t string) string {
	switch t {
	case "image/jpeg":
		return "JPEG"
	case "image/png":
		return "PNG"
	case "application/pdf":
		return "PDF"
	}
	return t
}

// goodName admits a name to show beside the file: a base name, no path
// (no separator of any system, no ".."), no control characters and no
// bidirectional controls (which can show "gpj.exe" as "exe.jpg"), valid
// UTF-8 and at most maxNameRunes characters. An empty name is allowed: the
// name is only for display.
func goodName(name string) bool {
	if !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxNameRunes {
		return false
	}
	if strings.ContainsAny(name, `/\`) || strings.Contains(name, "..") {
		return false
	}
	for _, r := range name {
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			return false
		}
	}
	return true
}
