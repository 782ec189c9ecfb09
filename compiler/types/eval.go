package types

import (
	"fmt"
	"math"
	"regexp"
	"time"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// EvalConst evaluates a script-layer operator expression (literals, vars,
// unary and binary operators, parentheses, `*`, lists, `lambda:` and the
// global `time(d[, offset])`) to a value, with the operator rules lambdas
// have. Script-layer types are exact, so arithmetic is folded with Go
// semantics (int64 wraps, division truncates, an integer division by zero
// is an error at the operator). A bare ident may yield a value of any kind.
// ok is false, with an error in diags, when the expression has no value; an
// ident whose var is unknown after an earlier error gives ok false silently.
//
// A double-quoted reference has no value at the script layer. Standing
// alone (`var z = "f"`, `.measurement("cpu")`) it evaluates, as in
// Kapacitor, to a reference value (Type Missing, Ref set, Str the name) that
// no parameter accepts, so the caller can give the double-quote hint; as an
// operand it is an error here.
//
// A result computed from a template placeholder (a typed var with no value)
// is a placeholder too, and a division by such a zero is not reported.
func EvalConst(x ast.Expr, env Env, diags *diag.List) (ir.Value, bool) {
	if r, ok := unparen(x).(*ast.Reference); ok {
		return ir.Value{Type: stdlib.Missing, Ref: true, Str: r.Name, Expr: x}, true
	}
	e := constEval{env: env, diags: diags}
	return e.eval(x)
}

type constEval struct {
	env   Env
	diags *diag.List
}

func (e *constEval) fail(n ast.Node, format string, args ...any) (ir.Value, bool) {
	e.diags.Errorf(n, CodeType, format, args...)
	return ir.Value{}, false
}

func (e *constEval) eval(x ast.Expr) (ir.Value, bool) {
	switch x := x.(type) {
	case *ast.NumberLit, *ast.DurationLit, *ast.StringLit, *ast.BoolLit, *ast.RegexLit:
		v, err := literal(x)
		if err != nil {
			return e.fail(x, "error parsing regexp: %v", err)
		}
		return v, true
	case *ast.StarLit:
		return ir.Value{Type: stdlib.Star, Expr: x}, true
	case *ast.Reference:
		return e.fail(x, "%s is a field or tag reference, which has no value outside a lambda; use single quotes for a string: '%s'", x.Raw, x.Name)
	case *ast.Ident:
		v, ok := e.env.Var(x.Name)
		if !ok {
			undefined(e.diags, x, e.env, false)
			return ir.Value{}, false
		}
		if x.Name == TimeRef && isPredefinedTime(v) {
			return e.fail(x, "time is the group-by-time function; call it: time(1m) or time(1m, 10s)")
		}
		if v.Type == 0 {
			return v, false
		}
		v.Expr = x
		return v, true
	case *ast.ParenExpr:
		if x.X == nil {
			return ir.Value{}, false
		}
		v, ok := e.eval(x.X)
		if ok {
			v.Expr = x
		}
		return v, ok
	case *ast.ListLit:
		return e.list(x)
	case *ast.LambdaExpr:
		lam := CheckLambda(x.Body, e.env, e.diags)
		return ir.Value{Type: stdlib.Lambda, Lambda: lam, Expr: x}, true
	case *ast.UnaryExpr:
		return e.unary(x)
	case *ast.BinaryExpr:
		return e.binary(x)
	case *ast.CallExpr:
		return e.globalCall(x)
	case *ast.ChainExpr:
		return e.fail(x, "a pipeline chain cannot be used in an operator expression")
	case *ast.BadExpr:
		return ir.Value{}, false
	case nil:
		return ir.Value{}, false
	}
	return e.fail(x, "unexpected %T in an expression", x)
}

// operand evaluates an operand of an operator, which must be a value, not
// a reference held by a var.
func (e *constEval) operand(x ast.Expr) (ir.Value, bool) {
	v, ok := e.eval(x)
	if ok && v.Ref {
		what := "this value"
		if id, isIdent := unparen(x).(*ast.Ident); isIdent {
			what = fmt.Sprintf("var %q", id.Name)
		}
		return e.fail(x, "%s holds the field or tag reference \"%s\", which has no value outside a lambda; use single quotes for a string", what, v.Str)
	}
	return v, ok
}

// list evaluates `[a, 'b', *]`.
func (e *constEval) list(x *ast.ListLit) (ir.Value, bool) {
	items := make([]ir.Value, 0, len(x.Items))
	ok := true
	for _, it := range x.Items {
		v, itemOK := e.eval(it)
		if !itemOK {
			ok = false
			continue
		}
		items = append(items, v)
	}
	if !ok {
		return ir.Value{}, false
	}
	return ir.Value{Type: stdlib.List, List: items, Expr: x}, true
}

// globalCall evaluates the one script-layer global function, time().
func (e *constEval) globalCall(x *ast.CallExpr) (ir.Value, bool) {
	if x.Fun == nil {
		return ir.Value{}, false
	}
	if x.Fun.Name != "time" {
		hint := ""
		if stdlib.LookupFunc(x.Fun.Name) != nil {
			hint = "; lambda functions work only inside lambda: expressions"
		}
		return e.fail(x.Fun, "no global function %q defined%s", x.Fun.Name, hint)
	}
	if len(x.Args) < 1 || len(x.Args) > 2 {
		return e.fail(x.Fun, "time() function expects 1 or 2 args, got %d", len(x.Args))
	}
	var durs [2]time.Duration
	for i, a := range x.Args {
		v, ok := e.eval(a)
		if !ok {
			return ir.Value{}, false
		}
		if v.Type != stdlib.Duration {
			return e.fail(a, "time() takes durations, got %s", TypeName(v.Type))
		}
		durs[i] = v.Dur
	}
	return ir.Value{Type: stdlib.TimeDim, Dur: durs[0], Offset: durs[1], Expr: x}, true
}

func (e *constEval) unary(x *ast.UnaryExpr) (ir.Value, bool) {
	v, ok := e.operand(x.X)
	if !ok {
		return ir.Value{}, false
	}
	if res, msg := UnaryResult(x.Op, v.Type); res == 0 {
		e.diags.Add(opDiag(x.OpPos, x.Op, msg))
		return ir.Value{}, false
	}
	if v.Placeholder {
		return ir.Value{Type: v.Type, Placeholder: true, Expr: x}, true
	}
	out := foldUnary(x.Op, v)
	out.Expr = x
	return out, true
}

// literal is the value of a literal.
func literal(x ast.Expr) (ir.Value, error) {
	switch x := x.(type) {
	case *ast.NumberLit:
		if x.IsInt {
			return ir.Value{Type: stdlib.Int, Int: x.Int, Expr: x}, nil
		}
		return ir.Value{Type: stdlib.Float, Float: x.Float, Expr: x}, nil
	case *ast.DurationLit:
		return ir.Value{Type: stdlib.Duration, Dur: x.Value, Expr: x}, nil
	case *ast.StringLit:
		return ir.Value{Type: stdlib.String, Str: x.Value, Expr: x}, nil
	case *ast.BoolLit:
		return ir.Value{Type: stdlib.Bool, Bool: x.Value, Expr: x}, nil
	case *ast.RegexLit:
		re, err := regexp.Compile(x.Pattern)
		if err != nil {
			return ir.Value{}, err
		}
		return ir.Value{Type: stdlib.Regex, Str: x.Pattern, Regex: re, Expr: x}, nil
	}
	return ir.Value{}, fmt.Errorf("not a literal: %T", x)
}

// foldUnary computes -v or !v for a type UnaryResult allows.
func foldUnary(op ast.Op, v ir.Value) ir.Value {
	out := ir.Value{Type: v.Type}
	switch v.Type {
	case stdlib.Int:
		out.Int = -v.Int // wraps for MinInt64, as Go does
	case stdlib.Float:
		out.Float = -v.Float
	case stdlib.Duration:
		out.Dur = -v.Dur
	case stdlib.Bool:
		out.Bool = !v.Bool
	}
	return out
}

func (e *constEval) binary(x *ast.BinaryExpr) (ir.Value, bool) {
	l, lok := e.operand(x.X)
	r, rok := e.operand(x.Y)
	if !lok || !rok {
		return ir.Value{}, false
	}
	res, msg := BinaryResult(x.Op, l.Type, r.Type)
	if res == 0 {
		if msg != "" {
			e.diags.Add(binaryDiag(x, l.Type, r.Type, msg))
		}
		return ir.Value{}, false
	}
	if l.Placeholder || r.Placeholder {
		// Template values are not known yet: only the type is.
		return ir.Value{Type: res, Placeholder: true, Expr: x}, true
	}
	v, err := fold(x.Op, l, r)
	if err != "" {
		e.diags.Add(opDiag(x.OpPos, x.Op, err))
		return ir.Value{}, false
	}
	v.Expr = x
	return v, true
}

// fold computes l op r for a combination BinaryResult allows.
func fold(op ast.Op, l, r ir.Value) (ir.Value, string) {
	switch {
	case op.IsLogical():
		if op == ast.OpAnd {
			return boolVal(l.Bool && r.Bool), ""
		}
		return boolVal(l.Bool || r.Bool), ""
	case op == ast.OpRegexEq:
		return boolVal(r.Regex.MatchString(l.Str)), ""
	case op == ast.OpRegexNeq:
		return boolVal(!r.Regex.MatchString(l.Str)), ""
	case op.IsComparison():
		return boolVal(compare(op, l, r)), ""
	}
	switch {
	case l.Type == stdlib.Int && r.Type == stdlib.Int:
		return foldInt(op, l.Int, r.Int)
	case l.Type == stdlib.Float && r.Type == stdlib.Float:
		return ir.Value{Type: stdlib.Float, Float: foldFloat(op, l.Float, r.Float)}, ""
	case l.Type == stdlib.String && r.Type == stdlib.String: // only +
		return ir.Value{Type: stdlib.String, Str: l.Str + r.Str}, ""
	}
	return foldDuration(op, l, r)
}

func boolVal(b bool) ir.Value { return ir.Value{Type: stdlib.Bool, Bool: b} }

const divZero = "integer divide by zero"

func foldInt(op ast.Op, a, b int64) (ir.Value, string) {
	var n int64
	switch op {
	case ast.OpAdd:
		n = a + b
	case ast.OpSub:
		n = a - b
	case ast.OpMul:
		n = a * b
	case ast.OpDiv, ast.OpMod:
		if b == 0 {
			return ir.Value{}, divZero
		}
		if op == ast.OpDiv {
			n = a / b
		} else {
			n = a % b
		}
	}
	return ir.Value{Type: stdlib.Int, Int: n}, ""
}

func foldFloat(op ast.Op, a, b float64) float64 {
	switch op {
	case ast.OpAdd:
		return a + b
	case ast.OpSub:
		return a - b
	case ast.OpMul:
		return a * b
	}
	return a / b
}

// foldDuration handles every remaining combination, each with a duration
// on at least one side.
func foldDuration(op ast.Op, l, r ir.Value) (ir.Value, string) {
	dur := func(d time.Duration) (ir.Value, string) { return ir.Value{Type: stdlib.Duration, Dur: d}, "" }
	switch {
	case l.Type == stdlib.Duration && r.Type == stdlib.Duration:
		switch op {
		case ast.OpAdd:
			return dur(l.Dur + r.Dur)
		case ast.OpSub:
			return dur(l.Dur - r.Dur)
		case ast.OpDiv:
			if r.Dur == 0 {
				return ir.Value{}, divZero
			}
			return ir.Value{Type: stdlib.Int, Int: int64(l.Dur / r.Dur)}, ""
		}
	case l.Type == stdlib.Duration && r.Type == stdlib.Int:
		if op == ast.OpMul {
			return dur(l.Dur * time.Duration(r.Int))
		}
		if r.Int == 0 {
			return ir.Value{}, divZero
		}
		return dur(l.Dur / time.Duration(r.Int))
	case l.Type == stdlib.Int && r.Type == stdlib.Duration: // only *
		return dur(time.Duration(l.Int) * r.Dur)
	case l.Type == stdlib.Duration && r.Type == stdlib.Float:
		if op == ast.OpMul {
			return floatDur(float64(l.Dur) * r.Float)
		}
		return floatDur(float64(l.Dur) / r.Float)
	case l.Type == stdlib.Float && r.Type == stdlib.Duration: // only *
		return floatDur(l.Float * float64(r.Dur))
	}
	return ir.Value{}, fmt.Sprintf("cannot fold %s %v %s", TypeName(l.Type), op, TypeName(r.Type))
}

// floatDur converts a float number of nanoseconds to a duration, truncating
// toward zero. Go leaves the conversion of NaN and out-of-range values
// unspecified, so they are errors here.
func floatDur(ns float64) (ir.Value, string) {
	if math.IsNaN(ns) || ns >= math.MaxInt64 || ns < math.MinInt64 {
		return ir.Value{}, fmt.Sprintf("duration out of range: %g ns", ns)
	}
	return ir.Value{Type: stdlib.Duration, Dur: time.Duration(ns)}, ""
}

// compare evaluates a comparison; an int meeting a float is converted to
// float, as Kapacitor does.
func compare(op ast.Op, l, r ir.Value) bool {
	var c int
	switch {
	case l.Type == stdlib.Bool: // only == and !=
		if l.Bool == r.Bool {
			c = 0
		} else {
			c = 1
		}
	case l.Type == stdlib.String:
		c = cmp3(l.Str, r.Str)
	case l.Type == stdlib.Duration:
		c = cmp3(l.Dur, r.Dur)
	case l.Type == stdlib.Int && r.Type == stdlib.Int:
		c = cmp3(l.Int, r.Int)
	default:
		return compareFloat(op, asFloat(l), asFloat(r))
	}
	switch op {
	case ast.OpEq:
		return c == 0
	case ast.OpNeq:
		return c != 0
	case ast.OpLt:
		return c < 0
	case ast.OpLte:
		return c <= 0
	case ast.OpGt:
		return c > 0
	}
	return c >= 0
}

// compareFloat compares with IEEE semantics (NaN is unordered).
func compareFloat(op ast.Op, a, b float64) bool {
	switch op {
	case ast.OpEq:
		return a == b
	case ast.OpNeq:
		return a != b
	case ast.OpLt:
		return a < b
	case ast.OpLte:
		return a <= b
	case ast.OpGt:
		return a > b
	}
	return a >= b
}

func asFloat(v ir.Value) float64 {
	if v.Type == stdlib.Int {
		return float64(v.Int)
	}
	return v.Float
}

func cmp3[T int64 | string | time.Duration](a, b T) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
