package check

import (
	"fmt"
	"regexp"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/ir"
	"github.com/tickc/tickc/stdlib"
)

// expr evaluates a script-layer expression. A value whose Type is None is
// invalid: an error was reported and whoever uses it stays quiet.
func (c *checker) expr(x ast.Expr) ir.Value {
	v := c.eval(x)
	if x != nil {
		v.Expr = x // positions point at where the value is used
	}
	return v
}

func (c *checker) eval(x ast.Expr) ir.Value {
	switch x := x.(type) {
	case *ast.Ident:
		return c.ident(x)
	case *ast.NumberLit:
		if x.IsInt {
			return ir.Value{Type: stdlib.Int, Int: x.Int}
		}
		return ir.Value{Type: stdlib.Float, Float: x.Float}
	case *ast.DurationLit:
		return ir.Value{Type: stdlib.Duration, Dur: x.Value}
	case *ast.StringLit:
		return ir.Value{Type: stdlib.String, Str: x.Value}
	case *ast.BoolLit:
		return ir.Value{Type: stdlib.Bool, Bool: x.Value}
	case *ast.RegexLit:
		re, err := regexp.Compile(x.Pattern)
		if err != nil {
			c.diags.Errorf(x, CodeType, "error parsing regexp: %v", err)
			return ir.Value{}
		}
		return ir.Value{Type: stdlib.Regex, Str: x.Pattern, Regex: re}
	case *ast.StarLit:
		return ir.Value{Type: stdlib.Star}
	case *ast.Reference:
		return ir.Value{Type: stdlib.Missing, Ref: true, Str: x.Name}
	case *ast.ListLit:
		return c.list(x)
	case *ast.LambdaExpr:
		return c.lambda(x)
	case *ast.ParenExpr:
		return c.eval(x.X)
	case *ast.UnaryExpr, *ast.BinaryExpr:
		return c.constExpr(x)
	case *ast.CallExpr:
		return c.globalCall(x)
	case *ast.ChainExpr:
		return c.chain(x)
	}
	return ir.Value{} // BadExpr or nil: the parser reported it
}

// ident resolves a name in scope.
func (c *checker) ident(x *ast.Ident) ir.Value {
	if c.poisoned[x.Name] {
		return ir.Value{} // its declaration failed: stay quiet
	}
	if v, ok := c.Var(x.Name); ok {
		if b := c.scope[x.Name]; b.v == nil && x.Name == "time" {
			c.diags.Errorf(x, CodeType, "time is the group-by-time function; call it: time(1m) or time(1m, 10s)")
			return ir.Value{}
		}
		return v
	}
	c.undefined(x)
	return ir.Value{}
}

// undefined reports a name that is not in scope.
func (c *checker) undefined(x *ast.Ident) {
	switch {
	case (x.Name == "stream" || x.Name == "batch") && c.pipe.Type != stdlib.NoEdge:
		c.diags.Errorf(x, CodeUndefined, "name %q is undefined in a %s task", x.Name, c.pipe.Type)
		return
	case stdlib.LookupFunc(x.Name) != nil:
		c.diags.Errorf(x, CodeUndefined, "name %q is undefined; %s() is a lambda function, usable only inside lambda expressions", x.Name, x.Name)
		return
	}
	if p, ok := c.DeclaredLater(x.Name); ok {
		c.diags.Errorf(x, CodeUndefined, "name %q is used before it is declared (at %s)", x.Name, p)
		return
	}
	candidates := c.Names()
	if c.pipe.Type == stdlib.NoEdge && len(c.pipe.Sources) == 0 {
		candidates = append(candidates, "stream", "batch")
	}
	hint := didYouMean(x.Name, candidates)
	if hint == "" && c.wantString {
		hint = fmt.Sprintf("; write '%s' for a string", x.Name)
	}
	c.diags.Errorf(x, CodeUndefined, "name %q is undefined%s", x.Name, hint)
}

