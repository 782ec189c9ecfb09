package codegen

import (
	"fmt"
	"testing"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/ir"
	rtm "github.com/tickc/tickc/runtime"
)

// TestCompiledMatchesRuntime checks the Go that codegen writes where the
// static types allow (math.Sqrt, float64(n) < f, …) against the runtime's
// operator and function entries: a small interpreter over the same AST
// evaluates every expression on rows of every kind combination, and the
// compiled lambdas must give the same values and fail on the same rows.
func TestCompiledMatchesRuntime(t *testing.T) {
	exprs := diffExprs
	pool := []any{1.5, -2.0, 0.0, 3, 0, -1, "x", "10", true, false, nil}
	var rows []testRow
	for i, a := range pool {
		for j, b := range pool {
			k := i*len(pool) + j
			r := testRow{fields: map[string]any{"f": float64(k%7) - 3 + 0.5, "n": k%5 - 1}}
			if a != nil {
				r.fields["a"] = a
			}
			if b != nil {
				r.fields["b"] = b
			}
			rows = append(rows, r)
		}
	}
	cases := make([]lambdaCase, len(exprs))
	for i, e := range exprs {
		cases[i] = lambdaCase{expr: e, rows: rows}
	}
	got := runCompiled(t, cases)
	for i, e := range exprs {
		l := checkLambda(t, "", e)
		var st rtm.LambdaState
		for j, r := range rows {
			want := interpret(l, rowValue(r), &st)
			if g := got[[2]int{i, j}]; !sameResult(g, want) {
				t.Errorf("%s on %v:\n compiled %s\n runtime  %s", e, r.fields, g, want)
			}
		}
	}
}

// diffExprs are expressions over every operator and function family,
// evaluated on rows of every kind combination of "a", "b", "f", "n".
var diffExprs = []string{
	`"a" + "b"`, `"a" - "b"`, `"a" * "b"`, `"a" / "b"`, `"a" % "b"`,
	`"a" < "b"`, `"a" <= "b"`, `"a" == "b"`, `"a" != "b"`, `"a" >= "b"`, `"a" > "b"`,
	`"a" AND "b"`, `"a" OR "b"`, `"a" > 0 AND "b"`, `"a" OR "b" < 1`, `!"a"`, `-"a"`,
	`"f" * 2.0 + 1.0`, `float("n") / 3.0 - "f"`, `int("f") * "n" - 7`, `int("f") / ("n" - 1)`,
	`int("f") % ("n" + 1)`, `float("n") > "f" AND float("n") * 2.0 < 10.0`, `int("f") % 3 == 1`,
	`"n" * 1s > 2s`, `-float("n") * 2.0`, `hour("time") + "n"`, `float(int("f")) == "f"`,
	`abs("a")`, `sqrt(abs("f")) + pow("f", 2.0)`, `string("a")`, `float("a")`, `int("a")`,
	`bool("a")`, `isPresent("a")`, `if("a" > 0, "a", "b")`, `strLength(string("a"))`,
	`humanBytes("a")`, `duration("a", 1s)`, `string(duration(int("f"), 1m))`, `"a" =~ /x/`,
	`"a" !~ /^x$/`, `sigma("f")`, `spread(float("n"))`, `count() * "n"`, `sigma(float("a"))`,
	`mod("f", float("n")) + max("f", 1.0) - min(float("n"), -0.5)`, `jn(int("f"), "f") + yn(1, "f" + 4.0)`,
	`strSubstring(string("a"), 0, 1)`, `strReplace(string("a"), 'x', 'yy', "n")`,
	`duration(string(int("f")) + 's', 1s) / 2`, `if(isPresent("b"), string("b"), 'none')`,
	`pow10("n") * float(int("f") * 2)`, `"f" * 1m / 2.0 + 1s * "n"`, `10s / ("n" * 1s)`,
	`regexReplace(/(\d)/, string("a"), '<$1>')`, `strContains(string("a") + string("b"), '1')`,
}

// sameResult compares two results, any error message matching any.
func sameResult(a, b string) bool {
	isErr := func(s string) bool { return len(s) >= 6 && s[:6] == "error:" }
	if isErr(a) || isErr(b) {
		return isErr(a) && isErr(b)
	}
	return a == b
}

func rowValue(r testRow) *rtm.Row {
	row := &rtm.Row{Time: rowTime}
	for k, v := range r.fields {
		var val rtm.Value
		switch x := v.(type) {
		case float64:
			val = rtm.Float(x)
		case int:
			val = rtm.Int(int64(x))
		case string:
			val = rtm.String(x)
		case bool:
			val = rtm.Bool(x)
		}
		row.Fields = row.Fields.Set(k, val)
	}
	for k, v := range r.tags {
		row.Tags = row.Tags.Set(k, v)
	}
	return row
}

