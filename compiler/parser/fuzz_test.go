package parser

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tickc/tickc/compiler/ast"
)

// FuzzParse asserts that no input makes the parser panic (an internal
// error), that a program always comes back, that a clean parse has faithful
// positions and no Bad nodes, and that a partial tree stays within the
// source.
func FuzzParse(f *testing.F) {
	if files, err := filepath.Glob(filepath.Join(conformanceDir, "*", "task.tick")); err == nil {
		for _, file := range files {
			if src, err := os.ReadFile(file); err == nil {
				f.Add(src)
			}
		}
	}
	for _, s := range []string{
		"", "var", "var x = ", "stream|", "'''", "'", "\"", "/", "//", "a/ /b/", "f(/)", "lambda:",
		"var x = (((((", "var x = [[[", "stream|from().where(lambda: \"a\" and \"b\")",
		"var x = 1.2.3", "var x = 09", "var r = /[/", "\x80\xff", "var é = 'ü'", "dbrp \"a\".",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		prog, diags := ParseFile("fuzz.tick", src)
		if prog == nil {
			t.Fatal("nil program")
		}
		for _, d := range diags {
			if d.Code != CodeSyntax {
				t.Fatalf("diagnostic with code %q: %s", d.Code, d.Msg)
			}
			if d.Pos.Offset < 0 || d.Pos.Offset > len(src) {
				t.Fatalf("diagnostic outside the source: %s", d.Error())
			}
		}
		if !diags.HasErrors() {
			for _, p := range positionProblems(string(src), prog) {
				t.Errorf("%s", p)
			}
			ast.Inspect(prog, func(n ast.Node) bool {
				switch n.(type) {
				case *ast.BadExpr, *ast.BadStmt:
					t.Errorf("%T at %v without an error", n, n.Pos())
				}
				return true
			})
		} else {
			checkPartialTree(t, string(src), prog)
		}

		x, diags := ParseLambda(string(src))
		if x == nil {
			t.Fatal("ParseLambda returned nil")
		}
		for _, d := range diags {
			if d.Code != CodeSyntax {
				t.Fatalf("ParseLambda: diagnostic with code %q: %s", d.Code, d.Msg)
			}
		}
	})
}
