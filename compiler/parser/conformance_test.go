package parser

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tickc/tickc/compiler/ast"
)

// conformanceDir holds Kapacitor's own test scripts, beside the repository
// (/work/main/../shared).
const conformanceDir = "../../../shared/conformance/kapacitor"

// conformanceScripts returns the paths of the conformance task.tick files,
// skipping the test when the folder is absent.
func conformanceScripts(tb testing.TB) []string {
	tb.Helper()
	if _, err := os.Stat(conformanceDir); err != nil {
		tb.Skipf("conformance scripts not found at %s: %v", conformanceDir, err)
	}
	files, err := filepath.Glob(filepath.Join(conformanceDir, "*", "task.tick"))
	if err != nil || len(files) == 0 {
		tb.Fatalf("no task.tick under %s (%v)", conformanceDir, err)
	}
	return files
}

// TestConformanceScriptsParse parses every conformance script: no
// diagnostic, no BadExpr or BadStmt, and faithful positions.
func TestConformanceScriptsParse(t *testing.T) {
	for _, file := range conformanceScripts(t) {
		name := filepath.Base(filepath.Dir(file))
		t.Run(name, func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			prog, diags := ParseFile(file, src)
			for _, d := range diags {
				t.Errorf("%s:%s", file, d.Error())
			}
			if len(prog.Stmts) == 0 {
				t.Errorf("%s: no statements", file)
			}
			ast.Inspect(prog, func(n ast.Node) bool {
				switch n.(type) {
				case *ast.BadExpr, *ast.BadStmt:
					t.Errorf("%s: %T at %v", file, n, n.Pos())
				}
				return true
			})
			for _, p := range positionProblems(string(src), prog) {
				t.Errorf("%s: %s", file, p)
			}
		})
	}
}
