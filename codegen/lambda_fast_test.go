package codegen

import (
	"fmt"
	"strings"
	"testing"

	"github.com/dave/jennifer/jen"
)

// fastExprs add to diffExprs what the fast paths speculate on: tags ("t"),
// strings, booleans, ints, regexes, more references than RefAt has slots.
var fastExprs = []string{
	`"f" < 70`, `"f" < 70.0`, `"a" < 70`, `100.0 - "a"`, `floor("a" * 10.0) / 10.0`,
	`sqrt(pow("a", 2.0) + pow("b", 2.0))`, `log10(1.0 + "a")`, `abs("a" - "b")`,
	`"t" == 'x'`, `"t" =~ /^x/`, `"t" !~ /0$/`, `"t" =~ /1/ AND "a" != 'x'`, `"a" =~ /^1/ OR "t" == 'y'`,
	`"t" + "a"`, `"t" > "a"`, `strContains("t", 'x')`, `"a" == TRUE`, `"a" != FALSE AND "b"`,
	`"n" % 2 == 0`, `"n" == 1`, `"n" + 1`, `"a" + 1`, `"a" * 2 - "n"`, `if("a" > 0, "a", "b")`,
	`"a" == "t"`, `isPresent("a") AND "a" > 0`, `"a" / "f" > 1.0 OR "t" == 'x'`,
	`sigma("a") + spread("f")`, `count() > 2 AND "f" > 0.0`, `-"a" < "f"`,
	`"r1" + "r2" + "r3" + "r4" + "r5" + "r6" + "r7" + "r8" + "r9" + "r10" + "a"`,
	`unixNano("time") > "n"`, `string("a") + "t"`,
}

// fastRows are rows of every kind combination of "a" and "b"; their field
// and tag sets change from row to row (the hints miss), some name "a" as
// both a field and a tag.
func fastRows() []testRow {
	pool := []any{1.5, -2.0, 0.0, 3, 0, -1, "x", "10", true, false, nil}
	var rows []testRow
	for i, a := range pool {
		for j, b := range pool {
			k := i*len(pool) + j
			r := testRow{
				fields: map[string]any{"f": float64(k%7) - 3 + 0.5, "n": k%5 - 1},
				tags:   map[string]string{},
			}
			if a != nil {
				r.fields["a"] = a
			}
			if b != nil {
				r.fields["b"] = b
			}
			switch k % 3 {
			case 0:
				r.tags["t"] = "x"
			case 1:
				r.tags["t"] = "10"
			}
			if k%4 == 0 {
				r.fields["aa"] = 1.0 // shifts the fields after "a"
			}
			if k%5 == 0 {
				r.tags["c"] = "c" // shifts "t"
			}
			if k%17 == 0 {
				r.tags["a"] = "tag"
			}
			if k%2 == 0 {
				for n := 1; n <= 10; n++ {
					r.fields[fmt.Sprintf("r%d", n)] = float64(n)
				}
			}
			rows = append(rows, r)
		}
	}
	return rows
}

// TestFastPathsMatchPlain compiles every expression with and without fast
// paths and reference hints and requires the same results on every row,
// error messages included, as values and as predicates.
func TestFastPathsMatchPlain(t *testing.T) {
	exprs := append(append([]string(nil), diffExprs...), fastExprs...)
	rows := fastRows()
	var cases []lambdaCase
	for _, e := range exprs {
		for _, pred := range []bool{false, true} {
			cases = append(cases,
				lambdaCase{expr: e, rows: rows, pred: pred, plain: true},
				lambdaCase{expr: e, rows: rows, pred: pred})
		}
	}
	got := runCompiled(t, cases)
	for i := 0; i < len(cases); i += 2 {
		c := cases[i]
		for j, r := range rows {
			plain, fast := got[[2]int{i, j}], got[[2]int{i + 1, j}]
			if plain == "" || plain != fast {
				t.Errorf("%s (predicate %v) on %v %v:\n fast  %s\n plain %s", c.expr, c.pred, r.fields, r.tags, fast, plain)
			}
		}
	}
}

// TestFastPathShape checks that the speculated kinds reach the generated
// code: a float comparison, a tag read first from the tags, a literal
// regex matched with the strings package, a predicate form.
func TestFastPathShape(t *testing.T) {
	for _, tc := range []struct {
		expr string
		want []string
	}{
		{`"usage_idle" < 70`, []string{
			"func lambda0(r *rt.Row, st *rt.LambdaState) (bool, error) {",
			`r.Fields[at].Key == "usage_idle" && (st.NoRefIsTag || rt.NoTag(r.Tags, "usage_idle"))`,
			"if usageIdle.Kind == rt.KindFloat {\n\t\treturn usageIdle.F < float64(70), nil",
			"Pred: lambda0",
		}},
		{`"dc" =~ /^us-/ AND "cpu" != 'cpu-total'`, []string{
			`r.Tags[at].Key == "dc" && rt.NoField(r.Fields, "dc")`,
			"if dc.Kind == rt.KindString && cpu.Kind == rt.KindString {",
			`strings.HasPrefix(dc.S, "us-") && cpu.S != "cpu-total"`,
		}},
		{`"n" % 2 == 0 OR "up"`, []string{"n.Kind == rt.KindInt && up.Kind == rt.KindBool", "n.I%2 == 0 || up.Bool()"}},
		{`"a" + "b"`, []string{"func lambda0(r *rt.Row, st *rt.LambdaState) (rt.Value, error) {", "rt.Float(a.F + b.F)"}},
	} {
		g := newTestGen()
		code, err := g.Lambda(checkLambda(t, "", tc.expr))
		if err != nil {
			t.Fatal(err)
		}
		src := render(t, g, jen.Var().Id("l").Op("=").Add(code))
		for _, w := range tc.want {
			if !strings.Contains(src, w) {
				t.Errorf("%s: no %q in\n%s", tc.expr, w, src)
			}
		}
	}
}
