// Package pagetest checks the files of the hall's pages, for the tests of
// the packages that serve them: the dictionary's word lists (one per
// language, the same keys in each), the keys the pages use, and that no
// page carries words of its own or inline script and style, which the
// pages' Content-Security-Policy would refuse to run.
package pagetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"hallfloor/frontend"
)

// Langs are the dictionary's languages, in the order the file lists them:
// Chinese first.
var Langs = []string{"zh", "en"}

// Words is the dictionary: for each language its keys in file order, and
// the text of each key.
type Words struct {
	Keys map[string][]string
	Text map[string]map[string]string
}

// Has reports whether key is in the dictionary.
func (w Words) Has(key string) bool {
	_, ok := w.Text["zh"][key]
	return ok
}

// HasPrefix reports whether some key starts with prefix (a page completes
// it at run time, as in 'state.' + state).
func (w Words) HasPrefix(prefix string) bool {
	for k := range w.Text["zh"] {
		if strings.HasPrefix(k, prefix) {
			return true
		}
	}
	return false
}

// LoadWords fetches hf-words.js as the pages do, from frontend.Assets, and
// decodes it. The file must hold exactly one object of the form
// {"zh": {key: text, …}, "en": {…}}; a key given twice in a language, a
// value that is not a string or any other shape fails the test.
func LoadWords(t testing.TB) Words {
	t.Helper()
	words := loadWords(t, "/static/hf-words.js")
	// A desk page's own words, which the screens need not load, are of
	// the same dictionary: no key may be in both.
	for _, f := range DeskWords {
		more := loadWords(t, f)
		for _, lang := range Langs {
			for _, k := range more.Keys[lang] {
				if _, dup := words.Text[lang][k]; dup {
					t.Errorf("%s: %s %q is in hf-words.js too", f, lang, k)
				}
				words.Text[lang][k] = more.Text[lang][k]
				words.Keys[lang] = append(words.Keys[lang], k)
			}
		}
	}
	return words
}

// DeskWords are the words files of desk pages, each of the form of
// hf-words.js (var HF_WORDS_<PAGE> = {"zh": {…}, "en": {…}};), merged into
// the dictionary by the page's own script or by the file's last line.
var DeskWords = []string{"/static/whatif-words.js", "/static/case-words.js"}

func loadWords(t testing.TB, file string) Words {
	t.Helper()
	w := httptest.NewRecorder()
	frontend.Assets().ServeHTTP(w, httptest.NewRequest("GET", file, nil))
	if w.Code != 200 {
		t.Fatalf("GET %s: %d", file, w.Code)
	}
	words, err := ParseWords(w.Body.Bytes())
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return words
}

// ParseWords decodes the dictionary file's source.
func ParseWords(src []byte) (Words, error) {
	const decl = "var HF_WORDS"
	at := bytes.Index(src, []byte(decl))
	eq := -1
	if at >= 0 {
		eq = bytes.Index(src[at:], []byte(" = {"))
	}
	end := bytes.LastIndex(src, []byte("};"))
	if at < 0 || eq < 0 || end < at+eq {
		return Words{}, fmt.Errorf("no %q… = { … }; in the file", decl)
	}
	dec := json.NewDecoder(bytes.NewReader(src[at+eq+3 : end+1]))
	w := Words{Keys: map[string][]string{}, Text: map[string]map[string]string{}}
	delim := func(want json.Delim) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		if d, ok := tok.(json.Delim); !ok || d != want {
			return fmt.Errorf("want %q, found %v", want, tok)
		}
		return nil
	}
	if err := delim('{'); err != nil {
		return w, err
	}
	for i := 0; dec.More(); i++ {
		tok, err := dec.Token()
		if err != nil {
			return w, err
		}
		lang, _ := tok.(string)
		if i >= len(Langs) || lang != Langs[i] {
			return w, fmt.Errorf("language %d is %v; the file lists %v, in that order", i+1, tok, Langs)
		}
		if err := delim('{'); err != nil {
			return w, fmt.Errorf("%s: %w", lang, err)
		}
		text := map[string]string{}
		for dec.More() {
			tok, err := dec.Token()
			if err != nil {
				return w, fmt.Errorf("%s: %w", lang, err)
			}
			key := tok.(string) // an object's keys are strings
			var v any
			if err := dec.Decode(&v); err != nil {
				return w, fmt.Errorf("%s %q: %w", lang, key, err)
			}
			s, ok := v.(string)
			if !ok {
				return w, fmt.Errorf("%s %q: the text is %T, not a string", lang, key, v)
			}
			if _, dup := text[key]; dup {
				return w, fmt.Errorf("%s: %q is given twice", lang, key)
			}
			text[key] = s
			w.Keys[lang] = append(w.Keys[lang], key)
		}
		if err := delim('}'); err != nil {
			return w, err
		}
		w.Text[lang] = text
	}
	if err := delim('}'); err != nil {
		return w, err
	}
	if len(w.Text) != len(Langs) {
		return w, fmt.Errorf("the file has %d languages, want %v", len(w.Text), Langs)
	}
	if _, err := dec.Token(); err != io.EOF {
		return w, fmt.Errorf("text after the dictionary's object")
	}
	return w, nil
}

