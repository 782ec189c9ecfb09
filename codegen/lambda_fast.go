package codegen

import (
	"github.com/dave/jennifer/jen"

	"github.com/tickc/tickc/compiler/ast"
	"github.com/tickc/tickc/compiler/ir"
	rtm "github.com/tickc/tickc/runtime"
	"github.com/tickc/tickc/stdlib"
)

// Fast paths. A reference's kind is only known at run time, so the plain
// compiled code goes through the runtime's checked operator entries. But
// the kind is nearly always the one the expression suggests ("usage_idle"
// < 70 reads a float), so the lambda first checks that every reference
// it speculates on has that kind and, if so, computes the expression as
// plain Go with the kinds known:
//
//	if usageIdle.Kind == rt.KindFloat {
//		return usageIdle.F < float64(70), nil
//	}
//	lt1, err := rt.Lt(usageIdle, rt.Int(70)) // any other kinds
//
// The fast path is the same compiler run with those references typed, so
// it means what the checked path means for those kinds (the differential
// tests hold the typed code to the runtime entries).
//
// Reading a reference costs one string comparison when it is where it was
// last time: LambdaState.RefAt keeps the index per reference.

// lambdaFastPaths enables fast paths and reference hints; tests turn it
// off to compare with the plain code.
var lambdaFastPaths = true

// fastPath compiles the lambda again with the speculated kinds. It
// returns the statements of the fast path, which end in a return, the
// condition under which they run and the operand they return; nil when
// nothing is speculated.
func (c *lambdaCompiler) fastPath() ([]jen.Code, jen.Code, operand, error) {
	if !lambdaFastPaths {
		return nil, nil, operand{}, nil
	}
	c.fast = speculate(c.l)
	if len(c.fast) == 0 {
		return nil, nil, operand{}, nil
	}
	var res operand
	stmts, err := c.block(func() error {
		c.speculating = true
		defer func() { c.speculating = false }()
		var err error
		res, err = c.expr(c.l.Body)
		return err
	})
	if err != nil || len(c.fastRefs) == 0 {
		return nil, nil, operand{}, err
	}
	res = typed(res)
	stmts = append(stmts, c.result(res))
	var guard *jen.Statement
	for _, name := range c.fastRefs {
		check := jen.Id(c.refs[name]).Dot("Kind").Op("==").Add(rt(kindName[c.fast[name]]))
		if guard == nil {
			guard = check
		} else {
			guard = guard.Op("&&").Add(check)
		}
	}
	return stmts, guard, res, nil
}

var kindName = map[goType]string{tFloat: "KindFloat", tInt: "KindInt", tString: "KindString", tBool: "KindBool"}

// fastRef is the operand of reference name on the fast path: the local's
// payload with its kind known.
func (c *lambdaCompiler) fastRef(name, local string) (operand, bool) {
	t, ok := c.fast[name]
	if !c.speculating || !ok {
		return operand{}, false
	}
	if !hasString(c.fastRefs, name) {
		c.fastRefs = append(c.fastRefs, name)
	}
	o := operand{t: t, static: tValue, text: `"` + name + `"`}
	switch t {
	case tFloat:
		o.x = jen.Id(local).Dot("F")
	case tInt:
		o.x = jen.Id(local).Dot("I")
	case tString:
		o.x = jen.Id(local).Dot("S")
	case tBool:
		o.x = jen.Id(local).Dot("Bool").Call()
	}
	return o, true
}

