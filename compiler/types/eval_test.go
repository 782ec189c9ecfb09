package types

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// valueString renders a value as consts.txt writes it.
func valueString(v ir.Value) string {
	var s string
	switch {
	case v.Ref:
		return fmt.Sprintf("reference %q", v.Str)
	case v.Type == stdlib.Int:
		s = fmt.Sprint(v.Int)
	case v.Type == stdlib.Float:
		s = fmt.Sprint(v.Float)
	case v.Type == stdlib.Duration:
		s = v.Dur.String()
	case v.Type == stdlib.String:
		s = fmt.Sprintf("%q", v.Str)
	case v.Type == stdlib.Bool:
		s = fmt.Sprint(v.Bool)
	case v.Type == stdlib.Regex:
		s = "/" + v.Regex.String() + "/"
	case v.Type == stdlib.TimeDim:
		s = v.Dur.String() + "+" + v.Offset.String()
	case v.Type == stdlib.List:
		items := make([]string, len(v.List))
		for i, it := range v.List {
			items[i] = valueString(it)
		}
		s = "[" + strings.Join(items, ", ") + "]"
	}
	out := TypeName(v.Type)
	if s != "" {
		out += " " + s
	}
	if v.Placeholder {
		out += " placeholder"
	}
	return out
}

func constEnv(t testing.TB) mapEnv {
	env := testEnv(t)
	env["tcrit"] = ir.Value{Type: stdlib.Float, Placeholder: true}
	env["tzero"] = ir.Value{Type: stdlib.Int, Placeholder: true}
	return env
}

func TestEvalConst(t *testing.T) {
	env := constEnv(t)
	cases := loadCases(t, "testdata/consts.txt")
	if len(cases) < 60 {
		t.Fatalf("only %d cases", len(cases))
	}
	for _, tc := range cases {
		x := mustParse(t, tc.body)
		var d diag.List
		v, ok := EvalConst(x, env, &d)
		var got string
		switch {
		case len(d) > 0:
			msgs := make([]string, len(d))
			for i, x := range d {
				msgs[i] = x.Error()
			}
			got = strings.Join(msgs, " && ")
			if ok {
				got += " (but ok)"
			}
		case !ok:
			got = "no value"
		default:
			got = valueString(v)
			if v.Expr != x {
				got += " (Expr not set to the expression)"
			}
		}
		if got != tc.want {
			t.Errorf("consts.txt:%d: %s\n got: %s\nwant: %s", tc.line, tc.body, got, tc.want)
		}
	}
}

// Lists and lambdas are built by hand: the test parser reads only
// operator expressions.
func TestEvalConstListAndLambda(t *testing.T) {
	env := constEnv(t)
	p := func(col int) ast.Pos { return ast.Pos{Offset: col - 1, Line: 1, Col: col} }
	list := &ast.ListLit{Lbrack: p(1), Items: []ast.Expr{
		&ast.StringLit{ValuePos: p(2), Raw: "'a'", Value: "a"},
		&ast.Ident{NamePos: p(7), Name: "host"},
		&ast.StarLit{Star: p(13)},
	}, Rbrack: p(14)}
	var d diag.List
	v, ok := EvalConst(list, env, &d)
	if !ok || len(d) > 0 || valueString(v) != `list [string "a", string "web01", star]` {
		t.Errorf("list = %s, %v, %v", valueString(v), ok, d)
	}

	list.Items[1] = &ast.Ident{NamePos: p(7), Name: "hots"}
	d = nil
	if _, ok := EvalConst(list, env, &d); ok || len(d) != 1 || d[0].Msg != `name "hots" is undefined; did you mean "host"?` {
		t.Errorf("bad list: ok=%v %v", ok, d)
	}

	lam := &ast.LambdaExpr{Lambda: p(1), Body: mustParse(t, `"x" > crit`)}
	d = nil
	v, ok = EvalConst(lam, env, &d)
	if !ok || len(d) > 0 || v.Type != stdlib.Lambda || v.Lambda == nil || v.Lambda.Result != stdlib.Bool {
		t.Errorf("lambda = %+v, %v, %v", v, ok, d)
	}
}
