package display

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"hallfloor/errs"
)

// TestEveryReasonIsWorded reads the project's source for every reason code
// an error is built with (errs.R, errs.Bad, errs.Internalf) and checks that
// the dictionary words it in both languages, so no refusal reaches a face
// as a bare code or an English sentence.
func TestEveryReasonIsWorded(t *testing.T) {
	root := filepath.Join("..")
	codes := map[string]string{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != root {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); !ok || id.Name != "errs" {
				return true
			}
			arg := -1
			switch sel.Sel.Name {
			case "R", "Bad":
				arg = 1
			case "Internalf":
				arg = 0
			}
			if arg < 0 || len(call.Args) <= arg {
				return true
			}
			lit, ok := call.Args[arg].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			code, _ := strconv.Unquote(lit.Value)
			codes[code] = path
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(codes) < 50 {
		t.Fatalf("found only %d reason codes in the source; the scan is broken", len(codes))
	}
	for code, path := range codes {
		w, ok := reasons[code]
		if !ok {
			t.Errorf("reason %q (%s) has no words", code, path)
			continue
		}
		if w.ZH == "" || w.EN == "" {
			t.Errorf("reason %q lacks a language: %+v", code, w)
		}
	}
}

func TestRefusalWordsChineseFirstWithArguments(t *testing.T) {
	w := Refusal(errs.R(errs.Conflict, "window_paused", "window", "3"))
	if w.ZH != "3 号窗口已暂停，请先恢复服务" || w.EN != "Window 3 is paused; resume it first" {
		t.Errorf("window_paused = %+v", w)
	}
	// An internal error never tells why.
	if w := Refusal(errs.Wrap(errs.R(errs.Internal, "x"), "disk on fire")); strings.Contains(w.EN, "fire") {
		t.Errorf("internal refusal shows its cause: %+v", w)
	}
	// A code without words still says something a person understands.
	if w := Refusal(errs.R(errs.Conflict, "no_such_reason")); w.ZH == "" {
		t.Error("an unworded reason has no words at all")
	}
}