// list evaluates `[a, 'b', *]`.
func (c *checker) list(x *ast.ListLit) ir.Value {
	items := make([]ir.Value, 0, len(x.Items))
	ok := true
	saved := c.wantString
	c.wantString = true
	defer func() { c.wantString = saved }()
	for _, it := range x.Items {
		v := c.expr(it)
		if v.Type == stdlib.None && !v.Placeholder {
			ok = false
		}
		items = append(items, v)
	}
	if !ok {
		return ir.Value{}
	}
	return ir.Value{Type: stdlib.List, List: items}
}

// lambda checks `lambda: body`.
func (c *checker) lambda(x *ast.LambdaExpr) ir.Value {
	if x.Body == nil {
		return ir.Value{}
	}
	l := checkLambda(x.Body, c, &c.diags)
	doubleQuoteGotcha(x.Body, &c.diags)
	return ir.Value{Type: stdlib.Lambda, Lambda: l}
}

// constExpr folds an operator expression at the script layer.
func (c *checker) constExpr(x ast.Expr) ir.Value {
	v, ok := evalConst(x, c, &c.diags)
	if !ok {
		return ir.Value{}
	}
	return v
}

// globalCall evaluates `name(args)` outside a chain: only time() exists.
func (c *checker) globalCall(x *ast.CallExpr) ir.Value {
	args := make([]ir.Value, len(x.Args))
	for i, a := range x.Args {
		args[i] = c.expr(a)
	}
	if x.Fun == nil {
		return ir.Value{}
	}
	if x.Fun.Name != "time" {
		if k := stdlib.LookupNode(x.Fun.Name); k != nil && !k.Implicit && k.Wants != stdlib.NoEdge {
			return c.detached(x, k, args)
		}
		if stdlib.LookupFunc(x.Fun.Name) != nil {
			c.diags.Errorf(x.Fun, CodeUndefined, "no global function %q defined; %s() is a lambda function, usable only inside lambda expressions", x.Fun.Name, x.Fun.Name)
		} else {
			c.diags.Errorf(x.Fun, CodeUndefined, "no global function %q defined%s", x.Fun.Name, didYouMean(x.Fun.Name, []string{"time"}))
		}
		return ir.Value{}
	}
	c.Var("time")
	if len(args) < 1 || len(args) > 2 {
		c.diags.Errorf(x.Fun, CodeArgs, "time() function expects 1 or 2 args, got %d", len(args))
		return ir.Value{}
	}
	ok := true
	for i, a := range args {
		if !c.argType(a, stdlib.Param{Name: []string{"length", "offset"}[i], Type: stdlib.Duration}, "time()", i, len(args)) {
			ok = false
		}
	}
	if !ok {
		return ir.Value{}
	}
	v := ir.Value{Type: stdlib.TimeDim, Dur: args[0].Dur}
	if len(args) == 2 {
		v.Offset = args[1].Dur
	}
	return v
}

// detached handles `window()` written where a chain should start, usually
// a `|` lost to a syntax error: the call is reported, and a node of that
// kind, attached to nothing, stands for it so that the methods chained to
// it are still checked.
func (c *checker) detached(x *ast.CallExpr, k *stdlib.NodeKind, args []ir.Value) ir.Value {
	c.diags.Errorf(x.Fun, CodeUndefined, "no global function %q defined; %s() is a chaining method: write |%s() after a node", x.Fun.Name, k.Name, x.Fun.Name)
	n := &ir.Node{Kind: k, Pos: x.Fun.Pos(), Args: args}
	if k.Wants == stdlib.Stream || k.Wants == stdlib.Batch {
		n.Wants = k.Wants
	}
	if k.Provides == stdlib.Stream || k.Provides == stdlib.Batch {
		n.Provides = k.Provides
	}
	c.assignID(n)
	c.tainted[n] = true
	return nodeValue(n, nil)
}