// emitRefReads reads every reference of the lambda at the top, in the
// lambda's order, as Kapacitor fills its scope before evaluating: a name
// that is both a field and a tag fails even where it is not evaluated.
// References with a local are read through their RefAt hint (the first
// rtm.RefHints of them).
func (c *lambdaCompiler) emitRefReads() {
	seen := map[string]bool{}
	names := append(append([]string(nil), c.l.Refs...), c.refOrder...)
	var reads []jen.Code
	slot := 0
	for _, name := range names {
		if seen[name] || name == "time" {
			continue
		}
		seen[name] = true
		read := jen.Id("r").Dot("Ref").Call(jen.Lit(name))
		local, ok := c.refs[name]
		switch {
		case !ok:
			reads = append(reads, jen.If(jen.List(jen.Id("_"), jen.Err()).Op(":=").Add(read), jen.Err().Op("!=").Nil()).
				Block(c.fail(jen.Err())))
		case lambdaFastPaths && slot < rtm.RefHints:
			reads = append(reads, c.hintedRead(name, local, slot)...)
			slot++
		default:
			reads = append(reads,
				jen.List(jen.Id(local), jen.Err()).Op(":=").Add(read),
				jen.If(jen.Err().Op("!=").Nil()).Block(c.fail(jen.Err())))
		}
	}
	if slot > 0 {
		c.emit(jen.Var().Err().Error())
	}
	c.stmts = append(c.stmts, reads...)
}

// hintedRead reads reference name into local, checking first the field
// (or, for a reference the fast path takes for a string, the tag) at the
// index of its RefAt slot:
//
//	var usageIdle rt.Value
//	if at := int(st.RefAt[0]); at < len(r.Fields) && r.Fields[at].Key == "usage_idle" && (st.NoRefIsTag || rt.NoTag(r.Tags, "usage_idle")) {
//		usageIdle = r.Fields[at].Value
//	} else if usageIdle, err = r.RefHinted("usage_idle", &st.RefAt[0]); err != nil {
//		return false, err
//	}
func (c *lambdaCompiler) hintedRead(name, local string, slot int) []jen.Code {
	hint := jen.Id("st").Dot("RefAt").Index(jen.Lit(slot))
	list, other, noOther := "Fields", "Tags", "NoTag"
	value := jen.Id("r").Dot("Fields").Index(jen.Id("at")).Dot("Value")
	if c.fast[name] == tString {
		list, other, noOther = "Tags", "Fields", "NoField"
		value = rt("String").Call(jen.Id("r").Dot("Tags").Index(jen.Id("at")).Dot("Value"))
	}
	noClash := rt(noOther).Call(jen.Id("r").Dot(other), jen.Lit(name))
	if noOther == "NoTag" {
		noClash = jen.Parens(jen.Id("st").Dot("NoRefIsTag").Op("||").Add(noClash))
	}
	cond := jen.Id("at").Op("<").Len(jen.Id("r").Dot(list)).
		Op("&&").Id("r").Dot(list).Index(jen.Id("at")).Dot("Key").Op("==").Lit(name).
		Op("&&").Add(noClash)
	slow := jen.List(jen.Id(local), jen.Err()).Op("=").Id("r").Dot("RefHinted").Call(jen.Lit(name), jen.Op("&").Add(hint.Clone()))
	return []jen.Code{
		jen.Var().Id(local).Add(rt("Value")),
		jen.If(jen.Id("at").Op(":=").Int().Call(hint), cond).
			Block(jen.Id(local).Op("=").Add(value)).
			Else().If(slow, jen.Err().Op("!=").Nil()).
			Block(c.fail(jen.Err())),
	}
}

