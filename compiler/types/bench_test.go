package types

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
)

// BenchmarkCheckLambda checks the lambdas of a large script: 5,000 lines
// of typical where/eval/alert bodies. Budget: well under 100 ms per op.
func BenchmarkCheckLambda(b *testing.B) {
	env := testEnv(b)
	bodies := []string{
		`"cpu" == 'cpu-total' AND "host" =~ /^web/`,
		`100.0 - "usage_idle"`,
		`"used" > crit - 10.0 OR sigma("v") > 3.0`,
		`isPresent("x") AND float("x") / 2.0 > abs("y")`,
		`if("v" > 1, 'hot', 'cold') == host`,
	}
	var exprs []ast.Expr
	for i := 0; i < 5000; i++ {
		exprs = append(exprs, mustParse(b, bodies[i%len(bodies)]))
	}
	b.ResetTimer()
	for b.Loop() {
		var d diag.List
		for _, x := range exprs {
			CheckLambda(x, env, &d)
		}
	}
}

// BenchmarkLongChain checks one long expression, to show the work is
// linear in its size.
func BenchmarkLongChain(b *testing.B) {
	src := strings.Repeat(`"x" + `, 20000) + "1"
	x := mustParse(b, src)
	env := testEnv(b)
	b.ResetTimer()
	for b.Loop() {
		var d diag.List
		if lam := CheckLambda(x, env, &d); len(d) > 0 || lam.Result == 0 {
			b.Fatal(fmt.Sprint(d))
		}
	}
}