var placeholder = regexp.MustCompile(`\{\d+\}`)

// CheckWords fails the test unless every language has exactly the same
// keys, in the same order (so the lists read side by side), with the same
// placeholders in each text, and no key is empty in every language.
func CheckWords(t testing.TB, w Words) {
	t.Helper()
	zh := w.Keys["zh"]
	for _, lang := range Langs[1:] {
		other := w.Keys[lang]
		for _, k := range zh {
			if _, ok := w.Text[lang][k]; !ok {
				t.Errorf("%q has no %s text", k, lang)
			}
		}
		for _, k := range other {
			if _, ok := w.Text["zh"][k]; !ok {
				t.Errorf("%q has %s text but no Chinese", k, lang)
			}
		}
		if !slices.Equal(zh, other) && len(zh) == len(other) {
			for i := range zh {
				if zh[i] != other[i] {
					t.Errorf("key %d is %q in zh but %q in %s: keep the lists in the same order", i+1, zh[i], other[i], lang)
					break
				}
			}
		}
		for _, k := range zh {
			a := placeholder.FindAllString(w.Text["zh"][k], -1)
			b := placeholder.FindAllString(w.Text[lang][k], -1)
			slices.Sort(a)
			slices.Sort(b)
			if _, ok := w.Text[lang][k]; ok && !slices.Equal(slices.Compact(a), slices.Compact(b)) {
				t.Errorf("%q: zh fills %v, %s fills %v", k, a, lang, b)
			}
		}
	}
	for _, k := range zh {
		empty := true
		for _, lang := range Langs {
			empty = empty && w.Text[lang][k] == ""
		}
		if empty {
			t.Errorf("%q is empty in every language", k)
		}
	}
}

// The ways a page names a key: attributes the shell words, and the shell's
// calls. A key ending in "." is a prefix the page completes at run time.
var keyUses = []*regexp.Regexp{
	regexp.MustCompile(`data-i18n(?:-ph|-aria)?="([^"]*)"`),
	regexp.MustCompile(`'data-i18n(?:-ph|-aria)?':\s*'([^']*)'`),
	regexp.MustCompile(`HF\.(?:t|term)\(\s*'([^']*)'`),
	regexp.MustCompile(`HF\.showError\([^,()]+,\s*'([^']*)'`),
	regexp.MustCompile(`HF\.(?:t|showError)\((?:[^,()]+,)?[^'(),?]*\?\s*'([^']*)'\s*:\s*'([^']*)'`),
}

// CheckKeys fails the test for every key a page file names that the
// dictionary lacks.
func CheckKeys(t testing.TB, w Words, name string, src []byte) {
	t.Helper()
	for _, re := range keyUses {
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			for _, k := range m[1:] {
				if k == "" {
					continue
				}
				if strings.HasSuffix(k, ".") && w.HasPrefix(k) || w.Has(k) {
					continue
				}
				t.Errorf("%s names the text key %q, which hf-words.js lacks", name, k)
			}
		}
	}
}

// words reports whether s holds words a person reads: Chinese, or an
// English phrase.
var (
	capPhrase  = regexp.MustCompile(`\b[A-Z][a-z]+[ ,:;]+[A-Za-z]{2,}`)
	lowPhrase  = regexp.MustCompile(`\b[a-z]{2,} [a-z]{2,} [a-z]{2,}`)
	capWord    = regexp.MustCompile(`^\s*[A-Z][a-z]{2,}[.!?:]?\s*$`)
	protocolOK = map[string]bool{ // header names and key names, never shown
		"Accept": true, "Authorization": true, "Bearer": true, "Date": true,
		"Escape": true, "Enter": true, "Backspace": true, "Tab": true,
	}
)

func hasChinese(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef {
			return true
		}
	}
	return false
}

func english(s string) bool {
	if capPhrase.MatchString(s) || lowPhrase.MatchString(s) {
		return true
	}
	return capWord.MatchString(s) && !protocolOK[strings.TrimSpace(s)]
}

// CheckScript fails the test for each string literal in a page script that
// holds words (Chinese, or English a person would read): a page's words
// come from the dictionary, so both languages have them.
func CheckScript(t testing.TB, name string, src []byte) {
	t.Helper()
	for _, l := range Literals(string(src)) {
		if hasChinese(l.Text) || english(l.Text) {
			t.Errorf("%s:%d: %q is a word of the page's own; put it in hf-words.js and use HF.t", name, l.Line, l.Text)
		}
	}
}

