package config

import (
	"errors"
	"strings"
	"testing"
)

// TestParseNamesEveryProblemAtOnce: a file with misspelt keys, a value of
// the wrong type and a value that breaks a rule reports all of them, each
// under its full path.
func TestParseNamesEveryProblemAtOnce(t *testing.T) {
	const file = `
hall: {name: 测试大厅, timezone: Asia/Shanghai}
calendar: {always_open: true}
queue: {prority_run: 2}
services:
  - {code: A, name: 社会民生, kind: intake, servce_minutes: 5}
  - {code: a, name: 工程建设, kind: intake}
windows:
  - {id: "1", services: [A], weights: {A: many}}
staff:
  - {id: "1001", name: 王丽娟, role: clerk, password_hash: "$2a$10$abcdefghijklmnopqrstuv", colour: red}
`
	_, err := Parse([]byte(file))
	var ps Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Parse = %v, want Problems", err)
	}
	text := ps.Error()
	for _, want := range []string{
		"queue.prority_run: unknown key (line 4)",
		"services[0].servce_minutes: unknown key",
		"staff[0].colour: unknown key",
		"services[1].code",
		"many",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("problems do not mention %q:\n%s", want, text)
		}
	}
}

func TestParseAcceptsAKnownShape(t *testing.T) {
	const file = `
hall: {name: 测试大厅}
calendar: {weekly: {mon: ["09:00-12:00"]}}
services: [{code: A, name: 社会民生, kind: intake}]
windows: [{id: "1", services: [A]}]
`
	if _, err := Parse([]byte(file)); err != nil {
		t.Fatalf("a good file: %v", err)
	}
}

func TestPauseReasons(t *testing.T) {
	if got := (Queue{}).Reasons(); len(got) == 0 {
		t.Error("a hall file without pause reasons still offers some")
	}
	file := strings.Replace(string(demoYAML), "pause_reasons: [午间休息", "pause_reasons: [\"\", 午间休息", 1)
	_, err := Parse([]byte(file))
	if err == nil || !strings.Contains(err.Error(), "queue.pause_reasons[0]") {
		t.Errorf("an empty pause reason must be named: %v", err)
	}
}
