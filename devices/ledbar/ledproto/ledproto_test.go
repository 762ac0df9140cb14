package ledproto

import (
	"bytes"
	"slices"
	"testing"

	"hallfloor/errs"
)

// A SHOW goes out as the bar's number and its lines in the controller's
// encoding, and a controller reads back exactly what was sent.
func TestShowRoundTrip(t *testing.T) {
	req := Request{Verb: Show, Bar: 3, Lines: []string{"A001号请到1号", "窗口"}}
	for _, enc := range []Encoding{GB18030, UTF8} {
		b, err := req.Encode(enc)
		if err != nil {
			t.Fatalf("%s: %v", enc.Name, err)
		}
		if !bytes.HasPrefix(b, []byte("SHOW 3 A001")) || !bytes.HasSuffix(b, []byte("\r\n")) {
			t.Fatalf("%s: %q", enc.Name, b)
		}
		got, err := ParseRequest(b, enc)
		if err != nil || got.Verb != Show || got.Bar != 3 || !slices.Equal(got.Lines, req.Lines) {
			t.Fatalf("%s: read back %+v, %v", enc.Name, got, err)
		}
	}
}

// In GB18030 号 is the two bytes BA C5, as the controllers' fonts index it,
// and the lines are split by a TAB.
func TestShowInGB18030(t *testing.T) {
	b, err := Request{Verb: Show, Bar: 12, Lines: []string{"1号", "暂停"}}.Encode(GB18030)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte("SHOW 12 1\xba\xc5\t\xd4\xdd\xcd\xa3\r\n")
	if !bytes.Equal(b, want) {
		t.Fatalf("got % x, want % x", b, want)
	}
}

// A control character in the text cannot end the line or split it.
func TestShowControlCharactersBecomeSpaces(t *testing.T) {
	b, err := Request{Verb: Show, Bar: 1, Lines: []string{"A\r\nB\tC"}}.Encode(UTF8)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "SHOW 1 A  B C\r\n" {
		t.Fatalf("%q", b)
	}
}

func TestRequestRefused(t *testing.T) {
	for name, req := range map[string]Request{
		"bar 0":    {Verb: Show, Bar: 0, Lines: []string{"x"}},
		"bar 256":  {Verb: Show, Bar: 256, Lines: []string{"x"}},
		"verb":     {Verb: "BLINK", Bar: 1},
		"too long": {Verb: Show, Bar: 1, Lines: []string{string(bytes.Repeat([]byte("号"), 300))}},
	} {
		if _, err := req.Encode(GB18030); !errs.Is(errs.Invalid, err) {
			t.Errorf("%s: encoded, err %v", name, err)
		}
	}
}

func TestParseRequest(t *testing.T) {
	if r, err := ParseRequest([]byte("PING\r\n"), GB18030); err != nil || r.Verb != Ping {
		t.Fatalf("PING: %+v %v", r, err)
	}
	for _, line := range []string{"PING now\r\n", "SHOW\r\n", "SHOW x hi\r\n", "SHOW 0 hi\r\n", "SHOW 3\r\n", "LIGHT 3 hi\r\n", "\r\n"} {
		if r, err := ParseRequest([]byte(line), GB18030); err == nil {
			t.Errorf("%q read as %+v", line, r)
		}
	}
	e, _ := errs.As(func() error { _, err := ParseRequest([]byte("SHOW 1 \xff\xfe\xfd\r\n"), UTF8); return err }())
	if e == nil || e.Field != "text" {
		t.Fatalf("bad UTF-8 text: %v", e)
	}
}

func TestAnswers(t *testing.T) {
	for _, a := range []Answer{{OK: true}, {OK: true, Detail: "ledsim 1.0"}, {Reason: ErrNoBar}, {Reason: ErrBusy, Detail: "updating fonts"}} {
		got, err := ParseAnswer(a.Encode())
		if err != nil || got != a {
			t.Errorf("%+v read back as %+v, %v", a, got, err)
		}
	}
	if string(Answer{Reason: ErrNoBar, Detail: "bar 9"}.Encode()) != "ERR no_bar bar 9\r\n" {
		t.Error("ERR encoded wrong")
	}
	for _, line := range []string{"", "ok", "ERR", "ERR \r\n", "YES\r\n", "OK\xff\r\n"} {
		if a, err := ParseAnswer([]byte(line)); err == nil {
			t.Errorf("%q read as %+v", line, a)
		}
	}
}

func TestParseEncoding(t *testing.T) {
	for name, want := range map[string]string{"": "GB18030", "gb18030": "GB18030", "UTF-8": "UTF-8", "utf8": "UTF-8"} {
		if e, err := ParseEncoding(name); err != nil || e.Name != want {
			t.Errorf("%q: %+v %v", name, e, err)
		}
	}
	if _, err := ParseEncoding("big5"); err == nil {
		t.Error("big5 taken")
	}
}