// speculate guesses from how the lambda uses each reference the kind it
// has at run time: a float where it meets a float, a math function or
// another reference in arithmetic, an int where it meets an int in
// arithmetic or %, a string where it meets a string or a regex, a
// boolean under AND, OR and !. The first use decides.
func speculate(l *ir.Lambda) map[string]goType {
	kinds := map[string]goType{}
	guess := func(x ast.Expr, sc scope, t goType) {
		if name, ok := refName(x, sc); ok && t != tValue {
			if _, seen := kinds[name]; !seen {
				kinds[name] = t
			}
		}
	}
	var walk func(x ast.Expr, sc scope)
	walk = func(x ast.Expr, sc scope) {
		switch x := x.(type) {
		case *ast.ParenExpr:
			walk(x.X, sc)
		case *ast.UnaryExpr:
			if x.Op == ast.OpNeg {
				guess(x.X, sc, tFloat)
			} else {
				guess(x.X, sc, tBool)
			}
			walk(x.X, sc)
		case *ast.BinaryExpr:
			guess(x.X, sc, operandGuess(x.Op, x.Y, sc))
			if x.Op != ast.OpRegexEq && x.Op != ast.OpRegexNeq {
				guess(x.Y, sc, operandGuess(x.Op, x.X, sc))
			}
			walk(x.X, sc)
			walk(x.Y, sc)
		case *ast.CallExpr:
			for i, a := range x.Args {
				guess(a, sc, paramGuess(x.Fun.Name, len(x.Args), i))
				walk(a, sc)
			}
		case *ast.Ident:
			if v, ok := sc.inlined[x]; ok && v.Lambda != nil && v.Lambda.Body != nil {
				walk(v.Lambda.Body, scope{types: v.Lambda.Types, inlined: v.Lambda.Inlined})
			}
		}
	}
	walk(l.Body, scope{types: l.Types, inlined: l.Inlined})
	return kinds
}

// refName is the reference x reads, through parentheses and script vars;
// "time" is not a field or tag.
func refName(x ast.Expr, sc scope) (string, bool) {
	for {
		p, ok := x.(*ast.ParenExpr)
		if !ok {
			break
		}
		x = p.X
	}
	name := ""
	switch x := x.(type) {
	case *ast.Reference:
		name = x.Name
	case *ast.Ident:
		v, ok := sc.inlined[x]
		if !ok || !v.Ref {
			return "", false
		}
		name = v.Str
	default:
		return "", false
	}
	return name, name != "time"
}

// operandGuess is the kind a reference likely has as an operand of op
// whose other operand is other.
func operandGuess(op ast.Op, other ast.Expr, sc scope) goType {
	t := staticGoType(other, sc)
	switch op {
	case ast.OpRegexEq, ast.OpRegexNeq:
		return tString
	case ast.OpAnd, ast.OpOr:
		return tBool
	case ast.OpMod:
		return tInt
	case ast.OpAdd, ast.OpSub, ast.OpMul, ast.OpDiv:
		if t == tInt || t == tString && op == ast.OpAdd {
			return t
		}
	case ast.OpEq, ast.OpNeq:
		if t == tInt || t == tString || t == tBool {
			return t
		}
	default: // ordering
		if t == tString {
			return t
		}
	}
	return tFloat
}

// staticGoType is the Go type of x when the checker settled it.
func staticGoType(x ast.Expr, sc scope) goType {
	if t, ok := sc.types[x]; ok {
		return goTypeOf(t)
	}
	switch x := x.(type) {
	case *ast.NumberLit:
		if x.IsInt {
			return tInt
		}
		return tFloat
	case *ast.StringLit:
		return tString
	case *ast.BoolLit:
		return tBool
	case *ast.DurationLit:
		return tDur
	case *ast.ParenExpr:
		return staticGoType(x.X, sc)
	}
	return tValue
}

// paramGuess is the kind a reference likely has as argument i of n of
// function name: float when a signature takes one there, else string,
// int or boolean. isPresent takes anything.
func paramGuess(name string, n, i int) goType {
	f := stdlib.LookupFunc(name)
	if f == nil || name == "isPresent" {
		return tValue
	}
	var accepted stdlib.Type
	for _, sig := range f.Sigs {
		if len(sig.Params) == n {
			accepted |= sig.Params[i]
		}
	}
	for _, k := range []struct {
		t  stdlib.Type
		gt goType
	}{{stdlib.Float, tFloat}, {stdlib.String, tString}, {stdlib.Int, tInt}, {stdlib.Bool, tBool}} {
		if accepted&k.t != 0 {
			return k.gt
		}
	}
	return tValue
}
