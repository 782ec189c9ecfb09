package format_test

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"golang.org/x/tools/txtar"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/parser"
)

// TestCommentsEverywhere puts a comment at every token boundary of the
// golden inputs and of some conformance scripts, once at the end of the
// line and once on a line of its own, and checks that each variant still
// formats with every invariant kept: no comment lost, moved across a
// token or doubled, the tree and var descriptions unchanged, idempotent.
func TestCommentsEverywhere(t *testing.T) {
	var scripts [][]byte
	goldens, _ := filepath.Glob("testdata/*.txtar")
	for _, file := range goldens {
		ar, err := txtar.ParseFile(file)
		if err != nil {
			t.Fatal(err)
		}
		scripts = append(scripts, section(ar, "in.tick"))
	}
	if files, _ := filepath.Glob("../../../shared/conformance/kapacitor/*/task.tick"); len(files) > 0 {
		for i := 0; i < len(files); i += 25 { // a spread sample keeps the test quick
			src, err := os.ReadFile(files[i])
			if err != nil {
				t.Fatal(err)
			}
			scripts = append(scripts, src)
		}
	}
	if testing.Short() {
		scripts = scripts[:3]
	}
	for _, src := range scripts {
		for _, off := range tokenBoundaries(t, src) {
			for _, comment := range []string{" // trailing\n", "\n// own line\n"} {
				variant := string(src[:off]) + comment + string(src[off:])
				checkInvariants(t, []byte(variant))
				if t.Failed() {
					t.Fatalf("with a comment inserted at offset %d:\n%s", off, variant)
				}
			}
		}
	}
}

// tokenBoundaries returns the offsets where a node starts or ends.
func tokenBoundaries(t *testing.T, src []byte) []int {
	prog, diags := parser.ParseFile("x.tick", src)
	if diags.HasErrors() {
		t.Fatalf("does not parse: %v\n%s", diags, src)
	}
	seen := map[int]bool{}
	ast.Inspect(prog, func(n ast.Node) bool {
		if n == nil {
			return false
		}
		seen[n.Pos().Offset] = true
		seen[n.End().Offset] = true
		if c, ok := n.(*ast.ChainExpr); ok {
			seen[c.OpPos.Offset] = true
			seen[c.OpPos.Offset+1] = true
			if c.Call {
				seen[c.Lparen.Offset+1] = true
				seen[c.Rparen.Offset] = true
			}
		}
		return true
	})
	var offs []int
	for o := range seen {
		if o >= 0 && o <= len(src) {
			offs = append(offs, o)
		}
	}
	sort.Ints(offs)
	return offs
}