// interpret evaluates a lambda with the runtime's generic entries and
// formats the result as the test program does.
func interpret(l *ir.Lambda, row *rtm.Row, st *rtm.LambdaState) string {
	v, _, err := interp(l.Body, l.Inlined, row, st)
	if err != nil {
		return "error:" + err.Error()
	}
	if v.Kind == rtm.KindMissing {
		return "missing:" + v.S
	}
	return v.Kind.String() + ":" + v.String()
}

var astToOp = map[ast.Op]rtm.Op{
	ast.OpAdd: rtm.OpAdd, ast.OpSub: rtm.OpSub, ast.OpMul: rtm.OpMul, ast.OpDiv: rtm.OpDiv,
	ast.OpMod: rtm.OpMod, ast.OpEq: rtm.OpEq, ast.OpNeq: rtm.OpNeq, ast.OpLt: rtm.OpLt,
	ast.OpLte: rtm.OpLte, ast.OpGt: rtm.OpGt, ast.OpGte: rtm.OpGte, ast.OpAnd: rtm.OpAnd, ast.OpOr: rtm.OpOr,
}

func interp(x ast.Expr, inl map[*ast.Ident]ir.Value, row *rtm.Row, st *rtm.LambdaState) (rtm.Value, *rtm.Regex, error) {
	switch x := x.(type) {
	case *ast.NumberLit:
		if x.IsInt {
			return rtm.Int(x.Int), nil, nil
		}
		return rtm.Float(x.Float), nil, nil
	case *ast.DurationLit:
		return rtm.Dur(x.Value), nil, nil
	case *ast.StringLit:
		return rtm.String(x.Value), nil, nil
	case *ast.BoolLit:
		return rtm.Bool(x.Value), nil, nil
	case *ast.RegexLit:
		return rtm.Value{}, rtm.MustCompileRegex(x.Pattern), nil
	case *ast.Reference:
		if x.Name == "time" {
			return rtm.TimeValue(row.Time), nil, nil
		}
		v, err := row.Ref(x.Name)
		return v, nil, err
	case *ast.ParenExpr:
		return interp(x.X, inl, row, st)
	case *ast.UnaryExpr:
		v, _, err := interp(x.X, inl, row, st)
		if err != nil {
			return v, nil, err
		}
		if x.Op == ast.OpNeg {
			v, err = rtm.Neg(v)
			return v, nil, err
		}
		b, err := rtm.Not(v)
		return rtm.Bool(b), nil, err
	case *ast.BinaryExpr:
		l, _, err := interp(x.X, inl, row, st)
		if err != nil {
			return l, nil, err
		}
		if x.Op == ast.OpAnd || x.Op == ast.OpOr {
			if _, pure := x.Y.(*ast.Reference); pure {
				r, _, _ := interp(x.Y, inl, row, st)
				v, err := rtm.Binary(astToOp[x.Op], l, r)
				return v, nil, err
			}
			lb, err := rtm.LogicalLeft(astToOp[x.Op], l)
			if err != nil || lb == (x.Op == ast.OpOr) {
				return rtm.Bool(lb), nil, err
			}
			r, _, err := interp(x.Y, inl, row, st)
			if err != nil {
				return r, nil, err
			}
			rb, err := rtm.LogicalRight(astToOp[x.Op], r)
			return rtm.Bool(rb), nil, err
		}
		r, re, err := interp(x.Y, inl, row, st)
		if err != nil {
			return r, nil, err
		}
		switch x.Op {
		case ast.OpRegexEq:
			b, err := rtm.Match(l, re)
			return rtm.Bool(b), nil, err
		case ast.OpRegexNeq:
			b, err := rtm.NotMatch(l, re)
			return rtm.Bool(b), nil, err
		}
		v, err := rtm.Binary(astToOp[x.Op], l, r)
		return v, nil, err
	case *ast.CallExpr:
		args := make([]rtm.Value, len(x.Args))
		var re *rtm.Regex
		for i, a := range x.Args {
			v, r, err := interp(a, inl, row, st)
			if err != nil {
				return v, nil, err
			}
			args[i] = v
			if r != nil {
				re = r
			}
		}
		if x.Fun.Name == "regexReplace" {
			v, err := rtm.FnRegexReplace(re, args[1], args[2])
			return v, nil, err
		}
		v, err := rtm.Builtins[x.Fun.Name].Call(st, args)
		return v, nil, err
	}
	return rtm.Value{}, nil, fmt.Errorf("interp: %T", x)
}