// Literal is a string literal in a script, with the line it starts on.
type Literal struct {
	Text string
	Line int
}

// Literals lists the string literals of a script, skipping comments and
// regular expressions. It knows JavaScript well enough for the hall's own
// pages, not every script there is.
func Literals(src string) []Literal {
	var out []Literal
	line := 1
	prev := byte(0) // the last significant character outside strings
	word := ""      // the last identifier, to tell a regexp after return
	regexpAfter := "(,=:[!&|?{};+-*%<>~^"
	for i := 0; i < len(src); i++ {
		c := src[i]
		switch {
		case c == '\n':
			line++
		case c == ' ' || c == '\t' || c == '\r':
		case c == '/' && i+1 < len(src) && src[i+1] == '/':
			for i < len(src) && src[i] != '\n' {
				i++
			}
			line++
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			j := strings.Index(src[i+2:], "*/")
			if j < 0 {
				j = len(src) - i - 2
			}
			line += strings.Count(src[i:i+2+j], "\n")
			i += j + 3
		case c == '/' && (prev == 0 || strings.IndexByte(regexpAfter, prev) >= 0 || word == "return" || word == "typeof"):
			class := false
			for i++; i < len(src); i++ {
				if src[i] == '\\' {
					i++
				} else if src[i] == '[' {
					class = true
				} else if src[i] == ']' {
					class = false
				} else if src[i] == '/' && !class {
					break
				}
			}
			prev, word = ')', ""
		case c == '\'' || c == '"' || c == '`':
			at := line
			var b strings.Builder
			for i++; i < len(src) && src[i] != c; i++ {
				if src[i] == '\\' && i+1 < len(src) {
					i++
				}
				if src[i] == '\n' {
					line++
				}
				b.WriteByte(src[i])
			}
			out = append(out, Literal{Text: b.String(), Line: at})
			prev, word = 'x', ""
		case c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9':
			j := i
			for j < len(src) && (src[j] == '_' || src[j] == '$' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			word = src[i:j]
			prev = 'x'
			i = j - 1
		default:
			prev, word = c, ""
		}
	}
	return out
}

var (
	tagRE       = regexp.MustCompile(`<[^>]*>`)
	scriptRE    = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)
	inlineRE    = regexp.MustCompile(`(?i)<style\b|\sstyle\s*=|\son[a-z]+\s*=|javascript:`)
	attrRE      = regexp.MustCompile(`\s(aria-label|placeholder|title|alt)="([^"]*)"`)
	keyedAttr   = map[string]string{"aria-label": "data-i18n-aria", "placeholder": "data-i18n-ph"}
	wordedByHF  = regexp.MustCompile(`\sdata-(?:i18n|conn|lang-toggle)\b`)
	literalTags = regexp.MustCompile(`^<(?:code|kbd)\b`)
)

// CheckHTML fails the test for inline script or style in a page (the
// Content-Security-Policy refuses them), a page not marked as Chinese, and
// each text or label with words that the shell does not word (data-i18n
// and its kin), since it would stay Chinese in English.
func CheckHTML(t testing.TB, name string, src []byte) {
	t.Helper()
	s := string(src)
	if !strings.Contains(s, `<html lang="zh-CN">`) {
		t.Errorf("%s: no <html lang=\"zh-CN\">", name)
	}
	for _, m := range scriptRE.FindAllStringSubmatch(s, -1) {
		if !strings.Contains(m[1], "src=") || strings.TrimSpace(m[2]) != "" {
			t.Errorf("%s: inline script %.60q", name, m[0])
		}
	}
	if m := inlineRE.FindString(s); m != "" {
		t.Errorf("%s: inline style or handler %q", name, m)
	}
	last := ""
	pos := 0
	for _, loc := range tagRE.FindAllStringIndex(s, -1) {
		text := strings.TrimSpace(s[pos:loc[0]])
		inline := strings.HasPrefix(last, "<script") || strings.HasPrefix(last, "<style") // reported above
		if text != "" && !inline && (hasChinese(text) || english(text)) && !wordedByHF.MatchString(last) && !literalTags.MatchString(last) {
			t.Errorf("%s: %q after %s is not worded by the shell (data-i18n)", name, text, last)
		}
		tag := s[loc[0]:loc[1]]
		for _, a := range attrRE.FindAllStringSubmatch(tag, -1) {
			v := a[2]
			if v == "" || !hasChinese(v) && !english(v) {
				continue
			}
			if k, ok := keyedAttr[a[1]]; !ok || !strings.Contains(tag, " "+k+"=") {
				t.Errorf("%s: %s=%q in %s is not worded by the shell", name, a[1], v, tag)
			}
		}
		if !strings.HasPrefix(tag, "</") {
			last = tag
		}
		pos = loc[1]
	}
}
