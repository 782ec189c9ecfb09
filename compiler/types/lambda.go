package types

import (
	"fmt"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/diag"
	"github.com/tickc/tickc/compiler/internal/suggest"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// Env gives lambda checking and constant folding the script vars in scope.
type Env interface {
	Var(name string) (ir.Value, bool) // value of a script var defined so far
	Names() []string                  // names in scope, for did-you-mean
}

// Types of the lambda layer's leaves.
const (
	// RefType is what a field or tag reference may hold at run time.
	RefType = stdlib.Int | stdlib.Float | stdlib.String | stdlib.Bool | stdlib.Missing
	// anyLambdaResult stands for a lambda var whose body is not known
	// (a template var without a value).
	anyLambdaResult = stdlib.Scalar | stdlib.Time | stdlib.Regex | stdlib.Missing
)

// TimeRef is the reference that reads the point's timestamp.
const TimeRef = "time"

// CheckLambda types the body of `lambda: body`, reporting errors to diags,
// and returns the checked lambda (never nil). Idents are script vars: their
// values are inlined into Lambda.Inlined (a lambda-valued var contributes
// its result type, references and statefulness); unknown ones are errors
// with did-you-mean. Lambda.Result is 0 when an error makes it unknown.
func CheckLambda(body ast.Expr, env Env, diags *diag.List) *ir.Lambda {
	c := &lambdaChecker{
		env:   env,
		diags: diags,
		lam: &ir.Lambda{
			Body:    body,
			Types:   map[ast.Expr]stdlib.Type{},
			Inlined: map[*ast.Ident]ir.Value{},
		},
	}
	if body != nil {
		c.lam.Result = c.expr(body)
	}
	return c.lam
}

type lambdaChecker struct {
	env     Env
	diags   *diag.List
	lam     *ir.Lambda
	refSeen map[string]bool // built once Refs grows long
	// constExpr is the last expression found constant (a literal, an
	// inlined scalar var or an operator over constants) and constVal its
	// value. A parent asks right after checking each operand, so one slot
	// is enough.
	constExpr ast.Expr
	constVal  ir.Value
}

// setConst records that x, just checked, is the constant v.
func (c *lambdaChecker) setConst(x ast.Expr, v ir.Value) { c.constExpr, c.constVal = x, v }

// constOf returns the value of x if it is the constant just checked.
func (c *lambdaChecker) constOf(x ast.Expr) (ir.Value, bool) {
	if x != nil && c.constExpr == x {
		return c.constVal, true
	}
	return ir.Value{}, false
}

func (c *lambdaChecker) addRef(name string) {
	const linear = 16 // scanning a short list beats hashing
	if c.refSeen == nil {
		for _, r := range c.lam.Refs {
			if r == name {
				return
			}
		}
		c.lam.Refs = append(c.lam.Refs, name)
		if len(c.lam.Refs) > linear {
			c.refSeen = make(map[string]bool, 2*linear)
			for _, r := range c.lam.Refs {
				c.refSeen[r] = true
			}
		}
		return
	}
	if !c.refSeen[name] {
		c.refSeen[name] = true
		c.lam.Refs = append(c.lam.Refs, name)
	}
}

// expr types x, records the type in Lambda.Types and returns it.
func (c *lambdaChecker) expr(x ast.Expr) stdlib.Type {
	c.constExpr = nil
	t := c.exprType(x)
	c.lam.Types[x] = t
	return t
}

func (c *lambdaChecker) exprType(x ast.Expr) stdlib.Type {
	switch x := x.(type) {
	case *ast.NumberLit, *ast.DurationLit, *ast.StringLit, *ast.BoolLit:
		v, _ := literal(x)
		c.setConst(x, v)
		return v.Type
	case *ast.RegexLit:
		// Not folded: compiling every pattern again would cost more than
		// `'const' =~ /re/` is worth.
		return stdlib.Regex
	case *ast.Reference:
		if x.Name == TimeRef {
			return stdlib.Time
		}
		c.addRef(x.Name)
		return RefType
	case *ast.Ident:
		return c.ident(x)
	case *ast.ParenExpr:
		if x.X == nil {
			return 0
		}
		t := c.expr(x.X)
		if v, ok := c.constOf(x.X); ok {
			c.setConst(x, v)
		}
		return t
	case *ast.UnaryExpr:
		return c.unary(x)
	case *ast.BinaryExpr:
		return c.binary(x)
	case *ast.CallExpr:
		return c.call(x)
	case *ast.StarLit:
		c.diags.Errorf(x, CodeType, "* cannot be used inside a lambda")
	case *ast.ListLit:
		c.diags.Errorf(x, CodeType, "a list cannot be used inside a lambda")
	case *ast.LambdaExpr:
		c.diags.Errorf(x, CodeType, "lambda: cannot be nested inside a lambda; use a var holding the lambda instead")
	case *ast.ChainExpr:
		c.diags.Errorf(x, CodeType, "a pipeline chain cannot be used inside a lambda")
	case *ast.BadExpr:
		// The parser has reported it.
	default:
		c.diags.Errorf(x, CodeType, "unexpected %T inside a lambda", x)
	}
	return 0
}

// ident inlines a script var.
func (c *lambdaChecker) ident(x *ast.Ident) stdlib.Type {
	v, ok := c.env.Var(x.Name)
	if !ok {
		undefined(c.diags, x, c.env, true)
		return 0
	}
	if x.Name == TimeRef && isPredefinedTime(v) {
		// The predefined `time` is the group-by-time function.
		c.diags.Errorf(x, CodeType, `time is the group-by-time function, not a value; write "time" (double quotes) for the point's timestamp`)
		return 0
	}
	switch v.Type {
	case 0:
		// Unknown after an earlier error.
		c.lam.Inlined[x] = v
		return 0
	case stdlib.Int, stdlib.Float, stdlib.String, stdlib.Bool, stdlib.Duration, stdlib.Regex:
		c.lam.Inlined[x] = v
		if !v.Placeholder && (v.Type != stdlib.Regex || v.Regex != nil) {
			c.setConst(x, v)
		}
		return v.Type
	case stdlib.Lambda:
		return c.lambdaVar(x, v)
	}
	if v.Ref {
		// `var f = "x"` then `lambda: f > 1`: the reference is inlined.
		c.lam.Inlined[x] = v
		if v.Str == TimeRef {
			return stdlib.Time
		}
		c.addRef(v.Str)
		return RefType
	}
	c.diags.Errorf(x, CodeType, "var %q holds a %s, which cannot be used inside a lambda", x.Name, TypeName(v.Type))
	return 0
}

// isPredefinedTime reports the value the checker binds to the predefined
// name time (the group-by-time function): no type, Str "time". A var
// unknown after an error has no Str and stays quiet.
func isPredefinedTime(v ir.Value) bool {
	return v.Type == stdlib.TimeDim || v.Type == 0 && v.Str == TimeRef
}

// lambdaVar inlines a lambda-valued var: its body becomes part of this
// expression, so its references and state count as ours.
func (c *lambdaChecker) lambdaVar(x *ast.Ident, v ir.Value) stdlib.Type {
	inner := v.Lambda
	if inner == nil {
		// A template var without a value: any result is possible.
		c.lam.Inlined[x] = v
		return anyLambdaResult
	}
	if inner.Types == nil && inner.Body != nil {
		// Not checked yet (e.g. supplied from outside): check it now.
		inner = CheckLambda(inner.Body, c.env, c.diags)
		v.Lambda = inner
	}
	c.lam.Inlined[x] = v
	for _, r := range inner.Refs {
		c.addRef(r)
	}
	if inner.Stateful {
		c.lam.Stateful = true
	}
	return inner.Result
}

func (c *lambdaChecker) unary(x *ast.UnaryExpr) stdlib.Type {
	if x.X == nil {
		return 0
	}
	t := c.expr(x.X)
	v, isConst := c.constOf(x.X)
	res, msg := UnaryResult(x.Op, t)
	if res == 0 && msg != "" {
		c.diags.Add(opDiag(x.OpPos, x.Op, msg))
	}
	if isConst && res != 0 {
		c.setConst(x, foldUnary(x.Op, v))
	}
	return res
}

func (c *lambdaChecker) binary(x *ast.BinaryExpr) stdlib.Type {
	if x.X == nil || x.Y == nil {
		return 0
	}
	l := c.expr(x.X)
	lv, lconst := c.constOf(x.X)
	r := c.expr(x.Y)
	rv, rconst := c.constOf(x.Y)
	res, msg := BinaryResult(x.Op, l, r)
	if res == 0 {
		if msg != "" {
			c.diags.Add(binaryDiag(x, l, r, msg))
		}
		return 0
	}
	// Constant operands are folded as Kapacitor does when the task starts;
	// a constant integer divisor of zero fails for every point.
	switch {
	case lconst && rconst:
		v, err := fold(x.Op, lv, rv)
		if err != "" {
			c.diags.Add(opDiag(x.OpPos, x.Op, err))
			return res
		}
		c.setConst(x, v)
	case rconst && (x.Op == ast.OpDiv || x.Op == ast.OpMod) && isIntZero(rv):
		c.diags.Add(opDiag(x.OpPos, x.Op, divZero))
	}
	return res
}

// isIntZero reports an integer or duration zero, the divisors that make
// Go panic.
func isIntZero(v ir.Value) bool {
	return v.Type == stdlib.Int && v.Int == 0 || v.Type == stdlib.Duration && v.Dur == 0
}

// DeclaredLater is optionally implemented by an Env that knows the vars
// declared further down the script, so that a use before the declaration
// is reported as such rather than as an unknown name.
type DeclaredLater interface {
	DeclaredLater(name string) (ast.Pos, bool)
}

// undefined reports an unknown name with the most likely explanation: a
// later declaration, a near var name, a function used as a value, or a
// missing quote (or lower-case true/false).
func undefined(diags *diag.List, x *ast.Ident, env Env, inLambda bool) {
	if dl, ok := env.(DeclaredLater); ok {
		if p, ok := dl.DeclaredLater(x.Name); ok {
			diags.Errorf(x, CodeUndefined, "name %q is used before it is declared (at %s)", x.Name, p)
			return
		}
	}
	diags.Errorf(x, CodeUndefined, "name %q is undefined%s", x.Name, undefinedHint(x.Name, env, inLambda))
}

func undefinedHint(name string, env Env, inLambda bool) string {
	switch name {
	case "true", "false":
		return "; booleans are written TRUE and FALSE"
	case "and", "or":
		return "; the logical operators are written AND and OR"
	}
	if stdlib.LookupFunc(name) != nil {
		if inLambda {
			return fmt.Sprintf("; %s is a function: call it, %s(…)", name, name)
		}
		return fmt.Sprintf("; %s() is a lambda function, usable only inside lambda expressions", name)
	}
	if h := suggest.DidYouMean(name, env.Names()); h != "" {
		return h
	}
	if inLambda {
		return fmt.Sprintf(`; write '%s' for a string or "%s" for a field or tag`, name, name)
	}
	return fmt.Sprintf("; write '%s' for a string", name)
}
