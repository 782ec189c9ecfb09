package codegen

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler"
	"github.com/tickc/tickc/compiler/check"
	"github.com/tickc/tickc/compiler/ir"
)

// checkLambda compiles `var l = lambda: expr` after the given var
// declarations and returns the checked lambda.
func checkLambda(t testing.TB, decls, expr string) *ir.Lambda {
	t.Helper()
	l, err := tryCheckLambda(decls, expr)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// tryCheckLambda is checkLambda returning the checker's errors.
func tryCheckLambda(decls, expr string) (*ir.Lambda, error) {
	src := decls + "\nvar l = lambda: " + expr + "\nstream|from()|eval(l).as('x')\n"
	res := compiler.Compile("lambda.tick", []byte(src), check.Options{})
	if res.Pipeline == nil {
		return nil, fmt.Errorf("%s: no pipeline: %v", expr, res.Diags)
	}
	if res.Diags.HasErrors() {
		var b strings.Builder
		for _, d := range res.Diags {
			b.WriteString(d.Error() + "\n")
		}
		return nil, fmt.Errorf("%s: %s", expr, b.String())
	}
	v := res.Pipeline.Var("l")
	if v == nil || v.Value.Lambda == nil {
		return nil, fmt.Errorf("%s: no lambda", expr)
	}
	return v.Value.Lambda, nil
}

// newTestGen returns a generator writing into a fresh main package.
func newTestGen() *Gen {
	g := &Gen{file: jen.NewFile("main"), lambdas: map[lambdaKey]string{}}
	g.file.ImportAlias(RuntimePath, "rt")
	return g
}

// render writes the generator's top-level declarations plus extra.
func render(t testing.TB, g *Gen, extra ...jen.Code) string {
	t.Helper()
	for _, f := range g.funcs {
		g.file.Add(f)
	}
	for _, e := range extra {
		g.file.Add(e)
	}
	var buf bytes.Buffer
	if err := g.file.Render(&buf); err != nil {
		t.Fatalf("render: %v", err)
	}
	return buf.String()
}
