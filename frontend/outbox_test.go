package frontend_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"hallfloor/config"
	"hallfloor/frontend/pagetest"
)

// TestEverySMSPurposeIsWorded: each purpose an SMS is queued with (the sms
// package's Purpose constants) has words in both languages, so the
// dashboard and the lockers' page never show a bare code like locker.code.
func TestEverySMSPurposeIsWorded(t *testing.T) {
	words := pagetest.LoadWords(t)
	files, err := filepath.Glob("../sms/*.go")
	if err != nil {
		t.Fatal(err)
	}
	var purposes []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, id := range vs.Names {
				if !strings.HasPrefix(id.Name, "Purpose") || i >= len(vs.Values) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					purposes = append(purposes, v)
				}
			}
			return true
		})
	}
	if len(purposes) < 3 {
		t.Fatalf("found only the purposes %v in package sms; the scan is broken", purposes)
	}
	for _, p := range purposes {
		for _, lang := range pagetest.Langs {
			if w := words.Text[lang]["sms.purpose."+p]; w == "" || w == p {
				t.Errorf("SMS purpose %q has no %s words (sms.purpose.%s)", p, lang, p)
			}
		}
	}
}

// TestOutboxShowsPurposesInWords: in a real hall, where the outbox shows
// neither number nor text, the dashboard words each message's purpose
// (投递码, Drop-off code), never the code locker.dropoff. (The hall runs on
// simulated pins, as asked for with -simulate-devices, and the dashboard
// says that too.)
func TestOutboxShowsPurposesInWords(t *testing.T) {
	hash, err := bcrypt.GenerateFromPassword([]byte("a real password"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	h := startHallWith(t, func(c *config.Hall) {
		c.Hall.Demo = false
		for i := range c.Staff {
			c.Staff[i].Password, c.Staff[i].PasswordHash = "", string(hash)
		}
	}, nil)
	var clerk struct{ Token string }
	h.call(200, "POST", "/api/v1/login", "", map[string]string{"staff": "1007", "password": "a real password"}, &clerk)
	h.call(201, "POST", "/api/v1/lockers/dropoffs", clerk.Token, map[string]string{"case": "2026-0001", "size": "m", "what": "补交材料", "phone": "13800138000", "id_number": "11010519491231002X"}, nil)

	d := openTab(t, h.url("/dashboard"), 1440, 900)
	d.WaitJS(`!document.getElementById('signin-panel').hidden`)
	// This hall runs on simulated pins, and its dashboard says so to anyone.
	d.WaitText("#dev-sim", "本大厅的设备是模拟设备")
	d.Do(
		chromedp.SendKeys(chromedp.CSS("#staff"), "admin"),
		chromedp.SendKeys(chromedp.CSS("#password"), "a real password"),
		chromedp.Click(chromedp.CSS("#signon")),
	)
	d.WaitJS(`document.querySelector('#outbox tr[data-message]') !== null`)
	d.WaitText(`#outbox tr[data-message] td.purpose`, "投递码")
	if row := d.Text(`#outbox tr[data-message]`); strings.Contains(row, "locker.") {
		t.Errorf("the outbox shows a bare purpose: %q", row)
	}
	var set bool
	d.Eval(`HF.setLang('en'), true`, &set)
	d.WaitText(`#outbox tr[data-message] td.purpose`, "Drop-off code")
}
